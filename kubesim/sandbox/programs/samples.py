"""The tutorials' sample servers and Kubernetes' small images: kubernetes-bootcamp's Node.js
server.js, hello-app, goproxy, echoserver, pause, fluentd-elasticsearch.

kubernetes-bootcamp: server.js as `cat server.js` shows it in the tutorial's container
(images.yaml); console.log joins its arguments with spaces and prints a Date as its ISO
string. hello-app: quickstarts/hello-app/main.go. goproxy: elazarl/goproxy's default
NonproxyHandler. echoserver: its response text as the hello-minikube pages show it (1.4's
`CLIENT VALUES` layout, 1.10's `Hostname:` one). pause: build/pause/linux/pause.c.
UNVERIFIED: echoserver's trailing blank lines; what goproxy and fluentd log at start (nothing
is kept); request log lines are not written (a request cannot change the process from here).
"""

from __future__ import annotations

import time

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.images import personality
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, serving
from kubesim.sandbox.programs.common import go_log, go_response, http_date, now, sleep


def _iso(seconds: float) -> str:
    """A JavaScript Date as console.log shows it: 2025-01-15T10:00:00.000Z."""
    millis = int(round(seconds * 1000)) % 1000
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


def bootcamp_node(proc: Proc) -> int:
    """node 6.3.1 in the bootcamp image: runs server.js; -v; the REPL ends with its input."""
    args = proc.args
    if args and args[0] in ("-v", "--version"):
        proc.out("v6.3.1\n")
        return 0
    if not args:
        proc.stdin.read()  # the REPL without a terminal reads its input, then exits
        return 0
    script = fs.absolute(proc.state.cwd, args[0])
    if script != "/server.js" or fs.read(proc.container, script) is None:
        if fs.read(proc.container, script) is None:
            proc.err(f"module.js:442\n    throw err;\n    ^\n\nError: Cannot find module "
                     f"'{script}'\n")  # fmt: skip
            return 1
        proc.err(f"kubesim: node {args[0]} is not simulated; it runs until it is stopped\n")
        raise serving(proc, "node", ())
    host = proc.env.get("HOSTNAME", "undefined")
    proc.out(f"Kubernetes Bootcamp App Started At: {_iso(now(proc))} | Running On:  {host} \n\n")
    raise serving(proc, "bootcamp", (8080,))


def bootcamp(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    version = personality(container.image).version or "1"
    host = container.env.get("HOSTNAME", container.hostname)
    body = f"Hello Kubernetes bootcamp! | Running on: {host} | v={version}\n"
    # node's http: the handler's Content-Type, then Date, Connection and chunked encoding
    answer = (
        ("Content-Type", "text/plain"),
        ("Date", http_date(container.now)),
        ("Connection", "keep-alive"),
        ("Transfer-Encoding", "chunked"),
    )
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", answer)


def hello_app(proc: Proc) -> int:
    port = proc.env.get("PORT") or "8080"
    proc.err(f"{go_log(now(proc))}Server listening on port {port}\n")
    raise serving(proc, "hello-app", (int(port),) if port.isdigit() else ())


def hello(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    version = "2.0.0" if personality(container.image).version.startswith("2") else "1.0.0"
    body = f"Hello, world!\nVersion: {version}\nHostname: {container.hostname}\n"
    return go_response(container, 200, body, "OK", method)


def goproxy(proc: Proc) -> int:
    raise serving(proc, "goproxy", (8080,))


def proxy(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """A request that is not for a proxy (http.Error: nosniff, then Go's own headers)."""
    body = "This is a proxy server. Does not respond to non-proxy requests.\n"
    return go_response(container, 500, body, "Internal Server Error", method,
                       extra=(("X-Content-Type-Options", "nosniff"),))  # fmt: skip


def echoserver_run(proc: Proc) -> int:
    """run.sh: starts nginx (with its lua echo handler) in the foreground on 8080 and 8443."""
    raise serving(proc, "echoserver", (8080,))


def echoserver_nginx(proc: Proc) -> int:
    if "-v" in proc.args or "-V" in proc.args:
        proc.err(f"nginx version: nginx/{_echo_nginx(proc.image.version)}\n")
        return 0
    return echoserver_run(proc)


def _echo_nginx(version: str) -> str:
    return "1.13.3" if version == "1.10" else "1.10.0"


def echo(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """What echoserver answers: the request it received."""
    version = personality(container.image).version
    client = next((v for k, v in headers if k == ":remote-addr"), "127.0.0.1")
    sent = sorted((k.lower(), v) for k, v in headers if not k.startswith(":"))
    host = next((v for k, v in sent if k == "host"), f"{container.pod_ip}:{port}")
    real_path, _, query_string = path.partition("?")
    uri = f"http://{host.split(':')[0]}:{port}{path}"
    if version == "1.10":
        lines = [
            "", "", f"Hostname: {container.hostname}", "", "Pod Information:",
            "\t-no pod information available-", "", "Server values:",
            f"\tserver_version=nginx: {_echo_nginx(version)} - lua: 10008", "",
            "Request Information:", f"\tclient_address={client}", f"\tmethod={method}",
            f"\treal path={real_path}", f"\tquery={query_string}", "\trequest_version=1.1",
            "\trequest_scheme=http", f"\trequest_uri={uri}", "", "Request Headers:",
            *[f"\t{k}={v}" for k, v in sent], "", "Request Body:",
            "\t-no body in request-", "", "",
        ]  # fmt: skip
    else:
        lines = [
            "CLIENT VALUES:", f"client_address={client}", f"command={method}",
            f"real path={real_path}", f"query={query_string or 'nil'}", "request_version=1.1",
            f"request_uri={uri}", "", "SERVER VALUES:",
            f"server_version=nginx: {_echo_nginx(version)} - lua: 10001", "",
            "HEADERS RECEIVED:", *[f"{k}={v}" for k, v in sent], "BODY:",
            "-no body in request-",
        ]  # fmt: skip
    body = "\n".join(lines)
    answer = (
        ("Server", f"nginx/{_echo_nginx(version)}"),
        ("Date", http_date(container.now)),
        ("Content-Type", "text/plain"),
        ("Transfer-Encoding", "chunked"),
        ("Connection", "keep-alive"),
    )
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", answer)


def pause(proc: Proc) -> int:
    """pause.c: -v prints its version; as anything but PID 1 it warns; then it waits."""
    if any(a.lower() == "-v" for a in proc.args):
        proc.out("pause.c HEAD\n")  # UNVERIFIED: the VERSION each release was built with
        return 0
    if proc.container.clock is None:
        proc.err("Warning: pause should be the first process\n")
    raise serving(proc, "pause", ())


def fluentd(proc: Proc) -> int:
    """/entrypoint.sh: runs fluentd with the image's configuration until stopped."""
    sleep(proc, 0)
    raise serving(proc, "fluentd", ())


PROGRAMS = {
    "bootcamp-node": Program(bootcamp_node),
    "bootcamp": Program(bootcamp_node, bootcamp),
    "hello-app": Program(hello_app, hello),
    "goproxy": Program(goproxy, proxy),
    "echoserver": Program(echoserver_run, echo),
    "echoserver-nginx": Program(echoserver_nginx),
    "pause": Program(pause),
    "fluentd": Program(fluentd),
}
