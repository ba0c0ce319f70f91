"""-o json, -o yaml and -o name, as kubectl prints them (keys sorted, as from Go maps)."""

from __future__ import annotations

import json
from typing import Any

from kubesim.api.kinds import Kind

Object = dict[str, Any]


def as_list(objects: list[Object]) -> Object:
    """The List wrapper kubectl prints for several objects (get.go printGeneric)."""
    return {
        "apiVersion": "v1",
        "items": objects,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


def without_managed_fields(data: Any) -> Any:
    """OmitManagedFieldsPrinter: metadata.managedFields left out of an object, and of each
    item of a List (kubectl shows them only with --show-managed-fields)."""
    if not isinstance(data, dict):
        return data
    if isinstance(data.get("items"), list):
        return {**data, "items": [without_managed_fields(i) for i in data["items"]]}
    metadata = data.get("metadata")
    if isinstance(metadata, dict) and "managedFields" in metadata:
        return {**data, "metadata": {k: v for k, v in metadata.items() if k != "managedFields"}}
    return data


def to_json(obj: Any) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False) + "\n"


def to_yaml(obj: Any) -> str:
    import yaml

    return yaml.dump(
        obj,
        Dumper=_dumper(),
        sort_keys=True,
        default_flow_style=False,
        allow_unicode=True,
        width=80,  # go-yaml v2 folds long plain scalars at its best width
    )


def name_line(kind: Kind, obj: Object, operation: str = "") -> str:
    """`kind[.group]/name`, with the operation when one is given (`pod/web-0 created`)."""
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    text = f"{kind.qualified_kind}/{name or '<unknown>'}"  # as the name printer says it
    return f"{text} {operation}" if operation else text


_DUMPER: Any = None
# go-yaml v2 resolves these to booleans too (YAML 1.1), where PyYAML reads strings
_GO_YAML_BOOLS = frozenset({"y", "Y", "n", "N"})


def _dumper() -> Any:
    """A SafeDumper that quotes as go-yaml does: double quotes, block literals for newlines."""
    global _DUMPER
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    class GoStyleDumper(yaml.SafeDumper):
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        node = dumper.represent_scalar("tag:yaml.org,2002:str", value)
        implicit = dumper.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        plain = dumper.analyze_scalar(value).allow_block_plain
        if value == "" or implicit != "tag:yaml.org,2002:str" or value in _GO_YAML_BOOLS:
            node.style = '"'  # a string that would read back as another type
        elif not plain:
            node.style = "'"  # the emitter's fallback when plain style cannot hold it
        return node

    GoStyleDumper.add_representer(str, represent_str)
    _DUMPER = GoStyleDumper
    return _DUMPER
