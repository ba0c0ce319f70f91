"""InterPodAffinity over plain data: required affinity and anti-affinity, the pod's own and the
placed pods', namespaces and namespaceSelector, and the scores of preferred terms."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import scheduler_affinity as interpod
from kubesim.controllers.scheduler_filters import NodeFacts

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"


def node(name: str, zone: str | None = None) -> NodeFacts:
    labels = {HOST: name, **({ZONE: zone} if zone else {})}
    return NodeFacts.of({"metadata": {"name": name, "labels": labels}, "spec": {}, "status": {}})


NODES = {n.name: n for n in (node("a", "east"), node("b", "east"), node("c", "west"))}


def term(labels: dict[str, str], key: str = HOST, **extra: Any) -> dict[str, Any]:
    return {"labelSelector": {"matchLabels": labels}, "topologyKey": key, **extra}


def pod(labels: dict[str, str], namespace: str = "default", **affinity: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "namespace": namespace, "labels": labels},
        "spec": {"affinity": affinity},
    }


def required(*terms: dict[str, Any]) -> dict[str, Any]:
    return {"requiredDuringSchedulingIgnoredDuringExecution": list(terms)}


def preferred(*weighted: tuple[int, dict[str, Any]]) -> dict[str, Any]:
    return {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": w, "podAffinityTerm": t} for w, t in weighted]}  # fmt: skip


def no_labels(namespace: str) -> dict[str, str]:
    return {"team": "blue"} if namespace == "blue" else {}


def verdicts(
    p: dict[str, Any],
    placed: list[tuple[str, str, dict[str, str], int]],
    with_affinity: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
) -> dict[str, str | None]:
    terms = interpod.Terms.of(p["metadata"]["namespace"], p["spec"]["affinity"])
    state = interpod.prefilter(p, terms, NODES, lambda: placed, list(with_affinity), no_labels)
    if state is None:
        return dict.fromkeys(NODES)
    return {name: (r.reasons[0] if (r := state.refuse(n)) else None) for name, n in NODES.items()}


def test_anti_affinity_keeps_replicas_apart() -> None:
    store = pod({"app": "store"}, podAntiAffinity=required(term({"app": "store"})))
    placed = [("a", "default", {"app": "store"}, 1)]
    assert verdicts(store, placed) == {
        "a": "node(s) didn't match pod anti-affinity rules", "b": None, "c": None,
    }  # fmt: skip


def test_affinity_needs_a_matching_pod_in_the_topology() -> None:
    web = pod({"app": "web"}, podAffinity=required(term({"app": "store"}, ZONE)))
    placed = [("c", "default", {"app": "store"}, 2)]
    rules = "node(s) didn't match pod affinity rules"
    assert verdicts(web, placed) == {"a": rules, "b": rules, "c": None}
    # a pod in another namespace does not count, unless the term names it
    other = [("c", "blue", {"app": "store"}, 1)]
    assert verdicts(web, other) == {"a": rules, "b": rules, "c": rules}
    named = pod({"app": "web"}, podAffinity=required(term({"app": "store"}, ZONE,
                                                          namespaces=["blue"])))  # fmt: skip
    assert verdicts(named, other)["c"] is None
    selected = pod({"app": "web"}, podAffinity=required(term(
        {"app": "store"}, ZONE, namespaceSelector={"matchLabels": {"team": "blue"}})))  # fmt: skip
    assert verdicts(selected, other)["c"] is None


def test_the_first_of_a_self_attracting_group_may_go_anywhere_with_the_key() -> None:
    group = pod({"app": "g"}, podAffinity=required(term({"app": "g"}, ZONE)))
    assert verdicts(group, []) == {"a": None, "b": None, "c": None}
    without_zone = {"d": node("d")}
    terms = interpod.Terms.of("default", group["spec"]["affinity"])
    state = interpod.prefilter(group, terms, without_zone, lambda: [], [], no_labels)
    assert state is not None and state.refuse(without_zone["d"]) == interpod.AFFINITY_RULES
    # a pod that does not match its own terms has no such pass
    other = pod({"app": "h"}, podAffinity=required(term({"app": "g"}, ZONE)))
    assert set(verdicts(other, []).values()) == {"node(s) didn't match pod affinity rules"}


def test_placed_pods_anti_affinity_keeps_the_pod_out() -> None:
    plain = pod({"app": "web"})
    theirs = {"podAntiAffinity": required(term({"app": "web"}, ZONE))}
    assert verdicts(plain, [], [("a", "default", theirs)]) == {
        "a": "node(s) didn't satisfy existing pods anti-affinity rules",
        "b": "node(s) didn't satisfy existing pods anti-affinity rules",
        "c": None,
    }
    # without any required term anywhere, PreFilter skips
    terms = interpod.Terms.of("default", {})
    assert interpod.prefilter(plain, terms, NODES, lambda: [], [], no_labels) is None


def score(
    p: dict[str, Any],
    placed: list[tuple[str, str, dict[str, str], int]],
    with_affinity: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
) -> list[int] | None:
    terms = interpod.Terms.of(p["metadata"]["namespace"], p["spec"]["affinity"])
    return interpod.scores(
        p, terms, list(NODES.values()), NODES, lambda: placed, list(with_affinity), no_labels
    )


def test_preferred_terms_score_by_weight_normalised_between_min_and_max() -> None:
    p = pod({}, podAffinity=preferred((80, term({"app": "cache"}, ZONE))),
            podAntiAffinity=preferred((20, term({"app": "noisy"}))))  # fmt: skip
    placed = [("a", "default", {"app": "cache"}, 1), ("b", "default", {"app": "noisy"}, 1)]
    # raw: a 80 (east), b 80 - 20, c 0; normalised (s - 0) / 80
    assert score(p, placed) == [100, 75, 0]
    assert score(p, []) is None  # nothing matched: Skip


def test_placed_pods_terms_score_the_incoming_pod() -> None:
    plain = pod({"app": "web"})
    theirs = {
        "podAffinity": required(term({"app": "web"})),  # hardPodAffinityWeight 1
        "podAntiAffinity": preferred((5, term({"app": "web"}, ZONE))),
    }
    # a: 1 - 5, b: -5 (same zone), c: 0
    assert score(plain, [], [("a", "default", theirs)]) == [20, 0, 100]
