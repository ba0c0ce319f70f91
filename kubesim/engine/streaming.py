"""The kubelet's streaming server: exec and attach sessions in a pod's simulated container,
the log of a container as it grows, and a connection to a port of a pod. `kubesim exec`,
`logs` and `port-forward` use them from this machine's terminal and sockets; `kubesim serve`
over the API's WebSocket, SPDY and HTTP streams.

A session reads the cluster without holding its lock (a shell may stay open for long), builds
the container's view (files, environment, DNS), runs the command in kubesim's own shell, and
writes back only the files the command changed. Interactive shells see the cluster as it is
when each line is entered, so `nslookup web-0.nginx` follows a pod that was just recreated.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

from kubesim.api import kinds, meta
from kubesim.api.errors import BadRequest, UsageError
from kubesim.api.podutil import all_statuses, container_spec
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
Reader = Callable[[], "str | None"]
Writer = Callable[[str], None]
_PODS = kinds.by_resource("pods")


class UpgradeFailed(UsageError):
    """The kubelet refused the stream (its body is plain text, which kubectl prints as
    `unable to upgrade connection: <text>`)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"unable to upgrade connection: {detail}")
        self.detail = detail


@dataclass
class _Before:
    """A session's files as it started, to write back only what changed."""

    files: dict[str, str]
    mounts: dict[str, dict[str, str]]


@dataclass
class Target:
    name: str
    namespace: str
    uid: str
    container: str


class ExecSession:
    """`kubectl exec` into one container of a running pod."""

    def __init__(self, target: Target, server: ApiServer | None = None) -> None:
        self.target = target
        self.server = server  # the read the session was opened with, used by its first command

    @classmethod
    def open(
        cls, pod_name: str, namespace: str, container: str | None, *, note: Writer | None = None
    ) -> Self:
        """A session in the container named (else the default one, told to `note` as kubectl
        says it); kubectl's and the kubelet's refusals are raised."""
        from kubesim.engine import session

        server = session.reading()
        pod = server.get(_PODS, namespace, pod_name)
        phase = (pod.get("status") or {}).get("phase")
        if phase in ("Succeeded", "Failed"):
            raise UsageError(
                f"cannot exec into a container in a completed pod; current phase is {phase}"
            )
        chosen, told = choose_container(pod, container)
        if told and note is not None:
            note(told + "\n")
        if not pod["spec"].get("nodeName"):
            raise BadRequest(f"pod {pod_name} does not have a host assigned")
        if not is_container_running(pod, chosen):
            raise UsageError(f'unable to upgrade connection: container not found ("{chosen}")')
        return cls(Target(pod_name, namespace, pod["metadata"]["uid"], chosen), server)

    def container_spec(self) -> Object:
        """The spec of the container this session is attached to."""
        from kubesim.engine import session

        pod = self._pod(session.reading())
        found = container_spec(pod, self.target.container)  # a sidecar's too
        assert found is not None
        return found

    def stream(
        self,
        argv: list[str],
        *,
        read: Reader | None = None,
        tty: bool = False,
        out: Writer,
        err: Writer,
    ) -> int:
        """Run `argv` in the container until it exits; returns its exit status.

        Output goes to `out` and `err` as it is written (with `tty`, stderr on stdout: a pty
        has one stream). With `read` the program reads its input only when it asks for it, a
        line at a time, as kubectl streams stdin next to the running command: a command that
        never reads returns at once, `cat` echoes each line typed. `read` may raise the
        sandbox's Interrupt (Ctrl-C on the terminal).
        """
        from kubesim.sandbox import shell
        from kubesim.sandbox.proc import Forward, Input, Interrupt

        container, before = self._container()
        self._check_program(container, argv)
        stream = Input(source=self._reader(container, read) if read else None)
        sinks = (Forward(out), Forward(err))
        killed = ""
        try:
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

    def _reader(self, container: Container, read: Reader) -> Reader:
        """The client's lines, for the container's stdin."""

        def read_line() -> str | None:
            line = read()
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
            raise UpgradeFailed(f'container not found ("{self.target.container}")')
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
    def wait_running(cls, name: str, namespace: str, *, timeout: float) -> Self:
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
            Target(name, namespace, pod["metadata"]["uid"], pod["spec"]["containers"][0]["name"])
        )

    def main_process(self) -> list[str]:
        """The container's command (or its image's default)."""
        from kubesim.sandbox import images

        container, _ = self._container()
        spec = container_spec(container.pod, self.target.container)
        assert spec is not None
        return [*(spec.get("command") or []), *(spec.get("args") or [])] or (
            images.default_command(spec["image"])
        )

    def stream_main_process(
        self, *, read: Reader | None, tty: bool, out: Writer, err: Writer
    ) -> int:
        """Run the container's main process attached to the client, and record its exit."""
        code = self.stream(self.main_process(), read=read, tty=tty, out=out, err=err)
        process_exited(self.target, code)
        return code


def choose_container(pod: Object, name: str | None) -> tuple[str, str]:
    """The container to use (-c, the default-container annotation, else the first one), and
    what kubectl says when it chose among several."""
    names = [c["name"] for c in pod["spec"].get("containers") or []]
    if name:
        # the apiserver knows every container of the pod: its init containers (a running
        # sidecar is reached like any other) and its app's
        every = [*names, *(c["name"] for c in pod["spec"].get("initContainers") or [])]
        if name not in every:
            raise BadRequest(f"container {name} is not valid for pod {pod['metadata']['name']}")
        return name, ""
    annotated = (pod["metadata"].get("annotations") or {}).get(
        "kubectl.kubernetes.io/default-container"
    )
    chosen = str(annotated) if annotated in names else names[0]
    inits = [f"{c['name']} (init)" for c in pod["spec"].get("initContainers") or []]
    told = ""
    if len(names) > 1 or inits:
        told = f'Defaulted container "{chosen}" out of: {", ".join(names + inits)}'
    return chosen, told


def is_container_running(pod: Object, name: str) -> bool:
    for status in all_statuses(pod):
        if status.get("name") == name:
            return "running" in (status.get("state") or {})
    return False


def process_exited(target: Target, code: int, reason: str = "") -> None:
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


# --- logs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogRequest:
    """A log request's PodLogOptions, and kubectl's --prefix for the lines it prints."""

    tail: int = -1
    since_seconds: int | None = None
    since_time: float | None = None
    limit_bytes: int = -1
    timestamps: bool = False
    previous: bool = False
    prefix: bool = False

    def kubelet(self, now: float) -> Any:
        """The kubelet's LogOptions for a request made at `now` (NewLogOptions)."""
        from kubesim.sandbox.logs import LogOptions

        since = now - self.since_seconds if self.since_seconds is not None else 0.0
        if self.since_time is not None and self.since_time > since:
            since = self.since_time
        return LogOptions(self.tail, self.limit_bytes, since, self.timestamps)


class LogStream:
    """One container's log as read so far: where reading started and what has been sent."""

    def __init__(self, pod: Object, container: str, options: LogRequest, server: Any) -> None:
        from kubesim.sandbox.logs import start_index

        self.pod = pod
        self.container = container
        self.options = options
        self.kubelet = options.kubelet(server.now)
        self.printed = 0
        self._check()
        self.start = start_index(self.lines(server), self.kubelet.tail)
        self.done = False

    def _check(self) -> None:
        """The apiserver's validation of the request (ValidatePodLogOptions)."""
        from kubesim.api.errors import Invalid, invalid

        if self.options.since_seconds is not None and self.options.since_seconds < 1:
            raise Invalid(
                "PodLogOptions",
                self.pod["metadata"]["name"],
                [invalid("sinceSeconds", self.options.since_seconds, "must be greater than 0")],
            )

    def lines(self, server: Any) -> list[Any]:
        from kubesim.sandbox.logs import container_lines

        key = f"{self.pod['metadata']['uid']}/{self.container}"
        record = server.state.peek_section("logs").get(key) or {}
        current = current_pod(server, self.pod) or self.pod
        return container_lines(current, self.container, record, self.options.previous, server.now)

    def read(self, server: Any) -> str:
        """What is new since the last read, with --prefix on each line."""
        from kubesim.sandbox.logs import render

        text = render(self.lines(server)[self.start :], self.kubelet)
        fresh, self.printed = text[self.printed :], len(text)
        if self.kubelet.limit_bytes >= 0 and len(text.encode()) >= self.kubelet.limit_bytes:
            self.done = True  # the kubelet stops at the byte limit
        if not self.options.prefix or not fresh:
            return fresh
        head = f"[pod/{self.pod['metadata']['name']}/{self.container}] "
        return "".join(head + line for line in fresh.splitlines(keepends=True))

    def ended(self, server: Any) -> bool:
        """Whether the stream is over: the container stopped, or its pod is gone."""
        if self.options.previous or self.done:
            return True
        pod = current_pod(server, self.pod)
        if pod is None:
            return True
        from kubesim.sandbox.logs import _status_of

        status = _status_of(pod, self.container)
        return status is not None and "terminated" in (status.get("state") or {})


def current_pod(server: Any, pod: Object) -> Object | None:
    """The pod as it is now, None if it is gone (or replaced by another of its name)."""
    metadata = pod["metadata"]
    current = server.find(_PODS, metadata["namespace"], metadata["name"])
    if current is None or current["metadata"]["uid"] != metadata["uid"]:
        return None
    return current  # type: ignore[no-any-return]


# --- port forwarding -----------------------------------------------------------------------------

MAX_REQUEST_HEAD = 65536  # a request head longer than this is not HTTP the pod's server reads


class PodConnection:
    """A TCP connection to a port of a pod, as the kubelet dials it in the pod's network
    namespace: the client's bytes go in, the answers of whatever listens there come out.

    The requests are parsed as they arrive, and each is answered from the cluster as it is
    at that moment (the pod may change while the connection lasts), kept alive as nginx keeps
    it unless the client asks otherwise. `closed` says the server ended the connection."""

    def __init__(self, pod: Object, port: int) -> None:
        self.pod = pod
        self.port = port
        self.pending = b""
        self.body_left = 0
        self.closed = False

    def refusal(self) -> str | None:
        """The kubelet's error for dialing the port now (the pod gone, not running, or nothing
        listening there), None if the connection goes through."""
        from kubesim.sandbox.portforward import forward_error

        current, answer = self._answer("HEAD", "/")
        return forward_error(self.pod, current, self.port, answer is not None)

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the client; returns the bytes the server writes back."""
        from kubesim.sandbox.portforward import encode_response, parse_request

        self.pending += data
        out = b""
        while not self.closed:
            if self.body_left:
                skipped = min(self.body_left, len(self.pending))
                self.pending, self.body_left = self.pending[skipped:], self.body_left - skipped
                if self.body_left:
                    break
            head, sep, rest = self.pending.partition(b"\r\n\r\n")
            if not sep:
                if len(self.pending) > MAX_REQUEST_HEAD:
                    self.closed = True
                break
            self.pending = rest
            request = parse_request(head)
            if request is None:
                self.closed = True
                break
            length = request.header("Content-Length")
            self.body_left = int(length) if length.isdigit() else 0
            sent = (*request.headers, (":remote-addr", "127.0.0.1"))
            _, response = self._answer(request.method, request.path, sent)
            if response is None:
                self.closed = True  # the server went away with the pod
                break
            out += encode_response(response, request.keep_alive, request.method)
            if not request.keep_alive:
                self.closed = True
        return out

    def _answer(
        self, method: str, path: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> tuple[Object | None, Any]:
        """The pod as it is now, and what its port answers the request (None: nothing
        listens, or the pod is not that pod any more)."""
        from kubesim.engine import session
        from kubesim.sandbox.view import serve_pod

        server = session.reading()
        try:
            current = current_pod(server, self.pod)
            if current is None:
                metadata = self.pod["metadata"]
                return server.find(_PODS, metadata["namespace"], metadata["name"]), None
            if (current.get("status") or {}).get("phase") != "Running":
                return current, None
            return current, serve_pod(StateView(server), current, self.port, method, path, headers)
        finally:
            server.close()
