"""kubectl replace (pkg/cmd/replace/replace.go): each object in the files replaces the live one
whole (a PUT). Without a resourceVersion in the file the live one's is taken, so the write is
unconditional; with one, a stale file is refused with a Conflict."""

from __future__ import annotations

import copy

import typer

from kubesim.api import kinds
from kubesim.api.errors import ApiError, Invalid, KubesimError, NotFound, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import load_manifests
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import dry_run_suffix, print_result


def replace(
    filenames: options.Filenames = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
) -> None:
    """Replace a resource by file name or stdin; the complete object must be given.

    Example: kubesim get deploy web -o yaml > web.yaml; (edit it); kubesim replace -f web.yaml
    """
    from kubesim.engine import session

    directive = options.field_validation(validate)
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    suffix = dry_run_suffix(dry_run)
    manifests = load_manifests(filenames, namespace)
    errors: list[KubesimError] = []
    with session.writing() as server:
        for manifest in manifests:
            obj = copy.deepcopy(manifest.obj)
            kind = kinds.for_object(obj["apiVersion"], obj["kind"])
            assert kind is not None  # checked by load_manifests
            metadata = obj.setdefault("metadata", {})
            if kind.namespaced:
                metadata["namespace"] = metadata.get("namespace") or namespace or "default"
            if dry_run == "client":
                print_result(kind, obj, "replaced" + suffix, output)
                continue
            try:
                live = server.find(kind, metadata.get("namespace"), str(metadata.get("name", "")))
                if live is None:
                    raise NotFound(kind.resource, str(metadata.get("name", "")))
                metadata.setdefault("resourceVersion", live["metadata"]["resourceVersion"])
                result = obj if suffix else server.update(obj, field_validation=directive)
            except ApiError as err:
                if not isinstance(err, Invalid):  # cmdutil.AddSourceToErr
                    err.message = f'error when replacing "{manifest.source}": {err.message}'
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, result, "replaced" + suffix, output)
    raise_all(errors)


def register(app: typer.Typer) -> None:
    app.command("replace")(replace)
