"""One tick: every controller reconciles the same snapshot, then its changes are applied in order.

Controllers work from the state at the start of the tick, as real controllers work from their
informer caches; a change computed from a stale object fails its resourceVersion check and is
dropped, to be recomputed next tick, as a real controller requeues on a conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.api import events, kinds
from kubesim.api.errors import ApiError
from kubesim.api.server import ApiServer
from kubesim.controllers import (
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
    RecordEvent,
    Remove,
    Reported,
    SetRuntime,
    Update,
    UpdateStatus,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.engine.clock import Clock
from kubesim.store.state import ClusterState

Reconcile = Callable[[Snapshot, float], list[Change]]


def _kubelet(snapshot: Snapshot, now: float) -> list[Change]:
    """The kubelet, wired to the container runtime (the sandbox) that runs its probes and its
    containers' main processes, and pulls their images from the simulated registries."""
    from kubesim.sandbox.probes import prober_for
    from kubesim.sandbox.process import runner_for
    from kubesim.sandbox.registry import pull_image

    return kubelet.reconcile(
        snapshot,
        now,
        run_probe=prober_for(snapshot),
        run_main=runner_for(snapshot),
        pull_image=pull_image,
    )


# The order in which components act within a tick, in phases; each phase sees what the ones
# before it did, as real controllers react to a change within milliseconds. The node agents
# (scheduler, kubelet) act on the state as the tick starts; the workload controllers then see
# a pod turn Ready at once (an OrderedReady StatefulSet creates the next pod in the same second);
# last, the controllers that follow them: claims get their volumes, Ready pods their DNS records.
PHASES: tuple[tuple[tuple[str, Reconcile], ...], ...] = (
    (
        ("default-scheduler", scheduler.reconcile),
        ("kubelet", _kubelet),
    ),
    (
        ("garbage-collector", gc.reconcile),
        ("pod-garbage-collector", podgc.reconcile),
        ("namespace-controller", namespace.reconcile),
        ("serviceaccount-controller", serviceaccounts.reconcile),
        ("deployment-controller", deployment.reconcile),
        ("replicaset-controller", replicaset.reconcile),
        ("statefulset-controller", statefulset.reconcile),
    ),
    (
        ("persistentvolume-controller", persistentvolume.reconcile),
        ("local-path-provisioner", provisioner.reconcile),
        ("endpoint-controller", endpoints.reconcile),
        ("kubernetes-service-controller", kubernetes_service.reconcile),
    ),
)
EVENT_EXPIRY_EVERY = 60  # ticks between sweeps of expired events


def clock_of(state: ClusterState) -> Clock:
    return Clock(state.section("clock"))


def run_tick(state: ClusterState) -> int:
    """Advance one second and run every controller once; returns how many changes applied."""
    clock = clock_of(state)
    clock.advance()
    now = clock.now
    seed = int(state.peek_section("cluster").get("seed", 0))
    server = ApiServer(state, now)
    applied = 0
    for phase in PHASES:
        snapshot = Snapshot(state, now, seed)
        for _, reconcile in phase:
            for change in reconcile(snapshot, now):
                applied += apply(server, change)
    if clock.tick % EVENT_EXPIRY_EVERY == 0:
        events.expire(server)
    return applied


def run_ticks(state: ClusterState, count: int, *, replay: int, limit: int | None = None) -> int:
    """Move time `count` ticks forward; returns how many ticks ran one by one.

    The first `replay` ticks always run. After that, a tick that changes nothing, with no timer
    running (settle.py), means the cluster has settled: the clock jumps to the last tick, which
    runs. `limit` caps how many ticks run one by one before the clock jumps regardless (a
    cluster that never settles).
    """
    from kubesim.engine.settle import timers_pending

    clock = clock_of(state)
    ran = 0
    while ran < count:
        changed = run_tick(state)
        ran += 1
        remaining = count - ran
        settled = ran >= replay and changed == 0 and not timers_pending(state, clock.now)
        if remaining > 1 and (settled or (limit is not None and ran >= limit)):
            clock.advance(remaining - 1)
            run_tick(state)
            break
    return ran


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
