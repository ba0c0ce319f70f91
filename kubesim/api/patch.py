"""Strategic merge patch: applying one, and computing the three-way patch of `kubectl apply`.

A port of k8s.io/apimachinery/pkg/util/strategicpatch/patch.go over JSON-shaped values:
`strategic_merge` is StrategicMergeMapPatch (what the apiserver does with a PATCH of type
application/strategic-merge-patch+json) and `three_way_merge_patch` is CreateThreeWayMergePatch
(what kubectl apply sends). Lists merge by the patchMergeKey of kubesim.api.patch_meta; the
directives `$patch` (replace, delete), `$retainKeys`, `$setElementOrder/<list>` and
`$deleteFromPrimitiveList/<list>` behave as upstream; null deletes a key. JSON merge patch and
JSON patch live in kubesim.api.json_patch. Inputs are never modified.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, replace
from typing import Any

from kubesim.api.gofmt import go_kind, go_sprint
from kubesim.api.patch_meta import PatchMeta

Map = dict[str, Any]

DIRECTIVE = "$patch"
DELETE, REPLACE, MERGE = "delete", "replace", "merge"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"


class PatchError(ValueError):
    """Raised when a patch cannot be made or applied; the text is apimachinery's."""


# mergepatch/errors.go
ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"
ERR_PRIMITIVE_LIST = "invalid patch format of primitive list"
ERR_RETAIN_KEYS = "invalid patch format of retainKeys"
ERR_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"


def _same(a: Any, b: Any) -> bool:
    """Go's == on two interface values holding scalars (type and value must match)."""
    return go_kind(a) == go_kind(b) and a == b


def _sort_scalars(values: list[Any]) -> list[Any]:
    """SortableSliceOfScalars: ordered by the %v text of each value."""
    return sorted(values, key=go_sprint)


def _dedup_scalars(values: list[Any]) -> list[Any]:
    """deduplicateScalars, including its habit of moving the last element into the gap."""
    s = list(values)
    length = len(s) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _same(s[i], s[j]):
                s[j] = s[length]
                s = s[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return s


def _no_merge_key(item: Map, key: str) -> PatchError:
    return PatchError(f"map: {go_sprint(item)} does not contain declared merge key: {key}")


def _element_kind(*lists: list[Any]) -> str:
    """sliceElementType: the one kind all elements share."""
    previous = ""
    for values in lists:
        for value in values:
            kind = go_kind(value)
            if not previous:
                previous = kind
                if kind == "[]interface {}":
                    raise PatchError(ERR_NO_LIST_OF_LISTS)
            elif kind != previous:
                everything = " ".join(go_sprint(list(v)) for v in lists)
                raise PatchError(f"list element types are not identical: [{everything}]")
    if not previous:
        raise PatchError("no elements in any of the given slices")
    return previous


def _strategy(strategies: list[str]) -> tuple[bool, str]:
    """extractRetainKeysPatchStrategy: (has retainKeys, the other strategy)."""
    if len(strategies) > 2:
        raise PatchError(f"unexpected patch strategy: {strategies}")
    retain = "retainKeys" in strategies
    others = [s for s in strategies if s != "retainKeys"]
    if len(strategies) == 2 and not retain:
        raise PatchError(f"unexpected patch strategy: {strategies}")
    return retain, others[0] if others else ""


# --- diff ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffOptions:
    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys: bool = False


def diff_maps(original: Map, modified: Map, meta: PatchMeta, options: DiffOptions) -> Map:
    """The (recursive) strategic patch that turns `original` into `modified` (diffMaps)."""
    patch: Map = {}
    retain_keys: list[Any] = []
    for key, modified_value in modified.items():
        if options.build_retain_keys and modified_value is not None:
            retain_keys.append(key)
        if key not in original:
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        original_value = original[key]
        if key == DIRECTIVE:
            if not isinstance(original_value, str) or not isinstance(modified_value, str):
                raise PatchError(f"invalid value for special key: {DIRECTIVE}")
            if modified_value != original_value:
                patch[key] = modified_value
            continue
        if go_kind(original_value) != go_kind(modified_value):
            if not options.ignore_changes_and_additions:
                patch[key] = modified_value
            continue
        if isinstance(original_value, dict):
            _diff_map_field(key, original_value, modified_value, patch, meta, options)
        elif isinstance(original_value, list):
            _diff_list_field(key, original_value, modified_value, patch, meta, options)
        elif not options.ignore_changes_and_additions and original_value != modified_value:
            patch[key] = modified_value
    if not options.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retain_keys and (patch or _has_additional_new_field(original, modified)):
        patch[RETAIN_KEYS] = _sort_scalars(retain_keys)
    return patch


def _has_additional_new_field(original: Map, modified: Map) -> bool:
    return any(v is not None and k not in modified for k, v in original.items())


def _diff_map_field(
    key: str, original: Map, modified: Map, patch: Map, meta: PatchMeta, options: DiffOptions
) -> None:
    strategies, _, child = meta.lookup(key)
    retain, strategy = _strategy(strategies)
    if strategy == REPLACE:
        if not options.ignore_changes_and_additions:
            patch[key] = modified
        return
    value = diff_maps(original, modified, child, replace(options, build_retain_keys=retain))
    if value:
        patch[key] = value


def _diff_list_field(
    key: str,
    original: list[Any],
    modified: list[Any],
    patch: Map,
    meta: PatchMeta,
    options: DiffOptions,
) -> None:
    strategies, merge_key, child = meta.lookup(key)
    retain, strategy = _strategy(strategies)
    if strategy != MERGE:
        if not options.ignore_changes_and_additions and original != modified:
            patch[key] = modified
        return
    options = replace(options, build_retain_keys=retain)
    additions, deletions, order = _diff_lists(original, modified, child, merge_key, options)
    if additions:
        patch[key] = additions
    if deletions:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deletions
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def _diff_lists(
    original: list[Any], modified: list[Any], meta: PatchMeta, merge_key: str, options: DiffOptions
) -> tuple[list[Any], list[Any], list[Any]]:
    """diffLists: the patch list, the parallel deletion list and the $setElementOrder list."""
    if not original:
        if not modified or options.ignore_changes_and_additions:
            return [], [], []
        return modified, [], []
    kind = _element_kind(original, modified)
    order: list[Any] = []
    if kind == "map[string]interface {}":
        patch_list, deletions = _diff_lists_of_maps(original, modified, meta, merge_key, options)
        patch_list = _normalize_slice_order(patch_list, modified, merge_key, is_map=True)
        order_same = _is_order_same(original, modified, merge_key)
        patch_list += deletions
        if options.set_element_order and (
            (not options.ignore_changes_and_additions and (patch_list or not order_same))
            or (not options.ignore_deletions and patch_list)
        ):
            order = [{merge_key: item[merge_key]} for item in modified]
        return patch_list, [], order
    patch_list, deletions = _diff_lists_of_scalars(original, modified, options)
    patch_list = _normalize_slice_order(patch_list, modified, merge_key, is_map=False)
    # upstream sorts `original` in place before this comparison
    if options.set_element_order and (
        (not options.ignore_deletions and deletions)
        or (not options.ignore_changes_and_additions and _sort_scalars(original) != modified)
    ):
        order = modified
    return patch_list, deletions, order


def _is_order_same(original: list[Any], modified: list[Any], merge_key: str) -> bool:
    if len(original) != len(modified):
        return False
    for left, right in zip(original, modified, strict=True):
        if merge_key not in left:
            raise _no_merge_key(left, merge_key)
        if merge_key not in right:
            raise _no_merge_key(right, merge_key)
        if not _same(left[merge_key], right[merge_key]):
            return False
    return True


def _diff_lists_of_scalars(
    original: list[Any], modified: list[Any], options: DiffOptions
) -> tuple[list[Any], list[Any]]:
    originals, modifieds = _sort_scalars(original), _sort_scalars(modified)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(originals) or j < len(modifieds):
        left = go_sprint(originals[i]) if i < len(originals) else None
        right = go_sprint(modifieds[j]) if j < len(modifieds) else None
        if left is not None and right is not None and left == right:
            i += 1
            j += 1
        elif left is None or (right is not None and left > right):
            if not options.ignore_changes_and_additions:
                additions.append(modifieds[j])
            j += 1
        else:
            if not options.ignore_deletions:
                deletions.append(originals[i])
            i += 1
    return additions, _dedup_scalars(deletions)


def _sorted_by_merge_key(items: list[Any], merge_key: str) -> list[Map]:
    for item in items:
        if not isinstance(item, dict):
            raise PatchError(f"expected a map, but received a {go_kind(item)}")
    return sorted(items, key=lambda item: go_sprint(item.get(merge_key)))


def _diff_lists_of_maps(
    original: list[Any], modified: list[Any], meta: PatchMeta, merge_key: str, options: DiffOptions
) -> tuple[list[Any], list[Any]]:
    originals = _sorted_by_merge_key(original, merge_key)
    modifieds = _sorted_by_merge_key(modified, merge_key)
    patch: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(originals) or j < len(modifieds):
        left = right = None
        if i < len(originals):
            if merge_key not in originals[i]:
                raise _no_merge_key(originals[i], merge_key)
            left = go_sprint(originals[i][merge_key])
        if j < len(modifieds):
            if merge_key not in modifieds[j]:
                raise _no_merge_key(modifieds[j], merge_key)
            right = go_sprint(modifieds[j][merge_key])
        if left is not None and right is not None and left == right:
            value = diff_maps(originals[i], modifieds[j], meta, options)
            if value:
                value[merge_key] = modifieds[j][merge_key]
                patch.append(value)
            i += 1
            j += 1
        elif left is None or (right is not None and left > right):
            if not options.ignore_changes_and_additions:
                patch.append(modifieds[j])
            j += 1
        else:
            if not options.ignore_deletions:
                deletions.append({merge_key: originals[i][merge_key], DIRECTIVE: DELETE})
            i += 1
    return patch, deletions


def _index(items: list[Any], value: Any, merge_key: str, is_map: bool) -> int:
    def key_of(item: Any) -> Any:
        return item.get(merge_key) if is_map and isinstance(item, dict) else item

    wanted = key_of(value)
    for i, item in enumerate(items):
        if _same(key_of(item), wanted):
            return i
    return -1


def _normalize_slice_order(
    to_sort: list[Any], order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    """normalizeSliceOrder: `to_sort` in the order of `order`, `$patch: delete` items last."""
    to_delete: list[Any] = []
    if is_map:
        for item in [*to_sort, *order]:
            if not isinstance(item, dict):
                raise PatchError(f"expected a map, but received a {go_kind(item)}")
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
        to_delete = [i for i in to_sort if i.get(DIRECTIVE) == DELETE]
        to_sort = [i for i in to_sort if i.get(DIRECTIVE) != DELETE]

    def compare(a: Any, b: Any) -> int:
        ia, ib = _index(order, a, merge_key, is_map), _index(order, b, merge_key, is_map)
        if ia >= 0 and ib >= 0:
            return -1 if ia < ib else (1 if ia > ib else 0)
        return 0

    return sorted(to_sort, key=functools.cmp_to_key(compare)) + to_delete


# --- merge --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeOptions:
    merge_parallel_list: bool = False
    ignore_unmatched_nulls: bool = False


_DELETED = object()  # a map removed by `$patch: delete`


def merge_map(original: Map | None, patch: Map, meta: PatchMeta, options: MergeOptions) -> Any:
    """mergeMap: `patch` merged into `original` (both are modified; pass copies)."""
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == REPLACE:
            del patch[DIRECTIVE]
            return patch
        if directive == DELETE:
            return _DELETED
        raise PatchError(f"unknown patch type: {go_sprint(directive)} in map: {go_sprint(patch)}")
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, options)
    _merge_set_element_order(original, patch, meta, options)
    for key, patch_value in list(patch.items()):
        is_delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not options.merge_parallel_list:
                original[key] = patch_value
                continue
            key = _directive_target(key, DELETE_FROM_PRIMITIVE_LIST, ERR_PRIMITIVE_LIST)
            is_delete_list = True
        if patch_value is None:
            original.pop(key, None)
            if options.ignore_unmatched_nulls:
                continue
        if key not in original:
            original[key] = patch_value
            continue
        if go_kind(original[key]) != go_kind(patch_value):
            original[key] = patch_value
            continue
        strategies, merge_key, child = meta.lookup(key)
        _, strategy = _strategy(strategies)
        if isinstance(patch_value, dict):
            merged = (
                patch_value
                if strategy == REPLACE
                else merge_map(original[key], patch_value, child, options)
            )
            if merged is _DELETED:
                # the map is emptied, and an empty map is dropped when the object is re-encoded
                del original[key]
            else:
                original[key] = merged
        elif isinstance(patch_value, list):
            if strategy == MERGE:
                original[key] = _merge_slice(
                    original[key], patch_value, child, merge_key, options, is_delete_list
                )
            else:
                original[key] = patch_value
        else:
            original[key] = patch_value
    return original


def _directive_target(key: str, prefix: str, error: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise PatchError(error)
    return rest


def _apply_retain_keys(original: Map, patch: Map, options: MergeOptions) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not options.merge_parallel_list:
        if RETAIN_KEYS in original:
            if original[RETAIN_KEYS] != retain:
                raise PatchError(
                    f"{go_sprint(original[RETAIN_KEYS])} and {go_sprint(retain)} are not deep "
                    "equal: this may happen when calculating the 3-way diff patch"
                )
        else:
            original[RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise PatchError(ERR_RETAIN_KEYS)
    allowed = [k for k in retain]
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if key not in allowed:
            raise PatchError(ERR_RETAIN_KEYS)
    for key in list(original):
        if key not in allowed:
            del original[key]


def _merge_set_element_order(
    original: Map, patch: Map, meta: PatchMeta, options: MergeOptions
) -> None:
    """mergePatchIntoOriginal: merge each list named by a `$setElementOrder/` directive, in
    the order the directive gives (then the patch's order, then the live list's)."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not options.merge_parallel_list:
            if key in original:
                if original[key] != order:
                    raise PatchError(ERR_SET_ELEMENT_ORDER)
            else:
                original[key] = order
        if not isinstance(order, list):
            raise PatchError(f"expected a []interface {{}}, but received a {go_kind(order)}")
        target = _directive_target(key, SET_ELEMENT_ORDER, ERR_SET_ELEMENT_ORDER)
        found_original, found_patch = target in original, target in patch
        original_list = original.get(target) if found_original else []
        patch_list = patch.get(target) if found_patch else []
        for value in (original_list, patch_list):
            if not isinstance(value, list):
                raise PatchError(f"expected a []interface {{}}, but received a {go_kind(value)}")
        assert isinstance(original_list, list) and isinstance(patch_list, list)
        strategies, merge_key, child = meta.lookup(target)
        _, strategy = _strategy(strategies)
        _check_against_order(patch_list, order, merge_key)
        if found_original and not found_patch:
            merged = original_list
        elif found_patch and not found_original:
            merged = patch_list
        elif found_original and found_patch:
            if strategy == MERGE:
                merged = _merge_slice(original_list, patch_list, child, merge_key, options, False)
            else:
                merged = patch_list
        else:
            continue
        is_map = bool(merge_key)
        in_patch, server_only = _partition(merged, order, merge_key, is_map)
        _element_kind(original_list, patch_list)
        original[target] = _normalize_element_order(
            in_patch, server_only, order, original_list, merge_key, is_map
        )
        patch.pop(target, None)


def _check_against_order(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """validatePatchWithSetOrderList: the patch list follows the directive's relative order."""
    if not order or not patch_list:
        return
    items = patch_list
    if merge_key:
        for item in items:
            if not isinstance(item, dict):
                raise PatchError(f"expected a map, but received a {go_kind(item)}")
        items = [i for i in items if i.get(DIRECTIVE) != DELETE]
    p = s = 0
    while p < len(items) and s < len(order):
        if isinstance(items[p], dict) and DIRECTIVE in items[p]:
            p += 1
            continue
        if merge_key:
            left, right = items[p], order[s]
            if not isinstance(right, dict):
                raise PatchError(f"expected a map, but received a {go_kind(right)}")
            if merge_key not in left:
                raise _no_merge_key(left, merge_key)
            if merge_key not in right:
                raise _no_merge_key(right, merge_key)
            equal = _same(left[merge_key], right[merge_key])
        else:
            equal = _same(items[p], order[s])
        if equal:
            p += 1
        s += 1
    if p < len(items) and s >= len(order):
        raise PatchError(
            f"The order in patch list:\n{go_sprint(patch_list)}\n doesn't match "
            f"{SET_ELEMENT_ORDER} list:\n{go_sprint(order)}\n"
        )


def _partition(
    merged: list[Any], order: list[Any], merge_key: str, is_map: bool
) -> tuple[list[Any], list[Any]]:
    in_patch: list[Any] = []
    server_only: list[Any] = []
    for item in merged:
        if is_map:
            if not isinstance(item, dict):
                raise PatchError(f"expected a map, but received a {go_kind(item)}")
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
        found = _index(order, item, merge_key, is_map) >= 0
        (in_patch if found else server_only).append(item)
    return in_patch, server_only


def _normalize_element_order(
    patch: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    is_map: bool,
) -> list[Any]:
    patch = _normalize_slice_order(patch, patch_order, merge_key, is_map)
    server_only = _normalize_slice_order(server_only, server_order, merge_key, is_map)
    return _merge_sorted(server_only, patch, server_order, merge_key, is_map)


def _merge_sorted(
    left: list[Any], right: list[Any], server_order: list[Any], merge_key: str, is_map: bool
) -> list[Any]:
    """mergeSortedSlice: server-only items slotted between patch items by the live order."""
    result: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            result.append(right[j])
            j += 1
        elif j >= len(right):
            result.append(left[i])
            i += 1
        else:
            li = _index(server_order, left[i], merge_key, is_map)
            ri = _index(server_order, right[j], merge_key, is_map)
            if li >= 0 and ri >= 0 and li < ri:
                result.append(left[i])
                i += 1
            else:
                result.append(right[j])
                j += 1
    return result


def _merge_slice(
    original: list[Any],
    patch: list[Any],
    meta: PatchMeta,
    merge_key: str,
    options: MergeOptions,
    is_delete_list: bool,
) -> list[Any]:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    is_map = kind == "map[string]interface {}"
    if not is_map:
        if options.merge_parallel_list and is_delete_list:
            return [v for v in original if not any(_same(v, d) for d in patch)]
        merged = _dedup_scalars(original + patch)
    else:
        if not merge_key:
            raise PatchError("cannot merge lists without merge key for type map")
        original, patch = _merge_special_elements(original, patch, merge_key)
        merged = _merge_plain_elements(original, patch, merge_key, meta, options)
    in_patch, server_only = _partition(merged, patch, merge_key, is_map)
    return _normalize_element_order(in_patch, server_only, patch, original, merge_key, is_map)


def _merge_special_elements(
    original: list[Any], patch: list[Any], merge_key: str
) -> tuple[list[Any], list[Any]]:
    """mergeSliceWithSpecialElements: act on `$patch` items, return the rest of the patch."""
    plain: list[Any] = []
    replace_all = False
    for item in patch:
        if DIRECTIVE not in item:
            plain.append(item)
            continue
        directive = item[DIRECTIVE]
        if directive == DELETE:
            if merge_key not in item:
                raise _no_merge_key(item, merge_key)
            original = [
                o
                for o in original
                if not (isinstance(o, dict) and _same(o.get(merge_key), item[merge_key]))
            ]
        elif directive == REPLACE:
            replace_all = True
        elif directive == MERGE:
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise PatchError(
                f"unknown patch type: {go_sprint(directive)} in map: {go_sprint(item)}"
            )
    if replace_all:
        return plain, []
    return original, plain


def _merge_plain_elements(
    original: list[Any], patch: list[Any], merge_key: str, meta: PatchMeta, options: MergeOptions
) -> list[Any]:
    original = list(original)
    for item in patch:
        if merge_key not in item:
            raise _no_merge_key(item, merge_key)
        for index, existing in enumerate(original):
            if not isinstance(existing, dict):
                raise PatchError(f"value for key {index} is not a map.")
            if merge_key in existing and _same(existing[merge_key], item[merge_key]):
                merged = merge_map(existing, item, meta, options)
                original[index] = {} if merged is _DELETED else merged
                break
        else:
            original.append(item)
    return original


# --- the public operations ----------------------------------------------------------------


def strategic_merge(obj: Map, patch: Map, meta: PatchMeta) -> Map:
    """`obj` with a strategic merge patch applied, as the apiserver applies a PATCH."""
    result = merge_map(
        copy.deepcopy(obj),
        copy.deepcopy(patch),
        meta,
        MergeOptions(merge_parallel_list=True, ignore_unmatched_nulls=True),
    )
    return {} if result is _DELETED else dict(result)


def three_way_merge_patch(
    original: Map | None, modified: Map, current: Map, meta: PatchMeta
) -> Map:
    """CreateThreeWayMergePatch with overwrite: changes from `current` to `modified`, plus the
    deletions of fields that were in `original` (the last applied configuration) and are gone
    from `modified`; fields only others set (defaults, controllers) are left alone."""
    original = copy.deepcopy(original or {})
    modified = copy.deepcopy(modified)
    current = copy.deepcopy(current)
    delta = diff_maps(
        current, modified, meta, DiffOptions(ignore_deletions=True, set_element_order=True)
    )
    deletions = diff_maps(
        original,
        modified,
        meta,
        DiffOptions(set_element_order=True, ignore_changes_and_additions=True),
    )
    result = merge_map(deletions, delta, meta, MergeOptions())
    return {} if result is _DELETED else dict(result)
