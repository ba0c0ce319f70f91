"""What the kubelet reads from ConfigMaps, Secrets and the downward API for a pod (v1.32):
its containers' environment (kubelet_pods.go makeEnvironmentVariables) and the files of its
configMap, secret, downwardAPI and projected volumes (pkg/volume/configmap, secret,
downwardapi, projected: MakePayload).

The kubelet writes what it resolved into runtime sections, as a node keeps it: a container's
variables when it starts (a later change to the ConfigMap never reaches them), each volume's
files when the pod's sandbox is set up, refreshed at the pod's next periodic sync (every
minute) after the object changes, and a subPath's file as the container started with it
(never refreshed). What cannot be resolved holds the pod back with the kubelet's own words:
CreateContainerConfigError for the environment, FailedMount (retried with the volume
manager's back-off, the pod in ContainerCreating) for volumes.
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.api import meta, names, quantity
from kubesim.api.expansion import expand
from kubesim.controllers.changes import Change, RecordEvent, Requeue, SetRuntime, UpdateStatus

Object = dict[str, Any]
Lookup = Callable[[str, "str | None", str], "Object | None"]

# "<pod uid>/<container>" -> {"containerID", "env": {name: value}}, set as the container starts
ENV_SECTION = "containerenv"
# "<pod uid>/<volume>" -> {"files", "modes"[, "refreshAt"]}; "...#<container>": a subPath's
VOLUMES_SECTION = "configvolumes"
MOUNTS_SECTION = "mountretry"  # "<pod uid>" -> {"failures", "next", "since", "unable"}
SECTIONS = (ENV_SECTION, VOLUMES_SECTION, MOUNTS_SECTION)
SYNC_PERIOD = 60  # the kubelet's syncFrequency: a running pod is synced again every minute
MOUNT_TIMEOUT = 123  # podAttachAndMountTimeout: 2m3s
MAX_MOUNT_BACKOFF = 122  # nestedpendingoperations' maxDurationBeforeRetry: 2m2s
DEFAULT_MODE = 0o644
CREATE_CONFIG_ERROR = "CreateContainerConfigError"


class MountError(Exception):
    """A volume's SetUp failed; str() is the volume plugin's error."""


class EnvError(Exception):
    """A container's variables cannot be made; str() is the kubelet's error."""


# --- environment (makeEnvironmentVariables) ---------------------------------------------------


@dataclass
class Resolved:
    """A container's own variables (envFrom, then env), the error that stops it from starting
    (None if it can start), and the kubelet's warnings about it (reason, message)."""

    env: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)


def resolve_env(
    lookup: Lookup,
    pod: Object,
    spec: Object,
    *,
    node: Object | None = None,
    services: Mapping[str, str] | None = None,
) -> Resolved:
    """makeEnvironmentVariables for one container."""
    namespace = pod["metadata"].get("namespace") or "default"
    cached: dict[tuple[str, str], Object | None] = {}

    def get(resource: str, name: str) -> Object | None:
        if (resource, name) not in cached:
            cached[(resource, name)] = lookup(resource, namespace, name)
        return cached[(resource, name)]

    found = Resolved()
    env = found.env
    for source in spec.get("envFrom") or []:
        for field_name, resource, noun in (("configMapRef", "configmaps", "configMap"),
                                           ("secretRef", "secrets", "secret")):  # fmt: skip
            ref = source.get(field_name)
            if not isinstance(ref, dict):
                continue
            name = str(ref.get("name") or "")
            obj = get(resource, name)
            if obj is None:
                if ref.get("optional") is True:
                    continue
                found.error = f'{noun.lower()} "{name}" not found'
                return found
            invalid = []
            for key, value in sorted(_values(obj).items()):
                variable = str(source.get("prefix") or "") + key
                if names.relaxed_env_var_name_errors(variable):
                    invalid.append(variable)
                    continue
                env[variable] = value
            if invalid:
                found.warnings.append(
                    (
                        "InvalidEnvironmentVariableNames",
                        f"Keys [{', '.join(sorted(invalid))}] from the EnvFrom {noun} "
                        f"{namespace}/{name} were skipped since they are considered invalid "
                        "environment variable names.",
                    )
                )
    mapping = _Mapping(env, dict(services or {}))
    for item in spec.get("env") or []:
        name = str(item.get("name") or "")
        value = item.get("value")
        source = item.get("valueFrom") or {}
        if value not in (None, ""):
            env[name] = expand(str(value), mapping)
            continue
        if not source:
            env[name] = ""
            continue
        try:
            resolved = _value_from(get, pod, spec, source, node)
        except EnvError as err:
            found.error = str(err)
            return found
        if resolved is None:
            continue  # optional and absent
        env[name] = resolved
    return found


class _Mapping(Mapping[str, str]):
    """MappingFuncFor: the container's variables so far, then the service variables."""

    def __init__(self, env: dict[str, str], services: dict[str, str]) -> None:
        self.env, self.services = env, services

    def __getitem__(self, key: str) -> str:
        return self.env[key] if key in self.env else self.services[key]

    def __iter__(self) -> Any:
        return iter({**self.services, **self.env})

    def __len__(self) -> int:
        return len({**self.services, **self.env})


def _values(obj: Object) -> dict[str, str]:
    """A ConfigMap's data (its binaryData is not for variables) or a Secret's decoded data."""
    if obj.get("kind") == "Secret":
        return {k: _decode(v) for k, v in (obj.get("data") or {}).items()}
    return {k: str(v) for k, v in (obj.get("data") or {}).items()}


def _decode(value: Any) -> str:
    try:
        return base64.b64decode(str(value or "")).decode("utf-8", "surrogateescape")
    except (binascii.Error, ValueError):
        return ""


def _value_from(
    get: Callable[[str, str], Object | None],
    pod: Object,
    spec: Object,
    source: Object,
    node: Object | None,
) -> str | None:
    """One valueFrom: None when an optional reference is absent; EnvError (the kubelet's
    message) when a required one is."""
    namespace = pod["metadata"].get("namespace") or "default"
    if source.get("fieldRef"):
        return field_value(pod, str(source["fieldRef"].get("fieldPath") or ""), env=True)
    if source.get("resourceFieldRef"):
        return resource_value(pod, spec, source["resourceFieldRef"], node)
    for field_name, resource, noun, kind in (
        ("configMapKeyRef", "configmaps", "configmap", "ConfigMap"),
        ("secretKeyRef", "secrets", "secret", "Secret"),
    ):
        ref = source.get(field_name)
        if not isinstance(ref, dict):
            continue
        name, key = str(ref.get("name") or ""), str(ref.get("key") or "")
        optional = ref.get("optional") is True
        obj = get(resource, name)
        if obj is None:
            if optional:
                return None
            raise EnvError(f'{noun} "{name}" not found')
        values = _values(obj)
        if key not in values:
            if optional:
                return None
            raise EnvError(f"couldn't find key {key} in {kind} {namespace}/{name}")
        return values[key]
    return ""


def field_value(pod: Object, path: str, *, env: bool = False) -> str:
    """podFieldSelectorRuntimeValue and fieldpath.ExtractFieldPathAsString: the downward
    API's pod fields; whole label and annotation maps (volumes only) as key="value" lines."""
    metadata, status = pod["metadata"], pod.get("status") or {}
    simple = {
        "metadata.name": metadata.get("name", ""),
        "metadata.namespace": metadata.get("namespace", ""),
        "metadata.uid": metadata.get("uid", ""),
        "spec.nodeName": pod["spec"].get("nodeName", ""),
        "spec.serviceAccountName": pod["spec"].get("serviceAccountName", ""),
        "status.hostIP": status.get("hostIP", ""),
        "status.hostIPs": ",".join(e.get("ip", "") for e in status.get("hostIPs") or []),
        "status.podIP": status.get("podIP", ""),
        "status.podIPs": ",".join(e.get("ip", "") for e in status.get("podIPs") or []),
    }
    if path in simple:
        return str(simple[path] or "")
    for section in ("labels", "annotations"):
        if path == f"metadata.{section}":
            values = metadata.get(section) or {}
            return "\n".join(f"{k}={_go_quote(str(values[k]))}" for k in sorted(values))
        prefix = f"metadata.{section}['"
        if path.startswith(prefix) and path.endswith("']"):
            return str((metadata.get(section) or {}).get(path[len(prefix) : -2], ""))
    return ""


def _go_quote(text: str) -> str:
    from kubesim.api.gofmt import go_quote

    return go_quote(text)


def resource_value(pod: Object, spec: Object, selector: Object, node: Object | None) -> str:
    """ExtractContainerResourceValue with the node's allocatable standing in for a missing
    limit (defaultPodLimitsForDownwardAPI): cpu rounded up in units of the divisor (1 core by
    default), memory and ephemeral storage in bytes over the divisor, rounded up."""
    container_name = selector.get("containerName")
    if container_name:
        spec = next(
            (c for c in pod["spec"].get("containers") or [] if c.get("name") == container_name),
            spec,
        )
    resource = str(selector.get("resource") or "")
    kind, _, name = resource.partition(".")
    resources = spec.get("resources") or {}
    values = resources.get(kind) or {}
    amount = values.get(name)
    if amount is None and kind == "limits":
        amount = ((node or {}).get("status") or {}).get("allocatable", {}).get(name)
    value = quantity.parse(amount if amount is not None else "0")
    divisor = quantity.parse(selector.get("divisor") or "1")
    if not divisor.milli_value():  # a zero divisor (the default "0") means 1
        divisor = quantity.parse("1")
    if name == "cpu":
        return str(math.ceil(value.milli_value() / divisor.milli_value()))
    whole = divisor.int_value() or 1
    return str(math.ceil(value.int_value() / whole))


# --- volumes (MakePayload) --------------------------------------------------------------------


def is_config_volume(volume: Object) -> bool:
    """A volume whose files the kubelet writes from API objects (a projected volume with a
    service account token is read as it is, see kubesim.sandbox.projected)."""
    if any(k in volume for k in ("configMap", "secret", "downwardAPI")):
        return True
    projected = volume.get("projected")
    return isinstance(projected, dict) and not any(
        "serviceAccountToken" in s for s in projected.get("sources") or []
    )


def volume_payload(lookup: Lookup, pod: Object, volume: Object) -> Object:
    """The files of a config volume: {"files": {path: content}, "modes": {path: mode}};
    MountError when SetUp fails."""
    files: dict[str, str] = {}
    modes: dict[str, int] = {}
    if "configMap" in volume or "secret" in volume:
        source = volume.get("configMap") or volume.get("secret") or {}
        default = source.get("defaultMode", DEFAULT_MODE)
        _object_files(lookup, pod, source, "secret" in volume, default, files, modes)
    elif "downwardAPI" in volume:
        source = volume.get("downwardAPI") or {}
        _downward_files(pod, source.get("items") or [], source.get("defaultMode", DEFAULT_MODE),
                        files, modes)  # fmt: skip
    elif "projected" in volume:
        projected = volume.get("projected") or {}
        default = projected.get("defaultMode", DEFAULT_MODE)
        for source in projected.get("sources") or []:
            if source.get("configMap") is not None or source.get("secret") is not None:
                ref = source.get("configMap") or source.get("secret") or {}
                _object_files(lookup, pod, ref, "secret" in source, default, files, modes)
            elif source.get("downwardAPI") is not None:
                items = (source.get("downwardAPI") or {}).get("items") or []
                _downward_files(pod, items, default, files, modes)
    return {"files": files, "modes": modes}


def _object_files(
    lookup: Lookup,
    pod: Object,
    source: Object,
    secret: bool,
    default_mode: int,
    files: dict[str, str],
    modes: dict[str, int],
) -> None:
    namespace = pod["metadata"].get("namespace") or "default"
    name = str(source.get("secretName") or source.get("name") or "")
    obj = lookup("secrets" if secret else "configmaps", namespace, name)
    optional = source.get("optional") is True
    if obj is None:
        if optional:
            return
        raise MountError(f'{"secret" if secret else "configmap"} "{name}" not found')
    values = _file_values(obj)
    items = source.get("items")
    if not items:
        for key in sorted(values):
            files[key] = values[key]
            modes[key] = int(default_mode)
        return
    for item in items:
        key = str(item.get("key") or "")
        if key not in values:
            if optional:
                continue
            if secret:
                raise MountError(f"references non-existent secret key: {key}")
            raise MountError(f"configmap references non-existent config key: {key}")
        path = str(item.get("path") or key)
        files[path] = values[key]
        modes[path] = int(item.get("mode", default_mode))


def _file_values(obj: Object) -> dict[str, str]:
    """A ConfigMap's data and binaryData, or a Secret's data, as file contents."""
    if obj.get("kind") == "Secret":
        return {k: _decode(v) for k, v in (obj.get("data") or {}).items()}
    found = {k: str(v) for k, v in (obj.get("data") or {}).items()}
    for key, value in (obj.get("binaryData") or {}).items():
        found[key] = _decode(value)
    return found


def _downward_files(
    pod: Object, items: list[Object], default_mode: int, files: dict[str, str],
    modes: dict[str, int],
) -> None:  # fmt: skip
    for item in items:
        path = str(item.get("path") or "")
        if item.get("fieldRef"):
            files[path] = field_value(pod, str(item["fieldRef"].get("fieldPath") or ""))
        elif item.get("resourceFieldRef"):
            files[path] = resource_value(pod, {}, item["resourceFieldRef"], None)
        else:
            continue
        modes[path] = int(item.get("mode", default_mode))


# --- the kubelet's steps --------------------------------------------------------------------


class Config:
    """What the kubelet reads through its informers (ConfigMaps, Secrets, Services) within one
    tick, and the runtime records it keeps."""

    def __init__(self, snapshot: Any) -> None:
        self.snapshot = snapshot
        self.records = snapshot.runtime(VOLUMES_SECTION)
        self.retries = snapshot.runtime(MOUNTS_SECTION)

    def lookup(self, resource: str, namespace: str | None, name: str) -> Object | None:
        found: Object | None = self.snapshot.get(resource, namespace, name)
        return found

    def services(self, pod: Object, spec: Object) -> dict[str, str]:
        """The service links a container of this pod starts with (getServiceEnvVarMap), as
        variables for its $(VAR) references."""
        from kubesim.api.envvars import service_env, visible_services

        return service_env(visible_services(self.snapshot, pod, spec))


def _event(pod: Object, node: Object, type_: str, reason: str, message: str) -> RecordEvent:
    return RecordEvent(pod, type_, reason, message, "kubelet", host=node["metadata"]["name"])


def container_config(config: Config, pod: Object, spec: Object, node: Object) -> Resolved:
    """generateContainerConfig's part that reads the API: the container's variables."""
    return resolve_env(config.lookup, pod, spec, node=node, services=config.services(pod, spec))


def start_records(
    config: Config, pod: Object, spec: Object, node: Object, resolved: Resolved, status: Object
) -> list[Change]:
    """What a container that starts (as `status` says, with its containerID) leaves behind:
    its variables as they were resolved, the files of its subPath mounts as they are now,
    and the kubelet's warnings. The records name the container they belong to, so that a
    view of the cluster from before they are written does not take an earlier container's."""
    uid = pod["metadata"]["uid"]
    name = spec["name"]
    container = status.get("containerID", "")
    env = {"containerID": container, "env": dict(resolved.env)}
    changes: list[Change] = [SetRuntime(ENV_SECTION, f"{uid}/{name}", env)]
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    for mount in spec.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        if mount.get("subPath") and is_config_volume(volume):
            record = config.records.get(f"{uid}/{volume['name']}")
            if record is not None:
                key = f"{uid}/{volume['name']}#{name}"
                captured = {**_without_refresh(record), "containerID": container}
                changes.append(SetRuntime(VOLUMES_SECTION, key, captured))
    for reason, message in resolved.warnings:
        changes.append(_event(pod, node, "Warning", reason, message))
    return changes


def config_failed(pod: Object, node: Object, container: str, message: str) -> Change:
    """startContainer's event when the container's config cannot be made."""
    return RecordEvent(
        pod, "Warning", "Failed", f"Error: {message}", "kubelet",
        host=node["metadata"]["name"], field_path=f"spec.containers{{{container}}}",
    )  # fmt: skip


def _without_refresh(record: Object) -> Object:
    return {k: v for k, v in record.items() if k not in ("refreshAt", "containerID")}


def container_id(pod: Object, container: str) -> str:
    """The id of the container's current run, from the pod's status."""
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == container:
            return str(status.get("containerID") or "")
    return ""


def started_env(records: Mapping[str, Any], pod: Object, container: str) -> dict[str, str] | None:
    """The variables the kubelet resolved for the container's current run, if it has."""
    record = records.get(f"{pod['metadata'].get('uid', '')}/{container}")
    if not record or record.get("containerID") != container_id(pod, container):
        return None
    env: dict[str, str] = record.get("env") or {}
    return env


def wait_for_volumes(config: Config, pod: Object, node: Object, now: float) -> list[Change] | None:
    """WaitForAttachAndMount for the pod's config volumes: None once every one is set up,
    else what the kubelet does while it waits (the pod Pending in ContainerCreating without a
    sandbox, FailedMount per volume at each retry of the volume manager's back-off, and the
    pod worker's timeout after 2m3s)."""
    uid = pod["metadata"]["uid"]
    failures: list[tuple[str, str]] = []
    for volume in pod["spec"].get("volumes") or []:
        if not is_config_volume(volume):
            continue
        try:
            volume_payload(config.lookup, pod, volume)
        except MountError as err:
            failures.append((str(volume.get("name")), str(err)))
    retry = config.retries.get(uid)
    if not failures:
        return None
    key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
    changes: list[Change] = []
    status = pod.get("status") or {}
    if not status.get("containerStatuses"):
        changes.append(UpdateStatus(_waiting_status(pod, node, now)))
    if retry is not None and now < float(retry["next"]):
        changes.append(Requeue(key, float(retry["next"])))
        return changes
    count = int((retry or {}).get("failures", 0)) + 1
    since = float((retry or {}).get("since", now))
    delay = min(0.5 * 2 ** (count - 1), MAX_MOUNT_BACKOFF)
    nxt = now + max(1.0, math.ceil(delay))
    unable = float((retry or {}).get("unable", since + MOUNT_TIMEOUT))
    for volume, message in failures:
        changes.append(
            _event(pod, node, "Warning", "FailedMount",
                   f'MountVolume.SetUp failed for volume "{volume}" : {message}')
        )  # fmt: skip
    if now >= unable:
        unmounted = " ".join(sorted(name for name, _ in failures))
        changes.append(
            _event(pod, node, "Warning", "FailedMount",
                   f"Unable to attach or mount volumes: unmounted volumes=[{unmounted}], "
                   "unattached volumes=[], failed to process volumes=[]: context deadline "
                   "exceeded")
        )  # fmt: skip
        unable = now + MOUNT_TIMEOUT
    record = {"failures": count, "next": nxt, "since": since, "unable": unable}
    changes += [SetRuntime(MOUNTS_SECTION, uid, record), Requeue(key, min(nxt, unable))]
    return changes


def _waiting_status(pod: Object, node: Object, now: float) -> Object:
    """The status the kubelet reports before the sandbox exists: Pending, the node's
    address, every container waiting in ContainerCreating, PodReadyToStartContainers False."""
    from kubesim.controllers.kubelet_status import node_internal_ip, refresh_conditions

    new = meta.clone(pod)
    host_ip = node_internal_ip(node)
    new["status"].update(
        {
            "phase": "Pending",
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
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
        for c in pod["spec"]["containers"]
    ]
    refresh_conditions(new, now)
    for condition in new["status"]["conditions"]:
        if condition["type"] == "PodReadyToStartContainers":
            condition["status"] = "False"
    return new


def mount_volumes(config: Config, pod: Object) -> list[Change]:
    """The files of every config volume, written as the volumes are set up."""
    uid = pod["metadata"]["uid"]
    changes: list[Change] = []
    for volume in pod["spec"].get("volumes") or []:
        if is_config_volume(volume):
            payload = volume_payload(config.lookup, pod, volume)
            changes.append(SetRuntime(VOLUMES_SECTION, f"{uid}/{volume['name']}", payload))
    if uid in config.retries:
        changes.append(SetRuntime(MOUNTS_SECTION, uid, None))
    return changes


def refresh_volumes(config: Config, pod: Object, now: float) -> list[Change]:
    """A running pod's config volumes after their objects changed: the new files are written
    at the pod's next periodic sync (a minute after its start, and every minute after)."""
    status = pod.get("status") or {}
    if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
        return []
    if meta.is_terminating(pod):
        return []
    uid = pod["metadata"]["uid"]
    key = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
    changes: list[Change] = []
    for volume in pod["spec"].get("volumes") or []:
        if not is_config_volume(volume):
            continue
        record_key = f"{uid}/{volume['name']}"
        record = config.records.get(record_key)
        if record is None:
            continue
        try:
            payload = volume_payload(config.lookup, pod, volume)
        except MountError:
            continue  # the files stay as they were
        if payload == _without_refresh(record):
            if "refreshAt" in record:
                changes.append(SetRuntime(VOLUMES_SECTION, record_key, payload))
            continue
        due = record.get("refreshAt")
        if due is None:
            started = meta.parse_time(status.get("startTime") or meta.format_time(now))
            periods = math.floor((now - started) / SYNC_PERIOD) + 1
            due = started + periods * SYNC_PERIOD
            changes += [
                SetRuntime(VOLUMES_SECTION, record_key, {**record, "refreshAt": due}),
                Requeue(key, due),
            ]
        elif now >= float(due):
            changes.append(SetRuntime(VOLUMES_SECTION, record_key, payload))
        else:
            changes.append(Requeue(key, float(due)))
    return changes
