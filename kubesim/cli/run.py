"""kubectl run: create a pod, and with -i attach to its container until it exits."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from kubesim.api.errors import CommandExit, MissingFlag, UsageError
from kubesim.cli import options
from kubesim.cli.terminal import tty_for

Object = dict[str, Any]
RESTART_POLICIES = ("Always", "OnFailure", "Never")
# how long to wait for the pod to run: ticks in manual mode, seconds in auto mode
ATTACH_TIMEOUT = 300
_SEE_HELP = "\nSee 'kubesim run -h' for help and examples"


def run(
    args: Annotated[list[str] | None, typer.Argument(metavar="NAME [-- COMMAND] [args...]")] = None,
    image: Annotated[
        str | None, typer.Option("--image", help="The image for the container to run.")
    ] = None,
    namespace: options.Namespace = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", "-i", help="Keep stdin open on the container.")
    ] = False,
    tty: Annotated[
        bool, typer.Option("--tty", "-t", help="Allocate a TTY for the container.")
    ] = False,
    rm: Annotated[
        bool, typer.Option("--rm", help="Delete the pod after it exits (needs -i).")
    ] = False,
    restart: Annotated[
        str, typer.Option("--restart", help="Always, OnFailure or Never.")
    ] = "Always",
    command: Annotated[
        bool, typer.Option("--command", help="Use the extra arguments as the command.")
    ] = False,
    env: Annotated[
        list[str] | None, typer.Option("--env", help="Environment variables (KEY=VALUE).")
    ] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", "-l", help="Labels, comma separated k=v.")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="The port the container exposes.")
    ] = None,
    attach: Annotated[
        bool | None, typer.Option("--attach/--no-attach", help="Wait for the pod and attach.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Suppress prompt messages.")] = False,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    image_pull_policy: Annotated[
        str | None, typer.Option("--image-pull-policy", help="Always, IfNotPresent or Never.")
    ] = None,
) -> None:
    """Create and run a particular image in a pod.

    Example: kubesim run -i --tty --image busybox:1.28.4 dns-test --restart=Never --rm /bin/sh
    """
    from kubesim.api import kinds
    from kubesim.cli.visit import dry_run_suffix, print_result
    from kubesim.engine import session

    words = list(args or [])
    if not image:  # cobra checks required flags before the command runs
        raise MissingFlag("image")
    if not words:
        raise UsageError("NAME is required for run" + _SEE_HELP)
    name, extra = words[0], words[1:]
    suffix = dry_run_suffix(dry_run)
    if tty and not stdin:
        raise UsageError("-i/--stdin is required for containers with -t/--tty=true" + _SEE_HELP)
    if restart not in RESTART_POLICIES:
        raise UsageError(
            f"invalid restart policy: {restart}\nSee 'kubesim run -h' for help and examples"
        )
    attaching = stdin if attach is None else attach
    if rm and not attaching:
        raise UsageError("--rm should only be used for attached containers" + _SEE_HELP)
    if suffix and attaching:
        raise UsageError(
            "--dry-run=[server|client] can't be used with attached containers options "
            "(--attach, --stdin, or --tty)" + _SEE_HELP
        )
    pod = build_pod(
        name, image, extra, command=command, stdin=stdin, tty=tty, restart=restart,
        env=env or [], labels=labels, port=port, pull_policy=image_pull_policy,
    )  # fmt: skip
    ns = options.resolve_namespace(namespace)
    if dry_run == "client":
        print_result(kinds.resolve("pods"), pod, "created" + suffix, output)
        return
    if dry_run == "server":  # admitted and defaulted, never stored
        with session.writing(save=False) as scratch:
            created = scratch.create(pod, ns)
        print_result(kinds.resolve("pods"), created, "created" + suffix, output)
        return
    with session.writing() as server:
        created = server.create(pod, ns, field_manager="kubectl-run")
    if not attaching:
        print_result(kinds.resolve("pods"), created, "created" + suffix, output)
        return
    _attach(
        created,
        ns,
        stdin=stdin,
        tty=tty_for(tty, stdin, quiet),
        quiet=quiet,
        rm=rm,
        restart=restart,
    )


def build_pod(
    name: str,
    image: str,
    extra: list[str],
    *,
    command: bool,
    stdin: bool,
    tty: bool,
    restart: str,
    env: list[str],
    labels: str | None,
    port: int | None,
    pull_policy: str | None,
) -> Object:
    """The pod kubectl's run generator builds (label run=<name>, container named like the pod)."""
    container: Object = {"name": name, "image": image, "resources": {}}
    if extra:
        container["command" if command else "args"] = extra
    if stdin:
        container.update({"stdin": True, "stdinOnce": True})
    if tty:
        container["tty"] = True
    if env:
        container["env"] = [{"name": k, "value": v} for k, _, v in (e.partition("=") for e in env)]
    if port:
        container["ports"] = [{"containerPort": port}]
    if pull_policy:
        container["imagePullPolicy"] = pull_policy
    pod_labels = {"run": name}
    if labels:
        pod_labels = dict(kv.partition("=")[::2] for kv in labels.split(",") if kv)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        # as the typed Pod kubectl builds serializes: zero values included
        "metadata": {"creationTimestamp": None, "labels": pod_labels, "name": name},
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {},
    }


def _attach(
    pod: Object, namespace: str, *, stdin: bool, tty: bool, quiet: bool, rm: bool, restart: str
) -> None:
    from kubesim.cli import attach as runtime

    name = pod["metadata"]["name"]
    try:
        session = runtime.AttachSession.wait_running(name, namespace, timeout=ATTACH_TIMEOUT)
        if not quiet:
            sys.stderr.write("If you don't see a command prompt, try pressing enter.\n")
            sys.stderr.flush()
        code = session.run_main_process(stdin=stdin, tty=tty)
        if tty and stdin and restart == "Always" and not quiet:
            sys.stdout.write(
                f"Session ended, resume using 'kubesim attach {name} -c {name} -i -t' command "
                "when the pod is running\n"
            )
    finally:
        if rm:
            runtime.delete_pod(name, namespace)
            sys.stdout.write(f'pod "{name}" deleted\n')
    if code != 0 and restart != "Always":
        reason = "Error"
        raise CommandExit(f"pod {namespace}/{name} terminated ({reason})\n", code)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
