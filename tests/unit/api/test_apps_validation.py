"""Defaults and validation of Deployments and ReplicaSets (apps/v1 defaults.go, validation.go)."""

from __future__ import annotations

from typing import Any

from kubesim.api.defaults import apply_defaults
from kubesim.api.validation import validate

Object = dict[str, Any]


def manifest(kind: str = "Deployment", **spec: Any) -> Object:
    body: Object = {
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
        },
    }
    body.update(spec)
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "web"}, "spec": body}


def errors_of(obj: Object) -> list[str]:
    return [str(e) for e in validate(apply_defaults(obj), namespaced=True)]


def test_deployment_defaults() -> None:
    spec = apply_defaults(manifest())["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
    }
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    assert spec["template"]["spec"]["restartPolicy"] == "Always"


def test_recreate_gets_no_rolling_update_defaults() -> None:
    spec = apply_defaults(manifest(strategy={"type": "Recreate"}))["spec"]
    assert spec["strategy"] == {"type": "Recreate"}


def test_replica_set_defaults() -> None:
    rs = apply_defaults(manifest("ReplicaSet"))
    assert (rs["spec"]["replicas"], rs["status"]) == (1, {"replicas": 0})


def test_valid_deployment_has_no_errors() -> None:
    assert errors_of(manifest()) == []


def test_missing_selector_is_required_and_cannot_match() -> None:
    obj = manifest()
    del obj["spec"]["selector"]
    assert errors_of(obj) == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: '
        "`selector` does not match template `labels`",
    ]


def test_empty_selector_is_invalid_even_for_replica_sets() -> None:
    assert errors_of(manifest("ReplicaSet", selector={})) == [
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
    ]


def test_both_fenceposts_zero_is_invalid() -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}
    assert errors_of(manifest(strategy=strategy)) == [
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "
        'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'
    ]


def test_percent_must_be_a_number_and_percent_sign() -> None:
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "x%"}}
    assert errors_of(manifest(strategy=strategy)) == [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: "
        'intstr.IntOrString{Type:1, IntVal:0, StrVal:"x%"}: a valid percent string must be a '
        "numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
        "validation is '[0-9]+%')"
    ]


def test_rolling_update_block_is_forbidden_with_recreate() -> None:
    strategy = {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}
    assert errors_of(manifest(strategy=strategy)) == [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'"
    ]


def test_template_restart_policy_must_be_always() -> None:
    obj = manifest()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert errors_of(obj) == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'
    ]


def test_progress_deadline_must_exceed_min_ready_seconds() -> None:
    assert errors_of(manifest(minReadySeconds=10, progressDeadlineSeconds=10)) == [
        "spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"
    ]


def test_negative_replicas() -> None:
    assert errors_of(manifest(replicas=-1)) == [
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
    ]
