"""The scheduler's filters and its unschedulable message, with hand-built objects."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import scheduler
from kubesim.controllers.changes import Bind, RecordEvent, UpdateStatus
from kubesim.controllers.snapshot import Snapshot
from kubesim.engine.bootstrap import NODES, node
from kubesim.store.state import ClusterState

NOW = 1_000_000.0


def snapshot_with(*objects: tuple[str, dict[str, Any]]) -> Snapshot:
    state = ClusterState()
    for resource, obj in objects:
        state.load(resource, obj)
    return Snapshot(state, NOW, seed=1)


def nodes() -> list[tuple[str, dict[str, Any]]]:
    return [("nodes", node(name, ip, cidr, cp, NOW)) for name, ip, cidr, cp in NODES]


def pod(name: str = "p", **spec: Any) -> tuple[str, dict[str, Any]]:
    return ("pods", {
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
        "status": {"phase": "Pending"},
    })  # fmt: skip


def test_binds_to_a_worker_never_the_tainted_control_plane() -> None:
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod()), NOW)
    bind = next(c for c in changes if isinstance(c, Bind))
    assert bind.node in ("kubesim-worker", "kubesim-worker2")
    event = next(c for c in changes if isinstance(c, RecordEvent))
    assert event.message == f"Successfully assigned default/p to {bind.node}"


def test_spreads_pods_over_the_workers() -> None:
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod("a"), pod("b")), NOW)
    assert sorted(c.node for c in changes if isinstance(c, Bind)) == [
        "kubesim-worker",
        "kubesim-worker2",
    ]


def test_tolerating_the_taint_allows_the_control_plane() -> None:
    toleration = [
        {
            "key": "node-role.kubernetes.io/control-plane",
            "operator": "Exists",
            "effect": "NoSchedule",
        }
    ]
    selector = {"kubernetes.io/hostname": "kubesim-control-plane"}
    changes = scheduler.reconcile(
        snapshot_with(*nodes(), pod(tolerations=toleration, nodeSelector=selector)), NOW
    )
    assert [c.node for c in changes if isinstance(c, Bind)] == ["kubesim-control-plane"]


def test_unschedulable_pods_get_the_schedulers_reasons() -> None:
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod(nodeSelector={"disk": "ssd"})), NOW)
    condition = next(c for c in changes if isinstance(c, UpdateStatus)).obj["status"]["conditions"][
        0
    ]
    assert condition["reason"] == "Unschedulable"
    assert condition["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling."
    )


def test_a_missing_claim_makes_the_pod_unschedulable() -> None:
    volumes = [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}]
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod(volumes=volumes)), NOW)
    message = next(c for c in changes if isinstance(c, RecordEvent)).message
    assert message.startswith(
        '0/3 nodes are available: persistentvolumeclaim "www-web-0" not found.'
    )


def affinity(*terms: dict[str, Any]) -> dict[str, Any]:
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": list(terms)}
        }
    }


def test_required_node_affinity_by_label_and_by_name() -> None:
    by_label = affinity(
        {
            "matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": ["kubesim-worker2"]}
            ]
        }  # fmt: skip
    )
    by_name = affinity(
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["kubesim-worker"]}]}
    )
    changes = scheduler.reconcile(
        snapshot_with(*nodes(), pod("a", affinity=by_label), pod("b", affinity=by_name)), NOW
    )
    assert {c.name: c.node for c in changes if isinstance(c, Bind)} == {
        "a": "kubesim-worker2",
        "b": "kubesim-worker",
    }


def test_affinity_terms_are_alternatives_and_an_empty_term_matches_nothing() -> None:
    terms = affinity(
        {},
        {"matchExpressions": [{"key": "disk", "operator": "Exists"}]},
        {
            "matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "NotIn", "values": ["kubesim-worker"]}
            ]
        },  # fmt: skip
    )
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod(affinity=terms)), NOW)
    assert [c.node for c in changes if isinstance(c, Bind)] == ["kubesim-worker2"]
    nowhere = affinity({"matchExpressions": [{"key": "disk", "operator": "Exists"}]})
    changes = scheduler.reconcile(snapshot_with(*nodes(), pod(affinity=nowhere)), NOW)
    status = next(c for c in changes if isinstance(c, UpdateStatus)).obj["status"]
    assert (
        "2 node(s) didn't match Pod's node affinity/selector" in status["conditions"][0]["message"]
    )


def requesting(name: str, **requests: str) -> tuple[str, dict[str, Any]]:
    resource, obj = pod(name)
    obj["spec"]["containers"][0]["resources"] = {"requests": requests}
    return resource, obj


def test_a_pod_asking_more_than_a_node_has_left_is_not_placed_there() -> None:
    # each worker has 2 CPUs; a 1500m pod fills one, so the next 1500m pod must go to the other
    changes = scheduler.reconcile(
        snapshot_with(*nodes(), requesting("a", cpu="1500m"), requesting("b", cpu="1500m")), NOW
    )
    assert sorted(c.node for c in changes if isinstance(c, Bind)) == [
        "kubesim-worker",
        "kubesim-worker2",
    ]


def test_insufficient_resources_leave_room_for_preemption_in_the_message() -> None:
    changes = scheduler.reconcile(
        snapshot_with(*nodes(), requesting("big", cpu="3", memory="9Gi")), NOW
    )
    condition = next(c for c in changes if isinstance(c, UpdateStatus)).obj["status"]["conditions"][
        0
    ]
    assert condition["message"] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 Insufficient cpu, 2 Insufficient memory. preemption: 0/3 nodes are available: "
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    )


def many_workers(count: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("nodes", node(f"w{i:02}", f"172.18.1.{i}", f"10.244.{i + 10}.0/24", False, NOW))
        for i in range(count)
    ]


def test_a_large_cluster_keeps_the_best_scores_and_names_few_refused_nodes() -> None:
    from kubesim.controllers.changes import SetRuntime
    from kubesim.controllers.scheduler_cache import PODS_SECTION
    from kubesim.printers import why

    placed = pod("p", nodeSelector={"kubernetes.io/hostname": "w00"})
    spread = pod("q")
    changes = scheduler.reconcile(snapshot_with(*many_workers(30), placed, spread), NOW)
    records = {c.key: c.value for c in changes if isinstance(c, SetRuntime)
               and c.section == PODS_SECTION}  # fmt: skip
    only = records["default/p"]["scores"]
    assert only["count"] == 1 and only["refused"] == {
        "node(s) didn't match Pod's node affinity/selector": [
            29, ["w01", "w02", "w03", "w04", "w05", "w06", "w07", "w08", "w09", "w10"],
        ],
    }  # fmt: skip
    scores = records["default/q"]["scores"]
    assert scores["count"] == 30 and len(scores["nodes"]) == 5
    assert scores["nodes"][0][0] == scores["node"] != "w00"  # w00 holds p, assumed before q
    bound = {**spread[1], "spec": {**spread[1]["spec"], "nodeName": scores["node"]}}
    lines = why.scheduler_record(bound, records["default/q"])
    assert lines[0] == (
        f"  scheduled on {scores['node']}, the highest total of 30 feasible nodes (each plugin "
        "scores a node 0-100, times its weight):"
    )
    assert "    (the 5 highest of 30 feasible nodes)" in lines
    pinned = {**placed[1], "spec": {**placed[1]["spec"], "nodeName": "w00"}}
    assert why.scheduler_record(pinned, records["default/p"])[1] == (
        "  not feasible: w01, w02, w03, w04, w05, w06, w07, w08, w09, w10 and 19 more: node(s) "
        "didn't match Pod's node affinity/selector"
    )
