"""How the kubelet stops a container (kuberuntime_container.go killContainer): the image's stop
signal to its main process, then, if it is still running when the grace period is over,
SIGKILL. What a process does with SIGTERM depends on what it is: PID 1 of a container gets only
the signals it has a handler for, so a shell script, `sleep` or a node or python server that
installs none ignores it and is killed after the grace period (exit code 137), while nginx
(STOPSIGNAL SIGQUIT in its image) shuts down at once with 0.

The container runtime says in the process record what its main process does with the stop
signal ("stopCode": the exit code it ends with, or None when it goes on); the stop is kept in
the record ("stop": {at, deadline, reason}) until the container has ended.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta

Object = dict[str, Any]

SIGKILLED = 137  # 128 + SIGKILL


def request_stop(
    record: Object, now: float, grace: float, reason: str, signal_after: float = 0.0
) -> Object:
    """The record with a stop requested now: the stop signal once the preStop hook is done
    (`signal_after` seconds), SIGKILL at the end of the grace period."""
    if record.get("stop") is not None:
        return record
    stop = {"at": now, "signal": now + signal_after, "deadline": now + grace, "reason": reason}
    return {**record, "stop": stop}


def signalled(record: Object | None, now: float) -> bool:
    """Whether the stop signal has been sent (after the preStop hook) to a process that ends
    on it."""
    stop = (record or {}).get("stop")
    if stop is None or (record or {}).get("stopCode") is None:
        return False
    return now >= float(stop.get("signal", stop["at"]))


def stopped(status: Object, record: Object | None, now: float, code: int) -> Object:
    """The container status fields of a container whose process ended with `code` at `now`
    (terminated: Completed for 0, Error otherwise)."""
    running = (status.get("state") or {}).get("running") or {}
    stamp = meta.format_time(now)
    terminated: Object = {
        "exitCode": code,
        "finishedAt": stamp,
        "reason": "Completed" if code == 0 else "Error",
        "startedAt": running.get("startedAt") or stamp,
    }
    if status.get("containerID"):
        terminated = {"containerID": status["containerID"], **terminated}
    return {"ready": False, "started": False, "state": {"terminated": terminated}}


def forced(record: Object | None, now: float) -> bool:
    """Whether a requested stop's grace period is over (SIGKILL)."""
    stop = (record or {}).get("stop")
    return stop is not None and now >= float(stop["deadline"])


def grace_for_probe(pod: Object, probe: Object) -> float:
    """A liveness or startup probe's kill: its own terminationGracePeriodSeconds, else the
    pod's (30 by default)."""
    own = probe.get("terminationGracePeriodSeconds")
    if own is not None:
        return float(own)
    return float(pod["spec"].get("terminationGracePeriodSeconds", 30))
