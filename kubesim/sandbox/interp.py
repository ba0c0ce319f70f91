"""The shell interpreter: runs parsed commands against a container, as ash, dash or bash would.

One `Shell` is one shell process. Subshells (pipelines, `( )`, `$( )`) are copies whose
changes are dropped. Commands are looked up as POSIX says: functions, special builtins,
regular builtins, then $PATH, where the image's executables live.
"""

from __future__ import annotations

import fnmatch

from kubesim.sandbox import fs, messages, redirect, session
from kubesim.sandbox.builtins import COMMANDS, SHELL_UTILITIES, SPECIAL
from kubesim.sandbox.container import Container
from kubesim.sandbox.expand import ExpansionError, expand_fields, expand_string
from kubesim.sandbox.images import DEFAULT_PATH, personality
from kubesim.sandbox.parser import Parser
from kubesim.sandbox.proc import (
    SHELL_PID,
    Buffer,
    ExitShell,
    Input,
    Io,
    LoopControl,
    Null,
    Proc,
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


class Shell:
    def __init__(self, container: Container, state: ShellState) -> None:
        self.container = container
        self.image = personality(container.image)
        self.state = state
        self._io = Io({1: Null(), 2: Null()}, Input())
        self._conditions = 0  # inside if/while conditions and && || left sides: no errexit
        self._subst_status: int | None = None

    # --- running source ---------------------------------------------------------------------

    def run_source(self, source: str, io: Io, line: int = 1) -> int:
        """Parse and run `source` one complete command at a time (a syntax error stops it)."""
        parser = Parser(source, line=line)
        while True:
            try:
                command = parser.next_command()
            except ShellSyntaxError as error:
                io.fds[2].write(messages.syntax_error(self.state, error))
                self.state.status = 2
                if not self.state.interactive:
                    raise ExitShell(2) from None
                return 2
            if command is None:
                return self.state.status
            self.state.status = self.run_list(command, io)

    def subshell(self) -> Shell:
        return Shell(self.container, self.state.copy())

    def run_isolated(self, command: Command | CommandList | str, io: Io) -> int:
        """Run in a subshell: `exit` ends only the subshell, state changes are dropped."""
        child = self.subshell()
        try:
            if isinstance(command, str):
                return child.run_source(command, io, line=self.state.line)
            if isinstance(command, CommandList):
                return child.run_list(command, io)
            return child.run_command(command, io)
        except ExitShell as exit_:
            return exit_.status

    # --- lists and pipelines ----------------------------------------------------------------

    def run_list(self, commands: CommandList, io: Io) -> int:
        status = 0
        for and_or, background in commands.items:
            status = self.run_and_or(and_or, io)
            self.state.status = status
            if background:
                status = 0  # time is simulated: the job ran to completion already
            elif "e" in self.state.options and status != 0 and not self._conditions:
                raise ExitShell(status)
        return status

    def run_and_or(self, node: AndOr, io: Io) -> int:
        pipelines = [("", node.first), *node.rest]
        status = 0
        for index, (op, pipeline) in enumerate(pipelines):
            if (op == "&&" and status != 0) or (op == "||" and status == 0):
                continue
            last = index == len(pipelines) - 1
            self._conditions += 0 if last else 1
            try:
                status = self.run_pipeline(pipeline, io)
            finally:
                self._conditions -= 0 if last else 1
            self.state.status = status
        return status

    def run_pipeline(self, pipeline: Pipeline, io: Io) -> int:
        if pipeline.negate:
            self._conditions += 1
        try:
            if len(pipeline.commands) == 1:
                status = self.run_command(pipeline.commands[0], io)
            else:
                stdin = io.stdin
                for index, command in enumerate(pipeline.commands):
                    pipe = Buffer() if index < len(pipeline.commands) - 1 else None
                    fds = dict(io.fds)
                    if pipe is not None:
                        fds[1] = pipe
                    status = self.run_isolated(command, Io(fds, stdin))
                    stdin = Input(pipe.text() if pipe else "")
        finally:
            if pipeline.negate:
                self._conditions -= 1
        return int(status == 0) if pipeline.negate else status

    # --- commands ---------------------------------------------------------------------------

    def run_command(self, command: Command, io: Io) -> int:
        if self.container.clock is not None:
            self.container.clock.step()
        if isinstance(command, Simple):
            return self.run_simple(command, io)
        if isinstance(command, FunctionDef):
            self.state.functions[command.name] = command.body
            return 0
        redirected = redirect.apply(self, command.redirects, io)
        if redirected is None:
            return 1 if self.state.dialect == "bash" else 2
        if isinstance(command, Group):
            if command.subshell:
                return self.run_isolated(command.body, redirected)
            return self.run_list(command.body, redirected)
        if isinstance(command, If):
            for cond, body in command.arms:
                if self._condition(cond, redirected) == 0:
                    return self.run_list(body, redirected)
            return self.run_list(command.orelse, redirected) if command.orelse else 0
        if isinstance(command, For):
            return self._for(command, redirected)
        if isinstance(command, Loop):
            return self._loop(command, redirected)
        return self._case(command, redirected)

    def _condition(self, cond: CommandList, io: Io) -> int:
        self._conditions += 1
        try:
            return self.run_list(cond, io)
        finally:
            self._conditions -= 1

    def _for(self, command: For, io: Io) -> int:
        self._io = io
        if command.items is None:
            items = list(self.state.positional)
        else:
            items = expand_fields(command.items, self)
        status = 0
        for item in items:
            self.state.vars[command.name] = item
            proceed, status = self._loop_body(command.body, io, status)
            if not proceed:
                break
        return status

    def _loop(self, command: Loop, io: Io) -> int:
        status = 0
        while (self._condition(command.cond, io) == 0) != command.until:
            proceed, status = self._loop_body(command.body, io, status)
            if not proceed:
                break
        return status

    def _loop_body(self, body: CommandList, io: Io, status: int) -> tuple[bool, int]:
        """Run one iteration; (keep looping?, status)."""
        self.state.loop_depth += 1
        try:
            return True, self.run_list(body, io)
        except LoopControl as control:
            if control.levels > 1:
                raise LoopControl(control.kind, control.levels - 1) from None
            return control.kind == "continue", 0 if control.kind == "break" else status
        finally:
            self.state.loop_depth -= 1

    def _case(self, command: Case, io: Io) -> int:
        self._io = io
        subject = expand_string(command.word, self)
        for patterns, body in command.arms:
            if any(fnmatch.fnmatchcase(subject, expand_string(p, self)) for p in patterns):
                return self.run_list(body, io) if body else 0
        return 0

    def run_simple(self, command: Simple, io: Io) -> int:
        self.state.line = command.line
        self._io = io
        self._subst_status = None
        try:
            argv = expand_fields(command.words, self)
            assigns = [(name, expand_string(word, self)) for name, word in command.assigns]
        except ExpansionError as error:
            io.fds[2].write(messages.diagnostic(self.state, str(error)))
            if not self.state.interactive:
                raise ExitShell(2) from None
            return 2
        redirected = redirect.apply(self, command.redirects, io)
        if redirected is None:
            return 1 if self.state.dialect == "bash" else 2
        if not argv:
            for name, value in assigns:
                self.state.vars[name] = value
            return self._subst_status or 0
        return self.execute(argv, redirected, dict(assigns))

    # --- command lookup ---------------------------------------------------------------------

    def execute(self, argv: list[str], io: Io, assigns: dict[str, str]) -> int:
        name = argv[0]
        body = self.state.functions.get(name)
        if body is not None:
            saved = self.state.positional
            self.state.positional = argv[1:]
            self.state.function_depth += 1
            try:
                return self.run_command(body, io)
            except ReturnFromFunction as returned:
                return returned.status
            finally:
                self.state.positional = saved
                self.state.function_depth -= 1
        env = {**self.state.environment(), **assigns}
        builtin = SPECIAL.get(name) if (name, self.state.dialect) != ("source", "dash") else None
        if builtin is None and name in SHELL_UTILITIES:
            builtin = COMMANDS.get(name)
        if builtin is not None:
            proc = self._proc(argv, io, env, self.state)
            proc.run_source = lambda source: self.run_source(
                source, Io(proc.fds, proc.stdin), self.state.line
            )
            return builtin(proc)
        return self.external(argv, io, env)

    def find(self, name: str, env: dict[str, str]) -> str | None:
        """The executable `name` runs (its base name), or None if there is none."""
        if "/" in name:
            path = fs.absolute(self.state.cwd, name)
            return path.rsplit("/", 1)[-1] if fs.is_executable(self.container, path) else None
        for directory in (env.get("PATH") or DEFAULT_PATH).split(":"):
            if fs.is_executable(self.container, f"{directory.rstrip('/')}/{name}"):
                return name
        return None

    def external(self, argv: list[str], io: Io, env: dict[str, str]) -> int:
        """Run a program from the image in a child process."""
        name = argv[0]
        program = self.find(name, env)
        if program is None:
            path = fs.absolute(self.state.cwd, name)
            if "/" in name and fs.is_file(self.container, path):
                io.fds[2].write(messages.not_executable(self.state, name))
                return 126
            io.fds[2].write(messages.not_found(self.state, name))
            return 127
        if program in self.image.shells:
            state = ShellState(
                dialect=self.image.shells[program], arg0=name, cwd=self.state.cwd,
                vars=dict(env), exported=set(env),
            )  # fmt: skip
            return session.main(Shell(self.container, state), argv, io)
        proc = self._proc(argv, io, env, self.state.copy())
        try:
            return COMMANDS[program](proc)
        except ExitShell as exit_:
            return exit_.status

    def spawn(self, proc: Proc, argv: list[str]) -> int | None:
        """Run program `argv` for `proc` (with its fds and env); None if there is none."""
        if self.find(argv[0], proc.env) is None:
            return None
        return self.external(argv, Io(proc.fds, proc.stdin), proc.env)

    def _proc(self, argv: list[str], io: Io, env: dict[str, str], state: ShellState) -> Proc:
        return Proc(
            argv=argv, container=self.container, image=self.image, state=state, env=env,
            stdin=io.stdin, fds=io.fds,
            spawn=self.spawn,
        )  # fmt: skip

    # --- expansion context ------------------------------------------------------------------

    def lookup(self, name: str) -> str | None:
        if name == "?":
            return str(self.state.status)
        if name == "$":
            return str(SHELL_PID)
        if name == "#":
            return str(len(self.state.positional))
        if name == "0":
            return self.state.arg0
        if name == "-":
            return "".join(sorted(self.state.options)) + ("i" if self.state.interactive else "")
        if name.isdigit():
            index = int(name) - 1
            return self.state.positional[index] if index < len(self.state.positional) else None
        return self.state.vars.get(name)

    def assign(self, name: str, value: str) -> None:
        self.state.vars[name] = value

    def positional(self) -> list[str]:
        return list(self.state.positional)

    def substitute(self, source: str) -> str:
        out = Buffer()
        io = self._io
        status = self.run_isolated(source, Io({**io.fds, 1: out}, io.stdin))
        self._io = io
        self._subst_status = status
        self.state.status = status
        return out.text()

    def glob(self, pattern: str) -> list[str]:
        return fs.glob(self.container, self.state.cwd, pattern)
