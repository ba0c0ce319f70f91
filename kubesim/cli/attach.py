"""kubectl exec and attach (and run -i): streams between this terminal and a pod's simulated
container, the part the kubelet's streaming server plays in a cluster.

A session reads the cluster without holding its lock (a shell may stay open for long), builds
the container's view (files, environment, DNS), runs the command in kubesim's own shell, and
writes back only the files the command changed. Interactive shells see the cluster as it is
when each line is entered, so `nslookup web-0.nginx` follows a pod that was just recreated.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubesim.api import kinds, meta
from kubesim.api.errors import BadRequest, UsageError
from kubesim.api.podutil import container_spec
from kubesim.api.server import ApiServer
from kubesim.sandbox.container import Container
from kubesim.sandbox.view import (
    FILES_SECTION,
    StateView,
    build_container,
    cluster_dns,
    cluster_http,
    relative_changes,
)
from kubesim.sandbox.view import mounts as view_mounts

Object = dict[str, Any]
_PODS = kinds.by_resource("pods")


@dataclass
class _Before:
    """A session's files as it started, to write back only what changed."""

    files: dict[str, str]
    mounts: dict[str, dict[str, str]]


@dataclass
class _Target:
    name: str
    namespace: str
    uid: str
    container: str


class ExecSession:
    """`kubectl exec` into one container of a running pod."""

    def __init__(self, target: _Target, server: ApiServer | None = None) -> None:
        self.target = target
        self.server = server  # the read the session was opened with, used by its first command

    @classmethod
    def open(
        cls, pod_name: str, namespace: str, container: str | None, *, quiet: bool = False
    ) -> ExecSession:
        from kubesim.engine import session

        server = session.reading()
        pod = server.get(_PODS, namespace, pod_name)
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            raise UsageError(
                f"cannot exec into a container in a completed pod; current phase is {phase}"
            )
        chosen = choose_container(pod, container, quiet=quiet)
        if not pod["spec"].get("nodeName"):
            raise BadRequest(f"pod {pod_name} does not have a host assigned")
        if not is_container_running(pod, chosen):
            raise UsageError(f'unable to upgrade connection: container not found ("{chosen}")')
        return cls(_Target(pod_name, namespace, pod["metadata"]["uid"], chosen), server)

    def container_spec(self) -> Object:
        """The spec of the container this session is attached to."""
        from kubesim.engine import session

        pod = self._pod(session.reading())
        found = container_spec(pod, self.target.container)
        assert found is not None
        return found

    def run(self, argv: list[str], *, stdin: bool = False, tty: bool = False) -> int:
        """Run `argv` in the container until it exits; returns its exit status.

        Output is shown as it is written (with `tty`, stderr on stdout: a pty has one
        stream). With `stdin` the program reads this process's input only when it asks for
        it, a line at a time, as kubectl streams stdin next to the running command: a
        command that never reads returns at once, `cat` echoes each line typed.
        """
        from kubesim.cli import terminal
        from kubesim.sandbox import shell
        from kubesim.sandbox.proc import Forward, Input, Interrupt

        container, before = self._container()
        self._check_program(container, argv)
        stream = Input(source=self._reader(container) if stdin else None)
        sinks = (Forward(terminal.write), Forward(terminal.write_err))
        # without a TTY, Ctrl-C stops this process (kubectl) as KeyboardInterrupt
        interrupts = terminal.ctrl_c_raises(Interrupt) if tty else contextlib.nullcontext()
        killed = ""
        try:
            with interrupts:
                try:
                    result = shell.run(container, argv, stream, tty=tty, sinks=sinks)
                    code, killed = result.exit_code, result.killed
                except Interrupt:
                    code = 130
        finally:
            self._save(container, before)
        if killed:
            # the OOM killer ends every process of the container (memory.oom.group): its
            # main process too, which the kubelet reports and restarts
            process_exited(self.target, code, killed)
        return code

    def capture(self, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
        """Run `argv` to its end with its output kept rather than shown (kubectl cp's tar):
        its exit status, stdout and stderr. The files it changed are saved."""
        from kubesim.sandbox import shell

        container, before = self._container()
        self._check_program(container, argv)
        try:
            result = shell.run(container, argv, stdin)
        finally:
            self._save(container, before)
        return result.exit_code, result.stdout, result.stderr

    def _reader(self, container: Container) -> Callable[[], str | None]:
        """This terminal's lines, for the container's stdin."""
        from kubesim.cli import terminal

        def read_line() -> str | None:
            line = terminal.read_line()
            if line is not None:
                self._refresh(container)  # the next command sees the cluster as it is now
            return line

        return read_line

    def _check_program(self, container: Container, argv: list[str]) -> None:
        """containerd's answer when the program to exec is not in the image."""
        from kubesim.sandbox import shell

        if argv and not shell.can_exec(container, argv[0]):
            exec_id = hashlib.sha256(f"{self.target.uid}/{argv}".encode()).hexdigest()
            reason = shell.exec_failed(argv[0]).rstrip("\n")
            raise UsageError(
                "Internal error occurred: Internal error occurred: error executing command in "
                "container: failed to exec in container: "
                f'failed to start exec "{exec_id}": {reason}'
            )

    # --- the container's view ----------------------------------------------------------------

    def _container(self) -> tuple[Container, _Before]:
        from kubesim.engine import session

        server, self.server = self.server or session.reading(), None
        pod = self._pod(server)
        container = build_container(StateView(server), pod, self.target.container)
        before = _Before(dict(container.files), {p: dict(m) for p, m in container.mounts.items()})
        return container, before

    def _pod(self, server: ApiServer) -> Object:
        pod = server.find(_PODS, self.target.namespace, self.target.name)
        if pod is None or pod["metadata"]["uid"] != self.target.uid:
            raise UsageError(
                f'unable to upgrade connection: container not found ("{self.target.container}")'
            )
        return pod

    def _refresh(self, container: Container) -> None:
        """Bring the cluster's DNS up to date before a command runs."""
        from kubesim.engine import session

        view = StateView(session.reading())
        container.dns = cluster_dns(view)
        container.http = cluster_http(view)

    def _save(self, container: Container, before: _Before) -> None:
        """Write back the files this session changed (other sessions' changes are kept): the
        container's own layer, and the volumes it mounts."""
        changed = {p: c for p, c in container.files.items() if before.files.get(p) != c}
        removed = [p for p in before.files if p not in container.files]
        volumes = {p: m for p, m in container.mounts.items() if m != before.mounts.get(p)}
        if not changed and not removed and not volumes:
            return
        from kubesim.engine import session

        with session.writing() as server:
            pod = server.find(_PODS, self.target.namespace, self.target.name)
            if pod is None or pod["metadata"]["uid"] != self.target.uid:
                return  # the container is gone, and its files with it
            # runtime values are read and written whole: change a copy, then store it
            layers = server.state.section(FILES_SECTION)
            pod_layers = dict(layers.get(self.target.uid) or {})
            files = dict(pod_layers.get(self.target.container) or {})
            files.update(changed)
            for path in removed:
                files.pop(path, None)
            pod_layers[self.target.container] = files
            layers[self.target.uid] = pod_layers
            spec = container_spec(pod, self.target.container) or {}
            stores = view_mounts(StateView(server), pod, spec)
            sub_paths = {
                (str(m.get("mountPath", "")).rstrip("/") or "/"): str(m.get("subPath") or "")
                for m in spec.get("volumeMounts") or []
            }
            for point, after in volumes.items():
                if point not in stores:
                    continue
                section, key, _ = stores[point]
                delta, gone = relative_changes(
                    point, sub_paths.get(point, ""), before.mounts.get(point, {}), after
                )
                area = server.state.section(section)
                data = {**(area.get(key) or {}), **delta}
                for path in gone:
                    data.pop(path, None)
                area[key] = data


class AttachSession(ExecSession):
    """`kubectl run -i`/`attach`: the container's main process, attached to this terminal."""

    @classmethod
    def wait_running(cls, name: str, namespace: str, *, timeout: float) -> AttachSession:
        """Wait until the pod's container runs (ticking in manual mode)."""
        from kubesim.engine import session

        def running(server: ApiServer) -> Object | None:
            pod = server.find(_PODS, namespace, name)
            if pod is None:
                return None
            phase = (pod.get("status") or {}).get("phase")
            if phase in ("Running", "Succeeded", "Failed"):
                return pod
            return None

        pod = session.wait_for(running, timeout=timeout)
        if pod is None:
            raise UsageError("timed out waiting for the condition")
        return cls(
            _Target(name, namespace, pod["metadata"]["uid"], pod["spec"]["containers"][0]["name"])
        )

    def run_main_process(self, *, stdin: bool, tty: bool) -> int:
        """Run the container's command (or its image's default) and record its exit."""
        from kubesim.sandbox import images

        container, _ = self._container()
        spec = container_spec(container.pod, self.target.container)
        assert spec is not None
        argv = [*(spec.get("command") or []), *(spec.get("args") or [])] or images.default_command(
            spec["image"]
        )
        code = self.run(argv, stdin=stdin, tty=tty)
        process_exited(self.target, code)
        return code


def choose_container(pod: Object, name: str | None, *, quiet: bool) -> str:
    """The container to use: -c, the default-container annotation, else the first one."""
    names = [c["name"] for c in pod["spec"].get("containers") or []]
    if name:
        # the apiserver knows every container of the pod: its init containers (a running
        # sidecar is reached like any other) and its app's
        every = [*names, *(c["name"] for c in pod["spec"].get("initContainers") or [])]
        if name not in every:
            raise BadRequest(f"container {name} is not valid for pod {pod['metadata']['name']}")
        return name
    annotated = (pod["metadata"].get("annotations") or {}).get(
        "kubectl.kubernetes.io/default-container"
    )
    chosen = str(annotated) if annotated in names else names[0]
    inits = [f"{c['name']} (init)" for c in pod["spec"].get("initContainers") or []]
    if not quiet and (len(names) > 1 or inits):
        sys.stderr.write(f'Defaulted container "{chosen}" out of: {", ".join(names + inits)}\n')
    return chosen


def is_container_running(pod: Object, name: str) -> bool:
    from kubesim.api.podutil import all_statuses

    for status in all_statuses(pod):
        if status.get("name") == name:
            return "running" in (status.get("state") or {})
    return False


def process_exited(target: _Target, code: int, reason: str = "") -> None:
    """The container's main process ended (`reason`: the kernel killed it): record it as the
    kubelet would."""
    from kubesim.controllers.kubelet_containers import PROCESSES_SECTION, container_id
    from kubesim.controllers.kubelet_status import phase_when_all_exited, refresh_conditions
    from kubesim.engine import session

    with session.writing() as server:
        pod = server.find(_PODS, target.namespace, target.name)
        if pod is None or pod["metadata"]["uid"] != target.uid:
            return
        new = copy.deepcopy(pod)
        stamp = meta.format_time(server.now)
        statuses = new["status"].get("containerStatuses") or []
        for status in statuses:
            if status["name"] != target.container:
                continue
            running = (status.get("state") or {}).get("running") or {}
            status.update(
                {
                    "ready": False,
                    "started": False,
                    "state": {
                        "terminated": {
                            "containerID": status.get("containerID")
                            or container_id(pod, target.container, 0),
                            "exitCode": code,
                            "finishedAt": stamp,
                            "reason": reason or ("Completed" if code == 0 else "Error"),
                            "startedAt": running.get("startedAt", stamp),
                        }
                    },
                }
            )
        if all("terminated" in s["state"] for s in statuses):
            policy = pod["spec"].get("restartPolicy", "Always")
            new["status"]["phase"] = phase_when_all_exited(statuses, policy)
        refresh_conditions(new, server.now)
        server.update_status(new)
        processes = server.state.section(PROCESSES_SECTION)
        key = f"{target.uid}/{target.container}"
        record = processes.get(key)
        if record is not None and record.get("end") is None:
            processes[key] = {**record, "end": server.now, "exitCode": code,
                              "reason": reason or None, "script": None, "wake": None}  # fmt: skip


def delete_pod(name: str, namespace: str) -> None:
    """--rm: delete the pod and wait until it is gone."""
    from kubesim.engine import session

    with session.writing() as server:
        pod = server.find(_PODS, namespace, name)
        if pod is None:
            return
        uid = pod["metadata"]["uid"]
        server.delete(_PODS, namespace, name)

    def gone(srv: ApiServer) -> bool | None:
        current = srv.find(_PODS, namespace, name)
        return True if current is None or current["metadata"]["uid"] != uid else None

    session.wait_for(gone, timeout=60)
