"""`kubesim get -o custom-columns=...` and `-o custom-columns-file=...`: reading the spec and
turning kubectl's refusals into its error lines (the printing is kubesim.printers.custom_columns).
"""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import UsageError

Object = dict[str, Any]


def columns_for_output(output: str) -> list[tuple[str, str]]:
    """The columns an -o custom-columns[-file]=... value asks for."""
    from kubesim.printers import custom_columns

    name, _, value = output.partition("=")
    try:
        if name == "custom-columns":
            return custom_columns.from_spec(value)
        try:
            with open(value, encoding="utf-8") as template:
                text = template.read()
        except OSError as err:
            reason = (err.strerror or str(err)).lower()
            raise UsageError(f"error reading template {value}, open {value}: {reason}\n") from None
        return custom_columns.from_template(text)
    except custom_columns.ColumnsError as err:
        raise UsageError(str(err)) from None


def columns_text(output: str, objects: list[Object], *, no_headers: bool) -> str:
    """The custom-columns table; a template file always prints its header line (kubectl's
    NewCustomColumnsPrinterFromTemplate ignores --no-headers)."""
    from kubesim.printers import custom_columns

    columns = columns_for_output(output)
    file_based = output.startswith("custom-columns-file")
    try:
        return custom_columns.render(columns, objects, no_headers=no_headers and not file_based)
    except custom_columns.ColumnsError as err:
        raise UsageError(str(err)) from None
