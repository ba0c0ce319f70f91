"""Requests a server must survive: malformed bodies, unknown kinds and paths, wrong content
types, oversized bodies, expired watches, and clients that go away mid-watch or mid-exec. Each
gets the apiserver's Status, and the server goes on serving with the cluster unchanged."""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES, Kubesim, cluster_state
from tests.serve.conftest import Served

pytestmark = pytest.mark.slow


def _request(
    served: Served, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, Any], dict[str, str]]:
    request = urllib.request.Request(served.url + path, data=body, method=method)
    if body is not None:
        headers.setdefault("Content_Type", "application/json")  # urllib would send a form
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"{}"), dict(answer.headers)
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}"), dict(err.headers)


def test_bad_requests_get_the_apiservers_status(
    served: Served, kubesim: Kubesim, home: Path
) -> None:
    assert kubesim(f"create -f {SAMPLES / 'svc.yaml'}").code == 0
    before = cluster_state(home)
    pods = "/api/v1/namespaces/default/pods"
    cases = [
        ("POST", pods, b"{bad", {"Content_Type": "application/json"}, 400, "BadRequest",
         "the object provided is unrecognized (must be of type Pod): couldn't get version/kind; "
         "json parse error: invalid character 'b' looking for beginning of object key string "
         "({bad)"),
        ("POST", pods, b"{}", {"Content_Type": "text/plain"}, 415, "UnsupportedMediaType",
         "the body of the request was in an unknown format - accepted media types include: "
         "application/json, application/yaml, application/vnd.kubernetes.protobuf"),
        ("POST", pods + "?fieldValidation=Strict", b'{"apiVersion":"v1","kind":"Pod","metadata":'
         b'{"name":"x"},"spec":{"bogus":1,"containers":[{"name":"c","image":"i"}]}}', {}, 400,
         "BadRequest", 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: '
         'unknown field "spec.bogus"'),
        ("POST", pods, b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad_Name"},"spec":'
         b'{"containers":[{"name":"c","image":"i"}]}}', {}, 422, "Invalid", None),
        ("GET", "/apis/networking.k8s.io/v1/namespaces/default/ingresses", None, {}, 404, "NotFound",
         "the server could not find the requested resource"),
        ("GET", "/api/v1/namespaces/default/widgets", None, {}, 404, "NotFound",
         "the server could not find the requested resource"),
        ("GET", pods + "/nope", None, {}, 404, "NotFound", 'pods "nope" not found'),
        ("PATCH", "/api/v1/namespaces/default/services/nginx", b"{}",
         {"Content_Type": "application/xml"}, 415, "UnsupportedMediaType", None),
        ("PATCH", "/api/v1/namespaces/default/services/nginx", b"[1]",
         {"Content_Type": "application/merge-patch+json"}, 400, "BadRequest",
         "error decoding patch: json: cannot unmarshal array into Go value of type "
         "map[string]interface {}"),
        ("POST", pods, b"{" + b" " * (3 * 1024 * 1024) + b"}", {}, 413,
         "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        ("PUT", "/api/v1/namespaces/default/services/nginx", b'{"apiVersion":"v1","kind":'
         b'"Service","metadata":{"name":"other"}}', {}, 400, "BadRequest",
         "the name of the object (other) does not match the name on the URL (nginx)"),
        ("GET", pods + "?labelSelector=a%20b", None, {}, 400, "BadRequest", None),
        ("GET", pods + "?fieldSelector=spec.bogus%3D1", None, {}, 400, "BadRequest",
         "field label not supported: spec.bogus"),
    ]  # fmt: skip
    for method, path, body, headers, code, reason, message in cases:
        status, answer, _ = _request(served, method, path, body, **headers)
        assert (status, answer.get("kind"), answer.get("reason")) == (code, "Status", reason), (
            method, path, answer,
        )  # fmt: skip
        assert answer["code"] == code
        if message is not None:
            assert answer["message"] == message
    status, answer, _ = _request(served, "GET", "/version")
    assert status == 200
    assert cluster_state(home) == before
    # without fieldValidation the server warns (Warn, the default) and creates the object
    status, answer, headers = _request(
        served, "POST", pods, b'{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},'
        b'"spec":{"bogus":1,"containers":[{"name":"c","image":"i"}]}}',
    )  # fmt: skip
    assert (status, answer["metadata"]["name"]) == (201, "x")
    assert headers["Warning"] == '299 - "unknown field \\"spec.bogus\\""'


def test_an_expired_watch_gets_410_in_the_stream(
    served: Served, kubesim: Kubesim, home: Path
) -> None:
    import sqlite3

    conn = sqlite3.connect(home / "cluster.db")
    conn.execute("UPDATE meta SET value = 50 WHERE key = 'compacted'")
    conn.commit()
    conn.close()
    request = urllib.request.Request(
        served.url + "/api/v1/namespaces/default/pods?watch=true&resourceVersion=3"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
        event = json.loads(answer.readline())
    assert event == {
        "type": "ERROR",
        "object": {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                   "message": "too old resource version: 3 (50)", "reason": "Expired",
                   "code": 410},
    }  # fmt: skip


def _raw(served: Served, lines: list[str]) -> socket.socket:
    host, port = served.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def test_clients_that_go_away_leave_the_server_serving(served: Served, kubesim: Kubesim) -> None:
    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    kubesim("tick 12")
    watch = _raw(served, ["GET /api/v1/namespaces/default/pods?watch=true HTTP/1.1", "Host: x"])
    assert watch.recv(4096).startswith(b"HTTP/1.1 200 OK\r\n")
    watch.close()  # mid-watch
    key = base64.b64encode(os.urandom(16)).decode()
    execing = _raw(
        served,
        [
            "GET /api/v1/namespaces/default/pods/web-0/exec?command=sh&stdin=true&stdout=true"
            "&tty=true HTTP/1.1",
            "Host: x", "Connection: Upgrade", "Upgrade: websocket",
            f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: v4.channel.k8s.io",
        ],
    )  # fmt: skip
    assert execing.recv(4096).startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    execing.close()  # mid-exec
    time.sleep(0.5)
    for _ in range(3):
        assert served.kubectl("get pods").code == 0
    assert served.kubectl("exec web-0 -- sh -c hostname").out == "web-0\n"
