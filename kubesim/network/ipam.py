"""Pod IP allocation per node, as the host-local IPAM plugin does it.

Each node owns a /24 of the pod network (10.244.<n>.0/24). Addresses are handed out in turn,
starting after the last one reserved on that node, so a pod created again usually gets a new IP.
The first address of the range is the node's bridge gateway and is never given to a pod.
"""

from __future__ import annotations

from collections.abc import Collection

from kubesim.api.ipallocator import int_to_ip, ip_to_int


def next_pod_ip(cidr: str, used: Collection[str], last: str | None) -> str | None:
    """The next free address after `last` in `cidr` (skipping network, gateway, broadcast)."""
    address, _, bits = cidr.partition("/")
    base, size = ip_to_int(address), 1 << (32 - int(bits))
    first, end = base + 2, base + size - 1  # .0 network, .1 gateway, last = broadcast
    start = first
    if last:
        value = ip_to_int(last)
        if first <= value < end:
            start = value + 1
    prefix = int_to_ip(base).rsplit(".", 1)[0] if size <= 256 else ""
    taken = {ip_to_int(ip) for ip in used if not prefix or ip.startswith(prefix)}
    span = end - first
    for i in range(span):
        candidate = first + (start - first + i) % span
        if candidate not in taken:
            return int_to_ip(candidate)
    return None
