"""Server-side apply (PATCH with application/apply-patch+yaml): the applied configuration is
merged into the live object (or creates it, 201), owned by its field manager."""

from __future__ import annotations

from typing import Any

from kubesim.api import goyaml
from kubesim.api.errors import BadRequest
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import dry_run, field_manager, field_validation, writing
from kubesim.store import Store

Object = dict[str, Any]


def server_side(request: Request, reply: Reply, store: Store, target: ApiPath, text: str) -> None:
    from kubesim.api import fieldmanager

    kind = target.kind
    assert kind is not None
    manager = field_manager(request, required=True)
    assert manager is not None
    force = request.flag("force")
    try:
        config = goyaml.yaml_to_json(text)
    except goyaml.YAMLError as err:
        raise BadRequest(f"error decoding YAML: {err}") from None
    if not isinstance(config, dict):
        raise BadRequest("apply patch must be an object")
    metadata: Object = config["metadata"] if isinstance(config.get("metadata"), dict) else {}
    if config.get("kind") != kind.kind or config.get("apiVersion") != kind.api_version:
        raise BadRequest(
            f"the {kind.kind} in the body's apiVersion and kind ({config.get('apiVersion')}, "
            f"{config.get('kind')}) does not match the URL"
        )
    if metadata.get("name") != target.name:
        raise BadRequest(
            f"the name of the object ({metadata.get('name', '')}) does not match the name on "
            f"the URL ({target.name})"
        )
    if kind.namespaced:
        if metadata.get("namespace") not in (None, target.namespace):
            raise BadRequest(
                "the namespace of the provided object does not match the namespace sent on "
                "the request"
            )
        metadata["namespace"] = target.namespace
    config["metadata"] = metadata
    directive = field_validation(request)
    with writing(store, reply, dry_run=dry_run(request)) as server:
        live = server.find(kind, target.namespace, str(target.name))
        if live is None:
            created = server.create(
                fieldmanager.applied_new(config, manager, server.now, kind),
                target.namespace,
                field_validation=directive,
            )
            reply.json(201, created)
            return
        merged = fieldmanager.apply(kind, live, config, manager, force=force, now=server.now)
        result = server.update(merged, field_validation=directive)
    reply.json(200, result)
