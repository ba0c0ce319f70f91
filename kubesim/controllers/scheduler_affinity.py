"""InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity, v1.32): required pod
affinity and anti-affinity filter nodes, the pod's own and those of the pods already placed;
preferred terms, and the required affinity of placed pods (hardPodAffinityWeight 1), score them.

The pods already placed come as `Pods`: (node, namespace, labels, how many) for every label set
of every node, and the podAffinity/podAntiAffinity of the pods that declare some.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.api.selectors import Selector, from_label_selector
from kubesim.controllers.scheduler_filters import NodeFacts, Refusal
from kubesim.controllers.scheduler_scores import MAX_NODE_SCORE

Object = dict[str, Any]
# (node, namespace, labels, how many pods carry them)
Placed = Iterable[tuple[str, str, Mapping[str, str], int]]
# (node, namespace, podAffinity/podAntiAffinity) of each placed pod that declares some
PlacedWithAffinity = Iterable[tuple[str, str, Object]]
NamespaceLabels = Callable[[str], Mapping[str, str]]

AFFINITY_RULES = Refusal(("node(s) didn't match pod affinity rules",))
ANTI_AFFINITY_RULES = Refusal(("node(s) didn't match pod anti-affinity rules",), resolvable=True)
EXISTING_ANTI_AFFINITY = Refusal(
    ("node(s) didn't satisfy existing pods anti-affinity rules",), resolvable=True
)
HARD_POD_AFFINITY_WEIGHT = 1  # InterPodAffinityArgs' default


@dataclass(frozen=True)
class Term:
    """framework.AffinityTerm: which pods a PodAffinityTerm selects, and its topology key."""

    namespaces: frozenset[str]
    namespace_selector: Selector
    selector: Selector
    topology_key: str
    weight: int = 0

    def matches(
        self, namespace: str, labels: Mapping[str, str], ns_labels: NamespaceLabels
    ) -> bool:
        if namespace in self.namespaces or (
            not self.namespace_selector.nothing
            and self.namespace_selector.matches(ns_labels(namespace))
        ):
            return self.selector.matches(labels)
        return False


def term(namespace: str, spec: Object, weight: int = 0) -> Term:
    """newAffinityTerm: the term's namespaces, or the pod's own when it names none and has no
    namespaceSelector; a missing selector selects nothing, an empty one everything."""
    stated = spec.get("namespaces") or []
    selector_spec = spec.get("namespaceSelector")
    names = frozenset(stated) if stated or selector_spec is not None else frozenset([namespace])
    return Term(
        names,
        from_label_selector(selector_spec),
        from_label_selector(spec.get("labelSelector")),
        spec.get("topologyKey", ""),
        weight,
    )


@dataclass(frozen=True)
class Terms:
    """A pod's affinity terms (framework.PodInfo)."""

    required_affinity: tuple[Term, ...] = ()
    required_anti: tuple[Term, ...] = ()
    preferred_affinity: tuple[Term, ...] = ()
    preferred_anti: tuple[Term, ...] = ()

    @classmethod
    def of(cls, namespace: str, affinity: Object | None) -> Terms:
        affinity = affinity or {}
        on = affinity.get("podAffinity") or {}
        anti = affinity.get("podAntiAffinity") or {}
        required = "requiredDuringSchedulingIgnoredDuringExecution"
        preferred = "preferredDuringSchedulingIgnoredDuringExecution"

        def weighted(terms: list[Object]) -> tuple[Term, ...]:
            return tuple(
                term(namespace, t.get("podAffinityTerm") or {}, int(t.get("weight", 0)))
                for t in terms
            )

        return cls(
            tuple(term(namespace, t) for t in on.get(required) or []),
            tuple(term(namespace, t) for t in anti.get(required) or []),
            weighted(on.get(preferred) or []),
            weighted(anti.get(preferred) or []),
        )

    def any_required(self) -> bool:
        return bool(self.required_affinity or self.required_anti)

    def any_preferred(self) -> bool:
        return bool(self.preferred_affinity or self.preferred_anti)


Pair = tuple[str, str]  # (topology key, value)


@dataclass
class AffinityFilter:
    """PreFilter's state: topology pairs -> how many placed pods count for each rule."""

    terms: Terms
    pod_matches_own_affinity: bool
    existing_anti: dict[Pair, int] = field(default_factory=dict)
    affinity: dict[Pair, int] = field(default_factory=dict)
    anti: dict[Pair, int] = field(default_factory=dict)

    def refuse(self, node: NodeFacts) -> Refusal | None:
        if not self._satisfies_affinity(node):
            return AFFINITY_RULES
        for t in self.terms.required_anti:
            value = node.labels.get(t.topology_key)
            if value is not None and self.anti.get((t.topology_key, value), 0) > 0:
                return ANTI_AFFINITY_RULES
        if any(self.existing_anti.get(pair, 0) > 0 for pair in node.labels.items()):
            return EXISTING_ANTI_AFFINITY
        return None

    def _satisfies_affinity(self, node: NodeFacts) -> bool:
        """satisfyPodAffinity: each term's topology has a matching pod; or, while no pod in the
        cluster matches, the pod matches its own terms (the first of a group that attracts
        itself) and the node has every topology key."""
        pods_exist = True
        for t in self.terms.required_affinity:
            value = node.labels.get(t.topology_key)
            if value is None:
                return False
            if self.affinity.get((t.topology_key, value), 0) <= 0:
                pods_exist = False
        if pods_exist:
            return True
        return not self.affinity and self.pod_matches_own_affinity


def _add(counts: dict[Pair, int], node: NodeFacts, key: str, amount: int) -> None:
    value = node.labels.get(key)
    if value is not None:
        counts[(key, value)] = counts.get((key, value), 0) + amount


def prefilter(
    pod: Object,
    terms: Terms,
    nodes: Mapping[str, NodeFacts],
    placed: Callable[[], Placed],
    with_affinity: PlacedWithAffinity,
    ns_labels: NamespaceLabels,
) -> AffinityFilter | None:
    """PreFilter: None (Skip) when neither the pod nor any placed pod's required
    anti-affinity has anything to say."""
    namespace = pod["metadata"]["namespace"]
    labels = pod["metadata"].get("labels") or {}
    state = AffinityFilter(
        terms,
        bool(terms.required_affinity)
        and all(t.matches(namespace, labels, ns_labels) for t in terms.required_affinity),
    )
    for node_name, pod_ns, affinity in with_affinity:
        node = nodes.get(node_name)
        if node is None:
            continue
        for t in Terms.of(pod_ns, affinity).required_anti:
            if t.matches(namespace, labels, ns_labels):
                _add(state.existing_anti, node, t.topology_key, 1)
    if terms.any_required():
        for node_name, pod_ns, pod_labels, count in placed():
            node = nodes.get(node_name)
            if node is None:
                continue
            required = terms.required_affinity
            if required and all(t.matches(pod_ns, pod_labels, ns_labels) for t in required):
                for t in required:
                    _add(state.affinity, node, t.topology_key, count)
            for t in terms.required_anti:
                if t.matches(pod_ns, pod_labels, ns_labels):
                    _add(state.anti, node, t.topology_key, count)
    if not state.existing_anti and not terms.any_required():
        return None
    return state


def scores(
    pod: Object,
    terms: Terms,
    feasible: list[NodeFacts],
    nodes: Mapping[str, NodeFacts],
    placed: Callable[[], Placed],
    with_affinity: PlacedWithAffinity,
    ns_labels: NamespaceLabels,
) -> list[int] | None:
    """PreScore, Score and NormalizeScore; None (Skip) when no term of the pod's or of a placed
    pod's matches anything."""
    namespace = pod["metadata"]["namespace"]
    labels = pod["metadata"].get("labels") or {}
    topology: dict[str, dict[str, int]] = {}

    def process(t: Term, weight: int, node: NodeFacts) -> None:
        value = node.labels.get(t.topology_key)
        if value is not None:
            values = topology.setdefault(t.topology_key, {})
            values[value] = values.get(value, 0) + weight

    if terms.any_preferred():
        # the pod's preferred terms against every placed pod
        for node_name, pod_ns, pod_labels, count in placed():
            node = nodes.get(node_name)
            if node is None:
                continue
            for t in terms.preferred_affinity:
                if t.matches(pod_ns, pod_labels, ns_labels):
                    process(t, t.weight * count, node)
            for t in terms.preferred_anti:
                if t.matches(pod_ns, pod_labels, ns_labels):
                    process(t, -t.weight * count, node)
    # the terms of placed pods against this pod
    for node_name, pod_ns, affinity in with_affinity:
        node = nodes.get(node_name)
        if node is None:
            continue
        theirs = Terms.of(pod_ns, affinity)
        for t in theirs.required_affinity:
            if t.matches(namespace, labels, ns_labels):
                process(t, HARD_POD_AFFINITY_WEIGHT, node)
        for t in theirs.preferred_affinity:
            if t.matches(namespace, labels, ns_labels):
                process(t, t.weight, node)
        for t in theirs.preferred_anti:
            if t.matches(namespace, labels, ns_labels):
                process(t, -t.weight, node)
    if not topology:
        return None
    raw = [
        sum(
            values.get(node.labels[key], 0)
            for key, values in topology.items()
            if key in node.labels
        )
        for node in feasible
    ]
    lowest, highest = min(raw), max(raw)
    if highest - lowest <= 0:
        return [0] * len(raw)
    return [int(MAX_NODE_SCORE * ((s - lowest) / (highest - lowest))) for s in raw]
