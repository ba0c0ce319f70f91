"""Decoding a request body into the kind's Go struct: encoding/json's type errors, the strict
unknown-field errors of sigs.k8s.io/json, and the unstructured converter's errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kubesim.api import decode
from kubesim.api.errors import BadRequest


def pod(**spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def type_error(obj: dict[str, Any], kind: str = "Pod", group: str = "") -> str:
    with pytest.raises(BadRequest) as caught:
        decode.decode(obj, kind, "v1", group)
    return caught.value.message.split(": ", 1)[1]


def test_a_well_formed_object_decodes_with_nothing_unknown() -> None:
    obj = pod(restartPolicy="Never", terminationGracePeriodSeconds=30)
    before = json.dumps(obj, sort_keys=True)
    assert decode.decode(obj, "Pod", "v1") == []
    assert json.dumps(obj, sort_keys=True) == before


def test_the_error_names_the_innermost_struct_and_the_path_of_json_fields() -> None:
    obj = pod()
    obj["spec"]["containers"][0]["env"] = [{"name": "PORT", "value": 8080}]
    assert type_error(obj) == (
        "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value "
        "of type string"
    )


def test_the_top_level_struct_owns_its_own_fields() -> None:
    obj = pod()
    obj["spec"] = 5
    assert type_error(obj).endswith("Go struct field Pod.spec of type v1.PodSpec")


def test_list_items_name_the_element_type() -> None:
    obj = pod()
    obj["spec"]["containers"] = ["nginx"]
    assert type_error(obj).endswith(
        "cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container"
    )


def test_map_values_name_the_map_field() -> None:
    obj = pod()
    obj["metadata"]["labels"] = {"tier": 1}
    assert type_error(obj).endswith(
        "number into Go struct field ObjectMeta.metadata.labels of type string"
    )


def test_named_types_print_their_go_name() -> None:
    assert type_error(pod(restartPolicy=1)).endswith(
        "Go struct field PodSpec.spec.restartPolicy of type v1.RestartPolicy"
    )
    claim = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "c"},
        "spec": {"accessModes": "ReadWriteOnce"},
    }
    assert type_error(claim, "PersistentVolumeClaim").endswith(
        "cannot unmarshal string into Go struct field PersistentVolumeClaimSpec.spec.accessModes "
        "of type []v1.PersistentVolumeAccessMode"
    )


@pytest.mark.parametrize(
    ("value", "found"),
    [("3", "string"), (True, "bool"), (1.5, "number 1.5"), (2**31, "number 2147483648")],
)
def test_integers(value: Any, found: str) -> None:
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web"},
        "spec": {"replicas": value},
    }
    assert type_error(sts, "StatefulSet", "apps") == (
        f"json: cannot unmarshal {found} into Go struct field StatefulSetSpec.spec.replicas "
        "of type int32"
    )


def test_whole_floats_and_nulls_decode() -> None:
    obj = pod(terminationGracePeriodSeconds=30.0, nodeSelector=None)
    assert decode.decode(obj, "Pod", "v1") == []


def test_types_with_their_own_decoding_are_not_checked_here() -> None:
    obj = pod()
    obj["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    obj["spec"]["containers"][0]["readinessProbe"] = {"httpGet": {"port": "http"}}
    obj["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "500m", "memory": 1}}
    assert decode.decode(obj, "Pod", "v1") == []


def test_unknown_fields_are_dropped_and_reported_with_their_path_in_key_order() -> None:
    obj = pod(contianers=[])
    obj["metadata"]["foo"] = 1
    obj["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    assert decode.decode(obj, "Pod", "v1") == [
        'unknown field "metadata.foo"',
        'unknown field "spec.containers[0].imagePullPolicyy"',
        'unknown field "spec.contianers"',
    ]
    assert "foo" not in obj["metadata"]
    assert "contianers" not in obj["spec"]
    assert obj["spec"]["containers"][0] == {"name": "c", "image": "nginx"}


def test_a_misplaced_top_level_field_is_unknown() -> None:
    obj = pod()
    obj["restartPolicy"] = "Never"
    assert decode.decode(obj, "Pod", "v1") == ['unknown field "restartPolicy"']


def test_a_type_error_wins_over_unknown_fields() -> None:
    obj = pod(foo=1, replicas=1)
    obj["spec"]["hostname"] = 5
    assert "PodSpec.spec.hostname of type string" in type_error(obj)


def test_at_most_a_hundred_unknown_fields() -> None:
    obj = pod(**{f"f{i:03}": i for i in range(150)})
    assert len(decode.decode(obj, "Pod", "v1")) == 100


def test_strict_failure_reads_like_the_apiserver() -> None:
    err = decode.strict_failure("Pod", "v1", ['unknown field "spec.image"'])
    assert err.message == (
        'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
        'unknown field "spec.image"'
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"replicas": "x"}, "unrecognized type: int32"),
        ({"replicas": 1.5}, "cannot convert float64 to int32"),
        ({"serviceName": 5}, "cannot convert int64 to string"),
        ({"serviceName": True}, "unrecognized type: string"),
        ({"podManagementPolicy": 1}, "cannot convert int64 to v1.PodManagementPolicyType"),
        ({"template": "x"}, "cannot restore struct from: string"),
        ({"volumeClaimTemplates": {}}, "cannot restore slice from map"),
        ({"selector": {"matchLabels": ["a"]}}, "cannot restore map from slice"),
    ],
)
def test_the_converter_s_errors_for_a_strategic_merge_result(
    spec: dict[str, Any], message: str
) -> None:
    sts = {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "w"}, "spec": spec}
    assert decode.convert(sts, "StatefulSet", "v1", "apps") == (message, [])


def test_the_converter_sorts_unknown_fields_and_truncates_big_ints() -> None:
    sts = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "w", "zz": 1},
        "spec": {"replicas": 2**40, "b": 1, "a": {"x": 1}},
    }
    assert decode.convert(sts, "StatefulSet", "v1", "apps") == (
        "",
        ['unknown field "metadata.zz"', 'unknown field "spec.a"', 'unknown field "spec.b"'],
    )


def test_every_kind_kubesim_serves_has_a_struct() -> None:
    from kubesim.api import kinds

    for kind in kinds.KINDS:
        obj = {"apiVersion": kind.api_version, "kind": kind.kind, "metadata": {"name": "x"}}
        assert decode.decode(obj, kind.kind, kind.version, kind.group) == []
