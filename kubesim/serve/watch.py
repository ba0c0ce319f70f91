"""Watch (apiserver handlers/watch.go and the watch cache's semantics): newline-delimited JSON
events on a chunked response, read from the store's change log.

- No resourceVersion, or "0": ADDED for every object that matches now, then the changes after.
  With sendInitialEvents=true (client-go's WatchList) the initial events end with a BOOKMARK
  annotated `k8s.io/initial-events-end: "true"`.
- A resourceVersion: the changes after it; one the log no longer holds gets an ERROR event
  carrying a 410 Expired Status, and the stream ends (clients list again).
- Selectors see objects enter and leave: a MODIFIED that stops matching is sent as DELETED,
  one that starts to match as ADDED.
- allowWatchBookmarks: a BOOKMARK with the current revision now and then.
- timeoutSeconds ends the stream (else a random 30 to 60 minutes, as kube-apiserver picks).
- With Table in the Accept header each event's object is a one-row Table, the column
  definitions in the first only.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

from kubesim.api import listing
from kubesim.api.errors import BadRequest
from kubesim.api.kinds import Kind
from kubesim.serve import status
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import reading, table_version
from kubesim.store import Store

Object = dict[str, Any]
POLL_SECONDS = 0.1
BOOKMARK_SECONDS = 60.0  # the watch cache's bookmark frequency
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


class _Encoder:
    """Events as the client asked for them: objects, or one-row Tables."""

    def __init__(self, kind: Kind, request: Request, write: Callable[[bytes], None]) -> None:
        from kubesim.printers import server_table

        self.kind = kind
        self.write = write
        self.table = table_version(request)
        self.include = server_table.check_include(request.param("includeObject"))
        self.headers = True

    def send(self, event_type: str, obj: Object, now: float) -> None:
        if self.table and event_type in ("ADDED", "MODIFIED", "DELETED"):
            from kubesim.printers import server_table

            table = server_table.table(
                self.kind,
                [obj],
                now,
                include=self.include,
                resource_version=str(obj["metadata"].get("resourceVersion", "")),
                headers=self.headers,
            )
            table["apiVersion"] = f"meta.k8s.io/{self.table}"
            self.headers = False
            obj = table
        line = json.dumps({"type": event_type, "object": obj}, separators=(",", ":"))
        self.write(line.encode() + b"\n")

    def bookmark(self, revision: int, initial_end: bool = False) -> None:
        metadata: Object = {"resourceVersion": str(revision)}
        if initial_end:
            metadata["annotations"] = {INITIAL_EVENTS_END: "true"}
        obj: Object = {
            "kind": self.kind.kind,
            "apiVersion": self.kind.api_version,
            "metadata": metadata,
        }
        if self.table:
            obj = {"kind": "Table", "apiVersion": f"meta.k8s.io/{self.table}",
                   "metadata": {"resourceVersion": str(revision)}, "columnDefinitions": None,
                   "rows": None}  # fmt: skip
        self.send("BOOKMARK", obj, 0.0)


def watch(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    """Serve one watch until its timeout, or until the client goes away."""
    kind = target.kind
    assert kind is not None
    matches = listing.matcher(kind, request.param("labelSelector"), request.param("fieldSelector"))
    selective = bool(request.param("labelSelector") or request.param("fieldSelector"))
    bookmarks = request.flag("allowWatchBookmarks")
    initial = request.param("sendInitialEvents")
    rv_text = request.param("resourceVersion")
    if initial == "true" and request.param("resourceVersionMatch") not in ("", "NotOlderThan"):
        raise BadRequest(
            "resourceVersionMatch: Forbidden: sendInitialEvents requires setting "
            "resourceVersionMatch to NotOlderThan"
        )
    since = _revision(rv_text)
    timeout = _timeout(request.param("timeoutSeconds"))
    deadline = time.monotonic() + timeout
    with reading(store) as server:
        revision = server.state.resource_version
        compacted = server.state.compacted
        send_initial = initial == "true" or (initial == "" and since in (None, 0))
        initial_objects: list[Object] = []
        if send_initial:
            initial_objects = [o for o in server.scan(kind, target.namespace) if matches(o)]
            start = revision
        else:
            start = since if since else revision
        now = server.now
    with reply.stream() as write:
        encoder = _Encoder(kind, request, write)
        if not send_initial and start < compacted:
            message = f"too old resource version: {start} ({compacted})"
            encoder.send("ERROR", status.failure(message, "Expired", 410), 0.0)
            return
        for obj in initial_objects:
            encoder.send("ADDED", obj, now)
        if send_initial and initial == "true" and bookmarks:
            encoder.bookmark(revision, initial_end=True)
        _follow(store, kind, target.namespace, matches if selective else None, encoder, start,
                deadline, bookmarks)  # fmt: skip


def _follow(
    store: Store,
    kind: Kind,
    namespace: str | None,
    matches: Callable[[Object], bool] | None,
    encoder: _Encoder,
    start: int,
    deadline: float,
    bookmarks: bool,
) -> None:
    watcher = store.watcher(start)
    last_bookmark = time.monotonic()
    try:
        while time.monotonic() < deadline:
            changes, restarted = watcher.poll((kind.resource,))
            if restarted:
                return  # the cluster was reset: its revisions start over, clients list again
            for change in changes:
                if namespace is not None and change.namespace != namespace:
                    continue
                obj = change.object
                event: str | None = change.type
                if matches is not None:
                    event = _selected(change, obj, matches, watcher)
                if event is not None:
                    encoder.send(event, obj, change.t if change.t is not None else 0.0)
            if bookmarks and time.monotonic() - last_bookmark >= BOOKMARK_SECONDS:
                encoder.bookmark(watcher.since)
                last_bookmark = time.monotonic()
            time.sleep(POLL_SECONDS)
    finally:
        watcher.close()


def _selected(
    change: Any, obj: Object, matches: Callable[[Object], bool], watcher: Any
) -> str | None:
    """The event a selective watch sees for a change (the watch cache's filtering)."""
    now_matches = matches(obj)
    if change.type == "ADDED":
        return "ADDED" if now_matches else None
    if change.type == "DELETED":
        return "DELETED" if now_matches else None
    before = _previous(change, obj, watcher)
    was_matching = matches(before) if before is not None else now_matches
    if was_matching and now_matches:
        return "MODIFIED"
    if now_matches:
        return "ADDED"
    if was_matching:
        return "DELETED"
    return None


def _previous(change: Any, obj: Object, watcher: Any) -> Object | None:
    """The version a change replaced: from the log when it is still there, else the new one
    with the labels it had."""
    if change.prev and watcher.conn is not None:
        row = watcher.conn.execute("SELECT value FROM changes WHERE rv = ?", (change.prev,))
        found = row.fetchone()
        if found is not None:
            from kubesim.store import codec

            value: Object = codec.loads(found[0])
            return value
    previous = change.previous_metadata
    if previous is None:
        return None
    return {**obj, "metadata": {**obj["metadata"], "labels": previous.get("labels") or {}}}


def _revision(text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f'resourceVersion: Invalid value: "{text}": must be a number') from None
    return value


def _timeout(text: str) -> float:
    if text:
        try:
            return max(float(int(text)), 0.0)
        except ValueError:
            raise BadRequest(f'strconv.ParseInt: parsing "{text}": invalid syntax') from None
    return 1800.0 * (1 + random.random())  # minRequestTimeout * (rand + 1)
