"""kubectl version and kubectl cluster-info (pkg/cmd/version, pkg/cmd/clusterinfo): what a new
user types first. kubesim answers as kubectl v1.32.2 talking to a kind cluster of v1.32.2."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import UsageError

KUSTOMIZE_VERSION = "v5.5.0"  # the kustomize kubectl 1.32 embeds


def _build_info(platform: str) -> dict[str, str]:
    from kubesim.api.version import build_info

    return build_info(platform)


def _client_platform() -> str:
    """GOOS/GOARCH of this machine, as kubectl reports the platform it was built for."""
    import platform

    system = {"darwin": "darwin", "windows": "windows"}.get(platform.system().lower(), "linux")
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine
    )
    return f"{system}/{arch}"


def version(
    client: Annotated[
        bool, typer.Option("--client", help="If true, shows client version only (no server).")
    ] = False,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="One of 'yaml' or 'json'.")
    ] = None,
) -> None:
    """Print the client and server version information.

    Example: kubesim version
    """
    if output not in (None, "", "yaml", "json"):
        raise UsageError("--output must be 'yaml' or 'json'")
    info: dict[str, Any] = {"clientVersion": _build_info(_client_platform())}
    info["kustomizeVersion"] = KUSTOMIZE_VERSION
    if not client:
        info["serverVersion"] = _build_info("linux/amd64")
    if output == "json":  # json.MarshalIndent keeps version.Info's field order
        import json

        order = ("major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate",
                 "goVersion", "compiler", "platform")  # fmt: skip
        shown = {
            key: {k: value[k] for k in order} if isinstance(value, dict) else value
            for key, value in info.items()
        }
        sys.stdout.write(json.dumps(shown, indent=2) + "\n")
        return
    if output == "yaml":
        from kubesim.printers import structured

        sys.stdout.write(structured.to_yaml(info))
        return
    sys.stdout.write(f"Client Version: {info['clientVersion']['gitVersion']}\n")
    sys.stdout.write(f"Kustomize Version: {KUSTOMIZE_VERSION}\n")
    if not client:
        sys.stdout.write(f"Server Version: {info['serverVersion']['gitVersion']}\n")


def cluster_info() -> None:
    """Display addresses of the control plane and of the services labelled
    kubernetes.io/cluster-service=true.

    Example: kubesim cluster-info
    """
    from kubesim.cli.kubeconfig import api_server_url, cluster_seed
    from kubesim.engine import session

    server = session.reading()
    base = api_server_url(cluster_seed(server))
    lines = [_running("Kubernetes control plane", base)]
    for svc in server.state.list("services", "kube-system"):
        labels = svc["metadata"].get("labels") or {}
        if labels.get("kubernetes.io/cluster-service") != "true":
            continue
        name = labels.get("kubernetes.io/name") or svc["metadata"]["name"]
        ports = svc["spec"].get("ports") or []
        port = f":{ports[0]['name']}" if ports and ports[0].get("name") else ""
        link = (
            f"{base}/api/v1/namespaces/kube-system/services/{svc['metadata']['name']}{port}/proxy"
        )
        lines.append(_running(name, link))
    sys.stdout.write("".join(lines))
    sys.stdout.write(
        "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )


def _running(name: str, link: str) -> str:
    """printService: the name in green and the link in yellow, on a terminal."""
    if sys.stdout.isatty():
        return f"\x1b[0;32m{name}\x1b[0m is running at \x1b[0;33m{link}\x1b[0m\n"
    return f"{name} is running at {link}\n"


def register(app: typer.Typer) -> None:
    app.command("version")(version)
    app.command("cluster-info")(cluster_info)
