"""kubesim why: a kubesim-only command that says what a controller is waiting for."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import UsageError
from kubesim.cli import options


def why(
    args: Annotated[list[str] | None, typer.Argument(metavar="TYPE/NAME | TYPE NAME")] = None,
    namespace: options.Namespace = None,
) -> None:
    """Explain what a StatefulSet or a pod is waiting for (kubectl has no such command).

    Example: kubesim why sts/web
    """
    from kubesim.cli.resources import fetch, parse_targets
    from kubesim.controllers.scheduler_cache import PODS_SECTION
    from kubesim.engine import session
    from kubesim.printers import why as explain

    targets = parse_targets(list(args or []), "why")
    server = session.reading()
    ns = options.resolve_namespace(namespace)
    events = server.state.list("events", ns)
    nodes = {n["metadata"]["name"] for n in server.state.list("nodes")}
    for target in targets:
        if target.kind.kind not in ("StatefulSet", "Pod"):
            raise UsageError(
                f"kubesim why explains statefulsets and pods, not {target.kind.plural}"
            )
        objects, missing = fetch(server, target, ns)
        if missing:
            raise missing[0]
        for obj in objects:
            if target.kind.kind == "StatefulSet":
                key = f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"
                waiting = str(server.state.peek_section("explain").get(key, ""))
                uid = obj["metadata"]["uid"]
                pods = [
                    p
                    for p in server.state.list("pods", ns)
                    if any(r.get("uid") == uid for r in p["metadata"].get("ownerReferences") or [])
                ]
                sys.stdout.write(explain.statefulset(obj, waiting, pods, events, server.now, nodes))
            else:
                claims = [
                    c
                    for v in obj["spec"].get("volumes") or []
                    if (name := (v.get("persistentVolumeClaim") or {}).get("claimName"))
                    and (c := server.state.get("persistentvolumeclaims", ns, name)) is not None
                ]
                node = server.state.get("nodes", None, obj["spec"].get("nodeName") or "")
                key = f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"
                record = server.state.peek_section(PODS_SECTION).get(key)
                sys.stdout.write(
                    explain.pod(obj, claims, events, server.now, nodes, _unknown_images(obj),
                                _killed_at_cap(obj, node), record)
                )  # fmt: skip


def _unknown_images(pod: dict[str, object]) -> list[tuple[str, str, bool]]:
    """(container, image, has a command) for the pod's containers whose image kubesim's
    catalogue lacks."""
    from kubesim.sandbox.images import personality

    spec = pod.get("spec") or {}
    containers = spec.get("containers") if isinstance(spec, dict) else None
    return [
        (str(c.get("name")), str(c.get("image")), bool(c.get("command") or c.get("args")))
        for c in containers or []
        if isinstance(c, dict) and not personality(str(c.get("image", ""))).known
    ]


def _killed_at_cap(pod: dict[str, Any], node: dict[str, Any] | None) -> list[tuple[str, int]]:
    """The pod's containers last OOMKilled where kubesim's own cap on a container's data was
    below what the container may use (its limit, else its node's memory)."""
    from kubesim.sandbox.limits import MEMORY_CAP, memory_limit
    from kubesim.sandbox.view import node_memory_of

    specs = {c.get("name"): c for c in (pod.get("spec") or {}).get("containers") or []}
    capped = []
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        ended = (status.get("state") or {}).get("terminated") or (
            (status.get("lastState") or {}).get("terminated") or {}
        )
        spec = specs.get(status.get("name"))
        if ended.get("reason") != "OOMKilled" or spec is None:
            continue
        allowed = memory_limit(spec, node_memory_of(node), capped=False)
        if allowed > MEMORY_CAP:
            capped.append((str(status.get("name")), MEMORY_CAP))
    return capped


def register(app: typer.Typer) -> None:
    app.command("why")(why)
