"""The scheduler: binds each unscheduled pod to a node, spreading pods across the workers.

Filters as kube-scheduler's default plugins do for kubesim's nodes (NodeUnschedulable,
TaintToleration, NodeAffinity: nodeSelector and required node affinity, VolumeBinding), then
scores by fewest pods (least allocated); ties go to a deterministic pick among the best, as the
scheduler samples among equal scores. A pod whose claims wait for their first consumer has the
chosen node recorded on those claims (volume.kubernetes.io/selected-node), so that their volumes
are provisioned there.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kubesim.api import meta, quantity
from kubesim.api.quantity import pod_requests_and_limits
from kubesim.controllers import queue
from kubesim.controllers.changes import (
    Bind,
    Change,
    RecordEvent,
    SetRuntime,
    Update,
    UpdateStatus,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import codec

Object = dict[str, Any]
COMPONENT = "default-scheduler"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NOT_HELPFUL = "Preemption is not helpful for scheduling"


class Unschedulable(Exception):
    """A reason that applies to the pod on every node (a missing or unbound claim)."""


# The scheduler's cache, kept between ticks as the real one keeps it in memory: what each
# node holds (NodeInfo: how many pods, what they request), and, per pod, what it was counted
# as, so that a pod that finishes or goes is taken off exactly what it added.
NODES_SECTION = "scheduler/nodes"  # node -> {"pods": n, "requested": {resource: milli}}
PODS_SECTION = "scheduler/pods"  # "<namespace>/<pod>" -> {"node": ..., "requested": {...}}


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Count the pods named by `keys` into the nodes they hold, then place those pending."""
    keys = sorted(keys) if keys is not None else all_keys(snapshot)
    cache = NodeCache(snapshot)
    pending = []
    for key in keys:
        namespace, name = queue.split_key(key)
        pod = snapshot.get("pods", namespace, name)
        cache.count(key, pod)
        if pod is not None and not pod["spec"].get("nodeName") and not meta.is_terminating(pod):
            pending.append(pod)
    changes: list[Change] = []
    if pending:
        changes += schedule(snapshot, pending, cache, now)
    return cache.changes() + changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list("pods")))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """Every pod change updates the cache; what may make room or change where a pod fits (a
    node, a pod that finishes or goes, a claim or volume) sends the unscheduled pods back to
    the active queue (MoveAllToActiveOrBackoffQueue)."""
    if event.resource == "pods":
        pod = event.new
        freed = (
            event.type == "DELETED"
            or meta.is_terminating(pod)
            or ((pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"))
        )
        if not freed or not pod["spec"].get("nodeName"):
            return (event.key,)
    keys = set(queue.keys_of(snapshot.pods_on("")))
    if event.resource == "pods":
        keys.add(event.key)
    return keys


def schedule(
    snapshot: Snapshot, pending: list[Object], cache: NodeCache, now: float
) -> list[Change]:
    nodes = snapshot.list("nodes")
    changes: list[Change] = []
    # the filters that look only at the node and the pod's spec (not its claims) give the same
    # answer for every pod of one template: worked out once per kind of pod
    verdicts_by_spec: dict[bytes, list[tuple[Object, str | None]]] = {}
    allocatable: dict[str, dict[str, int]] = {}
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
        wanted = {k: v.milli_value() for k, v in pod_requests_and_limits(pod)[0].items()}
        preemptable = 0  # nodes refused for want of resources, which preemption might free
        if claims:
            verdicts = [(node, filter_node(pod, node, claims, snapshot)) for node in nodes]
        else:
            spec = pod["spec"]
            signature = codec.dumps(
                [spec.get(k) for k in ("tolerations", "nodeSelector", "affinity")]
            )
            if signature not in verdicts_by_spec:
                verdicts_by_spec[signature] = [
                    (node, filter_node(pod, node, claims, snapshot)) for node in nodes
                ]
            verdicts = verdicts_by_spec[signature]
        for node, why in verdicts:
            short = [] if why else _insufficient(node, wanted, cache, allocatable)
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
        fewest = min(cache.pods_on(n["metadata"]["name"]) for n in feasible)
        best = [n for n in feasible if cache.pods_on(n["metadata"]["name"]) == fewest]
        rng = meta.rng_for(snapshot.seed, "schedule", pod["metadata"]["uid"])
        node_name = rng.choice(best)["metadata"]["name"]
        cache.assume(pod, node_name, wanted)
        changes += _select_node_for_claims(claims, node_name)
        changes += bind(pod, node_name)
    return changes


class NodeCache:
    """The scheduler's NodeInfo for every node, read from its sections and updated as pods are
    counted, finish, go, or are assumed onto a node by this pass."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.nodes = snapshot.runtime(NODES_SECTION)
        self.pods = snapshot.runtime(PODS_SECTION)
        self.totals: dict[str, Object] = {}  # node -> what it holds, as changed by this pass
        self.records: dict[str, Object | None] = {}  # pod key -> its new record

    def _total(self, node: str) -> Object:
        if node not in self.totals:
            stored = self.nodes.get(node) or {"pods": 0, "requested": {}}
            self.totals[node] = {"pods": stored["pods"], "requested": dict(stored["requested"])}
        return self.totals[node]

    def _apply(self, record: Object | None, sign: int) -> None:
        if record is None:
            return
        total = self._total(record["node"])
        total["pods"] += sign
        for resource, milli in record["requested"].items():
            total["requested"][resource] = total["requested"].get(resource, 0) + sign * milli

    def _set(self, key: str, record: Object | None) -> None:
        before = self.records[key] if key in self.records else self.pods.get(key)
        if before == record:
            return
        self._apply(before, -1)
        self._apply(record, +1)
        self.records[key] = record

    def count(self, key: str, pod: Object | None) -> None:
        """Hold what `pod` holds now: a bound pod that has not finished counts on its node."""
        record = None
        if pod is not None and pod["spec"].get("nodeName"):
            if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
                requested = pod_requests_and_limits(pod)[0]
                record = {
                    "node": pod["spec"]["nodeName"],
                    "requested": {k: v.milli_value() for k, v in requested.items()},
                }
        self._set(key, record)

    def assume(self, pod: Object, node: str, requested: dict[str, int]) -> None:
        """A pod this pass binds counts on its node at once (the scheduler's assumed pods)."""
        m = pod["metadata"]
        self._set(f"{m['namespace']}/{m['name']}", {"node": node, "requested": requested})

    def pods_on(self, node: str) -> int:
        total = self.totals.get(node) or self.nodes.get(node) or {}
        return int(total.get("pods", 0))

    def requested(self, node: str) -> dict[str, int]:
        total = self.totals.get(node) or self.nodes.get(node) or {}
        return dict(total.get("requested") or {})

    def changes(self) -> list[Change]:
        changes: list[Change] = [SetRuntime(PODS_SECTION, k, r) for k, r in self.records.items()]
        for node, total in self.totals.items():
            requested = {k: v for k, v in total["requested"].items() if v}
            empty = total["pods"] == 0 and not requested
            value = None if empty else {"pods": total["pods"], "requested": requested}
            if value != self.nodes.get(node):
                changes.append(SetRuntime(NODES_SECTION, node, value))
        return changes


def _insufficient(
    node: Object, wanted: dict[str, int], cache: NodeCache, allocatable: dict[str, dict[str, int]]
) -> list[str]:
    """NodeResourcesFit's fitsRequest: the pod count (the kubelet's maxPods), then each
    resource the pod asks more of than the node has left. `allocatable` keeps each node's
    allocatable amounts (in thousandths) as they are read."""
    name = node["metadata"]["name"]
    has = allocatable.get(name)
    if has is None:
        stated = (node.get("status") or {}).get("allocatable") or {}
        has = allocatable[name] = {
            k: quantity.parse(v).milli_value() for k, v in stated.items() if k != "pods"
        }
        has["pods"] = int(stated.get("pods", 110))
    reasons = []
    if cache.pods_on(name) + 1 > has["pods"]:
        reasons.append("Too many pods")
    if not wanted:
        return reasons
    held = cache.requested(name)
    for resource, amount in wanted.items():
        if amount == 0 or resource == "pods":
            continue
        if amount > has.get(resource, 0) - held.get(resource, 0):
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
    if not fits_node_affinity(pod, node):
        return "node(s) didn't match Pod's node affinity/selector"
    for claim in claims:
        volume = snapshot.get("persistentvolumes", None, claim["spec"].get("volumeName") or "")
        if volume is not None and not _volume_fits(volume, node):
            return "node(s) had volume node affinity conflict"
        selected = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if volume is None and selected and selected != node["metadata"]["name"]:
            return "node(s) didn't match PersistentVolume's node affinity"
    return None


def fits_node_affinity(pod: Object, node: Object) -> bool:
    """The NodeAffinity filter: the pod's nodeSelector and its required node affinity
    (nodeaffinity.GetRequiredNodeAffinity(pod).Match(node))."""
    labels = node["metadata"].get("labels") or {}
    if any(labels.get(k) != v for k, v in (pod["spec"].get("nodeSelector") or {}).items()):
        return False
    return _required_affinity_matches(pod, node)


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


def tolerates(toleration: Object, taint: Object) -> bool:
    """Toleration.ToleratesTaint."""
    return _tolerates(toleration, taint)


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
        selected = meta.clone(claim)
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
    failed = meta.clone(pod)
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


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=("pods", "nodes", "persistentvolumeclaims", "persistentvolumes"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)
