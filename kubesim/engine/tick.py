"""One tick: every controller reconciles what changed for it, then its changes are applied.

Each controller has a cursor in the change log: at its turn it reads the changes since then
to the resources it watches, maps them to its keys through its event handlers, adds the keys
whose timers fell due, and reconciles those keys only (kubesim.controllers.queue). A cluster
where nothing changed and no timer is due costs nothing to tick, and many such seconds are
skipped in one jump.

Controllers of one phase all compute from the state as the phase began, as real controllers
work from their informer caches; a change computed from a stale object fails its
resourceVersion check and is dropped, to be recomputed, as a real controller requeues on a
conflict.
"""

from __future__ import annotations

import math
import os
from typing import Any

from kubesim.api import events, kinds
from kubesim.api.errors import ApiError
from kubesim.api.server import ApiServer
from kubesim.controllers import (
    daemonset,
    deployment,
    endpoints,
    gc,
    kubelet,
    kubernetes_service,
    namespace,
    persistentvolume,
    podgc,
    provisioner,
    replicaset,
    scheduler,
    serviceaccounts,
    statefulset,
)
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
from kubesim.engine.clock import Clock
from kubesim.store.state import ClusterState


def _kubelet(snapshot: Snapshot, now: float, keys: list[str] | None) -> list[Change]:
    """The kubelet, wired to the container runtime (the sandbox) that runs its probes and its
    containers' main processes, and pulls their images from the simulated registries."""
    from kubesim.sandbox.daemons import steady_probe
    from kubesim.sandbox.hooks import hook_runner_for
    from kubesim.sandbox.probes import prober_for
    from kubesim.sandbox.process import resumer_for, runner_for
    from kubesim.sandbox.registry import pull_image

    return kubelet.reconcile(
        snapshot,
        now,
        keys,
        run_probe=prober_for(snapshot),
        run_main=runner_for(snapshot),
        pull_image=pull_image,
        resume_main=resumer_for(snapshot),
        run_hook=hook_runner_for(snapshot),
        steady_probe=steady_probe,
    )


KUBELET = Controller(
    name=kubelet.CONTROLLER.name,
    watches=kubelet.CONTROLLER.watches,
    keys_for=kubelet.CONTROLLER.keys_for,
    all_keys=kubelet.CONTROLLER.all_keys,
    reconcile=_kubelet,
)

# The order in which components act within a tick, in phases; each phase sees what the ones
# before it did, as real controllers react to a change within milliseconds. The node agents
# (scheduler, kubelet) act on the state as the tick starts; the workload controllers then see
# a pod turn Ready at once (an OrderedReady StatefulSet creates the next pod in the same second);
# last, the controllers that follow them: claims get their volumes, Ready pods their DNS records.
PHASES: tuple[tuple[Controller, ...], ...] = (
    (scheduler.CONTROLLER, KUBELET),
    (
        gc.CONTROLLER,
        podgc.CONTROLLER,
        namespace.CONTROLLER,
        serviceaccounts.CONTROLLER,
        daemonset.CONTROLLER,
        deployment.CONTROLLER,
        replicaset.CONTROLLER,
        statefulset.CONTROLLER,
    ),
    (
        persistentvolume.CONTROLLER,
        provisioner.CONTROLLER,
        endpoints.CONTROLLER,
        kubernetes_service.CONTROLLER,
    ),
)
CONTROLLERS = tuple(c for phase in PHASES for c in phase)
CURSORS_SECTION = "cursors"  # controller -> the revision its last pass had seen


def clock_of(state: ClusterState) -> Clock:
    return Clock(state.section("clock"))


def run_tick(state: ClusterState) -> int:
    """Advance one second and let every controller reconcile what is due; returns how many
    changes were applied."""
    clock = clock_of(state)
    clock.advance()
    now = clock.now
    seed = int(state.peek_section("cluster").get("seed", 0))
    server = ApiServer(state, now)
    verify = bool(os.environ.get("KUBESIM_VERIFY_QUEUES"))
    applied = 0
    feed = ChangeFeed(state)
    for phase in PHASES:
        # every controller of a phase computes from the same view before any change lands
        snapshot = Snapshot(state, now, seed)
        computed = []
        for controller in phase:
            keys = pending_keys(state, snapshot, controller, now, feed)
            changes = controller.reconcile(snapshot, now, sorted(keys)) if keys else []
            if verify:
                _verify(state, snapshot, controller, now, keys)
            computed.append((controller, changes))
        for controller, changes in computed:
            for change in changes:
                if isinstance(change, Requeue):
                    state.add_timer(controller.name, change.key, change.at)
                    continue
                took = apply(server, change)
                if not took and isinstance(change, Reported) and change.retry:
                    state.add_timer(controller.name, change.retry, now + 1)
                applied += took
    events.expire(server)
    _record_settled(state)
    return applied


def _record_settled(state: ClusterState) -> None:
    """Note the revision every controller has seen, so that a command can tell a settled
    cluster without loading the controllers."""
    from kubesim.engine.session import SETTLED_KEY, SETTLED_SECTION

    cursors = state.section(CURSORS_SECTION)
    settled = min(int(cursors.get(c.name) or 0) for c in CONTROLLERS)
    area = state.section(SETTLED_SECTION)
    if area.get(SETTLED_KEY) != settled:
        area[SETTLED_KEY] = settled


class ChangeFeed:
    """The change log as one tick's controllers read it: fetched once from the oldest cursor
    and extended as phases write, each change decoded once for every handler. Events wake no
    controller and are left out."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.start: int | None = None
        self.until = 0
        self.events: list[WatchEvent] = []

    def since(self, cursor: int, watches: tuple[str, ...] | None) -> list[WatchEvent]:
        revision = self.state.resource_version
        if self.start is None or cursor < self.start:
            entries = self.state.changes_since(cursor, without=("events",))
            self.events = [WatchEvent(e, self.state) for e in entries]
            self.start, self.until = cursor, revision
        elif self.until < revision:
            entries = self.state.changes_since(self.until, without=("events",))
            self.events += [WatchEvent(e, self.state) for e in entries]
            self.until = revision
        return [
            e
            for e in self.events
            if e.entry.rv > cursor and (watches is None or e.resource in watches)
        ]


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
            keys.update(controller.keys_for(snapshot, event))
    if cursor != revision:
        cursors[controller.name] = revision
    return keys


def is_idle(state: ClusterState) -> bool:
    """Nothing written since every controller's last pass."""
    cursors = state.section(CURSORS_SECTION)
    revision = state.resource_version
    return all(cursors.get(c.name) == revision for c in CONTROLLERS)


def run_ticks(state: ClusterState, count: int, *, limit: int | None = None) -> int:
    """Move time `count` ticks forward; returns how many ticks ran.

    A tick runs when something changed since the controllers' last pass or a timer falls due;
    the seconds between are skipped in one jump, since nothing would happen in them. `limit`
    caps how many ticks run before the clock jumps to the end regardless (a cluster that never
    settles, when catching up a long absence)."""
    clock = clock_of(state)
    target = clock.tick + count
    ran = 0
    while clock.tick < target:
        if is_idle(state):
            due = state.next_timer()
            next_tick = target
            if due is not None:
                next_tick = min(
                    target, max(clock.tick + 1, math.ceil(due - clock.now) + clock.tick)
                )
            if next_tick > clock.tick + 1:
                clock.advance(next_tick - clock.tick - 1)
        if limit is not None and ran >= limit:
            clock.advance(target - clock.tick - 1)
        run_tick(state)
        ran += 1
    return ran


def _verify(
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
