"""What objects are looked up by besides their key, as client-go's informers index them.

Each stored object has index entries, (index, value) pairs kept in the `refs` table beside it,
so that "the pods this ReplicaSet controls", "the pods on this node" or "the pods labelled
app=web" are found without reading every pod. The indexes are generic over metadata (uid,
owners, the controller, labels) plus a few fields of pods, declared here as data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Object = dict[str, Any]
Entries = set[tuple[str, str]]

UID = "uid"
OWNER = "owner"  # any ownerReference's uid
CONTROLLER = "controller"  # the controller ownerReference's uid; "" for none (adoption candidates)
LABEL = "label"  # "key=value"
NODE = "node"  # pods: spec.nodeName; "" while unscheduled
POD_IP = "podIP"
CLAIM = "claim"  # pods: each persistentVolumeClaim a volume names
CONFIGMAP = "configmap"  # pods: each ConfigMap a volume, env or envFrom names
SECRET = "secret"  # pods: each Secret a volume, env, envFrom or imagePullSecret names


def _pod_entries(pod: Object) -> Iterable[tuple[str, str]]:
    spec = _mapping(pod.get("spec"))
    status = _mapping(pod.get("status"))
    yield NODE, str(spec.get("nodeName") or "")
    if status.get("podIP"):
        yield POD_IP, str(status["podIP"])
    for volume in _dicts(spec.get("volumes")):
        claim = _mapping(volume.get("persistentVolumeClaim")).get("claimName")
        if claim:
            yield CLAIM, str(claim)
        yield from _volume_sources(volume)
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in _dicts(spec.get(key)):
            for env in _dicts(container.get("env")):
                source = _mapping(env.get("valueFrom"))
                for index, field in ((CONFIGMAP, "configMapKeyRef"), (SECRET, "secretKeyRef")):
                    name = _mapping(source.get(field)).get("name")
                    if name:
                        yield index, str(name)
            for env_from in _dicts(container.get("envFrom")):
                for index, field in ((CONFIGMAP, "configMapRef"), (SECRET, "secretRef")):
                    name = _mapping(env_from.get(field)).get("name")
                    if name:
                        yield index, str(name)
    for secret in _dicts(spec.get("imagePullSecrets")):
        if secret.get("name"):
            yield SECRET, str(secret["name"])


def _volume_sources(volume: Object) -> Iterable[tuple[str, str]]:
    if _mapping(volume.get("configMap")).get("name"):
        yield CONFIGMAP, str(volume["configMap"]["name"])
    if _mapping(volume.get("secret")).get("secretName"):
        yield SECRET, str(volume["secret"]["secretName"])
    for source in _dicts(_mapping(volume.get("projected")).get("sources")):
        if _mapping(source.get("configMap")).get("name"):
            yield CONFIGMAP, str(source["configMap"]["name"])
        if _mapping(source.get("secret")).get("name"):
            yield SECRET, str(source["secret"]["name"])


# resource -> the entries of its own fields
BY_RESOURCE: dict[str, Callable[[Object], Iterable[tuple[str, str]]]] = {
    "pods": _pod_entries,
}


def entries(resource: str, obj: Object) -> Entries:
    """The index entries of one object."""
    metadata = _mapping(obj.get("metadata"))
    found: Entries = set()
    if metadata.get("uid"):
        found.add((UID, str(metadata["uid"])))
    controller = ""
    for ref in _dicts(metadata.get("ownerReferences")):
        if ref.get("uid"):
            found.add((OWNER, str(ref["uid"])))
            if ref.get("controller") is True and not controller:
                controller = str(ref["uid"])
    found.add((CONTROLLER, controller))
    for key, value in _mapping(metadata.get("labels")).items():
        found.add((LABEL, f"{key}={value}"))
    extra = BY_RESOURCE.get(resource)
    if extra is not None:
        found.update(extra(obj))
    return found


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[Object]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
