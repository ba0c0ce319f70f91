"""The filters of kube-scheduler's default profile that look at one node and the pod alone:
NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit and VolumeBinding
(pkg/scheduler/framework/plugins/*), each as a plain function over the node and the pod.

A refusal is the reasons a node gives (as the FailedScheduling event counts them) and whether
preemption might help there (the plugin's Unschedulable, as opposed to
UnschedulableAndUnresolvable).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.api import quantity

Object = dict[str, Any]


@dataclass(frozen=True)
class Refusal:
    reasons: tuple[str, ...]
    resolvable: bool = False  # Unschedulable: preemption may make room


UNSCHEDULABLE = Refusal(("node(s) were unschedulable",))
NOT_READY = Refusal(("node(s) were not ready",))
NODE_AFFINITY = Refusal(("node(s) didn't match Pod's node affinity/selector",))
VOLUME_NODE_AFFINITY = Refusal(("node(s) had volume node affinity conflict",))
SELECTED_NODE_CONFLICT = Refusal(("node(s) didn't match PersistentVolume's node affinity",))


@dataclass
class NodeFacts:
    """What the filters and scores read of a node, worked out once per pass."""

    name: str
    labels: Mapping[str, str]
    taints: list[Object]
    unschedulable: bool
    ready: bool
    allocatable: dict[str, int]  # thousandths, as the cache's requests; "pods" as a count
    fields: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, node: Object) -> NodeFacts:
        status = node.get("status") or {}
        stated = status.get("allocatable") or {}
        allocatable = {k: quantity.parse(v).milli_value() for k, v in stated.items() if k != "pods"}
        allocatable["pods"] = int(stated.get("pods", 110))
        conditions = status.get("conditions") or []
        name = node["metadata"]["name"]
        return cls(
            name=name,
            labels=node["metadata"].get("labels") or {},
            taints=list(node["spec"].get("taints") or []),
            unschedulable=bool(node["spec"].get("unschedulable")),
            ready=any(c["type"] == "Ready" and c["status"] == "True" for c in conditions),
            allocatable=allocatable,
            fields={"metadata.name": name},
        )


def node_unschedulable(node: NodeFacts) -> Refusal | None:
    if node.unschedulable:
        return UNSCHEDULABLE
    if not node.ready:
        return NOT_READY
    return None


def taint_toleration(tolerations: list[Object], node: NodeFacts) -> Refusal | None:
    """The first NoSchedule or NoExecute taint the pod does not tolerate."""
    for taint in node.taints:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(
            tolerates(t, taint) for t in tolerations
        ):
            return Refusal(
                (f"node(s) had untolerated taint {{{taint.get('key')}: {taint.get('value', '')}}}",)
            )
    return None


def tolerates(toleration: Object, taint: Object) -> bool:
    """Toleration.ToleratesTaint."""
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("operator") == "Exists":
        return not toleration.get("key") or toleration["key"] == taint.get("key")
    return toleration.get("key") == taint.get("key") and toleration.get("value", "") == taint.get(
        "value", ""
    )


def fits_node_affinity(pod: Object, node: Object) -> bool:
    """The NodeAffinity filter: the pod's nodeSelector and its required node affinity
    (nodeaffinity.GetRequiredNodeAffinity(pod).Match(node))."""
    labels = node["metadata"].get("labels") or {}
    fields = {"metadata.name": node["metadata"]["name"]}
    return matches_required_affinity(pod["spec"], labels, fields)


def matches_required_affinity(
    spec: Object, labels: Mapping[str, str], fields: Mapping[str, str]
) -> bool:
    if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
        return False
    affinity = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    )
    if not affinity:
        return True
    # any one term whose label and field expressions (metadata.name) all hold; a term with
    # neither matches no node
    return any(
        matches_term(term, labels, fields) for term in affinity.get("nodeSelectorTerms") or []
    )


def matches_term(term: Object, labels: Mapping[str, str], fields: Mapping[str, str]) -> bool:
    """A NodeSelectorTerm; an empty one matches nothing."""
    expressions = term.get("matchExpressions") or []
    by_field = term.get("matchFields") or []
    if not expressions and not by_field:
        return False
    return all(matches_expression(e, labels) for e in expressions) and all(
        matches_expression(f, fields) for f in by_field
    )


def node_affinity(spec: Object, node: NodeFacts) -> Refusal | None:
    if matches_required_affinity(spec, node.labels, node.fields):
        return None
    return NODE_AFFINITY


def matches_expression(expression: Object, labels: Mapping[str, str]) -> bool:
    value = labels.get(expression.get("key", ""))
    operator = expression.get("operator")
    values = expression.get("values") or []
    if operator == "In":
        return value in values
    if operator == "NotIn":
        return value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    if operator in ("Gt", "Lt") and value is not None and len(values) == 1:
        try:
            left, right = int(value), int(values[0])
        except ValueError:
            return False
        return left > right if operator == "Gt" else left < right
    return False


def resources_fit(
    wanted: Mapping[str, int], node: NodeFacts, pods: int, held: Mapping[str, int]
) -> Refusal | None:
    """NodeResourcesFit's fitsRequest: the pod count (the kubelet's maxPods), then each
    resource the pod asks more of than the node has left (`wanted` and `held` in
    thousandths)."""
    reasons = []
    if pods + 1 > node.allocatable["pods"]:
        reasons.append("Too many pods")
    for resource, amount in wanted.items():
        if amount == 0 or resource == "pods":
            continue
        if amount > node.allocatable.get(resource, 0) - held.get(resource, 0):
            reasons.append(f"Insufficient {resource}")
    return Refusal(tuple(reasons), resolvable=True) if reasons else None


def volume_fits(volume: Object, labels: Mapping[str, str]) -> bool:
    """A PersistentVolume's required node affinity."""
    terms = ((volume["spec"].get("nodeAffinity") or {}).get("required") or {}).get(
        "nodeSelectorTerms"
    ) or []
    if not terms:
        return True
    return any(
        all(matches_expression(e, labels) for e in term.get("matchExpressions") or [])
        for term in terms
    )
