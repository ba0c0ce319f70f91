"""Servers kubesim runs as black boxes: kind's own components.

kind's components (CoreDNS, kube-proxy, kindnetd, the control plane's static pods, the
local-path provisioner) start, write their first log lines, answer their health endpoints and
run until stopped. (An image kubesim knows nothing of is kubesim.sandbox.images' concern.)

Log lines are the programs' own: klog's header (`I0214 10:00:00.000000       1 main.go:109] `)
before each message of kindnetd's main.go (kind v0.27), kube-proxy's server_linux.go and
server.go; CoreDNS prints its server blocks, the reload plugin's digest of the parsed
Corefile, then its version.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.sandbox.container import Container, HttpResponse

Object = dict[str, Any]
LogEntry = list[Any]  # [time, stream, text]


@dataclass(frozen=True)
class Daemon:
    """A program kubesim knows from outside: what it answers, and what it logs at start."""

    # port -> path -> (status, body)
    endpoints: Mapping[int, Mapping[str, tuple[int, str]]] = field(default_factory=dict)
    logs: Callable[[Any, Object, Object, float], list[LogEntry]] | None = None


def klog(now: float, offset: float, location: str, message: str, level: str = "I") -> str:
    """One klog line: `I0214 10:00:00.000000       1 main.go:109] message`."""
    stamp = now + offset
    parts = time.gmtime(stamp)
    micros = int(round((stamp - int(stamp)) * 1_000_000))
    header = time.strftime("%m%d %H:%M:%S", parts)
    text = message if message.endswith("\n") else message + "\n"
    return f"{level}{header}.{micros:06d}       1 {location}] {text}"


# --- CoreDNS ------------------------------------------------------------------------------------


def corefile_digest(corefile: str) -> str:
    """The reload plugin's `Running configuration SHA512`: the digest of the JSON of the
    parsed server blocks (caddyfile.Parse with an empty path, then json.Marshal)."""
    tokens: list[tuple[int, str]] = [
        (number, word)
        for number, line in enumerate(corefile.split("\n"), 1)
        for word in line.split("#", 1)[0].split()
    ]
    blocks: list[Object] = []
    i = 0
    while i < len(tokens):
        keys: list[str] = []
        while i < len(tokens) and tokens[i][1] != "{":
            keys.append(tokens[i][1])
            i += 1
        i += 1
        directives: dict[str, list[Object]] = {}
        while i < len(tokens) and tokens[i][1] != "}":
            name = tokens[i][1]
            collected = directives.setdefault(name, [])
            collected.append(_token(tokens[i]))
            i += 1
            nesting = 0
            while i < len(tokens):
                line, word = tokens[i]
                if word == "{":
                    nesting += 1
                elif line != tokens[i - 1][0] and nesting == 0:
                    break
                elif word == "}":
                    if nesting == 0:
                        break
                    nesting -= 1
                collected.append(_token(tokens[i]))
                i += 1
        i += 1
        blocks.append({"Keys": keys, "Tokens": dict(sorted(directives.items()))})
    raw = json.dumps(blocks, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha512(raw.encode()).hexdigest()


def _token(token: tuple[int, str]) -> Object:
    return {"File": "", "Line": token[0], "Text": token[1]}


def _coredns_logs(view: Any, pod: Object, spec: Object, now: float) -> list[LogEntry]:
    corefile = _mounted_file(view, pod, spec, _conf_path(spec)) or ""
    keys = [line.split("{", 1)[0].strip() for line in corefile.splitlines() if "{" in line][:1]
    lines = [f"{key}\n" for key in keys or [".:53"]]
    lines += [
        f"[INFO] plugin/reload: Running configuration SHA512 = {corefile_digest(corefile)}\n",
        "CoreDNS-1.11.3\n",
        "linux/amd64, go1.21.11, a6338e9\n",
    ]
    return [[now, "stdout", line] for line in lines]


def _conf_path(spec: Object) -> str:
    args = [*(spec.get("command") or []), *(spec.get("args") or [])]
    for i, arg in enumerate(args):
        if arg == "-conf" and i + 1 < len(args):
            return str(args[i + 1])
    return "/etc/coredns/Corefile"


def _mounted_file(view: Any, pod: Object, spec: Object, path: str) -> str | None:
    """A file of a ConfigMap volume the container mounts."""
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    for mount in spec.get("volumeMounts") or []:
        point = str(mount.get("mountPath", "")).rstrip("/")
        if not path.startswith(point + "/"):
            continue
        source = (volumes.get(mount.get("name")) or {}).get("configMap") or {}
        cm = view.get("configmaps", pod["metadata"]["namespace"], source.get("name", ""))
        if cm is None:
            return None
        relative = path[len(point) + 1 :]
        items = source.get("items") or []
        key = next((i.get("key") for i in items if i.get("path") == relative), None)
        data = cm.get("data") or {}
        return data.get(key if items else relative)
    return None


# --- kube-proxy and kindnetd --------------------------------------------------------------------


def _node_ip(pod: Object) -> str:
    return str((pod.get("status") or {}).get("hostIP") or "")


def _kube_proxy_logs(view: Any, pod: Object, spec: Object, now: float) -> list[LogEntry]:
    ip = _node_ip(pod)
    messages = [
        ("server_linux.go:66", '"Using iptables proxy"', "I"),
        ("server.go:677", f'"Successfully retrieved node IP(s)" IPs=["{ip}"]', "I"),
        (
            "conntrack.go:121",
            '"Set sysctl" entry="net/netfilter/nf_conntrack_tcp_timeout_established" value=86400',
            "I",
        ),
        (
            "conntrack.go:121",
            '"Set sysctl" entry="net/netfilter/nf_conntrack_tcp_timeout_close_wait" value=3600',
            "I",
        ),
        (
            "server.go:234",
            '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses '
            "is unset; NodePort connections will be accepted on all local IPs. Consider using "
            '`--nodeport-addresses primary`"',
            "E",
        ),
        ("server.go:243", '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"', "I"),
        ("server_linux.go:169", '"Using iptables Proxier"', "I"),
    ]
    return [
        [now, "stderr", klog(now, 0.1 + i * 0.001, where, text, level)]
        for i, (where, text, level) in enumerate(messages)
    ]


def _kindnet_logs(view: Any, pod: Object, spec: Object, now: float) -> list[LogEntry]:
    """main.go of kindnetd: connected, its addresses, the masquerade subnets, then the first
    pass over the nodes (routes to the others' pod CIDRs)."""
    ip = _node_ip(pod)
    env = {e.get("name"): e.get("value") for e in spec.get("env") or []}
    subnet = env.get("POD_SUBNET") or "10.244.0.0/16"
    messages = [
        ("main.go:109", "connected to apiserver: https://10.96.0.1:443"),
        ("main.go:139", f"hostIP = {ip}\npodIP = {ip}\n"),
        ("main.go:148", "setting mtu 1500 for CNI \n"),
        ("main.go:178", 'kindnetd IP family: "ipv4"'),
        ("main.go:182", f"noMask IPv4 subnets: [{subnet}]"),
    ]
    for node in sorted(view.list("nodes"), key=lambda n: n["metadata"]["name"]):
        addresses = [
            a.get("address")
            for a in (node.get("status") or {}).get("addresses") or []
            if a.get("type") == "InternalIP"
        ]
        listed = " ".join(f"{a}:{{}}" for a in addresses)
        messages.append(("main.go:297", f"Handling node with IPs: map[{listed}]\n"))
        if ip in addresses:
            messages.append(("main.go:301", "handling current node\n"))
        elif node["spec"].get("podCIDR"):
            name, cidr = node["metadata"]["name"], node["spec"]["podCIDR"]
            messages.append(("main.go:324", f"Node {name} has CIDR [{cidr}] \n"))
    return [
        [now, "stderr", klog(now, 0.2 + i * 0.001, where, text)]
        for i, (where, text) in enumerate(messages)
    ]


_OK = {"/healthz": (200, "ok"), "/livez": (200, "ok"), "/readyz": (200, "ok")}

DAEMONS: Mapping[str, Daemon] = {
    "coredns": Daemon(
        endpoints={8080: {"/health": (200, "OK")}, 8181: {"/ready": (200, "OK")}},
        logs=_coredns_logs,
    ),
    "kube-proxy": Daemon(endpoints={10256: _OK}, logs=_kube_proxy_logs),
    "kindnetd": Daemon(logs=_kindnet_logs),
    "etcd": Daemon(endpoints={2381: {"/livez": (200, "ok"), "/readyz": (200, "ok")}}),
    "kube-apiserver": Daemon(endpoints={6443: _OK}),
    "kube-controller-manager": Daemon(endpoints={10257: _OK}),
    "kube-scheduler": Daemon(endpoints={10259: _OK}),
    "local-path-provisioner": Daemon(),
}


def daemon_for(image: str) -> Daemon | None:
    """The known daemon an image runs (by its repository's last path component)."""
    repository = image.split("@", 1)[0].rsplit("/", 1)[-1].partition(":")[0]
    return DAEMONS.get(repository)


def start_logs(view: Any, pod: Object, spec: Object, now: float) -> list[LogEntry]:
    daemon = daemon_for(str(spec.get("image", "")))
    if daemon is None or daemon.logs is None:
        return []
    return daemon.logs(view, pod, spec, now)


def serve(container: Container, port: int, method: str, path: str) -> HttpResponse | None:
    """What a known daemon answers on `port`, None if it does not listen there."""
    daemon = daemon_for(container.image)
    if daemon is None or port not in daemon.endpoints:
        return None
    status, body = daemon.endpoints[port].get(path.split("?", 1)[0], (404, "404 page not found"))
    reason = "OK" if status == 200 else "Not Found"
    return HttpResponse(status, "" if method == "HEAD" else body + "\n", reason)


def steady_probe(pod: Object, spec: Object, probe: Object) -> bool:
    """A probe a known daemon always passes: checking it again changes nothing."""
    daemon = daemon_for(str(spec.get("image", "")))
    if daemon is None:
        return False
    action = probe.get("httpGet")
    if not action:
        return "tcpSocket" not in probe and "exec" not in probe
    port = action.get("port")
    for p in spec.get("ports") or []:
        if p.get("name") == port:
            port = p.get("containerPort")
    path = str(action.get("path") or "/").split("?", 1)[0]
    served = daemon.endpoints.get(int(port)) if str(port).isdigit() else None
    return served is not None and (served.get(path) or (0, ""))[0] == 200
