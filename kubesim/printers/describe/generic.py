"""describe.go's genericDescriber, used for kinds without a typed describer (ControllerRevision,
Event): every field of the object, keys sorted and turned into labels (`apiVersion` ->
`API Version`), nested maps indented a level."""

from __future__ import annotations

from typing import Any

from kubesim.printers.describe.common import (
    Context,
    Object,
    go_value,
    metadata,
    print_annotations_multiline,
    print_labels_multiline,
)
from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.writer import LEVEL_0, PrefixWriter, Writer

_SKIPPED = (".metadata.managedFields", ".metadata.name", ".metadata.namespace",
            ".metadata.labels", ".metadata.annotations")  # fmt: skip
_ACRONYMS = ("API", "URL", "UID", "OSB", "GUID")


def describe_generic(ctx: Context, obj: Object) -> str:
    md = metadata(obj)
    events = events_for(ctx, obj)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    print_unstructured(w, LEVEL_0, obj, "")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def print_unstructured(w: Writer, level: int, content: dict[str, Any], prefix: str) -> None:
    """printUnstructuredContent: maps and lists open a section, values print `Label:  value`."""
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in _SKIPPED:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            print_unstructured(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    print_unstructured(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_value(child)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{go_value(value)}\n")


def smart_label(field: str) -> str:
    """smartLabelFor: camelCase split into title-cased words, known acronyms upper-cased;
    a field with characters other than letters and '-' is printed as it is."""
    if any(not (c.isalpha() or c == "-") for c in field):
        return field
    words = []
    for part in camelcase_split(field):
        if part == "_":
            continue
        words.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(words)


def camelcase_split(text: str) -> list[str]:
    """fatih/camelcase Split: runs of lower, upper, digit and other characters, with the
    last upper-case letter of a run moved onto a following lower-case run (PDFLoader)."""
    runs: list[list[str]] = []
    last = None
    for char in text:
        kind = 1 if char.islower() else 2 if char.isupper() else 3 if char.isdigit() else 4
        if kind == last:
            runs[-1].append(char)
        else:
            runs.append([char])
        last = kind
    for i in range(len(runs) - 1):
        if runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(run) for run in runs if run]
