"""`kubesim serve` and `kubesim proxy` as commands: what they print, the kubeconfig, a port
that is taken, Ctrl-C, --merge-kubeconfig, and the Kubernetes Basics tutorial's curls."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import Kubesim

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(args: list[str], home: Path, env_home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, KUBESIM_HOME=str(home), HOME=str(env_home))
    return subprocess.Popen(
        [sys.executable, "-m", "kubesim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _lines(process: subprocess.Popen[bytes], count: int, timeout: float = 30) -> str:
    """The first `count` lines the process prints (fewer if it is silent for `timeout`)."""
    import select

    assert process.stdout is not None
    fd = process.stdout.fileno()
    data = b""
    while data.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data.decode()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_serve_prints_how_to_use_it_and_stops_on_ctrl_c(home: Path, tmp_path: Path) -> None:
    port = _free_port()
    (tmp_path / ".kube").mkdir()
    other = {
        "apiVersion": "v1", "kind": "Config", "current-context": "work", "preferences": {},
        "clusters": [{"name": "work", "cluster": {"server": "https://10.0.0.1:6443"}}],
        "contexts": [{"name": "work", "context": {"cluster": "work", "user": "me"}}],
        "users": [{"name": "me", "user": {"token": "secret"}}],
    }  # fmt: skip
    (tmp_path / ".kube" / "config").write_text(yaml.safe_dump(other))
    server = _start(["serve", "--port", str(port), "--merge-kubeconfig"], home, tmp_path)
    try:
        shown = _lines(server, 7)
        config = home / "serve.kubeconfig"
        assert shown == (
            f'Serving the cluster "kubesim" at http://127.0.0.1:{port} (press Ctrl-C to stop)\n'
            "To use it with kubectl, k9s or a client library:\n\n"
            f"  export KUBECONFIG={config}\n"
            "  kubectl cluster-info --context kind-kubesim\n"
            f'\nSet kubectl context to "kind-kubesim" in {tmp_path / ".kube" / "config"}\n'
        )
        written = yaml.safe_load(config.read_text())
        assert written["current-context"] == "kind-kubesim"
        assert written["clusters"] == [
            {"cluster": {"server": f"http://127.0.0.1:{port}"}, "name": "kind-kubesim"}
        ]
        merged = yaml.safe_load((tmp_path / ".kube" / "config").read_text())
        assert merged["current-context"] == "kind-kubesim"
        assert {c["name"] for c in merged["contexts"]} == {"work", "kind-kubesim"}
        assert {"name": "me", "user": {"token": "secret"}} in merged["users"]
        status, body = _get(f"http://127.0.0.1:{port}/version")
        assert (status, json.loads(body)["gitVersion"]) == (200, "v1.32.2")

        taken = _start(["serve", "--port", str(port)], home, tmp_path)
        out, err = taken.communicate(timeout=30)
        assert (taken.returncode, out, err) == (
            1, b"", f"error: listen tcp 127.0.0.1:{port}: bind: address already in use\n".encode()
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    assert (server.returncode, err) == (0, b"")


def test_proxy_serves_the_tutorials_curls(home: Path, kubesim: Kubesim, tmp_path: Path) -> None:
    from tests.conftest import SAMPLES

    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    image = "gcr.io/google-samples/kubernetes-bootcamp:v1"
    assert kubesim(f"create deployment kubernetes-bootcamp --image={image}").code == 0
    kubesim("tick 15")
    bootcamp = kubesim("get pods -l app=kubernetes-bootcamp -o jsonpath={.items[0].metadata.name}")
    port = _free_port()
    proxy = _start(["proxy", "--port", str(port)], home, tmp_path)
    try:
        assert _lines(proxy, 1) == f"Starting to serve on 127.0.0.1:{port}\n"
        status, body = _get(f"http://127.0.0.1:{port}/version")
        assert status == 200 and json.loads(body)["gitVersion"] == "v1.32.2"
        status, body = _get(
            f"http://localhost:{port}/api/v1/namespaces/default/pods/web-0:80/proxy/"
        )
        assert status == 200 and "<title>Welcome to nginx!</title>" in body
        pod_path = f"/api/v1/namespaces/default/pods/{bootcamp.out}:8080/proxy/"
        status, body = _get(f"http://localhost:{port}{pod_path}")
        assert (status, body) == (
            200, f"Hello Kubernetes bootcamp! | Running on: {bootcamp.out} | v=1\n"
        )  # fmt: skip
        status, body = _get(
            f"http://localhost:{port}/api/v1/namespaces/default/pods/web-0:8080/proxy/"
        )
        assert status == 503
        assert json.loads(body)["message"].startswith("error trying to reach service: dial tcp ")
        status, body = _get(f"http://127.0.0.1:{port}/api/v1/namespaces/default/pods/web-0/exec")
        assert (status, body) == (403, "Forbidden\n")
    finally:
        proxy.send_signal(signal.SIGINT)
        proxy.communicate(timeout=30)
    assert proxy.returncode == 0


def test_a_second_proxy_on_the_same_port_is_refused(home: Path, kubesim: Kubesim) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = kubesim(f"proxy --port {port}")
    assert (result.code, result.out, result.err) == (
        1, "", f"error: listen tcp 127.0.0.1:{port}: bind: address already in use\n"
    )  # fmt: skip
    time.sleep(0)
