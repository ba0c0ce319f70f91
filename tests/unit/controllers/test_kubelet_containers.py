"""The kubelet's container lifecycle: process ends, restarts and back-off, as pure decisions."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers.changes import RecordEvent, UpdateStatus
from kubesim.controllers.kubelet_images import Images

NOW = 1_000_000.0
NODE = {"metadata": {"name": "kubesim-worker"}}


def pod(
    state: dict[str, Any], restarts: int = 0, policy: str = "Always", last: Any = None
) -> dict[str, Any]:
    status: dict[str, Any] = {
        "name": "c",
        "ready": False,
        "restartCount": restarts,
        "state": state,
        "containerID": "id",
    }
    if last:
        status["lastState"] = {"terminated": last}
    return {
        "metadata": {"name": "p", "namespace": "default", "uid": "u"},
        "spec": {"restartPolicy": policy, "containers": [{"name": "c", "image": "busybox"}]},
        "status": {"phase": "Running", "containerStatuses": [status]},
    }


def exited(at: float, code: int = 0) -> dict[str, Any]:
    return {
        "exitCode": code,
        "finishedAt": meta.format_time(at),
        "reason": "Completed" if code == 0 else "Error",
    }


def test_backoff_doubles_up_to_five_minutes() -> None:
    assert [lifecycle.backoff(n) for n in range(7)] == [0, 10, 20, 40, 80, 160, 300]


def test_a_process_that_has_ended_terminates_its_container() -> None:
    running = pod({"running": {"startedAt": meta.format_time(NOW - 5)}})
    records = {"u/c": {"containerID": "id", "end": NOW - 1, "exitCode": 3}}
    new = lifecycle.ended_processes(running, NOW, records)
    assert new is not None
    terminated = new["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (3, "Error")


def test_a_process_still_going_changes_nothing() -> None:
    running = pod({"running": {"startedAt": meta.format_time(NOW)}})
    assert (
        lifecycle.ended_processes(running, NOW, {"u/c": {"containerID": "id", "end": None}}) is None
    )


def test_first_exit_restarts_at_once() -> None:
    changes = lifecycle.after_exit(
        pod({"terminated": exited(NOW)}), NODE, NOW, Images(), lifecycle.runs_forever
    )
    status = next(c.obj for c in changes if isinstance(c, UpdateStatus))["status"][
        "containerStatuses"
    ][0]
    assert status["restartCount"] == 1 and "running" in status["state"]


def test_later_exits_back_off_with_an_event() -> None:
    changes = lifecycle.after_exit(
        pod({"terminated": exited(NOW)}, restarts=2), NODE, NOW, Images(), lifecycle.runs_forever
    )
    status = next(c.obj for c in changes if isinstance(c, UpdateStatus))["status"][
        "containerStatuses"
    ][0]
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert (
        status["state"]["waiting"]["message"]
        == "back-off 20s restarting failed container=c pod=p_default(u)"
    )
    assert [c.reason for c in changes if isinstance(c, RecordEvent)] == ["BackOff"]


def test_the_back_off_ends_with_a_restart() -> None:
    waiting = pod({"waiting": {"reason": "CrashLoopBackOff"}}, restarts=2, last=exited(NOW - 20))
    changes = lifecycle.after_exit(waiting, NODE, NOW, Images(), lifecycle.runs_forever)
    status = next(c.obj for c in changes if isinstance(c, UpdateStatus))["status"][
        "containerStatuses"
    ][0]
    assert status["restartCount"] == 3 and "running" in status["state"]


def test_never_restart_makes_the_pod_terminal() -> None:
    changes = lifecycle.after_exit(
        pod({"terminated": exited(NOW, 1)}, policy="Never"),
        NODE,
        NOW,
        Images(),
        lifecycle.runs_forever,
    )
    assert (
        next(c.obj for c in changes if isinstance(c, UpdateStatus))["status"]["phase"] == "Failed"
    )


def test_a_container_running_its_spec_image_has_not_changed() -> None:
    running = pod({"running": {"startedAt": meta.format_time(NOW)}})
    running["status"]["containerStatuses"][0]["image"] = "docker.io/library/busybox:latest"
    assert lifecycle.changed_definitions(running) == []


def test_a_new_image_restarts_the_container_whatever_the_policy() -> None:
    running = pod({"running": {"startedAt": meta.format_time(NOW - 9)}}, policy="Never")
    running["status"]["containerStatuses"][0]["image"] = "docker.io/library/busybox:1.28"
    assert lifecycle.changed_definitions(running) == ["c"]
    changes = lifecycle.restart_changed(running, NODE, NOW, Images(), lifecycle.runs_forever, ["c"])
    status = next(c.obj for c in changes if isinstance(c, UpdateStatus))["status"][
        "containerStatuses"
    ][0]
    assert status["restartCount"] == 1 and "running" in status["state"]
    assert status["image"] == "docker.io/library/busybox:latest"
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    events = [(c.reason, c.message) for c in changes if isinstance(c, RecordEvent)]
    assert events[0] == ("Killing", "Container c definition changed, will be restarted")


def test_a_sidecar_s_stop_waits_its_turn_then_keeps_what_is_left_of_the_grace() -> None:
    from kubesim.controllers import kubelet_termination as termination

    held = termination.request_stop({}, 100.0, 30.0, "delete", 0.0, ["app"])
    assert held["stop"]["signal"] == 130.0 and held["stop"]["deadline"] == 132.0
    assert termination.take_turn(held, 104.0, prerequisites_done=False) is held
    released = termination.take_turn(held, 104.5, prerequisites_done=True)["stop"]
    assert (released["signal"], released["deadline"]) == (104.5, 104.5 + 26)
    assert "turn" not in released
    # the wait ran out: signal at the end of the grace, then the 2 s every container gets
    late = termination.take_turn(held, 130.0, prerequisites_done=False)["stop"]
    assert (late["signal"], late["deadline"]) == (130.0, 132.0)
