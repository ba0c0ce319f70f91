"""The score plugins that look at one node and the pod alone, and the framework's arithmetic,
with numbers worked out by hand from kube-scheduler v1.32's formulas."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import scheduler_scores as scores
from kubesim.controllers.scheduler_cache import non_zero_requests
from kubesim.controllers.scheduler_filters import NodeFacts

MI = 1024 * 1024
GI = 1024 * MI


def facts(name: str = "n", labels: dict[str, str] | None = None, **spec: Any) -> NodeFacts:
    return NodeFacts.of({
        "metadata": {"name": name, "labels": labels or {}},
        "spec": spec,
        "status": {"allocatable": {"cpu": "2", "memory": "8Gi", "pods": "110"}},
    })  # fmt: skip


def test_default_normalize_scales_to_the_highest_and_may_reverse() -> None:
    assert scores.default_normalize([0, 1, 3]) == [0, 33, 100]
    assert scores.default_normalize([0, 1, 3], reverse=True) == [100, 67, 0]
    assert scores.default_normalize([0, 0]) == [0, 0]
    assert scores.default_normalize([0, 0], reverse=True) == [100, 100]


def test_the_weights_of_the_default_profile() -> None:
    assert scores.WEIGHTS == {
        "TaintToleration": 3,
        "NodeAffinity": 2,
        "NodeResourcesFit": 1,
        "PodTopologySpread": 2,
        "InterPodAffinity": 2,
        "NodeResourcesBalancedAllocation": 1,
        "ImageLocality": 1,
    }


def test_prefer_no_schedule_taints_count_against_a_node_unless_tolerated() -> None:
    tainted = facts(taints=[
        {"key": "a", "effect": "PreferNoSchedule"},
        {"key": "b", "value": "x", "effect": "PreferNoSchedule"},
        {"key": "c", "effect": "NoSchedule"},
    ])  # fmt: skip
    assert scores.intolerable_taints([], tainted) == 2
    tolerations = scores.prefer_no_schedule_tolerations([
        {"key": "a", "operator": "Exists"},
        {"key": "b", "value": "x", "effect": "NoSchedule"},  # not for PreferNoSchedule
    ])  # fmt: skip
    assert scores.intolerable_taints(tolerations, tainted) == 1
    raw = [scores.intolerable_taints([], n) for n in (tainted, facts())]
    assert scores.default_normalize(raw, reverse=True) == [0, 100]


def test_preferred_node_affinity_sums_the_weights_of_matching_terms() -> None:
    spec = {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "preference": {"matchExpressions": [
            {"key": "label-1", "operator": "In", "values": ["key-1"]}]}},
        {"weight": 50, "preference": {"matchExpressions": [
            {"key": "label-2", "operator": "In", "values": ["key-2"]}]}},
        {"weight": 7, "preference": {}},  # an empty term matches nothing
    ]}}}  # fmt: skip
    terms = scores.preferred_terms(spec)
    assert len(terms) == 2
    one = facts("a", {"label-1": "key-1"})
    both = facts("b", {"label-1": "key-1", "label-2": "key-2"})
    none = facts("c")
    raw = [scores.preferred_affinity(terms, n) for n in (one, both, none)]
    assert raw == [1, 51, 0]
    assert scores.default_normalize(raw) == [1, 100, 0]


def test_least_allocated_averages_the_free_share_of_cpu_and_memory() -> None:
    # a best-effort pod counts 100m and 200Mi; the node already holds 200m and 250Mi
    assert scores.least_allocated((300, 450 * MI), (2000, 8 * GI)) == (85 + 94) // 2
    assert scores.least_allocated((2500, 0), (2000, 8 * GI)) == (0 + 100) // 2
    assert scores.least_allocated((100, 100), (0, 0)) == 0  # nothing allocatable to score


def test_balanced_allocation_is_one_minus_the_deviation_of_the_fractions() -> None:
    # upstream's "differently sized nodes": 3000m of 4000m and 5000 of 10000 bytes
    assert scores.balanced_allocation((3000, 5000), (4000, 10000)) == 87
    assert scores.balanced_allocation((100, 50 * MI), (2000, 8 * GI)) == 97
    assert scores.balanced_allocation((0, 0), (2000, 8 * GI)) == 100
    assert scores.balanced_allocation((5000, 0), (2000, 8 * GI)) == 50  # a fraction caps at 1


def test_image_locality_scales_sizes_by_their_spread_between_thresholds() -> None:
    present = {"docker.io/library/big:1": (300 * MI, 1), "docker.io/library/small:1": (10 * MI, 2)}
    # 300MB on 1 node of 2 counts 150MB: 100 * (150 - 23) / (1000 - 23)
    assert scores.image_locality(["docker.io/library/big:1"], present, 2) == 12
    assert scores.image_locality(["docker.io/library/small:1"], present, 2) == 0  # under 23MB
    # the pod's image is matched as written: a short name is not the runtime's full one
    assert scores.image_locality(["big:1"], present, 2) == 0
    assert scores.normalized_image_name("nginx") == "nginx:latest"
    assert scores.normalized_image_name("localhost:5000/app") == "localhost:5000/app:latest"


def test_non_zero_requests_fill_in_what_a_container_does_not_state() -> None:
    pod = {"spec": {
        "containers": [
            {"name": "a"},
            {"name": "b", "resources": {"requests": {"cpu": "250m"}}},
            {"name": "c", "resources": {"requests": {"cpu": "0", "memory": "1Gi"}}},
        ],
        "initContainers": [{"name": "i", "resources": {"requests": {"cpu": "2"}}}],
    }}  # fmt: skip
    # cpu: 100m + 250m + 0 = 350m, the init container's 2 is more; memory: 200Mi + 200Mi + 1Gi
    assert non_zero_requests(pod) == (2000, 400 * MI + GI)
