"""The article's transcript (../shared/seed), replayed through kubesim as a user types it.

Manual clock and a fresh KUBESIM_HOME; a watch runs in a second process, and the interactive
busybox shell runs on a pseudo-terminal, as in two terminal windows.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.test_watch import Terminal
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

NSLOOKUP = """\
Server:    10.96.0.10
Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local

Name:      {name}
Address 1: {ip} {fqdn}
"""


class Session:
    """kubesim commands in one terminal, sharing a cluster with other terminals."""

    def __init__(self, home: Path) -> None:
        self.env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": "manual"}

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kubesim", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def out(self, *args: str) -> str:
        done = self(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def pod_ip(self, name: str) -> str:
        return self.out("get", "pod", name, "-o", "jsonpath={.status.podIP}")

    def on_a_terminal(self, args: list[str], lines: list[str]) -> str:
        """Run kubesim with its stdin, stdout and stderr on a pty; type `lines` at each prompt."""
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "kubesim", *args],
            env=self.env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
        )
        os.close(slave)
        screen = b""
        pending = list(lines)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                screen += chunk
            if pending and screen.endswith(b"/ # "):
                os.write(master, pending.pop(0).encode() + b"\n")
            if proc.poll() is not None and not ready:
                break
        os.close(master)
        proc.wait(timeout=10)
        return screen.decode().replace("\r\n", "\n")


def test_the_article_end_to_end(tmp_path: Path) -> None:
    kubesim = Session(tmp_path)

    # the headless Service
    assert kubesim.out("create", "-f", str(SAMPLES / "svc.yaml")) == "service/nginx created\n"
    kubesim.out("tick", "9")
    assert kubesim.out("get", "service", "nginx") == (
        "NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "nginx   ClusterIP   None         <none>        80/TCP    9s\n"
    )

    # a second terminal watches while the StatefulSet is created and time moves
    watch = Terminal(["get", "pods", "-w", "-l", "app=nginx"], kubesim.env)
    try:
        assert (
            kubesim.out("create", "-f", str(SAMPLES / "statefulset.yaml"))
            == "statefulset.apps/web created\n"
        )
        assert kubesim.out("get", "statefulset", "web").splitlines()[1].split()[:2] == [
            "web",
            "0/2",
        ]
        for _ in range(2):
            kubesim.out("tick")
        web0 = kubesim.out("get", "pod", "web-0").splitlines()[1].split()[:3]
        assert web0 == ["web-0", "0/1", "ContainerCreating"]
        assert kubesim("get", "pod", "web-1").returncode == 1  # not created before web-0 is Ready
        kubesim.out("tick")  # web-0 turns Running and Ready; the controller creates web-1 at once
        assert kubesim.out("get", "statefulset", "web").splitlines()[1].split()[:2] == [
            "web",
            "1/2",
        ]
        web1 = kubesim.out("get", "pod", "web-1").splitlines()[1].split()[:3]
        assert web1 == ["web-1", "0/1", "Pending"]
        for _ in range(19):
            kubesim.out("tick")
        watched = [line.split()[:3] for line in watch.next_lines(9)]
    finally:
        assert watch.interrupt() == 1  # kubectl ends a watch on Ctrl-C with exit status 1
    assert watched[0] == ["NAME", "READY", "STATUS"]
    assert [row[0] for row in watched[1:]] == ["web-0"] * 4 + ["web-1"] * 4
    assert watched[4] == ["web-0", "1/1", "Running"] and watched[8] == ["web-1", "1/1", "Running"]
    assert kubesim.out("get", "statefulset", "web") == "NAME   READY   AGE\nweb    2/2     22s\n"

    # stable network identities
    assert kubesim.out("exec", "web-0", "--", "sh", "-c", "hostname") == "web-0\n"
    assert kubesim.out("exec", "web-1", "--", "sh", "-c", "hostname") == "web-1\n"

    # DNS from a one-off busybox pod, on a terminal
    web0, web1 = kubesim.pod_ip("web-0"), kubesim.pod_ip("web-1")
    screen = kubesim.on_a_terminal(
        [
            "run",
            "-i",
            "--tty",
            "--image",
            "busybox:1.28.4",
            "dns-test",
            "--restart=Never",
            "--rm",
            "/bin/sh",
        ],
        ["nslookup web-0.nginx", "nslookup web-1.nginx", "exit"],
    )
    assert screen.startswith(
        "If you don't see a command prompt, try pressing enter.\n/ # nslookup web-0.nginx\n"
    )
    assert (
        NSLOOKUP.format(name="web-0.nginx", ip=web0, fqdn="web-0.nginx.default.svc.cluster.local")
        in screen
    )
    assert (
        NSLOOKUP.format(name="web-1.nginx", ip=web1, fqdn="web-1.nginx.default.svc.cluster.local")
        in screen
    )
    assert screen.endswith('/ # exit\npod "dns-test" deleted\n')
    assert kubesim("get", "pod", "dns-test").returncode == 1

    # the same answer without a terminal
    done = kubesim(
        "run",
        "dns-test",
        "--image",
        "busybox:1.28.4",
        "--rm",
        "-i",
        "--restart=Never",
        "--",
        "nslookup",
        "web-0.nginx",
    )
    expected = NSLOOKUP.format(
        name="web-0.nginx", ip=web0, fqdn="web-0.nginx.default.svc.cluster.local"
    )
    assert (done.returncode, done.stdout) == (0, expected + 'pod "dns-test" deleted\n')
    assert done.stderr == "If you don't see a command prompt, try pressing enter.\n"

    # an unknown name: busybox's error and a non-zero exit
    done = kubesim(
        "run",
        "dns-test",
        "--image",
        "busybox:1.28.4",
        "--rm",
        "-i",
        "--restart=Never",
        "--",
        "nslookup",
        "web-9.nginx",
    )
    assert done.returncode == 1
    assert "nslookup: can't resolve 'web-9.nginx'\n" in done.stderr
    assert done.stderr.endswith("pod default/dns-test terminated (Error)\n")

    # delete web-0: it comes back with the same name and hostname, a new IP, and DNS follows it
    assert kubesim.out("delete", "pod", "web-0") == 'pod "web-0" deleted\n'
    kubesim.out("tick", "10")
    assert kubesim.out("get", "pods", "-l", "app=nginx").splitlines()[1].split()[:3] == [
        "web-0",
        "1/1",
        "Running",
    ]
    assert kubesim.out("exec", "web-0", "--", "hostname") == "web-0\n"
    new_web0 = kubesim.pod_ip("web-0")
    assert new_web0 != web0
    done = kubesim(
        "run",
        "dns-test",
        "--image",
        "busybox:1.28.4",
        "--rm",
        "-i",
        "--restart=Never",
        "--",
        "nslookup",
        "web-0.nginx",
    )
    assert (
        NSLOOKUP.format(
            name="web-0.nginx", ip=new_web0, fqdn="web-0.nginx.default.svc.cluster.local"
        )
        in done.stdout
    )


def test_exec_of_a_program_the_image_lacks(tmp_path: Path) -> None:
    kubesim = Session(tmp_path)
    kubesim.out("create", "-f", str(SAMPLES / "svc.yaml"))
    kubesim.out("create", "-f", str(SAMPLES / "statefulset.yaml"))
    kubesim.out("tick", "10")
    done = kubesim("exec", "web-0", "--", "nslookup", "web-1.nginx")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "error: Internal error occurred: Internal error occurred: error executing command in container: "
        'failed to exec in container: failed to start exec "'
    )
    assert done.stderr.endswith(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "nslookup": '
        "executable file not found in $PATH: unknown\n"
    )


def test_the_walkthrough_script_runs_under_the_manual_clock(tmp_path: Path) -> None:
    """samples/walkthrough.sh waits with `kubesim wait`, which moves a manual clock itself."""
    env = {
        **os.environ,
        "KUBESIM_HOME": str(tmp_path / "home"),
        "KUBESIM_CLOCK": "manual",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    script = SAMPLES / "walkthrough.sh"
    done = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Name:      web-0.nginx\n" in done.stdout
    assert done.stdout.rstrip().endswith("--restart=Never --rm /bin/sh")
