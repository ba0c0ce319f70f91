"""kubectl replace (pkg/cmd/replace/replace.go): each object in the files replaces the live one
whole (a PUT). Without a resourceVersion in the file the live one's is taken, so the write is
unconditional; with one, a stale file is refused with a Conflict."""

from __future__ import annotations

import copy
import sys
from typing import Annotated, Any

import typer

from kubesim.api import decode, recursion
from kubesim.api.errors import ApiError, KubesimError, NotFound, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import load_manifests, namespace_error, read_manifests
from kubesim.cli.report import finish, print_warnings, raise_all
from kubesim.cli.visit import dry_run_suffix, print_result


def replace(
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    force: Annotated[
        bool, typer.Option("--force", help="Delete the objects, wait for them to go, create them.")
    ] = False,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
) -> None:
    """Replace a resource by file name or stdin; the complete object must be given.

    Example: kubesim get deploy web -o yaml > web.yaml; (edit it); kubesim replace -f web.yaml
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session

    directive = options.field_validation(validate)
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    suffix = dry_run_suffix(dry_run)
    if force:
        _force_replace(load_manifests(filenames, namespace), namespace, directive)
        return
    loaded = read_manifests(filenames, validate=directive != decode.IGNORE)
    errors: list[KubesimError] = []
    depth = max((recursion.nesting(m.obj) for m in loaded.manifests), default=0)
    with session.writing() as server, recursion.room(depth):
        # replace's Visit, with ContinueOnError: each object in turn, the errors at the end
        for manifest in loaded.manifests:
            refused = namespace_error(manifest, namespace)
            if refused is not None:
                errors.append(refused)
                continue
            kind = manifest.kind
            obj = copy.deepcopy(manifest.obj)
            obj["apiVersion"] = kind.api_version  # the URL's, whatever the file says
            if obj.get("metadata") is None:
                obj["metadata"] = {}
            metadata = obj["metadata"]
            if kind.namespaced:
                metadata["namespace"] = metadata.get("namespace") or options.resolve_namespace(
                    namespace
                )
            if dry_run == "client":
                print_result(kind, obj, "replaced" + suffix, output)
                continue
            try:
                live = server.find(kind, metadata.get("namespace"), str(metadata.get("name", "")))
                if live is None:
                    raise NotFound(kind.resource, str(metadata.get("name", "")))
                metadata.setdefault("resourceVersion", live["metadata"]["resourceVersion"])
                result = (
                    obj
                    if suffix
                    else server.update(
                        obj, field_validation=directive, field_manager="kubectl-replace"
                    )
                )
            except ApiError as err:
                err.message = f'error when replacing "{manifest.source}": {err.message}'
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, result, "replaced" + suffix, output)
    finish(errors, loaded.errors)


def _force_replace(manifests: list[Any], namespace: str | None, directive: str) -> None:
    """forceReplace: delete what the files name (background cascade), wait until it is gone
    (ticking in manual mode), then create the files' objects anew."""
    from kubesim.cli.delete import WAIT_TIMEOUT, all_gone
    from kubesim.engine import session

    deleted = []
    with session.writing() as server:
        for manifest in manifests:
            kind = manifest.kind
            metadata = manifest.obj.get("metadata") or {}
            ns = (
                (metadata.get("namespace") or options.resolve_namespace(namespace))
                if kind.namespaced
                else None
            )
            live = server.find(kind, ns, str(metadata.get("name", "")))
            if live is None:
                continue  # IgnoreNotFound: replacing what is gone creates it
            server.delete(kind, ns, live["metadata"]["name"])
            deleted.append((kind, live))
            sys.stdout.write(f'{kind.qualified_kind} "{live["metadata"]["name"]}" deleted\n')
    sys.stdout.flush()
    if deleted:
        session.wait_for(lambda srv: all_gone(srv, deleted), timeout=WAIT_TIMEOUT)
    errors: list[KubesimError] = []
    with session.writing() as server:
        for manifest in manifests:
            kind = manifest.kind
            try:
                created = server.create(
                    copy.deepcopy(manifest.obj),
                    options.resolve_namespace(namespace),
                    field_validation=directive,
                    field_manager="kubectl-replace",
                )
            except ApiError as err:
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, created, "replaced", None)
    raise_all(errors)


def register(app: typer.Typer) -> None:
    app.command("replace")(replace)
