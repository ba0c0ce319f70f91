"""The outside world, as far as kubesim has it: the public sites of internet.yaml.

A real cluster reaches the internet through its nodes; kubesim has no network, so it keeps the
few sites the documentation's pages fetch from inside pods, and nothing else answers.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubesim.sandbox.container import HttpResponse

Site = dict[str, Any]


@cache
def _sites() -> dict[str, Site]:
    from importlib.resources import files

    import yaml

    text = files("kubesim.network").joinpath("internet.yaml").read_text()
    loaded: dict[str, Site] = yaml.safe_load(text) or {}
    return loaded


def addresses(fqdn: str) -> list[str]:
    """The A records the internet's DNS has for `fqdn` ([] for a name it does not know)."""
    site = _sites().get(fqdn.rstrip(".").lower())
    return [str(site["address"])] if site else []


def site_at(ip: str) -> tuple[str, Site] | None:
    """(host name, site) of the public server at `ip`, if kubesim knows one there."""
    for name, site in _sites().items():
        if str(site["address"]) == ip:
            return name, site
    return None


def serve(ip: str, port: int, method: str, path: str, now: float) -> HttpResponse | None:
    """What the public server at ip:port answers (an HttpResponse), None if none is there."""
    from email.utils import formatdate

    from kubesim.sandbox.container import HttpResponse

    found = site_at(ip)
    if found is None or int(found[1].get("port", 80)) != port:
        return None
    _, site = found
    page = (site.get("pages") or {}).get(path.split("?", 1)[0])
    date = ("Date", formatdate(int(now), usegmt=True))
    server = ("Server", str(site.get("server", "")))
    if page is None:
        body = (
            '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
            "<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n"
            "<p>The requested URL was not found on this server.</p>\n</body></html>\n"
        )
        missing = (date, server, ("Content-Length", str(len(body))),
                   ("Content-Type", "text/html; charset=iso-8859-1"))  # fmt: skip
        return HttpResponse(404, "" if method == "HEAD" else body, "Not Found", missing)
    body = str(page["body"])
    headers = (
        date,
        server,
        ("Last-Modified", str(page.get("last-modified", ""))),
        ("ETag", str(page.get("etag", ""))),
        ("Accept-Ranges", "bytes"),
        ("Content-Length", str(len(body.encode()))),
        ("Connection", "close"),
        ("Content-Type", str(page.get("content-type", "text/html"))),
    )
    return HttpResponse(200, "" if method == "HEAD" else body, "OK", headers)
