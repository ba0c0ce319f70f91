"""PodTopologySpread over plain data: the topology spread constraints page's examples, minDomains,
the inclusion policies, matchLabelKeys and the scoring of the system defaults."""

from __future__ import annotations

from typing import Any

from kubesim.api.selectors import Selector, from_labels
from kubesim.controllers import scheduler_spread as spread
from kubesim.controllers.scheduler_filters import NodeFacts

FOO = {"foo": "bar"}


def node(name: str, zone: str | None = None, **spec: Any) -> NodeFacts:
    labels = {"kubernetes.io/hostname": name, "node": name}
    if zone:
        labels["zone"] = zone
    return NodeFacts.of({"metadata": {"name": name, "labels": labels}, "spec": spec, "status": {}})


def pod(*constraints: dict[str, Any], labels: dict[str, str] = FOO, **spec: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "mypod", "namespace": "default", "labels": labels},
        "spec": {"topologySpreadConstraints": list(constraints), **spec},
    }


def constraint(key: str, skew: int = 1, **extra: Any) -> dict[str, Any]:
    return {"maxSkew": skew, "topologyKey": key, "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": FOO}, **extra}  # fmt: skip


def counter(on: dict[str, int]) -> spread.Counts:
    """Every selector counts the pods of `on` (node -> foo=bar pods)."""
    return lambda selector: on


CLUSTER = [node("node1", "zoneA"), node("node2", "zoneA"), node("node3", "zoneB"),
           node("node4", "zoneB")]  # fmt: skip
PLACED = {"node1": 1, "node2": 1, "node3": 1}


def feasible(p: dict[str, Any], nodes: list[NodeFacts], on: dict[str, int]) -> list[str]:
    found = spread.constraints(p, spread.DO_NOT_SCHEDULE, Selector)
    state = spread.prefilter(p, found, nodes, counter(on))
    assert state is not None
    return [n.name for n in nodes if state.refuse(p["metadata"]["labels"], n) is None]


def test_one_constraint_sends_the_pod_to_the_emptier_zone() -> None:
    assert feasible(pod(constraint("zone")), CLUSTER, PLACED) == ["node3", "node4"]
    # maxSkew 2 lets it into zoneA as well
    assert feasible(pod(constraint("zone", 2)), CLUSTER, PLACED) == [n.name for n in CLUSTER]


def test_two_constraints_are_anded() -> None:
    assert feasible(pod(constraint("zone"), constraint("node")), CLUSTER, PLACED) == ["node4"]


def test_conflicting_constraints_leave_the_pod_pending() -> None:
    nodes = [node("node1", "zoneA"), node("node2", "zoneA"), node("node3", "zoneB")]
    placed = {"node1": 2, "node2": 1, "node3": 2}
    assert feasible(pod(constraint("zone"), constraint("node")), nodes, placed) == []
    p = pod(constraint("zone"))
    state = spread.prefilter(p, spread.constraints(p, "DoNotSchedule", Selector), nodes,
                             counter(placed))  # fmt: skip
    assert state is not None
    refusal = state.refuse(FOO, nodes[0])
    assert refusal == spread.SKEW_TOO_BIG and refusal.resolvable
    assert refusal.reasons == ("node(s) didn't match pod topology spread constraints",)


def test_a_node_without_the_topology_key_is_refused_for_good() -> None:
    p = pod(constraint("zone"))
    state = spread.prefilter(p, spread.constraints(p, "DoNotSchedule", Selector), CLUSTER,
                             counter(PLACED))  # fmt: skip
    assert state is not None
    refusal = state.refuse(FOO, node("kubesim-worker"))
    assert refusal is not None and not refusal.resolvable
    assert refusal.reasons == (
        "node(s) didn't match pod topology spread constraints (missing required label)",
    )


def test_node_affinity_keeps_a_zone_out_of_the_count() -> None:
    nodes = [*CLUSTER, node("node5", "zoneC")]
    p = pod(constraint("zone"))
    # zoneC, empty, is the global minimum: only it can take the pod
    assert feasible(p, nodes, PLACED) == ["node5"]
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [
            {"key": "zone", "operator": "NotIn", "values": ["zoneC"]}]}]}}}  # fmt: skip
    # with nodeAffinityPolicy Honor (the default) zoneC does not count; node5 fails NodeAffinity
    assert feasible(pod(constraint("zone"), affinity=affinity), nodes, PLACED) == [
        "node3", "node4", "node5",
    ]  # fmt: skip
    ignore = pod(constraint("zone", nodeAffinityPolicy="Ignore"), affinity=affinity)
    assert feasible(ignore, nodes, PLACED) == ["node5"]


def test_node_taints_policy_honor_leaves_out_tainted_nodes() -> None:
    taint = [{"key": "dedicated", "effect": "NoSchedule"}]
    nodes = [node("node1", "zoneA"), node("node3", "zoneB"), node("node5", "zoneC", taints=taint)]
    placed = {"node1": 1, "node3": 1}
    assert feasible(pod(constraint("zone")), nodes, placed) == ["node5"]
    honor = pod(constraint("zone", nodeTaintsPolicy="Honor"))
    assert feasible(honor, nodes, placed) == ["node1", "node3", "node5"]


def test_min_domains_makes_the_global_minimum_zero_while_domains_are_missing() -> None:
    nodes = [node("node1", "zoneA"), node("node3", "zoneB")]
    placed = {"node1": 1, "node3": 1}
    assert feasible(pod(constraint("zone")), nodes, placed) == ["node1", "node3"]
    assert feasible(pod(constraint("zone", minDomains=3)), nodes, placed) == []


def test_match_label_keys_add_the_pods_values_to_the_selector() -> None:
    p = pod(constraint("zone", matchLabelKeys=["pod-template-hash", "absent"]),
            labels={"foo": "bar", "pod-template-hash": "abc"})  # fmt: skip
    (found,) = spread.constraints(p, spread.DO_NOT_SCHEDULE, Selector)
    assert found.selector.matches({"foo": "bar", "pod-template-hash": "abc"})
    assert not found.selector.matches({"foo": "bar", "pod-template-hash": "old"})


def test_the_system_defaults_apply_to_a_pod_something_selects() -> None:
    p = {"metadata": {"labels": {"app": "web"}}, "spec": {}}
    defaults = spread.constraints(p, spread.SCHEDULE_ANYWAY, lambda: from_labels({"app": "web"}))
    assert [(c.topology_key, c.max_skew) for c in defaults] == [
        ("kubernetes.io/hostname", 3),
        ("topology.kubernetes.io/zone", 5),
    ]
    assert spread.constraints(p, spread.DO_NOT_SCHEDULE, lambda: from_labels({"app": "web"})) == []
    assert spread.constraints(p, spread.SCHEDULE_ANYWAY, Selector) == []  # nothing selects it


def test_default_spreading_scores_the_node_with_fewer_matching_pods_higher() -> None:
    p = {"metadata": {"labels": {"app": "web"}}, "spec": {}}
    found = spread.constraints(p, spread.SCHEDULE_ANYWAY, lambda: from_labels({"app": "web"}))
    workers = [node("a"), node("b")]  # no zone: only hostname spreading counts
    # raw: round(2 * ln(4) + 2) = 5 and round(0 + 2) = 2; normalised 100 * (5 + 2 - s) / 5
    assert spread.scores(p, found, workers, workers, counter({"a": 2})) == [40, 100]
    assert spread.scores(p, found, workers, workers, counter({})) == [100, 100]
    assert spread.scores(p, [], workers, workers, counter({})) is None  # Skip


def test_soft_constraints_of_the_pod_ignore_nodes_without_their_keys() -> None:
    soft = {**constraint("zone"), "whenUnsatisfiable": "ScheduleAnyway"}
    p = pod(soft)
    found = spread.constraints(p, spread.SCHEDULE_ANYWAY, Selector)
    nodes = [node("node1", "zoneA"), node("node3", "zoneB"), node("bare")]
    # zones weigh ln(2 + 2); zoneA holds 2: round(2 * 1.386) = 3, zoneB 0; bare is ignored
    assert spread.scores(p, found, nodes, nodes, counter({"node1": 2})) == [0, 100, 0]
