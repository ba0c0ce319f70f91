"""The language runtimes' images: python3 (its REPL and `-m http.server`), perl (`-e` with
bignum's bpi, as the Jobs page computes pi), node (its REPL) and the entrypoint scripts of the
node and curl images.

python's http.server: SimpleHTTPRequestHandler's directory listing and files, and its start
line on stdout, which Python block-buffers when stdout is not a terminal: it only appears in
the log with -u or PYTHONUNBUFFERED (the usual surprise of `kubectl logs`). The REPLs of
python3, node and `perl -de0` read their input and end with it, as without a terminal.
Programs kubesim cannot run (a script file, other -c/-e code) say so and run until stopped.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote, unquote

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program, serving
from kubesim.sandbox.programs.common import exec_next, has_program, http_date


def _unsimulated(proc: Proc, what: str) -> int:
    proc.err(f"kubesim: {what} is not simulated; it runs until it is stopped\n")
    raise serving(proc, proc.name, ())


# --- python ---------------------------------------------------------------------------------------


def python(proc: Proc) -> int:
    args = list(proc.args)
    unbuffered = "-u" in args or bool(proc.env.get("PYTHONUNBUFFERED"))
    args = [a for a in args if a != "-u"]
    if args and args[0] in ("-V", "--version"):
        proc.out(f"Python {proc.image.version}\n")
        return 0
    if not args:
        proc.stdin.read()
        return 0
    if args[:2] == ["-m", "http.server"]:
        return _http_server(proc, args[2:], unbuffered)
    return _unsimulated(proc, f"{proc.name} {' '.join(args)}")


def _http_server(proc: Proc, args: list[str], unbuffered: bool) -> int:
    port, bind, directory = 8000, "", proc.state.cwd
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-b", "--bind") and index + 1 < len(args):
            bind, index = args[index + 1], index + 1
        elif arg in ("-d", "--directory") and index + 1 < len(args):
            directory, index = fs.absolute(proc.state.cwd, args[index + 1]), index + 1
        elif arg.isdigit():
            port = int(arg)
        index += 1
    host = bind or "0.0.0.0"
    if unbuffered:
        proc.out(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...\n")
    raise serving(proc, "python http.server", (port,), directory=directory)


def http_server(
    container: Container, port: int, method: str, path: str, headers: Headers
) -> HttpResponse | None:
    """SimpleHTTPRequestHandler: files, index.html, or a listing of the directory."""
    record = (container.serving or {}).get(port) or {}
    root = str((record.get("state") or {}).get("directory", "/"))
    route = unquote(path.split("?", 1)[0].split("#", 1)[0])
    target = fs.absolute(root, "." + route)
    version = container.env.get("PYTHON_VERSION") or "3.13.1"
    base = (("Server", f"SimpleHTTP/0.6 Python/{version}"), ("Date", http_date(container.now)))
    if fs.is_dir(container, target):
        if not route.endswith("/"):
            answer: Headers = (*base, ("Location", route + "/"), ("Content-Length", "0"))
            return HttpResponse(301, "", "Moved Permanently", answer)
        for name in ("index.html", "index.htm"):
            if fs.read(container, posixpath.join(target, name)) is not None:
                target = posixpath.join(target, name)
                break
        else:
            return _listing(container, target, route, base, method)
    body = fs.read(container, target)
    if body is None:
        page = _error_page(404, "File not found")
        missing: Headers = (*base, ("Connection", "close"),
                            ("Content-Type", "text/html;charset=utf-8"),
                  ("Content-Length", str(len(page.encode()))))  # fmt: skip
        return HttpResponse(404, "" if method == "HEAD" else page, "File not found", missing)
    kind = "text/html" if target.endswith((".html", ".htm")) else "text/plain"
    sent: Headers = (*base, ("Content-type", kind), ("Content-Length", str(len(body.encode()))),
                     ("Last-Modified", http_date(container.now)))  # fmt: skip
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", sent)


def _listing(
    container: Container, directory: str, route: str, base: Headers, method: str
) -> HttpResponse:
    title = f"Directory listing for {html.escape(route, quote=False)}"
    lines = [
        "<!DOCTYPE HTML>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{title}</title>\n</head>",
        f"<body>\n<h1>{title}</h1>",
        "<hr>\n<ul>",
    ]
    for name in sorted(fs.list_dir(container, directory), key=str.lower):
        link = name + "/" if fs.is_dir(container, posixpath.join(directory, name)) else name
        lines.append(f'<li><a href="{quote(link)}">{html.escape(link, quote=False)}</a></li>')
    lines.append("</ul>\n<hr>\n</body>\n</html>\n")
    page = "\n".join(lines)
    answer = (*base, ("Content-type", "text/html; charset=utf-8"),
              ("Content-Length", str(len(page.encode()))))  # fmt: skip
    return HttpResponse(200, "" if method == "HEAD" else page, "OK", answer)


def _error_page(code: int, message: str) -> str:
    """BaseHTTPRequestHandler.error_message_format."""
    return ("<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n"
            "        <title>Error response</title>\n    </head>\n    <body>\n"
            "        <h1>Error response</h1>\n"
            f"        <p>Error code: {code}</p>\n        <p>Message: {message}.</p>\n"
            f"        <p>Error code explanation: {code} - Nothing matches the given URI.</p>\n"
            "    </body>\n</html>\n")  # fmt: skip


# --- perl ----------------------------------------------------------------------------------------

PRINT = re.compile(r"""^\s*print\s*(?:\(\s*)?(?:bpi\((\d+)\)|"((?:[^"\\]|\\.)*)"|'([^']*)')""")


def perl(proc: Proc) -> int:
    args = list(proc.args)
    if not args:
        proc.stdin.read()  # a program read from stdin: kubesim runs none
        return 0
    modules, newline, code = [], False, None
    while args and args[0].startswith("-") and code is None:
        switch = args.pop(0)[1:]
        if switch.startswith("M"):
            modules.append(switch[1:])
            continue
        if switch in ("v", "-version"):
            proc.out(f"\nThis is perl 5, version {proc.image.version.split('.')[1]}, subversion "
                     f"{proc.image.version.split('.')[2]} (v{proc.image.version}) built for "
                     "x86_64-linux-gnu\n")  # fmt: skip
            return 0
        for index, flag in enumerate(switch):
            if flag == "l":
                newline = True
            elif flag == "e":
                rest = switch[index + 1 :]
                code = rest or (args.pop(0) if args else "")
                break
            elif flag == "d":
                proc.stdin.read()  # the debugger's prompt, without a terminal: input ends it
                return 0
    if code is None:
        return _unsimulated(proc, f"perl {' '.join(proc.args)}")
    match = PRINT.match(code)
    if match is None:
        return _unsimulated(proc, f"perl -e {code!r}")
    digits, double, single = match.groups()
    if digits is not None:
        if not any(m.startswith("bignum") or m.startswith("bigrat") for m in modules):
            proc.err("Undefined subroutine &main::bpi called at -e line 1.\n")
            return 255
        text = pi(int(digits))
    elif double is not None:
        text = double.encode().decode("unicode_escape")
    else:
        text = single or ""
    proc.out(text + ("\n" if newline else ""))
    return 0


def pi(digits: int) -> str:
    """pi to `digits` significant digits, rounded, as Math::BigFloat->bpi(N) prints it
    (Machin's formula in integers, with guard digits)."""
    guard = 10
    scale = 10 ** (digits + guard)

    def arctan_inverse(x: int) -> int:
        total, term, k, sign = 0, scale // x, 1, 1
        x2 = x * x
        while term:
            total += sign * (term // k)
            term //= x2
            k += 2
            sign = -sign
        return total

    value = 4 * (4 * arctan_inverse(5) - arctan_inverse(239))
    text = str(value)  # 3 followed by digits+guard-1 decimals... as an integer string
    kept = int(text[:digits])
    if int(text[digits]) >= 5:
        kept += 1
    out = str(kept)
    return out[0] + "." + out[1:] if digits > 1 else out


# --- node ----------------------------------------------------------------------------------------


def node(proc: Proc) -> int:
    args = proc.args
    if args and args[0] in ("-v", "--version"):
        proc.out(f"v{proc.image.version}\n")
        return 0
    if not args:
        proc.stdin.read()  # the REPL without a terminal: it reads its input, then exits
        return 0
    return _unsimulated(proc, f"node {' '.join(args)}")


def node_entrypoint(proc: Proc) -> int:
    """docker-node's docker-entrypoint.sh: a flag, or no such command, means node."""
    argv = list(proc.args)
    script = argv[0] if argv else ""
    if argv and (
        script.startswith("-")
        or not has_program(proc, script)
        or (fs.is_file(proc.container, proc.path(script))
            and not fs.is_executable(proc.container, proc.path(script)))
    ):  # fmt: skip
        argv = ["node", *argv]
    return exec_next(proc, argv, "/usr/local/bin/docker-entrypoint.sh", 11)


def curl_entrypoint(proc: Proc) -> int:
    """curl-container's /entrypoint.sh: a flag, or no such command, means curl."""
    argv = list(proc.args)
    if argv and (argv[0].startswith("-") or not has_program(proc, argv[0])):
        argv = ["curl", *argv]
    return exec_next(proc, argv, "/entrypoint.sh", 14)


PROGRAMS = {
    "python3": Program(python),
    "python": Program(python),
    "python http.server": Program(python, http_server),
    "perl": Program(perl),
    "node": Program(node),
    "node-entrypoint": Program(node_entrypoint),
    "curl-entrypoint": Program(curl_entrypoint),
}
