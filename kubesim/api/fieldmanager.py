"""Field management and server-side apply (structured-merge-diff, as the apiserver's
fieldmanager runs it), over kubesim's JSON objects.

Every field of an object can be owned by managers: `metadata.managedFields` holds one entry per
manager and operation (Apply, or Update for other writes) with the set of fields it owns, as
FieldsV1 (`{"f:spec":{"f:replicas":{}}}`; list elements by their keys, `k:{"name":"web"}`;
set members by value, `v:"x"`; `.` the element itself).

Apply merges a manager's configuration into the live object: fields it sets become its own
(shared with a manager that set the same value); a field set to another value while another
manager owns it is a conflict (409) unless forced, which takes it over; fields the manager
applied before and leaves out now are removed, unless someone else owns them. An Update takes
the fields it changes from whoever owned them.

Lists merge by the keys kubesim's patch metadata knows (containers by name, ports by
containerPort...), scalars lists with a merge strategy are sets, other lists are atomic.
`status` and the metadata the apiserver owns are never managed through the main resource.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from kubesim.api import meta as api_meta
from kubesim.api import patch_meta
from kubesim.api.errors import ApiError
from kubesim.api.kinds import Kind

Object = dict[str, Any]
Path = tuple[str, ...]  # "f:name", "k:{...}", "v:...", "." elements
APPLY, UPDATE = "Apply", "Update"
_IGNORED = {
    (): {"apiVersion", "kind", "status"},
    ("f:metadata",): {"name", "namespace", "uid", "resourceVersion", "generation",
                      "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                      "managedFields", "selfLink", "generateName"},
}  # fmt: skip


class ApplyConflict(ApiError):
    """Apply would change fields other managers own (409, causes FieldManagerConflict)."""

    reason = "Conflict"
    code = 409

    def __init__(self, conflicts: list[tuple[str, str, str]]) -> None:
        self.conflicts = conflicts  # (manager, apiVersion, field path)
        lines = [f'conflict with "{m}" using {v}: {p}' for m, v, p in conflicts]
        if len(lines) == 1:
            message = f"Apply failed with 1 conflict: {lines[0]}"
        else:
            message = f"Apply failed with {len(lines)} conflicts: " + "\n".join(lines)
        super().__init__(message)


# --- field sets --------------------------------------------------------------------------------


def _key_of(item: Any, merge_key: str) -> str:
    return "k:" + json.dumps({merge_key: item.get(merge_key)}, separators=(",", ":"))


def field_paths(obj: Any, meta: patch_meta.PatchMeta, prefix: Path = ()) -> set[Path]:
    """The leaf fields of an object (and the list elements it has), as paths."""
    found: set[Path] = set()
    if not isinstance(obj, dict):
        return found
    ignored = _IGNORED.get(prefix, set())
    for key, value in obj.items():
        if key in ignored:
            continue
        path = (*prefix, f"f:{key}")
        strategies, merge_key, child = meta.lookup(key)
        if isinstance(value, dict) and value:
            found |= field_paths(value, child, path)
        elif (
            isinstance(value, list)
            and value
            and merge_key
            and all(isinstance(i, dict) for i in value)
        ):
            for item in value:
                element = (*path, _key_of(item, merge_key))
                found.add((*element, "."))
                found |= field_paths(item, child, element)
        elif isinstance(value, list) and value and "merge" in strategies and not merge_key:
            for item in value:
                found.add((*path, "v:" + json.dumps(item, separators=(",", ":"))))
        else:
            found.add(path)
    return found


def to_fields_v1(paths: set[Path]) -> Object:
    tree: Object = {}
    for path in sorted(paths):
        node = tree
        for part in path:
            node = node.setdefault(part, {})
    return tree


def from_fields_v1(tree: Any, prefix: Path = ()) -> set[Path]:
    found: set[Path] = set()
    if not isinstance(tree, dict):
        return found
    for key, child in tree.items():
        path = (*prefix, key)
        if isinstance(child, dict) and child:
            found |= from_fields_v1(child, path)
        else:
            found.add(path)
    return found


def _value_at(obj: Any, path: Path) -> Any:
    """The value at a path, or _MISSING."""
    node = obj
    for part in path:
        if part == ".":
            continue
        kind, _, name = part.partition(":")
        if kind == "f" and isinstance(node, dict) and name in node:
            node = node[name]
        elif kind == "k" and isinstance(node, list):
            wanted = json.loads(name)
            node = next(
                (i for i in node if isinstance(i, dict)
                 and all(i.get(k) == v for k, v in wanted.items())),
                _MISSING,
            )  # fmt: skip
        elif kind == "v" and isinstance(node, list):
            value = json.loads(name)
            node = value if value in node else _MISSING
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


_MISSING: Any = object()


def _shown(path: Path) -> str:
    """A path as the conflict message prints it: .spec.containers[name="web"].image."""
    out = ""
    for part in path:
        kind, _, name = part.partition(":")
        if kind == "f":
            out += f".{name}"
        elif kind == "k":
            keys = json.loads(name)
            out += "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in keys.items()) + "]"
        elif kind == "v":
            out += f"[={name}]"
    return out


# --- managedFields entries ---------------------------------------------------------------------


def _entries(obj: Object) -> list[Object]:
    found = (obj.get("metadata") or {}).get("managedFields") or []
    return [e for e in found if isinstance(e, dict)]


def _owned(entry: Object) -> set[Path]:
    return from_fields_v1(entry.get("fieldsV1") or {})


def _entry(manager: str, operation: str, api_version: str, now: float, paths: set[Path]) -> Object:
    return {
        "manager": manager,
        "operation": operation,
        "apiVersion": api_version,
        "time": api_meta.format_time(now),
        "fieldsType": "FieldsV1",
        "fieldsV1": to_fields_v1(paths),
    }


def _with_entries(obj: Object, entries: list[Object]) -> Object:
    new = dict(obj)
    metadata = dict(obj.get("metadata") or {})
    kept = [e for e in entries if e.get("fieldsV1")]
    if kept:
        metadata["managedFields"] = kept
    else:
        metadata.pop("managedFields", None)
    new["metadata"] = metadata
    return new


# --- updates -----------------------------------------------------------------------------------


def record_update(kind: Kind, old: Object | None, new: Object, manager: str, now: float) -> Object:
    """`new` with the fields this write changed owned by `manager` (an Update), taken from
    the managers that owned them; fields it removed leave every set."""
    meta = patch_meta.for_kind(kind.kind)
    after = field_paths(new, meta)
    before = field_paths(old, meta) if old is not None else set()
    changed = {p for p in after if p not in before or _value_at(new, p) != _value_at(old, p)}
    removed = before - after
    entries = []
    mine: set[Path] = set()
    for entry in _entries(old or new):
        owned = _owned(entry) - removed
        if entry.get("manager") == manager and entry.get("operation") == UPDATE:
            mine = owned
            continue
        owned -= changed
        entries.append({**entry, "fieldsV1": to_fields_v1(owned)} if owned else {})
    mine |= changed
    if not mine and not any(e.get("manager") == manager for e in _entries(old or new)):
        return _with_entries(new, [e for e in entries if e])
    entries.append(_entry(manager, UPDATE, kind.api_version, now, mine))
    return _with_entries(new, [e for e in entries if e])


# --- apply -------------------------------------------------------------------------------------


def applied_new(config: Object, manager: str, now: float, kind: Kind) -> Object:
    """An object server-side apply creates: the configuration, owned by its manager."""
    paths = field_paths(config, patch_meta.for_kind(kind.kind))
    obj = copy.deepcopy(config)
    return _with_entries(obj, [_entry(manager, APPLY, kind.api_version, now, paths)])


def apply(
    kind: Kind, live: Object, config: Object, manager: str, *, force: bool, now: float
) -> Object:
    """The live object with the configuration applied by `manager` (ApplyConflict if it would
    change what others own and is not forced)."""
    meta = patch_meta.for_kind(kind.kind)
    applied = field_paths(config, meta)
    entries = _entries(live)
    previous: set[Path] = set()
    others: list[tuple[Object, set[Path]]] = []
    for entry in entries:
        if entry.get("manager") == manager and entry.get("operation") == APPLY:
            previous = _owned(entry)
        else:
            others.append((entry, _owned(entry)))
    conflicts = []
    for path in sorted(applied):
        if path[-1] == ".":
            continue
        wanted, current = _value_at(config, path), _value_at(live, path)
        if current is _MISSING or wanted == current:
            continue
        for entry, owned in others:
            if path in owned:
                conflicts.append((str(entry.get("manager")), str(entry.get("apiVersion")), path))
    if conflicts and not force:
        raise ApplyConflict([(m, v, _shown(p)) for m, v, p in conflicts])
    taken = {p for _, _, p in conflicts}
    merged = _merge(copy.deepcopy(live), config, meta)
    owned_by_others = set().union(*(o - taken for _, o in others)) if others else set()
    # whole list elements first (their key fields go with them), then fields, deepest first
    for path in sorted(previous - applied, key=lambda p: (p[-1] != ".", -len(p))):
        if path not in owned_by_others:
            _remove(merged, path)
    new_entries = [
        {**entry, "fieldsV1": to_fields_v1(owned - taken)}
        for entry, owned in others
        if owned - taken
    ]
    new_entries.append(_entry(manager, APPLY, kind.api_version, now, applied))
    return _with_entries(merged, new_entries)


def _merge(live: Any, config: Any, meta: patch_meta.PatchMeta) -> Any:
    if not isinstance(live, dict) or not isinstance(config, dict):
        return copy.deepcopy(config)
    for key, value in config.items():
        strategies, merge_key, child = meta.lookup(key)
        current = live.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            live[key] = _merge(current, value, child)
        elif (
            isinstance(value, list) and isinstance(current, list) and merge_key
            and all(isinstance(i, dict) for i in value + current)
        ):  # fmt: skip
            by_key = {json.dumps(i.get(merge_key)): i for i in current}
            result = []
            for item in value:
                found = by_key.pop(json.dumps(item.get(merge_key)), None)
                result.append(_merge(found, item, child) if found is not None else item)
            result += list(by_key.values())
            live[key] = result
        elif isinstance(value, list) and isinstance(current, list) and "merge" in strategies:
            live[key] = current + [v for v in value if v not in current]
        else:
            live[key] = copy.deepcopy(value)
    return live


def _remove(obj: Any, path: Path) -> None:
    """Remove the field, list element or set member a path names (if it is there)."""
    if path[-1] == ".":
        path = path[:-1]
    parent = _value_at(obj, path[:-1]) if len(path) > 1 else obj
    if parent is _MISSING:
        return
    kind, _, name = path[-1].partition(":")
    if kind == "f" and isinstance(parent, dict):
        parent.pop(name, None)
    elif kind == "k" and isinstance(parent, list):
        wanted = json.loads(name)
        parent[:] = [
            i for i in parent
            if not (isinstance(i, dict) and all(i.get(k) == v for k, v in wanted.items()))
        ]  # fmt: skip
    elif kind == "v" and isinstance(parent, list):
        value = json.loads(name)
        parent[:] = [i for i in parent if i != value]
