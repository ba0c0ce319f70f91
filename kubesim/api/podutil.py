"""A pod's containers by name, wherever the spec and the status keep them (podutil)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Object = dict[str, Any]

# spec field -> the status field that reports on its containers
STATUS_FIELDS = {
    "initContainers": "initContainerStatuses",
    "containers": "containerStatuses",
    "ephemeralContainers": "ephemeralContainerStatuses",
}


def container_spec(pod: Object, name: str) -> Object | None:
    """The spec of the container, init container or ephemeral container called `name`."""
    spec = pod.get("spec") or {}
    for field in STATUS_FIELDS:
        for container in spec.get(field) or []:
            if container.get("name") == name:
                return container  # type: ignore[no-any-return]
    return None


def container_status(pod: Object, name: str) -> Object | None:
    """The status of the container called `name`, whichever list reports it."""
    status = pod.get("status") or {}
    for field in STATUS_FIELDS.values():
        for container in status.get(field) or []:
            if container.get("name") == name:
                return container  # type: ignore[no-any-return]
    return None


def all_statuses(pod: Object) -> Iterator[Object]:
    """Every container status of the pod: init containers first, then the app's."""
    status = pod.get("status") or {}
    for field in ("initContainerStatuses", "containerStatuses"):
        yield from status.get(field) or []


def is_sidecar(container: Object) -> bool:
    """A native sidecar: an init container that runs alongside the app (restartPolicy
    Always, on by default since v1.29)."""
    return container.get("restartPolicy") == "Always"
