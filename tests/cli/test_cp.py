"""kubectl cp both ways, through tar in the container, with kubectl's and tar's messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Kubesim

GNU_NOTE = "tar: Removing leading `/' from member names\n"


@pytest.fixture
def cluster(article: Kubesim) -> Kubesim:
    """The article's nginx pods (Debian, GNU tar) and a busybox pod."""
    article("run bb --image=busybox:1.28.4 -- sleep 3600")
    article("tick 5")
    return article


def test_a_file_from_a_pod(cluster: Kubesim, tmp_path: Path) -> None:
    page = cluster("exec web-0 -- cat /usr/share/nginx/html/index.html").out
    result = cluster("cp web-0:/usr/share/nginx/html/index.html ./index.html")
    # kubectl passes tar's stderr to its own stdout
    assert (result.code, result.out, result.err) == (0, GNU_NOTE, "")
    assert (tmp_path / "index.html").read_text() == page


def test_a_directory_from_a_pod(cluster: Kubesim, tmp_path: Path) -> None:
    cluster("exec web-0 -- sh -c 'mkdir -p /srv/site/empty && echo a > /srv/site/a.txt'")
    assert cluster("cp web-0:/srv/site ./site").code == 0
    assert sorted(os.listdir(tmp_path / "site")) == ["a.txt", "empty"]
    assert (tmp_path / "site" / "a.txt").read_text() == "a\n"
    assert (tmp_path / "site" / "empty").is_dir()


def test_a_missing_file_from_a_pod_is_tars_complaint(cluster: Kubesim, tmp_path: Path) -> None:
    result = cluster("cp web-0:/tmp/nofile ./nofile")
    # kubectl's exit status races tar's; the archive ends first, so it is usually 0
    assert (result.code, result.out) == (
        0,
        GNU_NOTE + "tar: /tmp/nofile: Cannot stat: No such file or directory\n"
        "tar: Exiting with failure status due to previous errors\n",
    )
    assert not (tmp_path / "nofile").exists()
    busybox = cluster("cp bb:/tmp/nofile ./nofile")
    assert busybox.out == (
        "tar: /tmp/nofile: No such file or directory\n"
        "tar: error exit delayed from previous errors\n"
    )


def test_a_file_into_a_pods_directory_keeps_its_mode(cluster: Kubesim, tmp_path: Path) -> None:
    local = tmp_path / "notes.txt"
    local.write_text("hello\n")
    local.chmod(0o600)
    result = cluster("cp notes.txt web-0:/tmp/")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert cluster("exec web-0 -- cat /tmp/notes.txt").out == "hello\n"
    assert cluster("exec web-0 -- ls -l /tmp/notes.txt").out.startswith("-rw------- ")
    # a new name; --no-preserve lets the container's umask decide
    local.chmod(0o666)
    assert cluster("cp notes.txt web-0:/tmp/renamed.txt --no-preserve").code == 0
    assert cluster("exec web-0 -- ls -l /tmp/renamed.txt").out.startswith("-rw-r--r-- ")


def test_a_directory_into_a_pod(cluster: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "site" / "sub").mkdir(parents=True)
    (tmp_path / "site" / "index.html").write_text("<h1>mine</h1>\n")
    (tmp_path / "site" / "sub" / "more.txt").write_text("more\n")
    assert cluster("cp site web-0:/usr/share/nginx/html/site").code == 0
    shown = cluster("exec web-0 -- cat /usr/share/nginx/html/site/sub/more.txt")
    assert shown.out == "more\n"
    # into a directory that exists: the source goes inside it, as cp -r would
    assert cluster("cp site web-0:/usr/share/nginx/html/site").code == 0
    assert cluster("exec web-0 -- ls /usr/share/nginx/html/site/site").out == "index.html\nsub\n"


def test_bytes_survive_the_round_trip(cluster: Kubesim, tmp_path: Path) -> None:
    data = bytes(range(256)) * 4
    (tmp_path / "blob.bin").write_bytes(data)
    assert cluster("cp blob.bin bb:/tmp/blob.bin").code == 0
    back = cluster("cp bb:/tmp/blob.bin ./back.bin")
    assert back.out == "tar: removing leading '/' from member names\n"
    assert (tmp_path / "back.bin").read_bytes() == data


def test_a_missing_destination_directory(cluster: Kubesim, tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("x\n")
    result = cluster("cp f.txt web-0:/nope/f.txt")
    assert (result.code, result.err) == (
        2,
        "tar: /nope: Cannot open: No such file or directory\n"
        "tar: Error is not recoverable: exiting now\n"
        "command terminated with exit code 2\n",
    )


def test_a_container_without_tar(cluster: Kubesim, tmp_path: Path) -> None:
    cluster("run notar --image=example.com/app:1 -- sleep 3600")
    cluster("tick 5")
    (tmp_path / "f.txt").write_text("x\n")
    for command in ("cp f.txt notar:/tmp/f.txt", "cp notar:/etc/hostname ./h"):
        result = cluster(command)
        assert result.code == 1
        assert result.err.startswith(
            "error: Internal error occurred: Internal error occurred: error executing command in "
            'container: failed to exec in container: failed to start exec "'
        )
        assert result.err.endswith(
            "OCI runtime exec failed: exec failed: unable to start container process: exec: "
            '"tar": executable file not found in $PATH: unknown\n'
        )


def test_kubectls_errors(cluster: Kubesim) -> None:
    errors = {
        "cp only-one": "error: source and destination are required\n",
        "cp :x ./x": (
            "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n"
        ),
        "cp a/b/c:/x ./x": (
            "error: filespec must match the canonical format: [[namespace/]pod:]file/path\n"
        ),
        "cp web-0:/a web-1:/b": "error: one of src or dest must be a local file specification\n",
        "cp web-0: ./x": "error: filepath can not be empty\n",
        "cp ./a ./b": "error: one of src or dest must be a remote file specification\n",
        "cp nothere web-0:/tmp": "error: nothere doesn't exist in local filesystem\n",
        "cp web-9:/x ./x": 'Error from server (NotFound): pods "web-9" not found\n',
        "cp web-0:/x ./x -c nope": (
            "Error from server (BadRequest): container nope is not valid for pod web-0\n"
        ),
    }
    for command, message in errors.items():
        result = cluster(command)
        assert (result.code, result.err) == (1, message), command
