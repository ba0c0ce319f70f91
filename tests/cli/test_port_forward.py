"""port-forward for real: a kubesim process listening on loopback, answered through urllib by
the pod's simulated nginx, stopped with Ctrl-C (SIGINT); and kubectl's errors."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Kubesim


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


class Forward:
    """`kubesim port-forward ...` running in its own process."""

    def __init__(self, home: Path, *args: str) -> None:
        env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": "manual"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kubesim", "port-forward", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.lines = [self.process.stdout.readline()]
        found = re.fullmatch(r"Forwarding from 127\.0\.0\.1:(\d+) -> \d+\n", self.lines[0])
        assert found, self.lines[0] + self.process.stderr.read()  # type: ignore[union-attr]
        self.port = int(found.group(1))
        if ipv6_loopback() and "--address" not in args:
            self.lines.append(self.process.stdout.readline())

    def get(self, path: str = "/") -> tuple[int, dict[str, str], str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as reply:
            return reply.status, dict(reply.headers), reply.read().decode()

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, then what it printed and its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=10)
        return self.process.returncode, "".join(self.lines) + out, err


@pytest.fixture
def forwards(home: Path) -> Iterator[list[Forward]]:
    started: list[Forward] = []
    yield started
    for forward in started:
        if forward.process.poll() is None:
            forward.process.kill()
            forward.process.wait()


def test_curl_through_the_forward_gets_the_pods_nginx_page(
    article: Kubesim, home: Path, forwards: list[Forward]
) -> None:
    forward = Forward(home, "pod/web-0", ":80")
    forwards.append(forward)
    page = article("exec web-0 -- cat /usr/share/nginx/html/index.html").out
    status, headers, body = forward.get()
    assert (status, body) == (200, page)
    assert headers["Server"] == "nginx/1.9.1" and headers["Content-Length"] == str(len(page))
    # each connection reads the cluster as it is then: a page written since is served
    article("exec web-0 -- sh -c 'echo hello > /usr/share/nginx/html/index.html'")
    assert forward.get()[2] == "hello\n"
    with pytest.raises(urllib.error.HTTPError) as missing:
        forward.get("/nope")
    assert missing.value.code == 404
    code, out, err = forward.stop()
    port = forward.port
    ipv6 = f"Forwarding from [::1]:{port} -> 80\n" if ipv6_loopback() else ""
    assert (code, err) == (0, "")
    assert out == f"Forwarding from 127.0.0.1:{port} -> 80\n{ipv6}" + (
        f"Handling connection for {port}\n" * 3
    )


def test_a_service_port_leads_to_its_pods_target_port(
    article: Kubesim, home: Path, forwards: list[Forward]
) -> None:
    forward = Forward(home, "svc/nginx", ":web")  # the Service's port named web
    forwards.append(forward)
    assert forward.get()[0] == 200
    assert forward.stop()[0] == 0


def test_a_port_nothing_listens_on_ends_the_session(
    article: Kubesim, home: Path, forwards: list[Forward]
) -> None:
    forward = Forward(home, "web-0", ":81")
    forwards.append(forward)
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        forward.get()
    forward.process.wait(timeout=10)  # it ends by itself
    code, out, err = forward.stop()
    assert code == 1 and out.endswith(f"Handling connection for {forward.port}\n")
    klog, last = err.splitlines()
    assert last == "error: lost connection to pod"
    assert re.fullmatch(
        r'E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:424\] "Unhandled Error" '
        rf'err="an error occurred forwarding {forward.port} -> 81: error forwarding port 81 to '
        r"pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "
        r'\\"/var/run/netns/cni-[0-9a-f-]{36}\\": failed to connect to localhost:81 inside '
        r'namespace \\"[0-9a-f]{64}\\", IPv4: dial tcp4 127\.0\.0\.1:81: connect: connection '
        r'refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused "',
        klog,
    ), klog


def test_a_port_in_use_cannot_be_listened_on(article: Kubesim) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = article(f"port-forward web-0 {port}:80 --address 127.0.0.1")
    assert (result.code, result.out) == (1, "")
    assert result.err == (
        f"Unable to listen on port {port}: Listeners failed to create with the following errors: "
        f"[unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: address already "
        f"in use]\nerror: unable to listen on any of the requested ports: [{{{port} 80}}]\n"
    )


def test_kubectls_errors_before_forwarding(article: Kubesim) -> None:
    article("run pend --image=busybox:1.28.4 -- sleep 100")
    errors = {
        "port-forward pend 8080:80": (
            "error: unable to forward port because pod is not running. Current status=Pending\n"
        ),
        "port-forward web-0": (
            "error: TYPE/NAME and list of ports are required for port-forward\n"
            "See 'kubesim port-forward -h' for help and examples\n"
        ),
        "port-forward web-9 80": 'Error from server (NotFound): pods "web-9" not found\n',
        "port-forward web-0 http": "error: Pod 'web-0' does not have a named port 'http'\n",
        "port-forward web-0 70000:80": (
            "error: error parsing local port '70000': strconv.ParseUint: parsing \"70000\": "
            "value out of range\n"
        ),
        "port-forward web-0 :0": "error: remote port must be > 0\n",
        "port-forward web-0 80 --address foo": "error: foo is not a valid IP\n",
        "port-forward svc/nginx 8080:8080": (
            "error: Service nginx does not have a service port 8080\n"
        ),
        "port-forward cm/kube-root-ca.crt 80": (
            "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented\n"
        ),
    }
    for command, message in errors.items():
        result = article(command)
        assert (result.code, result.err) == (1, message), command


def test_several_ports_of_a_deployments_pod(
    kubesim: Kubesim, home: Path, forwards: list[Forward]
) -> None:
    kubesim("create deployment web --image=nginx:1.27.3 --port=80")
    kubesim("tick 10")
    forward = Forward(home, "deploy/web", ":80", ":80", "--address", "127.0.0.1")
    forwards.append(forward)
    assert forward.process.stdout is not None
    second = re.fullmatch(
        r"Forwarding from 127\.0\.0\.1:(\d+) -> 80\n", forward.process.stdout.readline()
    )
    assert second and int(second.group(1)) != forward.port
    status, headers, _ = forward.get()
    assert (status, headers["Server"]) == (200, "nginx/1.27.3")
    forward.port = int(second.group(1))
    assert forward.get()[0] == 200
    code, out, _ = forward.stop()
    assert code == 0 and out.count("Handling connection for ") == 2
