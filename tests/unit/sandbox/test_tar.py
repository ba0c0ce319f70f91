"""tar in the container: archives made and unpacked, with GNU tar's and busybox's words."""

from __future__ import annotations

from kubesim.sandbox import fs, run, tarball
from tests.unit.sandbox.containers import container, sh

NGINX = "nginx:1.27"


def test_an_absolute_path_is_archived_relative_with_gnus_note() -> None:
    target = container(NGINX, files={"/srv/site/a.txt": "hello\n", "/srv/site/b/": ""})
    result = run(target, ["tar", "cf", "-", "/srv/site"])
    assert (result.exit_code, result.stderr) == (
        0,
        "tar: Removing leading `/' from member names\n",
    )
    members = tarball.read(tarball.from_text(result.stdout))
    assert [(m.name, m.is_dir) for m in members] == [
        ("srv/site", True),
        ("srv/site/a.txt", False),
        ("srv/site/b", True),
    ]
    assert members[1].content == b"hello\n"


def test_a_missing_file_in_each_userland() -> None:
    gnu = run(container(NGINX), ["tar", "cf", "-", "/nope"])
    assert (gnu.exit_code, gnu.stderr) == (
        2,
        "tar: Removing leading `/' from member names\n"
        "tar: /nope: Cannot stat: No such file or directory\n"
        "tar: Exiting with failure status due to previous errors\n",
    )
    busybox = run(container(), ["tar", "cf", "-", "/nope"])
    assert (busybox.exit_code, busybox.stderr) == (
        1,
        "tar: /nope: No such file or directory\ntar: error exit delayed from previous errors\n",
    )
    assert tarball.read(tarball.from_text(busybox.stdout)) == []  # still a (empty) archive


def test_extract_keeps_modes_unless_asked_not_to() -> None:
    archive = tarball.to_text(
        tarball.write([tarball.Member("app/run.sh", False, 0o775, b"echo hi\n")])
    )
    kept = container(NGINX)
    assert run(kept, ["tar", "-xmf", "-", "-C", "/opt"], archive).exit_code == 0
    assert fs.read(kept, "/opt/app/run.sh") == "echo hi\n"
    assert fs.mode(kept, "/opt/app/run.sh") == 0o775
    plain = container(NGINX)
    command = ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/opt"]
    assert run(plain, command, archive).exit_code == 0
    assert fs.mode(plain, "/opt/app/run.sh") == 0o755  # the umask applied


def test_extract_into_a_missing_directory() -> None:
    archive = tarball.to_text(tarball.write([tarball.Member("f", False, 0o644, b"x")]))
    gnu = run(container(NGINX), ["tar", "-xmf", "-", "-C", "/nope"], archive)
    assert (gnu.exit_code, gnu.stderr) == (
        2,
        "tar: /nope: Cannot open: No such file or directory\n"
        "tar: Error is not recoverable: exiting now\n",
    )
    busybox = run(container(), ["tar", "-xmf", "-", "-C", "/nope"], archive)
    assert (busybox.exit_code, busybox.stderr) == (
        1,
        "tar: can't change directory to '/nope': No such file or directory\n",
    )


def test_a_pipe_from_tar_to_tar_and_old_style_options() -> None:
    target = container(files={"/data/x": "1\n"})
    result = sh(target, "mkdir /copy && cd /data && tar cf - x | tar xf - -C /copy && cat /copy/x")
    assert (result.exit_code, result.stdout) == (0, "1\n")
    listed = sh(target, "tar cf /tmp/a.tar /data; tar tf /tmp/a.tar")
    assert listed.stdout == "data/\ndata/x\n"
    assert listed.stderr == "tar: removing leading '/' from member names\n"


def test_bad_command_lines() -> None:
    none = run(container(NGINX), ["tar", "cf", "-"])
    assert (none.exit_code, none.stderr) == (
        2,
        "tar: Cowardly refusing to create an empty archive\n"
        "Try 'tar --help' or 'tar --usage' for more information.\n",
    )
    garbage = run(container(NGINX), ["tar", "xf", "-"], "not an archive at all" * 40)
    assert garbage.stderr == (
        "tar: This does not look like a tar archive\n"
        "tar: Skipping to next header\n"
        "tar: Exiting with failure status due to previous errors\n"
    )
