"""JSON merge patch (RFC 7386) and JSON patch (RFC 6902)."""

from __future__ import annotations

import pytest

from kubesim.api.json_patch import json_patch, merge_patch
from kubesim.api.patch import PatchError

DOC = {"metadata": {"name": "web", "labels": {"app": "nginx"}}, "spec": {"list": [1, 2, 3]}}


def test_merge_patch_merges_objects() -> None:
    assert merge_patch(DOC, {"metadata": {"labels": {"tier": "web"}}})["metadata"]["labels"] == {
        "app": "nginx",
        "tier": "web",
    }


def test_merge_patch_null_deletes() -> None:
    assert "labels" not in merge_patch(DOC, {"metadata": {"labels": None}})["metadata"]


def test_merge_patch_replaces_lists_whole() -> None:
    assert merge_patch(DOC, {"spec": {"list": [9]}})["spec"]["list"] == [9]


def test_merge_patch_drops_nulls_inside_new_objects() -> None:
    assert merge_patch({}, {"a": {"b": None, "c": 1}}) == {"a": {"c": 1}}


def test_merge_patch_leaves_its_input_alone() -> None:
    merge_patch(DOC, {"metadata": {"labels": None}})
    assert DOC["metadata"]["labels"] == {"app": "nginx"}


def test_add_to_an_object() -> None:
    patched = json_patch(DOC, [{"op": "add", "path": "/metadata/labels/tier", "value": "web"}])
    assert patched["metadata"]["labels"] == {"app": "nginx", "tier": "web"}


def test_add_inserts_into_a_list_and_dash_appends() -> None:
    ops = [
        {"op": "add", "path": "/spec/list/0", "value": 0},
        {"op": "add", "path": "/spec/list/-", "value": 4},
    ]
    assert json_patch(DOC, ops)["spec"]["list"] == [0, 1, 2, 3, 4]


def test_add_to_a_missing_parent_fails() -> None:
    with pytest.raises(PatchError):
        json_patch(DOC, [{"op": "add", "path": "/metadata/annotations/a", "value": "b"}])


def test_remove() -> None:
    patched = json_patch(DOC, [{"op": "remove", "path": "/spec/list/1"}])
    assert patched["spec"]["list"] == [1, 3]


def test_remove_missing_key_fails() -> None:
    with pytest.raises(PatchError):
        json_patch(DOC, [{"op": "remove", "path": "/metadata/annotations"}])


def test_replace_requires_the_key() -> None:
    patched = json_patch(DOC, [{"op": "replace", "path": "/metadata/name", "value": "x"}])
    assert patched["metadata"]["name"] == "x"
    with pytest.raises(PatchError):
        json_patch(DOC, [{"op": "replace", "path": "/metadata/bogus", "value": "x"}])


def test_move_and_copy() -> None:
    ops = [
        {"op": "copy", "from": "/metadata/name", "path": "/metadata/labels/name"},
        {"op": "move", "from": "/spec/list", "path": "/spec/items"},
    ]
    patched = json_patch(DOC, ops)
    assert patched["metadata"]["labels"]["name"] == "web"
    assert patched["spec"] == {"items": [1, 2, 3]}


def test_test_operation() -> None:
    assert json_patch(DOC, [{"op": "test", "path": "/metadata/name", "value": "web"}]) == DOC
    with pytest.raises(PatchError):
        json_patch(DOC, [{"op": "test", "path": "/metadata/name", "value": "other"}])


def test_pointer_escapes() -> None:
    doc = {"metadata": {"annotations": {"a/b": "1", "c~d": "2"}}}
    ops = [
        {"op": "remove", "path": "/metadata/annotations/a~1b"},
        {"op": "remove", "path": "/metadata/annotations/c~0d"},
    ]
    assert json_patch(doc, ops) == {"metadata": {"annotations": {}}}


def test_first_path_segment_is_ignored_as_upstream_does() -> None:
    patched = json_patch(DOC, [{"op": "replace", "path": "bogus/metadata/name", "value": "x"}])
    assert patched["metadata"]["name"] == "x"


def test_unknown_operation_fails() -> None:
    with pytest.raises(PatchError, match="Unexpected kind: bogus"):
        json_patch(DOC, [{"op": "bogus", "path": "/a"}])


def test_patch_must_be_a_list() -> None:
    with pytest.raises(PatchError, match="cannot unmarshal object"):
        json_patch(DOC, {"op": "add"})
