"""kubectl create -f."""

from __future__ import annotations

import sys

import typer

from kubesim.api import kinds
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import load_manifests
from kubesim.cli.report import print_warnings, raise_all
from kubesim.printers.structured import name_line


def create(
    filenames: options.Filenames = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
) -> None:
    """Create a resource from a file or from stdin.

    Example: kubesim create -f statefulset.yaml
    """
    from kubesim.engine import session

    directive = options.field_validation(validate)
    if not filenames:
        raise UsageError("must specify one of -f and -k")
    manifests = load_manifests(filenames, namespace)
    suffix = {None: "", "none": "", "client": " (dry run)", "server": " (server dry run)"}.get(
        dry_run
    )
    if suffix is None:
        raise UsageError(
            f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".'
        )
    errors: list[KubesimError] = []
    with session.writing() as server:
        for manifest in manifests:
            kind = kinds.for_object(manifest.obj["apiVersion"], manifest.obj["kind"])
            assert kind is not None  # checked by load_manifests
            try:
                if suffix:
                    created = manifest.obj
                else:
                    created = server.create(
                        manifest.obj, namespace or "default", field_validation=directive
                    )
            except ApiError as err:
                # kubectl's AddSourceToErr names the file (Invalid errors print their causes)
                err.message = f'error when creating "{manifest.source}": {err.message}'
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            if output == "name":
                sys.stdout.write(name_line(kind, created) + "\n")
            else:
                sys.stdout.write(name_line(kind, created, "created" + suffix) + "\n")
    raise_all(errors)


def register(app: typer.Typer) -> None:
    app.command("create")(create)
