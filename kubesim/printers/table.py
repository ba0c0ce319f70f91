"""Tables as kubectl renders them: cells through a tabwriter (min width 6, padding 3) that
remembers column widths, so the rows of a watch stay aligned with the header."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kubesim.api.kinds import Kind
from kubesim.printers.columns import Column, columns_for

Object = dict[str, Any]

MIN_WIDTH, PADDING = 6, 3


class TableOptions:
    """How a table is laid out (the flags of kubectl get that shape it)."""

    def __init__(
        self,
        *,
        wide: bool = False,
        with_kind: bool = False,
        all_namespaces: bool = False,
        show_labels: bool = False,
        label_columns: list[str] | None = None,
        no_headers: bool = False,
    ) -> None:
        self.wide = wide
        self.with_kind = (
            with_kind  # prefix names with `kind[.group]/`, when several types are listed
        )
        self.all_namespaces = all_namespaces
        self.show_labels = show_labels
        self.label_columns = label_columns or []
        self.no_headers = no_headers


def headers(kind: Kind, options: TableOptions) -> list[str]:
    names = [c.header for c in columns_for(kind.resource, options.wide)]
    if options.all_namespaces and kind.namespaced:
        names.insert(0, "NAMESPACE")
    names += [key.rsplit("/", 1)[-1].upper() for key in options.label_columns]
    if options.show_labels:
        names.append("LABELS")
    return names


def row(kind: Kind, obj: Object, now: float, options: TableOptions) -> list[str]:
    columns: list[Column] = columns_for(kind.resource, options.wide)
    cells = [_clean(c.cell(obj, now)) for c in columns]
    if options.with_kind and columns and columns[0].header == "NAME":
        cells[0] = f"{kind.qualified_kind}/{cells[0]}"
    if options.all_namespaces and kind.namespaced:
        cells.insert(0, str(obj["metadata"].get("namespace", "")))
    labels = obj["metadata"].get("labels") or {}
    cells += [str(labels.get(key, "")) for key in options.label_columns]
    if options.show_labels:
        cells.append(",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>")
    return cells


def _clean(cell: str) -> str:
    """A cell with a newline is cut there and marked `...` (tableprinter.go)."""
    if "\n" in cell:
        return cell.split("\n", 1)[0] + "..."
    return cell


class TabWriter:
    """text/tabwriter with RememberWidths: widths only grow across writes."""

    def __init__(self) -> None:
        self.widths: list[int] = []

    def render(self, lines: list[list[str]]) -> str:
        for line in lines:
            for i, cell in enumerate(line[:-1]):
                width = max(MIN_WIDTH, len(cell) + PADDING)
                if i >= len(self.widths):
                    self.widths.append(width)
                elif width > self.widths[i]:
                    self.widths[i] = width
        out = []
        for line in lines:
            cells = [cell.ljust(self.widths[i]) for i, cell in enumerate(line[:-1])]
            out.append("".join(cells) + (line[-1] if line else "") + "\n")
        return "".join(out)


def render(
    kind: Kind,
    objects: Iterable[Object],
    now: float,
    options: TableOptions,
    writer: TabWriter | None = None,
) -> str:
    """The table for `objects`; empty when there are none (kubectl prints no bare header).
    Rows are made as the objects come, so an iterator need not hold them all at once."""
    rows = [row(kind, obj, now, options) for obj in objects]
    if not rows:
        return ""
    lines = rows if options.no_headers else [headers(kind, options), *rows]
    return (writer or TabWriter()).render(lines)
