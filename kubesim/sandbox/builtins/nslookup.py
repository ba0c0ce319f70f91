"""nslookup as busybox prints it: the libc-based applet up to 1.28, the DNS-packet one after.

1.28 (networking/nslookup.c @ 1_28_4): getaddrinfo with the search list, `%-10s %s` headers,
`Address N: ip[ reverse-name]`, the server block first, `can't resolve` on stderr, exit 1.
1.29+ (reference networking-dns.md §6.2-6.3): queries sent to the server as typed, with the
search list (1.31+) only for names without a dot; `** server can't find` per error reply.
"""

from __future__ import annotations

from kubesim.network import dns
from kubesim.sandbox import resolver
from kubesim.sandbox.proc import Proc

USAGE_1_28 = ("Usage: nslookup [HOST] [SERVER]\n\n"
              "Query the nameserver for the IP address of the given HOST\n"
              "optionally using a specified DNS server\n\n")  # fmt: skip


def main(proc: Proc) -> int:
    version = proc.image.busybox or (1, 28, 4)
    if version < (1, 29, 0):
        return legacy(proc)
    return modern(proc, version)


# --- busybox <= 1.28 -------------------------------------------------------------------------


def legacy(proc: Proc) -> int:
    args = proc.args
    if not args or args[0].startswith("-") or len(args) > 2:
        proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n{USAGE_1_28}")
        return 1
    server = resolver.resolv_conf(proc.container).nameservers[0]
    if len(args) == 2:
        found = resolver.getaddrinfo(proc.container, args[1])
        if found is None:
            proc.err(f"nslookup: bad address '{args[1]}'\n")
            return 1
        server = found[1][0]
    _print_host(proc, server, "Server:", server)
    proc.out("\n")
    return 0 if _print_host(proc, args[0], "Name:", server) else 1


def _print_host(proc: Proc, name: str, header: str, server: str) -> bool:
    found = resolver.getaddrinfo(proc.container, name, server)
    if found is None:
        proc.err(f"nslookup: can't resolve '{name}'\n")
        return False
    proc.out(f"{header:<10} {name}\n")
    for number, address in enumerate(found[1], 1):
        reverse = resolver.getnameinfo(proc.container, address, server)
        proc.out(f"Address {number}: {address}" + (f" {reverse}\n" if reverse else "\n"))
    return True


# --- busybox >= 1.29 -------------------------------------------------------------------------


def modern(proc: Proc, version: tuple[int, int, int]) -> int:
    args = [a for a in proc.args if not a.startswith("-")]
    types = [a.split("=", 1)[1].upper() for a in proc.args if a.startswith(("-type=", "-q="))]
    if not args or len(args) > 2:
        proc.err(
            f"{proc.image.busybox_banner()} multi-call binary.\n\nUsage: nslookup "
            "[-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
            "Query DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n"
        )
        return 1
    conf = resolver.resolv_conf(proc.container)
    server = args[1] if len(args) == 2 else conf.nameservers[0]
    if not resolver.answers(proc.container, server):
        proc.out(";; connection timed out; no servers could be reached\n\n")
        return 1
    proc.out(f"Server:\t\t{server}\nAddress:\t{server}:53\n\n")
    name = args[0]
    records = proc.container.dns
    if dns.is_ip(name):
        reverse = dns.reverse_name(name)
        target = records.lookup_ptr(name)
        if target is None:
            proc.out(f"** server can't find {reverse}: NXDOMAIN\n\n")
            return 1
        proc.out(f"{reverse}\tname = {target}\n\n")
        return 0
    queries = [name]
    if version >= (1, 31, 0) and "." not in name and conf.search:
        queries = [f"{name}.{suffix}" for suffix in conf.search]
    failed = False
    for qtype in types or ["A", "AAAA"]:
        for query in queries:
            failed = _reply(proc, query, qtype, version) or failed
    return 1 if failed and version >= (1, 31, 0) else 0


def _reply(proc: Proc, query: str, qtype: str, version: tuple[int, int, int]) -> bool:
    """Print one reply; True if it carried an error rcode."""
    records = proc.container.dns
    fqdn = dns.canonical(query)
    exists = records.in_zone(fqdn) and (records.lookup_a(fqdn) or records.lookup_cname(fqdn))
    if not exists:
        proc.out(f"** server can't find {query}: NXDOMAIN\n\n")
        return True
    target = records.lookup_cname(fqdn)
    if target is not None:
        proc.out(f"{query}\tcanonical name = {target}\n")
        addresses = dns.answer(records, target) if qtype == "A" else []
        proc.out("".join(f"Name:\t{target}\nAddress: {ip}\n" for ip in addresses) + "\n")
        return False
    addresses = records.lookup_a(fqdn) if qtype == "A" else []
    if not addresses:
        if (1, 33, 0) <= version < (1, 36, 0) or version < (1, 31, 0):
            proc.out(f"*** Can't find {query}: No answer\n")
        proc.out("\n")
        return False
    proc.out("".join(f"Name:\t{query}\nAddress: {ip}\n" for ip in addresses) + "\n")
    return False
