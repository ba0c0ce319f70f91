"""Containers of the tutorial's pods, and helpers to run commands and sessions in them."""

from __future__ import annotations

from kubesim.sandbox import Container, Result, interactive, run
from tests.unit.network.objects import pod, tutorial_records

NOW = 1_780_000_000.0  # Thu May 28 20:26:40 UTC 2026


def container(
    image: str = "busybox:1.28",
    name: str = "web-0",
    ip: str = "10.244.1.2",
    subdomain: str | None = "nginx",
    files: dict[str, str] | None = None,
) -> Container:
    """A container of pod `name` (hostname and subdomain as a StatefulSet sets them)."""
    return Container(
        pod=pod(name, ip, subdomain=subdomain),
        name="main",
        image=image,
        hostname=name,
        domain=f"{subdomain}.default.svc.cluster.local" if subdomain else None,
        env={"HOSTNAME": name, "KUBERNETES_SERVICE_HOST": "10.96.0.1"},
        files={} if files is None else files,
        dns=tutorial_records(),
        now=NOW,
    )


def sh(target: Container, script: str) -> Result:
    """`kubectl exec POD -- sh -c SCRIPT`."""
    return run(target, ["sh", "-c", script])


def session(
    target: Container, lines: list[str], tty: bool = True, argv: list[str] | None = None
) -> tuple[str, int]:
    """What the terminal shows, and the exit status, when `lines` are typed into a shell."""
    typed = iter(lines)
    shown: list[str] = []
    status = interactive(target, lambda: next(typed, None), shown.append, tty, argv)
    return "".join(shown), status
