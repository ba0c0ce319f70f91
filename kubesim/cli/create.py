"""kubectl create: -f, or a deployment or namespace from flags (create_deployment.go,
create_namespace.go)."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api import kinds
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import Manifest, load_manifests
from kubesim.cli.report import print_warnings, raise_all
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
        manifests = [Manifest("", obj)]
    elif filenames:
        manifests = load_manifests(filenames, namespace, verb="create")
    else:
        raise UsageError("must specify one of -f and -k")
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
                        manifest.obj,
                        options.resolve_namespace(namespace),
                        field_validation=directive,
                    )
            except ApiError as err:
                if manifest.source:  # kubectl's AddSourceToErr names the file
                    err.message = f'error when creating "{manifest.source}": {err.message}'
                errors.append(err)
                continue
            finally:
                print_warnings(server.warnings)
            print_result(kind, created, "created" + suffix, output)
    raise_all(errors)


def register(app: typer.Typer) -> None:
    app.command("create")(create)
