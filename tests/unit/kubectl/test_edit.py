"""kubectl edit's pure pieces: the file's header, comment stripping, the editor's command line
and the patch sent for a saved file."""

from __future__ import annotations

import pytest

from kubesim.api import patch_meta
from kubesim.kubectl import edit


def test_header_lists_each_reason_and_its_causes() -> None:
    reasons = [
        edit.Reason('deployments.apps "web" was not valid', ["spec.replicas: Invalid value: -1"]),
        edit.Reason("The edited file had a syntax error: line 1\nline 2"),
    ]
    assert edit.header(reasons) == edit.HEADER + (
        '# deployments.apps "web" was not valid:\n'
        "# * spec.replicas: Invalid value: -1\n"
        "#\n"
        "# The edited file had a syntax error: line 1\n"
        "# line 2\n"
        "#\n"
    )


def test_manual_strip_drops_comment_lines_but_not_shebangs() -> None:
    assert edit.manual_strip("# a\nkey: 1\n  # b\n#!keep\nlast") == "key: 1\n#!keep\nlast"


def test_strip_comments_ignores_layout_and_key_order() -> None:
    # yaml.ToJSON decodes into a map, and json.Marshal writes its keys sorted
    assert edit.strip_comments("# c\na: 1\nb: {x: 2}\n") == edit.strip_comments(
        "a: 1\nb:\n  x: 2\n"
    )
    assert edit.strip_comments("a: 1\nb: 2\n") == edit.strip_comments("b: 2\na: 1\n")
    assert edit.strip_comments("a: 1\nb: 2\n") != edit.strip_comments("a: 1\nb: 3\n")


def test_strip_comments_leaves_json_as_it_is() -> None:
    assert edit.strip_comments('{"b": 1, "a": 2}\n') == '{"b": 1, "a": 2}\n'


def test_strip_comments_of_broken_yaml_strips_by_hand() -> None:
    assert edit.strip_comments("# c\na: [\n") == "a: [\n"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, (["vi"], False)),
        ({"EDITOR": "nano"}, (["nano"], False)),
        ({"EDITOR": "nano", "KUBE_EDITOR": "code --wait"}, (["code", "--wait"], False)),
        (
            {"EDITOR": "emacs -nw 'x'", "SHELL": "/bin/zsh"},
            (["/bin/zsh", "-c", "emacs -nw 'x'"], True),
        ),
        ({"EDITOR": "a \\b"}, (["/bin/bash", "-c", "a \\b"], True)),
    ],
)
def test_editor_command(environ: dict[str, str], expected: tuple[list[str], bool]) -> None:
    assert edit.editor_command(environ) == expected


def test_editor_args_quote_the_path_for_a_shell() -> None:
    assert edit.editor_args(["vi"], False, "/tmp/f.yaml") == ["vi", "/tmp/f.yaml"]
    assert edit.editor_args(["sh", "-c", "ed 'x'"], True, "/tmp/f.yaml") == [
        "sh",
        "-c",
        "ed 'x' \"/tmp/f.yaml\"",
    ]


def test_two_way_patch_carries_only_the_change() -> None:
    original = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
        "spec": {
            "replicas": 2,
            "template": {"spec": {"containers": [{"name": "c", "image": "a"}]}},
        },
    }
    edited = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "template": {"spec": {"containers": [{"name": "c", "image": "b"}]}},
        },
    }
    meta = patch_meta.for_kind("Deployment")
    assert edit.two_way_patch(original, edited, meta) == {
        "metadata": {"labels": {"tier": None}},
        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "b"}]}}},
    }


@pytest.mark.parametrize(
    "change",
    [{"kind": "StatefulSet"}, {"apiVersion": "apps/v2"}, {"metadata": {"name": "other"}}],
)
def test_two_way_patch_refuses_a_new_identity(change: dict[str, object]) -> None:
    original = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    edited = {**original, **change}
    with pytest.raises(ValueError, match="At least one of apiVersion, kind and name was changed"):
        edit.two_way_patch(original, edited, patch_meta.for_kind("Deployment"))


def test_namespace_mismatch() -> None:
    assert edit.namespace_mismatch({"metadata": {"namespace": "default"}}, "default") is None
    assert edit.namespace_mismatch({"metadata": {}}, "default") is None
    assert edit.namespace_mismatch({"metadata": {"namespace": "dev"}}, "default") == (
        'the namespace from the provided object "dev" does not match the namespace "default". '
        "You must pass '--namespace=dev' to perform this operation."
    )
