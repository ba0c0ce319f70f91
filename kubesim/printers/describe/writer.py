"""The text machinery of `kubectl describe`: a PrefixWriter over Go's text/tabwriter.

describe.go writes every line through `PrefixWriter.Write(level, format, ...)`, which indents by
two spaces per level, into a `tabwriter.Writer` set up by `tabbedString` as
`out.Init(buf, 0, 8, 2, ' ', 0)`: minwidth 0, padding 2, pad with spaces, no flags. Tabs end
cells; a column's width is set per *block* of consecutive lines that have a cell in it, so the
`Name:` / `Namespace:` values line up while a nested table below gets its own widths.
"""

from __future__ import annotations

from typing import Protocol

LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, LEVEL_4 = range(5)

MIN_WIDTH, PADDING = 0, 2  # tabbedString: out.Init(buf, 0, 8, 2, ' ', 0)

# cli-runtime printers.WriteEscaped replaces ESC with "^[" and CR with a literal "\r"
_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})


def tabwrite(text: str) -> str:
    """Lay out tab-separated text as text/tabwriter does (left-aligned, space-padded)."""
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    _format(lines, 0, len(lines), [], out)
    return "\n".join(out)


def _format(
    lines: list[list[str]], line0: int, line1: int, widths: list[int], out: list[str]
) -> None:
    """tabwriter.Writer.format: find each block of lines with a cell in the next column."""
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, line0, this, widths, out)
        line0 = this
        width = MIN_WIDTH
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + PADDING)
            this += 1
        _format(lines, line0, this, [*widths, width], out)
        line0 = this
        # as the Go loop's `this++` after a block: the line that ended it has no cell here
        this += 1
    _write_lines(lines, line0, line1, widths, out)


def _write_lines(
    lines: list[list[str]], line0: int, line1: int, widths: list[int], out: list[str]
) -> None:
    for cells in lines[line0:line1]:
        text = []
        for j, cell in enumerate(cells):
            text.append(cell)
            if j < len(widths) and j < len(cells) - 1:
                text.append(" " * (widths[j] - len(cell)))
        out.append("".join(text))


class Writer(Protocol):
    """What describers write through (describe.go's PrefixWriter interface)."""

    def write(self, level: int, text: str) -> None: ...

    def write_line(self, *parts: str) -> None: ...

    def flush(self) -> None: ...


class PrefixWriter:
    """describe.go's prefixWriter: `write(level, text)` indents by two spaces a level.

    Text is collected in segments; `flush()` ends a segment, as tabwriter's Flush does, so the
    columns after it are aligned on their own (DescribeEvents flushes before its table).
    """

    def __init__(self) -> None:
        self._segments: list[str] = []
        self._current: list[str] = []

    def write(self, level: int, text: str) -> None:
        """PrefixWriter.Write: `text` is already formatted (callers use f-strings)."""
        self._current.append(("  " * level + text).translate(_ESCAPES))

    def write_line(self, *parts: str) -> None:
        """PrefixWriter.WriteLine: fmt.Sprintln joins its operands with spaces."""
        self._current.append((" ".join(parts) + "\n").translate(_ESCAPES))

    def flush(self) -> None:
        self._segments.append("".join(self._current))
        self._current = []

    def text(self) -> str:
        """Everything written, laid out by the tabwriter (tabbedString's final Flush)."""
        self.flush()
        return "".join(tabwrite(segment) for segment in self._segments)


class NestedPrefixWriter:
    """describe.go's nestedPrefixWriter: writes through another writer `indent` levels deeper."""

    def __init__(self, parent: Writer, indent: int) -> None:
        self._parent = parent
        self._indent = indent

    def write(self, level: int, text: str) -> None:
        self._parent.write(level + self._indent, text)

    def write_line(self, *parts: str) -> None:
        self._parent.write(self._indent, " ".join(parts) + "\n")

    def flush(self) -> None:
        self._parent.flush()
