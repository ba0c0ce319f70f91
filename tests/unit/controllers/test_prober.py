"""The kubelet's probe timing and thresholds, with a scripted probe runner."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers.prober import probe_pod

STARTED = 1_000_000.0


def pod_with(probe_field: str, probe: dict[str, Any], ready: bool = False) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "uid": "u"},
        "spec": {"containers": [{"name": "c", "image": "busybox", probe_field: probe}]},
        "status": {
            "containerStatuses": [
                {
                    "name": "c",
                    "ready": ready,
                    "state": {"running": {"startedAt": meta.format_time(STARTED)}},
                }
            ]
        },
    }


def scripted(*results: bool) -> Any:
    answers = list(results)
    calls: list[float] = []

    def run(pod: Any, spec: Any, probe: Any) -> tuple[bool, str]:
        calls.append(0)
        return answers.pop(0), "nope"

    run.calls = calls  # type: ignore[attr-defined]
    return run


def test_first_probe_waits_for_the_initial_delay() -> None:
    pod = pod_with("readinessProbe", {"exec": {}, "initialDelaySeconds": 5, "periodSeconds": 10})
    run = scripted(True)
    assert probe_pod(pod, STARTED + 4, {}, run).ready == {}
    assert probe_pod(pod, STARTED + 5, {}, run).ready == {"c": True}


def test_probes_run_every_period() -> None:
    pod = pod_with("readinessProbe", {"exec": {}, "periodSeconds": 3})
    state: dict[str, Any] = {}
    run = scripted(True, True)
    probe_pod(pod, STARTED + 1, state, run)
    probe_pod(pod, STARTED + 2, state, run)
    probe_pod(pod, STARTED + 4, state, run)
    assert len(run.calls) == 2


def test_readiness_drops_after_failure_threshold() -> None:
    pod = pod_with(
        "readinessProbe", {"exec": {}, "periodSeconds": 1, "failureThreshold": 2}, ready=True
    )
    state: dict[str, Any] = {}
    run = scripted(False, False)
    first = probe_pod(pod, STARTED + 1, state, run)
    assert first.ready == {} and first.events == [
        ("c", "Unhealthy", "Readiness probe failed: nope")
    ]
    assert probe_pod(pod, STARTED + 2, state, run).ready == {"c": False}


def test_liveness_failures_ask_for_a_restart() -> None:
    pod = pod_with("livenessProbe", {"exec": {}, "periodSeconds": 1, "failureThreshold": 1})
    outcome = probe_pod(pod, STARTED + 1, {}, scripted(False))
    assert outcome.restart == {"c": "liveness"}
    assert outcome.events == [("c", "Unhealthy", "Liveness probe failed: nope")]


def test_a_startup_probe_holds_the_others_back_until_it_passes() -> None:
    pod = pod_with("startupProbe", {"exec": {}, "periodSeconds": 1, "failureThreshold": 3})
    pod["spec"]["containers"][0]["livenessProbe"] = {"exec": {}, "periodSeconds": 1}
    pod["status"]["containerStatuses"][0]["started"] = False
    asked: list[str] = []

    def run(
        pod: dict[str, object], spec: dict[str, object], probe: dict[str, object]
    ) -> tuple[bool, str]:
        asked.append("startup" if probe is spec.get("startupProbe") else "other")
        return False, "no"

    outcome = probe_pod(pod, STARTED + 1, {}, run)
    assert asked == ["startup"] and outcome.events == [
        ("c", "Unhealthy", "Startup probe failed: no")
    ]
    state: dict[str, object] = {}
    for second in range(1, 4):
        outcome = probe_pod(pod, STARTED + second, state, run)  # type: ignore[arg-type]
    assert outcome.restart == {"c": "startup"}
