"""The small subresources: pods/binding (what a scheduler posts), pods/eviction (`kubectl
drain`), namespaces/finalize."""

from __future__ import annotations

from kubesim.api.errors import BadRequest
from kubesim.serve import status
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import dry_run, not_allowed, read_object_of, writing
from kubesim.store import Store


def serve(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    kind = target.kind
    assert kind is not None
    name = str(target.name)
    if target.subresource == "binding" and request.method == "POST":
        body = read_object_of(request, "v1", "Binding")
        node = str((body.get("target") or {}).get("name") or "")
        if not node:
            raise BadRequest("Binding target must be a node")
        with writing(store, reply, dry_run=dry_run(request)) as server:
            server.bind(str(target.namespace), name, node)
        reply.json(201, {**status.success(), "code": 201})
        return
    if target.subresource == "eviction" and request.method == "POST":
        body = read_object_of(request, "policy/v1", "Eviction")
        options = body.get("deleteOptions") or {}
        with writing(store, reply, dry_run=dry_run(request)) as server:
            server.get(kind, target.namespace, name)
            server.delete(
                kind, target.namespace, name, grace_period=options.get("gracePeriodSeconds")
            )
        reply.json(201, {**status.success(), "code": 201})
        return
    if target.subresource == "finalize" and request.method == "PUT":
        body = read_object_of(request, "v1", "Namespace")
        finalizers = (body.get("spec") or {}).get("finalizers") or []
        with writing(store, reply, dry_run=dry_run(request)) as server:
            live = server.get(kind, None, name)
            new = {**live, "spec": {**(live.get("spec") or {}), "finalizers": finalizers}}
            result = server.update(new)
        reply.json(200, result)
        return
    raise not_allowed()
