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

from kubesim.api import kinds
from kubesim.api.errors import ApiError, Invalid, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.manifests import Manifest, load_manifests
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import dry_run_suffix, print_result

Object = dict[str, Any]

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def apply(
    filenames: options.Filenames = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
) -> None:
    """Apply a configuration to a resource by file name or stdin; it is created if missing.

    Example: kubesim apply -f web.yaml
    """
    from kubesim.engine import session

    directive = options.field_validation(validate)
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    manifests = load_manifests(filenames, namespace, verb="apply")
    suffix = dry_run_suffix(dry_run)
    errors: list[KubesimError] = []
    with session.writing() as server:
        for manifest in manifests:
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
    raise_all(errors)


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
    kind = kinds.for_object(obj["apiVersion"], obj["kind"])
    assert kind is not None  # checked by load_manifests
    metadata = obj.setdefault("metadata", {})
    name = str(metadata.get("name") or "")
    if not name and metadata.get("generateName"):
        raise UsageError(f"from {metadata['generateName']}: cannot use generate name with apply")
    if kind.namespaced:
        metadata["namespace"] = metadata.get("namespace") or options.resolve_namespace(namespace)
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
            return "created", kind, server.create(obj, field_validation=directive)
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
    original = json.loads(annotations[LAST_APPLIED]) if annotations.get(LAST_APPLIED) else None
    modified = modified_configuration(obj, annotate=True)
    meta = patch_meta.for_kind(kind.kind)
    try:
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
                patched, field_validation=directive, patch_type="strategic", patch=patch
            )
        except ApiError as err:
            raise _with_source(err, "patching", manifest.source, kind, live, patch) from None
    _warn_if_deleting(result)
    return "configured", kind, result


def _with_source(
    err: ApiError,
    verb: str,
    source: str,
    kind: Kind | None = None,
    live: Object | None = None,
    patch: Object | None = None,
) -> ApiError:
    """cmdutil.AddSourceToErr: the file named in the server's message (an Invalid error is
    printed from its causes, so the message never shows there)."""
    if isinstance(err, Invalid):
        return err
    if verb == "creating":
        err.message = f'error when creating "{source}": {err.message}'
        return err
    from kubesim.api.gofmt import go_json

    assert kind is not None and live is not None and patch is not None
    version = f"{kind.group}/{kind.version}" if kind.group else f"/{kind.version}"
    gvk = f"{kind.group}/{kind.version}" if kind.group else kind.version
    info = (
        f'Resource: "{version}, Resource={kind.plural}", '
        f'GroupVersionKind: "{gvk}, Kind={kind.kind}"\n'
        f'Name: "{live["metadata"]["name"]}", Namespace: "{live["metadata"].get("namespace", "")}"'
    )
    err.message = (
        f'error when applying patch:\n{go_json(patch)}\nto:\n{info}\nfor: "{source}": {err.message}'
    )
    return err


def _warn_if_deleting(obj: Object) -> None:
    if obj["metadata"].get("deletionTimestamp"):
        sys.stderr.write(
            f"Warning: Detected changes to resource {obj['metadata']['name']} which is "
            "currently being deleted.\n"
        )


def register(app: typer.Typer) -> None:
    app.command("apply")(apply)
