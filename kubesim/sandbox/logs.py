"""A container's log as the runtime writes it and the kubelet reads it back.

containerd reads each of the container's streams a line at a time and writes one CRI log line
per complete line, stamped when its newline arrived (`2016-10-06T00:17:09.669794202Z stdout F
text`); what is left without a newline when the stream closes is written as a partial line
(tag P). The kubelet's ReadLogs (pkg/kubelet/kuberuntime/logs/logs.go) then serves
`kubectl logs`: it starts `tailLines` lines from the end, skips lines older than `since`,
puts each line's time first with `timestamps` (RFC3339NanoFixed) and stops after
`limitBytes` bytes, cutting the last line.

The process's writes are kept as [time, stream, text] entries (kubesim.sandbox.process).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LogLine:
    """One CRI log line: when it was written, its stream, its text (with its newline unless
    `partial`)."""

    time: float
    stream: str
    text: str
    partial: bool = False


@dataclass(frozen=True)
class LogOptions:
    """The kubelet's LogOptions (NewLogOptions): -1 for no tail or byte limit, `since` as a
    time (0: from the start)."""

    tail: int = -1
    limit_bytes: int = -1
    since: float = 0.0
    timestamps: bool = False


def cri_lines(
    entries: Iterable[Sequence[Any]], now: float, closed_at: float | None = None
) -> list[LogLine]:
    """The log file's lines for the writes made by `now`; `closed_at` is when the streams
    closed (the process ended), which flushes an unfinished line as a partial one."""
    lines: list[LogLine] = []
    pending: dict[str, tuple[float, str]] = {}  # stream -> (last write, text without newline)
    for t, stream, text in entries:
        if t > now:
            break
        held = pending.pop(stream, (t, ""))[1] + text
        *complete, rest = held.split("\n")
        for line in complete:
            lines.append(LogLine(t, stream, line + "\n"))
        if rest:
            pending[stream] = (t, rest)
    if closed_at is not None and closed_at <= now:
        # containerd tags what it read at EOF without a newline as partial (redirectLogs)
        for stream, (t, rest) in sorted(pending.items(), key=lambda item: item[1][0]):
            lines.append(LogLine(max(t, closed_at), stream, rest, partial=True))
    return lines


def start_index(lines: Sequence[LogLine], tail: int) -> int:
    """Where reading starts: `tail` lines from the end (FindTailLineStartIndex), else 0."""
    if tail < 0:
        return 0
    return max(len(lines) - tail, 0)


def read_logs(lines: Sequence[LogLine], options: LogOptions) -> str:
    """What ReadLogs writes for these lines (the whole file, not following it)."""
    return render(lines[start_index(lines, options.tail) :], options)


def render(lines: Iterable[LogLine], options: LogOptions) -> str:
    """The lines from the read position on, as the kubelet's logWriter writes them."""
    remain = options.limit_bytes if options.limit_bytes >= 0 else -1
    out: list[str] = []
    for line in lines:
        if line.time < options.since:
            continue  # older than since: skipped
        text = f"{timestamp(line.time)} {line.text}" if options.timestamps else line.text
        if remain >= 0:
            data = text.encode()
            if len(data) >= remain:
                out.append(data[:remain].decode(errors="ignore"))
                break
            remain -= len(data)
        out.append(text)
    return "".join(out)


def timestamp(t: float) -> str:
    """RFC3339NanoFixed in UTC: `2024-01-01T00:00:05.000000000Z`."""
    import time

    whole = int(t)
    nanos = int(round((t - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{nanos:09d}Z"


# --- which log a request reads (the kubelet's GetContainerLogs) ----------------------------------


def container_lines(
    pod: dict[str, Any], container: str, record: dict[str, Any], previous: bool, now: float
) -> list[LogLine]:
    """The log lines of the container's current (or previous) instance as of `now`, or the
    kubelet's BadRequest when it has none to read."""
    from kubesim.api.errors import BadRequest

    name = pod["metadata"]["name"]
    status = _status_of(pod, container)
    if previous:
        if record.get("previous") is None:  # no earlier instance (an empty log is still one)
            raise BadRequest(
                f'previous terminated container "{container}" in pod "{name}" not found'
            )
        ended = ((status or {}).get("lastState") or {}).get("terminated") or {}
        entries = list(record["previous"])
        return cri_lines(entries, now, _closed(ended, entries, now))
    if not pod["spec"].get("nodeName"):
        return []  # LogLocation: a pod not yet on a node has an empty log
    problem = log_status_problem(status, container, name)
    if problem:
        raise BadRequest(problem)
    ended = ((status or {}).get("state") or {}).get("terminated")
    entries = list(record.get("current") or [])
    return cri_lines(entries, now, _closed(ended, entries, now) if ended is not None else None)


def _closed(terminated: dict[str, Any], entries: list[Any], now: float) -> float:
    """When an ended instance's streams closed: its finishedAt, else its last write."""
    from kubesim.api.meta import parse_time

    finished = terminated.get("finishedAt")
    if finished:
        return parse_time(str(finished))
    written = [float(e[0]) for e in entries if e[0] <= now]
    return max(written, default=now)


def _status_of(pod: dict[str, Any], container: str) -> dict[str, Any] | None:
    status = pod.get("status") or {}
    for group in ("initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"):
        for entry in status.get(group) or []:
            if entry.get("name") == container:
                return entry  # type: ignore[no-any-return]
    return None


def log_status_problem(status: dict[str, Any] | None, container: str, pod_name: str) -> str:
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
