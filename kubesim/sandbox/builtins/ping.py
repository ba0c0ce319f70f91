"""ping, the busybox applet (networking/ping.c): `PING host (ip): 56 data bytes`, a line per
reply, then the statistics. Time does not pass in an exec session, so the replies come at once;
without -c, ping stops after four, as if interrupted."""

from __future__ import annotations

from kubesim.api import meta
from kubesim.sandbox import resolver
from kubesim.sandbox.proc import Proc

UNBOUNDED_REPLIES = 4
DATA_BYTES = 56


def main(proc: Proc) -> int:
    count, host = _arguments(proc.args)
    if host is None:
        proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n"
                 "Usage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n")  # fmt: skip
        return 1
    found = resolver.getaddrinfo(proc.container, host)
    if found is None:
        proc.err(f"ping: bad address '{host}'\n")
        return 1
    ip = found[1][0]
    proc.out(f"PING {host} ({ip}): {DATA_BYTES} data bytes\n")
    hops = proc.container.hops(ip) if proc.container.hops is not None else None
    sent = count if count is not None else UNBOUNDED_REPLIES
    times: list[int] = []  # microseconds
    if hops is not None:
        rng = meta.rng_for(0, "ping", ip, proc.container.now)
        for seq in range(sent):
            micros = rng.randint(40, 120) * (hops + 1)
            times.append(micros)
            proc.out(
                f"{DATA_BYTES + 8} bytes from {ip}: seq={seq} ttl={64 - hops} "
                f"time={micros // 1000}.{micros % 1000:03d} ms\n"
            )
    received = len(times)
    loss = (sent - received) * 100 // sent if sent else 0
    proc.out(
        f"\n--- {host} ping statistics ---\n"
        f"{sent} packets transmitted, {received} packets received, {loss}% packet loss\n"
    )
    if times:
        low, high, avg = min(times), max(times), sum(times) // len(times)
        proc.out(
            "round-trip min/avg/max = "
            + "/".join(f"{t // 1000}.{t % 1000:03d}" for t in (low, avg, high))
            + " ms\n"
        )
    return 0 if received else 1


def _arguments(args: list[str]) -> tuple[int | None, str | None]:
    """(-c count, host); other options (-W, -w, -s, -q...) are accepted and ignored."""
    count: int | None = None
    host: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-c" and i + 1 < len(args) and args[i + 1].isdigit():
            count, i = int(args[i + 1]), i + 2
            continue
        if arg.startswith("-c") and arg[2:].isdigit():
            count = int(arg[2:])
        elif arg in ("-W", "-w", "-s", "-t", "-I", "-i") and i + 1 < len(args):
            i += 1
        elif not arg.startswith("-"):
            host = arg
        i += 1
    return count, host


def iputils(proc: Proc) -> int:
    """ping from iputils (Debian's iputils-ping, Alpine's iputils): `PING name (ip) 56(84) bytes
    of data.`, `icmp_seq` from 1, the rtt statistics with mdev."""
    import math

    count, host = _arguments(proc.args)
    if host is None:
        proc.err("ping: usage error: Destination address required\n")
        return 1
    found = resolver.getaddrinfo(proc.container, host)
    if found is None:
        proc.err(f"ping: {host}: Name or service not known\n")
        return 2
    ip = found[1][0]
    numeric = host == ip
    name = ip if numeric else found[0] or host
    proc.out(f"PING {name} ({ip}) {DATA_BYTES}({DATA_BYTES + 28}) bytes of data.\n")
    hops = proc.container.hops(ip) if proc.container.hops is not None else None
    sent = count if count is not None else UNBOUNDED_REPLIES
    times: list[int] = []  # microseconds
    source = ip if numeric else f"{resolver.getnameinfo(proc.container, ip) or name} ({ip})"
    if hops is not None:
        rng = meta.rng_for(0, "ping", ip, proc.container.now)
        for seq in range(1, sent + 1):
            micros = rng.randint(40, 120) * (hops + 1)
            times.append(micros)
            proc.out(f"{DATA_BYTES + 8} bytes from {source}: icmp_seq={seq} ttl={64 - hops} "
                     f"time={micros / 1000:.3f} ms\n")  # fmt: skip
    received = len(times)
    loss = (sent - received) * 100 // sent if sent else 0
    elapsed = (sent - 1) * 1000 + 15 if sent > 1 else 0
    proc.out(
        f"\n--- {name} ping statistics ---\n"
        f"{sent} packets transmitted, {received} received, {loss}% packet loss, time {elapsed}ms\n"
    )
    if times:
        mean = sum(times) / len(times)
        deviation = math.sqrt(max(0.0, sum(t * t for t in times) / len(times) - mean * mean))
        proc.out(
            "rtt min/avg/max/mdev = "
            + "/".join(f"{t / 1000:.3f}" for t in (min(times), mean, max(times), deviation))
            + " ms\n"
        )
    else:
        proc.out("\n")
    return 0 if received else 1
