"""kustomize's strategic merge (kyaml merge2), which differs from the apiserver's."""

from __future__ import annotations

from typing import Any

from kubesim.kubectl.kustomize_merge import merge


def deployment(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"template": {"spec": spec}}}  # fmt: skip


def containers(obj: dict[str, Any] | None) -> list[Any]:
    assert obj is not None
    result: list[Any] = obj["spec"]["template"]["spec"]["containers"]
    return result


def test_merged_lists_put_the_patchs_elements_first() -> None:
    resource = deployment({"containers": [{"name": "a", "image": "a"},
                                          {"name": "b", "image": "b"}]})  # fmt: skip
    patch = deployment({"containers": [{"name": "b", "image": "b2"}, {"name": "c", "image": "c"}]})
    assert [c["name"] for c in containers(merge(patch, resource))] == ["b", "c", "a"]
    assert containers(merge(patch, resource))[0] == {"name": "b", "image": "b2"}


def test_ports_merge_by_port_and_protocol() -> None:
    resource = deployment({"containers": [{"name": "a", "ports": [
        {"containerPort": 80, "protocol": "TCP"}]}]})  # fmt: skip
    patch = deployment({"containers": [{"name": "a", "ports": [{"containerPort": 8080}]}]})
    assert containers(merge(patch, resource))[0]["ports"] == [
        {"containerPort": 8080},
        {"containerPort": 80, "protocol": "TCP"},
    ]


def test_delete_directive_and_null() -> None:
    resource = deployment({"containers": [{"name": "a", "image": "a", "args": ["x"]},
                                          {"name": "b"}]})  # fmt: skip
    patch = deployment({"containers": [{"name": "b", "$patch": "delete"},
                                       {"name": "a", "args": None}]})  # fmt: skip
    assert containers(merge(patch, resource)) == [{"name": "a", "image": "a"}]


def test_a_kind_the_schema_does_not_know_has_its_lists_replaced() -> None:
    resource = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                "spec": {"items": [{"name": "a"}]}}  # fmt: skip
    patch = {**resource, "spec": {"items": [{"name": "b"}]}}
    result = merge(patch, resource)
    assert result is not None and result["spec"]["items"] == [{"name": "b"}]


def test_a_null_the_patch_does_not_mention_is_kept() -> None:
    resource = {"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "c", "creationTimestamp": None}}  # fmt: skip
    patch = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}}
    assert merge(patch, resource) == {**resource, "data": {"a": "b"}}


def test_deleting_the_whole_object() -> None:
    resource = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    assert merge({**resource, "$patch": "delete"}, resource) is None
