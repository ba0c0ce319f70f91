"""A container's main shell, resumable: it runs in simulated time and survives between commands.

`sh -c 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'` must delete the file 30
simulated seconds after it starts, whatever kubesim commands run in between. So the main
process is not run ahead of time: it runs until it sleeps past the present, and what it has
left to do is kept as data (a continuation) until the tick at which it wakes.

The continuation is a stack of frames, one per construct being run (the list of top-level
commands, an `&&` chain, an `if`, a `for` loop with its items, a `while`, a function call,
a `sleep`), each a small dict saying where it stands. The interpreter's methods are
generators that keep their frame up to date; resuming calls them again with the saved frames,
and each goes straight to the child it was in. Everything a frame leads to that cannot stop
midway (a pipeline, a subshell, `$(...)`, a builtin) runs whole, as the plain Shell runs it;
its sleeps still count against the process's clock.

A process gets a budget of commands per simulated second (its CPU): a loop that never sleeps
keeps its container busy for as long as it runs, while the rest of the cluster moves on.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from kubesim.sandbox import messages, redirect
from kubesim.sandbox.container import Container
from kubesim.sandbox.expand import ExpansionError, expand_fields, expand_string
from kubesim.sandbox.interp import Shell
from kubesim.sandbox.limits import SIGSEGV
from kubesim.sandbox.parser import Parser
from kubesim.sandbox.proc import (
    ExitShell,
    Io,
    LoopControl,
    ReturnFromFunction,
    ShellState,
)
from kubesim.sandbox.syntax import (
    AndOr,
    Case,
    Command,
    CommandList,
    For,
    FunctionDef,
    Group,
    If,
    Loop,
    Pipeline,
    ShellSyntaxError,
    Simple,
)

Frame = dict[str, Any]
STEPS_PER_SECOND = 20_000  # commands a process runs in one simulated second of CPU


@dataclass(frozen=True)
class Wait:
    """The process sleeps until simulated time `until`."""

    until: float


@dataclass(frozen=True)
class Busy:
    """The process used its CPU for this second; it goes on at the next one."""


Request = Wait | Busy
Run = Generator[Request, None, int]


class Suspended(Exception):
    """The process stopped at a point it can be resumed from (see `ResumableShell.advance`)."""


class ResumableShell(Shell):
    """The shell of a container's main process: `advance` runs it until it waits past
    `deadline`, then `continuation()` is what to resume it from."""

    def __init__(
        self,
        container: Container,
        state: ShellState,
        source: str,
        *,
        frames: list[Frame] | None = None,
        time: float = 0.0,
    ) -> None:
        super().__init__(container, state)
        self.source = source
        self.time = time  # the process's simulated time
        self.frames: list[Frame] = []
        self._resume = list(frames or [])
        self.steps = 0
        self.suspended: list[Frame] | None = None  # the continuation, once it stopped

    # --- driving ------------------------------------------------------------------------------

    def advance(self, io: Io, deadline: float, budget: int = STEPS_PER_SECOND) -> int | float:
        """Run until the process ends (its exit status, an int) or stops at a point it can be
        resumed from (the simulated time it wakes at, a float: `deadline` + 1 when it ran
        out of CPU). What it wrote and did until then has happened."""
        self.budget = budget
        self._io = io
        run = self._enter(self._g_root, None)
        while True:
            try:
                request = next(run)
            except StopIteration as stop:
                return int(stop.value)
            except ExitShell as exit_:
                return exit_.status
            except RecursionError:
                return 128 + SIGSEGV  # its stack overflowed
            if isinstance(request, Wait) and request.until <= deadline:
                self.time = max(self.time, request.until)
                continue
            self.suspended = _snapshot(self.frames)
            run.close()
            if isinstance(request, Wait):
                return float(request.until)
            return float(deadline + 1)

    def continuation(self) -> list[Frame]:
        assert self.suspended is not None
        return self.suspended

    def _enter(self, method: Any, node: Any) -> Run:
        """Run `method(node, frame)` as a child frame: the saved one when resuming."""
        frame: Frame = self._resume.pop(0) if self._resume else {}
        self.frames.append(frame)
        try:
            status: int = yield from method(node, frame)
            return status
        finally:
            self.frames.pop()

    # --- the script ---------------------------------------------------------------------------

    def _g_root(self, root: None, frame: Frame) -> Run:
        """The script's top-level commands, parsed one at a time as they run (a syntax error
        further on stops the shell only when it gets there)."""
        parser = Parser(self.source, line=1)
        done = frame.setdefault("done", 0)
        for _skipped in range(done):  # the commands that ran before it was suspended
            parser.next_command()
        while True:
            try:
                command = parser.next_command()
            except ShellSyntaxError as error:
                self._io.fds[2].write(messages.syntax_error(self.state, error))
                self.state.status = 2
                raise ExitShell(2) from None
            if command is None:
                return self.state.status
            self.state.status = yield from self._enter(self._g_list, command)
            frame["done"] += 1

    def _g_list(self, node: CommandList, frame: Frame) -> Run:
        frame.setdefault("i", 0)
        status = int(frame.get("status", self.state.status))
        while frame["i"] < len(node.items):
            if self.steps >= self.budget:
                self.steps = 0
                yield Busy()  # resumed here, at the same command, next second
            and_or, background = node.items[frame["i"]]
            if background:
                self._whole(lambda job=and_or: self.run_background(job, self._io))
                status = 0
            else:
                status = yield from self._enter(self._g_and_or, and_or)
            self.state.status = status
            frame["status"] = status
            if "e" in self.state.options and status != 0 and not self._conditions:
                raise ExitShell(status)
            frame["i"] += 1
        return status

    def _g_and_or(self, node: AndOr, frame: Frame) -> Run:
        pipelines = [("", node.first), *node.rest]
        frame.setdefault("i", 0)
        status = int(frame.get("status", 0))
        while frame["i"] < len(pipelines):
            op, pipeline = pipelines[frame["i"]]
            if not ((op == "&&" and status != 0) or (op == "||" and status == 0)):
                last = frame["i"] == len(pipelines) - 1
                self._conditions += 0 if last else 1
                try:
                    status = yield from self._enter(self._g_pipeline, pipeline)
                finally:
                    self._conditions -= 0 if last else 1
                self.state.status = status
                frame["status"] = status
            frame["i"] += 1
        return status

    def _g_pipeline(self, node: Pipeline, frame: Frame) -> Run:
        if len(node.commands) > 1:
            return (yield from self._atomic(frame, lambda: self.run_pipeline(node, self._io)))
        if node.negate:
            self._conditions += 1
        try:
            status = yield from self._enter(self._g_command, node.commands[0])
        finally:
            if node.negate:
                self._conditions -= 1
        return int(status == 0) if node.negate else status

    def _g_command(self, node: Command, frame: Frame) -> Run:
        if "stepped" not in frame:
            self.steps += 1
            frame["stepped"] = True
        if isinstance(node, Simple):
            return (yield from self._g_simple(node, frame))
        if isinstance(node, FunctionDef):
            self.state.functions[node.name] = node.body
            return 0
        if node.redirects or (isinstance(node, Group) and node.subshell):
            # redirections hold open files, a subshell its own state: run them whole
            return (yield from self._atomic(frame, lambda: self.run_command(node, self._io)))
        if isinstance(node, Group):
            return (yield from self._enter(self._g_list, node.body))
        if isinstance(node, If):
            return (yield from self._g_if(node, frame))
        if isinstance(node, For):
            return (yield from self._g_for(node, frame))
        if isinstance(node, Loop):
            return (yield from self._g_loop(node, frame))
        assert isinstance(node, Case)
        return (yield from self._g_case(node, frame))

    def _g_condition(self, node: CommandList) -> Run:
        self._conditions += 1
        try:
            return (yield from self._enter(self._g_list, node))
        finally:
            self._conditions -= 1

    def _g_if(self, node: If, frame: Frame) -> Run:
        frame.setdefault("arm", 0)
        frame.setdefault("phase", "cond")
        while frame["phase"] == "cond" and frame["arm"] < len(node.arms):
            cond, _ = node.arms[frame["arm"]]
            if (yield from self._g_condition(cond)) == 0:
                frame["phase"] = "body"
                break
            frame["arm"] += 1
        if frame["phase"] == "body":
            return (yield from self._enter(self._g_list, node.arms[frame["arm"]][1]))
        frame["phase"] = "else"
        if node.orelse is None:
            return 0
        return (yield from self._enter(self._g_list, node.orelse))

    def _g_for(self, node: For, frame: Frame) -> Run:
        if "items" not in frame:
            if node.items is None:
                frame["items"] = list(self.state.positional)
            else:
                frame["items"] = expand_fields(node.items, self)
            frame["j"] = 0
        status = int(frame.get("status", 0))
        while frame["j"] < len(frame["items"]):
            self.state.vars[node.name] = frame["items"][frame["j"]]
            proceed, status = yield from self._g_iteration(node.body)
            frame["status"] = status
            frame["j"] += 1
            if not proceed:
                break
        return status

    def _g_loop(self, node: Loop, frame: Frame) -> Run:
        frame.setdefault("phase", "cond")
        status = int(frame.get("status", 0))
        while True:
            if frame["phase"] == "cond":
                met = (yield from self._g_condition(node.cond)) == 0
                if met == node.until:
                    return status
                frame["phase"] = "body"
            proceed, status = yield from self._g_iteration(node.body)
            frame["status"] = status
            frame["phase"] = "cond"
            if not proceed:
                return status

    def _g_iteration(self, body: CommandList) -> Generator[Request, None, tuple[bool, int]]:
        """One pass of a loop's body; (keep looping?, status)."""
        self.state.loop_depth += 1
        try:
            return True, (yield from self._enter(self._g_list, body))
        except LoopControl as control:
            if control.levels > 1:
                raise LoopControl(control.kind, control.levels - 1) from None
            return control.kind == "continue", 0
        finally:
            self.state.loop_depth -= 1

    def _g_case(self, node: Case, frame: Frame) -> Run:
        if "arm" not in frame:
            import fnmatch

            subject = expand_string(node.word, self)
            frame["arm"] = next(
                (
                    i
                    for i, (patterns, _) in enumerate(node.arms)
                    if any(fnmatch.fnmatchcase(subject, expand_string(p, self)) for p in patterns)
                ),
                -1,
            )
        if frame["arm"] < 0:
            return 0
        body = node.arms[frame["arm"]][1]
        return (yield from self._enter(self._g_list, body)) if body else 0

    # --- simple commands ------------------------------------------------------------------

    def _g_simple(self, node: Simple, frame: Frame) -> Run:
        if "until" in frame:  # resumed in the middle of a sleep
            yield Wait(float(frame["until"]))
            return 0
        if "call" in frame:  # resumed inside a function
            return (yield from self._g_call(frame))
        if "ran" in frame:  # resumed after a command that ran whole and slept
            yield Wait(float(frame["wake"]))
            return int(frame["status"])
        if "argv" not in frame:
            self.state.line = node.line
            self._subst_status = None
            try:
                with self._clock() as elapsed:
                    frame["argv"] = expand_fields(node.words, self)
                    frame["assigns"] = [
                        [name, expand_string(word, self)] for name, word in node.assigns
                    ]
            except ExpansionError as error:
                self._io.fds[2].write(messages.diagnostic(self.state, str(error)))
                raise ExitShell(2) from None
            self.time += elapsed[0]
            frame["expanded"] = self.time
        yield Wait(float(frame["expanded"]))  # the substitutions' sleeps
        argv: list[str] = frame["argv"]
        assigns = [(name, value) for name, value in frame["assigns"]]
        if argv and not node.redirects and not assigns:
            seconds = self._sleep_seconds(argv)
            if seconds is not None:
                frame["until"] = self.time + seconds
                yield Wait(frame["until"])
                return 0
            if argv[0] in self.state.functions:
                frame.update(call=argv[0], saved=list(self.state.positional))
                return (yield from self._g_call(frame))
        return (yield from self._atomic(frame, lambda: self._run_expanded(node, argv, assigns)))

    def _run_expanded(self, node: Simple, argv: list[str], assigns: list[tuple[str, str]]) -> int:
        """The rest of run_simple once the words are expanded: redirections, then the command."""
        redirected = redirect.apply(self, node.redirects, self._io)
        if redirected is None:
            return 1 if self.state.dialect == "bash" else 2
        if not argv:
            for name, value in assigns:
                self.state.vars[name] = value
            return self._subst_status or 0
        return self.execute(argv, redirected, dict(assigns))

    def _g_call(self, frame: Frame) -> Run:
        """A function call, resumable inside its body."""
        body = self.state.functions[frame["call"]]
        self.state.positional = list(frame["argv"][1:])
        self.state.function_depth += 1
        try:
            return (yield from self._enter(self._g_command, body))
        except ReturnFromFunction as returned:
            return returned.status
        finally:
            self.state.positional = list(frame["saved"])
            self.state.function_depth -= 1

    def _sleep_seconds(self, argv: list[str]) -> float | None:
        """The seconds `sleep ARGS` waits, when argv runs the image's sleep with valid
        arguments (anything else runs as a command, with sleep's own errors)."""
        if argv[0] not in ("sleep", "/bin/sleep", "/usr/bin/sleep") or len(argv) < 2:
            return None
        if self.find(argv[0], self.state.environment()) is None:
            return None
        total = 0.0
        for arg in argv[1:]:
            if arg in ("inf", "infinity"):
                return float("inf")
            if not re.fullmatch(r"\d+(\.\d*)?[smhd]?|\.\d+[smhd]?", arg):
                return None
            total += float(arg.rstrip("smhd")) * {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(
                arg[-1], 1
            )
        return total

    # --- running whole ----------------------------------------------------------------------

    def _atomic(self, frame: Frame, run: Any) -> Run:
        """Run something that cannot stop midway, once; its sleeps move the process's clock,
        and the process waits until the clock has caught up with them."""
        if "ran" not in frame:
            with self._clock() as elapsed:
                status = int(run())
            self.time += elapsed[0]
            frame.update(ran=True, status=status, wake=self.time)
        yield Wait(float(frame["wake"]))
        return int(frame["status"])

    def _whole(self, run: Any) -> None:
        with self._clock():
            run()

    def _clock(self) -> _Elapsed:
        return _Elapsed(self)


class _Elapsed:
    """Counts the simulated seconds a whole run slept (the container's ProcessClock)."""

    def __init__(self, shell: ResumableShell) -> None:
        self.shell = shell
        self.value = [0.0]

    def __enter__(self) -> list[float]:
        clock = self.shell.container.clock
        self.start = clock.elapsed if clock is not None else 0.0
        return self.value

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        clock = self.shell.container.clock
        if clock is not None:
            self.value[0] = clock.elapsed - self.start
            clock.elapsed = self.start  # the process's own time takes it from here
            self.shell.steps += clock.steps
            clock.steps = 0


def state_to_data(state: ShellState) -> dict[str, Any]:
    """A suspended shell's state as JSON-able data. The depths of loops and function calls are
    left out: resuming enters the frames again, which counts them again."""
    from kubesim.sandbox.syntax import to_data

    return {
        "dialect": state.dialect,
        "arg0": state.arg0,
        "cwd": state.cwd,
        "vars": dict(state.vars),
        "exported": sorted(state.exported),
        "positional": list(state.positional),
        "functions": {name: to_data(body) for name, body in state.functions.items()},
        "status": state.status,
        "line": state.line,
        "options": sorted(state.options),
    }


def state_from_data(data: dict[str, Any]) -> ShellState:
    from kubesim.sandbox.syntax import from_data

    return ShellState(
        dialect=data["dialect"],
        arg0=data["arg0"],
        cwd=data["cwd"],
        vars=dict(data["vars"]),
        exported=set(data["exported"]),
        positional=list(data["positional"]),
        functions={name: from_data(body) for name, body in data["functions"].items()},
        status=int(data["status"]),
        line=int(data["line"]),
        options=set(data["options"]),
    )


def _snapshot(frames: list[Frame]) -> list[Frame]:
    import copy

    return copy.deepcopy(frames)
