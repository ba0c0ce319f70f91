"""The environment a container starts with: its spec's env, the service links and the
variables the runtime and the image set (kubelet_pods.go makeEnvironmentVariables)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubesim.sandbox.view import ClusterView

Object = dict[str, Any]


def service_env(services: list[Object]) -> dict[str, str]:
    """`<NAME>_SERVICE_HOST`, `<NAME>_PORT_<port>_TCP`... for each Service with a ClusterIP."""
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


def _field_ref(pod: Object, path: str) -> str:
    values = {
        "metadata.name": pod["metadata"]["name"],
        "metadata.namespace": pod["metadata"]["namespace"],
        "metadata.uid": pod["metadata"].get("uid", ""),
        "spec.nodeName": pod["spec"].get("nodeName", ""),
        "spec.serviceAccountName": pod["spec"].get("serviceAccountName", ""),
        "status.podIP": (pod.get("status") or {}).get("podIP", ""),
        "status.hostIP": (pod.get("status") or {}).get("hostIP", ""),
    }
    if path.startswith("metadata.labels['") or path.startswith("metadata.annotations['"):
        section, _, key = path.partition("['")
        return str((pod["metadata"].get(section.split(".")[1]) or {}).get(key.rstrip("']"), ""))
    return str(values.get(path, ""))


def container_env(view: ClusterView, pod: Object, spec: Object) -> dict[str, str]:
    """The variables `env` prints in this container: PATH, HOSTNAME, the image's ENV, then the
    kubelet's (containerd's WithDefaultPathEnv, HOSTNAME, image config env, container env;
    a later value replaces an earlier one in place)."""
    from kubesim.sandbox import images

    env: dict[str, str] = {"PATH": images.image_path(spec["image"])}
    env["HOSTNAME"] = pod["spec"].get("hostname") or pod["metadata"]["name"]
    env.update(images.image_env(spec["image"]))
    env.update(kubelet_env(view, pod, spec))
    if spec.get("tty"):
        env.setdefault("TERM", "xterm")
    return env


def kubelet_env(view: ClusterView, pod: Object, spec: Object) -> dict[str, str]:
    """makeEnvironmentVariables: the service links, then the spec's env in order, each value
    with `$(VAR)` expanded from the variables before it (what a command's and args' `$(VAR)`
    expand from too; the image's ENV is the runtime's, unknown to the kubelet)."""
    from kubesim.api.expansion import expand

    env: dict[str, str] = {}
    if pod["spec"].get("enableServiceLinks", True):
        env.update(service_env(view.list("services", pod["metadata"]["namespace"])))
    kubernetes = view.get("services", "default", "kubernetes")
    if kubernetes is not None:
        env.update(
            {k: v for k, v in service_env([kubernetes]).items() if k.startswith("KUBERNETES_")}
        )
    for item in spec.get("env") or []:
        if "value" in item:
            env[item["name"]] = expand(str(item["value"]), env)
        elif (item.get("valueFrom") or {}).get("fieldRef"):
            env[item["name"]] = _field_ref(pod, item["valueFrom"]["fieldRef"].get("fieldPath", ""))
        else:
            env[item["name"]] = ""
    return env
