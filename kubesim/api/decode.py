"""Decoding: the apiserver turns a request body into the kind's Go struct before anything else.

Two things happen there that a user sees (k8s.io/apiserver handlers, sigs.k8s.io/json):

- a value of the wrong JSON type fails the request with encoding/json's message, naming the
  innermost struct and the path of JSON field names:

      Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go
      struct field EnvVar.spec.containers.env.value of type string

- a field the struct does not have is dropped; with kubectl's default `--validate=strict` the
  request fails with `strict decoding error: unknown field "spec.contianers"`, with `warn` it
  succeeds with a warning.

The structs come from fields.json (generated from Kubernetes v1.32's OpenAPI and types.go by
tools/gen_fields.py). A field's type is written as: a builtin (string, int32, int64, bool,
float64, bytes), `[]T`, `map[string]T`, `@group.version.Struct`, a named type listed under
"aliases" (v1.RestartPolicy), or `~pkg.Type` for types with their own JSON decoding
(IntOrString, Quantity, Time), which kubesim does not type-check here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kubesim.api.errors import BadRequest
from kubesim.api.gofmt import json_kind

Object = dict[str, Any]

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"

_TABLE: dict[str, Any] = {}
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_JSON_KINDS = {"string": "string", "bytes": "string", "bool": "bool"}


def _table() -> dict[str, Any]:
    if not _TABLE:
        _TABLE.update(json.loads(Path(__file__).with_name("fields.json").read_text()))
    return _TABLE


def go_name(expr: str) -> str:
    """reflect's name for a field type: `[]@core.v1.Container` -> `[]v1.Container`."""
    if expr.startswith("[]"):
        return "[]" + go_name(expr[2:])
    if expr.startswith("map[string]"):
        return "map[string]" + go_name(expr[11:])
    if expr.startswith("@"):
        return ".".join(expr[1:].split(".")[-2:])
    if expr.startswith("~"):
        return expr[1:]
    return "[]uint8" if expr == "bytes" else expr


class _TypeError(Exception):
    pass


class _Decoder:
    """One request body's decoding: the first type error, and every unknown field (which it
    removes, as decoding into a Go struct would)."""

    def __init__(self, converter: bool = False) -> None:
        table = _table()
        # a strategic merge patch's result reaches the struct through the unstructured
        # converter (runtime/converter.go), whose type errors read differently
        self.converter = converter
        self.structs: dict[str, dict[str, str]] = table["structs"]
        self.aliases: dict[str, str] = table["aliases"]
        self.unknown: list[str] = []

    def struct(self, value: Object, key: str, stack: list[str], path: str) -> None:
        fields = self.structs[key]
        owner = key.rsplit(".", 1)[-1]
        for name in sorted(value):  # kubectl sends JSON with sorted keys
            field_path = f"{path}.{name}" if path else name
            expr = fields.get(name)
            if expr is None:
                if len(self.unknown) < 100:  # sigs.k8s.io/json stops collecting at 100
                    self.unknown.append(f"unknown field {_quote(field_path)}")
                del value[name]
                continue
            self.value(value[name], expr, owner, [*stack, name], field_path)

    def value(self, value: Any, expr: str, owner: str, stack: list[str], path: str) -> None:
        if value is None:
            return  # null leaves the zero value
        if expr == "~resource.Quantity":
            _check_quantity(value)
            return
        if expr.startswith("~"):
            return  # other custom decoders are not checked here
        shown, expr = expr, self.aliases.get(expr, expr)
        if expr.startswith("[]"):
            if not isinstance(value, list):
                self.fail(value, owner, stack, shown)
            for i, item in enumerate(value):
                self.value(item, expr[2:], owner, stack, f"{path}[{i}]")
        elif expr.startswith("map[string]"):
            if not isinstance(value, dict):
                self.fail(value, owner, stack, shown)
            for name in sorted(value):
                self.value(value[name], expr[11:], owner, stack, f"{path}.{name}")
        elif expr.startswith("@"):
            if not isinstance(value, dict):
                self.fail(value, owner, stack, shown)
            self.struct(value, expr[1:], stack, path)
        elif expr in _INT_RANGES:
            low, high = _INT_RANGES[expr]
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(value, owner, stack, shown)
            if not float(value).is_integer():
                self.fail(value, owner, stack, shown, number=True)
            if not low <= value <= high and not self.converter:  # the converter truncates
                self.fail(value, owner, stack, shown, number=True)
        elif expr == "float64":
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(value, owner, stack, shown)
        elif json_kind(value) != _JSON_KINDS[expr]:
            self.fail(value, owner, stack, shown)

    def fail(
        self, value: Any, owner: str, stack: list[str], expr: str, *, number: bool = False
    ) -> None:
        if self.converter:
            raise _TypeError(_converter_error(value, expr, self.aliases))
        found = json_kind(value)
        if number:
            found = f"number {_go_number(value)}"
        raise _TypeError(
            f"json: cannot unmarshal {found} into Go struct field {owner}.{'.'.join(stack)} "
            f"of type {go_name(expr)}"
        )


def _check_quantity(value: Any) -> None:
    """Quantity.UnmarshalJSON: the JSON text, unquoted, must parse (ParseQuantity's
    ErrFormatWrong otherwise)."""
    from kubesim.api import quantity

    if isinstance(value, bool) or not isinstance(value, str | int | float):
        text = json.dumps(value)
    else:
        text = str(value).strip()
    if not quantity.well_formed(text):
        raise _TypeError(quantity.FORMAT_ERROR)


def decode(obj: Object, kind: str, version: str, group: str = "") -> list[str]:
    """Decode a create or update body into the kind's struct, in place: BadRequest for a value
    of the wrong type; unknown fields are removed and returned as strict decoding errors."""
    decoder = _Decoder()
    try:
        decoder.struct(obj, _root(kind, version, group), [], "")
    except _TypeError as err:
        raise BadRequest(
            f'{kind} in version "{version}" cannot be handled as a {kind}: {err}'
        ) from None
    return decoder.unknown


def convert(obj: Object, kind: str, version: str, group: str = "") -> tuple[str, list[str]]:
    """FromUnstructuredWithValidation, for the result of a strategic merge patch: the first
    type error (or "") and the unknown fields, removed from `obj`, sorted as it sorts them."""
    decoder = _Decoder(converter=True)
    try:
        decoder.struct(obj, _root(kind, version, group), [], "")
    except _TypeError as err:
        return str(err), []
    return "", sorted(decoder.unknown)


def decode_value(obj: Object, kind: str, version: str, group: str = "") -> tuple[str, list[str]]:
    """Like `decode`, for a patched object: the bare encoding/json error (or "") instead of
    a BadRequest, since the patch handler reports it against the patch."""
    decoder = _Decoder()
    try:
        decoder.struct(obj, _root(kind, version, group), [], "")
    except _TypeError as err:
        return str(err), []
    return "", decoder.unknown


def strict_failure(kind: str, version: str, unknown: list[str]) -> BadRequest:
    """What a create or update with fieldValidation=Strict answers when fields are unknown."""
    return BadRequest(
        f'{kind} in version "{version}" cannot be handled as a {kind}: '
        f"strict decoding error: {', '.join(unknown)}"
    )


def _root(kind: str, version: str, group: str) -> str:
    api_version = f"{group}/{version}" if group else version
    return str(_table()["kinds"][f"{api_version}/{kind}"])


def _converter_error(value: Any, expr: str, aliases: dict[str, str]) -> str:
    """runtime.fromUnstructured's message for `value` (as decoded JSON) into a field of type
    `expr`."""
    source = _reflect_kind(value)
    target = aliases.get(expr, expr)
    if target.startswith("@"):
        return f"cannot restore struct from: {_reflect_kind(value)}"
    if target.startswith("[]") or target == "bytes":
        return f"cannot restore slice from {_reflect_kind(value)}"
    if target.startswith("map["):
        return f"cannot restore map from {_reflect_kind(value)}"
    # Go converts numbers to numbers (a float only when whole) and ints to strings, which the
    # converter then refuses by name; anything else it does not recognise
    numeric = target in ("int32", "int64", "float64")
    if (source in ("int64", "float64") and numeric) or (source == "int64" and target == "string"):
        return f"cannot convert {source} to {go_name(expr)}"
    return f"unrecognized type: {target}"


def _reflect_kind(value: Any) -> str:
    """reflect.Kind of an unstructured value."""
    from kubesim.api.gofmt import go_kind

    kind = go_kind(value)
    return {"map[string]interface {}": "map", "[]interface {}": "slice"}.get(kind, kind)


def _go_number(value: float) -> str:
    """The number as it stood in the JSON kubectl sent."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return json.dumps(value)


def _quote(text: str) -> str:
    """strconv.Quote, for the printable text of field paths."""
    return json.dumps(text, ensure_ascii=False)
