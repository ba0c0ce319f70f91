"""agnhost, Kubernetes' test image (test/images/agnhost): a cobra CLI whose subcommands the
documentation uses: pause, netexec, serve-hostname, liveness, dns-suffix, dns-server-list,
etc-hosts. Each behaves as its Go source: log lines through Go's log package on stderr, its
HTTP handlers' bodies, status codes and headers.

Not simulated: netexec's /clientip, /exit, /shutdown and /upload (a request cannot change
the process from here), the UDP and SCTP servers, and the other subcommands (they run until
stopped, and say that kubesim does not simulate them).
"""

from __future__ import annotations

from kubesim.sandbox import resolver
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, not_http, serving
from kubesim.sandbox.programs.common import (
    argv_of,
    go_duration,
    go_float,
    go_json,
    go_log,
    go_response,
    now,
    query,
    started,
)

# cobra's commands of agnhost.go (the root command is `app`)
SUBCOMMANDS = (
    "audit-proxy", "connect", "crd-conversion-webhook", "dns-server-list", "dns-suffix",
    "entrypoint-tester", "etc-hosts", "fake-gitserver", "grpc-health-checking", "guestbook",
    "inclusterclient", "liveness", "logs-generator", "mounttest", "net", "netexec", "nettest",
    "no-snat-test", "no-snat-test-proxy", "pause", "port-forward-tester", "porter",
    "resource-consumer-controller", "serve-hostname", "test-webserver", "webhook",
    "test-service-account-issuer-discovery",
)  # fmt: skip


def main(proc: Proc) -> int:
    if not proc.args:
        proc.out("Usage:\n  app [command]\n\nUse \"app [command] --help\" for more information "
                 "about a command.\n")  # fmt: skip
        return 0
    command, flags = proc.args[0], _flags(proc.args[1:])
    if command not in SUBCOMMANDS:
        _unknown_command(proc, command)
        return 0  # main ignores rootCmd.Execute()'s error
    if command == "pause":
        proc.out("Paused\n")
        raise serving(proc, "agnhost pause", ())
    if command == "netexec":
        port = int(flags.get("http-port", "8080"))
        stamp = go_log(now(proc))
        proc.err(f"{stamp}Started HTTP server on port {port}\n")
        if flags.get("udp-port", "8081") != "-1":
            proc.err(f"{stamp}Started UDP server on port  {flags.get('udp-port', '8081')}\n")
        raise serving(proc, "agnhost netexec", (port,))
    if command == "serve-hostname":
        return _serve_hostname(proc, flags)
    if command == "liveness":
        raise serving(proc, "agnhost liveness", (8080,))
    if command in ("dns-suffix", "dns-server-list"):
        conf = resolver.resolv_conf(proc.container)
        proc.out(",".join(conf.search if command == "dns-suffix" else conf.nameservers) + "\n")
        return 0
    if command == "etc-hosts":
        from kubesim.sandbox import fs

        proc.out((fs.read(proc.container, "/etc/hosts") or "") + "\n")
        return 0
    proc.err(f"kubesim: agnhost {command} is not simulated; it runs until it is stopped\n")
    raise serving(proc, f"agnhost {command}", ())


def _flags(args: list[str]) -> dict[str, str]:
    """pflag's --name=value and --name value (booleans alone are "true")."""
    flags: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index].lstrip("-")
        name, equals, value = arg.partition("=")
        if not equals:
            following = args[index + 1] if index + 1 < len(args) else ""
            if following and not following.startswith("-") and name not in _BOOLEANS:
                value, index = following, index + 1
            else:
                value = "true"
        flags[name] = value
        index += 1
    return flags


_BOOLEANS = {"tcp", "udp", "http", "close"}


def _unknown_command(proc: Proc, command: str) -> None:
    """cobra's error for a command it does not have, with its suggestions."""
    near = [c for c in SUBCOMMANDS if _distance(command, c) <= 2 or c.startswith(command)]
    proc.err(f'Error: unknown command "{command}" for "app"\n')
    if near:
        proc.err("\nDid you mean this?\n" + "".join(f"\t{c}\n" for c in near) + "\n")
    proc.err("Run 'app --help' for usage.\n")


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _serve_hostname(proc: Proc, flags: dict[str, str]) -> int:
    http = flags.get("http", "true") == "true"
    tcp, udp = flags.get("tcp") == "true", flags.get("udp") == "true"
    stamp = go_log(now(proc))
    if http and (tcp or udp):
        proc.err(f"{stamp}Can't server TCP/UDP mode and HTTP mode at the same time\n")
        return 1
    port = int(flags.get("port", "9376"))
    proc.err(f"{stamp}Serving on port {port}.\n")
    raise serving(proc, "agnhost serve-hostname", (port,) if http or tcp else ())


# --- what the servers answer ---------------------------------------------------------------------


def netexec(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """netexec.go's routes on http.DefaultServeMux."""
    route, params = path.split("?", 1)[0], query(path)
    flags = _flags(argv_of(container, port)[2:])
    if route in ("/hostname", "/hostName"):
        return go_response(container, 200, container.hostname, "OK", method)
    if route == "/echo":
        code = params.get("code", "")
        if code and not code.lstrip("-").isdigit():
            body = f"argument 'code' must be an integer or empty, got {_go_quote(code)}\n"
            return go_response(container, 200, body, "OK", method)
        status = int(code) if code else 200
        return go_response(container, status, params.get("msg", ""), _reason(status), method)
    if route == "/healthz":
        ready = flags.get("udp-port", "8081") != "-1"
        return go_response(container, 200 if ready else 412, "", "OK" if ready else
                           "Precondition Failed", method)  # fmt: skip
    if route == "/shell":
        return _shell(container, params.get("shellCommand") or params.get("cmd", ""), method)
    if route == "/redirect":
        code = params.get("code", "")
        status = int(code) if code.isdigit() else 302
        return _redirect(container, params.get("location", ""), status, method)
    if route == "/dial":
        return _dial(container, params, method)
    # "/" answers everything else: the request's time (time.Time's String, monotonic reading)
    from time import gmtime, strftime

    elapsed = container.now - started(container, port)
    stamp = strftime("%Y-%m-%d %H:%M:%S +0000 UTC", gmtime(container.now))
    return go_response(container, 200, f"NOW: {stamp} m=+{elapsed:.9f}", "OK", method)


def _shell(container: Container, command: str, method: str) -> HttpResponse:
    from kubesim.sandbox import shell

    result = shell.run(container, ["/bin/sh", "-c", command])
    output: dict[str, str] = {}
    if result.stdout + result.stderr:
        output["output"] = result.stdout + result.stderr
    if result.exit_code:
        output["error"] = f"exit status {result.exit_code}"
    return go_response(container, 200, go_json(output), "OK", method)


def _dial(container: Container, params: dict[str, str], method: str) -> HttpResponse:
    from kubesim.sandbox import http

    request = params.get("request", "")
    if not request:
        return go_response(container, 400, "request parameter not specified. <nil>\n",
                           "Bad Request", method)  # fmt: skip
    tries = int(params.get("tries") or "1")
    host, port = params.get("host", ""), params.get("port", "")
    responses: list[str] = []
    errors: list[str] = []
    found = resolver.getaddrinfo(container, host) if port.isdigit() else None
    for _ in range(tries):
        answer = None
        if found is not None and params.get("protocol", "http") in ("", "http"):
            answer = http.fetch(container, found[1][0], int(port), "GET", "/" + request)
        if answer is None:
            errors.append(f'Get "http://{host}:{port}/{request}": dial tcp {host}:{port}: '
                          "connect: connection refused")  # fmt: skip
        else:
            responses.append(answer.body)
    output: dict[str, list[str]] = {}
    if responses:
        output["responses"] = responses
    if errors:
        output["errors"] = errors
    return go_response(container, 200, go_json(output), "OK", method)


def _redirect(container: Container, location: str, status: int, method: str) -> HttpResponse:
    body = f'<a href="{location}">{_reason(status)}</a>.\n\n' if method in ("GET", "HEAD") else ""
    return go_response(container, status, body, _reason(status), method,
                       "text/html; charset=utf-8", (("Location", location),))  # fmt: skip


def liveness(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """liveness/server.go: /healthz is 200 `ok` for 10 s after the server started, then 500."""
    route, params = path.split("?", 1)[0], query(path)
    elapsed = container.now - started(container, port)
    if route == "/healthz":
        if elapsed > 10:
            return go_response(container, 500, f"error: {go_float(elapsed)}",
                               "Internal Server Error", method)  # fmt: skip
        return go_response(container, 200, "ok", "OK", method)
    if route == "/started":
        return go_response(container, 200, go_duration(elapsed), "OK", method)
    if route == "/redirect":
        return _redirect(container, params.get("loc", ""), 302, method)
    return go_response(container, 404, "404 page not found\n", "Not Found", method)


def serve_hostname(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """serve_hostname.go: the hostname, on HTTP (or raw TCP with --tcp --http=false)."""
    if _flags(argv_of(container, port)[2:]).get("http", "true") != "true":
        return not_http(container.hostname)
    return go_response(container, 200, container.hostname, "OK", method)


def _go_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


PROGRAMS = {
    "agnhost": Program(main),
    "agnhost pause": Program(main),
    "agnhost netexec": Program(main, netexec),
    "agnhost liveness": Program(main, liveness),
    "agnhost serve-hostname": Program(main, serve_hostname),
}
