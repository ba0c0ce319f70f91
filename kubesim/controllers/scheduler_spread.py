"""PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread, v1.32): the pod's
topologySpreadConstraints, or, for a pod without any that a Service, ReplicaSet, StatefulSet or
ReplicationController selects, the system defaults (spread over hostnames with maxSkew 3 and
over zones with maxSkew 5, ScheduleAnyway). DoNotSchedule constraints filter nodes; ScheduleAnyway
ones score them.

Counting is done by the caller (`counts`: node -> the pods of the pod's namespace that match a
selector, terminating ones left out), so that these stay plain functions.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kubesim.api.selectors import EQUALS, Requirement, Selector, from_label_selector
from kubesim.controllers.scheduler_filters import (
    NodeFacts,
    Refusal,
    matches_required_affinity,
    tolerates,
)
from kubesim.controllers.scheduler_scores import MAX_NODE_SCORE

Object = dict[str, Any]
Counts = Callable[[Selector], Mapping[str, int]]

HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
DO_NOT_SCHEDULE, SCHEDULE_ANYWAY = "DoNotSchedule", "ScheduleAnyway"
CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
NODE_LABEL_NOT_MATCH = Refusal((CONSTRAINTS_NOT_MATCH + " (missing required label)",))
SKEW_TOO_BIG = Refusal((CONSTRAINTS_NOT_MATCH,), resolvable=True)
# systemDefaultConstraints (DefaultingType SystemDefaulting, the default)
SYSTEM_DEFAULTS = ((HOSTNAME, 3), (ZONE, 5))


@dataclass(frozen=True)
class Constraint:
    max_skew: int
    topology_key: str
    selector: Selector
    min_domains: int = 1
    honor_node_affinity: bool = True  # nodeAffinityPolicy: Honor (the default)
    honor_node_taints: bool = False  # nodeTaintsPolicy: Ignore (the default)

    def includes(self, spec: Object, node: NodeFacts) -> bool:
        """matchNodeInclusionPolicies: whether the node's domain counts at all."""
        if self.honor_node_affinity and not matches_required_affinity(
            spec, node.labels, node.fields
        ):
            return False
        if self.honor_node_taints:
            tolerations = spec.get("tolerations") or []
            for taint in node.taints:
                if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(
                    tolerates(t, taint) for t in tolerations
                ):
                    return False
        return True


def constraints(
    pod: Object, action: str, default_selector: Callable[[], Selector]
) -> list[Constraint]:
    """The pod's constraints with `whenUnsatisfiable: action` (filterTopologySpreadConstraints),
    its matchLabelKeys' values added to the selector; for a pod without constraints, the system
    defaults with the selector of what selects the pod (buildDefaultConstraints)."""
    spec = pod["spec"]
    stated = spec.get("topologySpreadConstraints") or []
    if not stated:
        if action != SCHEDULE_ANYWAY:
            return []
        selector = default_selector()
        if not selector.requirements or selector.nothing:
            return []
        return [Constraint(skew, key, selector) for key, skew in SYSTEM_DEFAULTS]
    labels = pod["metadata"].get("labels") or {}
    found = []
    for c in stated:
        if c.get("whenUnsatisfiable", DO_NOT_SCHEDULE) != action:
            continue
        selector = from_label_selector(c.get("labelSelector"))
        keys = [k for k in c.get("matchLabelKeys") or [] if k in labels]
        if keys:  # mergeLabelSetWithSelector
            added = tuple(Requirement(k, EQUALS, (labels[k],)) for k in keys)
            selector = Selector(added + selector.requirements, selector.nothing)
        found.append(
            Constraint(
                max_skew=int(c.get("maxSkew", 1)),
                topology_key=c.get("topologyKey", ""),
                selector=selector,
                min_domains=int(c.get("minDomains") or 1),
                honor_node_affinity=c.get("nodeAffinityPolicy", "Honor") == "Honor",
                honor_node_taints=c.get("nodeTaintsPolicy", "Ignore") == "Honor",
            )
        )
    return found


def has_keys(node: NodeFacts, found: list[Constraint]) -> bool:
    """nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key."""
    return all(c.topology_key in node.labels for c in found)


@dataclass
class SpreadFilter:
    """PreFilter's state: per constraint, topology value -> matching pods."""

    constraints: list[Constraint]
    matching: list[dict[str, int]]

    def refuse(self, pod_labels: Mapping[str, str], node: NodeFacts) -> Refusal | None:
        """Filter: each constraint's skew, were the pod placed on the node."""
        for i, c in enumerate(self.constraints):
            value = node.labels.get(c.topology_key)
            if value is None:
                return NODE_LABEL_NOT_MATCH
            domains = self.matching[i]
            # the global minimum, 0 while fewer domains than minDomains are eligible
            lowest = min(domains.values(), default=2**31 - 1)
            if len(domains) < c.min_domains:
                lowest = 0
            self_match = 1 if c.selector.matches(pod_labels) else 0
            if domains.get(value, 0) + self_match - lowest > c.max_skew:
                return SKEW_TOO_BIG
        return None


def prefilter(
    pod: Object, found: list[Constraint], nodes: list[NodeFacts], counts: Counts
) -> SpreadFilter | None:
    """calPreFilterState over every node; None when the pod has no DoNotSchedule constraint."""
    if not found:
        return None
    spec = pod["spec"]
    matching: list[dict[str, int]] = [{} for _ in found]
    for node in nodes:
        if not has_keys(node, found):
            continue
        for i, c in enumerate(found):
            if not c.includes(spec, node):
                continue
            value = node.labels[c.topology_key]
            matching[i][value] = matching[i].get(value, 0) + counts(c.selector).get(node.name, 0)
    return SpreadFilter(found, matching)


def scores(
    pod: Object,
    found: list[Constraint],
    feasible: list[NodeFacts],
    nodes: list[NodeFacts],
    counts: Counts,
) -> list[int] | None:
    """PreScore, Score and NormalizeScore for the ScheduleAnyway constraints; None (Skip)
    without any."""
    if not found or not nodes:
        return None
    spec = pod["spec"]
    # only the pod's own constraints need every topology key on a node: nodes without a zone
    # still get hostname spreading from the system defaults
    require_all = bool(spec.get("topologySpreadConstraints"))
    ignored = [require_all and not has_keys(n, found) for n in feasible]
    counted = len(feasible) - sum(ignored)
    matching = [counts(c.selector) for c in found]
    raw = [0.0] * len(feasible)
    for i, c in enumerate(found):
        key, offset = c.topology_key, c.max_skew - 1
        if key == HOSTNAME:  # per-node counts, taken in Score
            weight = math.log(counted + 2)  # topologyNormalizingWeight
            for j, node in enumerate(feasible):
                if not ignored[j] and key in node.labels:
                    raw[j] += matching[i].get(node.name, 0) * weight + offset
            continue
        if not any(key in node.labels for node in feasible):
            continue  # no node scores on this key: Score reads none of it
        # the domains of the feasible nodes (a node without the key counts as the value ""),
        # then the matching pods of every eligible node in them
        per_domain = {
            node.labels.get(key, ""): 0 for j, node in enumerate(feasible) if not ignored[j]
        }
        for node in nodes:
            value = node.labels.get(key, "")
            if value not in per_domain or (require_all and not has_keys(node, found)):
                continue
            if c.includes(spec, node):
                per_domain[value] += matching[i].get(node.name, 0)
        weight = math.log(len(per_domain) + 2)
        for j, node in enumerate(feasible):
            if not ignored[j] and key in node.labels:
                raw[j] += per_domain[node.labels[key]] * weight + offset
    # math.Round
    return normalize([math.floor(score + 0.5) for score in raw], ignored)


def normalize(raw: list[int], ignored: list[bool]) -> list[int]:
    """NormalizeScore: fewer matching pods score higher, relative to the most; ignored nodes 0."""
    counted = [s for s, skip in zip(raw, ignored, strict=True) if not skip]
    if not counted:
        return [0] * len(raw)
    lowest, highest = min(counted), max(counted)
    result = []
    for s, skip in zip(raw, ignored, strict=True):
        if skip:
            result.append(0)
        elif highest == 0:
            result.append(MAX_NODE_SCORE)
        else:
            result.append(MAX_NODE_SCORE * (highest + lowest - s) // highest)
    return result
