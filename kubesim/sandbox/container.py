"""A container as the sandbox sees it: plain data from the caller, plus the kubelet's files.

The kubelet and the runtime bind-mount three generated files into every container:
/etc/hosts (kubelet_pods.go managedHostsFileContent), /etc/resolv.conf (kubelet
network/dns/dns.go, written by containerd in the order search, nameserver, options) and
/etc/hostname. They are rendered here, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubesim.network.dns import RecordSet
from kubesim.sandbox.limits import Limits


@dataclass(frozen=True)
class HttpResponse:
    """What a server behind a Service answered (the seam for service routing in wget/curl).
    Status 0 is a server that does not speak HTTP: `body` is the first line it sent back."""

    status: int
    body: str
    reason: str = "OK"
    headers: tuple[tuple[str, str], ...] = ()


# (destination IP, port, method, path, request headers) -> the response, or None when the
# connection is refused
HttpHandler = Callable[..., HttpResponse | None]
Headers = tuple[tuple[str, str], ...]


class StillRunning(Exception):
    """Raised when a process outlives the time it was given: it keeps running."""


@dataclass
class ProcessClock:
    """The simulated time a process has used (its sleeps), and the horizon past which it is
    considered to run on; `max_steps` stops a loop that never sleeps."""

    horizon: float = float("inf")
    elapsed: float = 0.0
    steps: int = 0
    max_steps: int = 200_000

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise StillRunning()

    def sleep(self, seconds: float) -> None:
        self.elapsed += seconds
        if self.elapsed > self.horizon:
            raise StillRunning()


@dataclass
class Container:
    """One container of a pod, as `kubectl exec` reaches it. `files` is mutated by commands."""

    pod: dict[str, Any]
    name: str
    image: str
    hostname: str
    domain: str | None
    env: dict[str, str]
    files: dict[str, str]
    dns: RecordSet
    nameserver: str = "10.96.0.10"
    search: list[str] = field(default_factory=list)
    ndots: int = 5
    now: float = 0.0  # simulated wall-clock seconds, for `date` and `ls -l`
    http: HttpHandler | None = None  # routes connections to other pods; None: all refused
    # routers between this container and an IP (0 on the same node), None: nothing answers
    hops: Callable[[str], int | None] | None = None
    # mounted volumes: mount path -> its files by absolute path ("/dir/" marks a directory);
    # a mount hides whatever the image and the overlay hold below it
    mounts: dict[str, dict[str, str]] = field(default_factory=dict)
    # mount points mounted read-only (the service account token, `readOnly: true` mounts)
    read_only: frozenset[str] = frozenset()
    # simulated time for sleep and a bound on endless loops; None: sleeps return at once
    clock: ProcessClock | None = None
    # its memory, processes and disk, which every process in it shares
    limits: Limits = field(default_factory=Limits)
    # what listens in the container: port -> the record of the server process on it (its
    # program, argv and `since`, the moment it started listening); see kubesim.sandbox.programs.
    # None when no runtime record says: the image's own server, as its default command runs it
    serving: dict[int, dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if not self.search:
            # generateSearchesForDNSClusterFirst: <ns>.svc.<zone> svc.<zone> <zone>
            zone = self.dns.zone
            self.search = [f"{self.namespace}.svc.{zone}", f"svc.{zone}", zone]

    @property
    def namespace(self) -> str:
        return str(self.pod.get("metadata", {}).get("namespace") or "default")

    @property
    def pod_ips(self) -> list[str]:
        status = self.pod.get("status") or {}
        ips = [entry["ip"] for entry in status.get("podIPs") or [] if entry.get("ip")]
        if not ips and status.get("podIP"):
            ips = [status["podIP"]]
        return ips

    @property
    def pod_ip(self) -> str | None:
        ips = self.pod_ips
        return ips[0] if ips else None


def hosts_file(container: Container) -> str:
    """/etc/hosts as managedHostsFileContent writes it (tabs between columns)."""
    lines = [
        "# Kubernetes-managed hosts file.",
        "127.0.0.1\tlocalhost",
        "::1\tlocalhost ip6-localhost ip6-loopback",
        "fe00::0\tip6-localnet",
        "fe00::0\tip6-mcastprefix",
        "fe00::1\tip6-allnodes",
        "fe00::2\tip6-allrouters",
    ]
    for ip in container.pod_ips:
        if container.domain:
            lines.append(f"{ip}\t{container.hostname}.{container.domain}\t{container.hostname}")
        else:
            lines.append(f"{ip}\t{container.hostname}")
    aliases = (container.pod.get("spec") or {}).get("hostAliases") or []
    if aliases:
        # hostsEntriesFromHostAliases: a blank line, a comment, one line per IP
        lines += ["", "# Entries added by HostAliases."]
        lines += [f"{a['ip']}\t" + "\t".join(a.get("hostnames") or []) for a in aliases]
    return "\n".join(lines) + "\n"


def resolv_conf(container: Container) -> str:
    """/etc/resolv.conf as containerd writes the kubelet's DNS config (search first)."""
    lines = []
    if container.search:
        lines.append("search " + " ".join(container.search))
    if container.nameserver:
        lines.append(f"nameserver {container.nameserver}")
    lines.append(f"options ndots:{container.ndots}")
    return "\n".join(lines) + "\n"


def hostname_file(container: Container) -> str:
    """/etc/hostname: the pod's hostname and a newline (written by the runtime)."""
    return container.hostname + "\n"


def generated_files(container: Container) -> dict[str, str]:
    """The files bind-mounted into the container, by absolute path."""
    return {
        "/etc/hosts": hosts_file(container),
        "/etc/resolv.conf": resolv_conf(container),
        "/etc/hostname": hostname_file(container),
    }


def pod_hostname_and_domain(
    pod: dict[str, Any], zone: str = "cluster.local"
) -> tuple[str, str | None]:
    """(hostname, domain) as the kubelet's GeneratePodHostNameAndDomain derives them."""
    spec = pod.get("spec") or {}
    meta = pod.get("metadata") or {}
    hostname = str(spec.get("hostname") or meta.get("name") or "")
    hostname = hostname[:63].rstrip("-.")
    subdomain = spec.get("subdomain")
    domain = f"{subdomain}.{meta.get('namespace') or 'default'}.svc.{zone}" if subdomain else None
    return hostname, domain
