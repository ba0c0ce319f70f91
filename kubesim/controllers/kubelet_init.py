"""The kubelet's init containers (kuberuntime_container.go computeInitContainerActions):
they run one at a time, in order, each to a successful end before the next starts; the app's
containers wait (PodInitializing) until all have. One that fails is started again after the
kubelet's back-off (Init:Error, then Init:CrashLoopBackOff) unless the pod's restartPolicy is
Never, which fails the pod. A native sidecar (an init container with restartPolicy Always)
only has to be started for the next one to go, and runs on beside the app, started again
whenever it exits.

`step` returns the changes of the one step initialization takes now, or None once it is done.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.api.podutil import is_sidecar
from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers import kubelet_images
from kubesim.controllers.changes import Change, UpdateStatus
from kubesim.controllers.kubelet_status import event, refresh_conditions

Object = dict[str, Any]
INIT = "initContainerStatuses"


def is_initialized(pod: Object) -> bool:
    """Every init container has ended well, and every sidecar has started."""
    specs = pod["spec"].get("initContainers") or []
    statuses = {s["name"]: s for s in (pod.get("status") or {}).get(INIT) or []}
    for spec in specs:
        status = statuses.get(spec["name"]) or {}
        state = status.get("state") or {}
        if is_sidecar(spec):
            if not ("running" in state and status.get("started")):
                return False
        elif (state.get("terminated") or {}).get("exitCode") != 0 or "terminated" not in state:
            return False
    return True


def step(pod: Object, node: Object, state: Any) -> list[Change] | None:
    """The next step of initialization, or None when it is done (or the pod has none)."""
    if not pod["spec"].get("initContainers") or is_initialized(pod):
        return None
    now = state.now
    new = meta.clone(pod)
    specs = {c["name"]: c for c in pod["spec"]["initContainers"]}
    for status in new["status"][INIT]:
        spec = specs[status["name"]]
        current = status.get("state") or {}
        if is_sidecar(spec) and "running" in current and status.get("started"):
            continue
        terminated = current.get("terminated")
        if not is_sidecar(spec) and terminated and terminated.get("exitCode") == 0:
            continue
        changes = _advance(new, spec, status, node, state)
        new["status"]["phase"] = "Failed" if _failed(new) else "Pending"
        if _failed(new):
            _give_up(new, now)
        refresh_conditions(new, now)
        if new["status"] != pod["status"]:
            changes.insert(0, UpdateStatus(new))
        return changes
    return None


def _advance(pod: Object, spec: Object, status: Object, node: Object, state: Any) -> list[Change]:
    """One step of the init container now due (`status` changed in place)."""
    now = state.now
    current = status.get("state") or {}
    waiting = (current.get("waiting") or {}).get("reason")
    if "running" in current:
        return []  # its process runs: the kubelet looks again when it ends
    if waiting in ("PodInitializing", "ContainerCreating") and not status.get("containerID"):
        # the sandbox step announced the first init container's pull already
        first = spec["name"] == pod["spec"]["initContainers"][0]["name"]
        return _start(pod, spec, status, node, state, announce=not first)
    if waiting in kubelet_images.RETRIED_REASONS:
        resync = state.resync.get(pod["metadata"]["uid"])
        if resync is not None and now < float(resync):
            return []
        return _start(pod, spec, status, node, state)
    exited = current.get("terminated") or (status.get("lastState") or {}).get("terminated")
    if exited is None:
        return []
    policy = pod["spec"].get("restartPolicy", "Always")
    if not is_sidecar(spec) and policy == "Never":
        return []  # the pod has failed (see _failed)
    restarts = int(status.get("restartCount", 0))
    due = meta.parse_time(exited["finishedAt"]) + lifecycle.backoff(restarts)
    if now >= due:
        status["lastState"] = {"terminated": exited}
        status["restartCount"] = restarts + 1
        return _start(pod, spec, status, node, state)
    if waiting == "CrashLoopBackOff":
        return []
    m = pod["metadata"]
    pod_ref = f"{m['name']}_{m['namespace']}({m['uid']})"  # format.Pod
    status["lastState"] = {"terminated": exited}
    status.update({"ready": False, "started": False})
    status["state"] = {
        "waiting": {
            "message": f"back-off {lifecycle.backoff(restarts)}s restarting failed "
            f"container={status['name']} pod={pod_ref}",
            "reason": "CrashLoopBackOff",
        }
    }
    message = f"Back-off restarting failed container {status['name']} in pod {pod_ref}"
    return [event(pod, node, "Warning", "BackOff", message, status["name"])]


def _start(
    pod: Object, spec: Object, status: Object, node: Object, state: Any, *, announce: bool = True
) -> list[Change]:
    """Start an init container; only a sidecar can be ready (a readiness probe's, or at once)."""
    changes = lifecycle._start(
        pod, spec, status, node, state.now, state.images, state.run_main, announce=announce,
        run_hook=state.run_hook, config=state.config,
    )  # fmt: skip
    if not is_sidecar(spec):
        status["ready"] = False
    return changes


def _failed(pod: Object) -> bool:
    """A regular init container failed in a pod that never restarts: the pod has failed."""
    if pod["spec"].get("restartPolicy", "Always") != "Never":
        return False
    specs = {c["name"]: c for c in pod["spec"].get("initContainers") or []}
    for status in pod["status"].get(INIT) or []:
        terminated = (status.get("state") or {}).get("terminated")
        if terminated and terminated.get("exitCode") != 0 and not is_sidecar(specs[status["name"]]):
            return True
    return False


def _give_up(pod: Object, now: float) -> None:
    """A failed pod's containers that never ran are left as they were (waiting), as the
    kubelet leaves them."""
    pod["status"]["phase"] = "Failed"


def init_waiting_state() -> Object:
    return {"waiting": {"reason": "PodInitializing"}}
