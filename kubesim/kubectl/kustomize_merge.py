"""kustomize's strategic merge patch: kyaml's merge2 walker (kyaml/yaml/merge2, yaml/walk).

kustomize does not use apimachinery's strategicpatch (kubesim.api.patch) for its patches: it
walks the patch and the resource together with kyaml, which differs where a user can see it.
Lists merged by key (containers by name, ports by containerPort and protocol, ...) put the
patch's elements first, in the patch's order, then the resource's other elements
(ListIncreaseDirection: prepend); every other list is replaced; `null` deletes a field; and the
directives `$patch: delete|replace|merge` apply to maps and lists. Which lists merge, and by
which keys, comes from the Kubernetes OpenAPI (kustomize_schema.json): a kind the schema does
not know has every list replaced.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kubesim.kubectl.kustomize_resource import KustomizeError, _scalar_text

Object = dict[str, Any]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # a field that is not there (kyaml's nil node)
_CLEAR: Any = _Missing()  # walk.ClearNode: remove the field


@dataclass(frozen=True)
class Schema:
    """The part of a kind's OpenAPI schema that decides how its lists merge."""

    struct: str = ""
    merge_keys: tuple[str, ...] | None = None  # set on a list that merges by key
    element: Schema | None = None
    values: Schema | None = None  # a map's values

    def field(self, name: str) -> Schema | None:
        if self.values is not None:
            return self.values
        entry = _tables()["structs"].get(self.struct, {}).get(name)
        if entry is None:
            return None
        child = Schema(entry["ref"]) if "ref" in entry else None
        if entry.get("list"):
            keys = tuple(entry["merge"]) if "merge" in entry else None
            return Schema(merge_keys=keys, element=child)
        if entry.get("values"):
            return Schema(values=child or Schema())
        return child


@functools.cache
def _tables() -> dict[str, Any]:
    path = Path(__file__).with_name("kustomize_schema.json")
    tables: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return tables


def schema_for(api_version: str, kind: str) -> Schema | None:
    """openapi.SchemaForResourceType: the schema of a kind, or None for one it does not know."""
    struct = _tables()["kinds"].get(f"{api_version}/{kind}")
    return Schema(struct) if struct else None


def merge(patch: Object, resource: Object) -> Object | None:
    """merge2.Merge(patch, resource) with prepended list elements; None when the patch deletes
    the whole resource. Both arguments are left unmodified."""
    import copy

    dest = copy.deepcopy(resource)
    origin = copy.deepcopy(patch)
    schema = None
    for source in (dest, origin):
        if isinstance(source, dict) and source.get("kind") and source.get("apiVersion"):
            schema = schema_for(_scalar_text(source["apiVersion"]), _scalar_text(source["kind"]))
            if schema is not None:
                break
    result = _walk(dest, origin, schema)
    if result is _CLEAR or result is MISSING or result is None:
        return None
    return dict(result)


def _missing_or_null(value: Any) -> bool:
    return value is MISSING or value is None


def _kind(dest: Any, origin: Any) -> str:
    for value in (dest, origin):
        if not _missing_or_null(value):
            if isinstance(value, dict):
                return "map"
            if isinstance(value, list):
                return "list"
            return "scalar"
    return "map"


def _walk(dest: Any, origin: Any, schema: Schema | None) -> Any:
    kind = _kind(dest, origin)
    for value in (dest, origin):
        if _missing_or_null(value):
            continue
        actual = (
            "map" if isinstance(value, dict) else "list" if isinstance(value, list) else "scalar"
        )
        if actual != kind:
            wanted = {"map": "MappingNode", "list": "SequenceNode", "scalar": "ScalarNode"}
            raise KustomizeError(
                f"wrong node kind: expected {wanted[kind]} but got {wanted[actual]}: "
                f"node contents:\n{_node_text(value)}"
            )
    if kind == "map":
        return _walk_map(dest, origin, schema)
    if kind == "list":
        if schema is not None and schema.merge_keys is not None:
            return _walk_associative(dest, origin, schema)
        # a list replaced whole
        return origin if origin is not MISSING else dest
    return origin if origin is not MISSING else dest


def _node_text(value: Any) -> str:
    from kubesim.kubectl.kustomize_yaml import to_yaml

    return to_yaml(value)


def _directive(patch: Any) -> str:
    """determineSmpDirective: the `$patch` of a map, or of a list's `{$patch: ...}` element,
    removed from the patch once read."""
    if patch is MISSING:
        return "merge"
    if isinstance(patch, dict):
        if "$patch" not in patch:
            return "merge"
        value = _scalar_text(patch["$patch"])
        if value not in ("delete", "replace", "merge"):
            raise KustomizeError(f"unknown patch strategy '{value}'")
        del patch["$patch"]
        return value
    if isinstance(patch, list):
        for index, element in enumerate(patch):
            if isinstance(element, dict) and "$patch" in element and len(element) <= 1:
                value = _scalar_text(element["$patch"])
                if value not in ("delete", "replace", "merge"):
                    raise KustomizeError(f"unknown patch strategy '{value}'")
                patch[:] = [
                    e for e in patch if not (isinstance(e, dict) and e.get("$patch") == value)
                ]
                del index
                return value
        return "merge"
    raise KustomizeError("no implemented strategic merge patch strategy")


def _visit_map(dest: Any, origin: Any) -> Any:
    if _missing_or_null(dest):
        if isinstance(origin, dict) and _directive(origin) == "delete":
            return _CLEAR
        if origin is MISSING and dest is None:
            return None  # a `null` the patch does not mention stays
        return origin
    if origin is None:
        return _CLEAR
    directive = _directive(origin)
    if directive == "delete":
        return _CLEAR
    if directive == "replace":
        return origin
    return dest


def _walk_map(dest: Any, origin: Any, schema: Schema | None) -> Any:
    visited = _visit_map(dest, origin)
    if visited is _CLEAR or visited is MISSING:
        return _CLEAR
    if visited is None:
        return None
    if not isinstance(visited, dict):
        return visited
    dest = visited
    names = set(dest)
    if isinstance(origin, dict):
        names |= set(origin)
    for name in sorted(names):
        field_schema = schema.field(name) if schema is not None else None
        value = _walk(
            dest.get(name, MISSING),
            origin.get(name, MISSING) if isinstance(origin, dict) else MISSING,
            field_schema,
        )
        if value is _CLEAR or value is MISSING:
            dest.pop(name, None)
        elif value is None:
            # FieldSetter clears a null, but for one the patch leaves alone (kept as written)
            patched = isinstance(origin, dict) and name in origin
            if name in dest and dest[name] is None and not patched:
                continue
            dest.pop(name, None)
        else:
            dest[name] = value
    return dest


# --- lists merged by key (walk/associative_sequence.go) -----------------------------------------


def _field_text(element: Any, key: str) -> str | None:
    if not isinstance(element, dict) or key not in element:
        return None
    value = element[key]
    if value is None or value == "" or isinstance(value, dict | list):
        return None if value is None or value == "" else ""
    return _scalar_text(value)


def _values_list(items: list[Any], keys: list[str]) -> list[list[str]]:
    """RNode.ElementValuesList."""
    return [[_field_text(item, key) or "" for key in keys] for item in items]


def _element_matches(element: Any, keys: list[str], values: list[str]) -> bool:
    """MatchElementList: a map whose keys hold those values."""
    if not isinstance(element, dict):
        return False
    for key, value in zip(keys, values, strict=False):
        if key not in element or element[key] is None:
            return False
        if _scalar_text(element[key]) != value:
            return False
    return True


def _element_list(items: Any, keys: list[str], values: list[str]) -> Any:
    if not isinstance(items, list):
        return MISSING
    if not keys or not keys[0]:
        for item in items:
            if not isinstance(item, dict | list) and _scalar_text(item) == values[0]:
                return item
        return MISSING
    for item in items:
        if _element_matches(item, keys, values):
            return item
    return MISSING


def _set_element(items: list[Any], element: Any, keys: list[str], values: list[str]) -> None:
    """ElementSetter: replace the elements matching keys/values with `element` (remove them
    when it is MISSING), appending it when none matched; empty elements are dropped."""
    if not keys:
        keys = [""]
    result: list[Any] = []
    found = False
    for item in items:
        if item is None or item == {}:
            continue
        if not isinstance(item, dict) and keys[0]:
            result.append(item)
            continue
        matched = True
        for index, key in enumerate(keys):
            if index >= len(values):
                continue
            value = values[index]
            if not key:
                if isinstance(item, dict | list) or _scalar_text(item) != value:
                    matched = False
                    break
                continue
            if not isinstance(item, dict) or key not in item or item[key] is None:
                matched = False
                break
            if value and _scalar_text(item[key]) != value:
                matched = False
                break
        if not matched:
            if values:
                result.append(item)
            continue
        found = True
        if element is MISSING:
            continue
        result.append(element)
    items[:] = result
    if element is MISSING or element is None:
        return
    if not found:
        items.append(element)


def _valid_keys(
    values_list: list[list[str]], values: list[str], keys: list[str]
) -> tuple[list[str], list[str]]:
    valid = {keys[i] for tuple_ in values_list for i, v in enumerate(tuple_) if v}
    if not valid:
        return keys, values
    return [k for k in keys if k in valid], [
        v for i, v in enumerate(values) if v or keys[i] in valid
    ]


def _merge_values(values_list: list[list[str]]) -> list[list[str]]:
    for i in range(len(values_list)):
        for j in range(len(values_list)):
            matched, merged = _match(values_list[i], values_list[j])
            if matched:
                values_list[i] = merged
                values_list[j] = merged
    return values_list


def _match(a: list[str], b: list[str]) -> tuple[bool, list[str]]:
    if len(a) != len(b):
        return False, []
    common = False
    merged = []
    for x, y in zip(a, b, strict=True):
        if x == y:
            common = True
            merged.append(x)
            continue
        if x and y:
            return False, []
        merged.append(x or y)
    return common, merged


def _visit_list(dest: Any, origin: Any) -> Any:
    if _missing_or_null(dest):
        return origin
    if origin is None:
        return _CLEAR
    directive = _directive(origin)
    if directive == "delete":
        return _CLEAR
    if directive == "replace":
        return origin
    return dest


def _walk_associative(dest: Any, origin: Any, schema: Schema) -> Any:
    visited = _visit_list(dest, origin)
    if visited is _CLEAR or visited is MISSING:
        return _CLEAR
    if visited is None:
        return None
    dest = visited
    keys = list(schema.merge_keys or ())
    sources = [dest, origin]
    if keys:
        values_list = _element_values(sources, keys)
        return _set_elements(sources, values_list, keys, schema)
    primitive = []
    seen: set[str] = set()
    for source in (origin, dest):  # the patch's first
        if not isinstance(source, list):
            continue
        for item in source:
            text = _scalar_text(item)
            if text not in seen:
                primitive.append([text])
                seen.add(text)
    return _set_elements(sources, primitive, [""], schema)


def _element_values(sources: list[Any], keys: list[str]) -> list[list[str]]:
    """elementValues with prepend: the patch's keys first, then the resource's."""
    result: list[list[str]] = []
    seen: list[list[str]] = []
    for source in (sources[1], sources[0]):
        if not isinstance(source, list):
            continue
        for values in _values_list(source, keys):
            if not values or values in seen:
                continue
            result.append(values)
            seen.append(values)
    return result


def _set_elements(sources: list[Any], values_list: list[list[str]], keys: list[str],
                  schema: Schema) -> Any:  # fmt: skip
    dest: list[Any] = sources[0]
    items: list[Any] = []
    if len(keys) > 1:
        values_list = _merge_values(values_list)
    valid_keys: list[str] = keys
    for values in values_list:
        if not values:
            continue
        valid_keys, valid_values = _valid_keys(values_list, values, keys)
        element_keys, element_values = _valid_keys([valid_values], valid_values, valid_keys)
        value = _walk(
            _element_list(sources[0], element_keys, element_values),
            _element_list(sources[1], element_keys, element_values),
            schema.element,
        )
        removed = False
        for index, key in enumerate(valid_keys):
            if _missing_or_null(value) or value is _CLEAR or value == {}:
                _set_element(dest, MISSING, valid_keys, valid_values)
                removed = True
            elif isinstance(value, dict) and key not in value and valid_values[index]:
                value[key] = valid_values[index]
        if removed:
            continue
        _set_element(items, value, valid_keys, valid_values)
    if values_list:
        _append_list(items, dest, valid_keys)
        dest = items
    return dest


def _append_list(target: list[Any], source: list[Any], keys: list[str]) -> None:
    """appendListNode(target, source): each of source's elements set into target by key."""
    for element in list(source):
        if not keys or not keys[0]:
            _set_element(target, element, [""], [_scalar_text(element)])
            continue
        values = []
        for key in keys:
            text = _field_text(element, key)
            if text is None:
                target.append(element)
                continue
            values.append(text)
        if len(keys) > 1:
            _set_element(target, MISSING, keys, values)
        _set_element(target, element, keys, values)
