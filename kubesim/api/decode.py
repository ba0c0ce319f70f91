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


# kubectl's builder checks a manifest's metadata before using it (metadata_decoder.go)
_METADATA_ONLY = {
    "resource.metadataOnlyObject": {
        "apiVersion": "string",
        "kind": "string",
        "metadata": "@meta.v1.ObjectMeta",
    }
}


class _Decoder:
    """One request body's decoding: the first type error, and every unknown field (which it
    removes, as decoding into a Go struct would, with nulls left as Go's zero values).
    Without `prune` it only looks."""

    def __init__(self, converter: bool = False, prune: bool = True) -> None:
        table = _table()
        # a strategic merge patch's result reaches the struct through the unstructured
        # converter (runtime/converter.go), whose type errors read differently
        self.converter = converter
        self.prune = prune
        self.structs: dict[str, dict[str, str]] = {**table["structs"], **_METADATA_ONLY}
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
                if self.prune:
                    del value[name]
                continue
            if value[name] is None and self.prune:
                # null leaves the zero value: nothing for a pointer, a slice or a map, and
                # kubesim keeps no empty struct but an object's own metadata and spec
                if expr.startswith("@") and not stack and name in ("metadata", "spec"):
                    value[name] = {}
                else:
                    del value[name]
                continue
            value[name] = self.value(value[name], expr, owner, [*stack, name], field_path)

    def value(self, value: Any, expr: str, owner: str, stack: list[str], path: str) -> Any:
        """`value` checked against its Go type, and as the struct would hold it."""
        if value is None:
            return None  # null leaves the zero value
        if expr.startswith("~"):
            try:
                _check_custom(expr, value)
            except _InnerTypeError as err:
                if self.converter:
                    raise _TypeError(_converter_error(value, expr, self.aliases)) from None
                raise _TypeError(
                    f"json: cannot unmarshal {err.found} into Go struct field "
                    f"{owner}.{'.'.join(stack)} of type {err.go_type}"
                ) from None
            return value
        shown, expr = expr, self.aliases.get(expr, expr)
        if expr.startswith("[]"):
            if not isinstance(value, list):
                self.fail(value, owner, stack, shown)
            for i, item in enumerate(value):
                if item is None and self.prune:
                    value[i] = _zero(expr[2:], self.aliases)
                    continue
                value[i] = self.value(item, expr[2:], owner, stack, f"{path}[{i}]")
        elif expr.startswith("map[string]"):
            if not isinstance(value, dict):
                self.fail(value, owner, stack, shown)
            for name in sorted(value):
                if value[name] is None and self.prune:
                    value[name] = _zero(expr[11:], self.aliases)
                    continue
                value[name] = self.value(value[name], expr[11:], owner, stack, f"{path}.{name}")
        elif expr.startswith("@"):
            if not isinstance(value, dict):
                self.fail(value, owner, stack, shown)
            self.struct(value, expr[1:], stack, path)
        elif expr == "bytes":
            if not isinstance(value, str):
                self.fail(value, owner, stack, shown)
            bad = base64_error(value)
            if bad is not None and not self.converter:
                raise _TypeError(f"illegal base64 data at input byte {bad}")
        elif expr in _INT_RANGES:
            low, high = _INT_RANGES[expr]
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(value, owner, stack, shown)
            if not float(value).is_integer():
                self.fail(value, owner, stack, shown, number=True)
            if not low <= value <= high:
                if not self.converter:
                    self.fail(value, owner, stack, shown, number=True)
                # the unstructured converter assigns with Go's conversion, which wraps
                bits = 32 if expr == "int32" else 64
                value = (int(value) + (1 << (bits - 1))) % (1 << bits) - (1 << (bits - 1))
        elif expr == "float64":
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(value, owner, stack, shown)
        elif json_kind(value) != _JSON_KINDS[expr]:
            self.fail(value, owner, stack, shown)
        return value

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


def _zero(expr: str, aliases: dict[str, str]) -> Any:
    """Go's zero value of a type, as a null list item or map value decodes."""
    expr = aliases.get(expr, expr)
    if expr.startswith("@"):
        return {}
    if expr in ("string", "bytes"):
        return ""
    if expr in _INT_RANGES or expr == "float64":
        return 0
    return False if expr == "bool" else None


FREE_FORM_DEPTH = 100  # kubesim's bound on a RawExtension's nesting (see _check_custom)


class _InnerTypeError(Exception):
    """A type error from a custom UnmarshalJSON's own json.Unmarshal: encoding/json adds the
    field it was decoding (addErrorContext), with the inner type."""

    def __init__(self, found: str, go_type: str) -> None:
        super().__init__(found)
        self.found = found
        self.go_type = go_type


def _check_custom(expr: str, value: Any) -> None:
    """The UnmarshalJSON of the types with their own decoding."""
    if expr == "~runtime.RawExtension":
        # Go keeps any JSON here; kubesim's store and printers walk objects recursively, so
        # it refuses free-form data nested deeper than an object ever is
        from kubesim.api.recursion import nesting

        if nesting(value) > FREE_FORM_DEPTH:
            raise _TypeError(
                f"kubesim stores free-form data nested at most {FREE_FORM_DEPTH} levels deep"
            )
    elif expr == "~resource.Quantity":
        _check_quantity(value)
    elif expr == "~intstr.IntOrString":  # a string, else an int32
        if isinstance(value, str):
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _InnerTypeError(json_kind(value), "int32")
        if not float(value).is_integer() or not -(2**31) <= value < 2**31:
            raise _InnerTypeError(f"number {_go_number(value)}", "int32")
    elif expr in ("~v1.Time", "~v1.MicroTime"):
        if not isinstance(value, str):
            raise _InnerTypeError(json_kind(value), "string")
        problem = rfc3339_error(value)
        if problem is None:
            return
        if problem.startswith(":"):  # a field out of range: ParseError's own message
            raise _TypeError(f"parsing time {_quote(value)}{problem}")
        raise _TypeError(f"parsing time {_quote(value)} as {_quote(TIME_LAYOUTS[expr])}: {problem}")


TIME_LAYOUTS = {
    "~v1.Time": "2006-01-02T15:04:05Z07:00",
    "~v1.MicroTime": "2006-01-02T15:04:05.000000Z07:00",
}

# RFC 3339 as time.Parse reads it, element by element: (layout element, pattern)
_RFC3339 = (
    ("2006", r"\d{4}"),
    ("-", "-"),
    ("01", r"\d{2}"),
    ("-", "-"),
    ("02", r"\d{2}"),
    ("T", "T"),
    ("15", r"\d{2}"),
    (":", ":"),
    ("04", r"\d{2}"),
    (":", ":"),
    ("05", r"\d{2}(?:[.,]\d+)?"),
    ("Z07:00", r"Z|[+-]\d{2}:\d{2}"),
)


def rfc3339_error(text: str) -> str | None:
    """time.Parse(time.RFC3339, text)'s complaint, or None: `cannot parse "x" as "2006"`,
    or, with a leading colon as ParseError keeps it, `: extra text: "x"` or a field out of
    range."""
    import re

    rest = text
    for element, pattern in _RFC3339:
        match = re.match(pattern, rest)
        if match is None:
            return f"cannot parse {_quote(rest)} as {_quote(element)}"
        rest = rest[match.end() :]
    if rest:
        return f": extra text: {_quote(rest)}"
    month, day = int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    if not 1 <= month <= 12:
        return ": month out of range"
    if hour > 23:
        return ": hour out of range"
    if minute > 59:
        return ": minute out of range"
    if second > 59:
        return ": second out of range"
    import calendar

    if not 1 <= day <= calendar.monthrange(int(text[:4]), month)[1]:
        return ": day out of range"
    return None


def base64_error(text: str) -> int | None:
    """Where base64.StdEncoding.Decode fails (the byte of its CorruptInputError), or None;
    it skips newlines and needs the padding."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    n, si = len(text), 0
    while True:
        j = 0
        while j < 4:
            if si == n:
                return None if j == 0 else si - j
            char = text[si]
            si += 1
            if char in "\r\n":
                continue
            if char in alphabet:
                j += 1
                continue
            if char != "=" or j < 2:
                return si - 1
            if j == 2:  # "==" ends a quantum of two characters
                while si < n and text[si] in "\r\n":
                    si += 1
                if si == n:
                    return n
                if text[si] != "=":
                    return si - 1
                si += 1
            while si < n and text[si] in "\r\n":
                si += 1
            return si if si < n else None


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
    drop_undecodable_managed_fields(obj)
    return decoder.unknown


def drop_undecodable_managed_fields(obj: Object) -> None:
    """The fieldmanager ignores a request's managedFields when one entry does not decode as
    a field set (DecodeManagedFields); kubesim records no managers, so it drops them then."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or not meta.get("managedFields"):
        return
    entries = meta["managedFields"]
    from kubesim.api.recursion import nesting

    for entry in entries:
        fields = entry.get("fieldsV1") if isinstance(entry, dict) else None
        if fields is None:
            continue
        if entry.get("fieldsType") != "FieldsV1" or not _is_field_set(fields):
            del meta["managedFields"]
            return
        if nesting(fields) > FREE_FORM_DEPTH:
            del meta["managedFields"]
            return


def _is_field_set(value: Any) -> bool:
    """A fieldpath.Set's JSON: objects keyed by `f:`, `k:`, `v:`, `i:` or `.`."""
    stack = [value]
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            return False
        for key, child in item.items():
            if key != "." and not key.startswith(("f:", "k:", "v:", "i:")):
                return False
            stack.append(child)
    return True


def convert(obj: Object, kind: str, version: str, group: str = "") -> tuple[str, list[str]]:
    """FromUnstructuredWithValidation, for the result of a strategic merge patch: the first
    type error (or "") and the unknown fields, removed from `obj`, sorted as it sorts them."""
    decoder = _Decoder(converter=True)
    try:
        decoder.struct(obj, _root(kind, version, group), [], "")
    except _TypeError as err:
        return str(err), []
    drop_undecodable_managed_fields(obj)
    return "", sorted(decoder.unknown)


def decode_value(obj: Object, kind: str, version: str, group: str = "") -> tuple[str, list[str]]:
    """Like `decode`, for a patched object: the bare encoding/json error (or "") instead of
    a BadRequest, since the patch handler reports it against the patch."""
    decoder = _Decoder()
    try:
        decoder.struct(obj, _root(kind, version, group), [], "")
    except _TypeError as err:
        return str(err), []
    drop_undecodable_managed_fields(obj)
    return "", decoder.unknown


def check_metadata(obj: Object) -> str:
    """The error kubectl's builder finds decoding a manifest's apiVersion, kind and metadata
    into their Go types (`json: cannot unmarshal array into Go struct field
    metadataOnlyObject.metadata of type v1.ObjectMeta`), or ""; `obj` is left as it is."""
    decoder = _Decoder(prune=False)
    try:
        decoder.struct(obj, "resource.metadataOnlyObject", [], "")
    except _TypeError as err:
        return str(err)
    return ""


def stored_problem(resource: str, obj: Object) -> str:
    """What makes a stored object unusable (a value of the wrong type for its field, no name),
    as encoding/json words it, or "": the check a cluster of an earlier kubesim passes before
    it is taken in. Unknown fields are left alone."""
    from kubesim.api import kinds

    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    if not isinstance(metadata, dict) or not isinstance(metadata.get("name"), str):
        return "it has no metadata.name"
    try:
        kind = kinds.by_resource(resource)
    except AssertionError:
        return f'"{resource}" is not a kind kubesim knows'
    decoder = _Decoder(prune=False)
    try:
        decoder.struct(obj, _root(kind.kind, kind.version, kind.group), [], "")
    except _TypeError as err:
        return str(err)
    return ""


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
