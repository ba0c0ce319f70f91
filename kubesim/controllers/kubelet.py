"""The kubelet of every node: runs the pods bound to it, one lifecycle step per pod per tick.

A bound pod gets its sandbox (pod IP, ContainerCreating), then its containers start (Running,
Ready unless a readiness probe says otherwise) and their main processes run. A pod being
deleted has its containers stopped, then is removed from the API. A container whose process
has ended is restarted or leaves the pod Succeeded/Failed, by the pod's restartPolicy
(kubelet_containers.py). A container's image is pulled first, by its imagePullPolicy, and may
not be had (kubelet_images.py). Status text and events follow kubelet 1.32.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

from kubesim.api import meta
from kubesim.controllers import kubelet_config, kubelet_images, prober, queue
from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers.changes import (
    Change,
    DropRuntime,
    Remove,
    Requeue,
    SetRuntime,
    UpdateStatus,
)
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
from kubesim.store import indexes

Object = dict[str, Any]
COMPONENT = "kubelet"
IPAM_SECTION = "ipam"
CONTAINERS_SECTION = "containers"
EMPTYDIRS_SECTION = "emptydirs"  # "<pod uid>/<volume>" -> files
LOGS_SECTION = "logs"  # "<pod uid>/<container>" -> {"current": [...], "previous": [...]}


class Overlay(MutableMapping[str, Any]):
    """A runtime section as a kubelet sees it within one tick: read lazily, with what this tick
    changed laid over it (the changes themselves go out as SetRuntime)."""

    def __init__(self, section: Mapping[str, Any]) -> None:
        self.section = section
        self.local: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self.local:
            return self.local[key]
        return self.section[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.local[key] = value

    def __delitem__(self, key: str) -> None:
        raise NotImplementedError

    def __iter__(self) -> Iterator[str]:
        return iter({*self.section, *self.local})

    def __len__(self) -> int:
        return len({*self.section, *self.local})


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
        self.snapshot = snapshot
        self.now = now
        self.leases = Overlay(snapshot.runtime(IPAM_SECTION))
        self.images = kubelet_images.Images(
            present=_ImagesOnNodes(snapshot.runtime(IMAGES_SECTION)),
            backoffs=Overlay(snapshot.runtime(kubelet_images.BACKOFF_SECTION)),
            pull_image=pull_image,
        )
        self.resync = snapshot.runtime(kubelet_images.RESYNC_SECTION)
        self._ips: dict[str, set[str]] = {}
        self.probes = snapshot.runtime(prober.PROBES_SECTION)
        self.processes = snapshot.runtime(lifecycle.PROCESSES_SECTION)
        self.files = snapshot.runtime(CONTAINERS_SECTION)
        self.run_probe = run_probe
        self.run_main = run_main
        self.config = kubelet_config.Config(snapshot)

    def ips_in_use(self, node: str) -> set[str]:
        """The pod IPs of the pods on `node` (whose /24 they come from), and those given out
        this tick."""
        if node not in self._ips:
            self._ips[node] = {
                p["status"]["podIP"]
                for p in self.snapshot.pods_on(node)
                if (p.get("status") or {}).get("podIP")
            }
        return self._ips[node]


class _ImagesOnNodes(dict[str, list[str]]):
    """The images pulled on each node, read from the section for a node when first asked."""

    def __init__(self, section: Mapping[str, Any]) -> None:
        super().__init__()
        self.section = section

    def __missing__(self, node: str) -> list[str]:
        found = self[node] = list(self.section.get(node) or [])
        return found

    def get(self, node: str, default: Any = None) -> Any:
        return self[node]

    def setdefault(self, node: str, default: Any = None) -> Any:
        return self[node]


def reconcile(
    snapshot: Snapshot,
    now: float,
    keys: list[str] | None = None,
    run_probe: prober.RunProbe = prober.always_succeeds,
    run_main: lifecycle.RunMain = lifecycle.runs_forever,
    pull_image: kubelet_images.PullImage = kubelet_images.always_pulls,
) -> list[Change]:
    """One step for each pod named by `keys` (every bound pod when None); `uid:<uid>` keys
    forget what belonged to a pod that is gone."""
    node_state = NodeState(snapshot, now, run_probe, run_main, pull_image)
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        if key.startswith(GONE):
            changes += _forget(key.removeprefix(GONE))
            continue
        namespace, name = queue.split_key(key)
        pod = snapshot.get("pods", namespace, name)
        if pod is None or not pod["spec"].get("nodeName"):
            continue
        node = snapshot.get("nodes", None, pod["spec"]["nodeName"])
        if node is None:
            continue
        if not status_started(pod) and not volumes_attached(snapshot, pod):
            continue  # the sandbox waits for the pod's volumes (WaitForAttachAndMount)
        changes += sync_pod(pod, node, node_state)
        changes += kubelet_config.refresh_volumes(node_state.config, pod, now)
        wake = next_wake(pod, node_state)
        if wake is not None:
            changes.append(Requeue(key, wake))
    return changes


GONE = "uid:"  # the key of a pod that is gone, by its uid
# what the kubelet and the runtime keep per pod, keyed "<pod uid>" or "<pod uid>/..."
POD_SECTIONS = (CONTAINERS_SECTION, prober.PROBES_SECTION, EMPTYDIRS_SECTION,
                lifecycle.PROCESSES_SECTION, LOGS_SECTION, kubelet_images.BACKOFF_SECTION,
                kubelet_images.RESYNC_SECTION, *kubelet_config.SECTIONS)  # fmt: skip


def all_keys(snapshot: Snapshot) -> list[str]:
    """Every bound pod, and the pods gone that left runtime records behind."""
    pods = [p for p in snapshot.list("pods") if p["spec"].get("nodeName")]
    live = {p["metadata"]["uid"] for p in snapshot.list("pods")}
    gone = {
        key.split("/", 1)[0]
        for section in POD_SECTIONS
        for key in snapshot.runtime(section)
        if key.split("/", 1)[0] not in live
    }
    return [*queue.keys_of(pods), *(f"{GONE}{uid}" for uid in sorted(gone))]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A pod bound to a node (its pod worker); a pod that went (what it left behind); a node
    (its pods); a claim (the pods waiting to mount it)."""
    if event.resource == "pods":
        if event.type == "DELETED":
            return (f"{GONE}{event.new['metadata']['uid']}",)
        return (event.key,) if event.new["spec"].get("nodeName") else ()
    if event.resource == "nodes":
        return queue.keys_of(snapshot.pods_on(event.name))
    if event.resource == "persistentvolumeclaims" and event.namespace:
        return queue.keys_of(snapshot.pods_using(indexes.CLAIM, event.namespace, event.name))
    if event.resource in ("configmaps", "secrets") and event.namespace:
        index = indexes.CONFIGMAP if event.resource == "configmaps" else indexes.SECRET
        using = snapshot.pods_using(index, event.namespace, event.name)
        return queue.keys_of(p for p in using if p["spec"].get("nodeName"))
    return ()


def _forget(uid: str) -> list[Change]:
    """What belonged to a pod that is gone: container files, emptyDirs, probes, processes, logs,
    image pull back-offs."""
    return [DropRuntime(section, uid) for section in POD_SECTIONS]


def next_wake(pod: Object, state: NodeState) -> float | None:
    """When this pod's worker must look at it again with nothing else changed: a crash-loop
    back-off or an image pull back-off ending, a main process ending, a probe falling due."""
    status = pod.get("status") or {}
    if meta.is_terminating(pod) or status.get("phase") in ("Succeeded", "Failed"):
        return None
    now = state.now
    uid = pod["metadata"]["uid"]
    due: list[float] = []
    specs = {c["name"]: c for c in pod["spec"].get("containers") or []}
    probes = state.probes.get(uid) or {}
    for container in status.get("containerStatuses") or []:
        name = container["name"]
        current = container.get("state") or {}
        waiting = (current.get("waiting") or {}).get("reason")
        if waiting == "CrashLoopBackOff":
            exited = (container.get("lastState") or {}).get("terminated")
            if exited and exited.get("finishedAt"):
                restarts = int(container.get("restartCount", 0))
                due.append(meta.parse_time(exited["finishedAt"]) + lifecycle.backoff(restarts))
        elif waiting in kubelet_images.RETRIED_REASONS:
            resync = state.resync.get(uid)
            due.append(float(resync) if resync is not None else now + 1)
        running = current.get("running")
        if running is None:
            continue
        record = state.processes.get(f"{uid}/{name}") or {}
        same_run = record.get("containerID") in (None, container.get("containerID"))
        if record.get("end") is not None and same_run and float(record["end"]) > now:
            due.append(float(record["end"]))
        started = meta.parse_time(running["startedAt"]) if running.get("startedAt") else now
        spec = specs.get(name) or {}
        for field, _ in prober.KINDS:
            probe = spec.get(field)
            if probe:
                last = ((probes.get(name) or {}).get(field) or {}).get("last")
                due.append(prober.next_due(probe, last, started))
    later = [t for t in due if t is not None]
    return max(min(later), now + 1) if later else None


def volumes_attached(snapshot: Snapshot, pod: Object) -> bool:
    """Every claim the pod mounts is bound to a volume."""
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
        if claim:
            found = snapshot.get("persistentvolumeclaims", namespace, claim)
            if found is None or (found.get("status") or {}).get("phase") != "Bound":
                return False
    return True


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=("pods", "nodes", "persistentvolumeclaims", "configmaps", "secrets"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def status_started(pod: Object) -> bool:
    return bool((pod.get("status") or {}).get("containerStatuses"))


def sync_pod(pod: Object, node: Object, state: NodeState) -> list[Change]:
    """The one step this pod takes now (syncPod / syncTerminatingPod)."""
    status = pod.get("status") or {}
    now = state.now
    if meta.is_terminating(pod):
        return _terminate(pod, node, now)
    if status.get("phase") in ("Succeeded", "Failed"):
        return []
    statuses = status.get("containerStatuses")
    if not statuses or not status.get("podIP"):
        # the volume manager mounts the pod's volumes before the sandbox (kubelet_config.py)
        waiting_for = kubelet_config.wait_for_volumes(state.config, pod, node, now)
        if waiting_for is not None:
            return waiting_for
        return [
            *kubelet_config.mount_volumes(state.config, pod),
            *_create_sandbox(pod, node, state),
        ]
    config = state.config
    waiting = [(s.get("state") or {}).get("waiting", {}).get("reason") for s in statuses]
    if "ContainerCreating" in waiting:
        return lifecycle.start_waiting(pod, node, now, state.images, state.run_main, config=config)
    if "CrashLoopBackOff" in waiting or any("terminated" in s.get("state", {}) for s in statuses):
        return lifecycle.after_exit(pod, node, now, state.images, state.run_main, config=config)
    if any(reason in kubelet_images.RETRIED_REASONS for reason in waiting):
        uid = pod["metadata"]["uid"]
        changes = lifecycle.retry_images(
            pod, node, now, state.images, state.run_main, state.resync.get(uid), config=config
        )
        if changes:
            return changes
    changed = lifecycle.changed_definitions(pod)
    if changed:
        changes = lifecycle.restart_changed(
            pod, node, now, state.images, state.run_main, changed, config=config
        )
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
    results = meta.clone(before)
    outcome = prober.probe_pod(pod, state.now, results, state.run_probe)
    changes: list[Change] = []
    if results != before:
        changes.append(SetRuntime(prober.PROBES_SECTION, uid, results))
    for container, reason, message in outcome.events:
        changes.append(event(pod, node, "Warning", reason, message, container))
    new = meta.clone(pod)
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
    used = state.ips_in_use(node_name)
    ip = ipam.next_pod_ip(node["spec"]["podCIDR"], used, state.leases.get(node_name))
    if ip is None:
        return []
    used.add(ip)
    state.leases[node_name] = ip
    host_ip = node_internal_ip(node)
    new = meta.clone(pod)
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
    new = meta.clone(pod)
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
