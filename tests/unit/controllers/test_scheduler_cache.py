"""The scheduler's cache: what pods add to their node and take away, the label sets spread and
pod affinity count by, and the index that answers a selector without reading pods."""

from __future__ import annotations

from typing import Any

from kubesim.api.selectors import from_labels
from kubesim.controllers.changes import SetRuntime
from kubesim.controllers.scheduler_cache import (
    NODES_SECTION,
    PODS_SECTION,
    NodeCache,
    signature,
)
from kubesim.controllers.scheduler_index import PodIndex
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState

MI = 1024 * 1024


def bound(name: str, node: str, labels: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": name, "namespace": "default", "labels": labels, **extra},
        "spec": {"nodeName": node, "containers": [
            {"name": "c", "resources": {"requests": {"cpu": "250m"}}}]},
        "status": {"phase": "Running"},
    }  # fmt: skip


def fresh() -> tuple[ClusterState, NodeCache]:
    state = ClusterState()
    return state, NodeCache(Snapshot(state, 0.0))


def store(state: ClusterState, cache: NodeCache) -> NodeCache:
    """Write the cache's changes and read it again, as the next tick would."""
    for change in cache.changes():
        assert isinstance(change, SetRuntime)
        section = state.section(change.section)
        if change.value is None:
            section.pop(change.key, None)
        else:
            section[change.key] = change.value
    return NodeCache(Snapshot(state, 0.0))


def test_a_pod_adds_its_requests_and_labels_to_its_node_and_takes_them_away() -> None:
    state, cache = fresh()
    cache.count("default/a", bound("a", "n1", {"app": "web"}))
    cache.count("default/b", bound("b", "n1", {"app": "web"}))
    cache = store(state, cache)
    total = state.section(NODES_SECTION)["n1"]
    assert total["pods"] == 2
    assert total["requested"] == {"cpu": 500}
    assert total["nonzero"] == [500, 400 * MI]  # memory defaults to 200Mi a container
    assert total["labels"] == {signature("default", {"app": "web"}): 2}
    cache.count("default/a", None)
    cache.count("default/b", None)
    store(state, cache)
    assert "n1" not in state.section(NODES_SECTION)
    assert "default/a" not in state.section(PODS_SECTION)


def test_terminating_pods_are_counted_apart_and_relabelled_pods_move() -> None:
    state, cache = fresh()
    cache.count("default/a", bound("a", "n1", {"app": "web"}))
    index = PodIndex(cache, ["n1"])
    web = from_labels({"app": "web"})
    default = frozenset(["default"])
    assert index.counts(default, web, live=True) == {"n1": 1}
    going = bound("a", "n1", {"app": "web"}, deletionTimestamp="2026-01-01T00:00:00Z")
    cache.count("default/a", going)
    assert index.counts(default, web, live=True) == {"n1": 0}
    assert index.counts(default, web, live=False) == {"n1": 1}
    cache.count("default/a", bound("a", "n1", {"app": "db"}))
    assert index.counts(default, web, live=False) == {"n1": 0}
    assert index.counts(default, from_labels({"app": "db"}), live=True) == {"n1": 1}
    assert index.counts(frozenset(["other"]), from_labels({"app": "db"}), live=True) == {}


def test_assumed_pods_keep_their_scores_and_pending_pods_their_verdicts() -> None:
    state, cache = fresh()
    pending = bound("p", "", {"app": "web"})
    pending["spec"]["nodeName"] = None
    cache.refuse(pending, {"message": "0/3 nodes are available"})
    cache = store(state, cache)
    cache.count("default/p", pending)  # tried again later: the verdicts stay until then
    assert cache.changes() == []
    scores = {"node": "n2", "count": 1}
    cache.assume(pending, "n2", scores)
    cache = store(state, cache)
    assert state.section(NODES_SECTION)["n2"]["pods"] == 1
    cache.count("default/p", bound("p", "n2", {"app": "web"}))  # the bound pod, next tick
    cache = store(state, cache)
    assert state.section(PODS_SECTION)["default/p"]["scores"] == scores


def test_the_index_finds_candidates_by_label_and_follows_assumed_pods() -> None:
    state, cache = fresh()
    for i, node in enumerate(["n1", "n1", "n2"]):
        cache.count(f"default/w{i}", bound(f"w{i}", node, {"app": "web", "tier": "front"}))
    cache.count("default/d", bound("d", "n2", {"app": "db"}))
    cache = store(state, cache)
    index = PodIndex(cache, ["n1", "n2"])
    default = frozenset(["default"])
    front = from_labels({"app": "web", "tier": "front"})
    assert index.counts(default, front, live=True) == {"n1": 2, "n2": 1}
    pending = bound("x", "", {"app": "web", "tier": "front"})
    cache.assume(pending, "n2", None)
    assert index.counts(default, front, live=True) == {"n1": 2, "n2": 2}
    assert sorted(index.pods()) == [
        ("n1", signature("default", {"app": "web", "tier": "front"}), 2),
        ("n2", signature("default", {"app": "db"}), 1),
        ("n2", signature("default", {"app": "web", "tier": "front"}), 2),
    ]


def test_pods_with_affinity_are_kept_with_their_terms() -> None:
    state, cache = fresh()
    pod = bound("a", "n1", {"app": "store"})
    anti = {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "store"}}, "topologyKey": "h"}]}}  # fmt: skip
    pod["spec"]["affinity"] = {**anti, "nodeAffinity": {}}
    cache.count("default/a", pod)
    index = PodIndex(cache, ["n1"])
    assert list(index.with_affinity()) == [("n1", signature("default", {"app": "store"}), anti)]
    cache.count("default/a", None)
    assert list(index.with_affinity()) == []
