"""curl [-sSfiIvLo FILE] URL: the curl 7.88 messages and exit codes (6, 7, 22)."""

from __future__ import annotations

from kubesim.sandbox import fs, http, resolver
from kubesim.sandbox.container import HttpResponse
from kubesim.sandbox.proc import Proc

METER_HEADER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)


def main(proc: Proc) -> int:
    args = list(proc.args)
    flags, output, method = "", None, None
    urls = []
    while args:
        arg = args.pop(0)
        if arg in ("-o", "--output") and args:
            output = args.pop(0)
        elif arg in ("-X", "--request") and args:
            method = args.pop(0)
        elif arg in ("-H", "--header", "-d", "--data", "-m", "--max-time", "--connect-timeout",
                     "-A", "-u") and args:  # fmt: skip
            args.pop(0)
        elif arg.startswith("--"):
            flags += {"--silent": "s", "--show-error": "S", "--fail": "f", "--include": "i",
                      "--head": "I", "--verbose": "v", "--location": "L"}.get(arg, "")  # fmt: skip
        elif arg.startswith("-") and len(arg) > 1:
            flags += arg[1:]
        else:
            urls.append(arg)
    if not urls:
        proc.err("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    show_errors = "s" not in flags or "S" in flags
    parts = http.split_url(urls[0])
    if parts is None:
        scheme = urls[0].partition("://")[0]
        if show_errors:
            proc.err(f'curl: (1) Protocol "{scheme}" not supported or disabled in libcurl\n')
        return 1
    _, host, port, path = parts
    found = resolver.getaddrinfo(proc.container, host)
    if found is None:
        if show_errors:
            proc.err(f"curl: (6) Could not resolve host: {host}\n")
        return 6
    verb = method or ("HEAD" if "I" in flags else "GET")
    # UNVERIFIED: the curl release of each image (Debian bookworm's 7.88.1, Alpine's 8.11.1)
    agent = "curl/7.88.1" if proc.image.userland == "gnu" else "curl/8.11.1"
    sent = (
        ("Host", host if port in (80, 443) else f"{host}:{port}"),
        ("User-Agent", agent),
        ("Accept", "*/*"),
        (":remote-addr", proc.container.pod_ip or "127.0.0.1"),
    )
    response = http.fetch(proc.container, found[1][0], port, verb, path, sent)
    # tool_operate.c: no meter when the body goes to a terminal (it would garble it)
    to_stdout = output is None or output == "-"
    meter = "s" not in flags and not (to_stdout and proc.isatty(1))
    if response is None:
        if meter:
            proc.err(METER_HEADER + _meter_line(0))
        if show_errors:
            proc.err(f"curl: (7) Failed to connect to {host} port {port} after 0 ms: "
                     "Couldn't connect to server\n")  # fmt: skip
        return 7
    if response.status == 0:  # an answer that is no HTTP status line
        if show_errors:
            proc.err("curl: (1) Received HTTP/0.9 when not allowed\n")
        return 1
    if "f" in flags and response.status >= 400:
        if meter:
            proc.err(METER_HEADER + _meter_line(0))
        if show_errors:
            proc.err(f"curl: (22) The requested URL returned error: {response.status}\n")
        return 22
    text = _head(response) if "i" in flags or "I" in flags else ""
    if "I" not in flags:
        text += response.body
    if meter:
        proc.err(METER_HEADER + _meter_line(len(response.body.encode())))
    if output and output != "-":
        fs.write(proc.container, proc.path(output), text)
    else:
        proc.out(text)
    return 0


def _head(response: HttpResponse) -> str:
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    lines += [f"{k}: {v}" for k, v in response.headers]
    return "\r\n".join(lines) + "\r\n\r\n"


def _meter_line(size: int) -> str:
    # the final redraw of the progress meter; speeds are as if the transfer took one second
    percent = "100" if size else "  0"
    speed = f"{size:>5}"
    return (f"{percent} {size:>5}  {percent} {size:>5}    0     0  {speed}      0 "
            f"--:--:-- --:--:-- --:--:-- {speed}\n")  # fmt: skip
