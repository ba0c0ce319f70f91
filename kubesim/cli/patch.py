"""kubectl patch (pkg/cmd/patch/patch.go): a strategic merge, JSON merge or JSON patch sent to
the apiserver, which applies it, then defaults and validates the result like any update."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kubesim.api import recursion
from kubesim.api.errors import ApiError, KubesimError, UsageError
from kubesim.api.kinds import Kind
from kubesim.cli import options
from kubesim.cli.report import print_warnings, raise_all
from kubesim.cli.visit import check_arguments, dry_run_suffix, find, print_result

Object = dict[str, Any]

PATCH_TYPES = ("json", "merge", "strategic")


def patch(
    args: Annotated[list[str] | None, typer.Argument(metavar="(-f FILENAME | TYPE NAME)")] = None,
    patch_text: Annotated[
        str | None, typer.Option("--patch", "-p", help="The patch, as JSON or YAML.")
    ] = None,
    patch_file: Annotated[
        str | None, typer.Option("--patch-file", help="A file containing the patch.")
    ] = None,
    patch_type: Annotated[
        str, typer.Option("--type", help="The type of patch: json, merge or strategic.")
    ] = "strategic",
    namespace: options.Namespace = None,
    filenames: options.Filenames = None,
    kustomize: options.Kustomize = None,
    output: options.Output = None,
    dry_run: options.DryRun = None,
) -> None:
    """Update fields of a resource with a strategic merge, JSON merge or JSON patch.

    Example: kubesim patch statefulset web -p '{"spec":{"replicas":3}}'
    """
    filenames = options.sources(filenames, kustomize)
    from kubesim.api import patching
    from kubesim.engine import session

    if patch_text and patch_file:
        raise UsageError("cannot specify --patch and --patch-file together")
    if not patch_text and not patch_file:
        raise UsageError(
            "must specify --patch or --patch-file containing the contents of the patch"
        )
    if patch_type.lower() not in PATCH_TYPES:
        raise UsageError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    suffix = dry_run_suffix(dry_run)
    document = _read_patch(patch_text, patch_file)
    resources = list(args or [])
    check_arguments(resources, filenames, verb="patch")
    errors: list[KubesimError] = []
    depth = patching.nesting(document)
    with session.writing() as server, recursion.room(depth):
        found, errors = find(server, resources, filenames, namespace, verb="patch")
        if not found and not errors:
            raise UsageError("no objects passed to patch")
        for kind, obj in found:
            try:
                result = _patch_one(server, kind, obj, document, patch_type.lower(), suffix)
            except (ApiError, UsageError) as err:
                errors.append(err)
                break  # the visitor stops at the first failure
            finally:
                print_warnings(server.warnings)
            operation = "patched" if result != obj else "patched (no change)"
            print_result(kind, result, operation + suffix, output)
    raise_all(errors)


def _read_patch(text: str | None, path: str | None) -> str:
    """The patch as JSON text; YAML is converted as yaml.ToJSON converts it."""
    import json

    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(
                f"unable to read patch file: open {path}: {(err.strerror or '').lower()}"
            ) from None
    assert text is not None
    if text.lstrip().startswith("{"):
        return text  # an object goes to the server as it is; its JSON errors are the server's
    from kubesim.api import goyaml

    try:
        value = goyaml.yaml_to_json(text)
        with recursion.room(recursion.nesting(value)):
            return json.dumps(value)
    except goyaml.YAMLError as err:  # yaml.ToJSON's error, without Unmarshal's words
        reason = str(err).removeprefix("error converting YAML to JSON: ")
        raise UsageError(f"unable to parse {json.dumps(text)}: {reason}") from None


def _patch_one(
    server: Any, kind: Kind, obj: Object, document: str, patch_type: str, suffix: str
) -> Object:
    """What the apiserver's PATCH handler does: decode, apply, check the name, update."""
    from kubesim.api import decode, patching

    body = patching.decode(document, patch_type)
    if suffix:
        return patching.apply(kind, obj, body, patch_type)
    # kubectl patch sends no fieldValidation: the apiserver's default is to warn
    return server.patch(  # type: ignore[no-any-return]
        kind, obj, patch_type, body, field_validation=decode.WARN, field_manager="kubectl-patch"
    )


def register(app: typer.Typer) -> None:
    app.command("patch")(patch)
