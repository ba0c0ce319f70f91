"""The kubelet of every node: runs the pods bound to it, one lifecycle step per pod per tick.

A bound pod gets its sandbox (pod IP, ContainerCreating), then its containers start (Running,
Ready unless a readiness probe says otherwise). A pod being deleted has its containers stopped,
then is removed from the API. A container that has exited is restarted or leaves the pod
Succeeded/Failed, by the pod's restartPolicy. Status text and events follow kubelet 1.32.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from kubesim.api import meta
from kubesim.controllers import prober
from kubesim.controllers.changes import Change, RecordEvent, Remove, SetRuntime, UpdateStatus
from kubesim.controllers.snapshot import Snapshot
from kubesim.network import ipam

Object = dict[str, Any]
COMPONENT = "kubelet"
IPAM_SECTION = "ipam"
CONTAINERS_SECTION = "containers"
IMAGES_SECTION = "images"  # node -> images already pulled there
EMPTYDIRS_SECTION = "emptydirs"  # "<pod uid>/<volume>" -> files


class NodeState:
    """What the kubelets keep between pods within one tick: IP leases, pulled images, probes."""

    def __init__(self, snapshot: Snapshot, now: float, run_probe: prober.RunProbe) -> None:
        self.now = now
        self.leases = dict(snapshot.runtime(IPAM_SECTION))
        self.images = {
            node: list(found) for node, found in snapshot.runtime(IMAGES_SECTION).items()
        }
        self.used_ips = {
            p["status"].get("podIP")
            for p in snapshot.list("pods")
            if p.get("status", {}).get("podIP")
        }
        self.probes = snapshot.runtime(prober.PROBES_SECTION)
        self.run_probe = run_probe


def reconcile(
    snapshot: Snapshot, now: float, run_probe: prober.RunProbe = prober.always_succeeds
) -> list[Change]:
    nodes = {n["metadata"]["name"]: n for n in snapshot.list("nodes")}
    node_state = NodeState(snapshot, now, run_probe)
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
    # forget what belonged to pods that are gone: container files, emptyDirs, probe results
    live = {p["metadata"]["uid"] for p in snapshot.list("pods")}
    for section in (CONTAINERS_SECTION, prober.PROBES_SECTION):
        for uid in snapshot.runtime(section):
            if uid not in live:
                changes.append(SetRuntime(section, uid, None))
    for key in snapshot.runtime(EMPTYDIRS_SECTION):
        if key.split("/", 1)[0] not in live:
            changes.append(SetRuntime(EMPTYDIRS_SECTION, key, None))
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
    if not status.get("containerStatuses"):
        return _create_sandbox(pod, node, state)
    if any("waiting" in c.get("state", {}) for c in status["containerStatuses"]):
        return _start_containers(pod, node, now, state.images)
    if any("terminated" in c.get("state", {}) for c in status["containerStatuses"]):
        return _after_exit(pod, node, now)
    return _probe(pod, node, state)


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
        changes.append(_event(pod, node, "Warning", reason, message, container))
    new = copy.deepcopy(pod)
    for status in new["status"]["containerStatuses"]:
        name = status["name"]
        if name in outcome.restart:
            message = f"Container {name} failed liveness probe, will be restarted"
            changes.append(_event(pod, node, "Normal", "Killing", message, name))
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
    now, images = state.now, state.images
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
        if _must_pull(c, images.get(node_name, [])):
            changes.append(
                _event(pod, node, "Normal", "Pulling", f'Pulling image "{c["image"]}"', c["name"])
            )
    return changes


def _must_pull(container: Object, present: list[str]) -> bool:
    return container.get("imagePullPolicy") == "Always" or container["image"] not in present


def _start_containers(
    pod: Object, node: Object, now: float, images: dict[str, list[str]]
) -> list[Change]:
    node_name = node["metadata"]["name"]
    present = images.setdefault(node_name, [])
    new = copy.deepcopy(pod)
    stamp = meta.format_time(now)
    changes: list[Change] = [UpdateStatus(new)]
    for spec, status in zip(
        pod["spec"]["containers"], new["status"]["containerStatuses"], strict=False
    ):
        if "waiting" not in status["state"]:
            continue
        restarts = int(status.get("restartCount", 0))
        status.update(
            {
                "containerID": container_id(pod, spec["name"], restarts),
                "image": normalize_image(spec["image"]),
                "imageID": image_id(spec["image"]),
                "ready": not spec.get("readinessProbe"),
                "started": True,
                "state": {"running": {"startedAt": stamp}},
            }
        )
        image = spec["image"]
        if _must_pull(spec, present):
            message = (
                f'Successfully pulled image "{image}" in 1s (1s including waiting). '
                f"Image size: {image_size(image)} bytes."
            )
            if image not in present:
                present.append(image)
                changes.append(SetRuntime(IMAGES_SECTION, node_name, list(present)))
        else:
            message = f'Container image "{image}" already present on machine'
        changes.append(_event(pod, node, "Normal", "Pulled", message, spec["name"]))
        changes.append(
            _event(
                pod, node, "Normal", "Created", f"Created container: {spec['name']}", spec["name"]
            )
        )
        changes.append(
            _event(
                pod, node, "Normal", "Started", f"Started container {spec['name']}", spec["name"]
            )
        )
    new["status"]["phase"] = "Running"
    refresh_conditions(new, now)
    return changes


# --- exits, restarts, termination --------------------------------------------------------------


def _after_exit(pod: Object, node: Object, now: float) -> list[Change]:
    """Restart exited containers the restartPolicy restarts; else the pod reaches its phase."""
    policy = pod["spec"].get("restartPolicy", "Always")
    new = copy.deepcopy(pod)
    statuses = new["status"]["containerStatuses"]
    restart = [
        s
        for s in statuses
        if "terminated" in s["state"]
        and (
            policy == "Always"
            or (policy == "OnFailure" and s["state"]["terminated"].get("exitCode", 0) != 0)
        )
    ]
    for s in restart:
        s["lastState"] = {"terminated": s["state"]["terminated"]}
        s["restartCount"] = int(s.get("restartCount", 0)) + 1
        s.update(
            {
                "ready": False,
                "started": False,
                "state": {"waiting": {"reason": "ContainerCreating"}},
            }
        )
    if not restart and all("terminated" in s["state"] for s in statuses):
        new["status"]["phase"] = terminal_phase(statuses)
    refresh_conditions(new, now)
    return [UpdateStatus(new)] if new["status"] != pod["status"] else []


def terminal_phase(statuses: list[Object]) -> str:
    """Succeeded when every container exited 0, else Failed (getPhase for a terminal pod)."""
    failed = any(s["state"]["terminated"].get("exitCode", 0) != 0 for s in statuses)
    return "Failed" if failed else "Succeeded"


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
                _event(pod, node, "Normal", "Killing", f"Stopping container {s['name']}", s["name"])
            )
        s.update({"ready": False, "started": False, "state": {"terminated": terminated}})
    # a pod being deleted does not restart its containers: it is terminal (getPhase, podIsTerminal)
    new["status"]["phase"] = terminal_phase(new["status"]["containerStatuses"])
    refresh_conditions(new, now)
    return changes


# --- status helpers ----------------------------------------------------------------------------


def refresh_conditions(pod: Object, now: float) -> None:
    """The kubelet-owned conditions, in the kubelet's order (generateAPIPodStatus)."""
    status = pod["status"]
    phase = status.get("phase")
    statuses = status.get("containerStatuses") or []
    unready = [s["name"] for s in statuses if not s.get("ready")]
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
        condition("Initialized", "True", initialized_reason),
        condition("Ready", ready_value, reason, message),
        condition("ContainersReady", ready_value, reason, message),
        scheduled,
    ]


def _event(
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


def normalize_image(image: str) -> str:
    """The image reference as containerd reports it (docker.io/library/nginx:1.9.1)."""
    name = image
    if "@" not in name and ":" not in name.rsplit("/", 1)[-1]:
        name += ":latest"
    first = name.split("/", 1)[0]
    if "/" not in name:
        return f"docker.io/library/{name}"
    if "." not in first and ":" not in first and first != "localhost":
        return f"docker.io/{name}"
    return name


def image_id(image: str) -> str:
    repository = normalize_image(image).rsplit(":", 1)[0].split("@")[0]
    digest = hashlib.sha256(f"image:{normalize_image(image)}".encode()).hexdigest()
    return f"{repository}@sha256:{digest}"


def container_id(pod: Object, container: str, restarts: int) -> str:
    digest = hashlib.sha256(f"{pod['metadata']['uid']}/{container}/{restarts}".encode()).hexdigest()
    return f"containerd://{digest}"


def image_size(image: str) -> int:
    """A plausible, stable size in bytes for an image kubesim pretends to pull."""
    digest = hashlib.sha256(f"size:{image}".encode()).digest()
    return 2_000_000 + int.from_bytes(digest[:4], "big") % 70_000_000
