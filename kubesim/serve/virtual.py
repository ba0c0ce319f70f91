"""Reads of the objects kubesim derives instead of storing (kubesim.api.virtual): node Leases
and the empty ResourceQuota and LimitRange lists that `kubectl describe` asks for. They are
read-only, and not listed in discovery (kubesim's api-resources lists what it stores)."""

from __future__ import annotations

from kubesim.api import kinds, virtual
from kubesim.api.errors import NotFound
from kubesim.serve.http import Reply, Request
from kubesim.serve.rest import reading
from kubesim.store import Store

_NODES = kinds.by_resource("nodes")


def answer(request: Request, reply: Reply, store: Store, parts: list[str]) -> bool:
    """Answer a GET of a derived object or list; False if the path names none."""
    if request.method != "GET" or request.flag("watch"):
        return False
    if parts[:3] == ["apis", "coordination.k8s.io", "v1"]:
        rest = parts[3:]
        if rest[:1] == ["namespaces"] and len(rest) in (3, 4) and rest[2] == "leases":
            _leases(reply, store, rest[1], rest[3] if len(rest) == 4 else None)
            return True
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


def _leases(reply: Reply, store: Store, namespace: str, name: str | None) -> None:
    with reading(store) as server:
        nodes = server.list(_NODES) if namespace == virtual.LEASE_NAMESPACE else []
        leases = [virtual.node_lease(node, server.now) for node in nodes]
        revision = str(server.state.resource_version)
    if name is None:
        items = [{k: v for k, v in lease.items() if k not in ("kind", "apiVersion")}
                 for lease in leases]  # fmt: skip
        reply.json(200, {"kind": "LeaseList", "apiVersion": "coordination.k8s.io/v1",
                         "metadata": {"resourceVersion": revision}, "items": items})  # fmt: skip
        return
    found = next((lease for lease in leases if lease["metadata"]["name"] == name), None)
    if found is None:
        raise NotFound("leases.coordination.k8s.io", name)
    reply.json(200, found)
