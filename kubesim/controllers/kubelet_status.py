"""What the kubelet writes about a pod besides its containers: conditions, events, phases."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers.changes import RecordEvent

Object = dict[str, Any]
COMPONENT = "kubelet"


def refresh_conditions(pod: Object, now: float) -> None:
    """The kubelet-owned conditions, in the kubelet's order (generateAPIPodStatus)."""
    status = pod["status"]
    phase = status.get("phase")
    statuses = status.get("containerStatuses") or []
    inits = pod["spec"].get("initContainers") or []
    init_statuses = {s["name"]: s for s in status.get("initContainerStatuses") or []}
    sidecars = [c["name"] for c in inits if c.get("restartPolicy") == "Always"]
    # GenerateContainersReadyCondition: sidecars count among the containers to be ready
    unready = [name for name in sidecars if not (init_statuses.get(name) or {}).get("ready")] + [
        s["name"] for s in statuses if not s.get("ready")
    ]
    incomplete = [
        c["name"] for c in inits if not _init_complete(c, init_statuses.get(c["name"]) or {})
    ]
    terminal_reason = {"Succeeded": "PodCompleted", "Failed": "PodFailed"}.get(str(phase))
    if terminal_reason:
        ready = ("False", terminal_reason, "")
    elif unready:
        ready = (
            "False",
            "ContainersNotReady",
            f"containers with unready status: [{' '.join(unready)}]",
        )
    else:
        ready = ("True", "", "")
    initialized_reason = "PodCompleted" if phase == "Succeeded" else ""
    initialized = ("True", initialized_reason, "")
    # GeneratePodInitializedCondition: a pod whose app has started stays initialized while
    # its sidecars restart
    if incomplete and phase != "Succeeded" and not has_started_app(pod):
        initialized = (
            "False",
            "ContainersNotInitialized",
            f"containers with incomplete status: [{' '.join(incomplete)}]",
        )
    sandbox = "False" if terminal_reason else "True"
    old = {c["type"]: c for c in status.get("conditions") or []}
    stamp = meta.format_time(now)

    def condition(kind: str, value: str, reason: str = "", message: str = "") -> Object:
        previous = old.get(kind)
        since = (
            previous["lastTransitionTime"] if previous and previous["status"] == value else stamp
        )
        c: Object = {"lastProbeTime": None, "lastTransitionTime": since}
        if message:
            c["message"] = message
        if reason:
            c["reason"] = reason
        c.update({"status": value, "type": kind})
        return c

    ready_value, reason, message = ready
    scheduled = old.get("PodScheduled") or condition("PodScheduled", "True")
    status["conditions"] = [
        condition("PodReadyToStartContainers", sandbox),
        condition("Initialized", *initialized),
        condition("Ready", ready_value, reason, message),
        condition("ContainersReady", ready_value, reason, message),
        scheduled,
    ]


def has_started_app(pod: Object) -> bool:
    """HasAnyRegularContainerStarted (the runtime still has it): one of the app's containers
    has run, so the pod was initialized once, whatever its sidecars do since."""
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        current = status.get("state") or {}
        if "running" in current or "terminated" in current:
            return True
        if (status.get("lastState") or {}).get("terminated"):
            return True
    return False


def _init_complete(spec: Object, status: Object) -> bool:
    """An init container has done its part: ended well, or (a sidecar) started."""
    state = status.get("state") or {}
    if spec.get("restartPolicy") == "Always":
        return "running" in state and bool(status.get("started"))
    return (state.get("terminated") or {}).get("exitCode") == 0


def terminal_phase(statuses: list[Object]) -> str:
    """Succeeded when every container exited 0, else Failed (getPhase for a terminal pod)."""
    failed = any(s["state"]["terminated"].get("exitCode", 0) != 0 for s in statuses)
    return "Failed" if failed else "Succeeded"


def phase_while_starting(statuses: list[Object]) -> str:
    """getPhase while containers start: Pending as long as one has never run (waiting with no
    last termination, e.g. for its image), else Running."""
    never_ran = any(
        "waiting" in s["state"] and not (s.get("lastState") or {}).get("terminated")
        for s in statuses
    )
    return "Pending" if never_ran else "Running"


def synced_phase(pod: Object) -> str:
    """getPhase as the kubelet's status update after a sync computes it: a pod none of whose
    containers will run again is done at once (pods with sidecars stop those first)."""
    from kubesim.api.podutil import is_sidecar

    statuses = pod["status"].get("containerStatuses") or []
    sidecars = any(is_sidecar(c) for c in pod["spec"].get("initContainers") or [])
    if statuses and not sidecars and all("terminated" in s["state"] for s in statuses):
        return phase_when_all_exited(statuses, pod["spec"].get("restartPolicy", "Always"))
    return phase_while_starting(statuses)


def phase_when_all_exited(statuses: list[Object], restart_policy: str) -> str:
    """getPhase once every container has exited: Running while the restartPolicy will start
    one again (Always; OnFailure after a failure), else the terminal phase."""
    phase = terminal_phase(statuses)
    if restart_policy == "Always" or (restart_policy == "OnFailure" and phase == "Failed"):
        return "Running"
    return phase


def event(
    pod: Object, node: Object, type_: str, reason: str, message: str, container: str
) -> RecordEvent:
    return RecordEvent(
        pod, type_, reason, message, COMPONENT, host=node["metadata"]["name"],
        field_path=f"spec.containers{{{container}}}",
    )  # fmt: skip


def node_internal_ip(node: Object) -> str:
    for address in node.get("status", {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address["address"])
    return ""
