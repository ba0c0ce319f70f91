"""The resumable shell: a script suspended at any point and resumed from its saved state (as
JSON) does exactly what it does when run straight through, at the same simulated moments."""

from __future__ import annotations

import json
from typing import Any

from kubesim.sandbox.container import ProcessClock
from kubesim.sandbox.machine import (
    ResumableShell,
    state_from_data,
    state_to_data,
)
from kubesim.sandbox.proc import Input, Io, ShellState
from tests.unit.sandbox.containers import container

START = 1_000.0


class Log:
    def __init__(self, machine: Any) -> None:
        self.lines: list[tuple[float, str]] = []
        self.machine = machine

    def write(self, text: str) -> None:
        self.lines.append((self.machine.time, text))


def run_in_steps(script: str, deadlines: list[float]) -> tuple[list[tuple[float, str]], Any, Any]:
    """Advance `script` to each deadline in turn, saving and reloading it between steps; the
    lines it printed (with their times), its outcome, and its container's files."""
    target = container()
    state = ShellState(dialect="ash", arg0="sh", vars={"PATH": "/bin:/usr/bin"}, exported={"PATH"})
    frames: list[Any] = []
    time = START
    printed: list[tuple[float, str]] = []
    outcome: Any = None
    for deadline in deadlines:
        target.clock = ProcessClock(horizon=86400)
        machine = ResumableShell(target, state, script, frames=frames, time=time)
        log = Log(machine)
        log.lines = printed
        outcome = machine.advance(Io({1: log, 2: log}, Input("")), deadline)
        if isinstance(outcome, int):
            break
        saved = json.loads(
            json.dumps({"state": state_to_data(machine.state), "frames": machine.continuation()})
        )
        state, frames, time = state_from_data(saved["state"]), saved["frames"], machine.time
    return printed, outcome, target.files


def test_sleeps_suspend_and_resume_with_loops_and_functions() -> None:
    script = (
        'greet() { echo "hi $1"; sleep 2; echo "bye $1"; }\n'
        "for who in a b; do greet $who; done\n"
        "i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo tick $i > /tmp/t; sleep 1; done\n"
        "if true; then sleep 5; echo done; fi\n"
        "exit 4\n"
    )
    straight, code, files = run_in_steps(script, [START + 100])
    stepped, code_stepped, files_stepped = run_in_steps(
        script, [START + t + 0.5 for t in range(20)]
    )
    assert code == code_stepped == 4
    assert stepped == straight
    assert [text for _, text in straight] == [
        "hi a\n",
        "bye a\n",
        "hi b\n",
        "bye b\n",
        "done\n",
    ]
    assert [t - START for t, _ in straight] == [0, 2, 2, 4, 12]
    assert files == files_stepped and files["/tmp/t"] == "tick 3\n"


def test_a_suspended_script_keeps_its_variables_and_positional_parameters() -> None:
    script = 'set -- one two; x=kept; sleep 10; echo "$x $1 $#"'
    printed, code, _ = run_in_steps(script, [START + 5, START + 9, START + 11])
    assert code == 0 and printed == [(START + 10, "kept one 2\n")]


def test_a_busy_loop_uses_its_cpu_and_goes_on_the_next_second() -> None:
    target = container()
    target.clock = ProcessClock(horizon=86400)
    state = ShellState(dialect="ash", arg0="sh")
    machine = ResumableShell(target, state, "while true; do :; done", time=START)
    outcome = machine.advance(Io({}, Input("")), START, budget=1000)
    assert outcome == START + 1  # out of CPU for this second: it wakes at the next
    assert machine.continuation()  # and can be resumed where it stopped
