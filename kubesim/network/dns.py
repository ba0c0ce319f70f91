"""The cluster DNS: the records CoreDNS's kubernetes plugin serves, and a libc-style resolver.

Schema: kubernetes/dns docs/specification.md (1.0.1). Names follow coredns
plugin/kubernetes as kubeadm configures it: `pods insecure`, endpoint names from the
endpoint's hostname or its dashed IP, reverse records for ClusterIPs and endpoints.
Pure: Service, Endpoints and Pod objects in, a RecordSet out. Names outside the zone
are forwarded upstream by a real cluster; kubesim has no internet, so they are NXDOMAIN.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Object = dict[str, Any]
PodsMode = Literal["insecure", "verified", "disabled"]

# glibc's resolver gives up after this many CNAME hops; CoreDNS chases at most 8 too
MAX_CNAME_HOPS = 8


@dataclass(frozen=True)
class RecordSet:
    """The answers of one cluster zone. Names are stored lower-case without trailing dot."""

    zone: str = "cluster.local"
    a: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cname: Mapping[str, str] = field(default_factory=dict)
    ptr: Mapping[str, str] = field(default_factory=dict)
    pods_mode: PodsMode = "insecure"
    pod_ips: frozenset[tuple[str, str]] = frozenset()  # (namespace, ip), for `pods verified`
    # the addresses where a DNS server answers: the cluster DNS Service while it has a ready
    # CoreDNS endpoint, and each ready CoreDNS pod; None when not known (every one answers)
    servers: frozenset[str] | None = None

    def serves(self, address: str) -> bool:
        """Whether a query sent to `address` gets an answer."""
        return self.servers is None or address.strip() in self.servers

    def in_zone(self, name: str) -> bool:
        """True if absolute `name` is in the cluster zone (the server is authoritative there)."""
        fqdn = canonical(name)
        return fqdn == self.zone or fqdn.endswith("." + self.zone)

    def lookup_a(self, fqdn: str) -> list[str]:
        """The A records of an absolute name, [] for NXDOMAIN (or a name that is only a CNAME)."""
        name = canonical(fqdn)
        if name in self.a:
            return list(self.a[name])
        pod_ip = self._pod_record(name)
        return [pod_ip] if pod_ip else []

    def lookup_cname(self, fqdn: str) -> str | None:
        """The CNAME target of an ExternalName service name, else None."""
        return self.cname.get(canonical(fqdn))

    def lookup_ptr(self, ip: str) -> str | None:
        """The name a reverse query for `ip` returns, else None (NXDOMAIN)."""
        return self.ptr.get(ip.strip())

    def _pod_record(self, name: str) -> str | None:
        # <a-b-c-d>.<ns>.pod.<zone>: deprecated but still served (specification §2.5)
        if self.pods_mode == "disabled" or not name.endswith(".pod." + self.zone):
            return None
        labels = name[: -len(".pod." + self.zone)].split(".")
        if len(labels) != 2:
            return None
        dashed, namespace = labels
        ip = dashed.replace("-", ".")
        if not is_ipv4(ip) or dashed.count("-") != 3:
            return None
        if self.pods_mode == "verified" and (namespace, ip) not in self.pod_ips:
            return None
        return ip


def canonical(name: str) -> str:
    """A DNS name as compared: lower-case, without the trailing root dot."""
    return name.strip().lower().rstrip(".")


def is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def is_ip(text: str) -> bool:
    """True for an IPv4 or IPv6 literal (what getaddrinfo resolves numerically)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def dashed(ip: str) -> str:
    """10.244.1.5 -> 10-244-1-5, the label CoreDNS gives an endpoint without hostname."""
    return ip.replace(".", "-").replace(":", "-")


def reverse_name(ip: str) -> str:
    """10.96.0.1 -> 1.0.96.10.in-addr.arpa (the PTR query name)."""
    return ipaddress.ip_address(ip).reverse_pointer


def build_records(
    services: Iterable[Object],
    endpoints: Iterable[Object],
    pods: Iterable[Object],
    zone: str = "cluster.local",
    *,
    pods_mode: PodsMode = "insecure",
) -> RecordSet:
    """The record set CoreDNS would serve for these objects."""
    zone = canonical(zone)
    a: dict[str, list[str]] = {}
    cname: dict[str, str] = {}
    ptr: dict[str, str] = {}
    by_key: dict[tuple[str, str], Object] = {}
    endpoints = list(endpoints)
    endpoints_by_key = {
        (ep["metadata"].get("namespace", "default"), ep["metadata"]["name"]): ep for ep in endpoints
    }
    for svc in services:
        m, spec = svc["metadata"], svc.get("spec") or {}
        namespace = m.get("namespace", "default")
        fqdn = canonical(f"{m['name']}.{namespace}.svc.{zone}")
        by_key[(namespace, m["name"])] = svc
        if spec.get("type") == "ExternalName":
            if spec.get("externalName"):
                cname[fqdn] = canonical(spec["externalName"])
            continue
        for ip in _cluster_ips(spec):
            _add(a, fqdn, ip)
            # serviceRecordForIP looks at Services before Endpoints
            ptr.setdefault(ip, fqdn)
    for ep in endpoints:
        m = ep["metadata"]
        namespace = m.get("namespace", "default")
        owner = by_key.get((namespace, m["name"]))
        if owner is None or (owner.get("spec") or {}).get("type") == "ExternalName":
            continue
        fqdn = canonical(f"{m['name']}.{namespace}.svc.{zone}")
        headless = not _cluster_ips(owner.get("spec") or {})
        for address in published_addresses(owner, ep):
            ip = address["ip"]
            if headless:
                _add(a, fqdn, ip)
            endpoint_name = f"{canonical(address.get('hostname') or dashed(ip))}.{fqdn}"
            _add(a, endpoint_name, ip)
            ptr.setdefault(ip, endpoint_name)
    pod_ips = frozenset(
        (p["metadata"].get("namespace", "default"), p["status"]["podIP"])
        for p in pods
        if (p.get("status") or {}).get("podIP")
    )
    return RecordSet(
        zone=zone,
        a={name: tuple(ips) for name, ips in a.items()},
        cname=cname,
        ptr=ptr,
        pods_mode=pods_mode,
        pod_ips=pod_ips,
        servers=dns_servers(by_key.get(DNS_SERVICE), endpoints_by_key.get(DNS_SERVICE)),
    )


DNS_SERVICE = ("kube-system", "kube-dns")


def dns_servers(svc: Object | None, ep: Object | None) -> frozenset[str]:
    """Where DNS answers: each ready endpoint of the cluster DNS Service on port 53, and the
    Service's ClusterIP while it has one (kube-proxy sends a query nowhere without)."""
    if svc is None or ep is None:
        return frozenset()
    ready = {
        address["ip"]
        for subset in ep.get("subsets") or []
        if not subset.get("ports") or any(p.get("port") == 53 for p in subset["ports"])
        for address in subset.get("addresses") or []
    }
    if not ready:
        return frozenset()
    return frozenset(ready | set(_cluster_ips(svc.get("spec") or {})))


def published_addresses(svc: Object, ep: Object) -> list[Object]:
    """Endpoint addresses DNS publishes, in object order: ready ones, all with publishNotReady."""
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    result: list[Object] = []
    for subset in ep.get("subsets") or []:
        result += subset.get("addresses") or []
        if publish:
            result += subset.get("notReadyAddresses") or []
    return result


def _cluster_ips(spec: Mapping[str, Any]) -> list[str]:
    ips = list(spec.get("clusterIPs") or [])
    if spec.get("clusterIP") and spec["clusterIP"] not in ips:
        ips.insert(0, spec["clusterIP"])
    return [ip for ip in ips if ip and ip != "None"]


def _add(table: dict[str, list[str]], name: str, ip: str) -> None:
    ips = table.setdefault(name, [])
    if ip not in ips:
        ips.append(ip)


# --- resolution ------------------------------------------------------------------------------


def search_candidates(name: str, search: Iterable[str], ndots: int) -> list[str]:
    """The absolute names libc tries for `name`, in order (res_search with `ndots`)."""
    if name.endswith("."):
        return [name[:-1]]
    qualified = [f"{name}.{suffix.rstrip('.')}" for suffix in search if suffix]
    if name.count(".") >= ndots:
        return [name, *qualified]
    return [*qualified, name]


def answer(records: RecordSet, fqdn: str) -> list[str]:
    """The A records for an absolute name after following CNAMEs; [] when there are none."""
    name = fqdn
    for _ in range(MAX_CNAME_HOPS):
        if not records.in_zone(name):
            return []  # forwarded upstream: no internet in the simulation
        ips = records.lookup_a(name)
        if ips:
            return ips
        target = records.lookup_cname(name)
        if target is None:
            return []
        name = target
    return []


def resolve(
    records: RecordSet, name: str, search: list[str], ndots: int
) -> tuple[str, list[str]] | None:
    """(the absolute name that answered, its IPs) as getaddrinfo finds them, or None."""
    if is_ip(name):
        return name, [name]
    for candidate in search_candidates(name, search, ndots):
        ips = answer(records, candidate)
        if ips:
            return candidate, ips
    return None
