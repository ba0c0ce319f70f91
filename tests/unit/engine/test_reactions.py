"""The control plane reacts to a write at once: which writes, told without its controllers."""

from __future__ import annotations

from kubesim.engine import control_plane, reactions, tick


def test_the_watched_resources_are_the_reacting_controllers_watches() -> None:
    watched = {r for phase in control_plane.PHASES for c in phase for r in c.watches if r != "*"}
    assert reactions.WATCHED == watched


def test_the_node_agents_wait_for_the_next_tick() -> None:
    reacting = {c.name for phase in control_plane.PHASES for c in phase}
    assert not reacting & {c.name for c in tick.PHASES[0]}
    assert tick.PHASES[1:] == control_plane.PHASES
