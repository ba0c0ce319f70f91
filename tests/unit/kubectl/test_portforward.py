"""port-forward's port and address arguments, as kubectl and client-go rewrite and parse them."""

from __future__ import annotations

import pytest

from kubesim.api.errors import UsageError
from kubesim.kubectl.portforward import (
    ForwardedPort,
    ListenAddress,
    check_udp_ports,
    convert_pod_named_ports,
    parse_addresses,
    parse_ports,
    translate_service_ports,
)

POD = {
    "metadata": {"name": "web-0"},
    "spec": {"containers": [{"name": "nginx", "ports": [
        {"name": "web", "containerPort": 8080},
        {"name": "dns", "containerPort": 53, "protocol": "UDP"},
    ]}]},
}  # fmt: skip
SERVICE = {
    "metadata": {"name": "front"},
    "spec": {"clusterIP": "10.96.0.7", "ports": [
        {"name": "http", "port": 80, "targetPort": "web"},
        {"name": "alt", "port": 81, "targetPort": 9090},
        {"name": "plain", "port": 82},
    ]},
}  # fmt: skip


def test_service_ports_become_the_pods_target_ports() -> None:
    assert translate_service_ports(["80", "8888:81", "http", ":plain"], SERVICE, POD) == [
        "80:8080",
        "8888:9090",
        "80:8080",
        ":82",
    ]
    headless = {**SERVICE, "spec": {**SERVICE["spec"], "clusterIP": "None"}}
    assert translate_service_ports(["81"], headless, POD) == ["81"]
    with pytest.raises(UsageError, match="^Service front does not have a service port 99$"):
        translate_service_ports(["99"], SERVICE, POD)
    with pytest.raises(UsageError, match="^Service 'front' does not have a named port 'x'$"):
        translate_service_ports(["x"], SERVICE, POD)


def test_named_container_ports() -> None:
    assert convert_pod_named_ports(["web", "9000:web", "1:2:3"], POD) == [
        "8080",
        "9000:8080",
        "1",  # splitPort keeps the first of three parts
    ]
    with pytest.raises(UsageError, match="^remote port cannot be empty$"):
        convert_pod_named_ports(["8080:"], POD)


def test_udp_only_ports_are_refused() -> None:
    with pytest.raises(UsageError, match="^UDP protocol is not supported for dns$"):
        check_udp_ports(["dns"], POD, "Pod")
    check_udp_ports(["web"], POD, "Pod")


def test_ports_parse_as_client_go_parses_them() -> None:
    assert parse_ports(["5000", "8888:5000", ":5000", "0:5000"]) == [
        ForwardedPort(5000, 5000),
        ForwardedPort(8888, 5000),
        ForwardedPort(0, 5000),
        ForwardedPort(0, 5000),
    ]
    with pytest.raises(UsageError) as caught:
        parse_ports(["x:80"])
    assert caught.value.message == (
        "error parsing local port 'x': strconv.ParseUint: parsing \"x\": invalid syntax"
    )


def test_localhost_is_both_loopbacks_ipv4_first() -> None:
    assert parse_addresses(["localhost"]) == [
        ListenAddress("127.0.0.1", "tcp4", "all"),
        ListenAddress("::1", "tcp6", "all"),
    ]
    assert parse_addresses(["0.0.0.0", "localhost"])[0] == ListenAddress("0.0.0.0", "tcp4", "any")
    with pytest.raises(UsageError, match="^nowhere is not a valid IP$"):
        parse_addresses(["nowhere"])
