"""The pod subresources that stream (the kubelet's part, behind the apiserver): `log` as a
chunked text body, `exec` and `attach` over WebSocket (`v5.channel.k8s.io`, `v4...`),
`portforward` over kubectl's SPDY tunnel or the Python client's v4 channels.

The channel protocol (apimachinery remotecommand): each binary message starts with its channel,
0 stdin, 1 stdout, 2 stderr, 3 the exit Status, 4 terminal resizes, and in v5 255 closes a
channel ([255, 0]: end of stdin). The server writes the Status on channel 3 and closes.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from kubesim.api import kinds
from kubesim.api.errors import BadRequest, KubesimError, UsageError
from kubesim.engine import streaming
from kubesim.serve import status
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import not_allowed, reading
from kubesim.serve.websocket import Closed, WebSocket, offered_protocols
from kubesim.store import Store

Object = dict[str, Any]
CHANNEL_PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
TUNNEL_PROTOCOL = "SPDY/3.1+portforward.k8s.io"
STDIN, STDOUT, STDERR, ERROR, RESIZE, CLOSE = 0, 1, 2, 3, 4, 255
LOG_POLL_SECONDS = 0.5
_PODS = kinds.by_resource("pods")


class UpgradeRefused(KubesimError):
    """The kubelet refused the stream with a plain-text body (kubectl prints `unable to upgrade
    connection: <body>`)."""

    code = 500


def serve(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    try:
        if target.subresource == "log":
            if request.method != "GET":
                raise not_allowed()
            _log(request, reply, store, target)
        elif target.subresource == "portforward":
            from kubesim.serve import portforward

            portforward.serve(request, reply, store, target)
        else:
            _exec(request, reply, store, target)
    except streaming.UpgradeFailed as err:
        if not reply.sent:
            reply.text(500, err.detail)
    except UpgradeRefused as err:
        if not reply.sent:
            reply.text(err.code, err.message)


# --- log ---------------------------------------------------------------------------------------


def container_for(pod: Object, name: str, *, what: str = "") -> str:
    """The container a request names, or the only one; the apiserver's BadRequest otherwise
    (pod strategy's validContainers / the log location's choice)."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    inits = [c["name"] for c in spec.get("initContainers") or []]
    pod_name = pod["metadata"]["name"]
    if not name:
        if len(names) == 1:
            return str(names[0])
        message = (
            f"a container name must be specified for pod {pod_name}, choose one of: "
            f"[{' '.join(names)}]"
        )
        if inits:
            message += f" or one of the init containers: [{' '.join(inits)}]"
        raise BadRequest(message)
    if name not in names + inits:
        raise BadRequest(f"container {name} is not valid for pod {pod_name}")
    return name


def _int(request: Request, name: str) -> int | None:
    text = request.param(name)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadRequest(f'strconv.ParseInt: parsing "{text}": invalid syntax') from None


def _log(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    options = streaming.LogRequest(
        tail=_int(request, "tailLines") if request.param("tailLines") else -1,  # type: ignore[arg-type]
        since_seconds=_int(request, "sinceSeconds"),
        since_time=_since_time(request.param("sinceTime")),
        limit_bytes=_int(request, "limitBytes") or -1,
        timestamps=request.flag("timestamps"),
        previous=request.flag("previous"),
    )
    with reading(store) as server:
        pod = server.get(_PODS, target.namespace, str(target.name))
        container = container_for(pod, request.param("container"))
        log = streaming.LogStream(pod, container, options, server)
        text = log.read(server)
    if not request.flag("follow"):
        reply.text(200, text)
        return
    with reply.stream("text/plain") as write:
        write(text.encode())
        while not log.done:
            time.sleep(LOG_POLL_SECONDS)
            with reading(store) as server:
                try:
                    write(log.read(server).encode())
                except KubesimError:
                    return  # the container was replaced or cannot be read any more
                if log.ended(server):
                    return


def _since_time(text: str) -> float | None:
    if not text:
        return None
    from kubesim.api.gotime import TimeParseError, parse_rfc3339

    try:
        return float(int(parse_rfc3339(text)))
    except TimeParseError as err:
        raise BadRequest(str(err)) from None


# --- exec and attach ---------------------------------------------------------------------------


def choose_protocol(request: Request, supported: tuple[str, ...]) -> str:
    """The first subprotocol the server supports, in its order of preference."""
    offered = offered_protocols(request.header("Sec-WebSocket-Protocol"))
    for protocol in supported:
        if protocol in offered:
            return protocol
    raise BadRequest(
        f"unable to upgrade: unable to negotiate a subprotocol: the client offered "
        f"{offered}, the server supports {list(supported)}"
    )


def _exec(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    attach = target.subresource == "attach"
    stdin, stdout, stderr = (request.flag(n) for n in ("stdin", "stdout", "stderr"))
    tty = request.flag("tty")
    if not (stdin or stdout or stderr):
        raise BadRequest("you must specify at least 1 of stdin, stdout, stderr")
    command = request.params("command")
    if not attach and not command:
        raise BadRequest("you must specify at least one command for the container")
    with reading(store) as server:
        pod = server.get(_PODS, target.namespace, str(target.name))
        container = container_for(pod, request.param("container"))
    if not pod["spec"].get("nodeName"):
        raise BadRequest(f"pod {target.name} does not have a host assigned")
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise BadRequest(
            f"cannot {'attach to' if attach else 'exec into'} a container in a completed pod; "
            f"current phase is {phase}"
        )
    protocol = choose_protocol(request, CHANNEL_PROTOCOLS)
    namespace = str(target.namespace)
    runner: Any
    if attach:
        runner = streaming.AttachSession.open(str(target.name), namespace, container)
    else:
        runner = streaming.ExecSession.open(str(target.name), namespace, container)
    if not request.is_upgrade or request.header("Upgrade").lower() != "websocket":
        # kubectl falls back to SPDY only when the WebSocket upgrade failed
        raise BadRequest("Upgrade request required: exec and attach are served over WebSocket")
    ws = reply.websocket(request, protocol)
    if attach and not runner.container_spec().get("stdin"):
        # nothing reads the terminal: the client sees what the process writes from now on
        _attach_output(ws, store, pod, container)
        return
    _Session(ws, protocol, tty, stdin, stdout, stderr).run(runner, command, attach)


def _attach_output(ws: WebSocket, store: Store, pod: Object, container: str) -> None:
    """Stream the container's output as it is written, until it stops or the client leaves."""
    gone = threading.Event()

    def watch_client() -> None:
        while ws.receive() is not None:
            pass
        gone.set()

    threading.Thread(target=watch_client, daemon=True).start()
    with reading(store) as server:
        log = streaming.LogStream(pod, container, streaming.LogRequest(tail=0), server)
    try:
        while not gone.wait(LOG_POLL_SECONDS):
            with reading(store) as server:
                text = log.read(server)
                ended = log.ended(server)
            if text:
                ws.send(bytes([STDOUT]) + text.encode())
            if ended:
                break
        ws.send(bytes([ERROR]) + json.dumps({"metadata": {}, "status": "Success"}).encode())
    except Closed:
        return
    ws.close()


class _Session:
    """One exec or attach over a WebSocket: a reader thread takes the client's frames, the
    handler's thread runs the program and writes its output."""

    def __init__(
        self, ws: WebSocket, protocol: str, tty: bool, stdin: bool, stdout: bool, stderr: bool
    ) -> None:
        from kubesim.serve.tty import LineDiscipline

        self.ws = ws
        self.v5 = protocol.startswith("v5")
        self.tty = tty
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.inbox: queue.Queue[bytes | None] = queue.Queue()
        self.discipline = LineDiscipline(self._echo)
        self.pending = ""
        self.decoder = _utf8()

    def run(self, runner: Any, command: list[str], attach: bool) -> None:
        threading.Thread(target=self._receive, daemon=True).start()
        read = self._read if self.stdin else None
        try:
            if attach:
                code = runner.stream_main_process(read=read, tty=self.tty, out=self._out,
                                                  err=self._err)  # fmt: skip
            else:
                code = runner.stream(command, read=read, tty=self.tty, out=self._out,
                                     err=self._err)  # fmt: skip
            result = _exit_status(code, command)
        except Closed:
            return  # the client went away mid-session
        except UsageError as err:  # the runtime could not start the program
            result = status.failure(err.message, "InternalError", 500)
        try:
            self.ws.send(bytes([ERROR]) + json.dumps(result).encode())
        except Closed:
            return
        self.ws.close()

    # the client's frames

    def _receive(self) -> None:
        while True:
            message = self.ws.receive()
            if message is None:
                self.inbox.put(None)
                return
            if not message:
                continue
            channel, data = message[0], message[1:]
            if channel == STDIN:
                self.inbox.put(data)
            elif channel == CLOSE and self.v5 and data[:1] == bytes([STDIN]):
                self.inbox.put(None)
            # RESIZE: the simulated programs do not lay out by the terminal's size

    def _read(self) -> str | None:
        """The next line of stdin for the program (a tty's canonical line, or the next line of
        the stream); None at the end of input."""
        from kubesim.sandbox.proc import Interrupt
        from kubesim.serve.tty import Interrupted

        while True:
            if self.tty:
                if self.discipline.ready:
                    try:
                        return self.discipline.take()
                    except Interrupted:
                        raise Interrupt() from None
            elif "\n" in self.pending:
                line, _, self.pending = self.pending.partition("\n")
                return line + "\n"
            data = self.inbox.get()
            if data is None:
                self.inbox.put(None)  # every later read sees the end too
                if self.tty:
                    if self.discipline.ready:
                        continue
                    return None
                rest, self.pending = self.pending, ""
                return rest or None
            text = self.decoder.decode(data)
            if self.tty:
                self.discipline.feed(text)
            else:
                self.pending += text

    # the program's output

    def _echo(self, text: str) -> None:
        self._send(STDOUT, text)

    def _out(self, text: str) -> None:
        if self.stdout:
            self._send(STDOUT, text)

    def _err(self, text: str) -> None:
        if self.stderr and not self.tty:
            self._send(STDERR, text)
        elif self.tty and self.stdout:
            self._send(STDOUT, text)

    def _send(self, channel: int, text: str) -> None:
        from kubesim.serve.tty import onlcr

        if self.tty:
            text = onlcr(text)
        self.ws.send(bytes([channel]) + text.encode("utf-8", "surrogateescape"))


def _exit_status(code: int, command: list[str]) -> Object:
    """What the kubelet writes on the error channel when the program ends."""
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: error executing command "
        f"{json.dumps(command)}, exit code {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def _utf8() -> Any:
    import codecs

    return codecs.getincrementaldecoder("utf-8")("surrogateescape")
