"""HTTP/1.1 on loopback: one thread per connection (the standard library's server), requests
kept alive, JSON answers, chunked streams flushed event by event (watch, logs -f), and the
WebSocket upgrade (exec, attach, port-forward).

Why threads and the standard library: everything below the door is synchronous (a request is
one SQLite transaction, a shell session blocks on its client's input), so an event loop would
hand each request to a thread anyway; a thread per connection keeps the code straight, costs
kubesim's other commands no import time, and needs no dependency. Each thread opens its own
SQLite connection per request and closes it at the end.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from kubesim.serve.websocket import WebSocket, accept_key

MAX_BODY = 3 * 1024 * 1024  # genericapiserver's MaxRequestBodyBytes
DRAIN_LIMIT = 4 * MAX_BODY  # read past this much of a refused body, then drop the connection
JSON_TYPE = "application/json"


class Request:
    """What a handler is given: method, path (percent-decoded), query, headers, body."""

    def __init__(self, method: str, target: str, headers: Any, body: Callable[[], bytes]) -> None:
        parts = urlsplit(target)
        self.method = method
        self.raw_path = parts.path
        self.path = unquote(parts.path)
        self.query: dict[str, list[str]] = parse_qs(parts.query, keep_blank_values=True)
        self.headers = headers
        self._body = body

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def params(self, name: str) -> list[str]:
        return list(self.query.get(name) or [])

    def flag(self, name: str) -> bool:
        """A boolean query parameter as strconv.ParseBool reads it (true, 1, t...)."""
        return self.param(name).lower() in ("1", "t", "true")

    def header(self, name: str) -> str:
        return str(self.headers.get(name) or "")

    def body(self) -> bytes:
        return self._body()

    @property
    def is_upgrade(self) -> bool:
        return "upgrade" in self.header("Connection").lower()


class Reply:
    """How a handler answers: a whole body, a chunked stream, or an upgraded WebSocket."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.sent = False
        self.warnings: list[str] = []
        self.code = 0

    def send(self, code: int, body: bytes, content_type: str = JSON_TYPE, **headers: str) -> None:
        self._head(code, content_type, {"Content-Length": str(len(body)), **headers})
        self.handler.wfile.write(body)
        self.handler.wfile.flush()

    def relay(self, code: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """A backend's answer passed on as it came (the proxy subresource): its status line
        and headers, but the framing, which is this connection's."""
        hop_by_hop = ("connection", "keep-alive", "transfer-encoding", "content-length")
        self.sent, self.code = True, code
        self.handler.send_response_only(code, reason)
        for name, value in headers:
            if name.lower() not in hop_by_hop:
                self.handler.send_header(name, value)
        self.handler.send_header("Content-Length", str(len(body)))
        self.handler.end_headers()
        self.handler.wfile.write(body)
        self.handler.wfile.flush()

    def json(self, code: int, obj: Any) -> None:
        self.send(code, json.dumps(obj, separators=(",", ":")).encode() + b"\n")

    def text(self, code: int, text: str, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send(code, text.encode(), content_type)

    @contextmanager
    def stream(
        self, content_type: str = JSON_TYPE, code: int = 200
    ) -> Iterator[Callable[[bytes], None]]:
        """A chunked body: each write is flushed to the client at once."""
        self._head(code, content_type, {"Transfer-Encoding": "chunked"})
        out = self.handler.wfile

        def write(data: bytes) -> None:
            if data:
                out.write(b"%x\r\n%s\r\n" % (len(data), data))
                out.flush()

        yield write
        out.write(b"0\r\n\r\n")
        out.flush()

    def websocket(self, request: Request, protocol: str | None) -> WebSocket:
        """Switch protocols (101) and hand back the connection as a WebSocket."""
        headers = {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": accept_key(request.header("Sec-WebSocket-Key")),
        }
        if protocol:
            headers["Sec-WebSocket-Protocol"] = protocol
        self.handler.close_connection = True  # the socket is the WebSocket's from now on
        self.sent = True
        self.code = 101
        self.handler.send_response_only(101)
        for name, value in headers.items():
            self.handler.send_header(name, value)
        self.handler.end_headers()
        self.handler.wfile.flush()
        return WebSocket(self.handler.rfile, self.handler.wfile)

    def _head(self, code: int, content_type: str, headers: dict[str, str]) -> None:
        self.sent = True
        self.code = code
        self.handler.send_response(code)
        self.handler.send_header("Content-Type", content_type)
        self.handler.send_header("Cache-Control", "no-cache, private")
        for warning in self.warnings:
            text = warning.replace("\\", "\\\\").replace('"', '\\"')
            self.handler.send_header("Warning", f'299 - "{text}"')
        for name, value in headers.items():
            self.handler.send_header(name.replace("_", "-"), value)
        self.handler.end_headers()


App = Callable[[Request, Reply], None]


class Handler(BaseHTTPRequestHandler):
    """Parses each request of a kept-alive connection and hands it to the server's app."""

    protocol_version = "HTTP/1.1"
    server_version = "kubesim"
    sys_version = ""
    server: HttpServer

    def do_request(self) -> None:
        read = self._reader()
        request = Request(self.command, self.path, self.headers, read)
        reply = Reply(self)
        try:
            self.server.app(request, reply)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
            return
        if not reply.sent:  # pragma: no cover - every route answers
            reply.json(500, {"kind": "Status", "message": "no answer"})
        if not self.close_connection:
            read()  # a body the handler did not read must not be taken for the next request

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_request

    def _reader(self) -> Callable[[], bytes]:
        """The request body, read once (Content-Length or chunked), at most MAX_BODY bytes
        (more raises BodyTooLarge, and the connection is not reused)."""
        cache: list[bytes] = []

        def read() -> bytes:
            if cache:
                return cache[0]
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                data = self._read_chunked()
            else:
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self.close_connection = True
                    cache.append(b"")
                    self._discard(min(length, DRAIN_LIMIT))  # let the client finish sending
                    raise BodyTooLarge()
                data = self.rfile.read(length) if length > 0 else b""
            cache.append(data)
            return data

        return read

    def _discard(self, count: int) -> None:
        while count > 0:
            chunk = self.rfile.read(min(count, 65536))
            if not chunk:
                return
            count -= len(chunk)

    def _read_chunked(self) -> bytes:
        data = b""
        while True:
            line = self.rfile.readline(65537).strip()
            size = int(line.split(b";")[0] or b"0", 16)
            if size == 0:
                while self.rfile.readline(65537).strip():
                    pass  # trailers
                return data
            if len(data) + size > MAX_BODY:
                self.close_connection = True
                raise BodyTooLarge()
            data += self.rfile.read(size)
            self.rfile.readline(3)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class BodyTooLarge(Exception):
    """Raised when a request body is over the apiserver's limit."""


class HttpServer(ThreadingHTTPServer):
    """The listening socket and its connection threads (daemons: Ctrl-C ends them too)."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App, *, verbose: bool = False) -> None:
        self.app = app
        self.verbose = verbose
        super().__init__(address, Handler, bind_and_activate=False)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
            self.socket = socket.socket(self.address_family, self.socket_type)
        try:
            self.server_bind()
            self.server_activate()
        except OSError:
            self.server_close()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a connection that broke mid-request is the client's business, not the server's
        error = sys.exc_info()[1]
        if isinstance(error, OSError | ValueError):
            return
        super().handle_error(request, client_address)


def listen_error(host: str, port: int, err: OSError) -> str:
    """Go's net.Listen error text: `listen tcp 127.0.0.1:6443: bind: address already in use`."""
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    reason = (err.strerror or str(err)).lower()
    return f"listen tcp {shown}: bind: {reason}"
