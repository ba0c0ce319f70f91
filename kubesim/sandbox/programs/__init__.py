"""The programs of the catalogue's images: what they do when they run, and what their servers
answer.

A program is a builtin (`main(proc) -> exit status`) registered here by implementation name;
an image binds the executables on its $PATH to implementations (images.yaml `bind`, the
executable's own name otherwise). A server program does its start-up (its log lines, the
checks that may make it exit with the real message and code) and then raises
`kubesim.sandbox.proc.Serving(program, ports)`: the runtime keeps the process running and
records what listens (kubesim.sandbox.process). A connection to a listening port is answered
by the program's handler, `(container, port, method, path, headers) -> HttpResponse`, where
`container.serving[port]` is the server's record (its argv, env and `since`, the moment it
started listening); a port nothing listens on is refused.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.proc import Builtin, Proc, Serving

Handler = Callable[[Container, int, str, str, Headers], HttpResponse | None]

# the modules that register programs, imported on first use
MODULES = ("agnhost", "dnsutils", "nginx", "samples", "databases", "web", "runtimes")


@dataclass(frozen=True)
class Program:
    """A program's entry point and, for a server, the handler of its connections."""

    main: Builtin
    handler: Handler | None = None


@lru_cache(maxsize=1)
def registry() -> dict[str, Program]:
    """Every implementation, by name."""
    found: dict[str, Program] = {}
    for module in MODULES:
        found.update(importlib.import_module(f"kubesim.sandbox.programs.{module}").PROGRAMS)
    return found


def serving(proc: Proc, program: str, ports: tuple[int, ...], **state: Any) -> Serving:
    """The Serving a program raises once it is up, carrying the program's own argv (the
    container's may be a shell around it) and what its handler needs to know (`state`)."""
    signal = Serving(program, ports)
    signal.argv = list(proc.argv)  # type: ignore[attr-defined]
    signal.state = state  # type: ignore[attr-defined]
    return signal


def dispatch(proc: Proc, builtin: Builtin | None) -> int:
    """Run the program `proc.argv[0]` names in this image: the image's own implementation of
    it, else the common builtin of that name."""
    implementation = proc.image.implementation(proc.name)
    program = registry().get(implementation)
    if program is not None:
        return program.main(proc)
    if builtin is not None:
        return builtin(proc)
    # on the image's $PATH, but not simulated: say so rather than pretend
    proc.err(f"kubesim: {proc.name}: this program of {proc.image.reference} is not simulated\n")
    return 126


def serve(
    container: Container, port: int, method: str, path: str, headers: Headers = ()
) -> HttpResponse | None:
    """What the server listening on `port` in the container answers; None if nothing
    listens there (yet, or any more)."""
    record = listener(container, port)
    if record is None:
        return None
    program = registry().get(str(record.get("program", "")))
    if program is None or program.handler is None:
        return None
    return program.handler(container, port, method, path, headers)


def listener(container: Container, port: int) -> dict[str, Any] | None:
    """The record of the server listening on `port` now, None if none is."""
    serving = container.serving
    if serving is None:
        serving = default_servers(container.image)
    record = serving.get(port)
    if record is None or container.now < float(record.get("since", 0.0)):
        return None
    return record


def default_servers(image: str) -> dict[int, dict[str, Any]]:
    """What listens in a container whose main process has no runtime record (one left to an
    attach session, or started before kubesim kept records): the nginx of an nginx image on
    port 80, as kubesim has always served it."""
    from kubesim.sandbox.images import personality

    if personality(image).nginx is None:
        return {}
    return {80: {"program": "nginx", "listening": [80], "since": 0.0}}


def not_http(first_line: str) -> HttpResponse:
    """The answer of a server that does not speak HTTP to an HTTP request."""
    return HttpResponse(0, first_line, "")
