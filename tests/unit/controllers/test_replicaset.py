"""The ReplicaSet controller's decisions (replica_set_test.go, controller_utils_test.go)."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.controllers import replicaset as controller
from kubesim.controllers.changes import (
    Create,
    Delete,
    RecordEvent,
    Update,
    UpdateStatus,
    as_if_accepted,
)
from kubesim.controllers.replicaset_utils import pods_to_delete
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState
from tests.factories import NOW, deployment, replica_set_of, rs_pod

Object = dict[str, Any]
RESOURCES = {"Deployment": "deployments.apps", "ReplicaSet": "replicasets.apps", "Pod": "pods"}


def snapshot_of(*objects: Object) -> Snapshot:
    state = ClusterState()
    for obj in objects:
        state.load(RESOURCES[obj["kind"]], obj)
    return Snapshot(state, NOW)


def sync(rs: Object, *pods: Object) -> list[Any]:
    return as_if_accepted(controller.sync(snapshot_of(rs, *pods), rs, NOW))


def rs_with(replicas: int) -> Object:
    return replica_set_of(deployment(replicas=replicas), replicas)


def test_missing_pods_are_created_with_generate_name_and_owner() -> None:
    rs = rs_with(2)
    pods = [c.obj for c in sync(rs) if isinstance(c, Create)]
    name = rs["metadata"]["name"]
    assert len(pods) == 2
    for pod in pods:
        assert pod["metadata"]["generateName"] == f"{name}-"
        assert pod["metadata"]["name"].startswith(f"{name}-")
        assert len(pod["metadata"]["name"]) == len(name) + 6
        owner = pod["metadata"]["ownerReferences"][0]
        assert (owner["kind"], owner["name"], owner["controller"]) == ("ReplicaSet", name, True)
        assert pod["metadata"]["labels"] == rs["spec"]["template"]["metadata"]["labels"]


def test_each_created_pod_gets_a_successful_create_event_naming_it() -> None:
    changes = sync(rs_with(2))
    names = [c.obj["metadata"]["name"] for c in changes if isinstance(c, Create)]
    assert [(c.reason, c.message) for c in changes if isinstance(c, RecordEvent)] == [
        ("SuccessfulCreate", f"Created pod: {name}") for name in names
    ]


def test_surplus_pod_is_deleted_with_an_event() -> None:
    rs = rs_with(1)
    keep = rs_pod(rs, "aaaaa", created=NOW - 3000)
    extra = rs_pod(rs, "bbbbb", created=NOW - 10)
    changes = sync(rs, keep, extra)
    assert [c.name for c in changes if isinstance(c, Delete)] == [extra["metadata"]["name"]]
    assert [c.message for c in changes if isinstance(c, RecordEvent)] == [
        f"Deleted pod: {extra['metadata']['name']}"
    ]


def test_terminating_pods_do_not_count_and_are_replaced() -> None:
    rs = rs_with(1)
    going = rs_pod(rs, "aaaaa")
    going["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert len([c for c in sync(rs, going) if isinstance(c, Create)]) == 1


def test_orphan_pod_matching_the_selector_is_adopted() -> None:
    rs = rs_with(1)
    orphan = rs_pod(rs, "aaaaa")
    del orphan["metadata"]["ownerReferences"]
    changes = sync(rs, orphan)
    adopted = [c.obj for c in changes if isinstance(c, Update)]
    assert adopted[0]["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert not any(isinstance(c, Create) for c in changes)


def test_owned_pod_whose_labels_no_longer_match_is_released() -> None:
    rs = rs_with(1)
    pod = rs_pod(rs, "aaaaa")
    pod["metadata"]["labels"] = {"app": "debug"}
    released = [c.obj for c in sync(rs, pod) if isinstance(c, Update)]
    assert "ownerReferences" not in released[0]["metadata"]


def test_status_counts_active_ready_and_available_pods() -> None:
    rs = rs_with(3)
    rs["status"] = {"replicas": 0}
    pods = [rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb", ready=False), rs_pod(rs, "ccccc")]
    status = next(c.obj["status"] for c in sync(rs, *pods) if isinstance(c, UpdateStatus))
    assert status == {
        "replicas": 3,
        "fullyLabeledReplicas": 3,
        "readyReplicas": 2,
        "availableReplicas": 2,
        "observedGeneration": 1,
    }


def test_status_of_a_replica_set_scaled_to_zero_keeps_replicas_zero() -> None:
    rs = rs_with(0)
    rs["status"] = {"replicas": 2}
    status = next(c.obj["status"] for c in sync(rs) if isinstance(c, UpdateStatus))
    assert status == {"replicas": 0, "observedGeneration": 1}


# --- which pods go first (getPodsToDelete, ActivePodsWithRanks) ----------------------------------


def first_to_delete(*pods: Object) -> str:
    return pods_to_delete(list(pods), list(pods), 1, NOW)[0]["metadata"]["name"]


def test_unscheduled_pod_goes_before_a_scheduled_one() -> None:
    rs = rs_with(2)
    scheduled, unscheduled = rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb", node=None, phase="Pending")
    assert first_to_delete(scheduled, unscheduled) == unscheduled["metadata"]["name"]


def test_pending_pod_goes_before_a_running_one() -> None:
    rs = rs_with(2)
    running, pending = rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb", phase="Pending", ready=False)
    assert first_to_delete(running, pending) == pending["metadata"]["name"]


def test_not_ready_pod_goes_before_a_ready_one() -> None:
    rs = rs_with(2)
    ready, not_ready = rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb", ready=False)
    assert first_to_delete(ready, not_ready) == not_ready["metadata"]["name"]


def test_pod_on_a_crowded_node_goes_first() -> None:
    rs = rs_with(3)
    alone = rs_pod(rs, "aaaaa", node="node-1")
    crowded = [rs_pod(rs, "bbbbb", node="node-2"), rs_pod(rs, "ccccc", node="node-2")]
    assert first_to_delete(alone, *crowded) in {p["metadata"]["name"] for p in crowded}


def test_more_restarts_go_first() -> None:
    rs = rs_with(2)
    steady, flapping = rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb", restarts=4)
    assert first_to_delete(steady, flapping) == flapping["metadata"]["name"]


def test_recently_ready_pod_goes_before_one_ready_for_long() -> None:
    rs = rs_with(2)
    old = rs_pod(rs, "aaaaa", node="node-1", ready_since=NOW - 4000)
    new = rs_pod(rs, "bbbbb", node="node-2", ready_since=NOW - 5)
    assert first_to_delete(old, new) == new["metadata"]["name"]


def test_newer_pod_goes_before_an_older_one() -> None:
    rs = rs_with(2)
    old = rs_pod(rs, "aaaaa", node="node-1", created=NOW - 4000, ready_since=NOW - 4000)
    new = rs_pod(rs, "bbbbb", node="node-2", created=NOW - 5, ready_since=NOW - 4000)
    assert first_to_delete(old, new) == new["metadata"]["name"]


def test_deleting_all_pods_needs_no_ranking() -> None:
    rs = rs_with(2)
    pods = [rs_pod(rs, "aaaaa"), rs_pod(rs, "bbbbb")]
    assert pods_to_delete(pods, pods, 2, NOW) == pods


def test_pods_of_another_owner_are_ignored() -> None:
    rs = rs_with(1)
    other = copy.deepcopy(rs_pod(rs, "aaaaa"))
    other["metadata"]["ownerReferences"][0]["uid"] = "someone-else"
    assert len([c for c in sync(rs, other) if isinstance(c, Create)]) == 1
