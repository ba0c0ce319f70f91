"""One scheduling cycle of kube-scheduler v1.32's default profile (pkg/scheduler/schedule_one.go):
PreFilter and Filter over every node, then, when more than one node is feasible, PreScore,
Score and NormalizeScore of each score plugin, weighted and summed; selectHost picks at random
among the highest totals, from the cluster's seeded random so that a cluster replays the same.

What every pod of a pass shares is worked out once: each node's facts, the verdicts and scores
that depend on the node and the pod's spec alone (per pod template), the images on the nodes,
and the pods by label (kubesim.controllers.scheduler_index).
"""

from __future__ import annotations

import heapq
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
from kubesim.controllers.scheduler_cache import NodeCache, non_zero_requests
from kubesim.controllers.scheduler_filters import NodeFacts, Refusal
from kubesim.controllers.scheduler_index import PodIndex
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import codec

Object = dict[str, Any]
NODE_STATUS_MAX_IMAGES = 50  # the kubelet reports a node's 50 largest images
TOP_SCORES_KEPT = 5  # how many feasible nodes' scores a pod's record keeps for `kubesim why`


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
        self._templates: dict[bytes, Template] = {}
        self._plans: dict[bytes, Plan] = {}
        self._with_affinity: list[tuple[str, str, Object]] | None = None
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

    def plan(self, pod: Object) -> Plan:
        """What the cycle works out once for every pod alike to this one (one ReplicaSet's)."""
        spec = pod["spec"]
        m = pod["metadata"]
        shape = codec.dumps([
            [spec.get(k) for k in ("tolerations", "nodeSelector", "affinity", "overhead")],
            [[(c.get("image"), c.get("resources")) for c in spec.get(k) or []]
             for k in ("initContainers", "containers")],
        ])  # fmt: skip
        template = self._templates.get(shape)
        if template is None:
            template = self._templates[shape] = Template(self, pod)
        owner: Object = next((r for r in m.get("ownerReferences") or () if r.get("controller")), {})
        key = shape + codec.dumps([
            m["namespace"], m.get("labels") or {}, owner.get("uid"),
            spec.get("topologySpreadConstraints"),
        ])  # fmt: skip
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = Plan(self, template, pod)
        return found

    def schedule_one(self, pod: Object, check_volumes: Any, rng: Any) -> Result:
        """Filter every node, score the feasible ones, pick the best; `check_volumes(node)`
        is VolumeBinding's verdict for the pod's claims (None: the pod has none)."""
        plan = self.plan(pod)
        labels = pod["metadata"].get("labels") or {}
        with_affinity = self.with_affinity()
        spread_filter = (
            spread.prefilter(pod, plan.hard, self.nodes, plan.counter) if plan.hard else None
        )
        affinity_filter = (
            interpod.prefilter(pod, plan.terms, self.by_name, self.placed, with_affinity,
                               self.namespace_labels)
            if plan.terms.any_required() or with_affinity else None
        )  # fmt: skip
        result = Result(None)
        feasible: list[int] = []
        resources = plan.template.resources
        held: list[tuple[int, Refusal | None, int, int]] = []
        for i, node in enumerate(self.nodes):
            refusal = plan.static[i]
            if refusal is None:
                found = resources(i)
                refusal = found[1]
            if refusal is None and check_volumes is not None:
                refusal = check_volumes(node)
            if refusal is None and spread_filter is not None:
                refusal = spread_filter.refuse(labels, node)
                result.waits_on_pods |= refusal is not None
            if refusal is None and affinity_filter is not None:
                refusal = affinity_filter.refuse(node)
                result.waits_on_pods |= refusal is not None
            if refusal is None:
                feasible.append(i)
                held.append(found)
            else:
                result.refused[node.name] = refusal
        if not feasible:
            return result
        if len(feasible) == 1:  # schedulePod: a single feasible node is not scored
            result.node = self.nodes[feasible[0]].name
            result.scores = {"node": result.node, "count": 1}
            return result
        plugins = plan.scores(pod, feasible, held, with_affinity)
        weighted = [[scoring.WEIGHTS[name] * s for s in scores] for name, scores in plugins.items()]
        totals = [sum(column) for column in zip(*weighted, strict=True)]
        best = max(totals)
        chosen = rng.choice([i for i, t in zip(feasible, totals, strict=True) if t == best])
        result.node = self.nodes[chosen].name
        ranked = heapq.nsmallest(
            TOP_SCORES_KEPT,
            range(len(feasible)),
            key=lambda j: (feasible[j] != chosen, -totals[j], self.nodes[feasible[j]].name),
        )
        result.scores = {
            "node": result.node,
            "count": len(feasible),
            "plugins": list(plugins),
            "nodes": [
                [self.nodes[feasible[j]].name, [plugins[p][j] for p in plugins], totals[j]]
                for j in ranked
            ],
        }
        return result

    def assume(self, pod: Object, node: str, scores: Object | None) -> None:
        """Count the pod on its node now, for the pods after it in this pass."""
        self.cache.assume(pod, node, scores)
        if (pod["spec"].get("affinity") or {}).keys() & {"podAffinity", "podAntiAffinity"}:
            self._with_affinity = None

    def with_affinity(self) -> list[tuple[str, str, Object]]:
        """(node, namespace, podAffinity/podAntiAffinity) of the placed pods that declare some."""
        if self._with_affinity is None:
            self._with_affinity = [
                (node, self.index.labels_of(sig)[0], affinity)
                for node, sig, affinity in self.index.with_affinity()
            ]
        return self._with_affinity

    def placed(self) -> interpod.Placed:
        """(node, namespace, labels, how many pods) of every label set on every node."""
        for node, sig, count in self.index.pods():
            namespace, labels = self.index.labels_of(sig)
            yield node, namespace, labels, count


class Template:
    """What depends on a node and the pod's spec alone, for every pod of one spec: the filters
    NodeUnschedulable, TaintToleration and NodeAffinity, the scores TaintToleration, NodeAffinity
    and ImageLocality, and those that depend on what a node holds (NodeResourcesFit's filter,
    LeastAllocated, BalancedAllocation), kept until the node changes."""

    def __init__(self, framework: Framework, pod: Object) -> None:
        self.framework = framework
        self.cache = framework.cache
        nodes = framework.nodes
        spec = pod["spec"]
        tolerations = spec.get("tolerations") or []
        self.static: list[Refusal | None] = [
            filters.node_unschedulable(node)
            or filters.taint_toleration(tolerations, node)
            or filters.node_affinity(spec, node)
            for node in nodes
        ]
        self.wanted = {k: v.milli_value() for k, v in pod_requests_and_limits(pod)[0].items()}
        self.nonzero = non_zero_requests(pod)
        self.actual = (self.wanted.get("cpu", 0), -(-self.wanted.get("memory", 0) // 1000))
        prefer = scoring.prefer_no_schedule_tolerations(tolerations)
        self.taints = [scoring.intolerable_taints(prefer, node) for node in nodes]
        preferred = scoring.preferred_terms(spec)
        self.preferred = (
            [scoring.preferred_affinity(preferred, node) for node in nodes] if preferred else None
        )
        images = [c.get("image", "") for k in ("initContainers", "containers")
                  for c in spec.get(k) or []]  # fmt: skip
        present = framework.images()
        self.images = [
            scoring.image_locality(images, present[node.name], len(nodes)) if images else 0
            for node in nodes
        ]
        # node -> (its version, NodeResourcesFit's verdict, LeastAllocated, BalancedAllocation)
        self._by_node: dict[int, tuple[int, Refusal | None, int, int]] = {}

    def resources(self, i: int) -> tuple[int, Refusal | None, int, int]:
        node = self.framework.nodes[i]
        version = self.cache.versions.get(node.name, 0)
        found = self._by_node.get(i)
        if found is None or found[0] != version:
            total = self.cache.total(node.name)
            requested = total.get("requested") or {}
            fit = filters.resources_fit(self.wanted, node, int(total.get("pods", 0)), requested)
            capacity = (node.allocatable.get("cpu", 0), node.allocatable.get("memory", 0) // 1000)
            cpu, memory = total.get("nonzero") or (0, 0)
            least = scoring.least_allocated(
                (cpu + self.nonzero[0], memory + self.nonzero[1]), capacity
            )
            balanced = scoring.balanced_allocation(
                (requested.get("cpu", 0) + self.actual[0],
                 requested.get("memory", 0) // 1000 + self.actual[1]),
                capacity,
            )  # fmt: skip
            found = self._by_node[i] = (version, fit, least, balanced)
        return found


class Plan:
    """One kind of pod's PreFilter and PreScore state (its spread constraints with the selector
    of what selects it, its pod affinity terms) over its spec's Template."""

    def __init__(self, framework: Framework, template: Template, pod: Object) -> None:
        self.framework = framework
        self.template = template
        self.static = template.static
        namespace = pod["metadata"]["namespace"]
        self.terms = interpod.Terms.of(namespace, pod["spec"].get("affinity"))
        self._selector: Selector | None = None
        self.hard = spread.constraints(pod, spread.DO_NOT_SCHEDULE, lambda: self.selector(pod))
        self.soft = spread.constraints(pod, spread.SCHEDULE_ANYWAY, lambda: self.selector(pod))
        namespaces = frozenset([namespace])
        index = framework.index
        self.counter: spread.Counts = lambda sel: index.counts(namespaces, sel, live=True)

    def selector(self, pod: Object) -> Selector:
        if self._selector is None:
            self._selector = self.framework.default_selector(pod)
        return self._selector

    def scores(
        self,
        pod: Object,
        feasible: list[int],
        resources: list[tuple[int, Refusal | None, int, int]],
        with_affinity: list[tuple[str, str, Object]],
    ) -> dict[str, list[int]]:
        """Each score plugin's normalised scores over the feasible nodes (with what
        Template.resources said of each), in the profile's order; the plugins whose PreScore
        skips the pod are left out."""
        framework, template = self.framework, self.template
        plugins: dict[str, list[int]] = {}
        taints = [template.taints[i] for i in feasible]
        plugins[scoring.TAINT_TOLERATION] = (
            scoring.default_normalize(taints, reverse=True)
            if any(taints) else [scoring.MAX_NODE_SCORE] * len(feasible)
        )  # fmt: skip
        if template.preferred is not None:
            plugins[scoring.NODE_AFFINITY] = scoring.default_normalize(
                [template.preferred[i] for i in feasible]
            )
        plugins[scoring.RESOURCES_FIT] = [r[2] for r in resources]
        nodes = [framework.nodes[i] for i in feasible]
        spread_scores = spread.scores(pod, self.soft, nodes, framework.nodes, self.counter)
        if spread_scores is not None:
            plugins[scoring.TOPOLOGY_SPREAD] = spread_scores
        if self.terms.any_preferred() or with_affinity:
            affinity_scores = interpod.scores(
                pod, self.terms, nodes, framework.by_name, framework.placed, with_affinity,
                framework.namespace_labels,
            )  # fmt: skip
            if affinity_scores is not None:
                plugins[scoring.INTER_POD_AFFINITY] = affinity_scores
        plugins[scoring.BALANCED_ALLOCATION] = [r[3] for r in resources]
        plugins[scoring.IMAGE_LOCALITY] = [template.images[i] for i in feasible]
        return {name: plugins[name] for name in scoring.PLUGINS if name in plugins}


def rng_for(seed: int, pod: Object) -> Any:
    """The random source of selectHost for this pod."""
    return meta.rng_for(seed, "schedule", pod["metadata"]["uid"])
