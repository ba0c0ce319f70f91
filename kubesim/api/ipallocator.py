"""ClusterIP allocation for Services, as the apiserver's ipallocator does it.

The service range is kubeadm's default, 10.96.0.0/12. Dynamic allocation avoids the lower band
of the range (the first 256 addresses, KEP-3070) so that well-known static IPs such as
10.96.0.10 stay free for those who ask for them.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

SERVICE_RANGE_START = (10 << 24) | (96 << 16)  # 10.96.0.0
SERVICE_RANGE_SIZE = 1 << 20  # a /12
STATIC_BAND = 256


def ip_to_int(ip: str) -> int:
    a, b, c, d = (int(p) for p in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def int_to_ip(value: int) -> str:
    return ".".join(str((value >> shift) & 0xFF) for shift in (24, 16, 8, 0))


def in_service_range(ip: str) -> bool:
    offset = ip_to_int(ip) - SERVICE_RANGE_START
    return 0 < offset < SERVICE_RANGE_SIZE - 1


def allocate(used: Iterable[str], rng: random.Random) -> str:
    """A free IP from the upper band of the service range."""
    taken = set(used)
    while True:
        offset = rng.randrange(STATIC_BAND, SERVICE_RANGE_SIZE - 1)
        ip = int_to_ip(SERVICE_RANGE_START + offset)
        if ip not in taken:
            return ip
