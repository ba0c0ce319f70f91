"""The Service variables the kubelet gives a container (pkg/kubelet/envvars FromServices and
kubelet_pods.go getServiceEnvVarMap): per Service with a ClusterIP, `<NAME>_SERVICE_HOST`,
`<NAME>_SERVICE_PORT` (and `_<PORT NAME>` per named port), and the Docker link variables
`<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>` with `_PROTO`, `_PORT`, `_ADDR`; from the Services
of the pod's namespace (unless enableServiceLinks is false) and the `kubernetes` Service of
`default`, as the kubelet's cache holds them when the container starts: a Service made later
is not in a running container's environment. (kubesim reads the Services as they are now,
keeping those created by the container's start; one deleted since is missing where the
kubelet would still show it.) Shared by the kubelet and the container runtime."""

from __future__ import annotations

from typing import Any, Protocol

Object = dict[str, Any]


class ServiceView(Protocol):
    def list(self, resource: str, namespace: str | None = None) -> list[Object]: ...

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None: ...


MASTER_SERVICES = ("kubernetes",)  # the default namespace's, in every pod's environment


def service_env(services: list[Object]) -> dict[str, str]:
    """envvars.FromServices: the variables of each Service with a ClusterIP."""
    env: dict[str, str] = {}
    for svc in services:
        ip = svc["spec"].get("clusterIP")
        ports = svc["spec"].get("ports") or []
        if not ip or ip == "None" or not ports:
            continue
        prefix = svc["metadata"]["name"].upper().replace("-", "_")
        first = ports[0]
        env[f"{prefix}_SERVICE_HOST"] = ip
        env[f"{prefix}_SERVICE_PORT"] = str(first["port"])
        for port in ports:
            if port.get("name"):
                env[f"{prefix}_SERVICE_PORT_{port['name'].upper().replace('-', '_')}"] = str(
                    port["port"]
                )
        protocol = first.get("protocol", "TCP")
        env[f"{prefix}_PORT"] = f"{protocol.lower()}://{ip}:{first['port']}"
        for port in ports:
            proto = port.get("protocol", "TCP")
            base = f"{prefix}_PORT_{port['port']}_{proto}"
            env[base] = f"{proto.lower()}://{ip}:{port['port']}"
            env[f"{base}_PROTO"] = proto.lower()
            env[f"{base}_PORT"] = str(port["port"])
            env[f"{base}_ADDR"] = ip
    return env


def visible_services(view: ServiceView, pod: Object, spec: Object) -> list[Object]:
    """getServiceEnvVarMap: the Services whose variables the container starts with."""
    from kubesim.api import meta

    started = _started_at(pod, spec["name"])
    # Timestamps are whole simulated seconds. A Service stamped with the second a container
    # started was created after it (a command runs after the tick that started it), unless
    # both are the cluster's own, made as it was created.
    kubernetes = view.get("services", "default", "kubernetes")
    born = (kubernetes or {}).get("metadata", {}).get("creationTimestamp")
    birth = meta.parse_time(str(born)) if born else None

    def existed(svc: Object) -> bool:
        created = svc["metadata"].get("creationTimestamp")
        if started is None or not created:
            return True
        at = meta.parse_time(str(created))
        return at < started or at == started == birth

    namespace = pod["metadata"]["namespace"]
    chosen: dict[str, Object] = {}
    for name in MASTER_SERVICES:
        master = view.get("services", "default", name)
        if master is not None and existed(master):
            chosen[name] = master
    if pod["spec"].get("enableServiceLinks", True):
        for svc in view.list("services", namespace):
            if existed(svc) and not (namespace == "default" and svc["metadata"]["name"] in chosen):
                chosen[svc["metadata"]["name"]] = svc
    return [chosen[name] for name in sorted(chosen)]


def _started_at(pod: Object, name: str) -> float | None:
    """When the container's current run started; None if it is not running."""
    from kubesim.api import meta

    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == name:
            running = (status.get("state") or {}).get("running") or {}
            if running.get("startedAt"):
                return meta.parse_time(str(running["startedAt"]))
    return None
