"""`kubesim get` with a template: -o go-template[-file]=..., -o template[file]=..., --template,
-o jsonpath[-file|-as-json]=...; reading template files and turning kubectl's refusals into its
error lines (genericclioptions' GoTemplatePrintFlags and JSONPathPrintFlags). The printing is
kubesim.printers.gotemplate and kubesim.printers.jsonpath.
"""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import UsageError

GO_TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile")
JSONPATH_FORMATS = ("jsonpath", "jsonpath-file", "jsonpath-as-json")
FILE_FORMATS = ("go-template-file", "templatefile", "jsonpath-file")


class TemplateOutputError(UsageError):
    """Raised when a template fails on an object; `output` (what it printed so far and
    kubectl's debugging text) belongs on stdout before the error."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def template_source(output: str) -> str:
    """The template an -o value names: its text, or the contents of its file."""
    name, _, value = output.partition("=")
    if not value:
        raise UsageError("template format specified but no template given")
    if name not in FILE_FORMATS:
        return value
    try:
        with open(value, encoding="utf-8", errors="surrogateescape") as template:
            return template.read()
    except OSError as err:
        op = "read" if isinstance(err, IsADirectoryError) else "open"
        reason = (err.strerror or str(err)).lower()
        raise UsageError(f"error reading --template {value}, {op} {value}: {reason}") from None


def go_template(output: str) -> Any:
    """The parsed template of an -o go-template... value; kubectl's error when it cannot be."""
    from kubesim.printers import gotemplate

    text = template_source(output)
    try:
        return gotemplate.Template(text)
    except gotemplate.ParseError as err:
        raise UsageError(f"error parsing template {text}, {err}") from None


def go_template_text(output: str, data: Any) -> str:
    """What the go-template prints for data (an object, or a List of them)."""
    from kubesim.printers import gotemplate

    try:
        return gotemplate.print_obj(go_template(output), data)
    except gotemplate.PrintError as err:
        raise TemplateOutputError(str(err), err.output) from None


def jsonpath_text(output: str, data: Any) -> str:
    """What the -o jsonpath... value prints for data; -as-json prints each result as JSON."""
    from kubesim.printers import jsonpath

    name = output.partition("=")[0]
    text = template_source(output)
    try:
        if name == "jsonpath-as-json":
            return jsonpath.render_json(text, data)
        return jsonpath.render(text, data)
    except jsonpath.JSONPathError as err:
        raise UsageError(f"error parsing jsonpath {text}, {err}") from None


def check_template(output: str) -> None:
    """Refuse a missing file or a bad template now, not at the first object (get -w: kubectl
    builds its printer before it watches)."""
    name = output.partition("=")[0]
    if name in GO_TEMPLATE_FORMATS:
        go_template(output)
    elif name in JSONPATH_FORMATS:
        from kubesim.printers import jsonpath

        text = template_source(output)
        try:
            jsonpath.parse(text)
        except jsonpath.JSONPathError as err:
            raise UsageError(f"error parsing jsonpath {text}, {err}") from None
