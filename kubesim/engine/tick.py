"""One tick: a simulated second of every controller, the node agents first.

Each controller reconciles what changed for it since its last pass and the keys whose timers
fell due (kubesim.engine.passes). A cluster where nothing changed and no timer is due costs
nothing to tick, and many such seconds are skipped in one jump.
"""

from __future__ import annotations

import math

from kubesim.api import events
from kubesim.api.server import ApiServer
from kubesim.controllers import kubelet, scheduler
from kubesim.controllers.changes import Change
from kubesim.controllers.queue import Controller
from kubesim.controllers.snapshot import Snapshot
from kubesim.engine import control_plane
from kubesim.engine.clock import Clock
from kubesim.engine.passes import CURSORS_SECTION, ChangeFeed, run_phase
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
# (scheduler, kubelet) act on the state as the tick starts; the control plane's controllers
# then see a pod turn Ready at once (an OrderedReady StatefulSet creates the next pod in the
# same second); last, the controllers that follow them: claims get their volumes, Ready pods
# their DNS records. After the phases the control plane settles (control_plane.settle): what one
# of its controllers wrote is seen by the others in the same second (a Job that fails has its
# CronJob's history trimmed at once), the node agents again at the next tick.
PHASES: tuple[tuple[Controller, ...], ...] = (
    (scheduler.CONTROLLER, KUBELET),
    *control_plane.PHASES,
)
CONTROLLERS = tuple(c for phase in PHASES for c in phase)


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
    feed = ChangeFeed(state)
    applied = sum(run_phase(server, phase, seed, feed) for phase in PHASES)
    if applied:
        # what the control plane wrote this second is seen by its other controllers at once
        applied += control_plane.settle(server, seed, verifying=False, feed=feed)
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
