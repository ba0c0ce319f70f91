"""The objects of the StatefulSet tutorial's cluster, as the apiserver and controllers leave them."""

from __future__ import annotations

from typing import Any

from kubesim.network.dns import RecordSet, build_records

Object = dict[str, Any]


def service(name: str, namespace: str = "default", cluster_ip: str = "None", **spec: Any) -> Object:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"clusterIP": cluster_ip, **spec},
    }


def address(ip: str, hostname: str | None = None, pod: str | None = None) -> Object:
    entry: Object = {"ip": ip}
    if hostname:
        entry["hostname"] = hostname
    entry["targetRef"] = {"kind": "Pod", "name": pod or hostname or ip, "namespace": "default"}
    return entry


def endpoints(
    name: str,
    ready: list[Object],
    not_ready: list[Object] | None = None,
    namespace: str = "default",
) -> Object:
    subset: Object = {"addresses": ready}
    if not_ready:
        subset["notReadyAddresses"] = not_ready
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": name, "namespace": namespace},
        "subsets": [subset],
    }


def pod(name: str, ip: str, namespace: str = "default", subdomain: str | None = "nginx") -> Object:
    spec: Object = {"hostname": name} if subdomain else {}
    if subdomain:
        spec["subdomain"] = subdomain
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
        "status": {"podIP": ip, "podIPs": [{"ip": ip}]},
    }


SERVICES = [
    service("kubernetes", cluster_ip="10.96.0.1"),
    service("kube-dns", "kube-system", "10.96.0.10"),
    service("nginx"),
]
ENDPOINTS = [
    endpoints("kubernetes", [{"ip": "172.18.0.2"}]),
    endpoints("kube-dns", [address("10.244.0.3", pod="coredns-1")], namespace="kube-system"),
    endpoints("nginx", [address("10.244.1.2", "web-0"), address("10.244.2.2", "web-1")]),
]
PODS = [pod("web-0", "10.244.1.2"), pod("web-1", "10.244.2.2")]


def tutorial_records() -> RecordSet:
    """kubernetes, kube-dns and the headless nginx with web-0 and web-1 ready."""
    return build_records(SERVICES, ENDPOINTS, PODS)
