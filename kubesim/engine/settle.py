"""Whether a quiet cluster may skip ahead: a tick that changes nothing is not enough, since a
timer may be running (a probe's initial delay, a crash-loop back-off, a grace period, PodGC's
quarantine). Skipping past one would fire it late, at the end of the jump: an OrderedReady set
would then create its next pod minutes after it should.

`timers_pending` is conservative: anything that may still change by itself keeps time moving one
tick at a time (the caller caps how many), and only a cluster at rest jumps.
"""

from __future__ import annotations

from typing import Any

from kubesim.controllers.kubelet_containers import PROCESSES_SECTION
from kubesim.controllers.podgc import SECTION as PODGC_SECTION
from kubesim.store.state import ClusterState

Object = dict[str, Any]


def timers_pending(state: ClusterState, now: float) -> bool:
    """True while something in the cluster is due to change with time alone."""
    if state.peek_section(PODGC_SECTION):
        return True  # a vanished node's pods wait out their quarantine
    processes = state.peek_section(PROCESSES_SECTION)
    if any((p or {}).get("end") is not None and p["end"] > now for p in processes.values()):
        return True  # a container's main process ends later
    if any(_pod_in_motion(pod) for pod in state.list("pods")):
        return True
    workloads = ("deployments.apps", "replicasets.apps", "statefulsets.apps")
    if any(_becoming_available(w) for r in workloads for w in state.list(r)):
        return True
    return any(_rollout_in_progress(d) for d in state.list("deployments.apps"))


def _pod_in_motion(pod: Object) -> bool:
    if pod["metadata"].get("deletionTimestamp"):
        return True  # a grace period runs
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if status.get("phase") != "Running":
        return True
    for spec, container in zip(
        pod["spec"].get("containers") or [], status.get("containerStatuses") or [], strict=False
    ):
        if spec.get("readinessProbe") or spec.get("livenessProbe") or spec.get("startupProbe"):
            return True  # probes run on their period
        if not container.get("ready") or "running" not in (container.get("state") or {}):
            return True  # a back-off, an image pull, a restart
    return False


def _becoming_available(workload: Object) -> bool:
    """Ready pods count as available only after minReadySeconds."""
    status = workload.get("status") or {}
    return int(status.get("readyReplicas", 0)) > int(status.get("availableReplicas", 0))


# a rollout with one of these reasons may still pass its progress deadline; the others
# (NewReplicaSetAvailable, DeploymentPaused, ProgressDeadlineExceeded) wait for nothing
_PROGRESSING = (
    "NewReplicaSetCreated",
    "FoundNewReplicaSet",
    "ReplicaSetUpdated",
    "DeploymentResumed",
)


def _rollout_in_progress(deployment: Object) -> bool:
    for condition in (deployment.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Progressing":
            return condition.get("reason") in _PROGRESSING
    return False
