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


MINIMUM_GRACE = 2.0  # minimumGracePeriodInSeconds: a container's least time to stop


def request_stop(
    record: Object, now: float, grace: float, reason: str, signal_after: float = 0.0,
    turn: list[str] | None = None,
) -> Object:  # fmt: skip
    """The record with a stop requested now: the stop signal once the preStop hook is done
    (`signal_after` seconds), SIGKILL at the end of the grace period. With `turn` (a sidecar
    waiting for the containers it outlives), the signal is held until take_turn releases it,
    at the latest when what is left of the grace period has passed."""
    if record.get("stop") is not None:
        return record
    stop: Object = {"at": now, "signal": now + signal_after, "deadline": now + grace,
                    "reason": reason}  # fmt: skip
    if turn is not None:
        left = max(0.0, grace - signal_after)
        stop.update(
            turn=list(turn), hook_end=now + signal_after, grace_left=left,
            signal=now + signal_after + left,
            deadline=now + signal_after + left + MINIMUM_GRACE,
        )  # fmt: skip
    return {**record, "stop": stop}


def take_turn(record: Object, now: float, prerequisites_done: bool) -> Object:
    """A held sidecar stop, released when the containers it waits for have stopped (or its
    wait ran out): the signal now, SIGKILL after what is left of the grace period (the seconds
    waited truncated), never less than MINIMUM_GRACE. The same record while it still waits."""
    stop = record["stop"]
    if not prerequisites_done and now < float(stop["signal"]):
        return record
    signal = max(now, float(stop["hook_end"])) if prerequisites_done else float(stop["signal"])
    waited = int(signal - float(stop["hook_end"]))
    grace = max(MINIMUM_GRACE, float(stop["grace_left"]) - waited)
    released = {k: v for k, v in stop.items() if k not in ("turn", "hook_end", "grace_left")}
    released.update(signal=signal, deadline=signal + grace)
    return {**record, "stop": released}


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
