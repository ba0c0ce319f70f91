"""Flags shared by several commands, declared once (kubectl's persistent and common flags)."""

from __future__ import annotations

from typing import Annotated

import typer

from kubesim.api.gotime import go_duration as go_duration  # Go durations, for the flags

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
Kustomize = Annotated[
    str | None,
    typer.Option(
        "--kustomize",
        "-k",
        help="Process a kustomization directory. This flag can't be used together with -f or -R.",
    ),
]


class KustomizeDir(str):
    """A -k directory where a -f path would be: the reader builds it (kubectl's
    KustomizeVisitor), and names the directory as the objects' source."""


def sources(filenames: list[str] | None, kustomize: str | None) -> list[str] | None:
    """-f paths, or the -k directory in their place; kubectl refuses both at once."""
    if kustomize is None:
        return filenames
    if filenames:
        from kubesim.api.errors import UsageError

        raise UsageError("only one of -f or -k can be specified")
    return [KustomizeDir(kustomize)]


DryRun = Annotated[str | None, typer.Option("--dry-run", help="none, client or server.")]
All = Annotated[
    bool, typer.Option("--all", help="Select all resources of the types, in the namespace.")
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


def duration_flag(text: str, flag: str, command: str) -> float:
    """A duration flag's value, or pflag's error for it as cobra prints it."""
    from kubesim.api.errors import PlainError

    try:
        return go_duration(text)
    except ValueError as err:
        raise PlainError(
            f'Error: invalid argument "{text}" for "--{flag}" flag: {err}\n'
            f"See 'kubesim {command} --help' for usage."
        ) from None


def resolve_namespace(namespace: str | None) -> str:
    """The namespace a command acts in: -n's, else the current context's (as kubectl takes it
    from its kubeconfig), else default."""
    if namespace:
        return namespace
    from kubesim.cli.kubeconfig import namespace as context_namespace

    return context_namespace()
