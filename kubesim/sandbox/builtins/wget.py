"""wget [-q] [-O FILE] [-T SEC] [-S] [--spider] URL: busybox's wget over the simulated network.

Messages as busybox networking/wget.c: `Connecting to host (ip:port)`, `bad address`,
`can't connect to remote host (ip): Connection refused`, `server returned error`.
"""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs, http, resolver
from kubesim.sandbox.proc import Proc

WITH_VALUE = "OoPTUYte"  # options of busybox wget that take a value
REDIRECTS = (300, 301, 302, 303, 307, 308)
REDIRECT_LIMIT = 16  # wget.c's redir_limit: the 16th redirection is refused


def main(proc: Proc) -> int:
    args = list(proc.args)
    quiet, spider, output, headers = False, False, None, False
    urls = []
    while args:
        arg = args.pop(0)
        if arg == "--spider":
            spider = True
        elif arg.startswith("--"):
            if arg in ("--header", "--output-document", "--user-agent") and args:
                value = args.pop(0)
                output = value if arg == "--output-document" else output
            quiet = quiet or arg == "--quiet"
            headers = headers or arg == "--server-response"
        elif arg.startswith("-") and len(arg) > 1:
            # getopt clusters: -qO- is -q -O -
            for index, letter in enumerate(arg[1:], 1):
                if letter in WITH_VALUE:
                    value = arg[index + 1 :] or (args.pop(0) if args else "")
                    output = value if letter == "O" else output
                    break
                quiet = quiet or letter == "q"
                headers = headers or letter == "S"
        else:
            urls.append(arg)
    if not urls:
        proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n"
                 "Usage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]"
                 "\n\t[--header 'header: value'] [-Y|--proxy on/off] [-P DIR]\n"
                 "\t[-S|--server-response] [-U|--user-agent AGENT] [-T SEC] URL...\n\n"
                 "Retrieve files via HTTP or FTP\n\n")  # fmt: skip
        return 1
    status = 0
    for url in urls:
        status = _get(proc, url, quiet, spider, output, headers) or status
    return status


def _get(
    proc: Proc, url: str, quiet: bool, spider: bool, output: str | None, headers: bool = False
) -> int:
    parts = http.split_url(url)
    if parts is None:
        proc.err(f"wget: not an http or ftp url: {url}\n")
        return 1
    _, host, port, path = parts
    name = posixpath.basename(path.split("?", 1)[0]) or "index.html"  # the URL asked for
    redirections = REDIRECT_LIMIT
    while True:
        found = resolver.getaddrinfo(proc.container, host)
        if found is None:
            proc.err(f"wget: bad address '{host}'\n")
            return 1
        ip = found[1][0]
        if not quiet:
            proc.err(f"Connecting to {host} ({ip}:{port})\n")
        # the request busybox sends: Host (with a port the URL names), User-Agent, Connection
        sent = (
            ("Host", host if port == 80 else f"{host}:{port}"),
            ("User-Agent", "Wget"),
            ("Connection", "close"),
            (":remote-addr", proc.container.pod_ip or "127.0.0.1"),
        )
        response = http.fetch(proc.container, ip, port, "HEAD" if spider else "GET", path, sent)
        if response is None:
            proc.err(f"wget: can't connect to remote host ({ip}): Connection refused\n")
            return 1
        if response.status == 0:  # not an HTTP server: its first line is no status line
            first = response.body.splitlines()[0] if response.body else ""
            proc.err(f"wget: server returned error: {first}\n")
            return 1
        if headers:  # -S: the status line and each header as received, indented
            lines = [f"HTTP/1.1 {response.status} {response.reason}"]
            lines += [f"{k}: {v}" for k, v in response.headers if not k.startswith(":")]
            proc.err("".join(f"  {line}\n" for line in lines))
        location = dict((k.lower(), v) for k, v in response.headers).get("location")
        if response.status not in REDIRECTS or not location:
            break
        redirections -= 1
        if redirections == 0:
            proc.err("wget: too many redirections\n")
            return 1
        if location.startswith("/"):
            path = location  # the same server
        else:
            moved = http.split_url(location)
            if moved is None:
                proc.err(f"wget: not an http or ftp url: {location}\n")
                return 1
            _, host, port, path = moved
    if response.status >= 400:
        proc.err(f"wget: server returned error: HTTP/1.1 {response.status} {response.reason}\n")
        return 1
    if spider:
        return 0
    if output == "-":
        proc.out(response.body)
        return 0
    name = output or name
    target = proc.path(name)
    if output is None and fs.exists(proc.container, target):
        proc.err(f"wget: can't open '{name}': File exists\n")
        return 1
    if fs.read_only(proc.container, target):
        proc.err(f"wget: can't open '{name}': {fs.READ_ONLY}\n")
        return 1
    fs.write(proc.container, target, response.body)
    if not quiet:
        size = len(response.body.encode())
        # TODO: busybox redraws a progress bar; only its final state is printed
        proc.err(f"{name[:20]:<20} 100% |{'*' * 31}| {size:>5}  0:00:00 ETA\n")
    return 0
