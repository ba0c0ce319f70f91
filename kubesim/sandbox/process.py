"""A container's main process, as the runtime runs it: its command (or the image's), run ahead
of time in the simulated container against its own clock.

`sleep` spends the process's simulated seconds, so `sleep 3600` ends an hour after the start;
a process still going a day ahead (or looping without end) is taken to run on. What it writes
is kept with the moment it was written, and `kubesim logs` shows what has been written by now.
Files it writes stay in the container (and on its volumes), as after any exec.
"""

from __future__ import annotations

from typing import Any

from kubesim.controllers.changes import Change, SetRuntime
from kubesim.controllers.kubelet_containers import PROCESSES_SECTION
from kubesim.sandbox.container import ProcessClock, StillRunning
from kubesim.sandbox.view import (
    FILES_SECTION,
    ClusterView,
    build_container,
    mounts,
    relative_changes,
)

Object = dict[str, Any]
LOGS_SECTION = "logs"  # "<pod uid>/<container>" -> {"current": [[t, stream, text]...], "previous"}
HORIZON = 86400.0  # how far ahead a process is run; one still going then runs on
MAX_LOG_ENTRIES = 5000


class _TimedSink:
    """Keeps each write with the simulated moment it happened."""

    def __init__(
        self, records: list[list[Any]], clock: ProcessClock, start: float, stream: str
    ) -> None:
        self.records, self.clock, self.start, self.stream = records, clock, start, stream

    def write(self, text: str) -> None:
        if text and len(self.records) < MAX_LOG_ENTRIES:
            self.records.append([self.start + self.clock.elapsed, self.stream, text])


def runner_for(view: ClusterView) -> Any:
    """The kubelet's `run_main` over this state of the cluster."""

    def run_main(pod: Object, spec: Object, now: float) -> list[Change]:
        return run(view, pod, spec, now)

    return run_main


def run(view: ClusterView, pod: Object, spec: Object, now: float) -> list[Change]:
    """Run the container's main process; the runtime records of how it goes."""
    from kubesim.sandbox import images, shell

    name = spec["name"]
    key = f"{pod['metadata']['uid']}/{name}"
    status = next(s for s in pod["status"]["containerStatuses"] if s["name"] == name)
    record: Object = {"containerID": status.get("containerID"), "end": None, "exitCode": None}
    logs: list[list[Any]] = []
    command = [*(spec.get("command") or []), *(spec.get("args") or [])]
    argv = command or images.default_command(spec["image"])
    server = images.personality(spec["image"]).nginx is not None
    if server and argv[0].rsplit("/", 1)[-1] == "nginx":
        # the web server runs until its container is stopped, and writes nothing kubesim keeps
        return [SetRuntime(PROCESSES_SECTION, key, record)]
    container = build_container(view, pod, name)
    if command:  # the kubelet expands $(VAR) in the pod's command and args, not the image's
        from kubesim.sandbox.environment import expand_command

        argv = expand_command(argv, container.env)
    before_files = dict(container.files)
    before_mounts = {p: dict(m) for p, m in container.mounts.items()}
    if not shell.can_exec(container, argv[0]):
        reason = (
            shell.exec_failed(argv[0])
            .strip()
            .removeprefix("OCI runtime exec failed: exec failed: ")
        )
        record.update(
            end=now,
            exitCode=128,
            reason="StartError",
            message="failed to create containerd task: failed to create shim task: OCI runtime "
            f"create failed: runc create failed: {reason}",
        )
    else:
        clock = ProcessClock(horizon=HORIZON)
        container.clock = clock
        sinks = (_TimedSink(logs, clock, now, "stdout"), _TimedSink(logs, clock, now, "stderr"))
        try:
            result = shell.run(container, argv, sinks=sinks)
            record.update(end=now + clock.elapsed, exitCode=result.exit_code)
        except StillRunning:
            pass
    # a restart keeps the last instance's log for `logs --previous`; a first start has none
    earlier = view.runtime(LOGS_SECTION).get(key)
    previous = earlier.get("current", []) if earlier is not None else None
    changes: list[Change] = [
        SetRuntime(PROCESSES_SECTION, key, record),
        SetRuntime(LOGS_SECTION, key, {"current": logs, "previous": previous}),
    ]
    return changes + _file_changes(view, pod, spec, container, before_files, before_mounts)


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
