"""Flags shared by several commands, declared once (kubectl's persistent and common flags)."""

from __future__ import annotations

from typing import Annotated

import typer

Namespace = Annotated[
    str | None,
    typer.Option("--namespace", "-n", help="If present, the namespace scope for this CLI request."),
]
AllNamespaces = Annotated[
    bool,
    typer.Option(
        "--all-namespaces",
        "-A",
        help="If present, list the requested object(s) across all namespaces.",
    ),
]
Selector = Annotated[
    str | None,
    typer.Option(
        "--selector",
        "-l",
        help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.",
    ),
]
FieldSelector = Annotated[
    str | None,
    typer.Option(
        "--field-selector", help="Selector (field query) to filter on, e.g. status.phase=Running."
    ),
]
Filenames = Annotated[
    list[str] | None,
    typer.Option(
        "--filename", "-f", help="Filename, directory, or '-' for stdin, of the manifests."
    ),
]
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Output format: json, yaml, name, wide, jsonpath=TEMPLATE.",
    ),
]


Validate = Annotated[
    str,
    typer.Option(
        "--validate",
        help="strict (or true): refuse unknown fields; warn: warn about them; "
        "ignore (or false): drop them silently.",
    ),
]


def field_validation(value: str) -> str:
    """The fieldValidation kubectl sends for --validate (cmdutil.GetValidationDirective)."""
    from kubesim.api import decode
    from kubesim.api.errors import UsageError

    # strconv.ParseBool's spellings, then the three names, case-sensitively
    directives = {
        **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True", "strict"), decode.STRICT),
        **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False", "ignore"), decode.IGNORE),
        "warn": decode.WARN,
    }
    directive = directives.get(value)
    if directive is None:
        raise UsageError(
            f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
            "ignore (or false)"
        )
    return directive
