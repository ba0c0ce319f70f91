"""HTTP inside the simulation: the container's own servers, and the seam to other pods.

A request to the container itself (localhost or its pod IP) is answered by the server
listening on that port in it (kubesim.sandbox.programs), if one does. Anything else goes to
`container.http`, which the caller wires to kube-proxy-like routing; without it every
connection is refused.
"""

from __future__ import annotations

from kubesim.sandbox.container import Container, Headers, HttpResponse

LOCAL = ("127.0.0.1", "::1", "localhost")


def serve_local(
    container: Container, port: int, method: str, path: str, headers: Headers = ()
) -> HttpResponse | None:
    """What the container's own server answers on `port`, None if nothing listens there."""
    from kubesim.sandbox import daemons, programs

    if daemons.daemon_for(container.image) is not None:  # kind's own components
        return daemons.serve(container, port, method, path)
    return programs.serve(container, port, method, path, headers)


def fetch(
    container: Container, ip: str, port: int, method: str, path: str, headers: Headers = ()
) -> HttpResponse | None:
    """The response to a request from inside `container`, None if the connection is refused."""
    if ip in LOCAL or ip in container.pod_ips:
        return serve_local(container, port, method, path, headers)
    if container.http is None:
        return None
    if not headers:  # handlers written before requests carried headers take four arguments
        return container.http(ip, port, method, path)
    return container.http(ip, port, method, path, headers)


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
