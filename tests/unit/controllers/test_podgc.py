"""PodGC: pods bound to a node that is gone are failed and force-deleted after the quarantine."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import podgc
from kubesim.controllers.changes import Change, Delete, SetRuntime, UpdateStatus, as_if_accepted
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState

NOW = 1_000_000.0


def pod(name: str, node: str, phase: str = "Running") -> dict[str, Any]:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
        "spec": {"nodeName": node},
        "status": {"phase": phase, "conditions": [{"type": "Ready", "status": "True"}]},
    }


def snapshot_with(pods: list[dict[str, Any]], nodes: list[str], seen: dict[str, float]) -> Snapshot:
    state = ClusterState()
    for p in pods:
        state.load("pods", p)
    for n in nodes:
        state.load("nodes", {"metadata": {"name": n}})
    state.section(podgc.SECTION).update(seen)
    return Snapshot(state, NOW)


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    return as_if_accepted(podgc.reconcile(snapshot, now))


def test_a_missing_node_is_first_put_in_quarantine() -> None:
    snapshot = snapshot_with([pod("web-0", "gone"), pod("web-1", "here")], ["here"], {})
    assert reconcile(snapshot, NOW) == [SetRuntime(podgc.SECTION, "gone", NOW)]


def test_pods_stay_until_the_quarantine_is_over() -> None:
    seen = {"gone": NOW - podgc.QUARANTINE_SECONDS + 1}
    assert reconcile(snapshot_with([pod("web-0", "gone")], [], seen), NOW) == []


def test_then_they_are_failed_and_deleted_with_no_grace() -> None:
    seen = {"gone": NOW - podgc.QUARANTINE_SECONDS}
    failed, deleted = reconcile(snapshot_with([pod("web-0", "gone")], [], seen), NOW)
    assert isinstance(failed, UpdateStatus)
    assert failed.obj["status"]["phase"] == "Failed"
    assert failed.obj["status"]["conditions"][-1] == {
        "type": "DisruptionTarget",
        "status": "True",
        "reason": "DeletionByPodGC",
        "message": "PodGC: node no longer exists",
        "lastProbeTime": None,
        "lastTransitionTime": "1970-01-12T13:46:40Z",
    }
    assert deleted == Delete("pods", "default", "web-0", uid="uid-web-0", grace_period=0)


def test_a_finished_pod_is_only_deleted() -> None:
    seen = {"gone": NOW - 60}
    changes = reconcile(snapshot_with([pod("job", "gone", "Succeeded")], [], seen), NOW)
    assert changes == [Delete("pods", "default", "job", uid="uid-job", grace_period=0)]


def test_a_node_that_comes_back_leaves_quarantine() -> None:
    seen = {"flaky": NOW - 60}
    snapshot = snapshot_with([pod("web-0", "flaky")], ["flaky"], seen)
    assert reconcile(snapshot, NOW) == [SetRuntime(podgc.SECTION, "flaky", None)]


def test_unscheduled_pods_are_not_orphans() -> None:
    unscheduled = pod("web-0", "")
    del unscheduled["spec"]["nodeName"]
    assert reconcile(snapshot_with([unscheduled, pod("web-1", "")], [], {}), NOW) == []
