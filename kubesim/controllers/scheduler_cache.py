"""The scheduler's cache (pkg/scheduler/backend/cache): what each node holds, kept between ticks
in runtime sections as the real one keeps it in memory, and updated pod by pod.

Per node (NodeInfo): how many pods, what they request (Requested) and what they request with
the scheduler's defaults for a container that states no cpu or memory request
(NonZeroRequested: 100m, 200Mi), the label sets of its pods with how many carry each (what
PodTopologySpread and InterPodAffinity count, without reading a pod), and the pods that declare
pod affinity or anti-affinity (PodsWithAffinity). Per pod, the record it was counted as, so that
a pod that finishes, changes or goes is taken off exactly what it added; a scheduled pod's
record also keeps the scores it was placed with, a pending pod's why each node was refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubesim.api import meta
from kubesim.api.quantity import parse, pod_requests_and_limits
from kubesim.controllers.changes import Change, SetRuntime
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import codec

Object = dict[str, Any]

NODES_SECTION = "scheduler/nodes"  # node -> its NodeInfo, as node_total() shapes it
PODS_SECTION = "scheduler/pods"  # "<namespace>/<pod>" -> pod_record(), or a pending pod's verdicts

# pkg/scheduler/util/pod_resources.go: what a container without a request counts as for scoring
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024


def signature(namespace: str, labels: Mapping[str, str] | None) -> str:
    """A pod's namespace and labels as one string: the key pods are counted by."""
    return namespace + "\n" + codec.dumps(dict(sorted((labels or {}).items()))).decode()


def parse_signature(sig: str) -> tuple[str, dict[str, str]]:
    namespace, _, labels = sig.partition("\n")
    parsed: dict[str, str] = codec.loads(labels)
    return namespace, parsed


def non_zero_requests(pod: Object) -> tuple[int, int]:
    """(milli-CPU, memory bytes) the pod requests, a container without a cpu or memory request
    counting 100m or 200Mi for it (resourcehelper.PodRequests with NonMissingContainerRequests):
    containers summed, init containers as a floor, overhead added."""
    spec = pod.get("spec") or {}

    def of(container: Object) -> tuple[int, int]:
        requests = (container.get("resources") or {}).get("requests") or {}
        cpu = parse(requests["cpu"]).milli_value() if "cpu" in requests else None
        memory = parse(requests["memory"]).int_value() if "memory" in requests else None
        return (
            DEFAULT_MILLI_CPU_REQUEST if cpu is None else cpu,
            DEFAULT_MEMORY_REQUEST if memory is None else memory,
        )

    cpu = memory = 0
    for container in spec.get("containers") or []:
        c, m = of(container)
        cpu, memory = cpu + c, memory + m
    for container in spec.get("initContainers") or []:
        c, m = of(container)
        cpu, memory = max(cpu, c), max(memory, m)
    overhead = spec.get("overhead") or {}
    if "cpu" in overhead:
        cpu += parse(overhead["cpu"]).milli_value()
    if "memory" in overhead:
        memory += parse(overhead["memory"]).int_value()
    return cpu, memory


def pod_affinity(pod: Object) -> Object | None:
    """The pod's podAffinity and podAntiAffinity (what makes it one of PodsWithAffinity)."""
    affinity = pod["spec"].get("affinity") or {}
    found = {k: affinity[k] for k in ("podAffinity", "podAntiAffinity") if affinity.get(k)}
    return found or None


def pod_record(pod: Object) -> Object | None:
    """What a pod counts for on its node: a bound pod that has not finished counts."""
    spec = pod["spec"]
    if not spec.get("nodeName"):
        return None
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return None
    requested = pod_requests_and_limits(pod)[0]
    m = pod["metadata"]
    record: Object = {
        "node": spec["nodeName"],
        "requested": {k: v.milli_value() for k, v in requested.items()},
        "nonzero": list(non_zero_requests(pod)),
        "labels": signature(m.get("namespace", ""), m.get("labels")),
    }
    if meta.is_terminating(pod):
        record["terminating"] = True
    affinity = pod_affinity(pod)
    if affinity:
        record["affinity"] = affinity
    return record


def _empty_total() -> Object:
    return {"pods": 0, "requested": {}, "nonzero": [0, 0], "labels": {}}


class NodeCache:
    """The scheduler's NodeInfo for every node, read from its sections and updated as pods are
    counted, finish, go, or are assumed onto a node by this pass."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.nodes = snapshot.runtime(NODES_SECTION)
        self.pods = snapshot.runtime(PODS_SECTION)
        self.totals: dict[str, Object] = {}  # node -> what it holds, as changed by this pass
        self.records: dict[str, Object | None] = {}  # pod key -> its new record
        self.listeners: list[Any] = []  # told of each pod counted onto or off a node
        self.versions: dict[str, int] = {}  # node -> how many times this pass changed it
        self._read: dict[str, Object] = {}

    def total(self, node: str) -> Object:
        """What `node` holds now (never mutate it)."""
        found = self.totals.get(node)
        if found is None:
            found = self._read.get(node)
            if found is None:
                found = self._read[node] = self.nodes.get(node) or _empty_total()
        return found

    def _writable(self, node: str) -> Object:
        if node not in self.totals:
            stored = self.nodes.get(node) or _empty_total()
            total = {
                "pods": stored.get("pods", 0),
                "requested": dict(stored.get("requested") or {}),
                "nonzero": list(stored.get("nonzero") or [0, 0]),
                "labels": dict(stored.get("labels") or {}),
            }
            for key in ("terminating", "affinity"):
                if stored.get(key):
                    total[key] = dict(stored[key])
            self.totals[node] = total
        return self.totals[node]

    def _apply(self, key: str, record: Object | None, sign: int) -> None:
        if record is None or "node" not in record:
            return
        total = self._writable(record["node"])
        self.versions[record["node"]] = self.versions.get(record["node"], 0) + 1
        total["pods"] += sign
        for resource, milli in record["requested"].items():
            total["requested"][resource] = total["requested"].get(resource, 0) + sign * milli
        nonzero = record.get("nonzero") or [0, 0]
        total["nonzero"] = [total["nonzero"][0] + sign * nonzero[0],
                            total["nonzero"][1] + sign * nonzero[1]]  # fmt: skip
        sig = record.get("labels")
        if sig is None:
            return  # a record from before the cache counted labels
        _bump(total, "labels", sig, sign)
        if record.get("terminating"):
            _bump(total, "terminating", sig, sign)
        if record.get("affinity"):
            affinity = total.setdefault("affinity", {})
            if sign > 0:
                affinity[key] = [sig, record["affinity"]]
            else:
                affinity.pop(key, None)
                if not affinity:
                    del total["affinity"]
        for listener in self.listeners:
            listener(record["node"], sig, bool(record.get("terminating")), sign)

    def record(self, key: str) -> Object | None:
        found: Object | None = self.records[key] if key in self.records else self.pods.get(key)
        return found

    def _set(self, key: str, record: Object | None) -> None:
        before = self.record(key)
        if before == record:
            return
        self._apply(key, before, -1)
        self._apply(key, record, +1)
        self.records[key] = record

    def count(self, key: str, pod: Object | None) -> None:
        """Hold what `pod` holds now. A pending pod keeps its verdicts until it is tried again;
        a scheduled pod keeps the scores it was placed with."""
        record = pod_record(pod) if pod is not None else None
        before = self.record(key)
        if record is None and pod is not None and before is not None and "node" not in before:
            return  # a pending pod's verdicts, until the scheduler tries it again
        if record is not None and before is not None and before.get("node") == record["node"]:
            if "scores" in before:
                record["scores"] = before["scores"]
        self._set(key, record)

    def assume(self, pod: Object, node: str, scores: Object | None) -> None:
        """A pod this pass binds counts on its node at once (the scheduler's assumed pods)."""
        m = pod["metadata"]
        bound = {**pod, "spec": {**pod["spec"], "nodeName": node}}
        record = pod_record(bound)
        assert record is not None
        if scores is not None:
            record["scores"] = scores
        self._set(f"{m['namespace']}/{m['name']}", record)

    def refuse(self, pod: Object, verdicts: Object) -> None:
        """Keep why a pending pod fits no node, for `kubesim why`."""
        m = pod["metadata"]
        self._set(f"{m['namespace']}/{m['name']}", {"verdicts": verdicts})

    def pods_on(self, node: str) -> int:
        return int(self.total(node).get("pods", 0))

    def requested(self, node: str) -> Mapping[str, int]:
        requested: Mapping[str, int] = self.total(node).get("requested") or {}
        return requested

    def changes(self) -> list[Change]:
        changes: list[Change] = [
            SetRuntime(PODS_SECTION, k, r) for k, r in self.records.items() if r != self.pods.get(k)
        ]
        for node, total in self.totals.items():
            value = _stored_form(total)
            if value != self.nodes.get(node):
                changes.append(SetRuntime(NODES_SECTION, node, value))
        return changes


def _bump(total: Object, field: str, sig: str, sign: int) -> None:
    counts = total.setdefault(field, {})
    left = counts.get(sig, 0) + sign
    if left:
        counts[sig] = left
    else:
        counts.pop(sig, None)
    if not counts and field != "labels":
        del total[field]


def _stored_form(total: Object) -> Object | None:
    """A node's total as its section keeps it: None once it holds nothing."""
    requested = {k: v for k, v in total["requested"].items() if v}
    if total["pods"] == 0 and not requested and not total["labels"]:
        return None
    value = {**total, "requested": requested}
    return value
