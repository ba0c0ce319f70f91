"""kubectl create: -f, or a deployment or namespace from flags (create_deployment.go,
create_namespace.go)."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api import decode, recursion
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import Loaded, Manifest, namespace_error, read_manifests
from kubesim.cli.report import finish, print_warnings
from kubesim.cli.visit import dry_run_suffix, print_result


def create(
    ctx: typer.Context,
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[deployment NAME --image=IMAGE | namespace NAME | serviceaccount NAME]"
        ),
    ] = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
    image: Annotated[
        list[str] | None, typer.Option("--image", help="Image(s) of a new deployment's containers.")
    ] = None,
    replicas: Annotated[
        int, typer.Option("--replicas", "-r", help="Number of replicas of a new deployment.")
    ] = 1,
    port: Annotated[
        int, typer.Option("--port", help="The port a new deployment's container exposes.")
    ] = -1,
) -> None:
    """Create a resource from a file or stdin, or a deployment, namespace or service account.

    Example: kubesim create -f statefulset.yaml
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.engine import session
    from kubesim.kubectl import generate

    directive = options.field_validation(validate)
    suffix = dry_run_suffix(dry_run)
    words = list(args or [])
    if words:
        argv: list[str] = (ctx.obj or {}).get("argv", [])
        after_dash = len(argv) - argv.index("--") - 1 if "--" in argv else 0
        names, command = words[: len(words) - after_dash], words[len(words) - after_dash :]
        subcommand, names = names[0], names[1:]
        obj = generate.for_create(subcommand, names, image or [], replicas, port, command)
        loaded = Loaded([Manifest("", obj)])
    elif filenames:
        loaded = read_manifests(filenames, validate=directive != decode.IGNORE)
    else:
        raise UsageError("must specify one of -f and -k")
    errors: list[KubesimError] = []
    count = 0
    depth = max((recursion.nesting(m.obj) for m in loaded.manifests), default=0)
    with session.writing() as server, recursion.room(depth):
        # RunCreate's Visit, with ContinueOnError: each object in turn, the errors at the end
        for manifest in loaded.manifests:
            refused = namespace_error(manifest, namespace)
            if refused is not None:
                errors.append(refused)
                continue
            kind = manifest.kind
            try:
                if suffix:
                    created = manifest.obj
                else:
                    body = dict(manifest.obj, apiVersion=kind.api_version)  # as the URL says
                    created = server.create(
                        body,
                        options.resolve_namespace(namespace),
                        field_validation=directive,
                        field_manager="kubectl-create",
                    )
            except ApiError as err:
                if manifest.source:  # kubectl's AddSourceToErr names the file
                    err.message = f'error when creating "{manifest.source}": {err.message}'
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            count += 1
            print_result(kind, created, "created" + suffix, output)
    finish(errors, loaded.errors)
    if not count:
        raise UsageError("no objects passed to create")


def register(app: typer.Typer) -> None:
    app.command("create")(create)
