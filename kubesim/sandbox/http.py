"""HTTP inside the simulation: nginx serving its own files, and the seam to other pods.

A request to the container itself (localhost or its pod IP) is answered by the image's
server, if it runs one. Anything else goes to `container.http`, which the caller wires to
kube-proxy-like routing; without it every connection is refused.
"""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, HttpResponse
from kubesim.sandbox.images import personality

LOCAL = ("127.0.0.1", "::1", "localhost")


def serve_local(container: Container, port: int, method: str, path: str) -> HttpResponse | None:
    """What the container's own server answers on `port`, None if nothing listens there."""
    from kubesim.sandbox import daemons

    if daemons.daemon_for(container.image) is not None:
        return daemons.serve(container, port, method, path)
    image = personality(container.image)
    if image.nginx is None or port != 80:
        return None
    root = "/usr/share/nginx/html"
    target = fs.absolute(root, "." + path.split("?", 1)[0])
    directory = fs.is_dir(container, target)
    if directory:
        target = posixpath.join(target, "index.html")
    body = fs.read(container, target) if target.startswith(root) else None
    server = ("Server", f"nginx/{image.nginx}")
    date = ("Date", _http_date(container.now))
    # a directory without an index, and autoindex off: ngx_http_index_module says 403 (whatever
    # the modes); so does open() failing with EACCES for the worker, which is not root
    denied = target.startswith(root) and not _worker_may_open(container, target, body is not None)
    if (body is None and directory) or denied:
        page = _error_page(403, "Forbidden", image.nginx)
        return HttpResponse(403, page, "Forbidden", _error_headers(server, date, page))
    if body is None:
        page = _error_page(404, "Not Found", image.nginx)
        return HttpResponse(404, page, "Not Found", _error_headers(server, date, page))
    size = len(body.encode())
    # kubesim keeps no modification times: a file is taken as written when its container started
    modified = _started(container)
    headers = (
        server,
        date,
        ("Content-Type", "text/html"),
        ("Content-Length", str(size)),
        ("Last-Modified", _http_date(modified)),
        ("Connection", "keep-alive"),
        ("ETag", f'"{int(modified):x}-{size:x}"'),
        ("Accept-Ranges", "bytes"),
    )
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", headers)


def _error_headers(
    server: tuple[str, str], date: tuple[str, str], page: str
) -> tuple[tuple[str, str], ...]:
    return (
        server,
        date,
        ("Content-Type", "text/html"),
        ("Content-Length", str(len(page.encode()))),
        ("Connection", "keep-alive"),
    )


def _http_date(seconds: float) -> str:
    from email.utils import formatdate

    return formatdate(int(seconds), usegmt=True)


def _started(container: Container) -> float:
    from kubesim.api.meta import parse_time

    for status in (container.pod.get("status") or {}).get("containerStatuses") or []:
        started = ((status.get("state") or {}).get("running") or {}).get("startedAt")
        if status.get("name") == container.name and started:
            return parse_time(started)
    return container.now


def _worker_may_open(container: Container, path: str, exists: bool) -> bool:
    """Whether a process that is not root may open `path` (all files here are root's, so
    "other" bits apply): search permission on each directory above it, read on the file."""
    directory = posixpath.dirname(path)
    while True:
        if fs.is_dir(container, directory) and not fs.mode(container, directory) & 0o001:
            return False
        if directory == "/":
            break
        directory = posixpath.dirname(directory)
    return not exists or bool(fs.mode(container, path) & 0o004)


def _error_page(status: int, reason: str, version: str) -> str:
    # ngx_http_special_response.c: CRLF line ends, the server signature under a rule
    lines = [
        "<html>",
        f"<head><title>{status} {reason}</title></head>",
        "<body>",
        f"<center><h1>{status} {reason}</h1></center>",
        f"<hr><center>nginx/{version}</center>",
        "</body>",
        "</html>",
    ]
    return "\r\n".join(lines) + "\r\n"


def fetch(container: Container, ip: str, port: int, method: str, path: str) -> HttpResponse | None:
    """The response to a request from inside `container`, None if the connection is refused."""
    if ip in LOCAL or ip in container.pod_ips:
        return serve_local(container, port, method, path)
    if container.http is None:
        return None
    return container.http(ip, port, method, path)


def split_url(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http URL (scheme defaults to http), None if unusable."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    if scheme not in ("http", "https"):
        return None
    hostport, slash, path = rest.partition("/")
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if colon and not port.isdigit():
        return None
    default = 443 if scheme == "https" else 80
    return scheme, host, int(port) if colon else default, slash + path or "/"
