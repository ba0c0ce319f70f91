"""kubectl attach: join the main process of a running container."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kubesim.api.errors import UsageError
from kubesim.cli import options
from kubesim.cli.terminal import tty_for


def attach(
    pod: Annotated[str, typer.Argument(metavar="(POD | TYPE/NAME)")],
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
    """Attach to a process that is already running inside an existing container.

    A container started with a shell on stdin (kubesim run -i -t ...) gets that shell again;
    any other shows its output as it is written, as `logs -f` does.
    Example: kubesim attach dns-test -c dns-test -i -t
    """
    from kubesim.cli import attach as runtime
    from kubesim.cli.exec_ import pod_for

    ns = options.resolve_namespace(namespace)
    name = pod_for(pod, ns)
    session = runtime.ExecSession.open_quietly(name, ns, container, quiet=quiet)
    spec = session.container_spec()
    if not spec.get("stdin"):
        from kubesim.cli.logs import logs

        logs([name], namespace=ns, container=session.target.container, follow=True)
        return
    if not stdin:
        raise UsageError("a container with stdin needs -i to attach to it")
    use_tty = tty_for(tty, stdin, quiet)
    if not quiet:
        sys.stderr.write("If you don't see a command prompt, try pressing enter.\n")
    runtime.AttachSession(session.target).run_main_process(stdin=True, tty=use_tty)


def register(app: typer.Typer) -> None:
    app.command("attach")(attach)
