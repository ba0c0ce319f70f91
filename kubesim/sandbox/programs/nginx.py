"""nginx: the server the nginx images run (and its -v, -t, -s controls), the images'
/docker-entrypoint.sh, and what nginx answers: the files under the default site's root, with
its headers and error pages (ngx_http_static_module, ngx_http_special_response.c).

UNVERIFIED: nginx's start-up lines (the entrypoint's notices, then `[notice] 1#1: ...` with the
host's kernel and CPU count) depend on the node; kubesim keeps nginx's log empty.
"""

from __future__ import annotations

import posixpath
import re

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.images import personality
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, listener, serving

CONF = "/etc/nginx/nginx.conf"
LATEST = "1.27.3"
LISTEN = re.compile(r"^\s*listen\s+(?:[^\s;:]*:)?(\d+)", re.MULTILINE)


def main(proc: Proc) -> int:
    version = proc.image.nginx or LATEST
    if "-v" in proc.args or "-V" in proc.args:
        proc.err(f"nginx version: nginx/{version}\n")
        return 0
    if "-t" in proc.args or "-T" in proc.args:
        proc.err(f"nginx: the configuration file {CONF} syntax is ok\n"
                 f"nginx: configuration file {CONF} test is successful\n")  # fmt: skip
        return 0
    if "-s" in proc.args:
        return 0
    ports = listen_ports(proc)
    taken = [port for port in ports if listener(proc.container, port) is not None]
    if taken:  # the container's nginx (PID 1) already holds the port
        proc.err(
            f"nginx: [emerg] bind() to 0.0.0.0:{taken[0]} failed (98: Address already in use)\n"
        )
        return 1
    raise serving(proc, "nginx", ports)


def listen_ports(proc: Proc) -> tuple[int, ...]:
    """The ports the configuration's `listen` directives name (conf.d, then nginx.conf)."""
    ports: list[int] = []
    directory = "/etc/nginx/conf.d"
    names = fs.list_dir(proc.container, directory) if fs.is_dir(proc.container, directory) else []
    for name in names:
        if name.endswith(".conf"):
            text = fs.read(proc.container, f"{directory}/{name}") or ""
            ports += [int(p) for p in LISTEN.findall(text) if int(p) not in ports]
    text = fs.read(proc.container, CONF) or ""
    ports += [int(p) for p in LISTEN.findall(text) if int(p) not in ports]
    return tuple(ports) or (80,)


def entrypoint(proc: Proc) -> int:
    """/docker-entrypoint.sh: configures from /docker-entrypoint.d, then `exec "$@"`."""
    argv = proc.args
    if not argv:
        return 0
    ran = proc.spawn(proc.child(argv), argv) if proc.spawn else None
    if ran is None:
        proc.err(f"/docker-entrypoint.sh: 47: exec: {argv[0]}: not found\n")
        return 127
    return ran


def handler(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """nginx serving the default site's root, on every port it listens on."""
    version = personality(container.image).nginx or LATEST
    root = "/usr/share/nginx/html"
    target = fs.absolute(root, "." + path.split("?", 1)[0])
    directory = fs.is_dir(container, target)
    if directory:
        target = posixpath.join(target, "index.html")
    body = fs.read(container, target) if target.startswith(root) else None
    server = ("Server", f"nginx/{version}")
    date = ("Date", _http_date(container.now))
    # a directory without an index, and autoindex off: ngx_http_index_module says 403 (whatever
    # the modes); so does open() failing with EACCES for the worker, which is not root
    denied = target.startswith(root) and not _worker_may_open(container, target, body is not None)
    if (body is None and directory) or denied:
        page = _error_page(403, "Forbidden", version)
        return HttpResponse(403, page, "Forbidden", _error_headers(server, date, page))
    if body is None:
        page = _error_page(404, "Not Found", version)
        return HttpResponse(404, page, "Not Found", _error_headers(server, date, page))
    size = len(body.encode())
    # kubesim keeps no modification times: a file is taken as written when its container started
    modified = _started(container)
    answer = (
        server,
        date,
        ("Content-Type", "text/html"),
        ("Content-Length", str(size)),
        ("Last-Modified", _http_date(modified)),
        ("Connection", "keep-alive"),
        ("ETag", f'"{int(modified):x}-{size:x}"'),
        ("Accept-Ranges", "bytes"),
    )
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", answer)


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


PROGRAMS = {
    "nginx": Program(main, handler),
    "nginx-entrypoint": Program(entrypoint),
}
