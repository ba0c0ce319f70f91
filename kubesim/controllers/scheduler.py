"""The scheduler: binds each unscheduled pod to a node, spreading pods across the workers.

Filters as kube-scheduler's default plugins do for kubesim's nodes (NodeUnschedulable,
TaintToleration, NodeAffinity: nodeSelector and required node affinity, VolumeBinding), then
scores by fewest pods (least allocated); ties go to a deterministic pick among the best, as the
scheduler samples among equal scores. A pod whose claims wait for their first consumer has the
chosen node recorded on those claims (volume.kubernetes.io/selected-node), so that their volumes
are provisioned there.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from kubesim.api import meta, quantity
from kubesim.api.quantity import Quantity, pod_requests_and_limits
from kubesim.controllers.changes import Bind, Change, RecordEvent, Update, UpdateStatus
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "default-scheduler"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NOT_HELPFUL = "Preemption is not helpful for scheduling"


class Unschedulable(Exception):
    """A reason that applies to the pod on every node (a missing or unbound claim)."""


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    pending = [
        p
        for p in snapshot.list("pods")
        if not p["spec"].get("nodeName") and not meta.is_terminating(p)
    ]
    if not pending:
        return []  # the common tick: nothing to place, and no need to add up what nodes hold
    nodes = snapshot.list("nodes")
    load: Counter[str] = Counter(
        p["spec"]["nodeName"]
        for p in snapshot.list("pods")
        if p["spec"].get("nodeName")
        and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
    )
    requested = _requested(snapshot)
    changes: list[Change] = []
    for pod in pending:
        if pod["spec"].get("schedulerName", "default-scheduler") != "default-scheduler":
            continue
        try:
            claims = _claims(snapshot, pod)
        except Unschedulable as reason:
            changes += _unschedulable(
                pod, f"0/{len(nodes)} nodes are available: {reason}. {_postfilter(len(nodes))}", now
            )
            continue
        reasons: Counter[str] = Counter()
        feasible = []
        wanted, _ = pod_requests_and_limits(pod)
        preemptable = 0  # nodes refused for want of resources, which preemption might free
        for node in nodes:
            why = filter_node(pod, node, claims, snapshot)
            short = [] if why else _insufficient(node, wanted, load, requested)
            if why is None and not short:
                feasible.append(node)
                continue
            reasons.update([why] if why else short)
            preemptable += 0 if why else 1
        if not feasible:
            details = ", ".join(sorted(f"{count} {why}" for why, count in reasons.items()))
            changes += _unschedulable(
                pod,
                f"0/{len(nodes)} nodes are available: {details}. "
                + _postfilter(len(nodes), preemptable),
                now,
            )
            continue
        fewest = min(load[n["metadata"]["name"]] for n in feasible)
        best = [n for n in feasible if load[n["metadata"]["name"]] == fewest]
        rng = meta.rng_for(snapshot.seed, "schedule", pod["metadata"]["uid"])
        node_name = rng.choice(best)["metadata"]["name"]
        load[node_name] += 1
        for name, amount in wanted.items():
            held = requested.setdefault(node_name, {})
            held[name] = held[name] + amount if name in held else amount
        changes += _select_node_for_claims(claims, node_name)
        changes += bind(pod, node_name)
    return changes


def _requested(snapshot: Snapshot) -> dict[str, dict[str, Quantity]]:
    """What the pods bound to each node request, summed (NodeInfo.Requested)."""
    totals: dict[str, dict[str, Quantity]] = {}
    for pod in snapshot.list("pods"):
        node = pod["spec"].get("nodeName")
        if not node or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            continue
        held = totals.setdefault(node, {})
        for name, amount in pod_requests_and_limits(pod)[0].items():
            held[name] = held[name] + amount if name in held else amount
    return totals


def _insufficient(
    node: Object,
    wanted: dict[str, Quantity],
    load: Counter[str],
    requested: dict[str, dict[str, Quantity]],
) -> list[str]:
    """NodeResourcesFit's fitsRequest: the pod count (the kubelet's maxPods), then each
    resource the pod asks more of than the node has left."""
    name = node["metadata"]["name"]
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    reasons = []
    if load[name] + 1 > int(allocatable.get("pods", 110)):
        reasons.append("Too many pods")
    held = requested.get(name, {})
    for resource, amount in wanted.items():
        if amount.is_zero() or resource == "pods":
            continue
        free = quantity.parse(allocatable.get(resource, 0)).value - (
            held[resource].value if resource in held else 0
        )
        if amount.value > free:
            reasons.append(f"Insufficient {resource}")
    return reasons


def _postfilter(count: int, preemptable: int = 0) -> str:
    """DefaultPreemption's verdict: no pod has a lower priority than another here (all are 0),
    so a node short of resources offers no victims; on the others preemption cannot help."""
    verdicts = []
    if count - preemptable:
        verdicts.append(f"{count - preemptable} {NOT_HELPFUL}")
    if preemptable:
        verdicts.append(f"{preemptable} No preemption victims found for incoming pod")
    return f"preemption: 0/{count} nodes are available: {', '.join(sorted(verdicts))}."


def _claims(snapshot: Snapshot, pod: Object) -> list[Object]:
    """The pod's claims; Unschedulable if one is missing or waits for an immediate binding."""
    claims = []
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        source = volume.get("persistentVolumeClaim")
        if not source:
            continue
        claim = snapshot.get("persistentvolumeclaims", namespace, source.get("claimName", ""))
        if claim is None:
            raise Unschedulable(f'persistentvolumeclaim "{source.get("claimName", "")}" not found')
        if meta.is_terminating(claim):
            raise Unschedulable(
                f'persistentvolumeclaim "{claim["metadata"]["name"]}" is being deleted'
            )
        if claim["status"].get("phase") != "Bound":
            sc = snapshot.get(
                "storageclasses.storage.k8s.io", None, claim["spec"].get("storageClassName") or ""
            )
            if sc is None or sc.get("volumeBindingMode") != "WaitForFirstConsumer":
                raise Unschedulable("pod has unbound immediate PersistentVolumeClaims")
        claims.append(claim)
    return claims


def filter_node(pod: Object, node: Object, claims: list[Object], snapshot: Snapshot) -> str | None:
    """Why the pod cannot go to this node, as the scheduler words it; None if it can."""
    if node["spec"].get("unschedulable"):
        return "node(s) were unschedulable"
    conditions = node.get("status", {}).get("conditions") or []
    if not any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
        return "node(s) were not ready"
    tolerations = pod["spec"].get("tolerations") or []
    for taint in node["spec"].get("taints") or []:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(
            _tolerates(t, taint) for t in tolerations
        ):
            return f"node(s) had untolerated taint {{{taint.get('key')}: {taint.get('value', '')}}}"
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (pod["spec"].get("nodeSelector") or {}).items()):
        return "node(s) didn't match Pod's node affinity/selector"
    if not _required_affinity_matches(pod, node):
        return "node(s) didn't match Pod's node affinity/selector"
    for claim in claims:
        volume = snapshot.get("persistentvolumes", None, claim["spec"].get("volumeName") or "")
        if volume is not None and not _volume_fits(volume, node):
            return "node(s) had volume node affinity conflict"
        selected = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if volume is None and selected and selected != node["metadata"]["name"]:
            return "node(s) didn't match PersistentVolume's node affinity"
    return None


def _required_affinity_matches(pod: Object, node: Object) -> bool:
    """requiredDuringSchedulingIgnoredDuringExecution: any one term whose label expressions and
    field expressions (metadata.name) all hold; a term with neither matches no node."""
    affinity = ((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    )
    if not affinity:
        return True
    labels = node["metadata"].get("labels") or {}
    fields = {"metadata.name": node["metadata"]["name"]}
    for term in affinity.get("nodeSelectorTerms") or []:
        expressions = term.get("matchExpressions") or []
        by_field = term.get("matchFields") or []
        if not expressions and not by_field:
            continue
        if all(_matches_expression(e, labels) for e in expressions) and all(
            _matches_expression(f, fields) for f in by_field
        ):
            return True
    return False


def _volume_fits(volume: Object, node: Object) -> bool:
    terms = ((volume["spec"].get("nodeAffinity") or {}).get("required") or {}).get(
        "nodeSelectorTerms"
    ) or []
    if not terms:
        return True
    labels = node["metadata"].get("labels") or {}
    for term in terms:
        expressions = term.get("matchExpressions") or []
        if all(_matches_expression(e, labels) for e in expressions):
            return True
    return False


def _matches_expression(expression: Object, labels: dict[str, str]) -> bool:
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


def _tolerates(toleration: Object, taint: Object) -> bool:
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("operator") == "Exists":
        return not toleration.get("key") or toleration["key"] == taint.get("key")
    return toleration.get("key") == taint.get("key") and toleration.get("value", "") == taint.get(
        "value", ""
    )


def _select_node_for_claims(claims: list[Object], node: str) -> list[Change]:
    """The VolumeBinding plugin's PreBind for claims that wait for their first consumer."""
    changes: list[Change] = []
    for claim in claims:
        if claim["status"].get("phase") == "Bound" or claim["spec"].get("volumeName"):
            continue
        if (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE):
            continue
        selected = copy.deepcopy(claim)
        selected["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node
        changes.append(Update(selected))
    return changes


def bind(pod: Object, node: str) -> list[Change]:
    """The Binding, with the Scheduled event."""
    m = pod["metadata"]
    return [
        Bind(m["namespace"], m["name"], m["uid"], node),
        RecordEvent(
            pod,
            "Normal",
            "Scheduled",
            f"Successfully assigned {m['namespace']}/{m['name']} to {node}",
            COMPONENT,
        ),
    ]


def _unschedulable(pod: Object, message: str, now: float) -> list[Change]:
    for condition in pod["status"].get("conditions") or []:
        if condition.get("reason") == "Unschedulable" and condition.get("message") == message:
            return []
    failed = copy.deepcopy(pod)
    failed["status"]["conditions"] = [
        {
            "lastProbeTime": None,
            "lastTransitionTime": meta.format_time(now),
            "message": message,
            "reason": "Unschedulable",
            "status": "False",
            "type": "PodScheduled",
        }
    ]
    return [
        UpdateStatus(failed),
        RecordEvent(pod, "Warning", "FailedScheduling", message, COMPONENT),
    ]
