from __future__ import annotations

from kubesim.sandbox import Result, run
from kubesim.sandbox.fs import WHITEOUT
from tests.unit.sandbox.containers import container, sh


def test_busybox_cat_of_a_missing_file() -> None:
    assert run(container(), ["cat", "/nope"]) == Result(
        "", "cat: can't open '/nope': No such file or directory\n", 1
    )


def test_gnu_cat_of_a_missing_file() -> None:
    assert run(container("nginx:1.9.1"), ["cat", "/nope"]) == Result(
        "", "cat: /nope: No such file or directory\n", 1
    )


def test_written_files_shadow_generated_ones() -> None:
    target = container(files={"/etc/hosts": "1.2.3.4\tother\n"})
    assert run(target, ["cat", "/etc/hosts"]).stdout == "1.2.3.4\tother\n"


def test_image_files_are_readable() -> None:
    assert (
        "<title>Welcome to nginx!</title>"
        in sh(container("nginx:1.9.1"), "cat /usr/share/nginx/html/index.html").stdout
    )


def test_ls_prints_one_name_per_line_without_a_tty() -> None:
    assert run(container(), ["ls", "/"]).stdout == (
        "bin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nusr\nvar\n"
    )


def test_ls_prints_columns_on_a_terminal() -> None:
    assert run(container(), ["ls", "/"], tty=True).stdout == (
        "bin   dev   etc   home  proc  root  sys   tmp   usr   var\n"
    )


def test_ls_of_a_missing_path_in_gnu() -> None:
    assert run(container("nginx:1.25"), ["ls", "/nope"]) == Result(
        "", "ls: cannot access '/nope': No such file or directory\n", 2
    )


def test_mkdir_p_then_files_appear_in_listings() -> None:
    assert sh(container(), "mkdir -p /data/a && touch /data/a/f && ls /data/a").stdout == "f\n"


def test_mkdir_of_an_existing_directory_fails() -> None:
    assert run(container(), ["mkdir", "/tmp"]) == Result(
        "", "mkdir: can't create directory '/tmp': File exists\n", 1
    )


def test_removing_an_image_file_leaves_a_whiteout() -> None:
    target = container("nginx:1.25")
    run(target, ["rm", "/usr/share/nginx/html/index.html"])
    assert target.files == {"/usr/share/nginx/html/index.html": WHITEOUT}


def test_removed_files_are_gone() -> None:
    target = container("nginx:1.25")
    result = sh(target, "rm /etc/nginx/nginx.conf; cat /etc/nginx/nginx.conf")
    assert result.stderr == "cat: /etc/nginx/nginx.conf: No such file or directory\n"


def test_rm_of_a_directory_needs_r() -> None:
    assert run(container(), ["rm", "/tmp"]) == Result("", "rm: '/tmp' is a directory\n", 1)
