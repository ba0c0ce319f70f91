"""kubesim's own commands, which kubectl does not have: tick, clock, reset."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kubesim.api.errors import UsageError


def tick(
    count: Annotated[int, typer.Argument(help="How many ticks (simulated seconds) to run.")] = 1,
) -> None:
    """Advance the simulation: each tick is one simulated second and one pass of every controller.

    Example: kubesim tick 30
    """
    from kubesim.engine import session
    from kubesim.engine.tick import clock_of, run_ticks

    if count < 0:
        raise UsageError("the number of ticks must be greater than or equal to 0")
    with session.writing(react=False) as server:
        # seconds in which nothing is due are skipped in one jump
        run_ticks(server.state, count)
        tick_now = clock_of(server.state).tick
    sys.stdout.write(f"ticked {count} (simulated time: {tick_now}s)\n")


def clock(
    mode: Annotated[
        str | None, typer.Argument(help="auto or manual; omit to show the current mode.")
    ] = None,
) -> None:
    """Show or set how time moves: auto (with the wall clock) or manual (only with kubesim tick).

    KUBESIM_CLOCK, when set, overrides the mode for that one command.
    Example: kubesim clock manual
    """
    from kubesim.engine import clock as clocks
    from kubesim.engine import session
    from kubesim.engine.tick import clock_of

    if mode is None:
        server = session.reading()
        stored = str(server.state.peek_section("clock").get("mode", clocks.AUTO))
        effective = clocks.effective_mode(stored)
        note = f" (KUBESIM_CLOCK={effective} for this shell)" if effective != stored else ""
        sys.stdout.write(f"{stored}{note}\n")
        return
    if mode not in clocks.MODES:
        raise UsageError(f'clock mode must be "auto" or "manual", not "{mode}"')
    with session.writing() as server:
        section = clock_of(server.state).section
        section["mode"] = mode
        section["wall"] = clocks.wall_time()  # time flows (or stands) from now on
    sys.stdout.write(f"clock set to {mode}\n")


def reset(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Start a new, empty cluster. The current state file is kept beside it as a backup.

    Example: kubesim reset --yes
    """
    from kubesim.cli.kubeconfig import FILE_NAME
    from kubesim.engine import session

    store = session.open_store()
    if not yes and sys.stdin.isatty():
        answer = input(
            f"Start a new cluster in {store.home}? The current one is kept as a backup. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            sys.stdout.write("nothing changed\n")
            return
    backup = store.reset()
    # as `kind delete cluster` takes its context out of the kubeconfig: the next cluster's
    # context starts afresh (default namespace, the new API server's address)
    (store.home / FILE_NAME).unlink(missing_ok=True)
    if backup is None:
        sys.stdout.write(f"no cluster in {store.home} yet; the next command creates one\n")
    else:
        sys.stdout.write(f"cluster reset; the previous state is kept in {backup}\n")


def register(app: typer.Typer) -> None:
    # "-5" is a (negative) count, not a flag
    app.command("tick", context_settings={"ignore_unknown_options": True})(tick)
    app.command("clock")(clock)
    app.command("reset")(reset)
