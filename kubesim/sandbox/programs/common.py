"""What many programs share: the moment a process is at, Go's log and HTTP formats, and
exec'ing the next program of an entrypoint script."""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from typing import Any

from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.proc import Proc


def now(proc: Proc) -> float:
    """The simulated moment a process is at (its start, plus the time it has slept)."""
    clock = proc.container.clock
    return proc.container.now + (clock.elapsed if clock is not None else 0.0)


def sleep(proc: Proc, seconds: float) -> None:
    """Let simulated time pass for the process (nothing passes in an exec session)."""
    if proc.container.clock is not None:
        proc.container.clock.sleep(seconds)


def started(container: Container, port: int) -> float:
    """When the server on `port` started listening."""
    return float((container.serving or {}).get(port, {}).get("since", container.now))


def argv_of(container: Container, port: int) -> list[str]:
    """The command line of the server on `port`."""
    return [str(a) for a in (container.serving or {}).get(port, {}).get("argv") or []]


def go_log(seconds: float) -> str:
    """The prefix of Go's log package (LstdFlags): `2025/01/15 10:00:00 `."""
    return time.strftime("%Y/%m/%d %H:%M:%S ", time.gmtime(seconds))


def http_date(seconds: float) -> str:
    return formatdate(int(seconds), usegmt=True)


def go_response(
    container: Container,
    status: int,
    body: str,
    reason: str,
    method: str = "GET",
    content_type: str = "text/plain; charset=utf-8",
    extra: Headers = (),
) -> HttpResponse:
    """A response as Go's net/http writes it: the handler's headers, then Date,
    Content-Length and Content-Type (extraHeader.Write)."""
    headers = (
        *extra,
        ("Date", http_date(container.now)),
        ("Content-Length", str(len(body.encode()))),
        ("Content-Type", content_type),
    )
    return HttpResponse(status, "" if method == "HEAD" else body, reason, headers)


def go_float(value: float) -> str:
    """A float64 as Go's %v prints it (strconv 'g' with the shortest precision)."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def go_duration(seconds: float) -> str:
    """A time.Duration as its String method prints it: 1m2.5s, 10s, 500ms."""
    if seconds == 0:
        return "0s"
    if seconds < 1:
        return f"{go_float(round(seconds * 1000, 6))}ms"
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    text = f"{go_float(round(rest, 9))}s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    return f"{minutes}m{text}" if minutes else text


def go_json(value: Any) -> str:
    """encoding/json's Marshal: map keys sorted, no spaces, <, > and & escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def query(path: str) -> dict[str, str]:
    """The first value of each query parameter, decoded as Go's FormValue does."""
    from urllib.parse import parse_qsl

    found: dict[str, str] = {}
    for key, value in parse_qsl(path.partition("?")[2], keep_blank_values=True):
        found.setdefault(key, value)
    return found


def exec_next(proc: Proc, argv: list[str], script: str, line: int) -> int:
    """`exec "$@"` at the end of an entrypoint script: the program replaces the script; a
    missing one fails as dash reports it."""
    if not argv:
        return 0
    ran = proc.spawn(proc.child(argv), argv) if proc.spawn is not None else None
    if ran is None:
        proc.err(f"{script}: {line}: exec: {argv[0]}: not found\n")
        return 127
    return ran


def has_program(proc: Proc, name: str) -> bool:
    """`command -v NAME` in the image."""
    from kubesim.sandbox import fs

    if "/" in name:
        return fs.is_executable(proc.container, fs.absolute(proc.state.cwd, name))
    return proc.image.has(name)
