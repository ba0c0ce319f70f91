from __future__ import annotations

from collections.abc import Callable

from kubesim.sandbox import interactive
from kubesim.sandbox.proc import Interrupt
from tests.unit.sandbox.containers import container, session


def test_busybox_prompt_transcript() -> None:
    shown, status = session(container(), ["hostname\n", "exit\n"])
    assert (shown, status) == ("/ # web-0\n/ # ", 0)


def test_nslookup_in_a_dns_test_pod() -> None:
    shown, _ = session(container(name="dns-test", ip="10.244.2.9", subdomain=None),
                       ["nslookup web-0.nginx\n", "exit\n"])  # fmt: skip
    assert shown == (
        "/ # Server:    10.96.0.10\n"
        "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
        "Name:      web-0.nginx\n"
        "Address 1: 10.244.1.2 web-0.nginx.default.svc.cluster.local\n"
        "/ # "
    )


def test_exit_status_is_returned() -> None:
    assert session(container(), ["exit 3\n"])[1] == 3


def test_end_of_input_returns_the_last_status() -> None:
    assert session(container(), ["false\n"]) == ("/ # / # ", 1)


def test_prompt_follows_the_directory() -> None:
    assert session(container(), ["cd /tmp\n"])[0] == "/ # /tmp # "


def test_continuation_lines_get_ps2() -> None:
    shown, _ = session(container(), ["for i in 1 2\n", "do echo $i\n", "done\n"])
    assert shown == "/ # > > 1\n2\n/ # "


def test_syntax_error_does_not_end_an_interactive_shell() -> None:
    shown, status = session(container(), ["fi\n", "echo $?\n"])
    assert (shown, status) == ('/ # sh: syntax error: unexpected "fi"\n/ # 2\n/ # ', 0)


def test_dash_prompt_and_line_numbers() -> None:
    shown, _ = session(container("nginx:1.9.1"), ["foo\n", "foo\n"])
    assert shown == "# sh: 1: foo: not found\n# sh: 2: foo: not found\n# "


def test_bash_prompt_shows_user_host_and_directory() -> None:
    shown, _ = session(container("nginx:1.25"), ["cd /etc\n", "exit\n"], argv=["bash"])
    assert shown == "root@web-0:/# root@web-0:/etc# exit\n"


def test_without_a_tty_there_is_no_prompt() -> None:
    assert session(container(), ["echo hi\n"], tty=False) == ("hi\n", 0)


def test_without_a_tty_a_syntax_error_ends_the_shell() -> None:
    shown, status = session(container(), ["fi\n", "echo after\n"], tty=False)
    assert (shown, status) == ('sh: syntax error: unexpected "fi"\n', 2)


def test_missing_shell_fails_in_the_runtime() -> None:
    shown, status = session(container(), ["exit\n"], argv=["bash"])
    assert (shown.startswith("OCI runtime exec failed"), status) == (True, 126)


def interrupted(*lines: str) -> Callable[[], str | None]:
    """Lines typed, then Ctrl-C (the terminal delivers it as Interrupt), then the rest."""
    pending = list(lines)

    def read() -> str | None:
        if not pending:
            return None
        line = pending.pop(0)
        if line == "^C":
            raise Interrupt()
        return line

    return read


def test_ctrl_c_at_the_prompt_drops_the_line_and_sets_status_130() -> None:
    shown: list[str] = []
    status = interactive(container(), interrupted("^C", "echo $?\n"), shown.append, True)
    assert ("".join(shown), status) == ("/ # \n/ # 130\n/ # ", 0)


def test_ctrl_c_in_a_continuation_abandons_the_construct() -> None:
    shown: list[str] = []
    interactive(container(), interrupted("for i in 1\n", "^C", "echo x\n"), shown.append, True)
    assert "".join(shown) == "/ # > \n/ # x\n/ # "


def test_ctrl_c_ends_a_program_reading_the_terminal() -> None:
    shown: list[str] = []
    status = interactive(container(), interrupted("a\n", "^C"), shown.append, True, ["cat"])
    assert ("".join(shown), status) == ("a\n", 130)


def test_a_shell_started_at_the_prompt_is_interactive_too() -> None:
    shown, _ = session(container("nginx:1.25"), ["bash\n", "exit\n", "exit\n"])
    assert shown == "# root@web-0:/# exit\n# "


def test_sh_i_is_interactive_without_a_tty() -> None:
    shown, _ = session(container(), ["echo hi\n"], tty=False, argv=["sh", "-i"])
    assert shown == "/ # hi\n/ # "
