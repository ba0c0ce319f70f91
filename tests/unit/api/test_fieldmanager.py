"""Managed fields and server-side apply over plain objects."""

from __future__ import annotations

import pytest

from kubesim.api import fieldmanager, kinds

SVC = kinds.by_resource("services")


def _svc(selector: dict[str, str], ports: list[dict[str, object]]) -> dict[str, object]:
    return {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "nginx", "namespace": "default"},
        "spec": {"selector": selector, "ports": ports},
    }  # fmt: skip


def test_apply_owns_what_it_sets_and_removes_what_it_drops() -> None:
    first = _svc({"app": "nginx"}, [{"port": 80, "name": "web"}, {"port": 81}])
    live = fieldmanager.applied_new(first, "kubectl", 0.0, SVC)
    [entry] = live["metadata"]["managedFields"]
    assert (entry["manager"], entry["operation"]) == ("kubectl", "Apply")
    assert entry["fieldsV1"]["f:spec"]["f:ports"] == {
        'k:{"port":80}': {".": {}, "f:name": {}, "f:port": {}},
        'k:{"port":81}': {".": {}, "f:port": {}},
    }
    second = _svc({"app": "nginx"}, [{"port": 80, "name": "web"}])
    applied = fieldmanager.apply(SVC, live, second, "kubectl", force=False, now=1.0)
    assert applied["spec"]["ports"] == [{"port": 80, "name": "web"}]


def test_applying_over_another_managers_change_conflicts_unless_forced() -> None:
    live = fieldmanager.applied_new(_svc({"app": "nginx"}, []), "kubectl", 0.0, SVC)
    changed = {**live, "spec": {**live["spec"], "selector": {"app": "other"}}}  # type: ignore[dict-item]
    live = fieldmanager.record_update(SVC, live, changed, "kubectl-patch", 1.0)
    managers = [(e["manager"], e["operation"]) for e in live["metadata"]["managedFields"]]
    assert managers == [("kubectl", "Apply"), ("kubectl-patch", "Update")]
    with pytest.raises(fieldmanager.ApplyConflict) as conflict:
        fieldmanager.apply(SVC, live, _svc({"app": "nginx"}, []), "kubectl", force=False, now=2.0)
    assert conflict.value.message == (
        'Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .spec.selector.app'
    )
    forced = fieldmanager.apply(
        SVC, live, _svc({"app": "nginx"}, []), "kubectl", force=True, now=2.0
    )
    assert forced["spec"]["selector"] == {"app": "nginx"}
    assert [e["manager"] for e in forced["metadata"]["managedFields"]] == ["kubectl"]


def test_the_same_value_is_shared_without_conflict() -> None:
    live = fieldmanager.applied_new(_svc({"app": "nginx"}, []), "a", 0.0, SVC)
    again = fieldmanager.apply(SVC, live, _svc({"app": "nginx"}, []), "b", force=False, now=1.0)
    assert [e["manager"] for e in again["metadata"]["managedFields"]] == ["a", "b"]
