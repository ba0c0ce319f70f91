"""The HTTP door: the simulated cluster as the Kubernetes API v1.32, on loopback, for the real
kubectl, client-go programs (k9s, helm) and client libraries (the `kubernetes` Python client).

Everything here is protocol: routes, discovery, OpenAPI documents, Tables, watch streams,
WebSocket and SPDY streams, Status errors. What is answered comes from the layers below, the
same ones `kubesim`'s own commands use: the apiserver's read and write paths (kubesim.api),
the printers' columns, the store's change log, the engine's clock and streaming sessions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kubesim.store import Store

TICK_SECONDS = 0.5  # how often the server moves an auto clock along when nobody asks


def start(
    host: str,
    port: int,
    store: Store,
    *,
    prefix: str = "",
    accept: Callable[[str, str, str], bool] | None = None,
    verbose: bool = False,
) -> Server:
    """Listen on host:port (OSError if the address is taken) and serve in background threads."""
    from kubesim.serve.app import make_app
    from kubesim.serve.http import HttpServer

    app = make_app(store, verbose=verbose)
    if prefix or accept is not None:
        app = _filtered(app, prefix, accept)
    http = HttpServer((host, port), app, verbose=verbose)
    server = Server(http, store)
    server.start()
    return server


def _filtered(
    app: Callable[..., None], prefix: str, accept: Callable[[str, str, str], bool] | None
) -> Callable[..., None]:
    """kubectl proxy's handler: the API under --api-prefix, behind its path filter."""

    def filtered(request: object, reply: object) -> None:
        from kubesim.serve.http import Reply, Request
        from kubesim.serve.status import not_found

        assert isinstance(request, Request) and isinstance(reply, Reply)
        host = _host(request.header("Host"))
        if accept is not None and not accept(request.method, request.path, host):
            reply.text(403, "Forbidden\n")
            return
        if prefix and prefix != "/":
            if not request.path.startswith(prefix):
                reply.json(404, not_found())
                return
            request.path = "/" + request.path[len(prefix) :].lstrip("/")
        app(request, reply)

    return filtered


def _host(header: str) -> str:
    """extractHost: the Host header without its port."""
    if header.startswith("["):
        return header.partition("]")[0] + "]"
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Server:
    """A running server: its listener, the thread serving it, the clock's ticker."""

    def __init__(self, http: object, store: Store) -> None:
        from kubesim.serve.http import HttpServer

        assert isinstance(http, HttpServer)
        self.http = http
        self.store = store
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self.http.server_address[1])

    def start(self) -> None:
        for target in (self._serve, self._tick, self._warm):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self.threads.append(thread)

    def _serve(self) -> None:
        self.http.serve_forever(poll_interval=0.2)

    def _tick(self) -> None:
        """In auto mode, time moves while the server runs, even when no request comes (a
        `kubectl get -w` must see pods come up)."""
        from kubesim.engine import session

        while not self.stopping.wait(TICK_SECONDS):
            try:
                session.reading(self.store).close()
            except Exception:  # noqa: BLE001 - a failed catch-up is retried on the next tick
                time.sleep(TICK_SECONDS)

    def _warm(self) -> None:
        """Build the OpenAPI documents before kubectl first asks for them."""
        from kubesim.serve import openapi

        try:
            openapi.index()
        except Exception:  # noqa: BLE001 - built on first request instead
            pass

    def stop(self) -> None:
        self.stopping.set()
        self.http.shutdown()
        self.http.server_close()
