"""Inside a container: the environment a shell passes on (SHLVL, PWD, in its hash table's
order), the image's directory modes, ps as busybox and procps print it, curl's --write-out."""

from __future__ import annotations

import pytest

from tests.conftest import Kubesim

SERVICE_ENV = {
    "KUBERNETES_SERVICE_HOST": "10.96.0.1",
    "KUBERNETES_SERVICE_PORT": "443",
    "KUBERNETES_SERVICE_PORT_HTTPS": "443",
    "KUBERNETES_PORT": "tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP": "tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP_PROTO": "tcp",
    "KUBERNETES_PORT_443_TCP_PORT": "443",
    "KUBERNETES_PORT_443_TCP_ADDR": "10.96.0.1",
}


def test_busybox_sh_passes_on_shlvl_and_pwd_in_its_table_s_order(kubesim: Kubesim) -> None:
    kubesim("run bb --image=busybox:1.36 -- sleep 3600")
    kubesim("tick 3")
    # ash lists its 39 buckets in turn (hashvar); SHLVL and PWD are set as it starts
    assert kubesim("exec bb -- sh -c env").out == (
        "KUBERNETES_SERVICE_PORT=443\n"
        "KUBERNETES_PORT=tcp://10.96.0.1:443\n"
        "HOSTNAME=bb\n"
        "SHLVL=1\n"
        "HOME=/root\n"
        "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1\n"
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        "KUBERNETES_PORT_443_TCP_PORT=443\n"
        "KUBERNETES_PORT_443_TCP_PROTO=tcp\n"
        "KUBERNETES_SERVICE_PORT_HTTPS=443\n"
        "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443\n"
        "KUBERNETES_SERVICE_HOST=10.96.0.1\n"
        "PWD=/\n"
    )
    # the runtime's own order without a shell
    assert kubesim("exec bb -- env").out.splitlines()[:2] == [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOSTNAME=bb",
    ]
    nested = "exec bb -- sh -c 'cd /tmp && sh -c \"echo \\$SHLVL \\$PWD \\$OLDPWD\"'"
    assert kubesim(nested).out == "2 /tmp /\n"


def test_debian_s_dash_and_bash(kubesim: Kubesim) -> None:
    kubesim("run deb --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    dash = kubesim("exec deb -- sh -c env").out.splitlines()
    assert "PWD=/" in dash and not any(line.startswith("SHLVL=") for line in dash)
    bash = kubesim("exec deb -- bash -c 'env; true'").out.splitlines()
    assert {"SHLVL=1", "PWD=/", "HOSTNAME=deb"} <= set(bash)
    assert bash[-1] == "_=/usr/bin/env"
    # a last command bash runs without a fork counts as `exec`: one level less
    assert "SHLVL=0" in kubesim("exec deb -- bash -c env").out.splitlines()


def test_tmp_and_root_have_the_image_s_modes(kubesim: Kubesim) -> None:
    kubesim("run bb --image=busybox:1.36 -- sleep 3600")
    kubesim("run deb --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    listing = kubesim("exec deb -- ls -ld / /root /tmp").out.splitlines()
    assert [line.split()[0] for line in listing] == ["drwxr-xr-x", "drwx------", "drwxrwxrwt"]
    assert kubesim("exec bb -- ls -ld /tmp").out.startswith("drwxrwxrwt    2 root     root ")


def test_busybox_ps_lists_pid_1_its_sleep_and_the_session(kubesim: Kubesim) -> None:
    kubesim("run loop --image=busybox:1.36 -- sh -c 'while true; do sleep 5; done'")
    kubesim("tick 3")
    # PID 1 started a sleep (pid 2); runc's exec comes a few pids later
    assert kubesim("exec loop -- ps").out == (
        "PID   USER     TIME  COMMAND\n"
        "    1 root      0:00 sh -c while true; do sleep 5; done\n"
        "    2 root      0:00 sleep 5\n"
        "    8 root      0:00 ps\n"
    )
    # the last command of sh -c replaces the shell; an earlier one is its child
    assert kubesim("exec loop -- sh -c ps").out.splitlines()[-1] == "    8 root      0:00 ps"
    assert kubesim("exec loop -- sh -c 'ps; true'").out.splitlines()[-2:] == [
        "    8 root      0:00 sh -c ps; true",
        "    9 root      0:00 ps",
    ]
    assert kubesim("exec loop -- ps aux").out.splitlines()[-1] == "    8 root      0:00 ps aux"
    kubesim("tick 5")
    assert kubesim("exec loop -- ps").out.splitlines()[2:] == [
        "    3 root      0:00 sleep 5",
        "    9 root      0:00 ps",
    ]


def test_procps_where_the_image_has_it_and_bash_s_message_where_not(
    kubesim: Kubesim, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubesim.engine import clock

    # the clock starts at the top of a minute: the processes started seconds apart show one time
    monkeypatch.setattr(clock, "wall_time", lambda: 1_795_000_020.0)
    kubesim("run py --image=python:3.12 -- sleep 3600")
    kubesim("run deb --image=debian:bookworm -- sleep 3600")
    kubesim("tick 3")
    at = kubesim("get pod py -o jsonpath={.status.startTime}").out[11:16]
    assert kubesim("exec py -- ps").out == (
        "    PID TTY          TIME CMD\n      1 ?        00:00:00 sleep\n      7 ?        00:00:00 ps\n"
    )
    aux = kubesim("exec py -- ps aux").out.splitlines()
    assert aux[0] == "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"
    assert aux[1].split() == ["root", "1", "0.0", "0.0", "2484", "1280", "?", "Ss", at, "0:00",
                              "sleep", "3600"]  # fmt: skip
    assert aux[2].split()[1:2] + aux[2].split()[-2:] == ["7", "ps", "aux"]
    assert kubesim("exec py -- bash -c 'ps -ef; true'").out.splitlines() == [
        "UID          PID    PPID  C STIME TTY          TIME CMD",
        f"root           1       0  0 {at} ?        00:00:00 sleep 3600",
        f"root           7       0  0 {at} ?        00:00:00 bash -c ps -ef; true",
        f"root           8       7  0 {at} ?        00:00:00 ps -ef",
    ]
    assert kubesim("exec py -- ps -q").err.startswith("error: unsupported SysV option\n\nUsage:")
    # debian's own image has no procps
    assert kubesim("exec deb -- bash -c ps").err == (
        "bash: line 1: ps: command not found\ncommand terminated with exit code 127\n"
    )


def test_curl_write_out_output_and_redirects(kubesim: Kubesim) -> None:
    kubesim("run web --image=nginx:1.27")
    kubesim("run c --image=curlimages/curl:8.11.1 -- sleep 3600")
    kubesim("tick 5")
    ip = kubesim("get pod web -o jsonpath={.status.podIP}").out
    result = kubesim(
        f"exec c -- curl -s -o /dev/null -w '%{{http_code}} %{{size_download}}\\n' {ip}"
    )
    assert result.out == "200 615\n"
    timed = kubesim(f"exec c -- curl -so /dev/null -w %{{time_total}} http://{ip}/").out
    assert timed.startswith("0.00") and len(timed) == 8
    refused = kubesim(f"exec c -- curl -sS -w '[%{{http_code}}]' http://{ip}:81/")
    assert (refused.out, refused.code) == ("[000]", 7)
    assert refused.err == (
        f"curl: (7) Failed to connect to {ip} port 81 after 0 ms: Couldn't connect to server\n"
        "command terminated with exit code 7\n"
    )
    kubesim(f"exec c -- curl -s -o /tmp/index.html http://{ip}/")
    assert "Welcome to nginx!" in kubesim("exec c -- cat /tmp/index.html").out
    head = kubesim(f"exec c -- curl -sI http://{ip}/").out
    assert head.startswith("HTTP/1.1 200 OK\r\nServer: nginx/") and head.endswith("\r\n\r\n")
    unknown = kubesim(f"exec c -- curl -s -o /dev/null -w '%{{nope}}%%\\n' http://{ip}/")
    assert (unknown.out, unknown.err) == ("%\n", "curl: unknown --write-out variable: 'nope'\n")


def test_curl_follows_redirects_with_location(kubesim: Kubesim) -> None:
    kubesim("run ag --image=registry.k8s.io/e2e-test-images/agnhost:2.40 -- netexec")
    kubesim("run c --image=curlimages/curl:8.11.1 -- sleep 3600")
    kubesim("tick 5")
    url = f"http://{kubesim('get pod ag -o jsonpath={.status.podIP}').out}:8080"
    report = "' %{http_code} %{num_redirects} %{url_effective} %{redirect_url}\\n'"
    assert kubesim(f"exec c -- curl -s -w {report} {url}/redirect?location=/hostname").out == (
        f'<a href="/hostname">Found</a>.\n\n 302 0 {url}/redirect?location=/hostname '
        f"{url}/hostname\n"
    )
    assert kubesim(f"exec c -- curl -sL -w {report} {url}/redirect?location=/hostname").out == (
        f"ag 200 1 {url}/hostname \n"
    )
