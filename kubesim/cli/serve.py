"""kubesim serve: the simulated cluster as a real Kubernetes API on this machine, for kubectl,
k9s, helm and client libraries; and kubesim proxy, as kubectl proxy puts the API on a local
port without credentials."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kubesim.api.errors import UsageError

DEFAULT_PORT = 6443  # kube-apiserver's secure port, as kind's control plane listens on it
KUBECONFIG_FILE = "serve.kubeconfig"
REJECT_PATHS = (r"^/api/.*/pods/.*/exec", r"^/api/.*/pods/.*/attach")  # kubectl proxy's
ACCEPT_HOSTS = (r"^localhost$", r"^127\.0\.0\.1$", r"^\[::1\]$")


def serve(
    port: Annotated[
        int, typer.Option("--port", "-p", help="The port to serve the API on (127.0.0.1).")
    ] = DEFAULT_PORT,
    merge_kubeconfig: Annotated[
        bool,
        typer.Option(
            "--merge-kubeconfig",
            help="Also add the kind-kubesim context to ~/.kube/config (others are kept) and "
            "make it current, as kind does.",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", help="Log each request on stderr.")] = False,
) -> None:
    """Serve the simulated cluster as the Kubernetes API, for kubectl, k9s and client libraries.

    The API is served over plain HTTP on 127.0.0.1 until Ctrl-C; a kubeconfig with the
    context kind-kubesim is written beside the cluster. Writes from kubectl and from kubesim's
    own commands land in the same cluster.
    Example: kubesim serve --port 6443
    """
    from kubesim.cli import kubeconfig as files
    from kubesim.engine import session
    from kubesim.kubectl import kubeconfig

    store = session.open_store()
    with session.writing(store):
        pass  # the cluster exists (and its time is caught up) before the first request
    server = _listen("127.0.0.1", port, store, verbose=verbose)
    url = f"http://127.0.0.1:{server.port}"
    config_path = session.home() / KUBECONFIG_FILE
    files.save(kubeconfig.served_config(url, _namespace()), config_path)
    out = sys.stdout
    out.write(f'Serving the cluster "kubesim" at {url} (press Ctrl-C to stop)\n')
    out.write("To use it with kubectl, k9s or a client library:\n\n")
    out.write(f"  export KUBECONFIG={config_path}\n")
    out.write("  kubectl cluster-info --context kind-kubesim\n")
    if merge_kubeconfig:
        target = Path("~/.kube/config").expanduser()
        existing = files.read(target) if target.exists() else kubeconfig.empty()
        files.save(kubeconfig.merged(existing, kubeconfig.served_config(url)), target)
        out.write(f'\nSet kubectl context to "kind-kubesim" in {target}\n')
    out.flush()
    _run(server)


def proxy(
    port: Annotated[
        int, typer.Option("--port", "-p", help="The port on which to run the proxy (0: random).")
    ] = 8001,
    address: Annotated[
        str, typer.Option("--address", help="The IP address on which to serve.")
    ] = "127.0.0.1",
    api_prefix: Annotated[
        str, typer.Option("--api-prefix", help="Prefix to serve the proxied API under.")
    ] = "/",
    accept_hosts: Annotated[
        str, typer.Option("--accept-hosts", help="Regular expression for hosts to accept.")
    ] = ",".join(ACCEPT_HOSTS),
    reject_paths: Annotated[
        str, typer.Option("--reject-paths", help="Regular expression for paths to reject.")
    ] = ",".join(REJECT_PATHS),
    disable_filter: Annotated[
        bool, typer.Option("--disable-filter", help="Accept every request (dangerous).")
    ] = False,
) -> None:
    """Run a proxy to the Kubernetes API server.

    Example: kubesim proxy --port=8001
    """
    import re

    from kubesim.engine import session

    try:
        hosts = [re.compile(p) for p in accept_hosts.split(",")]
        rejected = [re.compile(p) for p in reject_paths.split(",") if p]
    except re.error as err:
        raise UsageError(f"error parsing regexp: {err}") from None

    def accept(method: str, path: str, host: str) -> bool:
        if disable_filter:
            return True
        if any(r.search(path) for r in rejected):
            return False
        return any(r.search(host) for r in hosts)

    store = session.open_store()
    with session.writing(store):
        pass
    prefix = "/" + api_prefix.strip("/") if api_prefix.strip("/") else "/"
    server = _listen(address, port, store, prefix=prefix, accept=accept)
    sys.stdout.write(f"Starting to serve on {address}:{server.port}\n")
    sys.stdout.flush()
    _run(server)


def _namespace() -> str:
    """The namespace kubesim's own context uses, for the served context too."""
    from kubesim.cli import kubeconfig as files

    current = files.path()
    if not current.exists():
        return ""
    from kubesim.kubectl.kubeconfig import context_namespace

    found = context_namespace(files.read(current))
    return "" if found == "default" else found


def _listen(host: str, port: int, store: Any, **options: Any) -> Any:
    from kubesim import serve as door
    from kubesim.serve.http import listen_error

    if not 0 <= port <= 65535:
        raise UsageError(f"listen tcp {host}:{port}: address {port}: invalid port")
    try:
        return door.start(host, port, store, **options)
    except OSError as err:
        raise UsageError(listen_error(host, port, err)) from None


def _run(server: object) -> None:
    """Serve until Ctrl-C (or SIGTERM), then stop listening and return. SIGINT is taken back
    even when the shell started the server with it ignored (a background job), as Go's
    signal.Notify does for kubectl proxy."""
    import signal
    import threading

    from kubesim.serve import Server

    assert isinstance(server, Server)
    done = threading.Event()

    def stop(signum: int, frame: object) -> None:
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    server.stop()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("proxy")(proxy)
