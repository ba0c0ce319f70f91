"""The official `kubernetes` Python client against `kubesim serve`: list, watch, create, patch,
delete, the /version/ path, a stream exec and a port-forward (the v4 channel protocol)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SAMPLES, Kubesim
from tests.serve.conftest import Served

pytestmark = pytest.mark.slow


def _client(served: Served) -> Any:
    from kubernetes import client, config

    configuration = client.Configuration()
    config.load_kube_config(config_file=str(served.kubeconfig), client_configuration=configuration)
    return client.ApiClient(configuration)


def test_list_watch_create_patch_delete(served: Served, kubesim: Kubesim) -> None:
    from kubernetes import client, watch
    from kubernetes.client.rest import ApiException

    assert kubesim(f"create -f {SAMPLES / 'svc.yaml'}").code == 0
    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    kubesim("tick 12")
    api = _client(served)
    assert client.VersionApi(api).get_code().git_version == "v1.32.2"
    v1 = client.CoreV1Api(api)
    names = [p.metadata.name for p in v1.list_namespaced_pod("default").items]
    assert names == ["web-0", "web-1"]
    selected = v1.list_namespaced_pod(
        "default", label_selector="statefulset.kubernetes.io/pod-name=web-1"
    )
    assert [p.metadata.name for p in selected.items] == ["web-1"]

    events = list(watch.Watch().stream(v1.list_namespaced_pod, "default", timeout_seconds=1))
    assert [(e["type"], e["object"].metadata.name) for e in events] == [
        ("ADDED", "web-0"), ("ADDED", "web-1")
    ]  # fmt: skip

    pod = {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "pyp", "labels": {"a": "b"}},
        "spec": {"containers": [{"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}]},
    }  # fmt: skip
    created = v1.create_namespaced_pod("default", pod)
    assert created.metadata.uid and created.metadata.resource_version
    assert kubesim("get pod pyp -o jsonpath={.metadata.labels.a}").out == "b"
    with pytest.raises(ApiException) as conflict:
        v1.create_namespaced_pod("default", pod)
    assert conflict.value.status == 409 and '"reason":"AlreadyExists"' in conflict.value.body

    patched = v1.patch_namespaced_pod("pyp", "default", {"metadata": {"labels": {"a": "c"}}})
    assert patched.metadata.labels == {"a": "c"}
    assert kubesim("get pod pyp -o jsonpath={.metadata.labels.a}").out == "c"

    deleted = v1.delete_namespaced_pod("pyp", "default")
    assert deleted.metadata.name == "pyp"
    with pytest.raises(ApiException) as missing:
        v1.read_namespaced_pod("nope", "default")
    assert missing.value.status == 404 and '"reason":"NotFound"' in missing.value.body

    apps = client.AppsV1Api(api)
    assert apps.read_namespaced_stateful_set("web", "default").spec.replicas == 2


def test_stream_exec_and_port_forward(served: Served, kubesim: Kubesim) -> None:
    from kubernetes import client
    from kubernetes.stream import portforward, stream

    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    kubesim("tick 12")
    v1 = client.CoreV1Api(_client(served))
    out = stream(
        v1.connect_get_namespaced_pod_exec, "web-0", "default", command=["sh", "-c", "hostname"],
        stderr=True, stdin=False, stdout=True, tty=False,
    )  # fmt: skip
    assert out == "web-0\n"
    session = stream(
        v1.connect_get_namespaced_pod_exec, "web-0", "default", command=["sh", "-c", "exit 4"],
        stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False,
    )  # fmt: skip
    session.run_forever(timeout=10)
    assert session.returncode == 4

    forward = portforward(v1.connect_get_namespaced_pod_portforward, "web-0", "default", ports="80")
    sock = forward.socket(80)
    sock.setblocking(True)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: web-0\r\nConnection: close\r\n\r\n")
    answer = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\nServer: nginx/1.9.1\r\n")
    assert b"<title>Welcome to nginx!</title>" in body
    assert forward.error(80) is None
