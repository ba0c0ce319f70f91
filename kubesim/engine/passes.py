"""A pass of controllers over what changed for them, and how their changes are applied.

Each controller has a cursor in the change log: at its turn it reads the changes since then
to the resources it watches, maps them to its keys through its event handlers, adds the keys
whose timers fell due, and reconciles those keys only (kubesim.controllers.queue). Controllers
of one phase all compute from the state as the phase began, as real controllers work from
their informer caches; a change computed from a stale object fails its resourceVersion check
and is dropped, to be recomputed, as a real controller requeues on a conflict.

Used by the tick (kubesim.engine.tick: every controller, a second later) and by the control
plane's reaction to a write (kubesim.engine.control_plane: at the same instant).
"""

from __future__ import annotations

import os
from typing import Any

from kubesim.api import events, kinds
from kubesim.api.errors import ApiError
from kubesim.api.server import ApiServer
from kubesim.controllers.changes import (
    Bind,
    Change,
    Create,
    Delete,
    DropRuntime,
    RecordEvent,
    Remove,
    Reported,
    Requeue,
    SetRuntime,
    Update,
    UpdateStatus,
)
from kubesim.controllers.queue import Controller, WatchEvent
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState

CURSORS_SECTION = "cursors"  # controller -> the revision its last pass had seen


def run_phase(
    server: ApiServer,
    phase: tuple[Controller, ...],
    seed: int,
    feed: ChangeFeed,
    *,
    verifying: bool = True,
) -> int:
    """Every controller of a phase computes from the same view, then their changes land.
    `verifying=False` skips KUBESIM_VERIFY_QUEUES's check (a tick's later rounds: its first
    round has checked every controller this second, and the next tick checks again)."""
    state, now = server.state, server.now
    verifying = verifying and bool(os.environ.get("KUBESIM_VERIFY_QUEUES"))
    snapshot = Snapshot(state, now, seed)
    computed = []
    for controller in phase:
        keys = pending_keys(state, snapshot, controller, now, feed)
        changes = controller.reconcile(snapshot, now, sorted(keys)) if keys else []
        if verifying:
            verify(state, snapshot, controller, now, keys)
        computed.append((controller, changes))
    applied = 0
    for controller, changes in computed:
        for change in changes:
            if isinstance(change, Requeue):
                state.add_timer(controller.name, change.key, change.at)
                continue
            took = apply(server, change)
            if not took and isinstance(change, Reported) and change.retry:
                state.add_timer(controller.name, change.retry, now + 1)
            applied += took
    return applied


class ChangeFeed:
    """The change log as one tick's controllers read it: fetched once from the oldest cursor
    and extended as phases write, each change decoded once for every handler, and kept by
    resource so that a controller reads only the changes to what it watches. Events wake no
    controller and are left out."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.start: int | None = None
        self.until = 0
        self.events: list[WatchEvent] = []
        self.revisions: list[int] = []
        self.by_resource: dict[str, tuple[list[int], list[WatchEvent]]] = {}

    def since(self, cursor: int, watches: tuple[str, ...] | None) -> list[WatchEvent]:
        from bisect import bisect_right

        revision = self.state.resource_version
        if self.start is None or cursor < self.start:
            self.events, self.revisions, self.by_resource = [], [], {}
            self._add(self.state.changes_since(cursor, without=("events",)))
            self.start, self.until = cursor, revision
        elif self.until < revision:
            self._add(self.state.changes_since(self.until, without=("events",)))
            self.until = revision
        if watches is None:
            return self.events[bisect_right(self.revisions, cursor) :]
        found: list[WatchEvent] = []
        for resource in watches:
            if resource in self.by_resource:
                revisions, events = self.by_resource[resource]
                found += events[bisect_right(revisions, cursor) :]
        if len(watches) > 1:
            found.sort(key=lambda e: e.entry.rv)
        return found

    def _add(self, entries: Any) -> None:
        for entry in entries:
            event = WatchEvent(entry, self.state)
            self.events.append(event)
            self.revisions.append(entry.rv)
            revisions, events = self.by_resource.setdefault(entry.resource, ([], []))
            revisions.append(entry.rv)
            events.append(event)


def pending_keys(
    state: ClusterState,
    snapshot: Snapshot,
    controller: Controller,
    now: float,
    feed: ChangeFeed | None = None,
) -> set[str]:
    """The keys a controller must reconcile now: those the changes since its last pass wake,
    and those whose timers fell due. Its cursor moves to the current revision."""
    cursors = state.section(CURSORS_SECTION)
    cursor = cursors.get(controller.name)
    revision = state.resource_version
    keys: set[str] = set(state.take_timers(controller.name, now))
    if cursor is None or int(cursor) < state.compacted:
        keys.update(controller.all_keys(snapshot))  # a relist, as after a restart
    elif int(cursor) < revision:
        watches = None if controller.watches == ("*",) else controller.watches
        for event in (feed or ChangeFeed(state)).since(int(cursor), watches):
            try:
                keys.update(controller.keys_for(snapshot, event))
            except ValueError:
                continue  # an entry of the change log damaged behind kubesim's back
    if cursor != revision:
        cursors[controller.name] = revision
    return keys


def verify(
    state: ClusterState, snapshot: Snapshot, controller: Controller, now: float, keys: set[str]
) -> None:
    """KUBESIM_VERIFY_QUEUES: a key the queue did not wake must have nothing to do, or its
    handlers or timers miss a case."""
    for key in controller.all_keys(snapshot):
        if key in keys:
            continue
        missed = [
            c for c in controller.reconcile(snapshot, now, [key]) if not isinstance(c, Requeue)
        ]
        if missed:
            raise AssertionError(
                f"{controller.name}: key {key!r} was not woken at {now}, but has work: {missed}"
            )


def apply(server: ApiServer, change: Change) -> int:
    """Apply one change through the apiserver; 1 if it took effect, 0 if it was refused."""
    if isinstance(change, Reported):
        try:
            _request(server, change.request)
        except ApiError as err:
            failed = change.failure(err.reason, err.message) if change.failure else None
            if failed is not None:
                _record(server, failed)
            return 0
        if change.success is not None:
            _record(server, change.success)
        return 1
    try:
        _request(server, change)
    except ApiError:
        return 0
    return 1


def _request(server: ApiServer, change: Change) -> None:
    match change:
        case Create(obj):
            server.create(obj)
        case Update(obj):
            server.update(obj)
        case UpdateStatus(obj):
            server.update_status(obj)
        case Bind(ns, name, uid, node):
            server.bind(ns, name, node, uid=uid)
        case Delete(resource, ns, name, uid, grace, propagation):
            server.delete(
                kinds.by_resource(resource),
                ns,
                name,
                uid=uid,
                grace_period=grace,
                propagation=propagation,
            )
        case Remove(resource, ns, name, uid):
            server.remove(kinds.by_resource(resource), ns, name, uid=uid)
        case RecordEvent():
            _record(server, change)
        case SetRuntime(section, key, value):
            _set_runtime(server, section, key, value)
        case DropRuntime(section, prefix):
            server.state.section(section).pop_prefix(prefix)


def _record(server: ApiServer, change: RecordEvent) -> None:
    events.record(
        server,
        change.involved,
        change.type,
        change.reason,
        change.message,
        change.component,
        host=change.host,
        field_path=change.field_path,
    )


def _set_runtime(server: ApiServer, section: str, key: str, value: Any) -> None:
    area = server.state.section(section)
    if value is None:
        area.pop(key, None)
    else:
        area[key] = value
