"""A container's main process, as the runtime runs it: in simulated time, across commands.

A shell script (`sh -c SCRIPT`, `sh FILE`) runs until it sleeps past the present; what it has
left to do is kept with the process (kubesim.sandbox.machine) and resumed when its time comes,
against the cluster as it is then. So the files it writes, what it prints and when it ends
all happen at their moment: an `exec` or a probe in between sees the container as it is.
Another program (the image's entrypoint, `sleep 3600`) runs whole, its sleeps counted on its
clock; a server program stays up, serving its ports, until it is stopped.

The record kept per container (section "processes", "<pod uid>/<container>"):
  containerID, started, wake (when it next runs; None when only a signal or the end of its
  container wakes it), end and exitCode (once it ended, with reason/message), listening (the
  ports a server serves), program (its name), script (a suspended shell: source, shell state,
  frames and its clock), cpu (simulated seconds of CPU used).
"""

from __future__ import annotations

from typing import Any

from kubesim.controllers.changes import Change, SetRuntime
from kubesim.controllers.kubelet_containers import PROCESSES_SECTION
from kubesim.sandbox.container import Container, ProcessClock, StillRunning
from kubesim.sandbox.limits import Killed
from kubesim.sandbox.proc import Serving, ShellState
from kubesim.sandbox.view import (
    FILES_SECTION,
    ClusterView,
    build_container,
    mounts,
    relative_changes,
)

Object = dict[str, Any]
LOGS_SECTION = "logs"  # "<pod uid>/<container>" -> {"current": [[t, stream, text]...], "previous"}
HORIZON = 86400.0  # how far ahead a program that runs whole is run; one still going runs on
MAX_LOG_ENTRIES = 5000


class _TimedSink:
    """Keeps each write with the simulated moment it happened."""

    def __init__(self, records: list[list[Any]], now: Any, stream: str) -> None:
        self.records, self.now, self.stream = records, now, stream

    def write(self, text: str) -> None:
        if text and len(self.records) < MAX_LOG_ENTRIES:
            self.records.append([self.now(), self.stream, text])


def runner_for(view: ClusterView) -> Any:
    """The kubelet's `run_main` (start a container's main process) over this state of the
    cluster."""

    def run_main(pod: Object, spec: Object, now: float) -> list[Change]:
        return start(view, pod, spec, now)

    return run_main


def resumer_for(view: ClusterView) -> Any:
    """The kubelet's `resume_main` (a main process's time has come) over this state."""

    def resume_main(pod: Object, spec: Object, record: Object, now: float) -> list[Change]:
        return resume(view, pod, spec, record, now)

    return resume_main


def start(view: ClusterView, pod: Object, spec: Object, now: float) -> list[Change]:
    """Start the container's main process at `now` and run it until it waits past now."""
    from kubesim.api.podutil import container_status
    from kubesim.sandbox import images, shell

    status = container_status(pod, spec["name"]) or {}
    record: Object = {
        "containerID": status.get("containerID"),
        "started": now,
        "end": None,
        "exitCode": None,
        "wake": None,
    }
    from kubesim.api.expansion import expand
    from kubesim.sandbox.environment import kubelet_env

    variables = kubelet_env(view, pod, spec)
    command = [expand(str(a), variables) for a in spec.get("command") or []]
    args = [expand(str(a), variables) for a in spec.get("args") or []]
    # the image's ENTRYPOINT runs the spec's args when the spec gives no command
    argv = images.container_argv(spec["image"], command, args)
    record["argv"] = argv
    from kubesim.sandbox import daemons

    if daemons.daemon_for(spec["image"]) is not None:
        # kind's components: a server that runs until its container is stopped (exiting 0 on
        # SIGTERM), with its first lines
        key = f"{pod['metadata']['uid']}/{spec['name']}"
        record["stopCode"] = 0
        earlier = view.runtime(LOGS_SECTION).get(key)
        logs = daemons.start_logs(view, pod, spec, now)
        return [
            SetRuntime(PROCESSES_SECTION, key, record),
            SetRuntime(
                LOGS_SECTION,
                key,
                {"current": logs, "previous": earlier.get("current", []) if earlier else None},
            ),
        ]
    run = _Run(view, pod, spec, record, now, fresh_log=True)
    run.container.serving = {}  # a new container: nothing listens in it before its process does
    if not argv:
        # an image kubesim does not know, with its own entrypoint: taken to run until stopped
        record["unknownImage"] = True
        return run.changes()
    if not shell.can_exec(run.container, argv[0]):
        reason = shell.exec_failed(argv[0]).strip()
        reason = reason.removeprefix("OCI runtime exec failed: exec failed: ")
        record.update(
            end=now,
            exitCode=128,
            reason="StartError",
            message="failed to create containerd task: failed to create shim task: OCI runtime "
            f"create failed: runc create failed: {reason}",
        )
        return run.changes()
    script = _script_of(run.container, argv)
    if script is not None:
        source, state = script
        run.resume_script(source, state, [], now)
    else:
        run.run_whole(argv)
    return run.changes()


def _stop_code(record: Object, image: str) -> int | None:
    """What the main process does with its stop signal (the catalogue's rules, see
    images.stop_behaviour): the code it exits with, None when it ignores it."""
    from kubesim.sandbox.images import stop_behaviour

    if record.get("script") is not None:
        return None  # a shell script as PID 1 ignores SIGTERM
    if record.get("unknownImage"):
        return stop_behaviour(image, None).exit_code
    program = record.get("program") or str((record.get("argv") or [""])[0]).rsplit("/", 1)[-1]
    return stop_behaviour(image, str(program)).exit_code


def resume(
    view: ClusterView, pod: Object, spec: Object, record: Object, now: float
) -> list[Change]:
    """Go on with a main process whose wake time has come (a suspended script)."""
    script = record.get("script")
    if script is None or record.get("end") is not None:
        return []
    run = _Run(view, pod, spec, dict(record), now, fresh_log=False)
    from kubesim.sandbox.machine import state_from_data

    state = state_from_data(script["shell"])
    run.resume_script(script["source"], state, script["frames"], float(script["time"]))
    return run.changes()


class _Run:
    """One stretch of a main process: the container it runs in, what it prints, what it
    writes, and its record afterwards."""

    def __init__(
        self, view: ClusterView, pod: Object, spec: Object, record: Object, now: float,
        *, fresh_log: bool,
    ) -> None:  # fmt: skip
        self.view, self.pod, self.spec, self.record, self.now = view, pod, spec, record, now
        self.key = f"{pod['metadata']['uid']}/{spec['name']}"
        self.container: Container = build_container(view, pod, spec["name"])
        self.before_files = dict(self.container.files)
        self.before_mounts = {p: dict(m) for p, m in self.container.mounts.items()}
        self.logs: list[list[Any]] = []
        self.fresh_log = fresh_log
        self.clock_time = now

    def _sinks(self, now: Any) -> tuple[_TimedSink, _TimedSink]:
        return _TimedSink(self.logs, now, "stdout"), _TimedSink(self.logs, now, "stderr")

    def run_whole(self, argv: list[str]) -> None:
        """A program other than a shell script: run ahead, its sleeps on its own clock."""
        from kubesim.sandbox import shell

        clock = ProcessClock(horizon=HORIZON)
        self.container.clock = clock
        start = self.now
        sinks = self._sinks(lambda: start + clock.elapsed)
        try:
            result = shell.run(self.container, argv, sinks=sinks, main=True)
            self.record.update(end=start + clock.elapsed, exitCode=result.exit_code)
            if result.killed:
                self.record["reason"] = result.killed
        except Serving as serving:
            self._serving(serving, start + clock.elapsed)
        except StillRunning:
            pass  # it runs on past the horizon (or loops without end): it keeps running

    def resume_script(self, source: str, state: ShellState, frames: list[Any], time: float) -> None:
        from kubesim.sandbox.machine import ResumableShell, state_to_data
        from kubesim.sandbox.proc import Input, Io

        clock = ProcessClock(horizon=HORIZON)
        self.container.clock = clock
        machine = ResumableShell(self.container, state, source, frames=frames, time=time)
        sinks = self._sinks(lambda: machine.time + clock.elapsed)
        io = Io({1: sinks[0], 2: sinks[1]}, Input(""))
        try:
            outcome = machine.advance(io, self.now)
        except Serving as serving:
            self._serving(serving, machine.time + clock.elapsed)
            self.record.update(script=None, wake=None)
            return
        except StillRunning:
            # a part that cannot stop midway (a pipeline, a substitution) never ends
            self.record.update(script=None, wake=None)
            return
        except Killed as killed:  # out of memory: the kernel ends the container
            end = machine.time + clock.elapsed
            self.record.update(end=end, exitCode=killed.status, script=None, wake=None)
            self.record["reason"] = killed.reason or None
            return
        if isinstance(outcome, int):
            self.record.update(end=machine.time, exitCode=outcome, script=None, wake=None)
            return
        self.record["wake"] = outcome
        self.record["script"] = {
            "source": source,
            "shell": state_to_data(machine.state),
            "frames": machine.continuation(),
            "time": machine.time,
        }

    def _serving(self, serving: Serving, since: float) -> None:
        """A server is up: it listens from `since`, until it is stopped; its own argv and what
        its handler needs are kept with it (kubesim.sandbox.programs.serving)."""
        self.record.update(
            program=serving.program, listening=list(serving.ports), since=since,
            argv=getattr(serving, "argv", self.record.get("argv")),
        )  # fmt: skip
        state = getattr(serving, "state", None)
        if state:
            self.record["state"] = state

    def changes(self) -> list[Change]:
        if self.record.get("end") is None:
            self.record["stopCode"] = _stop_code(self.record, self.spec["image"])
        changes: list[Change] = [SetRuntime(PROCESSES_SECTION, self.key, self.record)]
        earlier = self.view.runtime(LOGS_SECTION).get(self.key)
        if self.fresh_log:
            # a restart keeps the last instance's log for `logs --previous`
            previous = earlier.get("current", []) if earlier is not None else None
            changes.append(
                SetRuntime(LOGS_SECTION, self.key, {"current": self.logs, "previous": previous})
            )
        elif self.logs:
            current = (earlier or {}).get("current", [])
            room = max(0, MAX_LOG_ENTRIES - len(current))
            logs = {**(earlier or {}), "current": [*current, *self.logs[:room]]}
            changes.append(SetRuntime(LOGS_SECTION, self.key, logs))
        return changes + _file_changes(
            self.view, self.pod, self.spec, self.container, self.before_files, self.before_mounts
        )


def _script_of(container: Container, argv: list[str]) -> tuple[str, ShellState] | None:
    """(source, shell state) when argv runs a shell script (`sh -c`, `sh FILE`), else None."""
    from kubesim.sandbox import fs
    from kubesim.sandbox.images import personality
    from kubesim.sandbox.shell import runtime_env

    image = personality(container.image)
    program = argv[0].rsplit("/", 1)[-1]
    if program not in image.shells:
        return None
    args = argv[1:]
    options: set[str] = set()
    command_mode = False
    while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--", "+"):
        flags = args.pop(0)
        if flags.startswith("--"):
            continue
        if flags[0] == "-" and "i" in flags:
            return None  # an interactive shell: not a script
        command_mode = command_mode or "c" in flags
        options.update(f for f in flags[1:] if f in "eux")
    if args and args[0] == "--":
        args.pop(0)
    env = runtime_env(container, image)
    state = ShellState(
        dialect=image.shells[program], arg0=argv[0], cwd=image.workdir, vars=dict(env),
        exported=set(env), options=options,
    )  # fmt: skip
    if command_mode:
        if not args:
            return None  # `sh -c` without a script: the shell's own error, run whole
        if len(args) > 1:
            state.arg0 = args[1]
        state.positional = args[2:]
        return args[0], state
    if not args:
        return None  # reads commands from stdin, which a main process does not have
    source = fs.read(container, fs.absolute(state.cwd, args[0]))
    if source is None:
        return None  # the shell's own "can't open" error, run whole
    state.arg0, state.positional = args[0], args[1:]
    return source, state


def _file_changes(
    view: ClusterView,
    pod: Object,
    spec: Object,
    container: Any,
    before_files: dict[str, str],
    before_mounts: dict[str, dict[str, str]],
) -> list[Change]:
    """What the process wrote: the container's layer and the volumes it mounts."""
    changes: list[Change] = []
    uid = pod["metadata"]["uid"]
    if container.files != before_files:
        layers = dict(view.runtime(FILES_SECTION).get(uid) or {})
        layers[spec["name"]] = container.files
        changes.append(SetRuntime(FILES_SECTION, uid, layers))
    stores = mounts(view, pod, spec)
    sub_paths = {str(m.get("mountPath", "")).rstrip("/") or "/": str(m.get("subPath") or "")
                 for m in spec.get("volumeMounts") or []}  # fmt: skip
    for point, after in container.mounts.items():
        if after == before_mounts.get(point) or point not in stores:
            continue
        section, store_key, _ = stores[point]
        changed, removed = relative_changes(
            point, sub_paths.get(point, ""), before_mounts[point], after
        )
        data = {**(view.runtime(section).get(store_key) or {}), **changed}
        for path in removed:
            data.pop(path, None)
        changes.append(SetRuntime(section, store_key, data))
    return changes
