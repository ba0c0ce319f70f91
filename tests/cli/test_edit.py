"""kubesim edit and replace, as a user runs them: the editor is a small script standing in for
vi, changing the file it is given the way a user would."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import Kubesim, cluster_state

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)


@pytest.fixture
def web(kubesim: Kubesim) -> Kubesim:
    assert kubesim("create deployment web --image=nginx:1.25 --replicas=2").code == 0
    kubesim("tick 5")
    return kubesim


def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *rounds: tuple[str, str]) -> list[Path]:
    """EDITOR set to a script that, on its n-th run, replaces rounds[n]'s first text by its
    second in the file; a copy of each file as the editor saw it is kept and returned."""
    seen = tmp_path / "seen"
    seen.mkdir()
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        f"rounds = {list(rounds)!r}\n"
        f"seen = pathlib.Path({str(seen)!r})\n"
        "n = len(list(seen.iterdir()))\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text()\n"
        "(seen / str(n)).write_text(text)\n"
        "old, new = rounds[min(n, len(rounds) - 1)]\n"
        "path.write_text(text.replace(old, new) if old else new)\n"
    )
    monkeypatch.delenv("KUBE_EDITOR", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the files kubesim keeps aside
    return [seen / str(n) for n in range(len(rounds) + 1)]


def test_edit_patches_what_was_changed(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = editor(tmp_path, monkeypatch, ("replicas: 2", "replicas: 3"))
    result = web("edit deployment/web")
    assert (result.code, result.out, result.err) == (0, "deployment.apps/web edited\n", "")
    assert web("get deploy web -o jsonpath={.spec.replicas}").out == "3"
    shown = files[0].read_text()
    assert shown.startswith(HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    assert "  replicas: 2\n" in shown


def test_edit_left_unchanged_changes_nothing(
    web: Kubesim, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor(tmp_path, monkeypatch, ("# Please", "# Still"))  # a comment is not a change
    before = cluster_state(home)
    result = web("edit deploy web")
    assert (result.code, result.out, result.err) == (0, "", "Edit cancelled, no changes made.\n")
    assert cluster_state(home) == before


def test_an_emptied_file_cancels_the_edit(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor(tmp_path, monkeypatch, ("", "# nothing left\n"))
    result = web("edit deploy web")
    assert (result.code, result.err) == (0, "Edit cancelled, saved file was empty.\n")


def test_an_invalid_edit_reopens_the_file_with_the_reasons(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = editor(
        tmp_path, monkeypatch, ("replicas: 2", "replicas: -1"), ("replicas: -1", "replicas: 4")
    )
    result = web("edit deploy web")
    assert result.code == 0
    assert result.err == 'error: deployments.apps "web" is invalid\n'
    assert result.out == "deployment.apps/web edited\n"
    reopened = files[1].read_text()
    assert reopened.startswith(
        HEADER + '# deployments.apps "web" was not valid:\n'
        "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
        "#\n"
        "apiVersion: apps/v1\n"
    )
    assert "replicas: -1" in reopened  # the user's change is kept for them to fix
    assert web("get deploy web -o jsonpath={.spec.replicas}").out == "4"


def test_an_invalid_edit_saved_again_unchanged_is_kept_aside(
    web: Kubesim, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor(tmp_path, monkeypatch, ("replicas: 2", "replicas: -1"), ("<absent>", ""))
    before = cluster_state(home)
    result = web("edit deploy web")
    lines = result.err.splitlines()
    assert result.code == 1
    assert lines[0] == 'error: deployments.apps "web" is invalid'
    assert lines[1].startswith('A copy of your changes has been stored to "')
    assert lines[2] == "error: Edit cancelled, no valid changes were saved."
    kept = Path(lines[1].split('"')[1])
    assert kept.parent == tmp_path
    assert "replicas: -1" in kept.read_text()
    assert cluster_state(home) == before


def test_renaming_in_the_editor_is_refused(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor(tmp_path, monkeypatch, ("  name: web\n", "  name: other\n"))
    result = web("edit deploy web")
    lines = result.err.splitlines()
    assert result.code == 1
    assert lines[0].startswith("A copy of your changes has been stored to")
    assert lines[1] == "error: At least one of apiVersion, kind and name was changed"


def test_a_syntax_error_is_written_back_into_the_file(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = editor(tmp_path, monkeypatch, ("kind: Deployment", "kind: [Deployment"))
    result = web("edit deploy web")
    assert result.code == 1
    assert "# The edited file had a syntax error: error parsing edited-file: " in (
        files[1].read_text()
    )


def test_several_objects_are_edited_as_one_list(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web("create deployment api --image=nginx:1.25")
    files = editor(tmp_path, monkeypatch, ("image: nginx:1.25", "image: nginx:1.26"))
    result = web("edit deployments")
    assert result.out == "deployment.apps/api edited\ndeployment.apps/web edited\n"
    assert files[0].read_text().startswith(HEADER + "apiVersion: v1\nitems:\n- apiVersion: apps/v1")


def test_an_editor_that_cannot_start(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("KUBE_EDITOR", raising=False)
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    result = web("edit deploy web")
    assert (result.code, result.err) == (
        1,
        'error: unable to launch the editor "no-such-editor-here"\n',
    )


def test_an_editor_given_by_a_path_that_does_not_exist(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("KUBE_EDITOR", "/nonexistent/ed")
    result = web("edit deploy web")
    assert (result.code, result.err) == (
        1,
        'error: there was a problem with the editor "/nonexistent/ed"\n',
    )


def test_an_unknown_kind_is_written_back_as_the_builder_words_it(
    web: Kubesim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = editor(
        tmp_path, monkeypatch, ("kind: Deployment\n", "kind: Deploymentx\n"), ("<absent>", "")
    )
    assert web("edit deploy web").code == 1
    assert (
        '# The edited file had a syntax error: resource mapping not found for name: "web" '
        'namespace: "default" from "edited-file": no matches for kind "Deploymentx" in version '
        '"apps/v1"\n# ensure CRDs are installed first\n'
    ) in files[1].read_text()


def test_edit_of_a_missing_object(web: Kubesim) -> None:
    result = web("edit deploy nope")
    assert (result.code, result.err) == (
        1,
        'Error from server (NotFound): deployments.apps "nope" not found\n',
    )


def test_replace_puts_the_whole_object(web: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(web("get deploy web -o yaml").out.replace("replicas: 2", "replicas: 5"))
    result = web(f"replace -f {manifest}")
    assert (result.code, result.out) == (0, "deployment.apps/web replaced\n")
    assert web("get deploy web -o jsonpath={.spec.replicas}").out == "5"


def test_replace_with_a_stale_resource_version_is_a_conflict(web: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(web("get deploy web -o yaml").out)
    web("scale deploy web --replicas=3")
    result = web(f"replace -f {manifest}")
    assert (result.code, result.err) == (
        1,
        f'Error from server (Conflict): error when replacing "{manifest}": Operation cannot be '
        'fulfilled on deployments.apps "web": the object has been modified; please apply your '
        "changes to the latest version and try again\n",
    )


def test_replace_of_a_missing_object(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "cm.yaml"
    manifest.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n")
    result = kubesim(f"replace -f {manifest}")
    assert (result.code, result.err) == (
        1,
        f'Error from server (NotFound): error when replacing "{manifest}": configmaps "settings" '
        "not found\n",
    )


def test_replace_force_deletes_waits_and_creates(web: Kubesim, tmp_path: Path) -> None:
    web("run box --image=busybox:1.28 -- sleep 3600")
    web("tick 5")
    old_uid = web("get pod box -o jsonpath={.metadata.uid}").out
    manifest = tmp_path / "box.yaml"
    manifest.write_text(web("get pod box -o yaml").out)
    result = web(f"replace --force -f {manifest}")
    assert (result.code, result.out) == (0, 'pod "box" deleted\npod/box replaced\n')
    assert web("get pod box -o jsonpath={.metadata.uid}").out not in ("", old_uid)
