"""A program's stdin is pulled only as it reads, and a terminal is a property of each fd."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kubesim.sandbox import Result, run
from kubesim.sandbox.proc import Buffer, Input
from tests.unit.sandbox.containers import container, sh

METER_HEADER = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"


def typed(*lines: str | None) -> tuple[Callable[[], str | None], list[str | None]]:
    """A source giving `lines` one per call, then failing: a read past them would block."""
    pending, taken = list(lines), []

    def source() -> str | None:
        if not pending:
            raise AssertionError("read past the input given")
        taken.append(pending.pop(0))
        return taken[-1]

    return source, taken


def test_a_program_that_does_not_read_stdin_never_pulls_it() -> None:
    source, taken = typed()
    assert run(container(), ["hostname"], Input(source=source)) == Result("web-0\n", "", 0)
    assert taken == []


def test_head_reads_no_line_past_the_ones_it_prints() -> None:
    source, _ = typed("first\n")
    assert run(container(), ["head", "-n", "1"], Input(source=source)).stdout == "first\n"


def test_cat_answers_each_line_before_it_reads_the_next() -> None:
    out = Buffer()
    seen_at_each_read: list[str] = []
    lines = iter(["a\n", "b\n", None])

    def source() -> str | None:
        seen_at_each_read.append(out.text())
        return next(lines)

    run(container(), ["cat"], Input(source=source), sinks=(out, Buffer()))
    assert seen_at_each_read == ["", "a\n", "a\nb\n"]


def test_input_keeps_a_last_line_without_newline() -> None:
    assert run(container(), ["cat"], "a\nb").stdout == "a\nb"


def test_read_in_sh_c_takes_one_line() -> None:
    source, taken = typed("abc\n")
    result = run(container(), ["sh", "-c", "read x; echo got $x"], Input(source=source))
    assert (result.stdout, taken) == ("got abc\n", ["abc\n"])


@pytest.mark.parametrize(
    ("argv", "tty", "meter"),
    [
        (["curl", "http://localhost/"], False, True),
        (["curl", "http://localhost/"], True, False),  # the page goes to the terminal
        (["curl", "-o", "/tmp/page", "http://localhost/"], True, True),  # to a file
        (["curl", "-o", "-", "http://localhost/"], False, True),
        (["curl", "-s", "http://localhost/"], False, False),
    ],
)
def test_curl_shows_its_meter_unless_the_body_goes_to_a_terminal(
    argv: list[str], tty: bool, meter: bool
) -> None:
    result = run(container("nginx:1.25"), argv, tty=tty)
    shown = result.stdout + result.stderr  # a terminal shows stderr on stdout
    assert (METER_HEADER in shown) == meter


def test_curl_piped_inside_a_terminal_session_shows_its_meter() -> None:
    result = run(container("nginx:1.25"), ["sh", "-c", "curl http://localhost/ | head -n 1"],
                 tty=True)  # fmt: skip
    assert result.stdout.startswith(METER_HEADER)
    assert result.stdout.endswith("<!DOCTYPE html>\n")


def test_ls_in_a_pipe_prints_one_name_per_line_even_on_a_terminal() -> None:
    assert sh(container(), "ls / | head -n 2").stdout == "bin\ndev\n"
    assert run(container(), ["sh", "-c", "ls / | head -n 2"], tty=True).stdout == "bin\ndev\n"


def test_with_a_tty_stderr_is_shown_on_stdout() -> None:
    assert run(container(), ["cat", "/nope"], tty=True) == Result(
        "cat: can't open '/nope': No such file or directory\n", "", 1
    )
