"""-o custom-columns=HEADER:PATH,... and -o custom-columns-file=FILE (kubectl's customcolumn.go).

Each column is a JSONPath (relaxed: `.metadata.name`, `metadata.name` and `{.metadata.name}`
all work); headers print as given; a path that selects nothing prints `<none>`, several values
print joined with commas, each as Go's %v prints it.
"""

from __future__ import annotations

import re
from typing import Any

from kubesim.api.gofmt import go_sprint
from kubesim.printers.table import TabWriter

Object = dict[str, Any]

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


class ColumnsError(ValueError):
    """Raised for a custom-columns spec or template kubectl would refuse; text is kubectl's."""


def relaxed_jsonpath(expression: str) -> str:
    """RelaxedJSONPathExpression: any of the accepted spellings, as `{.path}`."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise ColumnsError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


def from_spec(spec: str) -> list[tuple[str, str]]:
    """Columns from `NAME:.metadata.name,IP:.status.podIP`."""
    if not spec:
        raise ColumnsError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise ColumnsError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        columns.append((header, relaxed_jsonpath(path)))
    return columns


def from_template(text: str) -> list[tuple[str, str]]:
    """Columns from a template file: a line of headers, then a line of paths."""
    lines = text.splitlines()
    if not lines:
        raise ColumnsError(
            "invalid template, missing header line. Expected format is one line of space "
            "separated headers, one line of space separated column specs."
        )
    if len(lines) < 2:
        raise ColumnsError(
            "invalid template, missing spec line. Expected format is one line of space "
            "separated headers, one line of space separated column specs."
        )
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise ColumnsError(
            f"number of headers ({len(headers)}) and field specifications ({len(specs)}) "
            "don't match"
        )
    return [(h, relaxed_jsonpath(s)) for h, s in zip(headers, specs, strict=True)]


def cell(template: str, obj: Object) -> str:
    """One column's text for one object."""
    from kubesim.printers import jsonpath

    try:
        results = jsonpath.find_results(template, obj)
    except jsonpath.JSONPathError as err:
        raise ColumnsError(str(err)) from None
    if not results or not results[0]:
        values = ["<none>"]
    else:
        values = [go_sprint(v) for found in results for v in found]
    return ",".join(values)


def render(columns: list[tuple[str, str]], objects: list[Object], *, no_headers: bool) -> str:
    """The table: headers (unless suppressed) even when there are no objects, then one row
    per object, through the same tabwriter as kubectl's tables."""
    lines = [] if no_headers else [[header for header, _ in columns]]
    lines += [[cell(path, obj) for _, path in columns] for obj in objects]
    return TabWriter().render(lines)
