"""A container's view of the cluster: its identity, environment, files, volumes, DNS and the
network behind its curl, built from cluster state (a session's, or a tick's snapshot).

Files live outside the API, as a node's disk does: each container's writable layer under
"containers" (pod uid -> container -> path -> content), each PersistentVolume's data under
"volumes" (volume name -> path -> content) and each emptyDir under "emptydirs"
("<pod uid>/<volume>" -> path -> content). A volume outlives the pods that mount it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any, Protocol

from kubesim.api import meta
from kubesim.api.podutil import all_statuses, is_sidecar
from kubesim.sandbox.container import Container, Headers, HttpResponse
from kubesim.sandbox.limits import memory_limit
from kubesim.sandbox.projected import config_mounts, projected_mounts

Object = dict[str, Any]
Objects = list[Object]
FILES_SECTION = "containers"
VOLUMES_SECTION = "volumes"
EMPTYDIRS_SECTION = "emptydirs"


class ClusterView(Protocol):
    """What a container's view is built from (a Snapshot satisfies it; so does StateView)."""

    now: float

    def list(self, resource: str, namespace: str | None = None) -> list[Object]: ...

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None: ...

    def runtime(self, section: str) -> Mapping[str, Any]: ...

    def indexed(
        self, index: str, value: str, resource: str, namespace: str | None = None
    ) -> Objects: ...


class StateView:
    """A ClusterView over a session's apiserver (see kubesim.engine.session)."""

    def __init__(self, server: Any) -> None:
        self.state = server.state
        self.now: float = server.now

    def list(self, resource: str, namespace: str | None = None) -> list[Object]:
        return self.state.list(resource, namespace)  # type: ignore[no-any-return]

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        return self.state.get(resource, namespace, name)  # type: ignore[no-any-return]

    def runtime(self, section: str) -> Mapping[str, Any]:
        return self.state.peek_section(section)  # type: ignore[no-any-return]

    def indexed(
        self, index: str, value: str, resource: str, namespace: str | None = None
    ) -> Objects:
        return self.state.by_index(index, value, resource, namespace)  # type: ignore[no-any-return]


class SerializedView:
    """A view the processes of a pipeline (threads, kubesim.sandbox.interp) share: one reads
    the store at a time, as the state's connection and caches are not made for threads."""

    def __init__(self, view: ClusterView) -> None:
        import threading

        self.view = view
        self.now = view.now
        self.lock = threading.RLock()

    def list(self, resource: str, namespace: str | None = None) -> list[Object]:
        with self.lock:
            return self.view.list(resource, namespace)

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        with self.lock:
            return self.view.get(resource, namespace, name)

    def runtime(self, section: str) -> Mapping[str, Any]:
        with self.lock:
            return self.view.runtime(section)

    def indexed(
        self, index: str, value: str, resource: str, namespace: str | None = None
    ) -> Objects:
        with self.lock:
            return self.view.indexed(index, value, resource, namespace)


def serialized(view: ClusterView) -> ClusterView:
    """The view's SerializedView, one per view (what is built once per view stays so)."""
    if isinstance(view, SerializedView):
        return view
    shared = getattr(view, "_serialized", None)
    if shared is None:
        shared = SerializedView(view)
        try:
            view._serialized = shared  # type: ignore[attr-defined]
        except AttributeError:
            return shared
    return shared


def cluster_dns(view: ClusterView) -> Any:
    """The DNS records of this state of the cluster (built once per view)."""
    from kubesim.network import dns

    cached = getattr(view, "_dns_records", None)
    if cached is None:
        # kind's Corefile serves `pods insecure`, which needs no list of pods
        cached = dns.build_records(view.list("services"), view.list("endpoints"), ())
        try:
            view._dns_records = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached


def build_container(view: ClusterView, pod: Object, name: str) -> Container:
    """The view a command in this container has: identity, environment, files, DNS."""
    from kubesim.api.podutil import container_spec
    from kubesim.sandbox import environment

    view = serialized(view)
    spec = container_spec(pod, name)
    assert spec is not None, name
    namespace = pod["metadata"]["namespace"]
    hostname = pod["spec"].get("hostname") or pod["metadata"]["name"]
    subdomain = pod["spec"].get("subdomain")
    files = view.runtime(FILES_SECTION).get(pod["metadata"]["uid"], {}).get(name, {})
    container = Container(
        pod=pod,
        name=name,
        image=spec["image"],
        hostname=hostname[:63].rstrip("-."),
        domain=f"{subdomain}.{namespace}.svc.cluster.local" if subdomain else None,
        env=environment.container_env(view, pod, spec),
        files=meta.clone(files),
        dns=cluster_dns(view),
        now=view.now,
        mounts={
            **projected_mounts(view, pod, spec),
            **config_mounts(view, pod, spec),
            **{point: dict(data) for point, (_, _, data) in mounts(view, pod, spec).items()},
        },
    )
    container.http = cluster_http(view)
    container.hops = cluster_hops(view, pod)
    container.read_only = read_only_mounts(pod, spec)
    container.limits.memory_limit = memory_limit(spec, node_memory(view, pod))
    container.serving = serving_records(view, pod, spec)
    container.main_process = main_record(view, pod, spec)
    if container.main_process is not None:
        # runc's exec takes a few pids after the last one PID 1's processes had
        last = int(container.main_process.get("next_pid") or 2) - 1
        container.next_pid = max(container.next_pid, last + 6)
    return container


def main_record(view: ClusterView, pod: Object, spec: Object) -> Object | None:
    """The runtime's record of the container's running main process, None without one."""
    from kubesim.controllers.kubelet_containers import PROCESSES_SECTION

    status = next(
        (s for s in all_statuses(pod) if s.get("name") == spec["name"]),
        None,
    )  # fmt: skip
    if status is None or "running" not in (status.get("state") or {}):
        return None
    record = view.runtime(PROCESSES_SECTION).get(f"{pod['metadata']['uid']}/{spec['name']}")
    if record is None or record.get("containerID") not in (None, status.get("containerID")):
        return None
    return dict(record)


def node_memory(view: ClusterView, pod: Object) -> int | None:
    """The allocatable memory of the pod's node, in bytes (None when it is not known)."""
    node_name = pod["spec"].get("nodeName")
    return node_memory_of(view.get("nodes", None, node_name) if node_name else None)


def node_memory_of(node: Object | None) -> int | None:
    from kubesim.api import quantity

    stated = (((node or {}).get("status") or {}).get("allocatable") or {}).get("memory")
    value = int(quantity.parse(str(stated)).value) if stated is not None else 0
    return value or None


def serving_records(view: ClusterView, pod: Object, spec: Object) -> dict[int, Object]:
    """port -> the record of the server process listening on it in this container, from the
    runtime's record of its main process (kubesim.sandbox.process)."""
    from kubesim.controllers.kubelet_containers import PROCESSES_SECTION

    status = next(
        (s for s in all_statuses(pod) if s.get("name") == spec["name"]),
        None,
    )  # fmt: skip
    if status is None or "running" not in (status.get("state") or {}):
        return {}
    record = view.runtime(PROCESSES_SECTION).get(f"{pod['metadata']['uid']}/{spec['name']}")
    if record is None:
        if spec.get("command") or spec.get("args"):
            return {}
        from kubesim.sandbox.programs import default_servers

        return default_servers(spec["image"])
    if record.get("containerID") not in (None, status.get("containerID")):
        return {}  # the record of an earlier run of the container
    if record.get("end") is not None and float(record["end"]) <= view.now:
        return {}
    return {int(port): record for port in record.get("listening") or []}


def read_only_mounts(pod: Object, spec: Object) -> frozenset[str]:
    """The container's mount points that are read-only: `readOnly: true`, and the volumes the
    kubelet writes from the API (projected, configMap, secret, downwardAPI), which it mounts
    read-only whatever the pod says."""
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    points = set()
    api_data = ("projected", "configMap", "secret", "downwardAPI")
    for mount in spec.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        if mount.get("readOnly") or any(kind in volume for kind in api_data):
            points.add(str(mount.get("mountPath", "")).rstrip("/") or "/")
    return frozenset(points)


def mounts(
    view: ClusterView, pod: Object, spec: Object
) -> dict[str, tuple[str, str, dict[str, str]]]:
    """mount path -> (store section, store key, files by absolute path) for the container's
    volumeMounts that kubesim keeps data for (persistentVolumeClaim, emptyDir)."""
    found: dict[str, tuple[str, str, dict[str, str]]] = {}
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    for mount in spec.get("volumeMounts") or []:
        store = volume_store(view, pod, volumes.get(mount.get("name")) or {})
        if store is None:
            continue
        section, key = store
        point = str(mount.get("mountPath", "")).rstrip("/") or "/"
        sub_path = str(mount.get("subPath") or "").strip("/")
        prefix = f"{sub_path}/" if sub_path else ""
        data = view.runtime(section).get(key, {})
        files = {
            f"{point}/{rel[len(prefix) :]}": content
            for rel, content in data.items()
            if rel.startswith(prefix) and rel != prefix
        }
        found[point] = (section, key, files)
    return found


def volume_store(view: ClusterView, pod: Object, volume: Object) -> tuple[str, str] | None:
    """Where a pod volume's data is kept, if it is a kind kubesim keeps data for."""
    claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
    if claim:
        pvc = view.get("persistentvolumeclaims", pod["metadata"]["namespace"], claim)
        name = (pvc or {}).get("spec", {}).get("volumeName")
        return (VOLUMES_SECTION, name) if name else None
    if "emptyDir" in volume:
        return EMPTYDIRS_SECTION, f"{pod['metadata']['uid']}/{volume['name']}"
    return None


def relative_changes(
    point: str, sub_path: str, before: dict[str, str], after: dict[str, str]
) -> tuple[dict[str, str], list[str]]:
    """A mount's changed and removed files, as paths relative to the volume's root."""
    prefix = f"{sub_path.strip('/')}/" if sub_path.strip("/") else ""

    def rel(path: str) -> str:
        return prefix + path[len(point) + 1 :]

    changed = {rel(p): c for p, c in after.items() if before.get(p) != c}
    removed = [rel(p) for p in before if p not in after]
    return changed, removed


# --- the network behind curl and wget (kube-proxy's part) ----------------------------------------


def cluster_http(view: ClusterView) -> Any:
    """Route a connection to a pod IP, or to a Service's ClusterIP via one of its endpoints."""

    def handle(
        ip: str, port: int, method: str, path: str, headers: Headers = ()
    ) -> HttpResponse | None:
        node = _node_by_ip(view, ip)
        if node is not None:
            return _on_node(view, node, port, method, path)
        target = _pod_by_ip(view, ip)
        if target is None:
            client = next((v for k, v in headers if k == ":remote-addr"), None)
            routed = _through_service(view, ip, port, client)
            if routed is None:
                from kubesim.network import internet

                return internet.serve(ip, port, method, path, view.now)  # out through the node
            target, port = routed
        if (target.get("status") or {}).get("phase") != "Running":
            return None
        return serve_pod(view, target, port, method, path, headers)

    return handle


def serve_pod(
    view: ClusterView, pod: Object, port: int, method: str, path: str, headers: Headers = ()
) -> HttpResponse | None:
    """What the server listening on `port` in the pod's network namespace answers (any of its
    containers may be the one), None if nothing listens there."""
    from kubesim.sandbox import daemons, programs

    sidecars = [c for c in pod["spec"].get("initContainers") or [] if is_sidecar(c)]
    for spec in [*sidecars, *(pod["spec"].get("containers") or [])]:
        if (
            daemons.daemon_for(spec["image"], pod["metadata"]["namespace"]) is not None
        ):  # kind's own components
            answer = daemons.serve(build_container(view, pod, spec["name"]), port, method, path)
            if answer is not None:
                return answer
            continue
        if port not in serving_records(view, pod, spec):
            continue
        container = build_container(view, pod, spec["name"])
        if programs.listener(container, port) is not None:
            return programs.serve(container, port, method, path, headers)
    return None


def cluster_hops(view: ClusterView, pod: Object) -> Any:
    """ICMP's path from this pod (kindnet's routes): a pod on the same node is one router away,
    one on another node two; a node's own address answers from its stack; loopback and the
    pod itself, none. A Service's virtual IP answers nothing (kube-proxy only forwards ports)."""
    own_node = pod["spec"].get("nodeName")
    own_ips = {e.get("ip") for e in (pod.get("status") or {}).get("podIPs") or []}
    own_ips.add((pod.get("status") or {}).get("podIP"))

    def hops(ip: str) -> int | None:
        if ip.startswith("127.") or ip in own_ips:
            return 0
        node = _node_by_ip(view, ip)  # a node's address (its hostNetwork pods' too)
        if node is not None:
            return 0 if node["metadata"]["name"] == own_node else 1
        target = _pod_by_ip(view, ip)
        if target is not None:
            if (target.get("status") or {}).get("phase") != "Running":
                return None
            return 1 if target["spec"].get("nodeName") == own_node else 2
        return None

    return hops


def _node_by_ip(view: ClusterView, ip: str) -> Object | None:
    """The node whose InternalIP is `ip` (kind's 172.18.0.x)."""
    for node in view.list("nodes"):
        addresses = (node.get("status") or {}).get("addresses") or []
        if any(a.get("address") == ip for a in addresses if a.get("type") == "InternalIP"):
            return node
    return None


def _on_node(
    view: ClusterView, node: Object, port: int, method: str, path: str
) -> HttpResponse | None:
    """A connection to a node's address: a NodePort (kube-proxy answers it on every node,
    sending it to one of the Service's ready endpoints), else a hostNetwork pod listening on
    the node."""
    for svc in view.list("services"):
        for spec_port in svc["spec"].get("ports") or []:
            if spec_port.get("nodePort") == port:
                routed = _through_service(view, svc["spec"].get("clusterIP", ""), spec_port["port"])
                if routed is None:
                    return None
                target, target_port = routed
                if (target.get("status") or {}).get("phase") != "Running":
                    return None
                return serve_pod(view, target, target_port, method, path)
    from kubesim.store import indexes

    for pod in view.indexed(indexes.NODE, node["metadata"]["name"], "pods"):
        if pod["spec"].get("hostNetwork") and (pod.get("status") or {}).get("phase") == "Running":
            served = serve_pod(view, pod, port, method, path)
            if served is not None:
                return served
    return None


def _pod_by_ip(view: ClusterView, ip: str) -> Object | None:
    from kubesim.store import indexes

    for pod in view.indexed(indexes.POD_IP, ip, "pods"):
        if not pod["metadata"].get("deletionTimestamp"):
            return pod
    return None


def _through_service(
    view: ClusterView, ip: str, port: int, client: str | None = None
) -> tuple[Object, int] | None:
    """kube-proxy: ClusterIP:port -> one of the ready endpoints, chosen at random for each
    connection as iptables' `statistic --mode random` rules choose (the same one for a client
    when the Service has `sessionAffinity: ClientIP`), and its target port."""
    import random

    for svc in view.list("services"):
        if svc["spec"].get("clusterIP") != ip:
            continue
        spec_port = next((p for p in svc["spec"].get("ports") or [] if p.get("port") == port), None)
        if spec_port is None:
            return None
        ep = view.get("endpoints", svc["metadata"]["namespace"], svc["metadata"]["name"]) or {}
        candidates: list[tuple[Object, int]] = []
        for subset in ep.get("subsets") or []:
            for entry in subset.get("ports") or []:
                if entry.get("name", "") != spec_port.get("name", ""):
                    continue
                for address in subset.get("addresses") or []:
                    pod = _pod_by_ip(view, address["ip"])
                    if pod is not None:
                        candidates.append((pod, int(entry["port"])))
        if not candidates:
            return None
        if svc["spec"].get("sessionAffinity") == "ClientIP" and client:
            return candidates[zlib.crc32(client.encode()) % len(candidates)]
        return random.choice(candidates)
    return None
