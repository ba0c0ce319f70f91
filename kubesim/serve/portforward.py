"""pods/portforward: connections to a pod's ports, as the kubelet's streaming server answers.

kubectl (client-go's tunneling dialer) speaks SPDY/3.1 inside a WebSocket whose subprotocol is
`SPDY/3.1+portforward.k8s.io`, or, when WebSockets are off, on the raw connection after an
HTTP upgrade to SPDY/3.1. For every local connection it opens an error stream and a data
stream with the same `requestID` and the remote `port` (portforward/httpstream.go); the server
replies to each, then relays the data stream to the pod's port and writes any failure on the
error stream.

The Python client asks `?ports=80,443` with `v4.channel.k8s.io`: port i uses channel 2i for
data and 2i+1 for errors, and the server's first message on each is the port number, two
bytes little-endian (portforward/websocket.go).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from kubesim.api import kinds
from kubesim.api.errors import BadRequest
from kubesim.engine.streaming import PodConnection
from kubesim.serve import spdy
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import reading
from kubesim.serve.streams import TUNNEL_PROTOCOL, choose_protocol
from kubesim.serve.websocket import Closed, WebSocket
from kubesim.store import Store

Object = dict[str, Any]
_PODS = kinds.by_resource("pods")


def serve(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    with reading(store) as server:
        pod = server.get(_PODS, target.namespace, str(target.name))
    if (pod.get("status") or {}).get("phase") != "Running":
        phase = (pod.get("status") or {}).get("phase", "")
        raise BadRequest(f"pod {target.name} is not running (phase {phase})")
    upgrade = request.header("Upgrade").lower()
    if upgrade == "websocket":
        protocol = choose_protocol(request, (TUNNEL_PROTOCOL, "v4.channel.k8s.io"))
        ws = reply.websocket(request, protocol)
        try:
            if protocol == TUNNEL_PROTOCOL:
                _SpdySession(pod, ws.receive, ws.send).run()
            else:
                _channels(pod, request, ws)
        except Closed:
            pass
        ws.close()
        return
    if upgrade == "spdy/3.1" and request.method == "POST":
        handler = reply.handler
        reply.sent, reply.code = True, 101
        handler.close_connection = True
        handler.send_response_only(101)
        handler.send_header("Connection", "Upgrade")
        handler.send_header("Upgrade", "SPDY/3.1")
        handler.send_header("X-Stream-Protocol-Version", "portforward.k8s.io")
        handler.end_headers()
        handler.wfile.flush()

        def read() -> bytes | None:
            try:
                return handler.rfile.read1(65536) or None
            except OSError:
                return None

        def write(data: bytes) -> None:
            try:
                handler.wfile.write(data)
                handler.wfile.flush()
            except OSError:
                raise Closed() from None

        _SpdySession(pod, read, write).run()
        return
    raise BadRequest("Upgrade request required")


class _SpdySession:
    """One kubectl port-forward session: SPDY streams in pairs, each pair a connection."""

    def __init__(
        self, pod: Object, read: Callable[[], bytes | None], write: Callable[[bytes], None]
    ) -> None:
        self.pod = pod
        self.read = read
        self.write = write
        self.reader = spdy.Reader()
        self.writer = spdy.Writer()
        self.streams: dict[int, tuple[str, str, int]] = {}  # id -> (type, request id, port)
        self.pairs: dict[str, dict[str, int]] = {}  # request id -> {type: stream id}
        self.connections: dict[str, PodConnection] = {}
        self.finished: set[int] = set()

    def run(self) -> None:
        while True:
            data = self.read()
            if data is None:
                return
            try:
                frames = self.reader.feed(data)
            except spdy.ProtocolError:
                self.write(self.writer.goaway(0, 1))
                return
            for frame in frames:
                if not self._handle(frame):
                    return

    def _handle(self, frame: spdy.Frame) -> bool:
        if frame.kind == spdy.SYN_STREAM:
            self._opened(frame)
        elif frame.kind == 0:
            self._data(frame)
        elif frame.kind == spdy.PING:
            self.write(self.writer.ping(frame.value))
        elif frame.kind == spdy.GOAWAY:
            return False
        elif frame.kind == spdy.RST_STREAM:
            self.finished.add(frame.stream_id)
        return True

    def _opened(self, frame: spdy.Frame) -> None:
        headers = frame.headers
        kind = headers.get("streamtype", "")
        request_id = headers.get("requestid", "")
        try:
            port = int(headers.get("port", ""))
        except ValueError:
            port = 0
        self.write(self.writer.syn_reply(frame.stream_id))
        self.streams[frame.stream_id] = (kind, request_id, port)
        pair = self.pairs.setdefault(request_id, {})
        pair[kind] = frame.stream_id
        if "data" in pair and "error" in pair and request_id not in self.connections:
            connection = PodConnection(self.pod, port)
            self.connections[request_id] = connection
            problem = connection.refusal() if port else f"invalid port {headers.get('port')}"
            if problem is not None:
                self.write(self.writer.data(pair["error"], problem.encode(), fin=True))
                self._finish(request_id)

    def _data(self, frame: spdy.Frame) -> None:
        found = self.streams.get(frame.stream_id)
        if found is None or frame.stream_id in self.finished:
            return
        kind, request_id, _ = found
        connection = self.connections.get(request_id)
        if kind != "data" or connection is None:
            return
        if frame.data:
            answer = connection.feed(frame.data)
            if answer:
                self.write(self.writer.data(frame.stream_id, answer))
        if connection.closed or frame.fin:
            self._finish(request_id)

    def _finish(self, request_id: str) -> None:
        """The pod's side of the connection is closed: both streams end."""
        for stream_id in self.pairs.get(request_id, {}).values():
            if stream_id not in self.finished:
                self.finished.add(stream_id)
                self.write(self.writer.data(stream_id, b"", fin=True))


def _channels(pod: Object, request: Request, ws: WebSocket) -> None:
    """The v4 channel protocol of the Python client: one connection per port."""
    wanted = [p for text in request.params("ports") for p in text.split(",") if p]
    if not wanted:
        raise BadRequest('query parameter "port" is required')
    ports = []
    for text in wanted:
        try:
            ports.append(int(text))
        except ValueError:
            raise BadRequest(f'unable to parse "{text}" as a port: invalid syntax') from None
    connections = []
    for i, port in enumerate(ports):
        prefix = struct.pack("<H", port)
        ws.send(bytes([2 * i]) + prefix)
        ws.send(bytes([2 * i + 1]) + prefix)
        connection = PodConnection(pod, port)
        problem = connection.refusal()
        if problem is not None:
            ws.send(bytes([2 * i + 1]) + problem.encode())
            connection.closed = True
        connections.append(connection)
    if all(c.closed for c in connections):
        return
    while True:
        message = ws.receive()
        if message is None or not message:
            return
        channel, data = message[0], message[1:]
        index = channel // 2
        if channel % 2 or index >= len(connections) or connections[index].closed:
            continue
        answer = connections[index].feed(data)
        if answer:
            ws.send(bytes([channel]) + answer)
        if all(c.closed for c in connections):
            return
