"""`-f https://...`: a manifest read from the web, as kubectl's URLVisitor reads it.

kubectl (cli-runtime resource/visitor.go) tries http.Get three times, a second apart, again
after a network error or a 5xx answer; any other status ends it with `unable to read URL`.
Network errors are printed as kubectl's StandardErrorMessage prints a *url.Error (`The
connection to the server HOST was refused - did you specify the right host or port?`,
`Unable to connect to the server: ...`). Go's default transport gives up connecting after 30
seconds. The Kubernetes website's examples that kubesim ships stand in for their URLs when
the network cannot be reached, so the tutorials work offline too.
"""

from __future__ import annotations

import time
from pathlib import Path

from kubesim.api.errors import KubesimError, PlainError, UsageError

ATTEMPTS = 3  # cli-runtime's defaultHttpGetAttempts
RETRY_PAUSE = 1.0  # readHttpWithRetries sleeps a second between attempts
CONNECT_TIMEOUT = 30.0  # net/http's DefaultTransport dialer

# where the Kubernetes website serves the examples its pages apply with `kubectl apply -f URL`
EXAMPLE_PREFIXES = [
    "https://k8s.io/examples/",
    "https://kubernetes.io/examples/",
    "https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/",
]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


class Unreachable(PlainError):
    """The URL's server could not be reached (kubectl's text for a *url.Error)."""


def read_url(url: str) -> str:
    """The manifest at `url`: fetched, else kubesim's copy of it when the network fails."""
    try:
        return fetch(url)
    except Unreachable as err:
        copy = shipped_copy(url)
        if copy is not None:
            return copy
        shipped = ", ".join(shipped_urls())
        raise Unreachable(
            f"{err.message}\nkubesim has no offline copy of {url} (it keeps {shipped})"
        ) from None


def shipped_copy(url: str) -> str | None:
    """kubesim's copy of one of the website's examples, None if it has none."""
    for prefix in EXAMPLE_PREFIXES:
        if url.startswith(prefix):
            local = EXAMPLES / url.removeprefix(prefix)
            if local.is_file() and EXAMPLES in local.resolve().parents:
                return local.read_text(encoding="utf-8")
    return None


def shipped_urls() -> list[str]:
    """The website URLs kubesim has copies of."""
    return [
        EXAMPLE_PREFIXES[0] + str(f.relative_to(EXAMPLES)) for f in sorted(EXAMPLES.rglob("*.yaml"))
    ]


def fetch(
    url: str,
    *,
    attempts: int = ATTEMPTS,
    pause: float | None = None,
    timeout: float = CONNECT_TIMEOUT,
) -> str:
    """The body of `url` (readHttpWithRetries); kubectl's error when it cannot be had."""
    error: KubesimError = UsageError(f"http attempts must be greater than 0, was {attempts}")
    for attempt in range(attempts):
        if attempt:
            time.sleep(RETRY_PAUSE if pause is None else pause)
        status, reason, body, error = _get(url, timeout)
        if body is not None:
            return body
        if status and not 500 <= status < 600:
            break  # only a server's own failure is tried again
    raise error


def _get(url: str, timeout: float) -> tuple[int, str, str | None, KubesimError]:
    """(status, reason, body or None, the error to give if this is the last attempt)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "Go-http-client/1.1"})
    opener = urllib.request.build_opener()  # proxies as the environment says now
    try:
        with opener.open(request, timeout=timeout) as response:
            data = response.read()
    except urllib.error.HTTPError as err:
        status = f"{err.code} {err.reason}"
        message = f'unable to read URL "{url}", server reported {status}, status code={err.code}'
        return err.code, str(err.reason), None, UsageError(message)
    except (urllib.error.URLError, OSError) as err:
        return 0, "", None, Unreachable(_network_error(url, err))
    return 200, "OK", data.decode("utf-8", errors="replace"), UsageError("")


def _network_error(url: str, err: Exception) -> str:
    """StandardErrorMessage for the *url.Error Go's http.Get would have returned."""
    import socket
    import ssl
    import urllib.error
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    reason = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(reason, ConnectionRefusedError):
        return (
            f"The connection to the server {parts.netloc} was refused - did you specify the "
            "right host or port?"
        )
    if isinstance(reason, socket.gaierror):
        detail = f"dial tcp: lookup {host}: no such host"
    elif isinstance(reason, TimeoutError | socket.timeout):
        detail = f"dial tcp {_address(host, port)}: i/o timeout"
    elif isinstance(reason, ssl.SSLCertVerificationError):
        detail = f"tls: failed to verify certificate: x509: {reason.verify_message}"
    elif isinstance(reason, ssl.SSLError):
        detail = f"tls: {getattr(reason, 'reason', None) or reason}"
    elif isinstance(reason, OSError) and reason.strerror:
        detail = f"dial tcp {_address(host, port)}: connect: {reason.strerror.lower()}"
    else:
        detail = str(reason)
    return f"Unable to connect to the server: {detail}"


def _address(host: str, port: int) -> str:
    """host:port as Go's dialer names it: the address it dialled."""
    import socket

    try:
        host = str(socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)[0][4][0])
    except OSError:
        pass
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
