"""The endpoints and endpointslice controllers: for each Service with a selector, its pods.

Endpoints (endpoints_controller.go): ready pods in `addresses`, unready in `notReadyAddresses`,
terminating and finished pods left out, `hostname` when the pod's subdomain names the Service.
EndpointSlices (endpointslice reconciler): every pod with an IP, terminating ones flagged.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta, selectors
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Create, Delete, Update
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
HEADLESS_LABEL = "service.kubernetes.io/headless"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"
TRIGGER_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the Endpoints and EndpointSlice of the services named by `keys` (every one when
    None); the Endpoints of a service that is gone go with it."""
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        svc = snapshot.get("services", namespace, name)
        if svc is None:
            # Endpoints carry no ownerReference, so the controller itself removes those it made
            ep = snapshot.get("endpoints", namespace, name)
            if ep is not None and TRIGGER_ANNOTATION in (ep["metadata"].get("annotations") or {}):
                changes.append(Delete("endpoints", namespace, name, uid=ep["metadata"]["uid"]))
            continue
        if svc["spec"].get("selector") is None or svc["spec"].get("type") == "ExternalName":
            continue
        selector = selectors.from_labels(svc["spec"]["selector"])
        pods = snapshot.selecting("pods", str(namespace), selector)
        changes += _sync_endpoints(snapshot, svc, pods, now)
        changes += _sync_slice(snapshot, svc, pods, now)
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    keys = set(queue.keys_of(snapshot.list("services")))
    keys |= set(queue.keys_of(snapshot.list("endpoints")))
    return sorted(keys)


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A service; its Endpoints or slices (put back as they should be); a pod (the services of
    its namespace that select it, before or after the change)."""
    if event.resource in ("services", "endpoints"):
        return (event.key,)
    if event.resource == "endpointslices.discovery.k8s.io":
        service = meta.labels_of(event.new).get(SERVICE_NAME_LABEL)
        return (f"{event.namespace}/{service}",) if service else ()
    versions = [dict(m.get("labels") or {}) for m in event.metadatas()]
    keys = []
    for svc in snapshot.list("services", event.namespace):
        wanted = svc["spec"].get("selector")
        if wanted is None:
            continue
        selector = selectors.from_labels(wanted)
        if any(selector.matches(labels) for labels in versions):
            keys.append(f"{event.namespace}/{svc['metadata']['name']}")
    return keys


CONTROLLER = queue.Controller(
    name="endpoint-controller",
    watches=("services", "endpoints", "endpointslices.discovery.k8s.io", "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def _is_ready(pod: Object) -> bool:
    for c in pod.get("status", {}).get("conditions") or []:
        if c["type"] == "Ready":
            return bool(c["status"] == "True")
    return False


def _hostname(svc: Object, pod: Object) -> str | None:
    spec = pod["spec"]
    if spec.get("hostname") and spec.get("subdomain") == svc["metadata"]["name"]:
        return str(spec["hostname"])
    return None


def _resolve_port(port: Object, pod: Object) -> int | None:
    """A service port's targetPort on this pod: numbers as-is, names via containerPort names."""
    target = port.get("targetPort", port.get("port"))
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for container in pod["spec"].get("containers") or []:
        for cp in container.get("ports") or []:
            if cp.get("name") == target and cp.get("protocol", "TCP") == port.get(
                "protocol", "TCP"
            ):
                return int(cp["containerPort"])
    return None


def _address(pod: Object, svc: Object) -> Object:
    m = pod["metadata"]
    address: Object = {"ip": pod["status"]["podIP"]}
    hostname = _hostname(svc, pod)
    if hostname:
        address["hostname"] = hostname
    if pod["spec"].get("nodeName"):
        address["nodeName"] = pod["spec"]["nodeName"]
    address["targetRef"] = {
        "kind": "Pod",
        "name": m["name"],
        "namespace": m["namespace"],
        "uid": m["uid"],
    }
    return address


def desired_subsets(svc: Object, pods: list[Object]) -> list[Object]:
    """Endpoints subsets: pods grouped by their resolved ports, repacked as the controller does."""
    publish = bool(svc["spec"].get("publishNotReadyAddresses"))
    groups: dict[str, Object] = {}
    for pod in pods:
        status = pod.get("status") or {}
        if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
            continue
        if meta.is_terminating(pod) and not publish:
            continue
        ports = []
        for port in svc["spec"].get("ports") or []:
            number = _resolve_port(port, pod)
            if number is None:
                continue
            entry: Object = {"port": number, "protocol": port.get("protocol", "TCP")}
            if port.get("name"):
                entry = {"name": port["name"], **entry}
            ports.append(entry)
        if svc["spec"].get("ports") and not ports:
            continue
        key = repr(sorted((p.get("name", ""), p["port"], p["protocol"]) for p in ports))
        subset = groups.setdefault(key, {"addresses": [], "notReadyAddresses": [], "ports": ports})
        bucket = "addresses" if (publish or _is_ready(pod)) else "notReadyAddresses"
        subset[bucket].append(_address(pod, svc))
    subsets = []
    for key in sorted(groups):
        subset = groups[key]
        result: Object = {}
        for bucket in ("addresses", "notReadyAddresses"):
            if subset[bucket]:
                result[bucket] = sorted(subset[bucket], key=lambda a: _ip_key(a["ip"]))
        if subset["ports"]:
            result["ports"] = sorted(subset["ports"], key=lambda p: (p.get("name", ""), p["port"]))
        subsets.append(result)
    return subsets


def _ip_key(ip: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ip.split("."))


def _labels(svc: Object) -> dict[str, str]:
    labels = dict(svc["metadata"].get("labels") or {})
    if svc["spec"].get("clusterIP") == "None":
        labels[HEADLESS_LABEL] = ""
    return labels


def _sync_endpoints(
    snapshot: Snapshot, svc: Object, pods: list[Object], now: float
) -> list[Change]:
    m = svc["metadata"]
    subsets = desired_subsets(svc, pods)
    current = snapshot.get("endpoints", m["namespace"], m["name"])
    labels = _labels(svc)
    if current is None:
        ep: Object = {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {
                "name": m["name"],
                "namespace": m["namespace"],
                "labels": labels,
                "annotations": {TRIGGER_ANNOTATION: _trigger_time(now)},
            },
        }
        if subsets:
            ep["subsets"] = subsets
        return [Create(ep)]
    if (current.get("subsets") or []) == subsets and (
        current["metadata"].get("labels") or {}
    ) == labels:
        return []
    updated = meta.clone(current)
    updated["metadata"]["labels"] = labels
    updated["metadata"].setdefault("annotations", {})[TRIGGER_ANNOTATION] = _trigger_time(now)
    if subsets:
        updated["subsets"] = subsets
    else:
        updated.pop("subsets", None)
    return [Update(updated)]


def _trigger_time(now: float) -> str:
    return meta.format_time(now)


# --- EndpointSlices --------------------------------------------------------------------------


def desired_slice_endpoints(svc: Object, pods: list[Object]) -> list[Object]:
    publish = bool(svc["spec"].get("publishNotReadyAddresses"))
    endpoints = []
    for pod in pods:
        status = pod.get("status") or {}
        if not status.get("podIP") or status.get("phase") in ("Succeeded", "Failed"):
            continue
        serving = _is_ready(pod)
        terminating = meta.is_terminating(pod)
        m = pod["metadata"]
        endpoint: Object = {
            "addresses": [status["podIP"]],
            "conditions": {
                "ready": publish or (serving and not terminating),
                "serving": serving,
                "terminating": terminating,
            },
        }
        hostname = _hostname(svc, pod)
        if hostname:
            endpoint["hostname"] = hostname
        if pod["spec"].get("nodeName"):
            endpoint["nodeName"] = pod["spec"]["nodeName"]
        endpoint["targetRef"] = {
            "kind": "Pod",
            "name": m["name"],
            "namespace": m["namespace"],
            "uid": m["uid"],
        }
        endpoints.append(endpoint)
    return sorted(endpoints, key=lambda e: _ip_key(e["addresses"][0]))


def _slice_ports(svc: Object, pods: list[Object]) -> list[Object]:
    ports = []
    sample = next((p for p in pods if p.get("status", {}).get("podIP")), None)
    for port in svc["spec"].get("ports") or []:
        number = _resolve_port(port, sample) if sample else None
        if number is None:
            if sample is not None:
                continue
            number = port.get("targetPort") if isinstance(port.get("targetPort"), int) else None
        ports.append(
            {"name": port.get("name", ""), "port": number, "protocol": port.get("protocol", "TCP")}
        )
    return ports


def _sync_slice(snapshot: Snapshot, svc: Object, pods: list[Object], now: float) -> list[Change]:
    m = svc["metadata"]
    mine = [s for _, s in snapshot.dependents(m["uid"]) if s.get("kind") == "EndpointSlice"]
    labels = {k: v for k, v in _labels(svc).items()}
    labels[SERVICE_NAME_LABEL] = m["name"]
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    endpoints = desired_slice_endpoints(svc, pods)
    ports = _slice_ports(svc, pods) if endpoints else []
    if not mine:
        return [
            Create(
                {
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": {
                        "generateName": f"{m['name']}-",
                        "namespace": m["namespace"],
                        "labels": labels,
                        "annotations": {TRIGGER_ANNOTATION: _trigger_time(now)},
                        "ownerReferences": [meta.owner_reference(svc)],
                    },
                    "addressType": "IPv4",
                    "endpoints": endpoints,
                    "ports": ports,
                }
            )
        ]
    current = mine[0]
    if (
        current.get("endpoints") == endpoints
        and current.get("ports") == ports
        and current["metadata"].get("labels") == labels
    ):
        return []
    updated = meta.clone(current)
    updated["metadata"]["labels"] = labels
    updated["metadata"].setdefault("annotations", {})[TRIGGER_ANNOTATION] = _trigger_time(now)
    updated["endpoints"] = endpoints
    updated["ports"] = ports
    return [Update(updated)]
