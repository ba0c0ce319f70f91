"""A forwarded connection as the kubelet and containerd serve it, and HTTP on the wire.

containerd's portForward (internal/cri/server/sandbox_portforward_linux.go, v2.0) dials
localhost:PORT inside the pod's network namespace; whatever listens there answers, here the
image's simulated server (kubesim.sandbox.http, as for curl inside the cluster). When the
dial fails, the kubelet's streaming server (portforward/httpstream.go) writes `error
forwarding port P to pod SANDBOX, uid : <containerd's error>` on the error stream, and
kubectl reports it and drops the whole session.

The requests read from a local connection are parsed here and each answer written back as
HTTP/1.1 bytes, keeping the connection open as nginx does (keep-alive) unless asked not to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from kubesim.sandbox.container import HttpResponse

Object = dict[str, Any]


def sandbox_id(pod: Object) -> str:
    """The pod sandbox's containerd id (64 hex digits, fixed per pod)."""
    return hashlib.sha256(f"{pod['metadata']['uid']}/sandbox".encode()).hexdigest()


def netns_path(pod: Object) -> str:
    """The sandbox's network namespace as the CNI plugins name it (host for hostNetwork)."""
    if pod["spec"].get("hostNetwork"):
        return "host"
    digest = hashlib.sha256(f"{pod['metadata']['uid']}/netns".encode()).hexdigest()
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return f"/var/run/netns/cni-{uuid}"


def forward_error(pod: Object, current: Object | None, port: int, listening: bool) -> str | None:
    """The kubelet's error for a connection to `port` of `pod` (as the session found it), given
    the pod as it is now (None: gone) and whether anything listens on the port; None if the
    connection goes through."""
    sandbox = sandbox_id(pod)
    if current is None or current["metadata"]["uid"] != pod["metadata"]["uid"]:
        reason = f'failed to find sandbox "{sandbox}" in store: not found'
    elif (current.get("status") or {}).get("phase") != "Running":
        reason = f'network namespace for sandbox "{sandbox}" is closed'
    elif listening:
        return None
    else:
        refused = "connect: connection refused"
        reason = (
            f'failed to execute portforward in network namespace "{netns_path(pod)}": failed to '
            f'connect to localhost:{port} inside namespace "{sandbox}", IPv4: dial tcp4 '
            f"127.0.0.1:{port}: {refused} IPv6 dial tcp6 [::1]:{port}: {refused} "
        )
    return f"error forwarding port {port} to pod {sandbox}, uid : {reason}"


@dataclass(frozen=True)
class Request:
    """One HTTP request read from the connection."""

    method: str
    path: str
    version: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def keep_alive(self) -> bool:
        """Whether the client wants the connection kept (HTTP/1.1 unless `close`; 1.0 only
        when it asks)."""
        connection = self.header("Connection").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


def parse_request(head: bytes) -> Request | None:
    """The request line and headers (up to the blank line), None if they are not HTTP."""
    try:
        text = head.decode("iso-8859-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte
        return None
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return None
    headers = []
    for line in lines[1:]:
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon:
            return None
        headers.append((name.strip(), value.strip()))
    method, target, version = parts
    path = target
    if "://" in target:  # absolute form: keep the path
        path = "/" + target.split("://", 1)[1].partition("/")[2]
    return Request(method, path, version, tuple(headers))


def encode_response(response: HttpResponse, keep_alive: bool, method: str = "GET") -> bytes:
    """The response as the server writes it: status line, headers, blank line, body (in
    chunks when the server says so); a server that is no HTTP server writes what it writes."""
    body = response.body.encode("utf-8", "surrogateescape")
    if response.status == 0:
        return body + b"\r\n"
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    for name, value in response.headers:
        if name.lower() == "connection":
            value = "keep-alive" if keep_alive else "close"
        lines.append(f"{name}: {value}")
    head = "\r\n".join(lines) + "\r\n\r\n"
    chunked = any(n.lower() == "transfer-encoding" and v == "chunked" for n, v in response.headers)
    if chunked and method != "HEAD":
        body = (f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    return head.encode("iso-8859-1") + body
