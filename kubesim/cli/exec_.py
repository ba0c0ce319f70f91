"""kubectl exec: run a command in a pod's simulated container (never on this machine)."""

from __future__ import annotations

import sys
from typing import Annotated

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
    pod_name, command = words[0], words[1:]
    if pod_name.startswith(("pod/", "pods/", "po/")):
        pod_name = pod_name.partition("/")[2]
    if not command:
        raise UsageError("you must specify at least one command for the container")
    use_tty = tty_for(tty, stdin, quiet)
    session = runtime.ExecSession.open(pod_name, namespace or "default", container, quiet=quiet)
    if stdin and runtime.is_shell(command) and len(command) == 1:
        code = session.interactive(command, tty=use_tty)
    else:
        data = sys.stdin.read() if stdin else ""
        code = session.run(command, data)
    if code != 0:
        raise CommandExit(f"command terminated with exit code {code}", code)


def register(app: typer.Typer) -> None:
    app.command("exec")(exec_)
