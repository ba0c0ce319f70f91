"""chmod: modes parsed as busybox's bb_parse_mode, kept beside the path, shown by ls -l and
obeyed by nginx's worker; messages of busybox's and GNU's chmod.c."""

from __future__ import annotations

import pytest

from kubesim.sandbox import Result, run
from kubesim.sandbox.modes import mode_string, parse_mode
from tests.unit.sandbox.containers import container, sh

BUSYBOX_USAGE = (
    "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n"
    "Usage: chmod [-Rcvf] MODE[,MODE]... FILE...\n\n"
    "Each MODE is one or more of the letters ugoa, one of the\n"
    "symbols +-= and one or more of the letters rwxst\n\n"
    "\t-R\tRecurse\n\t-c\tList changed files\n\t-v\tList all files\n\t-f\tHide errors\n"
)


@pytest.mark.parametrize(
    ("text", "current", "is_dir", "expected"),
    [
        ("755", 0o644, False, 0o755),
        ("0640", 0o777, False, 0o640),
        ("u+x", 0o644, False, 0o744),
        ("+x", 0o644, False, 0o755),  # no who: masked by umask 022
        ("+w", 0o444, False, 0o644),
        ("go-rwx", 0o755, True, 0o700),
        ("a=r", 0o755, False, 0o444),
        ("=rw", 0o7777, False, 0o644),  # `=` without who clears every bit, umask applies
        ("u=rwx,g=rx,o=", 0o000, False, 0o750),
        ("g=u", 0o640, False, 0o660),
        ("a+X", 0o644, False, 0o644),  # X: only directories or already executable
        ("a+X", 0o644, True, 0o755),
        ("u+s,+t", 0o755, False, 0o5755),
        ("", 0o644, False, 0o644),  # empty clauses change nothing
        ("8", 0o644, False, None),
        ("17777", 0o644, False, None),
        ("u", 0o644, False, None),
        ("xyz", 0o644, False, None),
        ("u+rz", 0o644, False, None),
        ("g=ur", 0o644, False, None),
    ],
)
def test_parse_mode(text: str, current: int, is_dir: bool, expected: int | None) -> None:
    assert parse_mode(text, current, is_dir=is_dir) == expected


def test_mode_string_shows_special_bits() -> None:
    assert [mode_string(m) for m in (0o755, 0o1777, 0o4644, 0o2755, 0o1770)] == [
        "rwxr-xr-x", "rwxrwxrwt", "rwSr--r--", "rwxr-sr-x", "rwxrwx--T",
    ]  # fmt: skip


def test_chmod_is_recorded_and_ls_l_shows_it() -> None:
    for image in ("busybox:1.28", "nginx:1.25"):
        target = container(image)
        script = "touch /tmp/f && mkdir /tmp/d && chmod 600 /tmp/f && chmod 700 /tmp/d"
        assert sh(target, script) == Result("", "", 0)
        listing = sh(target, "ls -l /tmp").stdout.splitlines()
        assert [line.split()[0] for line in listing[1:]] == ["drwx------", "-rw-------"]


def test_chmod_leaves_no_trace_in_listings_and_goes_with_rm() -> None:
    target = container()
    assert sh(target, "touch /tmp/f; chmod 700 /tmp/f; ls -a /tmp; test -d /tmp/f || echo file")\
        .stdout == ".\n..\nf\nfile\n"  # fmt: skip
    sh(target, "rm /tmp/f; touch /tmp/f")
    assert sh(target, "ls -l /tmp/f").stdout.split()[0] == "-rw-r--r--"


def test_gnu_chmod_errors() -> None:
    nginx = container("nginx:1.25")
    try_help = "Try 'chmod --help' for more information.\n"
    assert run(nginx, ["chmod"]) == Result("", "chmod: missing operand\n" + try_help, 1)
    assert run(nginx, ["chmod", "755"]) == Result(
        "", "chmod: missing operand after '755'\n" + try_help, 1
    )
    # the mode is checked before any file
    assert run(nginx, ["chmod", "xyz", "/nosuch"]) == Result(
        "", "chmod: invalid mode: 'xyz'\n" + try_help, 1
    )
    assert run(nginx, ["chmod", "755", "/nosuch", "/tmp"]) == Result(
        "", "chmod: cannot access '/nosuch': No such file or directory\n", 1
    )
    assert run(nginx, ["chmod", "-f", "755", "/nosuch"]) == Result("", "", 1)


def test_busybox_chmod_errors() -> None:
    box = container()
    assert run(box, ["chmod", "755"]) == Result("", BUSYBOX_USAGE, 1)
    # busybox parses the mode per file, once stat succeeded, and dies on a bad one
    assert run(box, ["chmod", "xyz", "/nosuch", "/tmp", "/etc"]) == Result(
        "", "chmod: /nosuch: No such file or directory\nchmod: invalid mode 'xyz'\n", 1
    )


def test_verbose_and_changes_output() -> None:
    nginx = container("nginx:1.25")
    assert run(nginx, ["chmod", "-v", "644", "/etc/hostname"]).stdout == (
        "mode of '/etc/hostname' retained as 0644 (rw-r--r--)\n"
    )
    assert run(nginx, ["chmod", "-c", "644", "/etc/hostname"]).stdout == ""
    assert run(nginx, ["chmod", "-c", "go-r", "/etc/hostname"]).stdout == (
        "mode of '/etc/hostname' changed from 0644 (rw-r--r--) to 0600 (rw-------)\n"
    )
    assert run(container(), ["chmod", "-v", "u+x", "/etc/hostname"]).stdout == (
        "mode of '/etc/hostname' changed to 0744 (rwxr--r--)\n"
    )


def test_recursive_chmod_visits_a_directory_before_its_entries() -> None:
    target = container("nginx:1.25")
    sh(target, "mkdir -p /srv/a/b && touch /srv/a/f")
    assert run(target, ["chmod", "-Rc", "o-rx", "/srv/a"]).stdout == (
        "mode of '/srv/a' changed from 0755 (rwxr-xr-x) to 0750 (rwxr-x---)\n"
        "mode of '/srv/a/b' changed from 0755 (rwxr-xr-x) to 0750 (rwxr-x---)\n"
        "mode of '/srv/a/f' changed from 0644 (rw-r--r--) to 0640 (rw-r-----)\n"
    )


def test_a_mode_like_minus_w_is_not_an_option() -> None:
    target = container("nginx:1.25")
    assert run(target, ["chmod", "-w", "/etc/hostname"]) == Result("", "", 0)
    assert sh(target, "ls -l /etc/hostname").stdout.split()[0] == "-r--r--r--"


def test_nginx_worker_needs_search_and_read_permission() -> None:
    target = container("nginx:1.25")
    page = ["curl", "-s", "http://localhost/"]
    assert "Welcome to nginx!" in run(target, page).stdout
    sh(target, "chmod 700 /usr/share/nginx/html")
    assert "403 Forbidden" in run(target, page).stdout
    sh(target, "chmod 755 /usr/share/nginx/html; chmod 600 /usr/share/nginx/html/index.html")
    assert "403 Forbidden" in run(target, page).stdout
    assert "404 Not Found" in run(target, ["curl", "-s", "http://localhost/nope"]).stdout
    sh(target, "chmod o+r /usr/share/nginx/html/index.html")
    assert "Welcome to nginx!" in run(target, page).stdout
