"""The REST verbs on a resource (apiserver handlers: get.go, create.go, update.go, patch.go,
delete.go): each request is one read snapshot or one write transaction of kubesim's apiserver,
answered as JSON (or as a Table, for kubectl's human-readable output)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kubesim.api import listing, recursion
from kubesim.api.errors import (
    ApiError,
    BadRequest,
    Conflict,
    Expired,
    MethodNotAllowed,
    RequestEntityTooLarge,
)
from kubesim.api.kinds import Kind
from kubesim.api.server import ApiServer
from kubesim.engine import session
from kubesim.serve import status
from kubesim.serve.http import MAX_BODY, BodyTooLarge, Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.store import Store

Object = dict[str, Any]


class UnsupportedMediaType(ApiError):
    reason = "UnsupportedMediaType"
    code = 415


class NotAcceptable(ApiError):
    reason = "NotAcceptable"
    code = 406


# --- sessions ----------------------------------------------------------------------------------


@contextmanager
def reading(store: Store) -> Iterator[ApiServer]:
    """A read snapshot of the cluster (time caught up first), closed after the request."""
    server = session.reading(store)
    try:
        yield server
    finally:
        server.close()


@contextmanager
def writing(store: Store, reply: Reply, *, dry_run: bool = False) -> Iterator[ApiServer]:
    """One write transaction; a dry run is rolled back. The apiserver's warnings go out as
    Warning headers."""
    with session.writing(store, save=not dry_run) as server:
        try:
            yield server
        finally:
            reply.warnings += server.warnings
            server.warnings = []


# --- request parameters ------------------------------------------------------------------------


def dry_run(request: Request) -> bool:
    values = request.params("dryRun")
    for value in values:
        if value != "All":
            raise BadRequest(f'Invalid dry run value: "{value}". Valid values are: "All"')
    return bool(values)


def field_validation(request: Request) -> str:
    """The fieldValidation directive, Warn when absent (handlers' fieldValidation)."""
    value = request.param("fieldValidation") or "Warn"
    if value not in ("Strict", "Warn", "Ignore"):
        raise BadRequest(
            f'fieldValidation parameter unsupported: "{value}" '
            "(should be one of Strict, Warn, Ignore)"
        )
    return value


def field_manager(request: Request, *, required: bool = False) -> str | None:
    """The fieldManager parameter (or a name from the User-Agent, as the apiserver derives
    one: `kubectl` for kubectl's requests)."""
    value = request.param("fieldManager")
    if len(value) > 128:
        raise BadRequest("fieldManager: Too long: may not be more than 128 bytes")
    if value:
        return value
    if required:
        raise BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: "
                         "is required for apply patch")  # fmt: skip
    agent = request.header("User-Agent").split("/")[0]
    return agent or None


def table_version(request: Request) -> str | None:
    """meta.k8s.io's version when the Accept header asks for a Table first (v1, v1beta1)."""
    for media in request.header("Accept").split(","):
        params = _media_params(media)
        if params.get("as") == "Table" and params.get("g") == "meta.k8s.io":
            if params.get("v") in ("v1", "v1beta1"):
                return params["v"]
        if media.strip().split(";")[0] in ("application/json", "*/*", "application/yaml"):
            if "as" not in params:
                return None
    return None


def wants_metadata(request: Request) -> bool:
    """Whether the Accept header asks for PartialObjectMetadata(List) first."""
    media = request.header("Accept").split(",")[0]
    return _media_params(media).get("as", "").startswith("PartialObjectMetadata")


def _media_params(media: str) -> dict[str, str]:
    return {
        k.strip(): v.strip()
        for k, _, v in (p.partition("=") for p in media.split(";")[1:])
        if k.strip()
    }


def read_object(request: Request, kind: Kind) -> Object:
    """A create's or update's body, decoded as the apiserver's negotiated serializer does
    (JSON when no Content-Type is given, as the Python client sends it; YAML too)."""
    media = request.header("Content-Type").split(";")[0].strip().lower()
    try:
        raw = request.body()
    except BodyTooLarge:
        raise RequestEntityTooLarge(MAX_BODY) from None
    if media in ("", "application/json", "*/*"):
        obj = _json_object(raw, kind)
    elif media == "application/vnd.kubernetes.protobuf":
        from kubesim.api import protobuf

        obj = protobuf.decode(raw)
    elif media in ("application/yaml", "application/x-yaml", "text/yaml"):
        obj = _yaml_object(raw, kind)
    else:
        raise UnsupportedMediaType(
            "the body of the request was in an unknown format - accepted media types include: "
            "application/json, application/yaml, application/vnd.kubernetes.protobuf"
        )
    if not isinstance(obj, dict):
        raise BadRequest(
            f"the object provided is unrecognized (must be of type {kind.kind}): couldn't get "
            f"version/kind; json parse error: json: cannot unmarshal {_json_kind(obj)} into Go "
            f'value of type struct {{ APIVersion string "json:\\"apiVersion,omitempty\\""; '
            f'Kind string "json:\\"kind,omitempty\\"" }} ({_summary(raw)})'
        )
    obj.setdefault("apiVersion", kind.api_version)
    obj.setdefault("kind", kind.kind)
    if obj.get("kind") != kind.kind or obj.get("apiVersion") != kind.api_version:
        group_version = str(obj.get("apiVersion") or "")
        raise BadRequest(
            f'{obj.get("kind")} in version "{group_version.rpartition("/")[2]}" cannot be '
            f"handled as a {kind.kind}: converting ({group_version}.{obj.get('kind')}) to "
            f"({kind.api_version}.{kind.kind}): unknown conversion"
        )
    if not isinstance(obj.get("metadata") or {}, dict):
        raise BadRequest(f"{kind.kind} in version \"{kind.version}\" cannot be handled as a "
                         f"{kind.kind}: json: cannot unmarshal into metadata")  # fmt: skip
    return obj


def _json_object(raw: bytes, kind: Kind) -> Any:
    from kubesim.api import gojson
    from kubesim.api.patching import go_json_error

    text = raw.decode("utf-8", "replace")
    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            return json.loads(text)
    except json.JSONDecodeError as err:
        problem = go_json_error(text, err) if text.strip() else "unexpected end of JSON input"
    except RecursionError:
        problem = "exceeded max depth"
    raise BadRequest(
        f"the object provided is unrecognized (must be of type {kind.kind}): couldn't get "
        f"version/kind; json parse error: {problem} ({_summary(raw)})"
    )


def _yaml_object(raw: bytes, kind: Kind) -> Any:
    from kubesim.api import goyaml

    try:
        return goyaml.yaml_to_json(raw.decode("utf-8", "replace"))
    except goyaml.YAMLError as err:
        raise BadRequest(
            f"the object provided is unrecognized (must be of type {kind.kind}): {err} "
            f"({_summary(raw)})"
        ) from None


def _json_kind(value: Any) -> str:
    from kubesim.api.gofmt import json_kind

    return json_kind(value)


def _summary(data: bytes, limit: int = 30) -> str:
    """summarizeData: the body's start, as text if it looks like JSON, else in hex."""
    if not data:
        return "<empty>"
    if data[:1] == b"{":
        text = data[:limit].decode("utf-8", "replace")
        return text + " ..." if len(data) > limit else text
    return data[:limit].hex() + (" ..." if len(data) > limit else "")


def check_target(obj: Object, target: ApiPath, kind: Kind, *, name_required: bool) -> None:
    """The body's name and namespace against the URL's (create.go, update.go)."""
    metadata = obj.setdefault("metadata", {})
    if kind.namespaced:
        given = metadata.get("namespace")
        if given and given != target.namespace:
            raise BadRequest(
                "the namespace of the provided object does not match the namespace sent on "
                "the request"
            )
        metadata["namespace"] = target.namespace
    if name_required and metadata.get("name") != target.name:
        raise BadRequest(
            f"the name of the object ({metadata.get('name', '')}) does not match the name on "
            f"the URL ({target.name})"
        )


# --- reads -------------------------------------------------------------------------------------


def get(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    """GET of one object, as JSON or as a one-row Table."""
    from kubesim.printers import server_table

    kind = _kind(target)
    table = table_version(request)
    include = server_table.check_include(request.param("includeObject"))
    with reading(store) as server:
        obj = server.get(kind, target.namespace, str(target.name))
        reply.warnings += server.warnings
        if table:
            answer = server_table.table(
                kind,
                [obj],
                server.now,
                include=include,
                resource_version=str(obj["metadata"].get("resourceVersion", "")),
            )
            answer["apiVersion"] = f"meta.k8s.io/{table}"
            reply.json(200, answer)
        elif wants_metadata(request):
            reply.json(200, _partial(obj))
        else:
            reply.json(200, obj)


def _partial(obj: Object) -> Object:
    return {
        "kind": "PartialObjectMetadata",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": obj.get("metadata") or {},
    }


def list_(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    """GET of a collection: selected, paged with limit/continue, as a List or a Table."""
    from kubesim.printers import server_table

    kind = _kind(target)
    matches = listing.matcher(kind, request.param("labelSelector"), request.param("fieldSelector"))
    table = table_version(request)
    include = server_table.check_include(request.param("includeObject"))
    limit = _limit(request.param("limit"))
    start, token_rv = _continue(request.param("continue"))
    with reading(store) as server:
        revision = str(server.state.resource_version)
        if token_rv is not None and token_rv < server.state.compacted:
            raise Expired(
                "The provided continue parameter is too old to display a consistent list result. "
                "You can start a new list without the continue parameter, or use the continue "
                "token in this response to retrieve the remainder of the results."
            )
        chosen: list[Object] = []
        more = False
        remaining = 0
        for obj in server.scan(kind, target.namespace):
            if start and _key(obj) <= start:
                continue
            if not matches(obj):
                continue
            if limit and len(chosen) >= limit:
                more = True
                remaining += 1
                continue
            chosen.append(obj)
        reply.warnings += server.warnings
        token = ""
        if more:
            rv = token_rv if token_rv is not None else int(revision)
            token = _token(rv, _key(chosen[-1]))
            revision = str(rv)
        if table:
            answer = server_table.table(
                kind, chosen, server.now, include=include, resource_version=revision,
                continue_token=token,
            )  # fmt: skip
            answer["apiVersion"] = f"meta.k8s.io/{table}"
            reply.json(200, answer)
            return
        metadata: Object = {"resourceVersion": revision}
        if token:
            metadata["continue"] = token
            metadata["remainingItemCount"] = remaining
        if wants_metadata(request):
            items = [_partial(o) for o in chosen]
            answer = {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1"}
        else:
            items = [_without_type(o) for o in chosen]
            answer = {"kind": f"{kind.kind}List", "apiVersion": kind.api_version}
        reply.json(200, {**answer, "metadata": metadata, "items": items})


def _kind(target: ApiPath) -> Kind:
    assert target.kind is not None
    return target.kind


def _key(obj: Object) -> str:
    metadata = obj["metadata"]
    namespace = metadata.get("namespace")
    return f"{namespace}/{metadata['name']}" if namespace else str(metadata["name"])


def _without_type(obj: Object) -> Object:
    """A list's item: its kind and apiVersion are the list's (typed lists carry no TypeMeta)."""
    return {k: v for k, v in obj.items() if k not in ("kind", "apiVersion")}


def _limit(text: str) -> int:
    try:
        return max(int(text), 0) if text else 0
    except ValueError:
        raise BadRequest(f'strconv.ParseInt: parsing "{text}": invalid syntax') from None


def _token(rv: int, start: str) -> str:
    """The continue token, as the etcd3 store encodes one."""
    data = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": start + "\x00"})
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _continue(token: str) -> tuple[str, int | None]:
    """The key a page starts after and the revision of the first page."""
    if not token:
        return "", None
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        return str(data["start"]).rstrip("\x00"), int(data["rv"])
    except (ValueError, KeyError, TypeError):
        raise BadRequest("continue key is not valid: incorrect encoded start resourceVersion "
                         "(version meta.k8s.io/v1)") from None  # fmt: skip


# --- writes ------------------------------------------------------------------------------------


def create(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    kind = _kind(target)
    obj = read_object(request, kind)
    check_target(obj, target, kind, name_required=False)
    directive = field_validation(request)
    manager = field_manager(request)
    with writing(store, reply, dry_run=dry_run(request)) as server:
        created = server.create(
            obj, target.namespace, field_validation=directive, field_manager=manager
        )
    reply.json(201, created)


def update(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    kind = _kind(target)
    obj = read_object(request, kind)
    check_target(obj, target, kind, name_required=True)
    directive = field_validation(request)
    manager = field_manager(request)
    with writing(store, reply, dry_run=dry_run(request)) as server:
        if target.subresource == "status":
            updated = server.update_status(obj)
        else:
            updated = server.update(obj, field_validation=directive, field_manager=manager)
    reply.json(200, updated)


def patch(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    from kubesim.api import patching

    kind = _kind(target)
    media = request.header("Content-Type").split(";")[0].strip().lower()
    patch_type = patching.CONTENT_TYPES.get(media)
    if patch_type is None:
        raise UnsupportedMediaType(
            f"the body of the request was in an unknown format - accepted media types include: "
            f"{', '.join(patching.CONTENT_TYPES)}"
        )
    try:
        text = request.body().decode("utf-8", "replace")
    except BodyTooLarge:
        raise RequestEntityTooLarge(MAX_BODY) from None
    if patch_type == patching.APPLY:
        from kubesim.serve import apply

        apply.server_side(request, reply, store, target, text)
        return
    body = patching.decode(text, patch_type)
    directive = field_validation(request)
    manager = field_manager(request)
    with (
        recursion.room(patching.nesting(text)),
        writing(store, reply, dry_run=dry_run(request)) as server,
    ):
        live = server.get(kind, target.namespace, str(target.name))
        if target.subresource == "status":
            patched = patching.apply(kind, live, body, patch_type)
            result = server.update_status(patched)
        else:
            result = server.patch(
                kind, live, patch_type, body, field_validation=directive, field_manager=manager
            )
    reply.json(200, result)


def delete(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    """DELETE of one object: DeleteOptions from the body or the query."""
    kind = _kind(target)
    options = _delete_options(request)
    name = str(target.name)
    with writing(store, reply, dry_run=options["dryRun"]) as server:
        live = server.get(kind, target.namespace, name)
        wanted_rv = options["resourceVersion"]
        if wanted_rv and wanted_rv != live["metadata"].get("resourceVersion"):
            raise Conflict(kind.resource, name)
        result = server.delete(
            kind,
            target.namespace,
            name,
            grace_period=options["gracePeriodSeconds"],
            propagation=options["propagationPolicy"],
            uid=options["uid"],
        )
        still_there = server.find(kind, target.namespace, name) is not None
    if still_there or kind.kind == "Pod":
        reply.json(200, result)
        return
    plural, _, group = kind.resource.partition(".")
    details: Object = {"name": name, "kind": plural, "uid": live["metadata"].get("uid")}
    if group:
        details["group"] = group
    reply.json(200, status.success(details))


def delete_collection(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    """DELETE of a collection: every selected object, returned as a list."""
    kind = _kind(target)
    options = _delete_options(request)
    matches = listing.matcher(kind, request.param("labelSelector"), request.param("fieldSelector"))
    with writing(store, reply, dry_run=options["dryRun"]) as server:
        deleted = []
        for obj in [o for o in server.list(kind, target.namespace) if matches(o)]:
            metadata = obj["metadata"]
            deleted.append(
                server.delete(
                    kind,
                    metadata.get("namespace"),
                    metadata["name"],
                    grace_period=options["gracePeriodSeconds"],
                    propagation=options["propagationPolicy"],
                )
            )
        revision = str(server.state.resource_version)
    reply.json(
        200,
        {
            "kind": f"{kind.kind}List",
            "apiVersion": kind.api_version,
            "metadata": {"resourceVersion": revision},
            "items": [_without_type(o) for o in deleted],
        },
    )


def _delete_options(request: Request) -> dict[str, Any]:
    """metav1.DeleteOptions, from the body (kubectl) or the query string."""
    body: Any = {}
    try:
        raw = request.body()
    except BodyTooLarge:
        raise RequestEntityTooLarge(MAX_BODY) from None
    if raw.strip():
        try:
            body = json.loads(raw)
        except ValueError:
            raise BadRequest("the body of the request was not valid DeleteOptions") from None
    if not isinstance(body, dict):
        body = {}
    grace = body.get("gracePeriodSeconds", request.param("gracePeriodSeconds") or None)
    policy = body.get("propagationPolicy") or request.param("propagationPolicy")
    orphan = body.get("orphanDependents")
    if orphan is None and request.param("orphanDependents"):
        orphan = request.flag("orphanDependents")
    if not policy:
        policy = "Orphan" if orphan else "Background"
    if policy not in ("Background", "Foreground", "Orphan"):
        raise BadRequest(f'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported '
                         f'value: "{policy}": supported values: "Foreground", "Background", '
                         f'"Orphan", "nil"')  # fmt: skip
    preconditions = body.get("preconditions") or {}
    dry = body.get("dryRun") or request.params("dryRun")
    try:
        grace_value = int(grace) if grace is not None else None
    except (TypeError, ValueError):
        raise BadRequest("gracePeriodSeconds must be an integer") from None
    return {
        "gracePeriodSeconds": grace_value,
        "propagationPolicy": policy,
        "uid": preconditions.get("uid") if isinstance(preconditions, dict) else None,
        "resourceVersion": (
            preconditions.get("resourceVersion") if isinstance(preconditions, dict) else None
        ),
        "dryRun": bool(dry),
    }


def not_allowed() -> MethodNotAllowed:
    return MethodNotAllowed("the server does not allow this method on the requested resource")


def read_object_of(request: Request, api_version: str, kind_name: str) -> Object:
    """A body that is no stored kind (a Scale, a Binding, an Eviction), as JSON."""
    try:
        raw = request.body()
    except BodyTooLarge:
        raise RequestEntityTooLarge(MAX_BODY) from None
    if request.header("Content-Type").startswith("application/vnd.kubernetes.protobuf"):
        from kubesim.api import protobuf

        return protobuf.decode(raw)
    try:
        obj = json.loads(raw or b"{}")
    except ValueError as err:
        raise BadRequest(f"couldn't get version/kind; json parse error: {err}") from None
    if not isinstance(obj, dict):
        raise BadRequest(f"the object provided is unrecognized (must be of type {kind_name})")
    return obj
