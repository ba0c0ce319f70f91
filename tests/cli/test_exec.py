"""kubectl exec's streams: stdin is read only as the command reads it, and -t needs -i."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, Kubesim

METER_HEADER = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
TTY_WARNING = "Unable to use a TTY - input is not a terminal or the right kind of file\n"


class Keyboard(io.StringIO):
    """A terminal the user has typed `text` into; reading past it would wait for more."""

    def __init__(self, text: str = "", *, tty: bool = True) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty

    def readline(self, size: int | None = -1) -> str:
        line = super().readline(size)
        if not line:
            raise AssertionError("stdin read past what was typed: a terminal would block here")
        return line

    def read(self, size: int | None = -1) -> str:
        raise AssertionError("stdin read to its end: a terminal would block until Ctrl-D")


@pytest.fixture
def web(kubesim: Kubesim) -> Kubesim:
    """The tutorial's StatefulSet (nginx-slim, a volume at the web root), settled."""
    assert kubesim(f"create -f {SAMPLES / 'web.yaml'}").code == 0
    kubesim("tick 40")
    return kubesim


def test_exec_i_of_a_command_that_ignores_stdin_returns_at_once(web: Kubesim) -> None:
    for tty in (False, True):
        result = web("exec -i web-0 -- hostname", stdin=Keyboard(tty=tty))
        assert (result.code, result.out, result.err) == (0, "web-0\n", "")


def test_the_tutorials_curl_loop_with_a_tty(web: Kubesim) -> None:
    for i in (0, 1):
        web(f"exec web-{i} -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html'")
    for i in (0, 1):
        result = web(f"exec -i -t web-{i} -- curl http://localhost/", stdin=Keyboard())
        # the page goes to the terminal, so curl shows no progress meter
        assert (result.code, result.out, result.err) == (0, f"web-{i}\n", "")


def test_without_a_tty_curl_shows_its_meter_on_stderr(web: Kubesim) -> None:
    result = web("exec web-0 -- curl http://localhost/")
    assert result.out.startswith("<html>")  # 403: the volume has no index.html yet
    assert result.err.startswith(METER_HEADER)


def test_exec_i_t_shows_stderr_on_stdout(web: Kubesim) -> None:
    result = web("exec -i -t web-0 -- cat /nope", stdin=Keyboard())
    assert (result.code, result.out) == (1, "cat: /nope: No such file or directory\n")
    assert result.err == "command terminated with exit code 1\n"


def test_cat_reads_piped_stdin_to_its_end(web: Kubesim) -> None:
    result = web("exec -i web-0 -- cat", stdin="one\ntwo")
    assert (result.code, result.out) == (0, "one\ntwo")


def test_sh_reads_its_script_from_piped_stdin(web: Kubesim) -> None:
    result = web("exec -i web-0 -- sh", stdin="read name\nworld\nhostname\necho hello $name\n")
    assert (result.code, result.out) == (0, "web-0\nhello world\n")


def test_a_typed_line_is_read_only_when_the_command_asks(web: Kubesim) -> None:
    result = web("exec -i -t web-0 -- sh -c 'read x; echo got $x'", stdin=Keyboard("abc\n"))
    assert (result.code, result.out) == (0, "got abc\n")
    result = web("exec -i -t web-0 -- head -n 1", stdin=Keyboard("first\n"))
    assert (result.code, result.out) == (0, "first\n")


def test_without_i_the_command_gets_no_stdin(web: Kubesim) -> None:
    result = web("exec web-0 -- cat", stdin=Keyboard())
    assert (result.code, result.out) == (0, "")


def test_t_without_i_quietly_has_no_tty(web: Kubesim) -> None:
    # kubectl's SetupTTY returns before checking the terminal when there is no stdin
    result = web("exec -t web-0 -- hostname")
    assert (result.code, result.out, result.err) == (0, "web-0\n", "")


def test_i_t_without_a_terminal_warns_and_runs_without_a_tty(web: Kubesim) -> None:
    result = web("exec -i -t web-0 -- curl http://localhost/")
    assert result.err.startswith(TTY_WARNING + METER_HEADER)
    assert web("exec -i -t -q web-0 -- hostname").err == ""


def test_a_missing_pod_is_reported_before_any_tty_warning(web: Kubesim) -> None:
    result = web("exec -i -t web-9 -- hostname")
    assert (result.code, result.err) == (
        1,
        'Error from server (NotFound): pods "web-9" not found\n',
    )


def test_run_t_without_i_is_refused(kubesim: Kubesim) -> None:
    result = kubesim("run x --image=busybox:1.28.4 -t")
    assert (result.code, result.err) == (
        1,
        "error: -i/--stdin is required for containers with -t/--tty=true\n"
        "See 'kubesim run -h' for help and examples\n",
    )


def on_a_terminal(args: list[str], timeout: float = 30) -> tuple[int, str]:
    """Run kubesim with stdin, stdout and stderr on a pty, typing nothing; its exit status and
    the screen. A command that waited for input would be killed at `timeout`."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "kubesim", *args],
                            stdin=slave, stdout=slave, stderr=slave)  # fmt: skip
    os.close(slave)
    screen = b""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        code = -1
    while select.select([master], [], [], 0.5)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the other side is closed and drained
            break
        if not chunk:
            break
        screen += chunk
    os.close(master)
    return code, screen.decode()


@pytest.mark.slow
def test_the_tutorials_curl_on_a_real_terminal_needs_no_input(web: Kubesim) -> None:
    web("exec web-0 -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html'")
    code, screen = on_a_terminal(["exec", "-i", "-t", "web-0", "--", "curl", "http://localhost/"])
    assert (code, screen) == (0, "web-0\r\n")  # no progress meter on a terminal


def test_ping_from_busybox_follows_dns_and_routes(article: Kubesim) -> None:
    article("run pinger --image=busybox:1.28 -- sleep 3600")
    article("tick 5")
    web0 = article("get pod web-0 -o jsonpath={.status.podIP}").out
    same_node = (
        article("get pod web-0 -o jsonpath={.spec.nodeName}").out
        == article("get pod pinger -o jsonpath={.spec.nodeName}").out
    )
    result = article("exec pinger -- ping -c 2 web-0.nginx")
    lines = result.out.splitlines()
    assert lines[0] == f"PING web-0.nginx ({web0}): 56 data bytes"
    ttl = 63 if same_node else 62
    assert all(
        line.startswith(f"64 bytes from {web0}: seq={seq} ttl={ttl} time=0.")
        for seq, line in enumerate(lines[1:3])
    )
    assert lines[3:6] == [
        "",
        "--- web-0.nginx ping statistics ---",
        "2 packets transmitted, 2 packets received, 0% packet loss",
    ]
    assert lines[6].startswith("round-trip min/avg/max = 0.")
    vip = article("exec pinger -- ping -c 1 kubernetes")
    assert vip.code == 1
    assert vip.out.endswith("1 packets transmitted, 0 packets received, 100% packet loss\n")
    missing = article("exec pinger -- ping -c 1 web-9.nginx")
    assert (missing.code, missing.err) == (
        1,
        "ping: bad address 'web-9.nginx'\ncommand terminated with exit code 1\n",
    )


def test_the_nginx_image_has_no_ping(article: Kubesim) -> None:
    result = article("exec web-0 -- ping -c 1 web-1.nginx")
    assert result.code == 1
    assert result.err.endswith(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "ping": '
        "executable file not found in $PATH: unknown\n"
    )
