"""A new cluster: what `kind create cluster` leaves behind.

Three nodes (a tainted control plane and two workers, each with its own pod /24), the
namespaces every cluster has, the Services kubernetes (10.96.0.1) and kube-dns (10.96.0.10),
kind's default StorageClass `standard` (rancher.io/local-path, WaitForFirstConsumer), and
kind's own pods (kubesim.engine.addons): the control plane's static pods, CoreDNS, kube-proxy,
kindnet and the local-path provisioner, running as the controllers and the kubelet leave them.
"""

from __future__ import annotations

import random
from typing import Any

from kubesim.api.server import ApiServer
from kubesim.controllers import kubernetes_service, serviceaccounts
from kubesim.engine.clock import new_clock_section
from kubesim.store.state import ClusterState

Object = dict[str, Any]

CLUSTER_NAME = "kubesim"
KUBERNETES_VERSION = "v1.32.2"
NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage")
# (name, internal IP, pod CIDR, control plane?)
NODES = (
    (f"{CLUSTER_NAME}-control-plane", "172.18.0.2", "10.244.0.0/24", True),
    (f"{CLUSTER_NAME}-worker", "172.18.0.3", "10.244.1.0/24", False),
    (f"{CLUSTER_NAME}-worker2", "172.18.0.4", "10.244.2.0/24", False),
)


def bootstrap(state: ClusterState, wall: float, mode: str) -> None:
    """Fill an empty state with a fresh cluster whose clock starts at `wall`."""
    state.section("cluster")["seed"] = random.SystemRandom().getrandbits(48)
    state.section("clock").update(new_clock_section(wall, mode))
    server = ApiServer(state, float(int(wall)))
    for name in NAMESPACES:
        server.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    for name in NAMESPACES:  # what the serviceaccounts and root CA controllers made at start-up
        server.create(serviceaccounts.service_account(name))
        server.create(serviceaccounts.root_ca_configmap(name))
    for name, ip, cidr, control_plane in NODES:
        server.create(node(name, ip, cidr, control_plane, server.now))
    server.create(kubernetes_service.service())
    server.create(kubernetes_service.endpoints())
    server.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {
                "name": "standard",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": "rancher.io/local-path",
            "reclaimPolicy": "Delete",
            "volumeBindingMode": "WaitForFirstConsumer",
        }
    )
    server.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "kube-dns",
                "namespace": "kube-system",
                "labels": {
                    "k8s-app": "kube-dns",
                    "kubernetes.io/cluster-service": "true",
                    "kubernetes.io/name": "CoreDNS",
                },
                "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
            },
            "spec": {
                "clusterIP": "10.96.0.10",
                "selector": {"k8s-app": "kube-dns"},
                "ports": [
                    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
                ],
            },
        }
    )
    from kubesim.engine import addons

    addons.install(server, CLUSTER_NAME)


def node(name: str, ip: str, cidr: str, control_plane: bool, now: float) -> Object:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    spec: Object = {
        "podCIDR": cidr,
        "podCIDRs": [cidr],
        "providerID": f"kind://docker/{CLUSTER_NAME}/{name}",
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    from kubesim.api.meta import format_time

    stamp = format_time(now)

    def condition(kind: str, status: str, reason: str, message: str) -> Object:
        return {
            "type": kind,
            "status": status,
            "lastHeartbeatTime": stamp,
            "lastTransitionTime": stamp,
            "reason": reason,
            "message": message,
        }

    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": labels,
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "addresses": [
                {"address": ip, "type": "InternalIP"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": {
                "cpu": "2",
                "ephemeral-storage": "100Gi",
                "memory": "8Gi",
                "pods": "110",
            },
            "capacity": {"cpu": "2", "ephemeral-storage": "100Gi", "memory": "8Gi", "pods": "110"},
            "conditions": [
                condition(
                    "MemoryPressure",
                    "False",
                    "KubeletHasSufficientMemory",
                    "kubelet has sufficient memory available",
                ),
                condition(
                    "DiskPressure",
                    "False",
                    "KubeletHasNoDiskPressure",
                    "kubelet has no disk pressure",
                ),
                condition(
                    "PIDPressure",
                    "False",
                    "KubeletHasSufficientPID",
                    "kubelet has sufficient PID available",
                ),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.1.0-kubesim",
                "kubeProxyVersion": KUBERNETES_VERSION,
                "kubeletVersion": KUBERNETES_VERSION,
                "machineID": "",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": "",
            },
        },
    }
