"""The kubelet's containers: starting them (and their main processes), noticing when a process
ends, and restarting by the pod's restartPolicy with the kubelet's back-off.

Running a main process is the container runtime's job: the kubelet is given `run_main`
(kubesim.sandbox.process), which runs the command in the simulated container ahead of time and
returns the runtime records to keep: when the process ends (or that it does not), and its log.
A container attached to a terminal (`stdin: true`, as `kubectl run -i` makes) is left to the
attach session instead. Before a container starts, the image manager (kubelet_images.py) makes
sure its image is there; a container whose image cannot be had waits (ErrImagePull,
ImagePullBackOff) and is tried again when the pod worker syncs the pod.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from kubesim.api import meta
from kubesim.api.podutil import all_statuses
from kubesim.controllers import kubelet_config, kubelet_images
from kubesim.controllers import kubelet_termination as termination
from kubesim.controllers.changes import Change, SetRuntime, UpdateStatus
from kubesim.controllers.kubelet_images import (
    RESYNC_SECONDS,
    RESYNC_SECTION,
    Images,
    is_waiting_for_image,
)
from kubesim.controllers.kubelet_status import (
    event,
    phase_when_all_exited,
    refresh_conditions,
    synced_phase,
)

Object = dict[str, Any]
# (pod as it starts, container spec, now) -> the runtime records of its main process
RunMain = Callable[[Object, Object, float], list[Change]]
# (pod, container spec, its process record, now) -> the records once its process has gone on
ResumeMain = Callable[[Object, Object, Object, float], list[Change]]
# (pod, container spec, lifecycle handler, now) -> (its failure message or None, the
# runtime's changes, the seconds it took)
RunHook = Callable[[Object, Object, Object, float], "tuple[str | None, list[Change], float]"]
PROCESSES_SECTION = "processes"  # "<pod uid>/<container>" -> {"end": t | None, "exitCode", ...}
MAX_BACKOFF = 300  # the kubelet's back-off cap, in seconds


def runs_forever(pod: Object, spec: Object, now: float) -> list[Change]:
    """A `run_main` for tests without a runtime: every process keeps running."""
    return []


def hooks_pass(
    pod: Object, spec: Object, handler: Object, now: float
) -> tuple[str | None, list[Change], float]:
    """A `run_hook` for tests without a runtime: every hook succeeds at once."""
    return None, [], 0.0


def never_resumes(pod: Object, spec: Object, record: Object, now: float) -> list[Change]:
    """A `resume_main` for tests without a runtime: no process is ever suspended."""
    return []


def backoff(restarts: int) -> int:
    """Seconds before restarting a container that has already restarted `restarts` times."""
    return 0 if restarts == 0 else min(10 * 2 ** (restarts - 1), MAX_BACKOFF)


def start_waiting(
    pod: Object,
    node: Object,
    now: float,
    images: Images,
    run_main: RunMain,
    run_hook: RunHook | None = None,
    config: kubelet_config.Config | None = None,
) -> list[Change]:
    """Start the containers that are waiting to be created (ContainerCreating)."""
    new = meta.clone(pod)
    changes: list[Change] = []
    for spec, status in zip(
        pod["spec"]["containers"], new["status"]["containerStatuses"], strict=False
    ):
        reason = (status["state"].get("waiting") or {}).get("reason")
        if reason in ("ContainerCreating", "PodInitializing"):
            # the sandbox step already recorded this first pull's Pulling event, unless init
            # containers went first
            announce = reason == "PodInitializing"
            changes += _start(new, spec, status, node, now, images, run_main, announce=announce,
                              run_hook=run_hook, config=config)  # fmt: skip
    statuses = new["status"]["containerStatuses"]
    new["status"]["phase"] = synced_phase(new)
    if any(is_waiting_for_image(s) for s in statuses):
        # the new sandbox's PLEG event makes the pod worker sync the pod again at once
        changes.append(SetRuntime(RESYNC_SECTION, pod["metadata"]["uid"], now + 1))
    refresh_conditions(new, now)
    return [UpdateStatus(new), *changes]


def retry_images(
    pod: Object,
    node: Object,
    now: float,
    images: Images,
    run_main: RunMain,
    resync_at: float | None,
    run_hook: RunHook | None = None,
    config: kubelet_config.Config | None = None,
) -> list[Change]:
    """A pod some of whose containers wait for their images, when the pod worker syncs it
    again: each such container pulls again or stays in the image's back-off."""
    specs = {c["name"]: c for c in pod["spec"]["containers"]}
    waiting = [s for s in pod["status"]["containerStatuses"] if is_waiting_for_image(s)]
    # a new image in the pod spec (kubectl set image on the pod) is an update the kubelet
    # syncs at once
    changed = any(specs[s["name"]]["image"] != s.get("image") for s in waiting)
    if resync_at is not None and now < resync_at and not changed:
        return []
    new = meta.clone(pod)
    changes: list[Change] = []
    for status in new["status"]["containerStatuses"]:
        if is_waiting_for_image(status):
            spec = specs[status["name"]]
            status["image"] = spec["image"]
            changes += _start(
                new, spec, status, node, now, images, run_main, run_hook=run_hook, config=config
            )
    statuses = new["status"]["containerStatuses"]
    still = any(is_waiting_for_image(s) for s in statuses)
    changes.append(
        SetRuntime(RESYNC_SECTION, pod["metadata"]["uid"], now + RESYNC_SECONDS if still else None)
    )
    new["status"]["phase"] = synced_phase(new)
    refresh_conditions(new, now)
    if new["status"] != pod["status"]:
        changes.insert(0, UpdateStatus(new))
    return changes


def _start(
    pod: Object,
    spec: Object,
    status: Object,
    node: Object,
    now: float,
    images: Images,
    run_main: RunMain,
    *,
    announce: bool = True,
    run_hook: RunHook | None = None,
    config: kubelet_config.Config | None = None,
) -> list[Change]:
    """One container starts (in `pod`, changed in place) once its image is there; its events,
    its process and its postStart hook. Without its image it waits, with the image manager's
    reason; without what its variables refer to, in CreateContainerConfigError
    (kubelet_config.py)."""
    name = spec["name"]
    pulled = kubelet_images.ensure_image(pod, spec, node, now, images, announce=announce)
    if pulled.reason:
        status.update(
            {
                "ready": False,
                "started": False,
                "state": {"waiting": {"message": pulled.message, "reason": pulled.reason}},
            }
        )
        return [*pulled.changes, kubelet_images.failed_to_start(pod, node, name, pulled.reason)]
    resolved = None
    if config is not None:
        resolved = kubelet_config.container_config(config, pod, spec, node)
        if resolved.error is not None:
            waiting = {"message": resolved.error, "reason": kubelet_config.CREATE_CONFIG_ERROR}
            status.update({"ready": False, "started": False, "state": {"waiting": waiting}})
            return [*pulled.changes, kubelet_config.config_failed(pod, node, name, resolved.error)]
    restarts = int(status.get("restartCount", 0))
    status.update(
        {
            "containerID": container_id(pod, name, restarts),
            "image": normalize_image(spec["image"]),
            "imageID": image_id(spec["image"]),
            # a startup probe must pass before the container counts as started, and ready
            "ready": not spec.get("readinessProbe") and not spec.get("startupProbe"),
            "started": not spec.get("startupProbe"),
            "state": {"running": {"startedAt": meta.format_time(now)}},
        }
    )
    records: list[Change] = []
    if config is not None and resolved is not None:
        records = kubelet_config.start_records(config, pod, spec, node, resolved, status)
    mounts = _mount_statuses(spec)
    if mounts:
        status["volumeMounts"] = mounts
    else:
        status.pop("volumeMounts", None)
    changes: list[Change] = [
        *pulled.changes,
        *records,
        event(pod, node, "Normal", "Created", f"Created container: {name}", name),
        event(pod, node, "Normal", "Started", f"Started container {name}", name),
    ]
    if not spec.get("stdin"):
        started = run_main(pod, spec, now)
        changes += started
        record = _process_record(started, f"{pod['metadata']['uid']}/{name}")
        if record and record.get("end") is not None and record["end"] < now + 1:
            # gone before the kubelet's next relist: the pod is never seen Running (or Ready)
            status.update(_terminated(status, record))
    post_start = (spec.get("lifecycle") or {}).get("postStart")
    if post_start and run_hook is not None and "running" in status["state"]:
        failure, hooked, _ = run_hook(pod, spec, post_start, now)
        changes += hooked
        if failure is not None:
            # the container is killed, and started again by its restartPolicy
            changes.append(event(pod, node, "Warning", "FailedPostStartHook", failure, name))
            changes.append(event(pod, node, "Normal", "Killing", "FailedPostStartHook", name))
            status.update(termination.stopped(status, record, now, termination.SIGKILLED))
    return changes


def _mount_statuses(spec: Object) -> list[Object]:
    """VolumeMountStatus of a started container (RecursiveReadOnlyMounts, on by default in
    v1.32): a read-only mount says its recursive read-only mode, Disabled unless asked."""
    found: list[Object] = []
    for mount in spec.get("volumeMounts") or []:
        entry: Object = {"mountPath": mount.get("mountPath", ""), "name": mount.get("name", "")}
        if mount.get("readOnly"):
            entry["readOnly"] = True
            entry["recursiveReadOnly"] = mount.get("recursiveReadOnly") or "Disabled"
        found.append(entry)
    return found


def _process_record(changes: list[Change], key: str) -> Object | None:
    for change in changes:
        if isinstance(change, SetRuntime) and (change.section, change.key) == (
            PROCESSES_SECTION,
            key,
        ):
            return change.value  # type: ignore[no-any-return]
    return None


def ended_processes(pod: Object, now: float, processes: Any) -> Object | None:
    """The pod with the containers whose main process has ended by now terminated (or was
    killed at the end of its stop's grace period), or None."""
    uid = pod["metadata"]["uid"]
    records = {s["name"]: processes.get(f"{uid}/{s['name']}") for s in all_statuses(pod)}
    if not any(r and (r.get("end") is not None or r.get("stop")) for r in records.values()):
        return None  # the common case: every process still runs (no copy needed)
    new = meta.clone(pod)
    changed = False
    for status in all_statuses(new):
        running = (status.get("state") or {}).get("running")
        record = records.get(status["name"])
        if running is None or not record:
            continue
        if record.get("containerID") not in (None, status.get("containerID")):
            continue  # a record of an earlier run of this container
        if record.get("end") is not None and record["end"] <= now:
            status.update(_terminated(status, record))
        elif termination.signalled(record, now):
            code = int(record["stopCode"])
            status.update(termination.stopped(status, record, now, code))
        elif termination.forced(record, now):
            status.update(termination.stopped(status, record, now, termination.SIGKILLED))
        else:
            continue
        changed = True
    if not changed:
        return None
    if all("terminated" in s["state"] for s in new["status"].get("containerStatuses") or []):
        new["status"]["phase"] = synced_phase(new)
    refresh_conditions(new, now)
    return new


def _terminated(status: Object, record: Object) -> Object:
    """The container status fields of a running container whose process `record` has ended."""
    code = int(record.get("exitCode", 0))
    terminated: Object = {
        "containerID": status.get("containerID", ""),
        "exitCode": code,
        "finishedAt": meta.format_time(record["end"]),
        "reason": record.get("reason") or ("Completed" if code == 0 else "Error"),
        "startedAt": status["state"]["running"].get("startedAt"),
    }
    if record.get("message"):
        terminated["message"] = record["message"]
    return {"ready": False, "started": False, "state": {"terminated": terminated}}


def after_exit(
    pod: Object,
    node: Object,
    now: float,
    images: Images,
    run_main: RunMain,
    run_hook: RunHook | None = None,
    config: kubelet_config.Config | None = None,
) -> list[Change]:
    """Restart exited containers the restartPolicy restarts, after the kubelet's back-off;
    a pod none of whose containers will run again reaches its phase."""
    policy = pod["spec"].get("restartPolicy", "Always")
    new = meta.clone(pod)
    changes: list[Change] = []
    statuses = new["status"]["containerStatuses"]
    specs = {c["name"]: c for c in pod["spec"]["containers"]}
    for status in statuses:
        state = status["state"]
        exited = state.get("terminated") or (status.get("lastState") or {}).get("terminated")
        backing_off = (state.get("waiting") or {}).get("reason") == "CrashLoopBackOff"
        if exited is None or not ("terminated" in state or backing_off):
            continue
        code = int(exited.get("exitCode", 0))
        if not (policy == "Always" or (policy == "OnFailure" and code != 0)):
            continue
        restarts = int(status.get("restartCount", 0))
        due = meta.parse_time(exited["finishedAt"]) + backoff(restarts)
        if now >= due:
            status["lastState"] = {"terminated": exited}
            status["restartCount"] = restarts + 1
            changes += _start(
                new, specs[status["name"]], status, node, now, images, run_main,
                run_hook=run_hook, config=config,
            )  # fmt: skip
        elif not backing_off:
            m = pod["metadata"]
            pod_ref = f"{m['name']}_{m['namespace']}({m['uid']})"  # format.Pod
            status["lastState"] = {"terminated": exited}
            status.update({"ready": False, "started": False})
            status["state"] = {
                "waiting": {
                    "message": f"back-off {backoff(restarts)}s restarting failed "
                    f"container={status['name']} pod={pod_ref}",
                    "reason": "CrashLoopBackOff",
                }
            }
            message = f"Back-off restarting failed container {status['name']} in pod {pod_ref}"
            changes.append(event(pod, node, "Warning", "BackOff", message, status["name"]))
    if all("terminated" in s["state"] for s in statuses):
        new["status"]["phase"] = phase_when_all_exited(statuses, policy)
    elif any("running" in s["state"] for s in statuses):
        new["status"]["phase"] = "Running"
    refresh_conditions(new, now)
    if new["status"] != pod["status"]:
        changes.insert(0, UpdateStatus(new))
    return changes


def changed_definitions(pod: Object) -> list[str]:
    """The running containers whose spec has a new image (containerChanged: the spec's hash is
    not the one the container was started with)."""
    specs = {c["name"]: c for c in pod["spec"].get("containers") or []}
    return [
        s["name"]
        for s in pod["status"].get("containerStatuses") or []
        if "running" in (s.get("state") or {})
        and s["name"] in specs
        and normalize_image(specs[s["name"]]["image"]) != normalize_image(s.get("image", ""))
    ]


def restart_changed(
    pod: Object,
    node: Object,
    now: float,
    images: Images,
    run_main: RunMain,
    names: list[str],
    run_hook: RunHook | None = None,
    config: kubelet_config.Config | None = None,
) -> list[Change]:
    """computePodActions for a changed container: killed and started again at once, whatever
    the restartPolicy, with a fresh writable layer (a new container)."""
    new = meta.clone(pod)
    specs = {c["name"]: c for c in pod["spec"]["containers"]}
    changes: list[Change] = []
    for status in new["status"]["containerStatuses"]:
        name = status["name"]
        if name not in names:
            continue
        message = f"Container {name} definition changed, will be restarted"
        changes.append(event(pod, node, "Normal", "Killing", message, name))
        status["lastState"] = {
            "terminated": {
                "containerID": status.get("containerID", ""),
                "exitCode": 0,  # stopped with SIGTERM, which nginx and the shells answer with 0
                "finishedAt": meta.format_time(now),
                "reason": "Completed",
                "startedAt": status["state"]["running"].get("startedAt"),
            }
        }
        status["restartCount"] = int(status.get("restartCount", 0)) + 1
        status["image"] = specs[name]["image"]
        changes += _start(
            new, specs[name], status, node, now, images, run_main, run_hook=run_hook,
            config=config,
        )  # fmt: skip
    refresh_conditions(new, now)
    return [UpdateStatus(new), *changes]


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
