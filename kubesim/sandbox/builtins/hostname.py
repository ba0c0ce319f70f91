"""hostname [-dfis]: busybox networking/hostname.c (GNU hostname prints the same here).

-f/-s/-d/-i resolve the hostname with gethostbyname, i.e. /etc/hosts first: the kubelet's
line `<podIP>\\t<hostname>.<subdomain>...\\t<hostname>` makes -f print the FQDN.
"""

from __future__ import annotations

from kubesim.sandbox import resolver
from kubesim.sandbox.proc import Proc

LONG = {"--fqdn": "f", "--long": "f", "--domain": "d", "--short": "s", "--ip-address": "i",
        "--all-ip-addresses": "I"}  # fmt: skip


def main(proc: Proc) -> int:
    flags = ""
    operands = []
    for arg in proc.args:
        if arg in LONG:
            flags += LONG[arg]
        elif arg.startswith("-") and len(arg) > 1:
            flags += arg[1:]
        else:
            operands.append(arg)
    name = proc.container.hostname
    gnu = proc.image.userland == "gnu"
    if "I" in flags and gnu:
        proc.out(" ".join(proc.container.pod_ips) + " \n")
        return 0
    if any(f in flags for f in "dfi"):
        found = resolver.getaddrinfo(proc.container, name)
        if found is None:
            proc.err(f"hostname: {name}: Name or service not known\n" if gnu
                     else f"hostname: bad address '{name}'\n")  # fmt: skip
            return 1
        canonical, addresses = found
        if "f" in flags:
            proc.out(canonical + "\n")
        elif "s" in flags:
            proc.out(canonical.split(".", 1)[0] + "\n")
        elif "d" in flags:
            domain = canonical.partition(".")[2]
            if domain or gnu:
                proc.out(domain + "\n")
        else:
            ipv4 = [a for a in addresses if ":" not in a]
            # busybox joins with spaces; GNU hostname ends each address with one (UNVERIFIED)
            proc.out(("".join(a + " " for a in ipv4) if gnu else " ".join(ipv4)) + "\n")
        return 0
    if "s" in flags:
        proc.out(name.split(".", 1)[0] + "\n")
        return 0
    if operands:
        # the container has no CAP_SYS_ADMIN: sethostname fails with EPERM
        proc.err("hostname: you must be root to change the host name\n" if gnu
                 else "hostname: sethostname: Operation not permitted\n")  # fmt: skip
        return 1
    proc.out(name + "\n")
    return 0
