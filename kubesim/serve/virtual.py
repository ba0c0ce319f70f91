"""The empty ResourceQuota and LimitRange lists `kubectl describe namespace` asks for
(kubesim.api.virtual): read-only, and not in discovery (kubesim's api-resources lists what it
stores)."""

from __future__ import annotations

from kubesim.api import virtual
from kubesim.serve.http import Reply, Request
from kubesim.serve.rest import reading
from kubesim.store import Store


def answer(request: Request, reply: Reply, store: Store, parts: list[str]) -> bool:
    """Answer a GET of a derived object or list; False if the path names none."""
    if request.method != "GET" or request.flag("watch"):
        return False
    if parts[:2] != ["api", "v1"]:
        return False
    rest = parts[2:]
    if rest[:1] == ["namespaces"] and len(rest) == 3:
        rest = rest[2:]
    if len(rest) == 1 and rest[0] in virtual.EMPTY_LISTS:
        with reading(store) as server:
            revision = str(server.state.resource_version)
        reply.json(200, {"kind": virtual.EMPTY_LISTS[rest[0]], "apiVersion": "v1",
                         "metadata": {"resourceVersion": revision}, "items": []})  # fmt: skip
        return True
    return False
