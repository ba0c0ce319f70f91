"""Strategic merge patch: applying patches, and the three-way patch kubectl apply sends.

The expected three-way patches were captured from kubectl v1.32 (the PATCH body it sent to an
apiserver for the same last-applied, manifest and live object), with the last-applied
annotation left out of the manifests here.
"""

from __future__ import annotations

import pytest

from kubesim.api import patch_meta
from kubesim.api.gofmt import go_json, go_sprint
from kubesim.api.patch import (
    PatchError,
    strategic_merge,
    three_way_merge_patch,
)

POD = patch_meta.for_kind("Pod")
STS = patch_meta.for_kind("StatefulSet")
SVC = patch_meta.for_kind("Service")
DEPLOY = patch_meta.for_kind("Deployment")


def pod(*containers: dict[str, object], **spec: object) -> dict[str, object]:
    return {"metadata": {"name": "p"}, "spec": {"containers": list(containers), **spec}}


def nginx(**fields: object) -> dict[str, object]:
    return {"name": "nginx", "image": "nginx:1.9.1", **fields}


# --- applying a strategic merge patch -------------------------------------------------------


def test_maps_merge_key_by_key() -> None:
    obj = {"metadata": {"labels": {"app": "nginx"}}}
    assert strategic_merge(obj, {"metadata": {"labels": {"tier": "web"}}}, POD) == {
        "metadata": {"labels": {"app": "nginx", "tier": "web"}}
    }


def test_null_deletes_a_key() -> None:
    obj = {"metadata": {"labels": {"app": "nginx", "tier": "web"}}}
    assert strategic_merge(obj, {"metadata": {"labels": {"tier": None}}}, POD) == {
        "metadata": {"labels": {"app": "nginx"}}
    }


def test_null_for_a_missing_key_is_dropped() -> None:
    assert strategic_merge({"a": 1}, {"b": None}, POD) == {"a": 1}


def test_containers_merge_by_name() -> None:
    obj = pod(nginx(), {"name": "side", "image": "busybox"})
    patched = strategic_merge(obj, {"spec": {"containers": [{"name": "nginx", "image": "x"}]}}, POD)
    assert patched["spec"]["containers"] == [
        {"name": "nginx", "image": "x"},
        {"name": "side", "image": "busybox"},
    ]


def test_a_new_container_goes_first_without_set_element_order() -> None:
    # mergeSortedSlice puts patch items ahead of server-only items it cannot place
    obj = pod(nginx())
    patched = strategic_merge(obj, {"spec": {"containers": [{"name": "b", "image": "y"}]}}, POD)
    assert [c["name"] for c in patched["spec"]["containers"]] == ["b", "nginx"]


def test_ports_merge_by_container_port() -> None:
    obj = pod(nginx(ports=[{"containerPort": 80, "name": "web"}]))
    patch = {
        "spec": {
            "containers": [{"name": "nginx", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]
        }
    }
    assert strategic_merge(obj, patch, POD)["spec"]["containers"][0]["ports"] == [
        {"containerPort": 80, "name": "web", "protocol": "TCP"}
    ]


def test_env_merges_by_name_and_delete_directive_removes() -> None:
    obj = pod(nginx(env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]))
    patch = {
        "spec": {"containers": [{"name": "nginx", "env": [{"name": "A", "$patch": "delete"}]}]}
    }
    assert strategic_merge(obj, patch, POD)["spec"]["containers"][0]["env"] == [
        {"name": "B", "value": "2"}
    ]


def test_volume_mounts_merge_by_mount_path() -> None:
    obj = pod(nginx(volumeMounts=[{"name": "a", "mountPath": "/a"}]))
    patch = {
        "spec": {
            "containers": [{"name": "nginx", "volumeMounts": [{"name": "b", "mountPath": "/a"}]}]
        }
    }
    assert strategic_merge(obj, patch, POD)["spec"]["containers"][0]["volumeMounts"] == [
        {"name": "b", "mountPath": "/a"}
    ]


def test_tolerations_have_no_merge_key_and_are_replaced() -> None:
    obj = pod(nginx(), tolerations=[{"key": "a", "operator": "Exists"}])
    patch = {"spec": {"tolerations": [{"key": "b", "operator": "Exists"}]}}
    assert strategic_merge(obj, patch, POD)["spec"]["tolerations"] == [
        {"key": "b", "operator": "Exists"}
    ]


def test_service_ports_merge_by_port() -> None:
    svc = {"spec": {"ports": [{"port": 80, "name": "web"}]}}
    patched = strategic_merge(svc, {"spec": {"ports": [{"port": 80, "targetPort": 8080}]}}, SVC)
    assert patched["spec"]["ports"] == [{"port": 80, "name": "web", "targetPort": 8080}]


def test_conditions_merge_by_type() -> None:
    sts = {"status": {"conditions": [{"type": "A", "status": "True"}]}}
    patch = {"status": {"conditions": [{"type": "B", "status": "False"}]}}
    assert strategic_merge(sts, patch, STS)["status"]["conditions"] == [
        {"type": "B", "status": "False"},
        {"type": "A", "status": "True"},
    ]


def test_owner_references_merge_by_uid() -> None:
    obj = {"metadata": {"ownerReferences": [{"uid": "1", "name": "a"}]}}
    patch = {"metadata": {"ownerReferences": [{"uid": "1", "controller": True}]}}
    assert strategic_merge(obj, patch, POD)["metadata"]["ownerReferences"] == [
        {"uid": "1", "name": "a", "controller": True}
    ]


def test_finalizers_merge_as_a_set() -> None:
    obj = {"metadata": {"finalizers": ["a", "b"]}}
    patched = strategic_merge(obj, {"metadata": {"finalizers": ["b", "c"]}}, POD)
    assert patched["metadata"]["finalizers"] == ["a", "b", "c"]


def test_delete_from_primitive_list() -> None:
    obj = {"metadata": {"finalizers": ["a", "b", "c"]}}
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b"]}}
    assert strategic_merge(obj, patch, POD)["metadata"]["finalizers"] == ["a", "c"]


def test_patch_replace_on_a_list_replaces_it_whole() -> None:
    obj = pod(nginx(), {"name": "side", "image": "busybox"})
    patch = {"spec": {"containers": [{"name": "only", "image": "x"}, {"$patch": "replace"}]}}
    assert strategic_merge(obj, patch, POD)["spec"]["containers"] == [
        {"name": "only", "image": "x"}
    ]


def test_patch_replace_on_a_map_replaces_it_whole() -> None:
    obj = {"metadata": {"labels": {"a": "1", "b": "2"}}}
    patch = {"metadata": {"labels": {"c": "3", "$patch": "replace"}}}
    assert strategic_merge(obj, patch, POD)["metadata"]["labels"] == {"c": "3"}


def test_patch_delete_on_a_map_removes_it() -> None:
    obj = {"metadata": {"name": "p", "labels": {"a": "1"}}}
    patch = {"metadata": {"labels": {"$patch": "delete"}}}
    assert strategic_merge(obj, patch, POD) == {"metadata": {"name": "p"}}


def test_patch_merge_on_a_list_item_is_refused() -> None:
    with pytest.raises(PatchError, match="merging lists cannot yet be specified in the patch"):
        strategic_merge(pod(nginx()), {"spec": {"containers": [{"$patch": "merge"}]}}, POD)


def test_unknown_directive_is_refused() -> None:
    with pytest.raises(PatchError, match="unknown patch type: bogus in map: map"):
        strategic_merge({"metadata": {}}, {"metadata": {"$patch": "bogus"}}, POD)


def test_missing_merge_key_is_refused_with_apimachinerys_message() -> None:
    with pytest.raises(PatchError) as err:
        strategic_merge(pod(nginx()), {"spec": {"containers": [{"image": "x"}]}}, POD)
    assert str(err.value) == "map: map[image:x] does not contain declared merge key: name"


def test_retain_keys_clears_fields_not_listed() -> None:
    obj = pod(nginx(), volumes=[{"name": "v", "emptyDir": {}}])
    patch = {
        "spec": {
            "volumes": [
                {"$retainKeys": ["configMap", "name"], "configMap": {"name": "c"}, "name": "v"}
            ]
        }
    }
    assert strategic_merge(obj, patch, POD)["spec"]["volumes"] == [
        {"name": "v", "configMap": {"name": "c"}}
    ]


def test_retain_keys_must_list_every_patched_field() -> None:
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "rollingUpdate": {"maxSurge": 1}}}}
    with pytest.raises(PatchError, match="invalid patch format of retainKeys"):
        strategic_merge({"spec": {"strategy": {"type": "Recreate"}}}, patch, DEPLOY)


def test_set_element_order_reorders_the_merged_list() -> None:
    obj = pod(nginx(), {"name": "side", "image": "busybox"})
    patch = {"spec": {"$setElementOrder/containers": [{"name": "side"}, {"name": "nginx"}]}}
    patched = strategic_merge(obj, patch, POD)
    assert [c["name"] for c in patched["spec"]["containers"]] == ["side", "nginx"]


def test_set_element_order_places_new_items() -> None:
    obj = pod(nginx())
    patch = {
        "spec": {
            "$setElementOrder/containers": [{"name": "first"}, {"name": "nginx"}],
            "containers": [{"name": "first", "image": "x"}],
        }
    }
    patched = strategic_merge(obj, patch, POD)
    assert [c["name"] for c in patched["spec"]["containers"]] == ["first", "nginx"]


def test_the_input_objects_are_left_untouched() -> None:
    obj = pod(nginx())
    patch = {"spec": {"containers": [{"name": "nginx", "image": "x"}]}}
    strategic_merge(obj, patch, POD)
    assert obj == pod(nginx()) and patch == {
        "spec": {"containers": [{"name": "nginx", "image": "x"}]}
    }


# --- the three-way patch of kubectl apply (expected values captured from kubectl v1.32) -----


def sts(containers: list[dict[str, object]] | None = None, **spec: object) -> dict[str, object]:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "template": {"spec": {"containers": containers or [nginx()]}},
            **spec,
        },
    }


def live(obj: dict[str, object]) -> dict[str, object]:
    """The object as the apiserver holds it: defaults and status that no manifest has."""
    import copy

    obj = copy.deepcopy(obj)
    obj["metadata"]["uid"] = "u1"  # type: ignore[index]
    spec = obj["spec"]
    spec["podManagementPolicy"] = "OrderedReady"  # type: ignore[index]
    for container in spec["template"]["spec"]["containers"]:  # type: ignore[index]
        container["imagePullPolicy"] = "IfNotPresent"
    obj["status"] = {"replicas": 2, "readyReplicas": 2}
    return obj


def test_unchanged_manifest_gives_an_empty_patch() -> None:
    assert three_way_merge_patch(sts(), sts(), live(sts()), STS) == {}


def test_changed_field_is_sent() -> None:
    assert three_way_merge_patch(sts(), sts(replicas=3), live(sts()), STS) == {
        "spec": {"replicas": 3}
    }


def test_field_removed_from_the_manifest_is_deleted() -> None:
    modified = sts()
    del modified["spec"]["replicas"]  # type: ignore[attr-defined]
    assert three_way_merge_patch(sts(), modified, live(sts()), STS) == {"spec": {"replicas": None}}


def test_changed_image_carries_set_element_order() -> None:
    modified = sts([nginx(image="nginx:1.10")])
    assert three_way_merge_patch(sts(), modified, live(sts()), STS) == {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "nginx"}],
                    "containers": [{"image": "nginx:1.10", "name": "nginx"}],
                }
            }
        }
    }


def test_removed_container_gets_a_delete_directive() -> None:
    two = [nginx(), {"name": "side", "image": "busybox"}]
    assert three_way_merge_patch(sts(two), sts(), live(sts(two)), STS) == {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/containers": [{"name": "nginx"}],
                    "containers": [{"$patch": "delete", "name": "side"}],
                }
            }
        }
    }


def test_reordered_containers_send_only_the_order() -> None:
    two = [nginx(), {"name": "side", "image": "busybox"}]
    reordered = list(reversed(two))
    assert three_way_merge_patch(sts(two), sts(reordered), live(sts(two)), STS) == {
        "spec": {
            "template": {
                "spec": {"$setElementOrder/containers": [{"name": "side"}, {"name": "nginx"}]}
            }
        }
    }


def test_changed_volume_source_sends_retain_keys() -> None:
    before = sts(volumes=[{"name": "v", "emptyDir": {}}])
    after = sts(volumes=[{"name": "v", "configMap": {"name": "c"}}])
    for obj in (before, after):
        obj["spec"]["template"]["spec"]["volumes"] = obj["spec"].pop("volumes")  # type: ignore[index,attr-defined]
    assert three_way_merge_patch(before, after, live(before), STS) == {
        "spec": {
            "template": {
                "spec": {
                    "$setElementOrder/volumes": [{"name": "v"}],
                    "volumes": [
                        {
                            "$retainKeys": ["configMap", "name"],
                            "configMap": {"name": "c"},
                            "emptyDir": None,
                            "name": "v",
                        }
                    ],
                }
            }
        }
    }


def test_removed_finalizer_uses_the_parallel_deletion_list() -> None:
    before, after = sts(), sts()
    before["metadata"]["finalizers"] = ["b", "a"]  # type: ignore[index]
    after["metadata"]["finalizers"] = ["a"]  # type: ignore[index]
    assert three_way_merge_patch(before, after, live(before), STS) == {
        "metadata": {
            "$deleteFromPrimitiveList/finalizers": ["b"],
            "$setElementOrder/finalizers": ["a"],
        }
    }


def test_unsorted_finalizers_always_send_their_order() -> None:
    # upstream compares the sorted live list with the manifest's: an upstream quirk, kept
    before = sts()
    before["metadata"]["finalizers"] = ["b", "a"]  # type: ignore[index]
    assert three_way_merge_patch(before, before, live(before), STS) == {
        "metadata": {"$setElementOrder/finalizers": ["b", "a"]}
    }


def test_service_port_removed() -> None:
    def svc(*ports: int) -> dict[str, object]:
        return {"metadata": {"name": "s"}, "spec": {"ports": [{"port": p} for p in ports]}}

    assert three_way_merge_patch(svc(80, 443), svc(80), svc(80, 443), SVC) == {
        "spec": {
            "$setElementOrder/ports": [{"port": 80}],
            "ports": [{"$patch": "delete", "port": 443}],
        }
    }


def test_deployment_strategy_retain_keys() -> None:
    def deploy(strategy: dict[str, object]) -> dict[str, object]:
        return {"metadata": {"name": "d"}, "spec": {"strategy": strategy}}

    new = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1}}
    assert three_way_merge_patch(
        deploy({"type": "Recreate"}), deploy(new), deploy({"type": "Recreate"}), DEPLOY
    ) == {
        "spec": {
            "strategy": {
                "$retainKeys": ["rollingUpdate", "type"],
                "rollingUpdate": {"maxSurge": 1},
                "type": "RollingUpdate",
            }
        }
    }


def test_fields_set_by_others_are_kept_without_last_applied() -> None:
    assert three_way_merge_patch(None, sts(), live(sts()), STS) == {}


def test_three_way_patch_applied_gives_the_manifest_plus_server_fields() -> None:
    modified = sts([nginx(image="nginx:1.10")])
    current = live(sts())
    patched = strategic_merge(current, three_way_merge_patch(sts(), modified, current, STS), STS)
    container = patched["spec"]["template"]["spec"]["containers"][0]
    assert container == {"name": "nginx", "image": "nginx:1.10", "imagePullPolicy": "IfNotPresent"}
    assert patched["status"] == {"replicas": 2, "readyReplicas": 2}


# --- Go formatting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "<nil>"),
        (True, "true"),
        (3, "3"),
        (1.5, "1.5"),
        (1e6, "1e+06"),
        (0.0001, "0.0001"),
        ({"b": [1, "x"], "a": "y"}, "map[a:y b:[1 x]]"),
    ],
)
def test_go_sprint(value: object, text: str) -> None:
    assert go_sprint(value) == text


def test_go_json_is_compact_sorted_and_html_escaped() -> None:
    assert go_json({"b": "<a&b>", "a": 1}) == '{"a":1,"b":"\\u003ca\\u0026b\\u003e"}'
