"""The scale subresource (autoscaling/v1 Scale) of deployments, replica sets and stateful
sets: `kubectl scale` patches it, autoscalers read it."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import patching, selectors
from kubesim.api.errors import BadRequest
from kubesim.api.kinds import Kind
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import dry_run, not_allowed, read_object_of, reading, writing
from kubesim.store import Store

Object = dict[str, Any]


def scale_of(obj: Object) -> Object:
    """The Scale a workload shows: spec.replicas, and the replicas and selector of its status."""
    metadata = obj["metadata"]
    selector = selectors.from_label_selector((obj.get("spec") or {}).get("selector"))
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": metadata["name"],
            "namespace": metadata.get("namespace"),
            "uid": metadata.get("uid"),
            "resourceVersion": metadata.get("resourceVersion"),
            "creationTimestamp": metadata.get("creationTimestamp"),
        },
        "spec": {"replicas": int((obj.get("spec") or {}).get("replicas", 1))},
        "status": {
            "replicas": int((obj.get("status") or {}).get("replicas", 0)),
            "selector": str(selector),
        },
    }


def serve(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    kind = target.kind
    assert kind is not None
    name = str(target.name)
    if request.method == "GET":
        with reading(store) as server:
            reply.json(200, scale_of(server.get(kind, target.namespace, name)))
        return
    if request.method not in ("PUT", "PATCH"):
        raise not_allowed()
    with writing(store, reply, dry_run=dry_run(request)) as server:
        live = server.get(kind, target.namespace, name)
        current = scale_of(live)
        if request.method == "PUT":
            wanted = read_object_of(request, "autoscaling/v1", "Scale")
        else:
            wanted = _patched(request, current)
        replicas = _replicas(wanted, kind, name)
        rv = (wanted.get("metadata") or {}).get("resourceVersion")
        new = copy.deepcopy(live)
        new["spec"]["replicas"] = replicas
        if rv:
            new["metadata"]["resourceVersion"] = rv
        reply.json(200, scale_of(server.update(new)))


def _patched(request: Request, current: Object) -> Object:
    media = request.header("Content-Type").split(";")[0].strip().lower()
    patch_type = patching.CONTENT_TYPES.get(media)
    if patch_type is None or patch_type == patching.APPLY:
        raise BadRequest(f"unsupported patch type for scale: {media}")
    text = request.body().decode("utf-8", "replace")
    body = patching.decode(text, patch_type)
    from kubesim.api import json_patch
    from kubesim.api.patch import PatchError, strategic_merge
    from kubesim.api.patch_meta import UNTAGGED

    try:
        if patch_type == patching.JSON:
            result = json_patch.json_patch(current, body)
        elif patch_type == patching.MERGE:
            result = json_patch.merge_patch(current, body)
        else:
            result = strategic_merge(current, body, UNTAGGED)
    except PatchError as err:
        raise BadRequest(str(err)) from None
    if not isinstance(result, dict):
        raise BadRequest("Object 'Kind' is missing in the request body")
    return result


def _replicas(scale: Object, kind: Kind, name: str) -> int:
    from kubesim.api.errors import Invalid, invalid

    value = (scale.get("spec") or {}).get("replicas", 0)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(
            'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal into '
            "Go struct field ScaleSpec.spec.replicas of type int32"
        )
    if value < 0:
        cause = invalid("spec.replicas", value, "must be greater than or equal to 0")
        raise Invalid("Scale.autoscaling", name, [cause])
    return value
