"""The control plane's controllers, and their reaction to a write at the same instant.

kube-controller-manager's controllers react to a change within milliseconds, long before the
next second: a user's `scale --replicas=0` deletes the pods before a `scale --replicas=2` typed
right after it is seen, and a deleted pod's ReplicaSet has made its replacement by the time
`get pods` runs. So what a command writes is reacted to before it is saved (`react`), without
time moving. The node agents (scheduler, kubelet) act at the next tick (kubesim.engine.tick).
"""

from __future__ import annotations

from kubesim.api.server import ApiServer
from kubesim.controllers import (
    cronjob,
    daemonset,
    deployment,
    endpoints,
    gc,
    job,
    kubernetes_service,
    namespace,
    persistentvolume,
    podgc,
    provisioner,
    replicaset,
    serviceaccounts,
    statefulset,
    ttlafterfinished,
)
from kubesim.controllers.queue import Controller
from kubesim.engine.clock import Clock
from kubesim.engine.passes import ChangeFeed, run_phase
from kubesim.store.state import ClusterState

# In phases, as in a tick: the workload controllers first, then those that follow them
# (claims get their volumes, Ready pods their DNS records).
PHASES: tuple[tuple[Controller, ...], ...] = (
    (
        gc.CONTROLLER,
        podgc.CONTROLLER,
        namespace.CONTROLLER,
        serviceaccounts.CONTROLLER,
        daemonset.CONTROLLER,
        deployment.CONTROLLER,
        replicaset.CONTROLLER,
        statefulset.CONTROLLER,
        job.CONTROLLER,
        cronjob.CONTROLLER,
    ),
    (
        persistentvolume.CONTROLLER,
        provisioner.CONTROLLER,
        endpoints.CONTROLLER,
        kubernetes_service.CONTROLLER,
        ttlafterfinished.CONTROLLER,
    ),
)
MAX_REACTIONS = 8  # passes after one write (a chain: deployment, replica set, pods, endpoints)


def react(state: ClusterState) -> int:
    """The control plane's reaction to a write, at the same instant (REACTING): its controllers
    run until they rest, without time moving. Returns how many changes they applied."""
    now = Clock(state.section("clock")).now
    seed = int(state.peek_section("cluster").get("seed", 0))
    # the node agents have yet to see it: the cluster is not settled until the next tick
    return settle(ApiServer(state, now), seed)


def settle(
    server: ApiServer, seed: int, *, verifying: bool = True, feed: ChangeFeed | None = None
) -> int:
    """Run the control plane's phases until none of them has anything left to do (at most
    MAX_REACTIONS rounds), so that what one controller wrote is seen by the others at once.
    `feed`: the change log as read so far this instant (it is extended, not read again)."""
    applied = 0
    feed = feed or ChangeFeed(server.state)
    for _ in range(MAX_REACTIONS):
        done = sum(run_phase(server, phase, seed, feed, verifying=verifying) for phase in PHASES)
        applied += done
        if not done:
            break
    return applied
