"""kubectl explain (pkg/cmd/explain): the fields of a kind, with their types and Kubernetes'
own descriptions, in kubectl v1.32's layouts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kubesim.api.errors import PlainError, UsageError

FORMATS = ("plaintext", "plaintext-openapiv2")


def explain(
    args: Annotated[list[str] | None, typer.Argument(metavar="TYPE[.FIELD...]")] = None,
    recursive: Annotated[
        bool,
        typer.Option(
            "--recursive",
            help="When true, print the name of all the fields recursively. Otherwise, print the "
            "available fields with their description.",
        ),
    ] = False,
    api_version: Annotated[
        str,
        typer.Option(
            "--api-version", help="Use given api-version (group/version) of the resource."
        ),
    ] = "",
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            help="Format in which to render the schema. Valid values are: (plaintext, "
            "plaintext-openapiv2).",
        ),
    ] = "plaintext",
) -> None:
    """Describe the fields of a resource: TYPE.FIELD.FIELD... names one field.

    Example: kubesim explain pods.spec.containers
    """
    from kubesim.api import openapi
    from kubesim.kubectl.explain import split_resource
    from kubesim.printers import explain as printer

    words = list(args or [])
    if not words:
        raise UsageError(
            'You must specify the type of resource to explain. Use "kubesim api-resources" '
            "for a complete list of supported resources.\n"
        )
    if len(words) > 1:
        raise UsageError("We accept only this format: explain RESOURCE\n")
    kind, path = split_resource(words[0], matching_prefix=not api_version)
    group, version = kind.group, kind.version
    if api_version:
        group, version = _parse_group_version(api_version)
    if output not in FORMATS:
        raise UsageError(f"unrecognized format: {output}")
    if (group, version) != (kind.group, kind.version):
        _check_group_version(group, version, kind.plural)
    document = openapi.Document(kind)
    render = printer.plaintext if output == "plaintext" else printer.plaintext_openapiv2
    try:
        text = render(document, group, kind.kind, version, path, recursive)
    except printer.ExplainError as err:
        raise PlainError(str(err)) from None
    sys.stdout.write(text)


def _parse_group_version(text: str) -> tuple[str, str]:
    """schema.ParseGroupVersion."""
    if text.count("/") > 1:
        raise UsageError(f"unexpected GroupVersion string: {text}")
    group, _, version = text.rpartition("/")
    return group, version


def _check_group_version(group: str, version: str, resource: str) -> None:
    """The errors kubectl gives when --api-version names a group/version without the resource:
    one the server does not serve at all, or one whose document lacks the resource."""
    from kubesim.api.kinds import KINDS

    gvr = f"{group}/{version}, Resource={resource}"
    if not any((k.group, k.version) == (group, version) for k in KINDS):
        raise UsageError(f'couldn\'t find resource for "{gvr}"')
    raise UsageError(f"GVR ({gvr}) not found in OpenAPI schema")


def register(app: typer.Typer) -> None:
    app.command("explain", no_args_is_help=False)(explain)
