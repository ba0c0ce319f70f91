"""kubectl port-forward's own logic, pure: the port arguments as kubectl rewrites them for a
Service or a pod's named ports (cmd/portforward/portforward.go), then as client-go parses
them, and the addresses it listens on (tools/portforward/portforward.go).

Errors are UsageErrors carrying kubectl's text (printed as `error: ...`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kubesim.api.errors import UsageError

Object = dict[str, Any]


@dataclass
class ForwardedPort:
    """A local:remote pair; `local` 0 until a random port is chosen."""

    local: int
    remote: int

    def __str__(self) -> str:
        return f"{{{self.local} {self.remote}}}"  # Go's %v of the struct


@dataclass(frozen=True)
class ListenAddress:
    """One address to listen on: tcp4 or tcp6, and whether failing there fails the port
    (`any`) or only failing on all of the localhost pair does (`all`)."""

    address: str
    protocol: str
    failure_mode: str


def split_port(port: str) -> tuple[str, str]:
    """splitPort: `[LOCAL:]REMOTE` (anything but two parts is taken as its first)."""
    parts = port.split(":")
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], parts[0]


def _atoi(text: str) -> int | None:
    """strconv.Atoi: a signed decimal that fits in 64 bits, else None."""
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _join(local: str, remote: str, original_remote: str) -> str:
    return remote if local == original_remote else f"{local}:{remote}"


def container_port_by_name(pod: Object, name: str) -> int:
    """LookupContainerPortNumberByName: containers, then init containers."""
    for group in ("containers", "initContainers"):
        for container in pod["spec"].get(group) or []:
            for port in container.get("ports") or []:
                if port.get("name") == name:
                    return int(port["containerPort"])
    raise UsageError(f"Pod '{pod['metadata']['name']}' does not have a named port '{name}'")


def _service_port_by_name(svc: Object, name: str) -> int:
    for port in svc["spec"].get("ports") or []:
        if port.get("name") == name:
            return int(port["port"])
    raise UsageError(f"Service '{svc['metadata']['name']}' does not have a named port '{name}'")


def _container_port_for_service_port(svc: Object, pod: Object, number: int) -> int:
    """LookupContainerPortNumberByServicePort: the port's targetPort, by number or name; a
    headless Service's own port."""
    for port in svc["spec"].get("ports") or []:
        if port.get("port") != number:
            continue
        if svc["spec"].get("clusterIP") == "None":
            return number
        target = port.get("targetPort")
        if target is None or isinstance(target, int):
            return int(target) if target else number
        return container_port_by_name(pod, str(target))
    raise UsageError(f"Service {svc['metadata']['name']} does not have a service port {number}")


def translate_service_ports(ports: Sequence[str], svc: Object, pod: Object) -> list[str]:
    """translateServicePortToTargetPort: each REMOTE (a number or a port name) of the Service
    becomes the container port its traffic goes to."""
    translated = []
    for spec in ports:
        local, remote = split_port(spec)
        number = _atoi(remote)
        if number is None:
            number = _service_port_by_name(svc, remote)
            if local == remote:
                local = str(number)
        target = str(_container_port_for_service_port(svc, pod, number))
        translated.append(target if local == target else f"{local}:{target}")
    return translated


def convert_pod_named_ports(ports: Sequence[str], pod: Object) -> list[str]:
    """convertPodNamedPortToNumber: a named REMOTE becomes its containerPort."""
    converted = []
    for spec in ports:
        local, remote = split_port(spec)
        if remote == "":
            raise UsageError("remote port cannot be empty")
        number = remote
        if _atoi(remote) is None:
            number = str(container_port_by_name(pod, remote))
        converted.append(_join(local, number, remote))
    return converted


def _udp_only(ports: list[tuple[int, str]]) -> set[int]:
    udp = {number for number, protocol in ports if protocol == "UDP"}
    return udp - {number for number, protocol in ports if protocol == "TCP"}


def check_udp_ports(ports: Sequence[str], obj: Object, kind: str) -> None:
    """checkUDPPortInService / checkUDPPortInPod: a port only served over UDP is refused."""
    if kind == "Service":
        declared = [(int(p["port"]), p.get("protocol", "TCP"))
                    for p in obj["spec"].get("ports") or []]  # fmt: skip
    else:
        declared = [
            (int(p["containerPort"]), p.get("protocol", "TCP"))
            for c in obj["spec"].get("containers") or []
            for p in c.get("ports") or []
        ]
    udp = _udp_only(declared)
    for spec in ports:
        _, remote = split_port(spec)
        number = _atoi(remote)
        if number is None:
            if kind == "Service":
                number = _service_port_by_name(obj, remote)
            else:
                number = container_port_by_name(obj, remote)
        if number in udp:
            raise UsageError(f"UDP protocol is not supported for {remote}")


def _parse_uint16(text: str) -> int:
    """strconv.ParseUint(text, 10, 16), or the error message after its `%s`."""
    if not re.fullmatch(r"[0-9]+", text):
        raise ValueError(f'strconv.ParseUint: parsing "{text}": invalid syntax')
    value = int(text)
    if value > 0xFFFF:
        raise ValueError(f'strconv.ParseUint: parsing "{text}": value out of range')
    return value


def parse_ports(ports: Sequence[str]) -> list[ForwardedPort]:
    """parsePorts: `5000`, `8888:5000`, `:5000` and `0:5000` (a random local port)."""
    forwards = []
    for spec in ports:
        parts = spec.split(":")
        if len(parts) == 1:
            local, remote = parts[0], parts[0]
        elif len(parts) == 2:
            local, remote = parts[0] or "0", parts[1]
        else:
            raise UsageError(f"invalid port format '{spec}'")
        try:
            local_port = _parse_uint16(local)
        except ValueError as err:
            raise UsageError(f"error parsing local port '{local}': {err}") from None
        try:
            remote_port = _parse_uint16(remote)
        except ValueError as err:
            raise UsageError(f"error parsing remote port '{remote}': {err}") from None
        if remote_port == 0:
            raise UsageError("remote port must be > 0")
        forwards.append(ForwardedPort(local_port, remote_port))
    return forwards


def parse_addresses(addresses: Sequence[str]) -> list[ListenAddress]:
    """parseAddresses: localhost is 127.0.0.1 and ::1 (either will do), an IP must work; the
    list comes back sorted as strings, so 127.0.0.1 comes before ::1."""
    if not addresses:
        raise UsageError("you must specify at least 1 address")
    parsed: dict[str, ListenAddress] = {}
    for address in addresses:
        if address == "localhost":
            parsed.setdefault("127.0.0.1", ListenAddress("127.0.0.1", "tcp4", "all"))
            parsed.setdefault("::1", ListenAddress("::1", "tcp6", "all"))
            continue
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            raise UsageError(f"{address} is not a valid IP") from None
        protocol = "tcp4" if ip.version == 4 else "tcp6"
        parsed[address] = ListenAddress(address, protocol, "any")
    return sorted(parsed.values(), key=lambda a: a.address)


def join_host_port(host: str, port: int) -> str:
    """net.JoinHostPort: an IPv6 host in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
