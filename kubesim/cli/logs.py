"""kubectl logs: what a container's main process has written, as of the simulated now."""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import typer

from kubesim.api.errors import BadRequest, UsageError
from kubesim.cli import options

Object = dict[str, Any]
POLL_SECONDS = 0.5
_USAGE = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command"
)
_SEE_HELP = "\nSee 'kubesim logs -h' for help and examples"


def logs(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="(POD | TYPE/NAME) [CONTAINER]")
    ] = None,
    namespace: options.Namespace = None,
    container: Annotated[
        str | None, typer.Option("--container", "-c", help="Print the logs of this container.")
    ] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Stream the logs as they are written.")
    ] = False,
    previous: Annotated[
        bool,
        typer.Option(
            "--previous", "-p", help="The logs of the previous instance of the container."
        ),
    ] = False,
    tail: Annotated[
        int | None,
        typer.Option("--tail", help="Lines of recent log to show; -1 for all (10 a pod with -l)."),
    ] = None,
    timestamps: Annotated[
        bool, typer.Option("--timestamps", help="Prefix each line with its time.")
    ] = False,
    selector: options.Selector = None,
    prefix: Annotated[
        bool, typer.Option("--prefix", help="Prefix each line with its pod and container.")
    ] = False,
) -> None:
    """Print the logs for a container in a pod.

    Example: kubesim logs web-0
    """
    from kubesim.cli.attach import choose_container
    from kubesim.cli.exec_ import pod_for
    from kubesim.engine import session

    words = list(args or [])
    if len(words) == 1 and selector:
        raise UsageError("only a selector (-l) or a POD name is allowed" + _SEE_HELP)
    if (not words and not selector) or len(words) > 2:
        raise UsageError(_USAGE + _SEE_HELP)
    if tail is not None and tail < -1:
        raise UsageError("--tail must be greater than or equal to -1")
    if not words:
        # ToLogOptions: a selector shows the last 10 lines of each pod unless --tail is given
        _logs_of_selected(selector or "", options.resolve_namespace(namespace), container, previous,
                          10 if tail is None else tail, timestamps, prefix)  # fmt: skip
        return
    tail = -1 if tail is None else tail
    ns = options.resolve_namespace(namespace)
    name = pod_for(words[0], ns)
    from kubesim.api import kinds

    server = session.reading()
    pod = server.get(kinds.resolve("pods"), ns, name)
    chosen = choose_container(
        pod, container or (words[1] if len(words) == 2 else None), quiet=False
    )
    key = f"{pod['metadata']['uid']}/{chosen}"
    entries = _entries(server, pod, chosen, key, previous)
    shown = _select(entries, server.now, tail)
    sys.stdout.write(_render(shown, timestamps, _prefix(pod, chosen) if prefix else ""))
    if not follow or previous:
        return
    printed = len([e for e in entries if e[0] <= server.now])
    try:
        while not _ended(server, pod, chosen):
            time.sleep(POLL_SECONDS)
            server = session.reading()
            entries = _entries(server, pod, chosen, key, previous=False)
            fresh = [e for e in entries if e[0] <= server.now][printed:]
            printed += len(fresh)
            sys.stdout.write(_render(fresh, timestamps))
            sys.stdout.flush()
    except KeyboardInterrupt:
        raise typer.Exit(1) from None


def _logs_of_selected(
    selector: str,
    namespace: str,
    container: str | None,
    previous: bool,
    tail: int,
    timestamps: bool,
    prefix: bool,
) -> None:
    """`logs -l`: each selected pod's container in turn (10 lines each unless --tail says),
    stopping at the first that has none to give."""
    from kubesim.api import kinds
    from kubesim.cli.attach import choose_container
    from kubesim.cli.resources import Target, fetch
    from kubesim.engine import session

    server = session.reading()
    pods, _ = fetch(server, Target(kinds.resolve("pods")), namespace, selector=selector)
    if not pods:
        sys.stderr.write(f"No resources found in {namespace} namespace.\n")
        return
    for pod in pods:
        chosen = choose_container(pod, container, quiet=True)
        key = f"{pod['metadata']['uid']}/{chosen}"
        shown = _select(_entries(server, pod, chosen, key, previous), server.now, tail)
        sys.stdout.write(_render(shown, timestamps, _prefix(pod, chosen) if prefix else ""))


def _prefix(pod: Object, container: str) -> str:
    return f"[pod/{pod['metadata']['name']}/{container}] "


def _entries(server: Any, pod: Object, container: str, key: str, previous: bool) -> list[list[Any]]:
    record = server.state.peek_section("logs").get(key) or {}
    pod_name = pod["metadata"]["name"]
    if previous:
        if record.get("previous") is None:  # no earlier instance (an empty log is still one)
            raise BadRequest(
                f'previous terminated container "{container}" in pod "{pod_name}" not found'
            )
        return list(record["previous"])
    status = next(
        (
            s
            for s in (pod.get("status") or {}).get("containerStatuses") or []
            if s["name"] == container
        ),
        None,
    )
    if not pod["spec"].get("nodeName"):
        return []  # LogLocation: a pod not yet on a node has an empty log
    problem = _log_status_problem(status, container, pod_name)
    if problem:
        raise BadRequest(problem)
    return list(record.get("current") or [])


def _log_status_problem(status: Object | None, container: str, pod_name: str) -> str:
    """validateContainerLogStatus (kubelet_pods.go): why a container has no log to show yet."""
    where = f'container "{container}" in pod "{pod_name}"'
    if status is None:
        return f"{where} is waiting to start: ContainerCreating"  # the sandbox is being made
    state = status.get("state") or {}
    last = (status.get("lastState") or {}).get("terminated")
    if "running" in state or "terminated" in state or last is not None:
        return ""
    reason = (state.get("waiting") or {}).get("reason")
    if reason is None:
        return f"{where} is waiting to start - no logs yet"
    shown = {
        "ErrImagePull": "image can't be pulled",
        "ImagePullBackOff": "trying and failing to pull image",
    }.get(reason, reason)
    return f"{where} is waiting to start: {shown}"


def _select(entries: list[list[Any]], now: float, tail: int) -> list[list[Any]]:
    written = [e for e in entries if e[0] <= now]
    if tail >= 0:
        lines = _lines(written)
        return lines[len(lines) - tail :] if tail else []
    return written


def _lines(entries: list[list[Any]]) -> list[list[Any]]:
    """One entry per line (a write may hold several lines, or part of one)."""
    lines: list[list[Any]] = []
    for t, stream, text in entries:
        for line in text.splitlines(keepends=True):
            lines.append([t, stream, line])
    return lines


def _render(entries: list[list[Any]], timestamps: bool, prefix: str = "") -> str:
    """The lines as written; --timestamps puts each one's RFC3339Nano time first, --prefix
    its source before that."""
    if not timestamps and not prefix:
        return "".join(text for _, _, text in entries)
    from kubesim.api.meta import format_time

    out = []
    for t, _, line in _lines(entries):
        stamp = format_time(t).replace("Z", f".{int((t % 1) * 1e9):09d}Z") + " "
        out.append(f"{prefix}{stamp if timestamps else ''}{line}")
    return "".join(out)


def _ended(server: Any, pod: Object, container: str) -> bool:
    from kubesim.api import kinds

    current = server.find(
        kinds.resolve("pods"), pod["metadata"]["namespace"], pod["metadata"]["name"]
    )
    if current is None or current["metadata"]["uid"] != pod["metadata"]["uid"]:
        return True
    for status in (current.get("status") or {}).get("containerStatuses") or []:
        if status["name"] == container:
            return "terminated" in (status.get("state") or {})
    return True


def register(app: typer.Typer) -> None:
    app.command("logs")(logs)
