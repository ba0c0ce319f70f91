"""Moving time many ticks at once: a quiet cluster skips ahead, but never past a timer."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.api.server import ApiServer
from kubesim.engine.bootstrap import bootstrap
from kubesim.engine.tick import clock_of, run_ticks
from kubesim.store import ClusterState

WALL = 1_795_000_000.0


def cluster_with(obj: dict[str, Any]) -> ClusterState:
    state = ClusterState()
    bootstrap(state, WALL, "manual")
    ApiServer(state, clock_of(state).now).create(obj)
    return state


def probed_set(delay: int) -> dict[str, Any]:
    labels = {"app": "web"}
    probe = {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": delay}
    container = {"name": "nginx", "image": "nginx:1.25", "readinessProbe": probe}
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "serviceName": "web",
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def created_at(state: ClusterState, name: str) -> float:
    pod = state.get("pods", "default", name)
    assert pod is not None, f"{name} was never created"
    return meta.parse_time(pod["metadata"]["creationTimestamp"]) - WALL


def test_a_catch_up_does_not_skip_past_a_probe_s_initial_delay() -> None:
    state = cluster_with(probed_set(delay=20))
    run_ticks(state, 120, limit=600)
    # web-0 turns Ready once its probe first runs, after 20s; web-1 follows at once
    assert created_at(state, "web-0") < 5
    assert 20 <= created_at(state, "web-1") < 30


def test_a_cluster_at_rest_jumps_to_the_end() -> None:
    state = ClusterState()
    bootstrap(state, WALL, "manual")
    ran = run_ticks(state, 3600, limit=600)
    assert ran < 5  # the first ticks fill in what bootstrap left (endpoints), then it jumps
    assert clock_of(state).now == WALL + 3600
