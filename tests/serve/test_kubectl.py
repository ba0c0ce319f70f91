"""The real kubectl (v1.32, from PATH) against `kubesim serve`: the article's walkthrough, the
same output as kubesim's own for every kind, and the verbs a tutorial uses."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kubesim.api.kinds import KINDS
from tests.conftest import SAMPLES, Kubesim
from tests.serve.conftest import KUBECTL, Served, needs_kubectl, ticking

pytestmark = [pytest.mark.slow, needs_kubectl]


def _settle(kubesim: Kubesim) -> None:
    assert kubesim(f"create -f {SAMPLES / 'svc.yaml'}").code == 0
    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    kubesim("tick 12")


def _pty_session(served: Served, args: list[str], steps: list[tuple[bytes, bytes]]) -> str:
    """Run kubectl on a pseudo-terminal: for each step, wait for the output to show `wanted`,
    then type `keys`; returns everything shown once kubectl exits."""
    assert KUBECTL is not None
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.environ.update(served.env())
        os.execv(KUBECTL, [KUBECTL, f"--cache-dir={served.cache}", *args])
    out = b""

    def read_until(wanted: bytes, seconds: float) -> None:
        nonlocal out
        end = time.monotonic() + seconds
        while time.monotonic() < end and (not wanted or wanted not in out):
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    return
                if not data:
                    return
                out += data

    for wanted, keys in steps:
        read_until(wanted, 30)
        os.write(fd, keys)
    read_until(b"\x00", 30)  # until kubectl exits (and the terminal closes)
    os.waitpid(pid, 0)
    os.close(fd)
    return out.decode(errors="replace").replace("\r\n", "\n")


def test_the_articles_walkthrough_with_kubectl(served: Served, kubesim: Kubesim) -> None:
    assert served.kubectl(f"create -f {SAMPLES / 'svc.yaml'}").out == "service/nginx created\n"
    watch = served.start_kubectl("get pods -w -l app=nginx")
    time.sleep(1.5)
    created = served.kubectl(f"create -f {SAMPLES / 'statefulset.yaml'}")
    assert created.out == "statefulset.apps/web created\n"
    ticking(kubesim, 3.0, every=0.1).join()
    time.sleep(0.5)
    watch.terminate()
    rows = [line.split() for line in watch.communicate(timeout=10)[0].splitlines()]
    assert rows[0] == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    seen = [(r[0], r[2]) for r in rows[1:]]
    # web-1 is created only once web-0 is Running and Ready (OrderedReady)
    first_running = seen.index(("web-0", "Running"))
    assert all(name == "web-0" for name, _ in seen[: first_running + 1])
    assert ("web-1", "Running") in seen[first_running:]

    assert served.kubectl("exec web-0 -- sh -c hostname").out == "web-0\n"

    ticker = ticking(kubesim, 20.0, every=0.3)
    done = _pty_session(
        served,
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
        ],  # fmt: skip
        [
            (b"/ # ", b"nslookup web-0.nginx\r"),
            (b"kube-dns.kube-system.svc.cluster.local\r\n\r\nName:", b""),
            (b"/ # ", b"exit\r"),
        ],
    )
    ticker.stop()
    ip = json.loads(served.kubectl("get pod web-0 -o json").out)["status"]["podIP"]
    assert done.startswith("If you don't see a command prompt, try pressing enter.\n")
    assert (
        "/ # nslookup web-0.nginx\nServer:    10.96.0.10\n"
        "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
        f"Name:      web-0.nginx\nAddress 1: {ip} web-0.nginx.default.svc.cluster.local\n"
        '/ # exit\npod "dns-test" deleted\n'
    ) in done

    ticker = ticking(kubesim, 20.0, every=0.2)
    assert served.kubectl("delete pod web-0").out == 'pod "web-0" deleted\n'
    ticker.stop()
    kubesim("tick 4")
    again = served.kubectl("get pod web-0 -o jsonpath={.status.phase}")
    assert again.out == "Running"


KIND_NAMES = {
    "pods": "web-0", "services": "nginx", "endpoints": "nginx", "namespaces": "default",
    "nodes": "kubesim-worker", "configmaps": "kube-root-ca.crt", "serviceaccounts": "default",
    "persistentvolumeclaims": "www-web-0", "deployments": "dep", "statefulsets": "web",
    "storageclasses": "standard", "componentstatuses": "scheduler",
}  # fmt: skip


def test_get_and_describe_equal_kubesims_own_for_every_kind(
    served: Served, kubesim: Kubesim
) -> None:
    assert kubesim(f"create -f {SAMPLES / 'web.yaml'}").code == 0
    assert kubesim("create deployment dep --image=nginx:1.27 --replicas=2").code == 0
    kubesim("tick 15")
    mismatches = []
    all_commands = []
    for kind in KINDS:
        plural = kind.resource
        commands = [
            f"get {plural} -A",
            f"get {plural} -A -o wide",
            f"get {plural} -A --show-labels",
        ]
        name = KIND_NAMES.get(kind.plural)
        if name is not None:
            ns = "-n default " if kind.namespaced else ""
            commands += [f"get {plural} {name} {ns}-o yaml", f"get {plural} {name} {ns}-o json",
                         f"describe {plural} {name} {ns}".strip()]  # fmt: skip
        if kind.plural in ("replicasets", "controllerrevisions", "endpointslices", "events"):
            commands.append(f"describe {plural} -n default")
        all_commands += commands
    # kubectl's runs side by side (each is its own process); kubesim's in this one, in turn
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(served.kubectl, all_commands))
    for command, theirs in zip(all_commands, answers, strict=True):
        ours = kubesim(command)
        if command.startswith("describe"):
            theirs.out, ours.out = _client_ages(theirs.out), _client_ages(ours.out)
        if (theirs.out, theirs.err, theirs.code) != (ours.out, ours.err, ours.code):
            mismatches.append((command, _diff(theirs, ours)))

    assert mismatches == []


_AGE = re.compile(r"\b(\d+[smhd])+\b|<invalid>")


def _client_ages(text: str) -> str:
    """kubectl describe computes the AGE of events and of a node's pods on the client, from
    the wall clock, where kubesim uses the simulated now (manual here): those columns are
    masked, and their padding with them."""
    lines, masked = text.split("\n"), False
    for i, line in enumerate(lines):
        if line.startswith(("Events:", "Non-terminated Pods:")):
            masked = True
        elif line and not line.startswith(" "):
            masked = False
        elif masked:
            lines[i] = " ".join(_AGE.sub("AGE", line).split())
    return "\n".join(lines)


def _diff(theirs: object, ours: object) -> str:
    import difflib

    a, b = repr(theirs).replace("\\n", "\n"), repr(ours).replace("\\n", "\n")
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=1))


def test_apply_twice_client_and_server_side(served: Served, tmp_path: Path) -> None:
    manifest = SAMPLES / "statefulset.yaml"
    assert served.kubectl(f"apply -f {manifest}").out == "statefulset.apps/web created\n"
    assert served.kubectl(f"apply -f {manifest}").out == "statefulset.apps/web unchanged\n"
    changed = tmp_path / "sts.yaml"
    changed.write_text(manifest.read_text().replace("replicas: 2", "replicas: 3"))
    assert served.kubectl(f"apply -f {changed}").out == "statefulset.apps/web configured\n"
    live = json.loads(served.kubectl("get sts web -o json").out)
    assert live["spec"]["replicas"] == 3
    annotation = live["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(annotation)["spec"]["replicas"] == 3

    svc = SAMPLES / "svc.yaml"
    first = served.kubectl(f"apply --server-side -f {svc}")
    assert (first.out, first.code) == ("service/nginx serverside-applied\n", 0)
    second = served.kubectl(f"apply --server-side -f {svc}")
    assert (second.out, second.code) == ("service/nginx serverside-applied\n", 0)
    managed = json.loads(served.kubectl("get svc nginx -o json --show-managed-fields").out)
    entries = managed["metadata"]["managedFields"]
    assert [(e["manager"], e["operation"]) for e in entries] == [("kubectl", "Apply")]
    assert "f:selector" in entries[0]["fieldsV1"]["f:spec"]
    # another manager takes a field; applying the old value again conflicts
    patched = served.kubectl(
        'patch svc nginx --type merge -p \'{"spec":{"selector":{"app":"other"}}}\''
    )
    assert patched.code == 0, patched.err
    conflict = served.kubectl(f"apply --server-side -f {svc}")
    assert conflict.code == 1
    assert conflict.err.startswith(
        'error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: '
        ".spec.selector.app\n"
    )
    forced = served.kubectl(f"apply --server-side --force-conflicts -f {svc}")
    assert forced.out == "service/nginx serverside-applied\n"
    dry = served.kubectl(f"apply --server-side --dry-run=server -f {changed}")
    assert dry.out == "statefulset.apps/web serverside-applied (server dry run)\n"


def test_edit_patch_scale_rollout_and_wait(
    served: Served, kubesim: Kubesim, tmp_path: Path
) -> None:
    _settle(kubesim)
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsed -i \'s/app: nginx$/app: nginx\\n    edited: "yes"/\' "$1"\n')
    editor.chmod(0o755)
    env_editor = {"KUBE_EDITOR": str(editor)}
    os.environ.update(env_editor)
    try:
        edited = served.kubectl("edit svc nginx")
    finally:
        for key in env_editor:
            os.environ.pop(key)
    assert (edited.out, edited.code) == ("service/nginx edited\n", 0), edited.err
    assert json.loads(served.kubectl("get svc nginx -o json").out)["metadata"]["labels"] == {
        "app": "nginx", "edited": "yes"
    }  # fmt: skip
    for kind, patch in (("strategic", '{"metadata":{"labels":{"a":"1"}}}'),
                        ("merge", '{"metadata":{"labels":{"b":"2"}}}'),
                        ("json", '[{"op":"add","path":"/metadata/labels/c","value":"3"}]')):  # fmt: skip
        result = served.kubectl(["patch", "sts", "web", "--type", kind, "-p", patch])
        assert (result.out, result.code) == ("statefulset.apps/web patched\n", 0), result.err
    assert served.kubectl("scale sts web --replicas=3").out == "statefulset.apps/web scaled\n"
    ticker = ticking(kubesim, 30.0)
    status = served.kubectl("rollout status sts web --timeout=30s")
    assert status.out.endswith("partitioned roll out complete: 3 new pods have been updated...\n")
    waited = served.kubectl("wait --for=condition=Ready pod/web-2 --timeout=30s")
    assert waited.out == "pod/web-2 condition met\n"
    ticker.stop()
    assert kubesim("get sts web").out == served.kubectl("get sts web").out


def test_logs_follow_port_forward_explain_and_api_resources(
    served: Served, kubesim: Kubesim
) -> None:
    import socket
    import urllib.request

    _settle(kubesim)
    assert served.kubectl("api-resources").out == kubesim("api-resources").out
    assert (
        served.kubectl("explain pods.spec.containers").out
        == kubesim("explain pods.spec.containers").out
    )
    assert served.kubectl("explain sts --recursive").out == kubesim("explain sts --recursive").out
    script = "i=0; while [ $i -lt 6 ]; do echo line $i; i=$((i+1)); sleep 1; done"
    assert kubesim(f"run logger --image=busybox:1.36 --restart=Never -- sh -c '{script}'").code == 0
    kubesim("tick 3")
    assert served.kubectl("logs logger").out == kubesim("logs logger").out
    follow = served.start_kubectl("logs -f logger")
    ticking(kubesim, 3.0, every=0.3).join()
    out, _ = follow.communicate(timeout=20)  # ends when the container does
    assert (out, follow.returncode) == ("".join(f"line {i}\n" for i in range(6)), 0)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    forward = served.start_kubectl(f"port-forward pod/web-0 {port}:80")
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    body = answer.read().decode()
                    headers = dict(answer.headers)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "<title>Welcome to nginx!</title>" in body
        assert headers["Server"] == "nginx/1.9.1"
    finally:
        forward.terminate()
        out, _ = forward.communicate(timeout=10)
    assert out.startswith(f"Forwarding from 127.0.0.1:{port} -> 80\n")
    assert f"Handling connection for {port}\n" in out


def test_errors_come_back_as_kubectl_prints_them(served: Served, kubesim: Kubesim) -> None:
    _settle(kubesim)
    for command in ("get pod nope", "get pods --field-selector=spec.bogus=1", "get sts nope -o yaml",
                    "delete pod nope", "get widgets", "exec web-0 -- sh -c 'exit 3'",
                    "exec nope -- true", "scale sts web --replicas=-1", "logs web-0 -c nope"):  # fmt: skip
        theirs, ours = served.kubectl(command), kubesim(command)
        assert (theirs.code, theirs.err) == (ours.code, ours.err), command


def test_kubectls_typed_commands_send_protobuf(served: Served, kubesim: Kubesim) -> None:
    created = served.kubectl("create deployment dep --image=nginx:1.27 --replicas=2")
    assert (created.out, created.code) == ("deployment.apps/dep created\n", 0), created.err
    assert kubesim("create deployment twin --image=nginx:1.27 --replicas=2").code == 0
    theirs = json.loads(served.kubectl("get deploy dep -o json").out)
    ours = json.loads(served.kubectl("get deploy twin -o json").out)
    for obj in (theirs, ours):
        for key in ("name", "uid", "resourceVersion", "creationTimestamp", "labels"):
            obj["metadata"].pop(key)
        obj["spec"]["selector"] = obj["spec"]["template"]["metadata"]["labels"] = None
        del obj["status"]  # its conditions name each deployment's replica set
    assert theirs == ours
    assert served.kubectl("create namespace team").out == "namespace/team created\n"
    assert served.kubectl("create configmap cm --from-literal=a=b -n team").out == (
        "configmap/cm created\n"
    )
    assert kubesim("get cm cm -n team -o jsonpath={.data.a}").out == "b"
    for command in ("auth can-i create pods", "auth can-i create pods --as=jane", "auth whoami",
                    "auth whoami --as=jane --as-group=devs"):  # fmt: skip
        theirs_, ours_ = served.kubectl(command), kubesim(command)
        assert (theirs_.out, theirs_.err, theirs_.code) == (ours_.out, ours_.err, ours_.code), (
            command
        )
