"""The kubelet of every node: runs the pods bound to it, one lifecycle step per pod per tick.

A bound pod gets its sandbox (pod IP, ContainerCreating), then its containers start (Running,
Ready unless a readiness probe says otherwise) and their main processes run. A pod being
deleted has its containers stopped, then is removed from the API. A container whose process
has ended is restarted or leaves the pod Succeeded/Failed, by the pod's restartPolicy
(kubelet_containers.py). A container's image is pulled first, by its imagePullPolicy, and may
not be had (kubelet_images.py). Status text and events follow kubelet 1.32.
"""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import meta
from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers import kubelet_images, prober
from kubesim.controllers.changes import Change, Remove, SetRuntime, UpdateStatus
from kubesim.controllers.kubelet_containers import (  # noqa: F401 - used by the attach session
    container_id,
    image_id,
    normalize_image,
)
from kubesim.controllers.kubelet_images import IMAGES_SECTION
from kubesim.controllers.kubelet_status import (  # noqa: F401 - refresh_conditions: attach
    event,
    node_internal_ip,
    refresh_conditions,
    terminal_phase,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.network import ipam

Object = dict[str, Any]
COMPONENT = "kubelet"
IPAM_SECTION = "ipam"
CONTAINERS_SECTION = "containers"
EMPTYDIRS_SECTION = "emptydirs"  # "<pod uid>/<volume>" -> files
LOGS_SECTION = "logs"  # "<pod uid>/<container>" -> {"current": [...], "previous": [...]}


class NodeState:
    """What the kubelets keep between pods within one tick: IP leases, pulled images and their
    pull back-offs, probes, and the container runtime's answers about processes and pulls."""

    def __init__(
        self,
        snapshot: Snapshot,
        now: float,
        run_probe: prober.RunProbe,
        run_main: lifecycle.RunMain,
        pull_image: kubelet_images.PullImage,
    ) -> None:
        self.now = now
        self.leases = dict(snapshot.runtime(IPAM_SECTION))
        self.images = kubelet_images.Images(
            present={node: list(found) for node, found in snapshot.runtime(IMAGES_SECTION).items()},
            backoffs=dict(snapshot.runtime(kubelet_images.BACKOFF_SECTION)),
            pull_image=pull_image,
        )
        self.resync = snapshot.runtime(kubelet_images.RESYNC_SECTION)
        self.used_ips = {
            p["status"].get("podIP")
            for p in snapshot.list("pods")
            if p.get("status", {}).get("podIP")
        }
        self.probes = snapshot.runtime(prober.PROBES_SECTION)
        self.processes = snapshot.runtime(lifecycle.PROCESSES_SECTION)
        self.files = snapshot.runtime(CONTAINERS_SECTION)
        self.run_probe = run_probe
        self.run_main = run_main


def reconcile(
    snapshot: Snapshot,
    now: float,
    run_probe: prober.RunProbe = prober.always_succeeds,
    run_main: lifecycle.RunMain = lifecycle.runs_forever,
    pull_image: kubelet_images.PullImage = kubelet_images.always_pulls,
) -> list[Change]:
    nodes = {n["metadata"]["name"]: n for n in snapshot.list("nodes")}
    node_state = NodeState(snapshot, now, run_probe, run_main, pull_image)
    bound_claims = {
        (c["metadata"]["namespace"], c["metadata"]["name"])
        for c in snapshot.list("persistentvolumeclaims")
        if c["status"].get("phase") == "Bound"
    }
    changes: list[Change] = []
    for pod in snapshot.list("pods"):
        node = nodes.get(pod["spec"].get("nodeName") or "")
        if node is None:
            continue
        if not status_started(pod) and not volumes_attached(pod, bound_claims):
            continue  # the sandbox waits for the pod's volumes (WaitForAttachAndMount)
        changes += sync_pod(pod, node, node_state)
    changes += _forget_gone_pods(snapshot)
    return changes


def _forget_gone_pods(snapshot: Snapshot) -> list[Change]:
    """What belonged to pods that are gone: container files, emptyDirs, probes, processes, logs,
    image pull back-offs."""
    live = {p["metadata"]["uid"] for p in snapshot.list("pods")}
    changes: list[Change] = []
    sections = (CONTAINERS_SECTION, prober.PROBES_SECTION, EMPTYDIRS_SECTION,
                lifecycle.PROCESSES_SECTION, LOGS_SECTION, kubelet_images.BACKOFF_SECTION,
                kubelet_images.RESYNC_SECTION)  # fmt: skip
    for section in sections:
        for key in snapshot.runtime(section):
            if key.split("/", 1)[0] not in live:
                changes.append(SetRuntime(section, key, None))
    return changes


def status_started(pod: Object) -> bool:
    return bool((pod.get("status") or {}).get("containerStatuses"))


def volumes_attached(pod: Object, bound_claims: set[tuple[str, str]]) -> bool:
    """Every claim the pod mounts is bound to a volume."""
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if claim and (namespace, claim) not in bound_claims:
            return False
    return True


def sync_pod(pod: Object, node: Object, state: NodeState) -> list[Change]:
    """The one step this pod takes now (syncPod / syncTerminatingPod)."""
    status = pod.get("status") or {}
    now = state.now
    if meta.is_terminating(pod):
        return _terminate(pod, node, now)
    if status.get("phase") in ("Succeeded", "Failed"):
        return []
    statuses = status.get("containerStatuses")
    if not statuses:
        return _create_sandbox(pod, node, state)
    waiting = [(s.get("state") or {}).get("waiting", {}).get("reason") for s in statuses]
    if "ContainerCreating" in waiting:
        return lifecycle.start_waiting(pod, node, now, state.images, state.run_main)
    if "CrashLoopBackOff" in waiting or any("terminated" in s.get("state", {}) for s in statuses):
        return lifecycle.after_exit(pod, node, now, state.images, state.run_main)
    if any(reason in kubelet_images.IMAGE_REASONS for reason in waiting):
        uid = pod["metadata"]["uid"]
        changes = lifecycle.retry_images(
            pod, node, now, state.images, state.run_main, state.resync.get(uid)
        )
        if changes:
            return changes
    changed = lifecycle.changed_definitions(pod)
    if changed:
        changes = lifecycle.restart_changed(pod, node, now, state.images, state.run_main, changed)
        return changes + _fresh_layers(pod, changed, state.files)
    ended = lifecycle.ended_processes(pod, now, state.processes)
    if ended is not None:
        return [UpdateStatus(ended)]
    return _probe(pod, node, state)


def _fresh_layers(pod: Object, names: list[str], files: Any) -> list[Change]:
    """A new container starts from its image: what the old one wrote outside volumes is gone."""
    uid = pod["metadata"]["uid"]
    layers = files.get(uid) or {}
    if not any(name in layers for name in names):
        return []
    kept = {name: data for name, data in layers.items() if name not in names}
    return [SetRuntime(CONTAINERS_SECTION, uid, kept or None)]


def _probe(pod: Object, node: Object, state: NodeState) -> list[Change]:
    """Readiness and liveness of a running pod's containers."""
    if not any(prober.has_probes(c) for c in pod["spec"].get("containers") or []):
        return []
    uid = pod["metadata"]["uid"]
    before = state.probes.get(uid) or {}
    results = copy.deepcopy(before)
    outcome = prober.probe_pod(pod, state.now, results, state.run_probe)
    changes: list[Change] = []
    if results != before:
        changes.append(SetRuntime(prober.PROBES_SECTION, uid, results))
    for container, reason, message in outcome.events:
        changes.append(event(pod, node, "Warning", reason, message, container))
    new = copy.deepcopy(pod)
    for status in new["status"]["containerStatuses"]:
        name = status["name"]
        if name in outcome.restart:
            message = f"Container {name} failed liveness probe, will be restarted"
            changes.append(event(pod, node, "Normal", "Killing", message, name))
            terminated = {
                "containerID": status.get("containerID", ""),
                "exitCode": 0,  # the kubelet stops it with SIGTERM, which nginx answers with 0
                "finishedAt": meta.format_time(state.now),
                "reason": "Completed",
                "startedAt": status["state"]["running"].get("startedAt"),
            }
            status.update({"ready": False, "started": False, "state": {"terminated": terminated}})
        elif name in outcome.ready:
            status["ready"] = outcome.ready[name]
    if new["status"] != pod["status"]:
        refresh_conditions(new, state.now)
        changes.insert(0, UpdateStatus(new))
    return changes


# --- start-up ---------------------------------------------------------------------------------


def _create_sandbox(pod: Object, node: Object, state: NodeState) -> list[Change]:
    """The first status write: the sandbox and its IP exist, containers are being created."""
    now, images = state.now, state.images.present
    node_name = node["metadata"]["name"]
    ip = ipam.next_pod_ip(node["spec"]["podCIDR"], state.used_ips, state.leases.get(node_name))
    if ip is None:
        return []
    state.used_ips.add(ip)
    state.leases[node_name] = ip
    host_ip = node_internal_ip(node)
    new = copy.deepcopy(pod)
    containers = pod["spec"]["containers"]
    new["status"].update(
        {
            "phase": "Pending",
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": meta.format_time(now),
        }
    )
    new["status"]["containerStatuses"] = [
        {
            "image": c["image"],
            "imageID": "",
            "lastState": {},
            "name": c["name"],
            "ready": False,
            "restartCount": 0,
            "started": False,
            "state": {"waiting": {"reason": "ContainerCreating"}},
        }
        for c in containers
    ]
    refresh_conditions(new, now)
    changes: list[Change] = [UpdateStatus(new), SetRuntime(IPAM_SECTION, node_name, ip)]
    for c in containers:
        if kubelet_images.pulls_first(c, images.get(node_name, [])):
            changes.append(
                event(pod, node, "Normal", "Pulling", f'Pulling image "{c["image"]}"', c["name"])
            )
    return changes


def _terminate(pod: Object, node: Object, now: float) -> list[Change]:
    """Stop the containers of a pod being deleted; once stopped, the pod is terminal and goes."""
    status = pod.get("status") or {}
    running = [
        s for s in status.get("containerStatuses") or [] if "terminated" not in s.get("state", {})
    ]
    m = pod["metadata"]
    if not running:
        return [Remove("pods", m["namespace"], m["name"], m["uid"])]
    new = copy.deepcopy(pod)
    stamp = meta.format_time(now)
    changes: list[Change] = [UpdateStatus(new)]
    for s in new["status"]["containerStatuses"]:
        state = s.get("state", {})
        if "terminated" in state:
            continue
        started = (state.get("running") or {}).get("startedAt")
        # nginx and the shells kubesim runs exit 0 on SIGTERM
        terminated: Object = {
            "exitCode": 0,
            "finishedAt": stamp,
            "reason": "Completed",
            "startedAt": started or stamp,
        }
        if s.get("containerID"):
            terminated = {"containerID": s["containerID"], **terminated}
            changes.append(
                event(pod, node, "Normal", "Killing", f"Stopping container {s['name']}", s["name"])
            )
        s.update({"ready": False, "started": False, "state": {"terminated": terminated}})
    # a pod being deleted does not restart its containers: it is terminal (getPhase, podIsTerminal)
    new["status"]["phase"] = terminal_phase(new["status"]["containerStatuses"])
    refresh_conditions(new, now)
    return changes
