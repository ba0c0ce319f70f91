"""kubectl create: -f, or a deployment or namespace from flags (create_deployment.go,
create_namespace.go)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kubesim.api import decode, recursion
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.cli import options
from kubesim.cli.manifests import namespace_error, read_manifests
from kubesim.cli.report import finish, print_warnings
from kubesim.cli.visit import dry_run_suffix, print_result

Object = dict[str, Any]


def create(
    ctx: typer.Context,
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[deployment|namespace|serviceaccount|configmap|secret TYPE|job|cronjob] NAME"
        ),
    ] = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    namespace: options.Namespace = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
    validate: options.Validate = "strict",
    image: Annotated[
        list[str] | None, typer.Option("--image", help="Image(s) of a new workload's containers.")
    ] = None,
    replicas: Annotated[
        int, typer.Option("--replicas", "-r", help="Number of replicas of a new deployment.")
    ] = 1,
    port: Annotated[
        int, typer.Option("--port", help="The port a new deployment's container exposes.")
    ] = -1,
    from_literal: Annotated[
        list[str] | None,
        typer.Option("--from-literal", help="A key and literal value (mykey=somevalue)."),
    ] = None,
    from_file: Annotated[
        list[str] | None,
        typer.Option("--from-file", help="A file or directory, optionally as key=path."),
    ] = None,
    from_env_file: Annotated[
        list[str] | None,
        typer.Option("--from-env-file", help="A file of key=val lines."),
    ] = None,
    type_: Annotated[str, typer.Option("--type", help="The type of secret to create.")] = "",
    cert: Annotated[str, typer.Option("--cert", help="PEM encoded certificate file.")] = "",
    key: Annotated[str, typer.Option("--key", help="Its private key's file.")] = "",
    docker_username: Annotated[
        str, typer.Option("--docker-username", help="Username for the Docker registry.")
    ] = "",
    docker_password: Annotated[
        str, typer.Option("--docker-password", help="Password for the Docker registry.")
    ] = "",
    docker_email: Annotated[
        str, typer.Option("--docker-email", help="Email for the Docker registry.")
    ] = "",
    docker_server: Annotated[
        str, typer.Option("--docker-server", help="Server location for the Docker registry.")
    ] = "https://index.docker.io/v1/",
    append_hash: Annotated[
        bool, typer.Option("--append-hash", help="Append a hash of the data to the name.")
    ] = False,
    schedule: Annotated[
        str | None, typer.Option("--schedule", help="A cron job's schedule, in Cron format.")
    ] = None,
    restart: Annotated[
        str, typer.Option("--restart", help="A cron job's restart policy: OnFailure, Never.")
    ] = "",
    from_: Annotated[
        str, typer.Option("--from", help="Create a job from this cronjob (cronjob/NAME).")
    ] = "",
) -> None:
    """Create a resource from a file or stdin, or one of the kinds kubectl's generators make.

    Example: kubesim create configmap game-config --from-file=configure-pod-container/
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.cli.create_generators import Flags, generate, given_flags
    from kubesim.engine import session

    directive = options.field_validation(validate)
    suffix = dry_run_suffix(dry_run)
    words = list(args or [])
    if words:
        argv: list[str] = (ctx.obj or {}).get("argv", [])
        after_dash = len(argv) - argv.index("--") - 1 if "--" in argv else 0
        names, command = words[: len(words) - after_dash], words[len(words) - after_dash :]
        flags = Flags(
            given=given_flags(argv),
            image=list(image or []),
            replicas=replicas,
            port=port,
            from_literal=list(from_literal or []),
            from_file=list(from_file or []),
            from_env_file=list(from_env_file or []),
            type_=type_,
            cert=cert,
            key=key,
            docker_username=docker_username,
            docker_password=docker_password,
            docker_email=docker_email,
            docker_server=docker_server,
            append_hash=append_hash,
            schedule=schedule,
            restart=restart,
            from_=from_,
        )
        if names == ["secret"]:  # cobra prints the command's help
            from kubesim.cli.create_generators import SECRET_HELP

            typer.echo(SECRET_HELP, nl=False)
            return
        with session.writing() as server:
            noun, obj = generate(
                server, options.resolve_namespace(namespace), names[0], names[1:], command, flags
            )
        _create_generated(noun, obj, namespace, output, suffix, directive)
        return
    if filenames:
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


def _create_generated(
    noun: str, obj: Object, namespace: str | None, output: str | None, suffix: str, directive: str
) -> None:
    """Send a generator's object (unless a client dry run) and print it; the server's refusal
    is wrapped as the generator's Run wraps it (`failed to create configmap: ...`)."""
    from kubesim.api import kinds
    from kubesim.engine import session

    kind = kinds.for_object(obj["apiVersion"], obj["kind"])
    assert kind is not None
    created = obj
    if not suffix:
        with session.writing() as server:
            try:
                created = server.create(
                    obj, options.resolve_namespace(namespace), field_validation=directive
                )
            except ApiError as err:
                if noun == "namespace":  # create_namespace.go returns the error as it is
                    raise
                # the secret generators alone leave out the colon
                glue = " " if noun == "secret" else ": "
                raise UsageError(f"failed to create {noun}{glue}{err.message}") from None
            finally:
                print_warnings(server.warnings)
    print_result(kind, created, "created" + suffix, output)


def register(app: typer.Typer) -> None:
    app.command("create")(create)
