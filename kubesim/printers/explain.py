"""kubectl explain's two layouts over an OpenAPI document (kubesim.api.openapi.Document):

- `plaintext`, the default: kubectl's openapi v3 template (pkg/explain/v2/templates/
  plaintext.tmpl), each of its sub-templates a function here of the same name;
- `plaintext-openapiv2`: the older printer (pkg/explain: model_printer.go, fields_printer.go,
  recursive_fields_printer.go, formatter.go, typename.go, field_lookup.go).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

Schema = dict[str, Any]


class Document(Protocol):
    root: str

    def schema(self, name: str) -> Schema | None: ...

    def resolve(self, ref: Any) -> Schema | None: ...


class ExplainError(Exception):
    """The template's `throw`: kubectl prints the message as the error."""


# --- plaintext (openapi v3) --------------------------------------------------------------------


def plaintext(
    doc: Document, group: str, kind: str, version: str, path: list[str], recursive: bool
) -> str:
    """The whole of `kubectl explain` for a kind (and a field path in it)."""
    head = f"GROUP:      {group}\n" if group else ""
    head += f"KIND:       {kind}\nVERSION:    {version}\n\n"
    root = doc.schema(doc.root) or {}
    body = _output(doc, root, path, recursive, None)
    if not body:
        raise ExplainError(f'error: field "{path[-1]}" does not exist')
    return head + body + "\n"


def _output(
    doc: Document, schema: Schema, path: list[str], recursive: bool, history: dict[str, int] | None
) -> str:
    ref = schema.get("$ref") or ""
    seen = {**(history or {}), ref: 1}
    resolved = doc.resolve(ref) or schema
    if not path:
        text = "DESCRIPTION:\n"
        text += _indent(4, wrap(76, _description(doc, resolved) or "<empty>")) + "\n"
        fields = _field_list(doc, resolved, 1, recursive, None)
        if fields:
            text += "FIELDS:\n" + fields
        return text
    if ref and (history or {}).get(ref):
        return ""  # a cycle
    properties = resolved.get("properties") or {}
    if path[0] in properties:
        sub = properties[path[0]]
        text = ""
        if len(path) == 1:
            text = f"FIELD: {path[0]} <{type_guess(doc, sub)}>\n" + "\n" + "\n"
        return text + _output(doc, sub, path[1:], recursive, {})
    if resolved.get("items"):
        return _output(doc, resolved["items"], path, recursive, seen)
    if isinstance(resolved.get("additionalProperties"), dict):
        return _output(doc, resolved["additionalProperties"], path, recursive, seen)
    for sub in resolved.get("allOf") or []:
        text = _output(doc, sub, path, recursive, seen)
        if text:
            return text
    return ""


def _field_list(
    doc: Document, schema: Schema, level: int, recursive: bool, history: dict[str, int] | None
) -> str:
    ref = schema.get("$ref") or ""
    if ref and (history or {}).get(ref):
        return ""
    seen = {**(history or {}), ref: 1}
    resolved = doc.resolve(ref) or schema
    text = ""
    for name in sorted(resolved.get("properties") or {}):
        text += _field_detail(doc, name, resolved, recursive, level)
        if recursive:
            text += _field_list(doc, resolved["properties"][name], level + 1, recursive, seen)
    for sub in resolved.get("allOf") or []:
        text += _field_list(doc, sub, level, recursive, seen)
    if resolved.get("items"):
        text += _field_list(doc, resolved["items"], level, recursive, seen)
    if isinstance(resolved.get("additionalProperties"), dict):
        text += _field_list(doc, resolved["additionalProperties"], level, recursive, seen)
    return text


def _field_detail(doc: Document, name: str, schema: Schema, short: bool, level: int) -> str:
    indent = level * 2
    field = schema["properties"][name]
    text = _indent(indent, name) + f"\t<{type_guess(doc, field)}>"
    if name in (schema.get("required") or []):
        text += " -required-"
    text += "\n"
    if not short:
        description = field.get("description") or "<no description>"
        text += _indent(indent + 2, wrap(78 - indent, description)) + "\n" + "\n"
    return text


def _description(doc: Document, schema: Schema) -> str:
    resolved = doc.resolve(schema.get("$ref")) or schema
    text = resolved["description"] + "\n" if resolved.get("description") else ""
    for sub in resolved.get("allOf") or []:
        text += _description(doc, sub)
    if resolved.get("items"):
        text += _description(doc, resolved["items"])
    if isinstance(resolved.get("additionalProperties"), dict):
        text += _description(doc, resolved["additionalProperties"])
    return text


def type_guess(doc: Document, schema: Schema) -> str:
    """The type hint of a field: string, Object, []Container, map[string]Quantity..."""
    if schema.get("items"):
        return "[]" + type_guess(doc, schema["items"])
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        return "map[string]" + type_guess(doc, schema["additionalProperties"])
    all_of = schema.get("allOf") or []
    if all_of and not schema.get("properties") and len(all_of) == 1:
        return type_guess(doc, all_of[0])
    ref = schema.get("$ref")
    if ref:
        target = doc.resolve(ref)
        if not target or not target.get("type") or target.get("type") == "object":
            return str(ref).split("/")[-1].split(".")[-1] or "Object"
        return str(target["type"])
    if schema.get("type") == "object":
        return "Object"
    return str(schema.get("type") or "Object")


def _indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def wrap(limit: int, text: str) -> str:
    """github.com/mitchellh/go-wordwrap v1.0.1 WrapString, which kubectl's `wrap` uses."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for char in text:
        if char == "\n":
            if not word:
                if current + len(space) > limit:
                    current = 0
                else:
                    out += space
                space = []
            else:
                out += space + word
                space, word = [], []
            out.append(char)
            current = 0
        elif char.isspace() and char != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out += space + word
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out += space
    else:
        out += space + word
    return "".join(out)


# --- plaintext-openapiv2 -----------------------------------------------------------------------

_FIELD_INDENT, _DESCRIPTION_INDENT, _INDENT_DESC, _INDENT_PER_LEVEL = 3, 5, 2, 3
_WRAP = 80


def plaintext_openapiv2(
    doc: Document, group: str, kind: str, version: str, path: list[str], recursive: bool
) -> str:
    """`kubectl explain --output=plaintext-openapiv2`."""
    leaf = _v2_lookup(doc, {"$ref": "#/components/schemas/" + doc.root}, path)
    printer = _ModelPrinter(doc, path[-1] if path else "", group, kind, version, recursive)
    printer.visit(leaf)
    return "".join(printer.out)


def _v2_shape(doc: Document, schema: Schema) -> tuple[str, Any]:
    """What kube-openapi's proto model makes of a schema: ("ref", target), ("array", items),
    ("map", values or None), ("kind", schema), ("primitive", type)."""
    all_of = schema.get("allOf") or []
    ref = schema.get("$ref") or (all_of[0].get("$ref") if len(all_of) == 1 else None)
    if ref:
        return "ref", ref
    if schema.get("type") == "array":
        return "array", schema.get("items") or {}
    if schema.get("properties") is not None:
        return "kind", schema
    if schema.get("type") == "object" or not schema.get("type"):
        values = schema.get("additionalProperties")
        return "map", values if isinstance(values, dict) else None
    # IntOrString and Quantity are strings to openapi v2
    return "primitive", schema.get("type") or "string"


def _v2_target(doc: Document, ref: str) -> Schema:
    target = doc.resolve(ref) or {}
    if target.get("format") == "int-or-string" or "oneOf" in target:
        return {**target, "type": "string"}
    return target


def _v2_type(doc: Document, schema: Schema | None) -> str:
    """typename.go GetTypeName."""
    if schema is None:
        return ""  # an Arbitrary has no type name
    shape, value = _v2_shape(doc, schema)
    if shape == "ref":
        return _v2_type(doc, _v2_target(doc, value))
    if shape == "array":
        return "[]" + _v2_type(doc, value)
    if shape == "map":
        return "map[string]" + _v2_type(doc, value)
    if shape == "kind":
        return "Object"
    return str(value)


def _v2_lookup(doc: Document, schema: Schema, path: list[str]) -> Schema:
    """field_lookup.go: follow the path through kinds, arrays, maps and references."""
    shape, value = _v2_shape(doc, schema)
    if not path and shape != "primitive":
        return schema
    if shape == "ref":
        target = _v2_target(doc, value)
        return _v2_lookup(doc, target, path)
    if shape in ("array", "map"):
        return _v2_lookup(doc, value or {}, path) if value is not None else schema
    if shape == "kind":
        fields = schema.get("properties") or {}
        if path[0] not in fields:
            raise ExplainError(f'error: field "{path[0]}" does not exist')
        return _v2_lookup(doc, fields[path[0]], path[1:])
    return schema


class _ModelPrinter:
    """model_printer.go, writing through formatter.go's Formatter."""

    def __init__(
        self, doc: Document, name: str, group: str, kind: str, version: str, recursive: bool
    ) -> None:
        self.doc = doc
        self.name = name
        self.kind = kind
        self.group_version = f"{group}/{version}" if group else version
        self.recursive = recursive
        self.type = ""
        self.descriptions: list[str] = []
        self.out: list[str] = []

    def write(self, indent: int, text: str) -> None:
        self.out.append("\n" if text == "" else " " * indent + text + "\n")

    def write_wrapped(self, indent: int, text: str) -> None:
        for line in _v2_wrap(text, _WRAP - indent):
            self.write(indent, line)

    def visit(self, schema: Schema) -> None:
        shape, value = _v2_shape(self.doc, schema)
        if shape in ("array", "map"):
            self.descriptions.append(schema.get("description", ""))
            self.type = self.type or _v2_type(self.doc, schema)
            if value is None:  # a map of anything: its values are proto's Arbitrary
                self._kind_and_version()
                self._description(schema)
                return
            self.visit(value)
        elif shape == "ref":
            self.descriptions.append(schema.get("description", ""))
            self.visit(_v2_target(self.doc, value))
        elif shape == "kind":
            self._kind_and_version()
            self.type = self.type or "Object"
            if self.name:
                self.write(0, f"RESOURCE: {self.name} <{self.type}>\n")
            self._description(schema)
            self.write(0, "\nFIELDS:")
            if self.recursive:
                self._recursive_fields(schema, _FIELD_INDENT, set())
            else:
                self._fields(schema)
        else:
            self._kind_and_version()
            self.type = self.type or str(value)
            self.write(0, f"FIELD:    {self.name} <{self.type}>\n")
            self._description(schema)

    def _kind_and_version(self) -> None:
        self.write(0, f"KIND:     {self.kind}")
        self.write(0, f"VERSION:  {self.group_version}\n")

    def _description(self, schema: Schema) -> None:
        self.write(0, "DESCRIPTION:")
        empty = True
        for i, text in enumerate([*self.descriptions, schema.get("description", "")]):
            if not text:
                continue
            empty = False
            if i != 0:
                self.write(0, "")
            self.write_wrapped(_DESCRIPTION_INDENT, text)
        if empty:
            self.write_wrapped(_DESCRIPTION_INDENT, "<empty>")

    def _fields(self, kind: Schema) -> None:
        required = kind.get("required") or []
        for key in sorted(kind.get("properties") or {}):
            field = kind["properties"][key]
            flag = " -required-" if key in required else ""
            self.write(_FIELD_INDENT, f"{key}\t<{_v2_type(self.doc, field)}>{flag}")
            self.write_wrapped(_FIELD_INDENT + _INDENT_DESC, field.get("description", ""))
            self.write(0, "")

    def _recursive_fields(self, schema: Schema, indent: int, visited: set[str]) -> None:
        shape, value = _v2_shape(self.doc, schema)
        if shape in ("array", "map"):
            if value is not None:
                self._recursive_fields(value, indent, visited)
        elif shape == "ref":
            if value in visited:
                return
            self._recursive_fields(_v2_target(self.doc, value), indent, visited | {value})
        elif shape == "kind":
            for key in sorted(schema.get("properties") or {}):
                field = schema["properties"][key]
                self.write(indent, f"{key}\t<{_v2_type(self.doc, field)}>")
                self._recursive_fields(field, indent + _INDENT_PER_LEVEL, visited)


_BULLET = re.compile(r"^(\d+\.?|-|\*)\s")


def _v2_wrap(text: str, limit: int) -> list[str]:
    """formatter.go wrapString: words joined up to the limit; indented lines, blank lines,
    bullets and lines after a colon start anew."""
    wrapped: list[str] = []
    line: list[str] = []
    last_word = ""

    def flush() -> None:
        nonlocal line, last_word
        if line:
            last_word = ""
            wrapped.append(" ".join(line))
            line = []

    for part in text.split("\n"):
        if part.startswith("    "):
            flush()
            wrapped.append(part)
            continue
        if wrapped and not part.strip():
            flush()
            wrapped.append("")
            continue
        stripped = part.strip()
        if last_word.endswith(":") or not stripped or _BULLET.match(stripped):
            flush()
        for word in part.split():
            last_word = word
            if line and len(" ".join([*line, word])) > limit:
                flush()
            line.append(word)
    flush()
    return wrapped
