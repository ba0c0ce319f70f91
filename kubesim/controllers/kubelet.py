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
from kubesim.api.podutil import all_statuses, container_spec
from kubesim.controllers import kubelet_config, kubelet_images, kubelet_init, prober, queue
from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers import kubelet_termination as termination
from kubesim.controllers.changes import (
    Change,
    DropRuntime,
    RecordEvent,
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
        resume_main: lifecycle.ResumeMain = lifecycle.never_resumes,
        run_hook: lifecycle.RunHook = lifecycle.hooks_pass,
        steady_probe: prober.SteadyProbe = prober.never_steady,
    ) -> None:
        self.snapshot = snapshot
        self.steady_probe = steady_probe
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
        self.processes = Overlay(snapshot.runtime(lifecycle.PROCESSES_SECTION))
        self.files = snapshot.runtime(CONTAINERS_SECTION)
        self.run_probe = run_probe
        self.run_main = run_main
        self.resume_main = resume_main
        self.run_hook = run_hook
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
    resume_main: lifecycle.ResumeMain = lifecycle.never_resumes,
    run_hook: lifecycle.RunHook = lifecycle.hooks_pass,
    steady_probe: prober.SteadyProbe = prober.never_steady,
) -> list[Change]:
    """One step for each pod named by `keys` (every bound pod when None); `uid:<uid>` keys
    forget what belonged to a pod that is gone."""
    node_state = NodeState(
        snapshot, now, run_probe, run_main, pull_image, resume_main, run_hook, steady_probe
    )
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
    if status.get("phase") in ("Succeeded", "Failed"):
        return None
    now = state.now
    uid = pod["metadata"]["uid"]
    due: list[float] = []
    specs = {c["name"]: c for c in pod["spec"].get("containers") or []}
    probes = state.probes.get(uid) or {}
    for container in all_statuses(pod):
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
        if record.get("wake") is not None and same_run and record.get("end") is None:
            due.append(float(record["wake"]))  # a suspended main process goes on then
        if record.get("stop") and same_run:
            stop = record["stop"]
            due.append(float(stop["deadline"]))  # SIGKILL at the end of its grace
            if float(stop.get("signal", stop["at"])) > now:
                due.append(float(stop["signal"]))  # the stop signal after its preStop hook
        started = meta.parse_time(running["startedAt"]) if running.get("startedAt") else now
        spec = specs.get(name) or {}
        kinds: tuple[tuple[str, str], ...] = prober.KINDS
        if spec.get(prober.STARTUP[0]) and not container.get("started"):
            kinds = (prober.STARTUP,)  # the others wait for it
        for field, _ in kinds:
            probe = spec.get(field)
            if probe:
                record = (probes.get(name) or {}).get(field)
                if prober.settled(record, state.steady_probe(pod, spec, probe)):
                    continue
                due.append(prober.next_due(probe, (record or {}).get("last"), started))
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
        return _terminate(pod, node, state)
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
    if pod["spec"].get("initContainers") and not kubelet_init.is_initialized(pod):
        resumed = _resume_processes(pod, state)
        ended = lifecycle.ended_processes(pod, now, state.processes)
        if ended is not None:
            return [*resumed, UpdateStatus(ended)]
        return resumed + (kubelet_init.step(pod, node, state) or [])
    waiting = [(s.get("state") or {}).get("waiting", {}).get("reason") for s in statuses]
    config = state.config
    if "ContainerCreating" in waiting or "PodInitializing" in waiting:
        return lifecycle.start_waiting(
            pod, node, now, state.images, state.run_main, state.run_hook, config
        )
    if "CrashLoopBackOff" in waiting or any("terminated" in s.get("state", {}) for s in statuses):
        return lifecycle.after_exit(
            pod, node, now, state.images, state.run_main, state.run_hook, config
        )
    if any(reason in kubelet_images.RETRIED_REASONS for reason in waiting):
        uid = pod["metadata"]["uid"]
        changes = lifecycle.retry_images(
            pod, node, now, state.images, state.run_main, state.resync.get(uid), state.run_hook,
            config,
        )  # fmt: skip
        if changes:
            return changes
    changed = lifecycle.changed_definitions(pod)
    if changed:
        changes = lifecycle.restart_changed(
            pod, node, now, state.images, state.run_main, changed, state.run_hook, config
        )
        return changes + _fresh_layers(pod, changed, state.files)
    resumed = _resume_processes(pod, state)
    ended = lifecycle.ended_processes(pod, now, state.processes)
    if ended is not None:
        return [*resumed, UpdateStatus(ended)]
    return resumed + _probe(pod, node, state)


def _resume_processes(pod: Object, state: NodeState) -> list[Change]:
    """The main processes of running containers whose time has come: they go on (the
    container runtime runs them; kubesim.sandbox.process)."""
    uid = pod["metadata"]["uid"]
    changes: list[Change] = []
    for status in all_statuses(pod):
        key = f"{uid}/{status['name']}"
        record = state.processes.get(key)
        if not record or "running" not in (status.get("state") or {}):
            continue
        if record.get("wake") is None or float(record["wake"]) > state.now:
            continue
        if record.get("containerID") not in (None, status.get("containerID")):
            continue  # a record of an earlier run of this container
        spec = container_spec(pod, status["name"])
        assert spec is not None
        resumed = state.resume_main(pod, spec, record, state.now)
        for change in resumed:
            if isinstance(change, SetRuntime) and change.section == lifecycle.PROCESSES_SECTION:
                state.processes[change.key] = change.value
        changes += resumed
    return changes


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
    stopping = frozenset(
        name
        for name in (c["name"] for c in pod["spec"].get("containers") or [])
        if (state.processes.get(f"{uid}/{name}") or {}).get("stop")
    )
    outcome = prober.probe_pod(
        pod, state.now, results, state.run_probe, stopping, state.steady_probe
    )
    changes: list[Change] = []
    if results != before:
        changes.append(SetRuntime(prober.PROBES_SECTION, uid, results))
    for container, reason, message in outcome.events:
        changes.append(event(pod, node, "Warning", reason, message, container))
    new = meta.clone(pod)
    for status in new["status"]["containerStatuses"]:
        name = status["name"]
        spec = next(c for c in pod["spec"]["containers"] if c["name"] == name)
        if name in outcome.restart:
            kind = outcome.restart[name]
            message = f"Container {name} failed {kind} probe, will be restarted"
            changes.append(event(pod, node, "Normal", "Killing", message, name))
            grace = termination.grace_for_probe(pod, spec.get(f"{kind}Probe") or {})
            changes += _stop(new, status, state, grace, kind)
            continue
        if name in outcome.started:
            status["started"] = True
            status["ready"] = not spec.get("readinessProbe")  # readiness probes begin now
        if name in outcome.ready:
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
    host_ip = node_internal_ip(node)
    leased = not pod["spec"].get("hostNetwork")
    if leased:
        cidr = (node.get("spec") or {}).get("podCIDR")
        if not cidr:
            return []  # no pod CIDR yet: the CNI plugin cannot give the sandbox an address
        used = state.ips_in_use(node_name)
        ip = ipam.next_pod_ip(cidr, used, state.leases.get(node_name))
        if ip is None:
            return []
        used.add(ip)
        state.leases[node_name] = ip
    else:
        ip = host_ip  # the node's network namespace: its address is the pod's
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
    inits = pod["spec"].get("initContainers") or []
    # generateAPIPodStatus's default: PodInitializing in a pod with init containers
    first = "PodInitializing" if inits else "ContainerCreating"

    def waiting(c: Object, reason: str) -> Object:
        return {
            "image": c["image"],
            "imageID": "",
            "lastState": {},
            "name": c["name"],
            "ready": False,
            "restartCount": 0,
            "started": False,
            "state": {"waiting": {"reason": reason}},
        }

    if inits:
        new["status"]["initContainerStatuses"] = [waiting(c, first) for c in inits]
    new["status"]["containerStatuses"] = [waiting(c, first) for c in containers]
    refresh_conditions(new, now)
    changes: list[Change] = [UpdateStatus(new)]
    if leased:
        changes.append(SetRuntime(IPAM_SECTION, node_name, ip))
    for c in inits[:1] or containers:
        if kubelet_images.pulls_first(c, images.get(node_name, [])):
            changes.append(
                event(pod, node, "Normal", "Pulling", f'Pulling image "{c["image"]}"', c["name"])
            )
    return changes


def _terminate(pod: Object, node: Object, state: NodeState) -> list[Change]:
    """Stop the containers of a pod being deleted: each gets its stop signal, and SIGKILL if
    it still runs when the grace period (up to the deletionTimestamp) is over; once all have
    stopped, the pod is terminal and goes."""
    now = state.now
    running = [s for s in all_statuses(pod) if "terminated" not in s.get("state", {})]
    m = pod["metadata"]
    if not running:
        return [Remove("pods", m["namespace"], m["name"], m["uid"])]
    deadline = meta.parse_time(m["deletionTimestamp"]) if m.get("deletionTimestamp") else now
    new = meta.clone(pod)
    changes: list[Change] = []
    for s in all_statuses(new):
        if "terminated" in s.get("state", {}):
            continue
        if not s.get("containerID"):  # never started: nothing to stop
            s.update(termination.stopped(s, None, now, 0))
            continue
        key = f"{m['uid']}/{s['name']}"
        record = state.processes.get(key) or {}
        if record.get("end") is not None and float(record["end"]) <= now:
            s.update(termination.stopped(s, record, float(record["end"]), int(record["exitCode"])))
        elif record.get("stop") is None:
            message = f"Stopping container {s['name']}"
            changes.append(event(pod, node, "Normal", "Killing", message, s["name"]))
            changes += _stop(new, s, state, max(0.0, deadline - now), "delete")
        elif termination.signalled(record, now):
            s.update(termination.stopped(s, record, now, int(record["stopCode"])))
        elif termination.forced(record, now):
            s.update(termination.stopped(s, record, now, termination.SIGKILLED))
    if new["status"] == pod["status"]:
        return changes  # still stopping: the grace period runs
    # a pod being deleted does not restart its containers: it is terminal (getPhase, podIsTerminal)
    if all("terminated" in s.get("state", {}) for s in new["status"]["containerStatuses"]):
        new["status"]["phase"] = terminal_phase(new["status"]["containerStatuses"])
    refresh_conditions(new, now)
    return [UpdateStatus(new), *changes]


def _stop(pod: Object, status: Object, state: NodeState, grace: float, why: str) -> list[Change]:
    """killContainer: the preStop hook, then the stop signal, SIGKILL after `grace`. A process
    that ends on its stop signal with no hook to wait for is terminated at once (in `status`,
    changed in place); otherwise its record keeps the stop request until it ends, the signal
    comes or the grace period is over."""
    key = f"{pod['metadata']['uid']}/{status['name']}"
    record = state.processes.get(key) or {}
    spec = container_spec(pod, status["name"]) or {}
    changes: list[Change] = []
    hook_time = 0.0
    pre_stop = (spec.get("lifecycle") or {}).get("preStop")
    if pre_stop and grace > 0:
        failure, hooked, hook_time = state.run_hook(pod, spec, pre_stop, state.now)
        changes += hooked
        if failure is not None:
            node = pod["spec"].get("nodeName", "")
            changes.append(
                RecordEvent(pod, "Warning", "FailedPreStopHook", failure, "kubelet", host=node,
                            field_path=f"spec.containers{{{status['name']}}}")
            )  # fmt: skip
        hook_time = min(hook_time, grace)
    code = record.get("stopCode", 0) if record else 0
    if hook_time == 0 and (code is not None or grace <= 0):
        status.update(termination.stopped(status, record, state.now, 0 if code is None else code))
        if grace <= 0 and code is None:
            status["state"]["terminated"].update(exitCode=termination.SIGKILLED, reason="Error")
        return changes
    stopping = termination.request_stop(record, state.now, grace, why, hook_time)
    state.processes[key] = stopping
    return [*changes, SetRuntime(lifecycle.PROCESSES_SECTION, key, stopping)]
