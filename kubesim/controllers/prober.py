"""The kubelet's prober (pkg/kubelet/prober): readiness and liveness probes, in ticks.

A probe first runs initialDelaySeconds after its container started, then every periodSeconds.
successThreshold successes in a row make a container ready, failureThreshold failures make it
unready (readiness) or get it restarted (liveness). Each failure is a Warning `Unhealthy` event
(`Readiness probe failed: ...`). Running a probe is the container runtime's job: the kubelet is
given a `run_probe` function (kubesim.sandbox.probes), so this module stays pure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.api import meta

Object = dict[str, Any]
# (pod, container spec, probe) -> (succeeded, output for the event message)
# (True, "") on success, (False, output) on failure, (None, error) when the prober could not
# run it at all (a port name the container lacks): the result is thrown away
RunProbe = Callable[[Object, Object, Object], tuple[bool | None, str]]
# (pod, container spec, probe) -> whether the probe's answer never changes once it passed (a
# known daemon's health endpoint): probing it again is skipped, so a steady cluster stays idle
SteadyProbe = Callable[[Object, Object, Object], bool]
PROBES_SECTION = "probes"  # pod uid -> container -> probe kind -> {last, successes, failures}
KINDS = (("readinessProbe", "Readiness"), ("livenessProbe", "Liveness"))
STARTUP = ("startupProbe", "Startup")


def probed_containers(pod: Object) -> list[Object]:
    """The containers the prober watches: the sidecars (init containers with restartPolicy
    Always) and the app's."""
    sidecars = [
        c for c in pod["spec"].get("initContainers") or [] if c.get("restartPolicy") == "Always"
    ]
    return [*sidecars, *(pod["spec"].get("containers") or [])]


def has_probes(container: Object) -> bool:
    return any(container.get(field) for field, _ in (*KINDS, STARTUP))


def always_succeeds(pod: Object, container: Object, probe: Object) -> tuple[bool | None, str]:
    return True, ""


class Outcome:
    """What one round of probing a pod found."""

    def __init__(self) -> None:
        self.ready: dict[str, bool] = {}  # container -> readiness, where it changed
        self.started: list[str] = []  # containers whose startup probe has just passed
        self.restart: dict[str, str] = {}  # containers to restart -> the probe that failed
        self.events: list[tuple[str, str, str]] = []  # (container, reason, message)


def never_steady(pod: Object, container: Object, probe: Object) -> bool:
    return False


def settled(record: Object | None, steady: bool) -> bool:
    """A steady probe that has passed: it is not run again."""
    return steady and bool(record) and int((record or {}).get("successes", 0)) > 0


def probe_pod(
    pod: Object,
    now: float,
    state: dict[str, Any],
    run: RunProbe,
    skip: frozenset[str] = frozenset(),
    steady: SteadyProbe = never_steady,
) -> Outcome:
    """Run the probes that are due on the pod's running containers (but those in `skip`,
    being stopped); updates `state` in place."""
    outcome = Outcome()
    status_lists = ("initContainerStatuses", "containerStatuses")
    statuses = {
        s["name"]: s for field in status_lists for s in (pod.get("status") or {}).get(field) or []
    }
    for spec in probed_containers(pod):
        if spec["name"] in skip:
            continue
        status = statuses.get(spec["name"]) or {}
        running = (status.get("state") or {}).get("running")
        if running is None:
            continue
        started = meta.parse_time(running["startedAt"]) if running.get("startedAt") else now
        per_container = state.setdefault(spec["name"], {})
        # a startup probe holds the others back until it passes (prober worker's `started`)
        waiting_start = bool(spec.get(STARTUP[0])) and not status.get("started")
        for field, label in (STARTUP,) if waiting_start else KINDS:
            probe = spec.get(field)
            if not probe:
                continue
            record = per_container.setdefault(field, {"last": None, "successes": 0, "failures": 0})
            if settled(record, steady(pod, spec, probe)) or not _due(probe, record, started, now):
                continue
            record["last"] = now
            ok, output = run(pod, spec, probe)
            if ok is None:
                # prober.go records the error; worker.go's doProbe throws the result away, so
                # nothing counts towards a threshold and readiness stays as it was
                message = f"{label} probe errored and resulted in unknown state: {output}"
                outcome.events.append((spec["name"], "Unhealthy", message))
                continue
            if ok:
                record["successes"] += 1
                record["failures"] = 0
            else:
                record["failures"] += 1
                record["successes"] = 0
                outcome.events.append(
                    (spec["name"], "Unhealthy", f"{label} probe failed: {output}")
                )
            if field == "readinessProbe":
                if record["successes"] >= int(probe.get("successThreshold", 1)):
                    outcome.ready[spec["name"]] = True
                elif record["failures"] >= int(probe.get("failureThreshold", 3)):
                    outcome.ready[spec["name"]] = False
            elif field == STARTUP[0] and ok:
                outcome.started.append(spec["name"])
            elif record["failures"] >= int(probe.get("failureThreshold", 3)):
                outcome.restart[spec["name"]] = label.lower()
                per_container.pop(field, None)
    return outcome


def _due(probe: Object, record: Object, started: float, now: float) -> bool:
    return now >= next_due(probe, record.get("last"), started)


def next_due(probe: Object, last: float | None, started: float) -> float:
    """When a probe runs next: initialDelaySeconds after the start, then every periodSeconds."""
    first = started + int(probe.get("initialDelaySeconds", 0))
    if last is None:
        return first
    return max(first, float(last) + int(probe.get("periodSeconds", 10)))
