"""Events, as client-go's recorder writes them: named `<object>.<hex nanoseconds>`, with
repeats of the same event folded into one object whose count and lastTimestamp grow."""

from __future__ import annotations

from typing import Any

from kubesim.api import kinds, meta
from kubesim.api.server import ApiServer

Object = dict[str, Any]

EVENT_TTL_SECONDS = 3600  # the apiserver's default --event-ttl
_EVENTS = kinds.by_resource("events")


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
    key = "|".join((imeta.get("uid", ""), field_path or "", type_, reason, message, component))
    index: dict[str, str] = server.state.section("eventIndex")
    timestamp = meta.format_time(server.now)
    existing_name = index.get(key)
    if existing_name:
        existing = server.state.get("events", namespace, existing_name)
        if existing is not None:
            bumped = {
                **existing,
                "count": int(existing.get("count", 1)) + 1,
                "lastTimestamp": timestamp,
            }
            bumped["metadata"] = dict(existing["metadata"])
            return server.state.put("events", bumped)
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
    created = server.create(event, namespace=namespace)
    index[key] = created["metadata"]["name"]
    return created


def expire(server: ApiServer) -> None:
    """Drop events whose last occurrence is older than the TTL, as etcd leases do."""
    horizon = server.now - EVENT_TTL_SECONDS
    index: dict[str, str] = server.state.peek_section("eventIndex")
    expired = [
        e
        for e in server.list(_EVENTS)
        if meta.parse_time(e.get("lastTimestamp") or e["metadata"]["creationTimestamp"]) < horizon
    ]
    if not expired:
        return
    gone = set()
    for event in expired:
        server.state.remove("events", event["metadata"]["namespace"], event["metadata"]["name"])
        gone.add(event["metadata"]["name"])
    live = {k: v for k, v in index.items() if v not in gone}
    server.state.section("eventIndex").clear()
    server.state.section("eventIndex").update(live)
