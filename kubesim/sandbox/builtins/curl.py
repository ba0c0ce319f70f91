"""curl [-sSfiIvLO] [-o FILE] [-w FORMAT] [-X METHOD] [-H HEADER] [-d DATA] URL: the curl
7.88/8.x messages and exit codes (6, 7, 22, 47), the progress meter, and --write-out as
tool_writeout.c expands it (%{http_code}, %{time_total}, %{size_download}, ..., \\n, %%).

The transfer's times are kubesim's: a request inside the simulated cluster takes a fixed,
plausible few hundred microseconds (a name lookup a few milliseconds), not the wall clock's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubesim.sandbox import fs, http, resolver
from kubesim.sandbox.container import HttpResponse
from kubesim.sandbox.proc import Proc

METER_HEADER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)
# short options that take an argument (tool_getparam.c's aliases with ARG_STRG/ARG_FILE)
WITH_ARGUMENT = set("AbcCdDeEFHKmorTuUwxXyYz")
LONG_FLAGS = {
    "--silent": "s", "--show-error": "S", "--fail": "f", "--include": "i", "--head": "I",
    "--verbose": "v", "--location": "L", "--remote-name": "O", "--insecure": "k",
}  # fmt: skip
LONG_WITH_ARGUMENT = {
    "--output": "o", "--request": "X", "--header": "H", "--data": "d", "--data-raw": "d",
    "--max-time": "m", "--connect-timeout": "", "--user-agent": "A", "--user": "u",
    "--write-out": "w", "--dump-header": "D", "--retry": "", "--proxy": "x",
}  # fmt: skip
MAX_REDIRECTS = 50  # curl's default --max-redirs
# the simulated timing of one transfer, in microseconds: name lookup (IP / name), connect,
# first byte, and the rest
LOOKUP_IP, LOOKUP_NAME, CONNECT, FIRST_BYTE, TRANSFER = 25, 2_150, 180, 950, 70


@dataclass
class Options:
    flags: str = ""
    output: str | None = None
    method: str | None = None
    writeout: str | None = None
    headers: list[str] = field(default_factory=list)
    data: str | None = None
    urls: list[str] = field(default_factory=list)


@dataclass
class Transfer:
    """What --write-out reports about a transfer."""

    url: str
    response: HttpResponse | None = None
    method: str = "GET"
    remote_ip: str = ""
    remote_port: int = 0
    redirects: int = 0
    size_download: int = 0
    size_header: int = 0
    micros: int = 0
    lookup: int = 0
    exit_code: int = 0
    error: str = ""


def parse(args: list[str]) -> Options | str:
    """curl's options, or the message of the first it cannot parse."""
    options = Options()
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg.startswith("--"):
            if arg in LONG_FLAGS:
                options.flags += LONG_FLAGS[arg]
            elif arg in LONG_WITH_ARGUMENT:
                if not rest:
                    return f"curl: option {arg}: requires parameter\n"
                _set(options, LONG_WITH_ARGUMENT[arg], rest.pop(0))
            continue
        if arg.startswith("-") and len(arg) > 1:
            letters = arg[1:]
            for index, letter in enumerate(letters):
                if letter in WITH_ARGUMENT:
                    value = letters[index + 1 :]
                    if not value:
                        if not rest:
                            return f"curl: option -{letter}: requires parameter\n"
                        value = rest.pop(0)
                    _set(options, letter, value)
                    break
                options.flags += letter
            continue
        options.urls.append(arg)
    return options


def _set(options: Options, letter: str, value: str) -> None:
    if letter == "o":
        options.output = value
    elif letter == "X":
        options.method = value
    elif letter == "w":
        options.writeout = value
    elif letter == "H":
        options.headers.append(value)
    elif letter == "d":
        options.data = value


def main(proc: Proc) -> int:
    parsed = parse(list(proc.args))
    if isinstance(parsed, str):
        proc.err(parsed + "curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    options = parsed
    if not options.urls:
        proc.err("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    writeout = options.writeout
    if writeout is not None and writeout.startswith("@"):
        writeout = fs.read(proc.container, proc.path(writeout[1:])) or ""
    status = 0
    for url in options.urls:
        transfer = _transfer(proc, options, url)
        status = transfer.exit_code
        if writeout is not None:
            write_out(proc, writeout, transfer)
    return status


def _transfer(proc: Proc, options: Options, url: str) -> Transfer:
    """One URL (and its redirects with -L): its output written, its report returned."""
    flags = options.flags
    show_errors = "s" not in flags or "S" in flags
    output = options.output
    if "O" in flags and output is None:
        output = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or None
    to_stdout = output is None or output == "-"
    meter = "s" not in flags and not (to_stdout and proc.isatty(1))
    method = options.method or ("HEAD" if "I" in flags else "POST" if options.data else "GET")
    transfer = Transfer(url=url, method=method)
    text = ""
    while True:
        failure = _fetch(proc, transfer, options)
        if failure is not None:
            code, message = failure
            if meter:
                proc.err(METER_HEADER + _meter_line(0))
            transfer.exit_code, transfer.error = code, message
            if show_errors:
                proc.err(f"curl: ({code}) {message}\n")
            return transfer
        response = transfer.response
        assert response is not None
        head = _head(response)
        if "i" in flags or "I" in flags:
            text += head
        location = dict((k.lower(), v) for k, v in response.headers).get("location")
        if "L" in flags and location and response.status in (301, 302, 303, 307, 308):
            if transfer.redirects == MAX_REDIRECTS:
                transfer.exit_code = 47
                transfer.error = f"Maximum ({MAX_REDIRECTS}) redirects followed"
                if show_errors:
                    proc.err(f"curl: (47) {transfer.error}\n")
                return transfer
            transfer.redirects += 1
            transfer.url = _follow(transfer.url, location)
            if response.status == 303 or (response.status in (301, 302) and method == "POST"):
                transfer.method = "GET"
            continue
        break
    body = "" if transfer.method == "HEAD" else response.body
    transfer.size_download = len(body.encode())
    if "f" in flags and response.status >= 400:
        if meter:
            proc.err(METER_HEADER + _meter_line(0))
        transfer.exit_code = 22
        transfer.error = f"The requested URL returned error: {response.status}"
        if show_errors:
            proc.err(f"curl: (22) {transfer.error}\n")
        return transfer
    if "I" not in flags:
        text += body
    if meter:
        proc.err(METER_HEADER + _meter_line(transfer.size_download))
    if output and output != "-":
        if output != "/dev/null":
            fs.write(proc.container, proc.path(output), text)
    else:
        proc.out(text)
    return transfer


def _fetch(proc: Proc, transfer: Transfer, options: Options) -> tuple[int, str] | None:
    """Send the request of `transfer` (its response kept in it), or (exit code, message)."""
    parts = http.split_url(transfer.url)
    if parts is None:
        scheme = transfer.url.partition("://")[0]
        return 1, f'Protocol "{scheme}" not supported or disabled in libcurl'
    _, host, port, path = parts
    transfer.lookup = LOOKUP_IP if _is_ip(host) else LOOKUP_NAME
    transfer.micros += transfer.lookup
    found = resolver.getaddrinfo(proc.container, host)
    if found is None:
        return 6, f"Could not resolve host: {host}"
    ip = found[1][0]
    transfer.remote_ip, transfer.remote_port = ip, port
    # UNVERIFIED: the curl release of each image (Debian bookworm's 7.88.1, Alpine's 8.11.1)
    agent = "curl/7.88.1" if proc.image.userland == "gnu" else "curl/8.11.1"
    sent = (
        ("Host", host if port in (80, 443) else f"{host}:{port}"),
        ("User-Agent", agent),
        ("Accept", "*/*"),
        *(_header(h) for h in options.headers if ":" in h),
        (":remote-addr", proc.container.pod_ip or "127.0.0.1"),
    )
    response = http.fetch(proc.container, ip, port, transfer.method, path, sent)
    transfer.micros += CONNECT
    if response is None:
        return 7, f"Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"
    if response.status == 0:  # an answer that is no HTTP status line
        return 1, "Received HTTP/0.9 when not allowed"
    transfer.micros += FIRST_BYTE + TRANSFER
    transfer.response = response
    transfer.size_header += len(_head(response).encode())
    return None


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _header(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name.strip(), value.strip()


def _follow(url: str, location: str) -> str:
    """The URL a Location header leads to from `url`."""
    from urllib.parse import urljoin

    base = url if "://" in url else f"http://{url}"
    return urljoin(base, location)


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


# --- --write-out ------------------------------------------------------------------------------


def _seconds(micros: int) -> str:
    """writeTime: seconds with six decimals."""
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def variables(transfer: Transfer) -> dict[str, str]:
    """The --write-out variables kubesim knows the value of."""
    response = transfer.response
    headers = {k.lower(): v for k, v in response.headers} if response is not None else {}
    status = response.status if response is not None else 0
    connected = transfer.lookup + CONNECT if transfer.remote_ip else 0
    total = transfer.micros
    speed = transfer.size_download * 1_000_000 // total if total else 0
    values = {
        "http_code": f"{status:03d}",
        "response_code": f"{status:03d}",
        "http_version": "1.1" if response is not None else "0",
        "time_namelookup": _seconds(transfer.lookup),
        "time_connect": _seconds(connected),
        "time_appconnect": _seconds(0),
        "time_pretransfer": _seconds(connected),
        "time_starttransfer": _seconds(connected + FIRST_BYTE if response is not None else 0),
        "time_redirect": _seconds(0),
        "time_total": _seconds(total),
        "size_download": str(transfer.size_download),
        "size_header": str(transfer.size_header),
        "size_upload": "0",
        "size_request": "0",
        "speed_download": str(speed),
        "speed_upload": "0",
        "content_type": headers.get("content-type", ""),
        "url": transfer.url,
        "url_effective": transfer.url if "://" in transfer.url else f"http://{transfer.url}",
        "num_redirects": str(transfer.redirects),
        "num_connects": "1" if transfer.remote_ip else "0",
        "remote_ip": transfer.remote_ip,
        "remote_port": str(transfer.remote_port) if transfer.remote_ip else "0",
        "method": transfer.method,
        "exitcode": str(transfer.exit_code),
        "errormsg": transfer.error,
        "redirect_url": (
            _follow(transfer.url, headers["location"])
            if 300 <= status < 400 and "location" in headers
            else ""
        ),
    }
    return values


def write_out(proc: Proc, text: str, transfer: Transfer) -> None:
    """ourWriteOut: the format with %{var}, %%, and \\n \\r \\t expanded."""
    values = variables(transfer)
    write = proc.out
    out: list[str] = []
    i = 0

    def flush() -> None:
        if out:
            write("".join(out))
            out.clear()

    while i < len(text):
        char = text[i]
        following = text[i + 1] if i + 1 < len(text) else ""
        if char == "%" and following:
            if following == "%":
                out.append("%")
                i += 2
                continue
            if following == "{":
                end = text.find("}", i)
                if end < 0:
                    out.append("%{")
                    i += 2
                    continue
                name = text[i + 2 : end]
                i = end + 1
                if name == "stdout":
                    flush()
                    write = proc.out
                elif name == "stderr":
                    flush()
                    write = proc.err
                elif name == "onerror":
                    if transfer.exit_code == 0:
                        break
                elif name in values:
                    out.append(values[name])
                else:
                    flush()
                    proc.err(f"curl: unknown --write-out variable: '{name}'\n")
                continue
            out.append(char + following)  # illegal syntax: output as is
            i += 2
            continue
        if char == "\\" and following:
            out.append({"r": "\r", "n": "\n", "t": "\t"}.get(following, char + following))
            i += 2
            continue
        out.append(char)
        i += 1
    flush()
