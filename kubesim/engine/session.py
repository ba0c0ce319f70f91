"""Opening the cluster for a command: locate it, create it on first use, catch up the clock.

In auto mode every command first runs the ticks that wall time says are due: one by one while
the cluster is still settling, then, once a tick changes nothing, it jumps straight to now.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from kubesim.api.errors import StateError
from kubesim.api.server import ApiServer
from kubesim.engine import clock as clocks
from kubesim.store import ClusterState, CorruptState, Store, Unusable

T = TypeVar("T")

MAX_REPLAYED_TICKS = 600  # at most this many ticks are replayed one by one per catch-up
# the revision at which every controller had seen every change (kept by the tick)
SETTLED_SECTION, SETTLED_KEY = "engine", "settled"


def home() -> Path:
    """KUBESIM_HOME, else the user data dir for kubesim."""
    configured = os.environ.get("KUBESIM_HOME")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("kubesim", appauthor=False))


def open_store() -> Store:
    from kubesim.api.decode import stored_problem

    return Store(home(), check=stored_problem)


def _state_error(err: CorruptState | Unusable) -> StateError:
    if isinstance(err, Unusable):
        return StateError(
            f"cannot use {err.path} for the cluster: {err.reason}. "
            "Set KUBESIM_HOME to a directory you can write to."
        )
    backups = Store(err.path.parent).backups() if err.path.parent.is_dir() else []
    latest = f"\nThe last automatic backup is {backups[-1]}." if backups else ""
    return StateError(
        f"the cluster state in {err.path} cannot be read: {err.reason}.\n"
        f"Nothing was changed. To keep the file and start a new cluster, run: kubesim reset"
        f" (it moves the file aside to {err.path.name}.bak){latest}"
    )


def mode(state: ClusterState) -> str:
    """The clock mode this process runs in: KUBESIM_CLOCK, else the cluster's own setting."""
    return clocks.effective_mode(str(state.peek_section("clock").get("mode", clocks.AUTO)))


def catch_up(state: ClusterState, wall: float) -> int:
    """Run the ticks that wall time says are due (auto mode only)."""
    if mode(state) == clocks.MANUAL:
        return 0  # time stands still; `kubesim clock auto` restarts it from the wall clock's now
    due = clocks.Clock(state.peek_section("clock")).due_ticks(wall)
    if due == 0:
        return 0  # nothing to do, and nothing to write
    from kubesim.engine.tick import clock_of, run_ticks

    ran = run_ticks(state, due, limit=MAX_REPLAYED_TICKS)
    clock_of(state).mark_wall(wall, consumed=due)
    return ran


def has_work(state: ClusterState, wall: float) -> bool:
    """Whether catching up to `wall` would do more than move the clock: something was written
    since the controllers' last pass, or a timer falls due by then. A settled cluster costs
    nothing to catch up, and a read needs no write."""
    clock = clocks.Clock(state.peek_section("clock"))
    due = clock.due_ticks(wall)
    if due == 0:
        return False
    if state.resource_version != state.peek_section(SETTLED_SECTION).get(SETTLED_KEY):
        return True
    next_timer = state.next_timer()
    return next_timer is not None and next_timer <= clock.now + due


def _check_clock(state: ClusterState, store: Store) -> None:
    """A cluster document needs its clock; say so rather than fail on a missing field."""
    clock = state.peek_section("clock")
    if state.is_new:
        return
    if not all(isinstance(clock.get(k), int | float) for k in ("tick", "epoch", "wall")):
        raise CorruptState(
            store.state_path, 'not a kubesim cluster document (its "clock" is incomplete)'
        )


def _ensure_cluster(state: ClusterState, wall: float) -> None:
    if state.is_new:
        from kubesim.engine.bootstrap import bootstrap

        bootstrap(state, wall, clocks.AUTO)


@contextmanager
def writing(
    store: Store | None = None, *, save: bool = True, react: bool = True
) -> Iterator[ApiServer]:
    """The apiserver over the locked cluster, time caught up; saved when the block ends,
    unless `save` is False (a server-side dry run: admitted and defaulted, never stored).
    What the block wrote is reacted to by the control plane's controllers at once, as a real
    cluster's are (`react`; the tick command runs every controller itself)."""
    store = store or open_store()
    try:
        with _output_after_commit(), store.transaction(commit=save) as state:
            _check_clock(state, store)
            wall = clocks.wall_time()
            _ensure_cluster(state, wall)
            catch_up(state, wall)
            before = state.resource_version
            yield ApiServer(state, clocks.Clock(state.peek_section("clock")).now)
            if save and react and state.resource_version > before:
                react_to_writes(state, before)
    except (CorruptState, Unusable) as err:
        raise _state_error(err) from None


def react_to_writes(state: ClusterState, since: int) -> None:
    """Let the control plane's controllers react to what was written after `since`, when any
    of them watches it (a write nothing watches costs no controller a look)."""
    from kubesim.engine import reactions

    if reactions.wanted(state, since):
        from kubesim.engine.control_plane import react

        react(state)


class _Recorder:
    """Stands in for stdout or stderr, keeping what is written, in order with the other."""

    def __init__(self, real: Any, name: str, written: list[tuple[str, str]]) -> None:
        self.real, self.name, self.written = real, name, written

    def write(self, text: str) -> int:
        self.written.append((self.name, text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return bool(self.real.isatty())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@contextmanager
def _output_after_commit() -> Iterator[None]:
    """What a writing command prints (`configmap/x created`) reaches the terminal only once
    its transaction is committed: a write that fails (a full disk) prints nothing that claims
    it was saved, only the error saying it was not."""
    if isinstance(sys.stdout, _Recorder):
        yield  # an outer writing session defers already
        return
    written: list[tuple[str, str]] = []
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Recorder(out, "out", written), _Recorder(err, "err", written)
    try:
        yield
    except BaseException:
        sys.stdout, sys.stderr = out, err
        # an error the command raises itself (kubectl's usage errors, a refusal) comes after
        # what it printed before; only a failed commit (the store's errors) drops it all
        error = sys.exc_info()[1]
        if not isinstance(error, CorruptState | Unusable):
            _replay(written, out, err)
        raise
    sys.stdout, sys.stderr = out, err
    _replay(written, out, err)


def _replay(written: list[tuple[str, str]], out: Any, err: Any) -> None:
    for name, text in written:
        (out if name == "out" else err).write(text)


def reading(store: Store | None = None) -> ApiServer:
    """The apiserver over a read snapshot; if time must move first, the due ticks run (and are
    saved) in a writing session, and the snapshot is taken after them."""
    store = store or open_store()
    try:
        state = store.read()
        _check_clock(state, store)
    except (CorruptState, Unusable) as err:
        raise _state_error(err) from None
    if not state.is_new:
        clock = clocks.Clock(state.peek_section("clock"))
        if mode(state) == clocks.MANUAL:
            return ApiServer(state, clock.now)
        wall = clocks.wall_time()
        if not has_work(state, wall):
            return ApiServer(state, clock.now + clock.due_ticks(wall))
    with writing(store):
        pass
    try:
        state = store.read()
    except (CorruptState, Unusable) as err:
        raise _state_error(err) from None
    return ApiServer(state, clocks.Clock(state.peek_section("clock")).now)


def wait_for(
    check: Callable[[ApiServer], T | None],
    *,
    timeout: float,
    store: Store | None = None,
    poll: float = 0.2,
) -> T | None:
    """Until `check` returns a value: ticking as fast as possible in manual mode (up to
    `timeout` ticks), or waiting on wall time in auto mode (up to `timeout` seconds)."""
    from kubesim.engine.tick import clock_of, run_tick

    store = store or open_store()
    deadline = time.monotonic() + timeout
    while True:
        with writing(store) as server:
            if mode(server.state) == clocks.MANUAL:
                for _ in range(int(timeout) + 1):
                    result = check(server)
                    if result is not None:
                        return result
                    run_tick(server.state)
                    server.now = clock_of(server.state).now
                return None
            result = check(server)
            if result is not None:
                return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(poll)
