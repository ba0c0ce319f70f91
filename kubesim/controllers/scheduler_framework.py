"""One scheduling cycle of kube-scheduler v1.32's default profile (pkg/scheduler/schedule_one.go):
PreFilter and Filter over every node, then, when more than one node is feasible, PreScore,
Score and NormalizeScore of each score plugin, weighted and summed; selectHost picks at random
among the highest totals, from the cluster's seeded random so that a cluster replays the same.

What every pod of a pass shares is worked out once: each node's facts, the verdicts and scores
that depend on the node and the pod's spec alone (per pod template), the images on the nodes,
and the pods by label (kubesim.controllers.scheduler_index).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.api import meta, selectors
from kubesim.api.imageref import InvalidReference, parse_normalized_named, with_default_tag
from kubesim.api.quantity import pod_requests_and_limits
from kubesim.api.selectors import Requirement, Selector
from kubesim.controllers import scheduler_affinity as interpod
from kubesim.controllers import scheduler_filters as filters
from kubesim.controllers import scheduler_scores as scoring
from kubesim.controllers import scheduler_spread as spread
from kubesim.controllers.kubelet_images import IMAGES_SECTION, image_size
from kubesim.controllers.scheduler_cache import NodeCache
from kubesim.controllers.scheduler_filters import NodeFacts, Refusal
from kubesim.controllers.scheduler_index import PodIndex
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import codec

Object = dict[str, Any]
NODE_STATUS_MAX_IMAGES = 50  # the kubelet reports a node's 50 largest images
TOP_SCORES_KEPT = 10  # how many feasible nodes' scores a pod's record keeps for `kubesim why`


@dataclass
class Result:
    """A cycle's outcome: the node (None if none fits), the nodes refused and why, whether
    placed pods could change the verdict (spread or pod affinity refused a node), and the
    scores of the feasible nodes, best first."""

    node: str | None
    refused: dict[str, Refusal] = field(default_factory=dict)
    waits_on_pods: bool = False
    scores: Object | None = None


class Framework:
    """The default profile over one pass's view of the cluster."""

    def __init__(self, snapshot: Snapshot, cache: NodeCache) -> None:
        self.snapshot = snapshot
        self.cache = cache
        self.nodes = [NodeFacts.of(n) for n in snapshot.list("nodes")]
        self.by_name = {n.name: n for n in self.nodes}
        self.index = PodIndex(cache, self.by_name)
        self._static: dict[bytes, list[tuple[NodeFacts, Refusal | None]]] = {}
        self._static_scores: dict[bytes, dict[str, list[int] | None]] = {}
        self._images: dict[str, dict[str, tuple[int, int]]] | None = None
        self._namespaces: dict[str, Mapping[str, str]] = {}
        self._services: dict[str, list[Object]] = {}
        self._owners: dict[tuple[str, str, str], Object | None] = {}

    # --- what the plugins look up ----------------------------------------------------------

    def namespace_labels(self, name: str) -> Mapping[str, str]:
        if name not in self._namespaces:
            ns = self.snapshot.get("namespaces", None, name)
            self._namespaces[name] = (ns or {}).get("metadata", {}).get("labels") or {}
        return self._namespaces[name]

    def default_selector(self, pod: Object) -> Selector:
        """helper.DefaultSelector: the selectors of the Services that select the pod merged,
        with that of its controlling ReplicaSet or StatefulSet."""
        m = pod["metadata"]
        namespace, labels = m["namespace"], m.get("labels") or {}
        if namespace not in self._services:
            self._services[namespace] = [
                s for s in self.snapshot.list("services", namespace) if s["spec"].get("selector")
            ]
        merged: dict[str, str] = {}
        for service in self._services[namespace]:
            chosen = service["spec"]["selector"]
            if all(labels.get(k) == v for k, v in chosen.items()):
                merged.update(chosen)
        requirements = [Requirement(k, selectors.EQUALS, (v,)) for k, v in sorted(merged.items())]
        owner = next((r for r in m.get("ownerReferences") or () if r.get("controller")), None)
        # (kubesim has no ReplicationControllers)
        resource = {"ReplicaSet": "replicasets.apps", "StatefulSet": "statefulsets.apps"}.get(
            (owner or {}).get("kind", "")
        )
        if owner is not None and resource is not None:
            key = (resource, namespace, owner.get("name", ""))
            if key not in self._owners:
                self._owners[key] = self.snapshot.get(resource, namespace, key[2])
            found = self._owners[key]
            if found is not None:
                parsed = selectors.from_label_selector(found["spec"].get("selector"))
                if not parsed.nothing:
                    requirements += parsed.requirements
        return Selector(tuple(requirements))

    def images(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Node -> the images its status lists (as the runtime names them, up to 50, the
        largest) -> (size, how many nodes list it): NodeInfo.ImageStates."""
        if self._images is None:
            pulled = self.snapshot.runtime(IMAGES_SECTION)
            listed: dict[str, dict[str, int]] = {}
            for node in self.nodes:
                names: dict[str, int] = {}
                for image in pulled.get(node.name) or []:
                    try:
                        name = str(with_default_tag(parse_normalized_named(image)))
                    except InvalidReference:
                        continue
                    names[name] = image_size(name)
                largest = sorted(names.items(), key=lambda kv: -kv[1])[:NODE_STATUS_MAX_IMAGES]
                listed[node.name] = dict(largest)
            spread_of: dict[str, int] = {}
            for names in listed.values():
                for name in names:
                    spread_of[name] = spread_of.get(name, 0) + 1
            self._images = {
                node: {name: (size, spread_of[name]) for name, size in names.items()}
                for node, names in listed.items()
            }
        return self._images

    # --- the cycle --------------------------------------------------------------------------

    def schedule_one(self, pod: Object, check_volumes: Any, rng: Any) -> Result:
        """Filter every node, score the feasible ones, pick the best; `check_volumes(node)`
        is VolumeBinding's verdict for the pod's claims."""
        spec = pod["spec"]
        m = pod["metadata"]
        labels = m.get("labels") or {}
        template = codec.dumps(
            [spec.get(k) for k in ("tolerations", "nodeSelector", "affinity")]
            + [
                [c.get("image") for c in spec.get(k) or []]
                for k in ("initContainers", "containers")
            ]
        )
        wanted = {k: v.milli_value() for k, v in pod_requests_and_limits(pod)[0].items()}
        terms = interpod.Terms.of(m["namespace"], spec.get("affinity"))
        with_affinity = list(self._placed_with_affinity())
        hard = spread.constraints(pod, spread.DO_NOT_SCHEDULE, lambda: self.default_selector(pod))
        spread_filter = spread.prefilter(pod, hard, self.nodes, self._counter(m["namespace"]))
        affinity_filter = interpod.prefilter(
            pod, terms, self.by_name, self._placed, with_affinity, self.namespace_labels
        )
        result = Result(None)
        feasible: list[NodeFacts] = []
        for node, static in self._static_verdicts(template, spec):
            refusal = static or filters.resources_fit(
                wanted, node, self.cache.pods_on(node.name), self.cache.requested(node.name)
            )
            refusal = refusal or check_volumes(node)
            if refusal is None and spread_filter is not None:
                refusal = spread_filter.refuse(labels, node)
                result.waits_on_pods |= refusal is not None
            if refusal is None and affinity_filter is not None:
                refusal = affinity_filter.refuse(node)
                result.waits_on_pods |= refusal is not None
            if refusal is None:
                feasible.append(node)
            else:
                result.refused[node.name] = refusal
        if not feasible:
            return result
        if len(feasible) == 1:  # schedulePod: a single feasible node is not scored
            result.node = feasible[0].name
            result.scores = {"node": result.node, "count": 1}
            return result
        plugins = self._scores(pod, template, terms, with_affinity, feasible)
        totals = [
            sum(scoring.WEIGHTS[name] * scores[i] for name, scores in plugins.items())
            for i in range(len(feasible))
        ]
        best = max(totals)
        result.node = rng.choice(
            [n for n, t in zip(feasible, totals, strict=True) if t == best]
        ).name
        ranked = sorted(
            range(len(feasible)),
            key=lambda i: (feasible[i].name != result.node, -totals[i], feasible[i].name),
        )[:TOP_SCORES_KEPT]
        result.scores = {
            "node": result.node,
            "count": len(feasible),
            "plugins": list(plugins),
            "nodes": [
                [feasible[i].name, [plugins[p][i] for p in plugins], totals[i]] for i in ranked
            ],
        }
        return result

    def _static_verdicts(
        self, template: bytes, spec: Object
    ) -> list[tuple[NodeFacts, Refusal | None]]:
        """The filters that look only at the node and the pod's spec, once per pod template:
        NodeUnschedulable, TaintToleration, NodeAffinity."""
        found = self._static.get(template)
        if found is None:
            tolerations = spec.get("tolerations") or []
            found = self._static[template] = [
                (
                    node,
                    filters.node_unschedulable(node)
                    or filters.taint_toleration(tolerations, node)
                    or filters.node_affinity(spec, node),
                )
                for node in self.nodes
            ]
        return found

    def _scores(
        self,
        pod: Object,
        template: bytes,
        terms: interpod.Terms,
        with_affinity: list[tuple[str, str, Object]],
        feasible: list[NodeFacts],
    ) -> dict[str, list[int]]:
        """Each score plugin's normalised scores over the feasible nodes, in the profile's order;
        the plugins whose PreScore skips the pod are left out."""
        spec = pod["spec"]
        m = pod["metadata"]
        static = self._static_scores.setdefault(template, {})
        plugins: dict[str, list[int]] = {}
        tolerations = scoring.prefer_no_schedule_tolerations(spec.get("tolerations") or [])
        plugins[scoring.TAINT_TOLERATION] = scoring.default_normalize(
            [
                self._static_score(
                    static, "taints", n, lambda n: scoring.intolerable_taints(tolerations, n)
                )
                for n in feasible
            ],  # fmt: skip
            reverse=True,
        )
        preferred = scoring.preferred_terms(spec)
        if preferred:
            plugins[scoring.NODE_AFFINITY] = scoring.default_normalize(
                [
                    self._static_score(
                        static, "affinity", n, lambda n: scoring.preferred_affinity(preferred, n)
                    )
                    for n in feasible
                ]  # fmt: skip
            )
        nonzero = _nonzero(pod)
        actual = _actual(pod)
        plugins[scoring.RESOURCES_FIT] = [
            scoring.least_allocated(self._held(n, nonzero, "nonzero"), _capacity(n))
            for n in feasible
        ]
        soft = spread.constraints(pod, spread.SCHEDULE_ANYWAY, lambda: self.default_selector(pod))
        spread_scores = spread.scores(
            pod, soft, feasible, self.nodes, self._counter(m["namespace"])
        )
        if spread_scores is not None:
            plugins[scoring.TOPOLOGY_SPREAD] = spread_scores
        if terms.any_preferred() or with_affinity:
            affinity_scores = interpod.scores(
                pod,
                terms,
                feasible,
                self.by_name,
                self._placed,
                with_affinity,
                self.namespace_labels,
            )
            if affinity_scores is not None:
                plugins[scoring.INTER_POD_AFFINITY] = affinity_scores
        plugins[scoring.BALANCED_ALLOCATION] = [
            scoring.balanced_allocation(self._held(n, actual, "requested"), _capacity(n))
            for n in feasible
        ]
        images = [c.get("image", "") for k in ("initContainers", "containers")
                  for c in spec.get(k) or []]  # fmt: skip
        plugins[scoring.IMAGE_LOCALITY] = [
            self._static_score(
                static,
                "images",
                n,
                lambda n: scoring.image_locality(images, self.images()[n.name], len(self.nodes)),
            )  # fmt: skip
            for n in feasible
        ]
        return {name: plugins[name] for name in scoring.PLUGINS if name in plugins}

    @staticmethod
    def _static_score(memo: dict[str, Any], plugin: str, node: NodeFacts, compute: Any) -> int:
        per_node = memo.setdefault(plugin, {})
        if node.name not in per_node:
            per_node[node.name] = compute(node)
        return int(per_node[node.name])

    def _held(self, node: NodeFacts, pod: tuple[int, int], field_: str) -> tuple[int, int]:
        """(milli-CPU, memory bytes) the node's pods request with this pod: their non-zero
        requests (`nonzero`), or their own (`requested`)."""
        total = self.cache.total(node.name)
        if field_ == "nonzero":
            cpu, memory = total.get("nonzero") or (0, 0)
        else:
            requested = total.get("requested") or {}
            cpu, memory = requested.get("cpu", 0), requested.get("memory", 0) // 1000
        return cpu + pod[0], memory + pod[1]

    def _counter(self, namespace: str) -> spread.Counts:
        namespaces = frozenset([namespace])
        return lambda selector: self.index.counts(namespaces, selector, live=True)

    def _placed(self) -> interpod.Placed:
        for node, sig, count in self.index.pods():
            namespace, labels = self.index.labels_of(sig)
            yield node, namespace, labels, count

    def _placed_with_affinity(self) -> interpod.PlacedWithAffinity:
        for node, sig, affinity in self.index.with_affinity():
            yield node, self.index.labels_of(sig)[0], affinity


def _capacity(node: NodeFacts) -> tuple[int, int]:
    return node.allocatable.get("cpu", 0), node.allocatable.get("memory", 0) // 1000


def _nonzero(pod: Object) -> tuple[int, int]:
    from kubesim.controllers.scheduler_cache import non_zero_requests

    return non_zero_requests(pod)


def _actual(pod: Object) -> tuple[int, int]:
    requests = pod_requests_and_limits(pod)[0]
    cpu = requests["cpu"].milli_value() if "cpu" in requests else 0
    memory = requests["memory"].int_value() if "memory" in requests else 0
    return cpu, memory


def rng_for(seed: int, pod: Object) -> Any:
    """The random source of selectHost for this pod."""
    return meta.rng_for(seed, "schedule", pod["metadata"]["uid"])
