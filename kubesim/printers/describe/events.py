"""The events of an object and the `Events:` table every describer ends with.

kubectl finds them with a field selector (searchEvents in describe.go: involvedObject.name,
.namespace, and .kind / .uid when known) and prints them oldest first (event.SortableEvents
sorts by lastTimestamp), each with `Age` and, for a repeated event, `(xN over T)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.api import meta
from kubesim.printers.describe.common import Context, Object
from kubesim.printers.describe.writer import LEVEL_0, LEVEL_1, Writer


class Reference:
    """The involvedObject fields an event must match; kind or uid None means any."""

    __slots__ = ("name", "namespace", "kind", "uid")

    def __init__(self, name: str, namespace: str, kind: str | None, uid: str | None) -> None:
        self.name = name
        self.namespace = namespace
        self.kind = kind
        self.uid = uid


def reference_to(obj: Object, *, with_kind: bool = True) -> Reference:
    """reference.GetReference for an object (describePod clears the kind: ref.Kind = "")."""
    md = obj.get("metadata") or {}
    return Reference(
        str(md.get("name", "")),
        str(md.get("namespace") or ""),
        str(obj.get("kind", "")) if with_kind and obj.get("kind") else None,
        str(md["uid"]) if md.get("uid") else None,
    )


def search(ctx: Context, ref: Reference) -> list[Object]:
    """searchEvents: the events whose involvedObject matches, in the apiserver's list order."""
    found = []
    if ref.uid is not None:
        candidates = ctx.events_about(ref.uid)  # the store's index by involved object
    else:
        candidates = ctx.objects("events", ref.namespace or None)
    for event in candidates:
        if ref.namespace and (event.get("metadata") or {}).get("namespace") != ref.namespace:
            continue
        involved = event.get("involvedObject") or {}
        if involved.get("name", "") != ref.name:
            continue
        namespace = involved.get("namespace") or ""
        # a cluster-scoped object's events live in "default"; tolerate a recorder that also
        # wrote that namespace into involvedObject (kubectl's selector asks for "")
        if namespace != ref.namespace and not (
            not ref.namespace and namespace == (event.get("metadata") or {}).get("namespace")
        ):
            continue
        if ref.kind is not None and involved.get("kind", "") != ref.kind:
            continue
        if ref.uid is not None and involved.get("uid", "") != ref.uid:
            continue
        found.append(event)
    return found


def events_for(ctx: Context, obj: Object) -> list[Object] | None:
    """The events a typed describer shows for `obj`; None when --show-events=false."""
    if not ctx.show_events:
        return None
    return search(ctx, reference_to(obj))


def _last_timestamp(event: Object) -> float:
    stamp = event.get("lastTimestamp")
    return meta.parse_time(stamp) if stamp else float("-inf")  # Go's zero time sorts first


def describe_events(ctx: Context, events: Iterable[Object], w: Writer) -> None:
    """DescribeEvents: `Events:  <none>`, or the table sorted by lastTimestamp."""
    events = sorted(events, key=_last_timestamp)  # stable, as Go's insertion sort for few items
    if not events:
        w.write(LEVEL_0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(LEVEL_0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(LEVEL_1, "----\t------\t----\t----\t-------\n")
    for event in events:
        first = ctx.since(event.get("eventTime") or event.get("firstTimestamp"))
        series = event.get("series")
        count = int(event.get("count") or 0)
        if series:
            interval = (
                f"{ctx.since(series.get('lastObservedTime'))} "
                f"(x{series.get('count', 0)} over {first})"
            )
        elif count > 1:
            interval = f"{ctx.since(event.get('lastTimestamp'))} (x{count} over {first})"
        else:
            interval = first
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        message = str(event.get("message", "")).strip()
        kind, reason = event.get("type", ""), event.get("reason", "")
        w.write(LEVEL_1, f"{kind}\t{reason}\t{interval}\t{source}\t{message}\n")
