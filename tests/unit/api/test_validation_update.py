"""Update validation: what an update may not change, kind by kind."""

from __future__ import annotations

import copy

from kubesim.api.validation import validate_update
from tests.factories import statefulset

FORBIDDEN = (
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
    "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
    "and 'minReadySeconds' are forbidden"
)


def changed(**spec: object) -> dict[str, object]:
    new = copy.deepcopy(statefulset())
    new["spec"].update(spec)
    return new


def test_mutable_fields_may_change() -> None:
    old = statefulset()
    new = changed(replicas=5, minReadySeconds=3, revisionHistoryLimit=2, ordinals={"start": 1})
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.10"
    new["spec"]["updateStrategy"] = {"type": "OnDelete"}
    assert validate_update(old, new) == []


def test_service_name_is_immutable() -> None:
    assert [str(e) for e in validate_update(statefulset(), changed(serviceName="x"))] == [FORBIDDEN]


def test_volume_claim_templates_are_immutable() -> None:
    new = changed(volumeClaimTemplates=[{"metadata": {"name": "www"}}])
    assert [str(e) for e in validate_update(statefulset(), new)] == [FORBIDDEN]


def test_kinds_without_update_rules_accept_any_change() -> None:
    namespace = {"kind": "Namespace", "spec": {"a": 1}}
    assert validate_update(namespace, {"kind": "Namespace", "spec": {"a": 2}}) == []


POD_FORBIDDEN = (
    "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
    "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
    "to 1 if it was previously negative)"
)


def pod_with(**spec: object) -> dict[str, object]:
    base: dict[str, object] = {
        "containers": [{"name": "nginx", "image": "nginx:1.25"}],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [{"key": "a", "operator": "Exists"}],
    }
    return {"kind": "Pod", "spec": {**base, **spec}}


def test_a_pod_may_change_its_images_deadline_and_add_tolerations() -> None:
    new = pod_with(
        containers=[{"name": "nginx", "image": "nginx:1.26"}],
        activeDeadlineSeconds=60,
        tolerations=[{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}],
    )
    assert validate_update(pod_with(), new) == []


def test_a_pod_may_not_change_anything_else() -> None:
    assert [str(e) for e in validate_update(pod_with(), pod_with(restartPolicy="Never"))] == [
        POD_FORBIDDEN
    ]
    extra = pod_with(containers=[{"name": "nginx", "image": "nginx:1.25"}, {"name": "b"}])
    assert [str(e) for e in validate_update(pod_with(), extra)] == [POD_FORBIDDEN]


def test_a_pod_may_change_a_tolerations_seconds() -> None:
    old = pod_with(tolerations=[{"key": "a", "operator": "Exists", "tolerationSeconds": 300}])
    new = pod_with(tolerations=[{"key": "a", "operator": "Exists", "tolerationSeconds": 100}])
    assert validate_update(old, new) == []


def test_a_pod_may_not_drop_a_toleration() -> None:
    errors = [str(e) for e in validate_update(pod_with(), pod_with(tolerations=[]))]
    assert errors == [
        "spec.tolerations: Forbidden: existing toleration can not be modified except its "
        "tolerationSeconds"
    ]


def test_a_negative_grace_period_may_become_one() -> None:
    old = pod_with(terminationGracePeriodSeconds=-1)
    assert validate_update(old, pod_with(terminationGracePeriodSeconds=1)) == []
    assert [str(e) for e in validate_update(old, pod_with(terminationGracePeriodSeconds=5))] == [
        POD_FORBIDDEN
    ]


def test_a_deployment_selector_is_immutable() -> None:
    old = {"kind": "Deployment", "spec": {"selector": {"matchLabels": {"app": "web"}}}}
    new = {
        "kind": "Deployment",
        "spec": {
            "selector": {
                "matchLabels": {"app": "web2", "tier": "a"},
                "matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}],
            }
        },
    }
    assert [str(e) for e in validate_update(old, new)] == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2", '
        '"tier":"a"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{'
        'Key:"k", Operator:"In", Values:[]string{"v"}}}}: field is immutable'
    ]


def test_an_allocated_cluster_ip_may_not_change() -> None:
    old = {"kind": "Service", "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"]}}
    new = {"kind": "Service", "spec": {"clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"]}}
    assert [str(e) for e in validate_update(old, new)] == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set'
    ]


def test_headless_stays_headless_without_complaint() -> None:
    old = {"kind": "Service", "spec": {"clusterIP": "None", "clusterIPs": ["None"]}}
    assert validate_update(old, copy.deepcopy(old)) == []
