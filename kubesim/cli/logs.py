"""kubectl logs: what a container's main process has written, as of the simulated now.

The steps are kubectl's (cmd/logs/logs.go): Complete (the arguments, --since-time, the object),
Validate (the flags together), then one log request per pod and container, read in turn, or
side by side when following several. Each request is answered as the kubelet answers it
(kubesim.sandbox.logs).
"""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import typer

from kubesim.api.errors import UsageError
from kubesim.cli import options
from kubesim.engine.streaming import LogRequest, LogStream

Object = dict[str, Any]
POLL_SECONDS = 0.5
_USAGE = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command"
)
_SEE_HELP = "\nSee 'kubesim logs -h' for help and examples"
_SELECTOR_TAIL = 10  # ToLogOptions: a selector shows the last 10 lines unless --tail is given


def logs(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="(POD | TYPE/NAME) [CONTAINER]")
    ] = None,
    namespace: options.Namespace = None,
    container: Annotated[
        str | None, typer.Option("--container", "-c", help="Print the logs of this container.")
    ] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Specify if the logs should be streamed.")
    ] = False,
    previous: Annotated[
        bool,
        typer.Option(
            "--previous",
            "-p",
            help="Print the logs for the previous instance of the container, if it exists.",
        ),
    ] = False,
    tail: Annotated[
        int | None,
        typer.Option("--tail", help="Lines of recent log to show; -1 for all (10 with -l)."),
    ] = None,
    timestamps: Annotated[
        bool, typer.Option("--timestamps", help="Include timestamps on each line.")
    ] = False,
    selector: options.Selector = None,
    prefix: Annotated[
        bool, typer.Option("--prefix", help="Prefix each line with its pod and container.")
    ] = False,
    all_containers: Annotated[
        bool, typer.Option("--all-containers", help="Get all containers' logs in the pod(s).")
    ] = False,
    all_pods: Annotated[
        bool, typer.Option("--all-pods", help="Get logs from all pod(s). Sets prefix to true.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only logs newer than a relative duration like 5s, 2m."),
    ] = None,
    since_time: Annotated[
        str, typer.Option("--since-time", help="Only logs after a date (RFC3339).")
    ] = "",
    limit_bytes: Annotated[
        int, typer.Option("--limit-bytes", help="Maximum bytes of logs to return.")
    ] = 0,
    ignore_errors: Annotated[
        bool, typer.Option("--ignore-errors", help="Print errors of one stream and go on.")
    ] = False,
    max_log_requests: Annotated[
        int, typer.Option("--max-log-requests", help="Maximum number of logs to follow at once.")
    ] = 5,
    pod_running_timeout: Annotated[
        str,
        typer.Option("--pod-running-timeout", help="How long to wait for a workload's pod."),
    ] = "20s",
    insecure_skip_tls_verify_backend: Annotated[
        bool,
        typer.Option(
            "--insecure-skip-tls-verify-backend", help="Accepted; kubesim's kubelet has no TLS."
        ),
    ] = False,
) -> None:
    """Print the logs for a container in a pod or specified resource.

    Example: kubesim logs web-0 --timestamps --since=1h
    """
    from kubesim.kubectl import logs as kubectl_logs

    duration = options.duration_flag(since, "since", "logs") if since is not None else None
    timeout = options.duration_flag(pod_running_timeout, "pod-running-timeout", "logs")
    words = list(args or [])
    if (not words and not selector) or len(words) > 2:
        raise UsageError(_USAGE + _SEE_HELP)
    if len(words) == 1 and selector:
        raise UsageError("only a selector (-l) or a POD name is allowed" + _SEE_HELP)
    named = words[1] if len(words) == 2 else (container or "")
    if timeout <= 0:
        raise UsageError("--pod-running-timeout must be higher than zero")
    since_at = _since_time(since_time)
    tail_lines = _tail_lines(tail, selector)
    ns = options.resolve_namespace(namespace)
    target = _target(words[0] if words else None, selector, ns)
    kubectl_logs.validate(
        kubectl_logs.Flags(
            since=kubectl_logs.since_seconds(duration) if duration else None,
            since_time=since_time,
            container=named,
            container_flag=container is not None,
            arguments=len(words),
            all_containers=all_containers,
            limit_bytes=limit_bytes,
            tail=tail_lines,
        )
    )
    request = LogRequest(
        tail=-1 if tail_lines is None else tail_lines,
        since_seconds=kubectl_logs.since_seconds(duration) if duration else None,
        since_time=since_at,
        limit_bytes=limit_bytes or -1,
        timestamps=timestamps,
        previous=previous,
        prefix=prefix or all_pods,
    )
    streams = _streams(target, ns, named, all_containers, all_pods, timeout)
    if follow and len(streams) > 1:
        if len(streams) > max_log_requests:
            raise UsageError(
                f"you are attempting to follow {len(streams)} log streams, but maximum allowed "
                f"concurrency is {max_log_requests}, use --max-log-requests to increase the limit"
            )
    _consume(streams, request, follow=follow, ignore_errors=ignore_errors)


def _since_time(text: str) -> float | None:
    """--since-time as util.ParseRFC3339 reads it; the request carries it to the second."""
    if not text:
        return None
    from kubesim.api.gotime import TimeParseError, parse_rfc3339

    try:
        return float(int(parse_rfc3339(text)))  # metav1.Time goes out as RFC3339, no fraction
    except TimeParseError as err:
        raise UsageError(str(err)) from None


def _tail_lines(tail: int | None, selector: str | None) -> int | None:
    """ToLogOptions' tailLines: 10 for a selector unless --tail is given, none for -1."""
    if tail is None:
        return _SELECTOR_TAIL if selector else None
    return None if tail == -1 else tail


def _target(reference: str | None, selector: str | None, namespace: str) -> Any:
    """The pod, the pods a selector picks, or the workload the argument names."""
    from kubesim.api import kinds
    from kubesim.api.errors import NotFound
    from kubesim.engine import session

    server = session.reading()
    if reference is None:
        from kubesim.cli.resources import Target, fetch

        pods, _ = fetch(server, Target(kinds.resolve("pods")), namespace, selector=selector)
        if not pods:
            sys.stderr.write(f"No resources found in {namespace} namespace.\n")
        return pods
    type_, slash, name = reference.partition("/")
    kind = kinds.resolve(type_) if slash else kinds.resolve("pods")
    try:
        return server.get(kind, namespace, name if slash else reference)
    except NotFound as err:
        # kubectl 1.32 wraps the builder's NotFound (logs.go Complete)
        raise UsageError(
            f'error from server (NotFound): {err.message} in namespace "{namespace}"'
        ) from None


def _streams(
    target: Any,
    namespace: str,
    container: str,
    all_containers: bool,
    all_pods: bool,
    timeout: float,
) -> list[Any]:
    """LogsForObject: one request per container to read, saying on stderr what it chose."""
    from kubesim.kubectl import logs as kubectl_logs

    if isinstance(target, list):
        pods = target
    elif target.get("kind") == "Pod":
        pods = [target]
    else:
        pods = _pods_of(target, namespace, all_pods, timeout)
    found = kubectl_logs.requests_for_pods(
        pods, container, all_containers=all_containers, all_pods=all_pods
    )
    for note in found.notes:
        sys.stderr.write(note + "\n")
    return found.streams


def _pods_of(workload: Object, namespace: str, all_pods: bool, timeout: float) -> list[Object]:
    """The workload's pods by ByLogging: the first (all with --all-pods), waiting for one to
    exist up to --pod-running-timeout (GetFirstPod)."""
    from kubesim.api import kinds, meta, selectors
    from kubesim.engine import session
    from kubesim.kubectl import logs as kubectl_logs

    kind = kinds.for_object(workload["apiVersion"], workload["kind"])
    assert kind is not None
    from kubesim.kubectl.polymorphic import selector_for_object

    selector = selectors.from_label_selector(
        selector_for_object(workload, kind.kind, kind.version, "get the logs from")
    )
    pods_kind = kinds.resolve("pods")

    def matching(server: Any) -> list[Object] | None:
        pods = [p for p in server.list(pods_kind, namespace) if selector.matches(meta.labels_of(p))]
        return kubectl_logs.by_logging(pods) or None

    pods = session.wait_for(matching, timeout=timeout)
    if pods is None:
        raise UsageError("timed out waiting for the condition")
    if len(pods) > 1 and not all_pods:
        sys.stderr.write(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}\n")
        return pods[:1]
    return pods


def _consume(
    requests: list[Any], options: LogRequest, *, follow: bool, ignore_errors: bool
) -> None:
    """sequentialConsumeRequest (each log in turn), or with -f the streams followed together
    until each one ends (parallelConsumeRequest)."""
    from kubesim.api.errors import KubesimError
    from kubesim.engine import session

    server = session.reading()
    streams = []
    for request in requests:
        try:
            stream = LogStream(request.pod, request.container, options, server)
            sys.stdout.write(stream.read(server))
        except KubesimError as err:
            if not ignore_errors:
                raise
            sys.stdout.write(f"error: {err.message}\n")
            continue
        streams.append(stream)
    if not follow:
        return
    sys.stdout.flush()
    try:
        while any(not (s.done or s.ended(server)) for s in streams):
            time.sleep(POLL_SECONDS)
            server = session.reading()
            for stream in streams:
                if stream.done:
                    continue
                try:
                    sys.stdout.write(stream.read(server))
                except KubesimError:
                    stream.done = True  # the container was replaced or cannot be read any more
                stream.done = stream.done or stream.ended(server)
            sys.stdout.flush()
    except KeyboardInterrupt:
        raise typer.Exit(1) from None


def register(app: typer.Typer) -> None:
    app.command("logs")(logs)
