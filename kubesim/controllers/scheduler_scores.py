"""The scores of kube-scheduler v1.32's default profile that look at one node and the pod alone
(pkg/scheduler/framework/plugins/*), as plain functions, and the framework's arithmetic: each
plugin's scores normalised to 0..MaxNodeScore, then weighted (apis/config/v1/default_plugins.go)
and summed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kubesim.controllers.scheduler_filters import NodeFacts, matches_expression, tolerates

Object = dict[str, Any]

MAX_NODE_SCORE = 100

# the score plugins of the default profile, in its order, with their weights
TAINT_TOLERATION = "TaintToleration"
NODE_AFFINITY = "NodeAffinity"
RESOURCES_FIT = "NodeResourcesFit"
TOPOLOGY_SPREAD = "PodTopologySpread"
INTER_POD_AFFINITY = "InterPodAffinity"
BALANCED_ALLOCATION = "NodeResourcesBalancedAllocation"
IMAGE_LOCALITY = "ImageLocality"
WEIGHTS = {
    TAINT_TOLERATION: 3,
    NODE_AFFINITY: 2,
    RESOURCES_FIT: 1,
    TOPOLOGY_SPREAD: 2,
    INTER_POD_AFFINITY: 2,
    BALANCED_ALLOCATION: 1,
    IMAGE_LOCALITY: 1,
}
PLUGINS = tuple(WEIGHTS)

# imagelocality: the range of image sizes that scores (90% of Docker Hub's images fall in it)
MB = 1024 * 1024
MIN_THRESHOLD = 23 * MB
MAX_CONTAINER_THRESHOLD = 1000 * MB


def default_normalize(scores: list[int], reverse: bool = False) -> list[int]:
    """helper.DefaultNormalizeScore: scale [0, max] to [0, MaxNodeScore], reversed if asked."""
    highest = max(scores, default=0)
    if highest == 0:
        return [MAX_NODE_SCORE] * len(scores) if reverse else list(scores)
    scaled = [MAX_NODE_SCORE * s // highest for s in scores]
    return [MAX_NODE_SCORE - s for s in scaled] if reverse else scaled


# --- TaintToleration --------------------------------------------------------------------------


def prefer_no_schedule_tolerations(tolerations: Iterable[Object]) -> list[Object]:
    """getAllTolerationPreferNoSchedule: those with effect PreferNoSchedule or none."""
    return [t for t in tolerations if t.get("effect", "") in ("", "PreferNoSchedule")]


def intolerable_taints(tolerations: list[Object], node: NodeFacts) -> int:
    """countIntolerableTaintsPreferNoSchedule: the node's PreferNoSchedule taints that no
    toleration tolerates (normalised reversed: fewer is better)."""
    return sum(
        1
        for taint in node.taints
        if taint.get("effect") == "PreferNoSchedule"
        and not any(tolerates(t, taint) for t in tolerations)
    )


# --- NodeAffinity -----------------------------------------------------------------------------


def preferred_terms(spec: Object) -> list[Object]:
    """The pod's preferred node affinity terms that count: weight 0 and empty terms do not."""
    node_affinity = (spec.get("affinity") or {}).get("nodeAffinity") or {}
    return [
        t
        for t in node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []
        if t.get("weight")
        and (
            (t.get("preference") or {}).get("matchExpressions")
            or (t.get("preference") or {}).get("matchFields")
        )
    ]


def preferred_affinity(terms: list[Object], node: NodeFacts) -> int:
    """PreferredSchedulingTerms.Score: the sum of the weights of the terms the node matches."""
    score = 0
    for term in terms:
        preference = term.get("preference") or {}
        expressions = preference.get("matchExpressions") or []
        by_field = preference.get("matchFields") or []
        if all(matches_expression(e, node.labels) for e in expressions) and all(
            matches_expression(f, node.fields) for f in by_field
        ):
            score += int(term["weight"])
    return score


# --- NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation ---------------------


def least_allocated(requested: tuple[int, int], allocatable: tuple[int, int]) -> int:
    """leastResourceScorer over cpu and memory, weight 1 each: the share each leaves free, with
    what the node's pods and this one request (their non-zero requests), averaged; a resource
    the node has none of is left out."""
    score = weights = 0
    for want, has in zip(requested, allocatable, strict=True):
        if has == 0:
            continue
        score += 0 if want > has else (has - want) * MAX_NODE_SCORE // has
        weights += 1
    return score // weights if weights else 0


def balanced_allocation(requested: tuple[int, int], allocatable: tuple[int, int]) -> int:
    """balancedResourceScorer: 1 minus the standard deviation of the cpu and memory fractions
    the node's pods and this one request (their own requests), times MaxNodeScore."""
    fractions = [min(want / has, 1.0) for want, has in zip(requested, allocatable, strict=True)
                 if has]  # fmt: skip
    std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
    return int((1 - std) * MAX_NODE_SCORE)


# --- ImageLocality ----------------------------------------------------------------------------


def normalized_image_name(name: str) -> str:
    """normalizedImageName: the tag `latest` added when the image names none."""
    if name.rfind(":") <= name.rfind("/"):
        name += ":latest"
    return name


def image_locality(
    images: list[str], present: Mapping[str, tuple[int, int]], total_nodes: int
) -> int:
    """calculatePriority(sumImageScores): the sizes of the pod's images already on the node,
    each scaled by the share of nodes that have it, between 23MB and 1000MB per container.
    `present` maps the node's images to (size, nodes that have it)."""
    total = 0
    for image in images:
        state = present.get(normalized_image_name(image))
        if state is not None:
            size, nodes = state
            total += int(size * (nodes / total_nodes))
    highest = MAX_CONTAINER_THRESHOLD * len(images)
    total = min(max(total, MIN_THRESHOLD), highest)
    return MAX_NODE_SCORE * (total - MIN_THRESHOLD) // (highest - MIN_THRESHOLD)
