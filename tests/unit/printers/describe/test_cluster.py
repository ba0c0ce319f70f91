"""describe node and namespace: exact text."""

from __future__ import annotations

import copy

from kubesim.printers.describe import describe
from tests.unit.printers.describe import objects as o


def test_control_plane_node_with_its_pods_and_events() -> None:
    """Roles, taints, lease, conditions, resources, non-terminated pods and their totals, events."""
    node = o.node("kubesim-control-plane", control_plane=True)
    node["spec"]["taints"] = [
        {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}
    ]
    coredns = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": "coredns-668d6bf9bc-4xk2p",
            "namespace": "kube-system",
            "uid": "u-dns",
            "creationTimestamp": o.at(-590),
        },
        "spec": {
            "nodeName": "kubesim-control-plane",
            "containers": [
                {
                    "name": "coredns",
                    "image": "coredns:v1.11.3",
                    "resources": {
                        "limits": {"memory": "170Mi"},
                        "requests": {"cpu": "100m", "memory": "70Mi"},
                    },
                }
            ],
        },
        "status": {"phase": "Running"},
    }
    finished = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "job-1", "namespace": "default", "uid": "u-job", "creationTimestamp": o.at(-100)},
        "spec": {"nodeName": "kubesim-control-plane", "containers": [{"name": "c", "image": "busybox"}]},
        "status": {"phase": "Succeeded"},
    }  # fmt: skip
    # the kubelet's events carry the node's name as uid, the controllers' the node's uid
    as_kubelet = copy.deepcopy(node)
    as_kubelet["metadata"]["uid"] = "kubesim-control-plane"
    starting = o.event(
        as_kubelet, "Starting", "Starting kubelet.", "kubelet", -598, host="kubesim-control-plane"
    )
    registered = o.event(
        node,
        "RegisteredNode",
        "Node kubesim-control-plane event: Registered Node kubesim-control-plane in Controller",
        "node-controller",
        -590,
    )
    web_0 = o.pod(0, node="kubesim-control-plane")
    ctx = o.context(node, web_0, coredns, finished, o.pod(1), starting, registered)
    assert describe(ctx, "nodes", node) == (
        "Name:               kubesim-control-plane\n"
        "Roles:              control-plane\n"
        "Labels:             beta.kubernetes.io/arch=amd64\n"
        "                    beta.kubernetes.io/os=linux\n"
        "                    kubernetes.io/arch=amd64\n"
        "                    kubernetes.io/hostname=kubesim-control-plane\n"
        "                    kubernetes.io/os=linux\n"
        "                    node-role.kubernetes.io/control-plane=\n"
        "Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock\n"
        "                    node.alpha.kubernetes.io/ttl: 0\n"
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true\n"
        "CreationTimestamp:  Sat, 01 Mar 2025 09:50:00 +0000\n"
        "Taints:             node-role.kubernetes.io/control-plane:NoSchedule\n"
        "Unschedulable:      false\n"
        "Lease:\n"
        "  HolderIdentity:  kubesim-control-plane\n"
        "  AcquireTime:     <unset>\n"
        "  RenewTime:       Sat, 01 Mar 2025 10:05:00 +0000\n"
        "Conditions:\n"
        "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n"
        "  ----             ------  -----------------                 ------------------                ------                       -------\n"
        "  MemoryPressure   False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n"
        "  DiskPressure     False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure\n"
        "  PIDPressure      False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available\n"
        "  Ready            True    Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletReady                 kubelet is posting ready status\n"
        "Addresses:\n"
        "  InternalIP:  172.18.0.3\n"
        "  Hostname:    kubesim-control-plane\n"
        "Capacity:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  100Gi\n"
        "  memory:             8Gi\n"
        "  pods:               110\n"
        "Allocatable:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  100Gi\n"
        "  memory:             8Gi\n"
        "  pods:               110\n"
        "System Info:\n"
        "  Machine ID:                 \n"
        "  System UUID:                \n"
        "  Boot ID:                    \n"
        "  Kernel Version:             6.1.0-kubesim\n"
        "  OS Image:                   Debian GNU/Linux 12 (bookworm)\n"
        "  Operating System:           linux\n"
        "  Architecture:               amd64\n"
        "  Container Runtime Version:  containerd://1.7.24\n"
        "  Kubelet Version:            v1.32.2\n"
        "  Kube-Proxy Version:         v1.32.2\n"
        "PodCIDR:                      10.244.1.0/24\n"
        "PodCIDRs:                     10.244.1.0/24\n"
        "ProviderID:                   kind://docker/kubesim/kubesim-control-plane\n"
        "Non-terminated Pods:          (2 in total)\n"
        "  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n"
        "  ---------                   ----                        ------------  ----------  ---------------  -------------  ---\n"
        "  default                     web-0                       0 (0%)        0 (0%)      0 (0%)           0 (0%)         4m59s\n"
        "  kube-system                 coredns-668d6bf9bc-4xk2p    100m (5%)     0 (0%)      70Mi (0%)        170Mi (2%)     14m\n"
        "Allocated resources:\n"
        "  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
        "  Resource           Requests   Limits\n"
        "  --------           --------   ------\n"
        "  cpu                100m (5%)  0 (0%)\n"
        "  memory             70Mi (0%)  170Mi (2%)\n"
        "  ephemeral-storage  0 (0%)     0 (0%)\n"
        "Events:\n"
        "  Type    Reason          Age   From             Message\n"
        "  ----    ------          ----  ----             -------\n"
        "  Normal  Starting        14m   kubelet          Starting kubelet.\n"
        "  Normal  RegisteredNode  14m   node-controller  Node kubesim-control-plane event: Registered Node kubesim-control-plane in Controller\n"
    )


def test_worker_node_without_pods_or_events() -> None:
    """Roles <none>, no taints, an empty pod table and zero totals."""
    node = o.node()
    assert describe(o.context(node), "nodes", node) == (
        "Name:               kubesim-worker\n"
        "Roles:              <none>\n"
        "Labels:             beta.kubernetes.io/arch=amd64\n"
        "                    beta.kubernetes.io/os=linux\n"
        "                    kubernetes.io/arch=amd64\n"
        "                    kubernetes.io/hostname=kubesim-worker\n"
        "                    kubernetes.io/os=linux\n"
        "Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///run/containerd/containerd.sock\n"
        "                    node.alpha.kubernetes.io/ttl: 0\n"
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true\n"
        "CreationTimestamp:  Sat, 01 Mar 2025 09:50:00 +0000\n"
        "Taints:             <none>\n"
        "Unschedulable:      false\n"
        "Lease:\n"
        "  HolderIdentity:  kubesim-worker\n"
        "  AcquireTime:     <unset>\n"
        "  RenewTime:       Sat, 01 Mar 2025 10:05:00 +0000\n"
        "Conditions:\n"
        "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n"
        "  ----             ------  -----------------                 ------------------                ------                       -------\n"
        "  MemoryPressure   False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available\n"
        "  DiskPressure     False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure\n"
        "  PIDPressure      False   Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available\n"
        "  Ready            True    Sat, 01 Mar 2025 09:50:00 +0000   Sat, 01 Mar 2025 09:50:00 +0000   KubeletReady                 kubelet is posting ready status\n"
        "Addresses:\n"
        "  InternalIP:  172.18.0.3\n"
        "  Hostname:    kubesim-worker\n"
        "Capacity:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  100Gi\n"
        "  memory:             8Gi\n"
        "  pods:               110\n"
        "Allocatable:\n"
        "  cpu:                2\n"
        "  ephemeral-storage:  100Gi\n"
        "  memory:             8Gi\n"
        "  pods:               110\n"
        "System Info:\n"
        "  Machine ID:                 \n"
        "  System UUID:                \n"
        "  Boot ID:                    \n"
        "  Kernel Version:             6.1.0-kubesim\n"
        "  OS Image:                   Debian GNU/Linux 12 (bookworm)\n"
        "  Operating System:           linux\n"
        "  Architecture:               amd64\n"
        "  Container Runtime Version:  containerd://1.7.24\n"
        "  Kubelet Version:            v1.32.2\n"
        "  Kube-Proxy Version:         v1.32.2\n"
        "PodCIDR:                      10.244.1.0/24\n"
        "PodCIDRs:                     10.244.1.0/24\n"
        "ProviderID:                   kind://docker/kubesim/kubesim-worker\n"
        "Non-terminated Pods:          (0 in total)\n"
        "  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age\n"
        "  ---------                   ----    ------------  ----------  ---------------  -------------  ---\n"
        "Allocated resources:\n"
        "  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
        "  Resource           Requests  Limits\n"
        "  --------           --------  ------\n"
        "  cpu                0 (0%)    0 (0%)\n"
        "  memory             0 (0%)    0 (0%)\n"
        "  ephemeral-storage  0 (0%)    0 (0%)\n"
        "Events:              <none>\n"
    )


def test_namespace_without_quotas_or_limit_ranges() -> None:
    """Status, then the quota and limit range sections of a namespace that has none."""
    ns = o.namespace()
    assert describe(o.context(ns), "namespaces", ns) == (
        "Name:         default\n"
        "Labels:       kubernetes.io/metadata.name=default\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n"
    )


def test_terminating_namespace_shows_its_conditions() -> None:
    """A namespace being deleted with its deletion conditions."""
    ns = o.namespace("scratch")
    ns["status"] = {"phase": "Terminating", "conditions": [{
        "type": "NamespaceDeletionContentFailure", "status": "False", "lastTransitionTime": o.at(291),
        "reason": "ContentDeleted",
        "message": "All content successfully deleted, may be waiting on finalization"}]}  # fmt: skip
    assert describe(o.context(ns), "namespaces", ns) == (
        "Name:         scratch\n"
        "Labels:       kubernetes.io/metadata.name=scratch\n"
        "Annotations:  <none>\n"
        "Status:       Terminating\n"
        "Conditions:\n"
        "  Type                             Status  LastTransitionTime               Reason          Message\n"
        "  ----                             ------  ------------------               ------          -------\n"
        "  NamespaceDeletionContentFailure  False   Sat, 01 Mar 2025 10:04:51 +0000  ContentDeleted  All content successfully deleted, may be waiting on finalization\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n"
    )


def test_service_account_lists_its_secrets_under_padded_headers() -> None:
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "builder", "namespace": "default", "uid": "sa-1"},
        "imagePullSecrets": [{"name": "registry"}],
        "secrets": [{"name": "one"}, {"name": "two"}],
    }
    assert describe(o.context(account), "serviceaccounts", account) == (
        "Name:                builder\n"
        "Namespace:           default\n"
        "Labels:              <none>\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  registry\n"
        "Mountable secrets:   one\n"
        "                     two\n"
        "Tokens:              <none>\n"
        "Events:              <none>\n"
    )
