"""The shell interpreter: runs parsed commands against a container, as ash, dash or bash would.

One `Shell` is one shell process. Subshells (pipelines, `( )`, `$( )`) are copies whose
changes are dropped. Commands are looked up as POSIX says: functions, special builtins,
regular builtins, then $PATH, where the image's executables live.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from kubesim.sandbox import fs, messages, redirect, session
from kubesim.sandbox.builtins import COMMANDS, SHELL_UTILITIES, SPECIAL
from kubesim.sandbox.container import Container
from kubesim.sandbox.expand import ExpansionError, expand_fields, expand_string
from kubesim.sandbox.images import DEFAULT_PATH, personality
from kubesim.sandbox.limits import (
    EAGAIN,
    ENOSPC,
    SIGNAL_NAMES,
    SIGPIPE,
    SIGSEGV,
    BrokenPipe,
    CantFork,
    Job,
    Killed,
    LeftRunning,
    NoSpace,
    Variables,
)
from kubesim.sandbox.parser import Parser
from kubesim.sandbox.proc import (
    SHELL_PID,
    Buffer,
    ExitShell,
    Input,
    Io,
    LoopControl,
    Null,
    Pipe,
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
    def __init__(self, container: Container, state: ShellState, job: Job | None = None) -> None:
        self.container = container
        self.image = personality(container.image)
        if not isinstance(state.vars, Variables):
            state.vars = Variables(state.vars, container.limits)
        self.state = state
        self.job = job
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

    def subshell(self, job: Job | None = None) -> Shell:
        return Shell(self.container, self.state.copy(), job or self.job)

    def run_isolated(
        self, command: Command | CommandList | str, io: Io, job: Job | None = None
    ) -> int:
        """Run in a subshell, a child process: `exit` ends only the subshell, state changes
        are dropped. It dies on its own of a stack overflow (SIGSEGV)."""
        self._fork()
        child = self.subshell(job)
        try:
            if isinstance(command, str):
                return child.run_source(command, io, line=self.state.line)
            if isinstance(command, CommandList):
                return child.run_list(command, io)
            return child.run_command(command, io)
        except ExitShell as exit_:
            return exit_.status
        except RecursionError:
            return self._died(SIGSEGV, io)
        finally:
            child.state.vars.release()  # type: ignore[attr-defined]
            self.container.limits.exited()

    def _fork(self) -> None:
        """Make a child process, or fail as the shell does when fork(2) gets EAGAIN."""
        try:
            self.container.limits.fork()
        except CantFork:
            if self.state.dialect == "bash":
                message = f"bash: fork: {EAGAIN}\n"
            else:
                message = messages.diagnostic(self.state, f"can't fork: {EAGAIN}")
            self._io.fds[2].write(message)
            raise ExitShell(2 if self.state.dialect != "bash" else 254) from None

    def _died(self, signal: int, io: Io) -> int:
        """A child process killed by `signal`: ash reports it as it reaps the child."""
        if self.state.arg0 and self.state.dialect != "bash" and signal in SIGNAL_NAMES:
            io.fds[2].write(SIGNAL_NAMES[signal] + "\n")
        return 128 + signal

    # --- lists and pipelines ----------------------------------------------------------------

    def run_list(self, commands: CommandList, io: Io) -> int:
        status = 0
        for and_or, background in commands.items:
            if background:
                self.run_background(and_or, io)
                status = 0
            else:
                status = self.run_and_or(and_or, io)
            self.state.status = status
            if "e" in self.state.options and status != 0 and not self._conditions:
                raise ExitShell(status)
        return status

    def run_background(self, job: AndOr, io: Io) -> None:
        """`JOB &`: a child process the shell does not wait for. It runs here, now, for as
        many steps as a background job gets; one still going after them runs on unseen."""
        self._fork()
        child = self.subshell(Job(self.job, background=True))
        try:
            child.run_and_or(job, io)
        except (ExitShell, LeftRunning, BrokenPipe, RecursionError):
            pass
        finally:
            assert child.job is not None
            child.job.done()
            child.state.vars.release()  # type: ignore[attr-defined]
            self.container.limits.exited()

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
                status = self._run_stages(pipeline.commands, io)
        finally:
            if pipeline.negate:
                self._conditions -= 1
        return int(status == 0) if pipeline.negate else status

    def _run_stages(self, commands: Sequence[Command], io: Io) -> int:
        """The processes of a pipeline, each in its own thread, at once, joined by pipes (a
        writer waits for its reader, so `seq 1 100000000 | tail -n 1` holds one pipe's worth).
        The last runs in this thread; the pipeline's status is its."""
        import threading

        job = Job(self.job)
        pipes = [Pipe() for _ in commands[1:]]
        statuses = [0] * len(commands)
        errors: list[BaseException | None] = [None] * len(commands)
        self._io = io

        def stage(index: int) -> None:
            fds = dict(io.fds)
            if index < len(pipes):
                fds[1] = pipes[index]
            stdin = Input(source=pipes[index - 1].read) if index else io.stdin
            try:
                statuses[index] = self.run_isolated(commands[index], Io(fds, stdin), job)
            except BrokenPipe:
                statuses[index] = 128 + SIGPIPE
            except ExitShell as exit_:  # the fork failed
                statuses[index] = exit_.status
            except BaseException as error:  # killed, interrupted: the others end with it
                errors[index] = error
                job.stop(error.signal if isinstance(error, Killed) else SIGPIPE)
                for pipe in pipes:
                    pipe.close_reader()
                    pipe.close_writer()
            finally:
                if index < len(pipes):
                    pipes[index].close_writer()
                if index:
                    pipes[index - 1].close_reader()

        threads = [threading.Thread(target=stage, args=(i,), daemon=True)
                   for i in range(len(commands) - 1)]  # fmt: skip
        try:
            for thread in threads:
                thread.start()
            stage(len(commands) - 1)
            for thread in threads:
                thread.join()
        except BaseException:  # Ctrl-C while waiting: the whole pipeline is interrupted
            job.stop(2)
            for pipe in pipes:
                pipe.close_reader()
                pipe.close_writer()
            for thread in threads:
                thread.join(timeout=1.0)
            raise
        finally:
            job.done()
        raised = [e for e in errors if e is not None]
        if raised:
            # a kill of the whole container first, then what the last process met
            oom = [e for e in raised if isinstance(e, Killed) and e.reason]
            raise (oom or raised[::-1])[0]
        return statuses[-1]

    # --- commands ---------------------------------------------------------------------------

    def run_command(self, command: Command, io: Io) -> int:
        if self.container.clock is not None:
            self.container.clock.step()
        if self.job is not None:
            self.job.step()
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
        self.container.limits.need(sum(map(len, argv)) + sum(len(v) for _, v in assigns))
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
            try:
                return builtin(proc)
            except NoSpace:
                # bash names the builtin; busybox's applets say `sh: write error: ...`
                named = name if self.state.dialect == "bash" else None
                io.fds[2].write(messages.diagnostic(self.state, f"write error: {ENOSPC}", named))
                return 1
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
        self._fork()
        try:
            if program in self.image.shells:
                state = ShellState(
                    dialect=self.image.shells[program], arg0=name, cwd=self.state.cwd,
                    vars=dict(env), exported=set(env),
                )  # fmt: skip
                shell = Shell(self.container, state, self.job)
                try:
                    return session.main(shell, argv, io)
                finally:
                    shell.state.vars.release()  # type: ignore[attr-defined]
            proc = self._proc(argv, io, env, self.state.copy())
            try:
                return COMMANDS[program](proc)
            except ExitShell as exit_:
                return exit_.status
            except NoSpace:
                io.fds[2].write(f"{program}: write error: {ENOSPC}\n")
                return 1
            finally:
                proc.state.vars.release()  # type: ignore[attr-defined]
        except RecursionError:
            return self._died(SIGSEGV, io)
        finally:
            self.container.limits.exited()

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
        out = Buffer(self.container.limits)  # the shell reads it all in: it holds it
        io = self._io
        try:
            status = self.run_isolated(source, Io({**io.fds, 1: out}, io.stdin))
            self._io = io
            self._subst_status = status
            self.state.status = status
            return out.text()
        finally:
            out.release()

    def glob(self, pattern: str) -> list[str]:
        return fs.glob(self.container, self.state.cwd, pattern)
