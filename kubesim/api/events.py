"""Events, as client-go's recorder writes them: named `<object>.<hex nanoseconds>`, with
repeats of the same event folded into one object whose count and lastTimestamp grow."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.api.server import EVENT_TTL_SECONDS, ApiServer
from kubesim.store.state import event_series

Object = dict[str, Any]


def record(
    server: ApiServer,
    involved: Object,
    type_: str,
    reason: str,
    message: str,
    component: str,
    host: str | None = None,
    field_path: str | None = None,
) -> Object:
    """Create the event, or bump the count of an identical one (EventCorrelator)."""
    imeta = involved["metadata"]
    namespace = imeta.get("namespace") or "default"
    timestamp = meta.format_time(server.now)
    reference: Object = {
        "apiVersion": involved.get("apiVersion", "v1"),
        "kind": involved.get("kind", ""),
        "name": imeta.get("name", ""),
        "resourceVersion": imeta.get("resourceVersion", ""),
        "uid": imeta.get("uid", ""),
    }
    if imeta.get("namespace"):  # events about cluster-scoped objects live in "default"
        reference["namespace"] = imeta["namespace"]
    if field_path:
        reference["fieldPath"] = field_path
    source: Object = {"component": component}
    if host:
        source["host"] = host
    nanos = int(server.now * 1_000_000_000) + server.state.resource_version
    event: Object = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{imeta.get('name', '')}.{nanos:x}", "namespace": namespace},
        "involvedObject": reference,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": timestamp,
        "lastTimestamp": timestamp,
        "count": 1,
        "type": type_,
        "eventTime": None,
        "reportingComponent": component,
        "reportingInstance": host or "",
    }
    existing = server.state.event_in_series(event_series(event))
    if existing is not None:
        bumped = {
            **existing,
            "count": int(existing.get("count", 1)) + 1,
            "lastTimestamp": timestamp,
        }
        bumped["metadata"] = dict(existing["metadata"])
        return server.state.put("events", bumped, expires=server.now + EVENT_TTL_SECONDS)
    return server.create(event, namespace=namespace)


def expire(server: ApiServer) -> None:
    """Drop events whose lease ran out (the apiserver's --event-ttl), as etcd does."""
    server.state.expire_events(server.now)
