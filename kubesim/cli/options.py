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


def clean_output(value: str | None) -> str | None:
    """`-o=yaml` arrives as '=yaml' from the parser; kubectl accepts it."""
    if value is not None and value.startswith("="):
        return value[1:]
    return value
