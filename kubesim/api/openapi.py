"""The OpenAPI (v3) schemas of the kinds kubesim serves, built lazily as plain data.

kubesim carries no copy of Kubernetes' API documentation: field names, descriptions and which
fields are required are read, when asked for, from the models of the official `kubernetes`
Python client (generated from the Kubernetes v1.32 OpenAPI); the Go types behind each field
come from kubesim's own fields.json (the same table the decoder uses), which says what the
client's models cannot: IntOrString, Quantity, Time, RawExtension. The result has the shape of
the apiserver's /openapi/v3 documents (components.schemas, `$ref`, `allOf`, `items`,
`additionalProperties`, `required`, `x-kubernetes-group-version-kind`), so explain reads it as
kubectl reads the server's, and kubesim's API server can serve it later.

What the client's models do not carry is missing here too: the description of a type itself
(Pod's "Pod is a collection of containers..."), of a field whose type is another struct
(Pod's metadata, spec, status), the paragraph breaks inside descriptions, and enum values.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path
from typing import Any

from kubesim.api.errors import UsageError
from kubesim.api.kinds import Kind

Schema = dict[str, Any]
REF_PREFIX = "#/components/schemas/"

# Go package of fields.json's struct keys -> the OpenAPI definition prefix
_PACKAGES = {
    "meta": "io.k8s.apimachinery.pkg.apis.meta.v1",
}
# Go types with their own JSON form -> (OpenAPI definition name, its schema)
_SPECIAL: dict[str, tuple[str, Schema]] = {
    "intstr.IntOrString": (
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]},
    ),
    "resource.Quantity": (
        "io.k8s.apimachinery.pkg.api.resource.Quantity",
        {"oneOf": [{"type": "string"}, {"type": "number"}]},
    ),
    "v1.Time": (
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        {"type": "string", "format": "date-time"},
    ),
    "v1.MicroTime": (
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        {"type": "string", "format": "date-time"},
    ),
    "runtime.RawExtension": ("io.k8s.apimachinery.pkg.runtime.RawExtension", {"type": "object"}),
    "v1.FieldsV1": ("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", {"type": "object"}),
}  # fmt: skip
_PRIMITIVES: dict[str, Schema] = {
    "string": {"type": "string"},
    "bytes": {"type": "string", "format": "byte"},
    "bool": {"type": "boolean"},
    "int32": {"type": "integer", "format": "int32"},
    "int64": {"type": "integer", "format": "int64"},
    "float64": {"type": "number", "format": "double"},
}
_PYTHON_PRIMITIVES: dict[str, Schema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "bool": {"type": "boolean"},
    "float": {"type": "number"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "object": {"type": "object"},
}


class Document:
    """The components.schemas of one kind's OpenAPI document, each built on first use."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        # definition name -> (client model class, fields.json struct key) of structs seen so far
        self._sources: dict[str, tuple[str, str]] = {}
        self._schemas: dict[str, Schema] = {}
        model = _root_model(kind)
        struct = _table()["kinds"].get(_kind_key(kind))
        if model is None or struct is None:
            raise UsageError(f'the server doesn\'t have a resource type "{kind.plural}"')
        self.root = _definition_name(struct)
        self._sources[self.root] = (model, struct)

    def schema(self, name: str) -> Schema | None:
        """The schema of a definition (`io.k8s.api.core.v1.PodSpec`), or None if unknown."""
        if name not in self._schemas:
            special = next((s for n, s in _SPECIAL.values() if n == name), None)
            if special is not None:
                self._schemas[name] = dict(special)
            elif name in self._sources:
                self._schemas[name] = self._build(name, *self._sources[name])
            else:
                return None
        return self._schemas[name]

    def resolve(self, ref: Any) -> Schema | None:
        """The schema a `$ref` points at (kubectl's resolveRef), or None."""
        if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
            return None
        return self.schema(ref[len(REF_PREFIX) :])

    def _build(self, name: str, model: str, struct: str) -> Schema:
        fields = _model(model)
        go_fields: dict[str, str] = _table()["structs"].get(struct, {})
        properties: dict[str, Schema] = {}
        for field in fields.fields:
            go_type = go_fields.get(field.name)
            prop = (
                self._go_schema(go_type, field.python_type)
                if go_type
                else _python_schema(field.python_type)
            )
            if "$ref" in prop:  # a struct-typed property: its own description beside the ref
                prop = {"allOf": [prop]}
            if field.description:
                prop = {**prop, "description": field.description}
            properties[field.name] = prop
        schema: Schema = {"type": "object", "properties": properties}
        required = [f.name for f in fields.fields if f.required]
        if required:
            schema["required"] = required
        if name == self.root:
            schema["x-kubernetes-group-version-kind"] = [
                {"group": self.kind.group, "kind": self.kind.kind, "version": self.kind.version}
            ]
        return schema

    def _go_schema(self, expr: str, python_type: str) -> Schema:
        """A property's schema from its Go type in fields.json (and its client model type)."""
        if expr.startswith("[]"):
            item = _python_element(python_type, "list[")
            if expr == "[]byte":
                return {"type": "string", "format": "byte"}
            return {"type": "array", "items": self._go_schema(expr[2:], item)}
        if expr.startswith("map[string]"):
            item = _python_element(python_type, "dict(str, ")
            return {"type": "object", "additionalProperties": self._go_schema(expr[11:], item)}
        if expr.startswith("@"):
            name = _definition_name(expr[1:])
            if python_type in _python_model_names():
                self._sources.setdefault(name, (python_type, expr[1:]))
            return {"$ref": REF_PREFIX + name}
        if expr.startswith("~"):
            special = _SPECIAL.get(expr[1:])
            if special is not None:
                return {"$ref": REF_PREFIX + special[0]}
            return {"type": "object"}
        alias = _table()["aliases"].get(expr)
        if alias is not None and alias != expr:
            return self._go_schema(alias, python_type)
        if expr in _PRIMITIVES:
            return dict(_PRIMITIVES[expr])
        return _python_schema(python_type)


def _python_element(python_type: str, opener: str) -> str:
    """`V1Container` of `list[V1Container]`, `str` of `dict(str, str)`."""
    if python_type.startswith(opener):
        return python_type[len(opener) : -1]
    return python_type


def _python_schema(python_type: str) -> Schema:
    """A schema from the client model's type alone (no Go type known)."""
    if python_type.startswith("list["):
        return {"type": "array", "items": _python_schema(python_type[5:-1])}
    if python_type.startswith("dict(str, "):
        return {"type": "object", "additionalProperties": _python_schema(python_type[10:-1])}
    return dict(_PYTHON_PRIMITIVES.get(python_type, {"type": "object"}))


def _definition_name(struct: str) -> str:
    """fields.json's `core.v1.PodSpec` -> OpenAPI's `io.k8s.api.core.v1.PodSpec`."""
    package, _, rest = struct.partition(".")
    if package in _PACKAGES:
        return f"{_PACKAGES[package]}.{rest.partition('.')[2]}"
    return f"io.k8s.api.{struct}"


def _kind_key(kind: Kind) -> str:
    return f"{kind.api_version}/{kind.kind}"


@cache
def _table() -> dict[str, Any]:
    from kubesim.api.decode import _table as decoder_table

    return decoder_table()


# --- the client's models -----------------------------------------------------------------------


class _Field:
    __slots__ = ("name", "python_type", "description", "required")

    def __init__(self, name: str, python_type: str, description: str, required: bool) -> None:
        self.name = name
        self.python_type = python_type
        self.description = description
        self.required = required


class _Model:
    __slots__ = ("fields",)

    def __init__(self, fields: list[_Field]) -> None:
        self.fields = fields


def _models_dir() -> Path:
    """Where the kubernetes client's model modules are, without importing the client (which
    imports every model, and urllib3)."""
    import importlib.util

    spec = importlib.util.find_spec("kubernetes")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(
            "explain needs the kubernetes Python client (pip install 'kubernetes>=32,<33')"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "client" / "models"


@cache
def _python_model_names() -> dict[str, str]:
    """Model class -> its module, from the models package's imports."""
    text = (_models_dir() / "__init__.py").read_text()
    pattern = r"^from kubernetes\.client\.models\.(\w+) import (\w+)$"
    return {m.group(2): m.group(1) for m in re.finditer(pattern, text, re.M)}


def _root_model(kind: Kind) -> str | None:
    """The client's model of a kind: V1Pod, or CoreV1Event where two groups share the name."""
    version = kind.version.capitalize()
    group = "".join(p.capitalize() for p in (kind.group or "core").split(".")[0].split("-"))
    names = _python_model_names()
    for candidate in (f"{version}{kind.kind}", f"{group}{version}{kind.kind}"):
        if candidate in names:
            return candidate
    return None


_GETTER = re.compile(r"    @property\n    def (\w+)\(self\):\n        \"\"\"(.*?)\"\"\"", re.S)
_REQUIRED = re.compile(r"raise ValueError\(\"Invalid value for `(\w+)`, must not be `None`\"\)")
_NOQA = "  # noqa: E501"


@cache
def _model(name: str) -> _Model:
    """A client model's fields: JSON name, client type, description and whether required."""
    module = _python_model_names()[name]
    text = (_models_dir() / f"{module}.py").read_text()
    types: dict[str, str] = _dict_literal(text, "openapi_types")
    json_names: dict[str, str] = _dict_literal(text, "attribute_map")
    descriptions = {m.group(1): _description(m.group(2)) for m in _GETTER.finditer(text)}
    required = set(_REQUIRED.findall(text))
    fields = [
        _Field(json_names[attr], types[attr], descriptions.get(attr, ""), attr in required)
        for attr in types
    ]
    return _Model(sorted(fields, key=lambda f: f.name))


def _dict_literal(text: str, name: str) -> dict[str, str]:
    start = text.index(f"    {name} = {{")
    end = text.index("}", start)
    value: dict[str, str] = ast.literal_eval(text[start + len(name) + 7 : end + 1])
    return value


def _description(docstring: str) -> str:
    """The text between a getter's first line and its `:return:`."""
    lines = docstring.split("\n")
    body = []
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith(":return:"):
            break
        body.append(stripped)
    text = "\n".join(body).strip()
    if text.endswith(_NOQA):
        text = text[: -len(_NOQA)]
    if "\\" in text:  # the docstring's escapes (\" and \\) as Python reads them
        text = ast.literal_eval('"""' + text.replace('"""', '\\"\\"\\"') + ' """')[:-1]
    return text
