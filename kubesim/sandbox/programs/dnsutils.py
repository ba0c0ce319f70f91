"""BIND 9's nslookup, host and dig (Debian's dnsutils, Alpine's bind-tools) against the
cluster DNS, in the formats bind9 prints: `Address:\t10.96.0.10#53`, dig's sections with
its tab columns (dns_master style: TTL at 24, class at 32, type at 40, data at 48).

The server CoreDNS is authoritative for the cluster zone (flags `qr aa rd`, TTL 30 as kind's
Corefile sets it) and does not recurse for dig's `rd`. Only A and PTR queries are simulated.
UNVERIFIED: the DiG banner's version string of the jessie-dnsutils image.
"""

from __future__ import annotations

import hashlib
import time

from kubesim.network import dns
from kubesim.sandbox import resolver
from kubesim.sandbox.proc import Proc
from kubesim.sandbox.programs import Program
from kubesim.sandbox.programs.common import now

TTL = 30
DIG_VERSION = {"jessie-dnsutils": "9.9.5-9+deb8u19-Debian", "agnhost": "9.18.32"}


def _lookup(proc: Proc, name: str) -> tuple[str, list[str]] | None:
    """(the absolute name that answered, its addresses) through the search list."""
    conf = resolver.resolv_conf(proc.container)
    return dns.resolve(proc.container.dns, name, conf.search, conf.ndots)


def nslookup(proc: Proc) -> int:
    args = [a for a in proc.args if not a.startswith("-")]
    if not args:
        proc.stdin.read()  # interactive mode, reading queries from stdin: not simulated
        return 0
    conf = resolver.resolv_conf(proc.container)
    server = args[1] if len(args) > 1 else conf.nameservers[0]
    if not resolver.answers(proc.container, server):
        proc.out(";; connection timed out; no servers could be reached\n\n")
        return 1
    proc.out(f"Server:\t\t{server}\nAddress:\t{server}#53\n\n")
    name = args[0]
    if dns.is_ip(name):
        target = proc.container.dns.lookup_ptr(name)
        if target is None:
            proc.out(f"** server can't find {dns.reverse_name(name)}: NXDOMAIN\n\n")
            return 1
        proc.out(f"{dns.reverse_name(name)}\tname = {target}.\n\n")
        return 0
    found = _lookup(proc, name)
    if found is None:
        proc.out(f"** server can't find {name}: NXDOMAIN\n\n")
        return 1
    fqdn, addresses = found
    proc.out("".join(f"Name:\t{fqdn}\nAddress: {ip}\n" for ip in addresses) + "\n")
    return 0


def host(proc: Proc) -> int:
    args = [a for a in proc.args if not a.startswith("-")]
    if not args:
        proc.err("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n"
                 "            [-R number] [-m flag] [-p port] hostname [server]\n")  # fmt: skip
        return 1
    name = args[0]
    if dns.is_ip(name):
        target = proc.container.dns.lookup_ptr(name)
        if target is None:
            proc.out(f"Host {dns.reverse_name(name)} not found: 3(NXDOMAIN)\n")
            return 1
        proc.out(f"{dns.reverse_name(name)} domain name pointer {target}.\n")
        return 0
    found = _lookup(proc, name)
    if found is None:
        proc.out(f"Host {name} not found: 3(NXDOMAIN)\n")
        return 1
    fqdn, addresses = found
    proc.out("".join(f"{fqdn} has address {ip}\n" for ip in addresses))
    return 0


def dig(proc: Proc) -> int:
    conf = resolver.resolv_conf(proc.container)
    server, short, reverse, names = conf.nameservers[0], False, False, []
    for arg in proc.args:
        if arg.startswith("@"):
            server = arg[1:]
        elif arg == "+short":
            short = True
        elif arg == "-x":
            reverse = True
        elif not arg.startswith(("+", "-")) and arg.upper() not in ("A", "IN"):
            names.append(arg)
    name = names[0] if names else "."
    question = dns.reverse_name(name) if reverse else dns.canonical(name)
    qtype = "PTR" if reverse else "A"
    if not resolver.answers(proc.container, server):
        proc.out(
            f"\n; <<>> DiG {_version(proc)} <<>> {' '.join(proc.args)}\n"
            ";; global options: +cmd\n;; connection timed out; no servers could be reached\n"
        )
        return 9
    records = proc.container.dns
    if reverse:
        target = records.lookup_ptr(name)
        answers = [f"{target}."] if target else []
    else:
        answers = records.lookup_a(question) if records.in_zone(question) else []
    if short:
        proc.out("".join(a + "\n" for a in answers))
        return 0
    exists = bool(answers) or (not reverse and records.in_zone(question) and (
        records.lookup_cname(question) is not None))  # fmt: skip
    status = "NOERROR" if exists else "NXDOMAIN"
    ident = int(hashlib.sha256(f"{question}/{now(proc)}".encode()).hexdigest()[:4], 16)
    out = [
        "",
        f"; <<>> DiG {_version(proc)} <<>> {' '.join(proc.args)}",
        ";; global options: +cmd",
        ";; Got answer:",
        f";; ->>HEADER<<- opcode: QUERY, status: {status}, id: {ident}",
        f";; flags: qr aa rd; QUERY: 1, ANSWER: {len(answers)}, AUTHORITY: "
        f"{0 if answers else 1}, ADDITIONAL: 1",
        ";; WARNING: recursion requested but not available",
        "",
        ";; OPT PSEUDOSECTION:",
        "; EDNS: version: 0, flags:; udp: 4096",
        ";; QUESTION SECTION:",
        _columns([f";{question}.", "IN", qtype], (24, 32)),
        "",
    ]
    if answers:
        out.append(";; ANSWER SECTION:")
        out += [_columns([f"{question}.", str(TTL), "IN", qtype, a], (24, 32, 40, 48))
                for a in answers]  # fmt: skip
        out.append("")
    else:
        out.append(";; AUTHORITY SECTION:")
        soa = "ns.dns.cluster.local. hostmaster.cluster.local. 1 7200 1800 86400 30"
        out.append(_columns([f"{records.zone}.", str(TTL), "IN", "SOA", soa], (24, 32, 40, 48)))
        out.append("")
    size = _message_size(question, qtype, answers)
    stamp = time.strftime("%a %b %d %H:%M:%S UTC %Y", time.gmtime(now(proc)))
    out += [";; Query time: 0 msec", f";; SERVER: {server}#53({server})", f";; WHEN: {stamp}",
            f";; MSG SIZE  rcvd: {size}", "", ""]  # fmt: skip
    proc.out("\n".join(out))
    return 0


def _version(proc: Proc) -> str:
    return DIG_VERSION.get(proc.image.name, DIG_VERSION["jessie-dnsutils"])


def _columns(fields: list[str], stops: tuple[int, ...]) -> str:
    """Fields at bind's tab stops: tabs up to the column, a space when already past it."""
    line = fields[0]
    for text, stop in zip(fields[1:], stops, strict=False):
        if len(line.expandtabs(8)) >= stop:
            line += " "
        while len(line.expandtabs(8)) < stop:
            line += "\t"
        line += text
    return line


def _wire_length(name: str) -> int:
    return sum(len(label) + 1 for label in name.split(".") if label) + 1


def _message_size(question: str, qtype: str, answers: list[str]) -> int:
    """The reply's size: header, question, answers (name compressed to a pointer), the
    authority SOA when there is no answer, and the OPT record."""
    size = 12 + _wire_length(question) + 4
    for answer in answers:
        rdata = 4 if qtype == "A" else _wire_length(answer.rstrip("."))
        size += 2 + 10 + rdata
    if not answers:
        size += 2 + 10 + _wire_length("ns.dns.cluster.local") + _wire_length(
            "hostmaster.cluster.local") + 20  # fmt: skip
    return size + 11


PROGRAMS = {
    "bind-nslookup": Program(nslookup),
    "host": Program(host),
    "dig": Program(dig),
}
