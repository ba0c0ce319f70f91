"""The kubelet's answers to a forwarded connection, and HTTP on the wire."""

from __future__ import annotations

from kubesim.sandbox.container import HttpResponse
from kubesim.sandbox.portforward import (
    encode_response,
    forward_error,
    parse_request,
    sandbox_id,
)

POD = {"metadata": {"uid": "u-1", "name": "web-0"}, "spec": {}, "status": {"phase": "Running"}}


def test_a_listening_port_goes_through() -> None:
    assert forward_error(POD, POD, 80, listening=True) is None


def test_a_closed_port_is_containerds_dial_error() -> None:
    error = forward_error(POD, POD, 81, listening=False)
    assert error is not None
    assert error.startswith(f"error forwarding port 81 to pod {sandbox_id(POD)}, uid : ")
    assert error.endswith(
        "IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 [::1]:81: "
        "connect: connection refused "
    )


def test_a_pod_gone_or_stopped() -> None:
    sandbox = sandbox_id(POD)
    assert forward_error(POD, None, 80, listening=False) == (
        f'error forwarding port 80 to pod {sandbox}, uid : failed to find sandbox "{sandbox}" '
        "in store: not found"
    )
    done = {**POD, "status": {"phase": "Succeeded"}}
    assert forward_error(POD, done, 80, listening=False) == (
        f"error forwarding port 80 to pod {sandbox}, uid : network namespace for sandbox "
        f'"{sandbox}" is closed'
    )


def test_requests_and_keep_alive() -> None:
    request = parse_request(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close")
    assert request is not None
    assert (request.method, request.path, request.keep_alive) == ("GET", "/index.html", False)
    old = parse_request(b"HEAD / HTTP/1.0\r\nHost: x")
    assert old is not None and not old.keep_alive
    assert parse_request(b"\x16\x03\x01 not http") is None


def test_a_response_on_the_wire() -> None:
    response = HttpResponse(200, "hi\n", "OK", (("Content-Length", "3"), ("Connection", "x")))
    assert encode_response(response, keep_alive=False) == (
        b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nhi\n"
    )
