"""kubectl apply, client-side as v1.32 does it by default (pkg/cmd/apply/apply.go, patcher.go).

A new object is created carrying the annotation kubectl.kubernetes.io/last-applied-configuration
(the manifest as compact JSON). An existing one gets the three-way strategic merge patch of the
last applied configuration, the manifest and the live object: fields the manifest dropped are
deleted, fields others set are kept; an empty patch is "unchanged".
"""

from __future__ import annotations

import copy
import sys
from typing import Any

import typer

from kubesim.api import decode, recursion
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.manifests import Manifest, namespace_error, read_manifests
from kubesim.cli.report import finish, print_warnings, reduce, visit_result
from kubesim.cli.visit import dry_run_suffix, print_result

Object = dict[str, Any]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def apply(
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
) -> None:
    """Apply a configuration to a resource by file name or stdin; it is created if missing.

    Example: kubesim apply -f web.yaml
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    directive = options.field_validation(validate)
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    loaded = read_manifests(filenames, validate=directive != decode.IGNORE)
    suffix = dry_run_suffix(dry_run)
    # GetObjects: every object read first, with the builder's errors as one error
    refused = [namespace_error(m, namespace) for m in loaded.manifests]
    objects = [m for m, r in zip(loaded.manifests, refused, strict=True) if r is None]
    found = reduce(visit_result([r for r in refused if r is not None], loaded.errors))
    errors: list[KubesimError] = [found] if found is not None else []
    if not objects and not errors:
        raise UsageError("no objects passed to apply")
    depth = max((recursion.nesting(m.obj) for m in objects), default=0)
    with session.writing() as server, recursion.room(depth):
        for manifest in objects:
            try:
                operation, kind, result = _apply_one(
                    server, manifest, namespace, dry_run or "", directive
                )
            except (ApiError, UsageError) as err:
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, result, operation + suffix, output)
    finish(errors, [])


def modified_configuration(obj: Object, *, annotate: bool) -> Object:
    """GetModifiedConfiguration: the manifest without the annotation, and with it embedded
    (as compact JSON plus the newline json.Encoder writes) when `annotate` is set."""
    from kubesim.api.gofmt import go_json

    obj = copy.deepcopy(obj)
    metadata = obj.setdefault("metadata", {})
    annotations = dict(metadata.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    metadata["annotations"] = annotations  # an empty map stays, as "annotations":{}
    if annotate:
        metadata["annotations"] = {**annotations, LAST_APPLIED: go_json(obj) + "\n"}
    return obj


def _apply_one(
    server: Any, manifest: Manifest, namespace: str | None, dry_run: str, directive: str
) -> tuple[str, Kind, Object]:
    import json

    from kubesim.api import patch_meta
    from kubesim.api.patch import PatchError, strategic_merge, three_way_merge_patch

    obj = copy.deepcopy(manifest.obj)
    kind = manifest.kind
    obj["apiVersion"] = obj.get("apiVersion") or kind.api_version
    if obj.get("metadata") is None:
        obj["metadata"] = {}
    metadata = obj["metadata"]
    name = str(metadata.get("name") or "")
    if not name and metadata.get("generateName"):
        raise UsageError(f"from {metadata['generateName']}: cannot use generate name with apply")
    if kind.namespaced:
        metadata["namespace"] = metadata.get("namespace") or options.resolve_namespace(namespace)
    if not name:  # the GET for the live object cannot name it
        raise UsageError(
            f"error when retrieving current configuration of:\n{_info(kind, obj)}\n"
            f'from server for: "{manifest.source}": resource name may not be empty'
        )
    live = server.find(kind, metadata.get("namespace"), name)
    if live is None:
        created = modified_configuration(obj, annotate=False)
        from kubesim.api.gofmt import go_json

        annotations = dict(created["metadata"]["annotations"])
        annotations[LAST_APPLIED] = go_json(created) + "\n"
        obj["metadata"]["annotations"] = annotations
        if dry_run in ("client", "server"):
            return "created", kind, obj
        try:
            created = server.create(
                obj, field_validation=directive, field_manager="kubectl-client-side-apply"
            )
            return "created", kind, created
        except ApiError as err:
            raise _with_source(err, "creating", manifest.source) from None
    if dry_run == "client":
        return "configured", kind, live  # a client dry run computes no patch
    annotations = live["metadata"].get("annotations") or {}
    if LAST_APPLIED not in annotations:
        sys.stderr.write(
            f"Warning: resource {kind.plural}/{name} is missing the {LAST_APPLIED} annotation "
            "which is required by kubectl apply. kubectl apply should only be used on resources "
            "created declaratively by either kubectl create --save-config or kubectl apply. The "
            "missing annotation will be patched automatically.\n"
        )
    original = _last_applied(annotations.get(LAST_APPLIED))
    modified = modified_configuration(obj, annotate=True)
    meta = patch_meta.for_kind(kind.kind)
    try:
        with recursion.room(recursion.nesting(original)):
            patch = three_way_merge_patch(original, modified, live, meta)
    except PatchError as err:
        raise UsageError(
            f"error when creating patch with:\noriginal:\n{annotations.get(LAST_APPLIED, '')}\n"
            f"modified:\n{json.dumps(modified)}\ncurrent:\n{json.dumps(live)}\n"
            f'for: "{manifest.source}": {err}'
        ) from None
    if not patch:
        _warn_if_deleting(live)
        return "unchanged", kind, live
    patched = strategic_merge(live, patch, meta)
    result = patched
    if dry_run != "server":
        try:
            result = server.update(
                patched,
                field_validation=directive,
                patch_type="strategic",
                patch=patch,
                field_manager="kubectl-client-side-apply",
            )
        except ApiError as err:
            raise _with_source(err, "patching", manifest.source, kind, live, patch) from None
    _warn_if_deleting(result)
    return "configured", kind, result


def _last_applied(text: str | None) -> Any:
    """The configuration the annotation holds; it may nest as deeply as a manifest can."""
    import json

    from kubesim.api import gojson

    if not text:
        return None
    try:
        with recursion.at_most(gojson.MAX_DEPTH):
            return json.loads(text)
    except (ValueError, RecursionError):
        return None  # not JSON: kubectl's GetOriginalConfiguration fails, apply starts afresh


def _with_source(
    err: ApiError,
    verb: str,
    source: str,
    kind: Kind | None = None,
    live: Object | None = None,
    patch: Object | None = None,
) -> ApiError:
    """cmdutil.AddSourceToErr: the file named in the server's message (an Invalid error
    alone is printed from its causes, so it shows only among several errors)."""
    if verb == "creating":
        err.message = f'error when creating "{source}": {err.message}'
        return err
    from kubesim.api.gofmt import go_json

    assert kind is not None and live is not None and patch is not None
    info = _info(kind, live)
    err.message = (
        f'error when applying patch:\n{go_json(patch)}\nto:\n{info}\nfor: "{source}": {err.message}'
    )
    return err


def _info(kind: Kind, obj: Object) -> str:
    """resource.Info's String(): the mapping, then the name and namespace."""
    version = f"{kind.group}/{kind.version}"  # GroupVersionResource.String(): "/v1" for core
    meta = obj.get("metadata") or {}
    return (
        f'Resource: "{version}, Resource={kind.plural}", '
        f'GroupVersionKind: "{version}, Kind={kind.kind}"\n'
        f'Name: "{meta.get("name", "")}", Namespace: "{meta.get("namespace", "")}"'
    )


def _warn_if_deleting(obj: Object) -> None:
    if obj["metadata"].get("deletionTimestamp"):
        sys.stderr.write(
            f"Warning: Detected changes to resource {obj['metadata']['name']} which is "
            "currently being deleted.\n"
        )


def register(app: typer.Typer) -> None:
    app.command("apply")(apply)
