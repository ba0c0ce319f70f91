"""The Deployment controller's decisions, one behaviour per test (sync_test.go, rolling_test.go,
recreate_test.go, progress_test.go)."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.controllers import deployment as controller
from kubesim.controllers import deployment_utils as util
from kubesim.controllers.changes import Create, Delete, RecordEvent, Update, UpdateStatus
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


def sync(*objects: Object) -> list[Any]:
    d = next(o for o in objects if o["kind"] == "Deployment")
    return controller.sync(snapshot_of(*objects), d, NOW)


def events(changes: list[Any]) -> list[str]:
    return [c.message for c in changes if isinstance(c, RecordEvent)]


def scaled(changes: list[Any]) -> dict[str, int]:
    """Replica sets written by the sync, by name, with their new spec.replicas."""
    return {
        c.obj["metadata"]["name"]: c.obj["spec"]["replicas"]
        for c in changes
        if isinstance(c, Create | Update) and c.obj["kind"] == "ReplicaSet"
    }


def status_of(changes: list[Any]) -> Object:
    return next(c.obj["status"] for c in changes if isinstance(c, UpdateStatus))


def with_image(d: Object, image: str, generation: int = 2) -> Object:
    d = copy.deepcopy(d)
    d["spec"]["template"]["spec"]["containers"][0]["image"] = image
    d["metadata"]["generation"] = generation
    return d


# --- the first sync ------------------------------------------------------------------------------


def test_first_sync_creates_the_replica_set_named_after_the_template_hash() -> None:
    d = deployment()
    created = [c.obj for c in sync(d) if isinstance(c, Create)]
    pod_template_hash = util.compute_hash(d["spec"]["template"], None)
    assert [rs["metadata"]["name"] for rs in created] == [f"nginx-{pod_template_hash}"]


def test_new_replica_set_carries_the_hash_label_in_labels_selector_and_template() -> None:
    d = deployment()
    rs = next(c.obj for c in sync(d) if isinstance(c, Create))
    h = util.compute_hash(d["spec"]["template"], None)
    assert rs["metadata"]["labels"] == {"app": "nginx", "pod-template-hash": h}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "nginx", "pod-template-hash": h}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "nginx", "pod-template-hash": h}


def test_new_replica_set_gets_revision_and_replica_annotations_and_owner() -> None:
    rs = next(c.obj for c in sync(deployment(replicas=3)) if isinstance(c, Create))
    assert rs["metadata"]["annotations"] == {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
        "deployment.kubernetes.io/revision": "1",
    }
    owner = rs["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"]) == ("Deployment", "nginx", True)


def test_first_sync_scales_the_new_replica_set_to_full_size_with_an_event() -> None:
    d = deployment(replicas=3)
    changes = sync(d)
    name = next(c.obj for c in changes if isinstance(c, Create))["metadata"]["name"]
    assert scaled(changes) == {name: 3}
    assert events(changes) == [f"Scaled up replica set {name} from 0 to 3"]


def test_first_sync_sets_the_revision_annotation_on_the_deployment() -> None:
    changes = sync(deployment())
    update = next(c.obj for c in changes if isinstance(c, Update) and c.obj["kind"] == "Deployment")
    assert update["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}


def test_first_sync_reports_progressing_and_not_yet_available() -> None:
    changes = sync(deployment())
    name = next(c.obj for c in changes if isinstance(c, Create))["metadata"]["name"]
    conditions = {c["type"]: c for c in status_of(changes)["conditions"]}
    assert (conditions["Progressing"]["reason"], conditions["Progressing"]["message"]) == (
        "NewReplicaSetCreated",
        f'Created new replica set "{name}"',
    )
    assert (conditions["Available"]["status"], conditions["Available"]["message"]) == (
        "False",
        "Deployment does not have minimum availability.",
    )


# --- rolling update ------------------------------------------------------------------------------


def test_template_change_creates_the_new_replica_set_with_max_surge_replicas() -> None:
    old = deployment(replicas=3)
    old_rs = replica_set_of(old, 3)
    d = with_image(old, "nginx:1.16.1")
    changes = sync(d, old_rs)
    new_name = next(c.obj for c in changes if isinstance(c, Create))["metadata"]["name"]
    # 25% of 3 rounds up to a surge of 1 and down to 0 unavailable
    assert scaled(changes) == {new_name: 1}
    assert events(changes) == [f"Scaled up replica set {new_name} from 0 to 1"]


def test_new_replica_set_revision_follows_the_old_ones() -> None:
    old = deployment()
    d = with_image(old, "nginx:1.16.1")
    rs = next(c.obj for c in sync(d, replica_set_of(old, 3, revision=4)) if isinstance(c, Create))
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "5"


def test_old_replica_set_waits_while_the_new_pod_is_unavailable() -> None:
    old = deployment(replicas=3)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 3)
    new_rs = replica_set_of(d, 1, revision=2, image="nginx:1.16.1", available=0, created=NOW)
    assert scaled(sync(d, old_rs, new_rs)) == {}


def test_old_replica_set_scales_down_once_the_new_pod_is_available() -> None:
    old = deployment(replicas=3)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 3)
    new_rs = replica_set_of(d, 1, revision=2, image="nginx:1.16.1", created=NOW)
    changes = sync(d, old_rs, new_rs)
    assert scaled(changes) == {old_rs["metadata"]["name"]: 2}
    assert events(changes) == [f"Scaled down replica set {old_rs['metadata']['name']} from 3 to 2"]


def test_new_replica_set_scales_up_as_old_pods_go() -> None:
    old = deployment(replicas=3)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 2)
    new_rs = replica_set_of(d, 1, revision=2, image="nginx:1.16.1", created=NOW)
    changes = sync(d, old_rs, new_rs)
    assert scaled(changes) == {new_rs["metadata"]["name"]: 2}
    assert events(changes) == [f"Scaled up replica set {new_rs['metadata']['name']} from 1 to 2"]


def test_max_unavailable_lets_old_pods_go_before_new_ones_are_ready() -> None:
    old = deployment(replicas=4, max_surge=0, max_unavailable=2)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 4)
    new_rs = replica_set_of(d, 0, revision=2, image="nginx:1.16.1", created=NOW)
    # no surge: the new set cannot grow, but two old pods may be unavailable
    assert scaled(sync(d, old_rs, new_rs)) == {old_rs["metadata"]["name"]: 2}


def test_integer_max_surge_creates_that_many_new_pods() -> None:
    old = deployment(replicas=10, max_surge=3, max_unavailable=2)
    d = with_image(old, "nginx:1.16.1")
    changes = sync(d, replica_set_of(old, 10))
    new_name = next(c.obj for c in changes if isinstance(c, Create))["metadata"]["name"]
    assert scaled(changes)[new_name] == 3


def test_unhealthy_old_replicas_are_cleaned_up_first() -> None:
    old = deployment(replicas=3)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 3, available=1)  # two old pods are not available
    new_rs = replica_set_of(d, 1, revision=2, image="nginx:1.16.1", created=NOW)
    # allPods 4 - minAvailable 3 - newUnavailable 0: one may go, an unavailable one
    assert scaled(sync(d, old_rs, new_rs)) == {old_rs["metadata"]["name"]: 2}


def test_rollout_completes_with_new_replica_set_available_condition() -> None:
    d = deployment(replicas=3)
    rs = replica_set_of(d, 3)
    d["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "1"}
    conditions = {c["type"]: c for c in status_of(sync(d, rs))["conditions"]}
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    assert conditions["Progressing"]["message"] == (
        f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.'
    )
    assert conditions["Available"]["message"] == "Deployment has minimum availability."


def test_status_counts_replicas_from_the_replica_sets() -> None:
    old = deployment(replicas=3)
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 2)
    new_rs = replica_set_of(d, 2, revision=2, image="nginx:1.16.1", available=1, created=NOW)
    status = status_of(sync(d, old_rs, new_rs))
    assert {k: v for k, v in status.items() if k != "conditions"} == {
        "observedGeneration": 2,
        "replicas": 4,
        "updatedReplicas": 2,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "unavailableReplicas": 1,
    }


# --- recreate ---------------------------------------------------------------------------------------


def test_recreate_scales_old_replica_sets_to_zero_first() -> None:
    old = deployment(replicas=3, strategy="Recreate")
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 3)
    changes = sync(d, old_rs)
    assert scaled(changes) == {old_rs["metadata"]["name"]: 0}
    assert not any(isinstance(c, Create) for c in changes)


def test_recreate_waits_for_old_pods_to_be_gone() -> None:
    old = deployment(replicas=3, strategy="Recreate")
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 0)
    old_rs["status"] = {"replicas": 0, "observedGeneration": 1}
    terminating = rs_pod(old_rs, "abcde")
    terminating["metadata"]["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    assert not any(isinstance(c, Create) for c in sync(d, old_rs, terminating))


def test_recreate_creates_the_new_replica_set_at_full_size_when_old_pods_are_gone() -> None:
    old = deployment(replicas=3, strategy="Recreate")
    d = with_image(old, "nginx:1.16.1")
    old_rs = replica_set_of(old, 0)
    old_rs["status"] = {"replicas": 0, "observedGeneration": 1}
    changes = sync(d, old_rs)
    new_name = next(c.obj for c in changes if isinstance(c, Create))["metadata"]["name"]
    assert scaled(changes) == {new_name: 3}


# --- scaling and history ------------------------------------------------------------------------


def test_scaling_event_resizes_the_only_active_replica_set() -> None:
    d = deployment(replicas=5)
    rs = replica_set_of(deployment(replicas=3), 3)
    changes = sync(d, rs)
    assert scaled(changes) == {rs["metadata"]["name"]: 5}
    assert events(changes) == [f"Scaled up replica set {rs['metadata']['name']} from 3 to 5"]


def test_scaling_during_a_rollout_is_proportional() -> None:
    old = deployment(replicas=10, max_surge=3, max_unavailable=2)
    d = with_image(old, "nginx:1.16.1")
    d["spec"]["replicas"] = 20
    old_rs = replica_set_of(old, 8)
    new_rs = replica_set_of(d, 5, revision=2, image="nginx:1.16.1", available=0, created=NOW)
    old_rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] = "13"
    new_rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] = "10"
    new_rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] = "13"
    # 20 + surge 3 = 23 allowed, 13 there: 10 more, shared by size (8*23/13 and 5*23/13)
    assert scaled(sync(d, old_rs, new_rs)) == {
        old_rs["metadata"]["name"]: 14,
        new_rs["metadata"]["name"]: 9,
    }


def test_old_replica_sets_beyond_revision_history_limit_are_deleted() -> None:
    d = deployment(replicas=1)
    d["spec"]["revisionHistoryLimit"] = 1
    # cleanup happens once the rollout is complete
    d["status"] = {
        "observedGeneration": 1,
        "replicas": 1,
        "updatedReplicas": 1,
        "availableReplicas": 1,
    }
    current = replica_set_of(d, 1, revision=3)
    olds = []
    for number, image in ((1, "nginx:1.1"), (2, "nginx:1.2")):
        rs = replica_set_of(d, 0, revision=number, image=image, created=NOW - 100 + number)
        rs["status"] = {"replicas": 0, "observedGeneration": 1}
        olds.append(rs)
    deleted = [c.name for c in sync(d, current, *olds) if isinstance(c, Delete)]
    assert deleted == [olds[0]["metadata"]["name"]]
