"""The StatefulSet controller's decisions, one behaviour per test (stateful_set_control_test.go)."""

from __future__ import annotations

from typing import Any

import pytest

from kubesim.controllers import statefulset as controller
from kubesim.controllers.changes import (
    Change,
    Create,
    Delete,
    RecordEvent,
    SetRuntime,
    UpdateStatus,
    as_if_accepted,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState
from tests.factories import NOW, pod_of, revision_of, statefulset

Object = dict[str, Any]


def sync(snapshot: Snapshot, sts: dict[str, Any], now: float) -> list[Change]:
    """One sync, its requests read as accepted."""
    return as_if_accepted(controller.sync(snapshot, sts, now))


def snapshot_of(*objects: Object) -> Snapshot:
    state = ClusterState()
    resources = {
        "StatefulSet": "statefulsets.apps",
        "Pod": "pods",
        "ControllerRevision": "controllerrevisions.apps",
    }
    for obj in objects:
        state.load(resources[obj["kind"]], obj)
    return Snapshot(state, NOW)


def created_pods(changes: list[Any]) -> list[str]:
    return [
        c.obj["metadata"]["name"]
        for c in changes
        if isinstance(c, Create) and c.obj["kind"] == "Pod"
    ]


def deleted_pods(changes: list[Any]) -> list[str]:
    return [c.name for c in changes if isinstance(c, Delete) and c.resource == "pods"]


def test_first_sync_creates_a_revision_and_only_web_0() -> None:
    sts = statefulset(replicas=3)
    changes = sync(snapshot_of(sts), sts, NOW)
    revisions = [
        c.obj for c in changes if isinstance(c, Create) and c.obj["kind"] == "ControllerRevision"
    ]
    assert [r["metadata"]["name"] for r in revisions] == [revision_of(sts)["metadata"]["name"]]
    assert created_pods(changes) == ["web-0"]


def test_new_pod_carries_identity_labels_hostname_and_owner() -> None:
    sts = statefulset(replicas=1)
    pod = next(
        c.obj
        for c in sync(snapshot_of(sts), sts, NOW)
        if isinstance(c, Create) and c.obj["kind"] == "Pod"
    )
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "web-0"
    assert labels["apps.kubernetes.io/pod-index"] == "0"
    assert labels["controller-revision-hash"] == revision_of(sts)["metadata"]["name"]
    assert pod["spec"]["hostname"] == "web-0"
    assert pod["spec"]["subdomain"] == "nginx"
    owner = pod["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("StatefulSet", "web", True)


def test_creation_event_matches_the_controller() -> None:
    sts = statefulset(replicas=1)
    events = [c for c in sync(snapshot_of(sts), sts, NOW) if isinstance(c, RecordEvent)]
    assert [(e.reason, e.message) for e in events] == [
        ("SuccessfulCreate", "create Pod web-0 in StatefulSet web successful")
    ]


def test_ordered_ready_waits_for_web_0_to_be_ready() -> None:
    sts = statefulset(replicas=3)
    web0 = pod_of(sts, 0, phase="Pending", ready=False)
    changes = sync(snapshot_of(sts, revision_of(sts), web0), sts, NOW)
    assert created_pods(changes) == []


def test_ordered_ready_creates_web_1_once_web_0_is_running_and_ready() -> None:
    sts = statefulset(replicas=3)
    changes = sync(snapshot_of(sts, revision_of(sts), pod_of(sts, 0)), sts, NOW)
    assert created_pods(changes) == ["web-1"]


def test_a_huge_scale_up_builds_only_the_pods_it_creates(monkeypatch: pytest.MonkeyPatch) -> None:
    sts = statefulset(replicas=1_000_000)
    built: list[int] = []
    original = controller._new_versioned_pod

    def counting(*args: Any) -> Object:
        built.append(args[-1])
        return original(*args)

    monkeypatch.setattr(controller, "_new_versioned_pod", counting)
    changes = sync(snapshot_of(sts, revision_of(sts), pod_of(sts, 0)), sts, NOW)
    assert created_pods(changes) == ["web-1"]
    assert built == [1, 2]  # web-1, and web-2 to name what waits for it


def test_ordered_ready_waits_on_a_terminating_pod() -> None:
    sts = statefulset(replicas=2)
    web0 = pod_of(sts, 0, terminating=True)
    assert created_pods(sync(snapshot_of(sts, revision_of(sts), web0), sts, NOW)) == []


def test_parallel_creates_every_missing_pod_at_once() -> None:
    sts = statefulset(replicas=3, policy="Parallel")
    assert created_pods(sync(snapshot_of(sts), sts, NOW)) == ["web-0", "web-1", "web-2"]


def test_scale_down_deletes_the_highest_ordinal_first_one_at_a_time() -> None:
    sts = statefulset(replicas=1)
    pods = [pod_of(sts, i) for i in range(3)]
    changes = sync(snapshot_of(sts, revision_of(sts), *pods), sts, NOW)
    assert deleted_pods(changes) == ["web-2"]


def test_scale_down_waits_while_a_condemned_pod_terminates() -> None:
    sts = statefulset(replicas=1)
    pods = [pod_of(sts, 0), pod_of(sts, 1), pod_of(sts, 2, terminating=True)]
    assert deleted_pods(sync(snapshot_of(sts, revision_of(sts), *pods), sts, NOW)) == []


def test_parallel_scale_down_deletes_all_condemned_pods() -> None:
    sts = statefulset(replicas=1, policy="Parallel")
    pods = [pod_of(sts, i) for i in range(3)]
    changes = sync(snapshot_of(sts, revision_of(sts), *pods), sts, NOW)
    assert deleted_pods(changes) == ["web-2", "web-1"]


def test_failed_pod_is_deleted_to_be_recreated() -> None:
    sts = statefulset(replicas=1)
    web0 = pod_of(sts, 0, phase="Failed", ready=False)
    assert deleted_pods(sync(snapshot_of(sts, revision_of(sts), web0), sts, NOW)) == ["web-0"]


def test_status_counts_ready_and_updated_replicas() -> None:
    sts = statefulset(replicas=2)
    pods = [pod_of(sts, 0), pod_of(sts, 1, phase="Pending", ready=False)]
    changes = sync(snapshot_of(sts, revision_of(sts), *pods), sts, NOW)
    status = next(c.obj["status"] for c in changes if isinstance(c, UpdateStatus))
    name = revision_of(sts)["metadata"]["name"]
    assert status == {
        "observedGeneration": 1,
        "currentRevision": name,
        "updateRevision": name,
        "replicas": 2,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "collisionCount": 0,
        "currentReplicas": 2,
        "updatedReplicas": 2,
    }


def test_status_is_not_rewritten_when_unchanged() -> None:
    sts = statefulset(replicas=1)
    pods = [pod_of(sts, 0)]
    first = sync(snapshot_of(sts, revision_of(sts), *pods), sts, NOW)
    updated = {**sts, "status": next(c.obj["status"] for c in first if isinstance(c, UpdateStatus))}
    again = sync(snapshot_of(updated, revision_of(sts), *pods), updated, NOW)
    assert not [c for c in again if isinstance(c, UpdateStatus)]


def test_rolling_update_replaces_the_highest_ordinal_first() -> None:
    old = statefulset(replicas=3)
    new = statefulset(replicas=3, image="nginx:1.10")
    old_revision = revision_of(old)
    pods = [pod_of(old, i, revision=old_revision["metadata"]["name"]) for i in range(3)]
    changes = sync(snapshot_of(new, old_revision, *pods), new, NOW)
    assert deleted_pods(changes) == ["web-2"]


def test_rolling_update_keeps_pods_below_the_partition() -> None:
    old = statefulset(replicas=3)
    new = statefulset(replicas=3, image="nginx:1.10", partition=2)
    old_revision = revision_of(old)
    new_revision = revision_of(new, 2)
    pods = [pod_of(old, i, revision=old_revision["metadata"]["name"]) for i in range(2)]
    pods.append(pod_of(new, 2, revision=new_revision["metadata"]["name"]))
    changes = sync(snapshot_of(new, old_revision, new_revision, *pods), new, NOW)
    assert deleted_pods(changes) == []


def test_on_delete_never_replaces_pods() -> None:
    old = statefulset(replicas=2, strategy="OnDelete")
    new = statefulset(replicas=2, image="nginx:1.10", strategy="OnDelete")
    old_revision = revision_of(old)
    pods = [pod_of(old, i, revision=old_revision["metadata"]["name"]) for i in range(2)]
    assert deleted_pods(sync(snapshot_of(new, old_revision, *pods), new, NOW)) == []


def test_explains_what_ordered_ready_waits_for() -> None:
    sts = statefulset(replicas=2)
    web0 = pod_of(sts, 0, phase="Pending", ready=False)
    changes = sync(snapshot_of(sts, revision_of(sts), web0), sts, NOW)
    explanation = next(c for c in changes if isinstance(c, SetRuntime))
    assert explanation.value == "web-1 waits for web-0 to be Running and Ready (OrderedReady)"


def test_orphan_matching_pod_is_adopted() -> None:
    sts = statefulset(replicas=1)
    orphan = pod_of(sts, 0)
    del orphan["metadata"]["ownerReferences"]
    changes = sync(snapshot_of(sts, revision_of(sts), orphan), sts, NOW)
    adopted = [c.obj for c in changes if type(c).__name__ == "Update" and c.obj["kind"] == "Pod"]
    assert adopted and adopted[0]["metadata"]["ownerReferences"][0]["uid"] == "uid-web"
    assert created_pods(changes) == []


def test_max_unavailable_replaces_several_pods_at_once() -> None:
    old = statefulset(replicas=4)
    new = statefulset(replicas=4, image="nginx:1.10")
    new["spec"]["updateStrategy"]["rollingUpdate"] = {"partition": 0, "maxUnavailable": 2}
    old_revision = revision_of(old)
    pods = [pod_of(old, i, revision=old_revision["metadata"]["name"]) for i in range(4)]
    changes = sync(snapshot_of(new, old_revision, *pods), new, NOW)
    assert deleted_pods(changes) == ["web-3", "web-2"]


def test_max_unavailable_counts_pods_already_down() -> None:
    old = statefulset(replicas=4, policy="Parallel")
    new = statefulset(replicas=4, image="nginx:1.10", policy="Parallel")
    new["spec"]["updateStrategy"]["rollingUpdate"] = {"partition": 0, "maxUnavailable": "50%"}
    old_revision = revision_of(old)
    pods = [pod_of(old, i, revision=old_revision["metadata"]["name"]) for i in range(3)]
    pods.append(
        pod_of(old, 3, revision=old_revision["metadata"]["name"], phase="Pending", ready=False)
    )
    changes = sync(snapshot_of(new, old_revision, *pods), new, NOW)
    assert deleted_pods(changes) == ["web-3"]  # 2 allowed, 1 already down: one more goes
