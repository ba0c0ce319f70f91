"""Name resolution inside a container, as libc does it: /etc/hosts first, then the DNS server
named in /etc/resolv.conf with its search list and ndots.

Both files are read from the container's filesystem, so edits made inside it take effect.
Only the cluster DNS service (or a CoreDNS endpoint) answers; other servers time out.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubesim.network import dns
from kubesim.sandbox import fs
from kubesim.sandbox.container import Container


@dataclass(frozen=True)
class ResolvConf:
    nameservers: list[str]
    search: list[str]
    ndots: int


def resolv_conf(container: Container) -> ResolvConf:
    """The settings of the container's current /etc/resolv.conf (glibc defaults if absent)."""
    nameservers: list[str] = []
    search: list[str] = []
    ndots = 1
    for line in (fs.read(container, "/etc/resolv.conf") or "").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith(("#", ";")):
            continue
        if fields[0] == "nameserver" and len(fields) > 1:
            nameservers.append(fields[1])
        elif fields[0] in ("search", "domain"):
            search = fields[1:]
        elif fields[0] == "options":
            for option in fields[1:]:
                if option.startswith("ndots:") and option[6:].isdigit():
                    ndots = min(int(option[6:]), 15)
    return ResolvConf(nameservers or ["127.0.0.1"], search, ndots)


def hosts_entries(container: Container) -> list[tuple[str, list[str]]]:
    """(address, names) per line of /etc/hosts, comments dropped."""
    entries = []
    for line in (fs.read(container, "/etc/hosts") or "").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2:
            entries.append((fields[0], fields[1:]))
    return entries


def hosts_lookup(container: Container, name: str) -> tuple[str, list[str]] | None:
    """(canonical name, addresses) of the /etc/hosts lines naming `name` (files in nsswitch)."""
    wanted = dns.canonical(name)
    canonical = None
    addresses: list[str] = []
    for address, names in hosts_entries(container):
        if wanted in (n.lower() for n in names):
            canonical = canonical or names[0]
            if address not in addresses:
                addresses.append(address)
    return (canonical, addresses) if canonical else None


def answers(container: Container, server: str) -> bool:
    """True if `server` is the cluster DNS and a CoreDNS pod is there to answer: its Service
    IP while a CoreDNS pod is ready behind it, or a ready CoreDNS pod itself."""
    records = container.dns
    if records.servers is not None:
        return records.serves(server)
    if server == container.nameserver:
        return True
    name = records.lookup_ptr(server) or ""
    return name.endswith(f".kube-dns.kube-system.svc.{records.zone}")


def getaddrinfo(
    container: Container, name: str, server: str | None = None
) -> tuple[str, list[str]] | None:
    """(canonical name, addresses) for `name`, or None; `server` overrides resolv.conf."""
    if dns.is_ip(name):
        return name, [name]
    local = hosts_lookup(container, name)
    if local:
        return local
    conf = resolv_conf(container)
    if not answers(container, server or conf.nameservers[0]):
        return None
    found = dns.resolve(container.dns, name, conf.search, conf.ndots)
    return (found[0], found[1]) if found else None


def getnameinfo(container: Container, address: str, server: str | None = None) -> str | None:
    """The name of `address` (/etc/hosts, then a PTR query), None if it has none."""
    for entry, names in hosts_entries(container):
        if entry == address:
            return names[0]
    conf = resolv_conf(container)
    if not answers(container, server or conf.nameservers[0]):
        return None
    return container.dns.lookup_ptr(address)
