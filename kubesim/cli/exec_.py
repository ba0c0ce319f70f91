"""kubectl exec: run a command in a pod's simulated container (never on this machine)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kubesim.api.errors import CommandExit, UsageError
from kubesim.cli import options
from kubesim.cli.terminal import tty_for


def exec_(
    ctx: typer.Context,
    args: Annotated[list[str] | None, typer.Argument(metavar="POD -- COMMAND [args...]")] = None,
    namespace: options.Namespace = None,
    container: Annotated[
        str | None, typer.Option("--container", "-c", help="Container name.")
    ] = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", "-i", help="Pass stdin to the container.")
    ] = False,
    tty: Annotated[bool, typer.Option("--tty", "-t", help="Stdin is a TTY.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only print output from the remote session.")
    ] = False,
) -> None:
    """Execute a command in a container.

    Example: kubesim exec web-0 -- sh -c 'hostname'
    """
    from kubesim.cli import attach as runtime

    argv_seen: list[str] = (ctx.obj or {}).get("argv", [])
    words = list(args or [])
    if not words:
        raise UsageError("pod, type/name or --filename must be specified")
    dash = "--" in argv_seen
    if len(words) > 1 and not dash:
        raise UsageError(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n"
            "See 'kubesim exec -h' for help and examples"
        )
    pod_name, command = pod_for(words[0], options.resolve_namespace(namespace)), words[1:]
    if not command:
        raise UsageError("you must specify at least one command for the container")
    session = runtime.ExecSession.open_quietly(
        pod_name, options.resolve_namespace(namespace), container, quiet=quiet
    )
    # as kubectl's SetupTTY, once the container is chosen: -t without -i has no TTY, silently
    code = session.run(command, stdin=stdin, tty=tty_for(tty, stdin, quiet))
    if code != 0:
        raise CommandExit(f"command terminated with exit code {code}", code)


def pod_for(reference: str, namespace: str) -> str:
    """The pod `exec` enters: NAME or pod/NAME, or for TYPE/NAME of a workload its first pod
    (kubectl's AttachablePodForObject: scheduled, running, ready and older pods first)."""
    type_, slash, name = reference.partition("/")
    if not slash:
        return reference
    from kubesim.api import kinds, meta, selectors
    from kubesim.engine import session

    kind = kinds.resolve(type_)
    if kind.kind == "Pod":
        return name
    from kubesim.kubectl.polymorphic import selector_for_object

    server = session.reading()
    owner = server.get(kind, namespace, name)
    selector = selectors.from_label_selector(
        selector_for_object(owner, kind.kind, kind.version, "attach to")
    )
    pods = [p for p in server.list(kinds.resolve("pods"), namespace)
            if selector.matches(meta.labels_of(p))]  # fmt: skip
    if not pods:
        raise UsageError(f"cannot attach to {kind.qualified_kind}/{name}: no pods found")

    def rank(pod: Any) -> tuple[Any, ...]:
        status = pod.get("status") or {}
        conditions = status.get("conditions") or []
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
        unscheduled, not_running = not pod["spec"].get("nodeName"), status.get("phase") != "Running"
        m = pod["metadata"]
        return (unscheduled, not_running, not ready, m["creationTimestamp"], m["name"])

    return str(sorted(pods, key=rank)[0]["metadata"]["name"])


def register(app: typer.Typer) -> None:
    app.command("exec")(exec_)
