"""The objects of the StatefulSet tutorial's cluster, as the apiserver, controllers and kubelet
leave them, for describer tests (shapes copied from `kubesim get -o yaml` of a settled cluster)."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import meta
from kubesim.printers.describe import Context, lister_of

Object = dict[str, Any]

NOW = meta.parse_time("2025-03-01T10:05:00Z")
STS_UID = "19bbad58-d8a4-4bcd-aef9-66cd73717607"
POD_UID = "4b4d6fa2-2f5a-425e-b8f7-a6ef18705c50"
SVC_UID = "2634345e-108d-49bd-9f37-fb2615c64112"


def at(seconds: int) -> str:
    """A timestamp `seconds` after 10:00:00 (NOW is 10:05:00)."""
    return meta.format_time(meta.parse_time("2025-03-01T10:00:00Z") + seconds)


def context(*objects: Object, show_events: bool = True) -> Context:
    return Context(NOW, lister_of(objects), show_events=show_events)


def template() -> Object:
    return {
        "metadata": {"labels": {"app": "nginx"}},
        "spec": {
            "containers": [
                {
                    "image": "nginx:1.9.1",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "nginx",
                    "ports": [{"containerPort": 80, "name": "web", "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {},
            "terminationGracePeriodSeconds": 30,
        },
    }


def statefulset() -> Object:
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {
            "creationTimestamp": at(0),
            "generation": 1,
            "name": "web",
            "namespace": "default",
            "resourceVersion": "48",
            "uid": STS_UID,
        },
        "spec": {
            "persistentVolumeClaimRetentionPolicy": {
                "whenDeleted": "Retain",
                "whenScaled": "Retain",
            },
            "podManagementPolicy": "OrderedReady",
            "replicas": 2,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "nginx"}},
            "serviceName": "nginx",
            "template": template(),
            "updateStrategy": {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"},
        },
        "status": {
            "availableReplicas": 2,
            "currentReplicas": 2,
            "currentRevision": "web-6569c98b7d",
            "observedGeneration": 1,
            "readyReplicas": 2,
            "replicas": 2,
            "updateRevision": "web-6569c98b7d",
            "updatedReplicas": 2,
        },
    }


def pod(ordinal: int = 0, *, node: str = "kubesim-worker", ip: str = "10.244.1.2") -> Object:
    """web-<ordinal>, created 1s after the set and Running 4s later."""
    name = f"web-{ordinal}"
    spec = copy.deepcopy(template()["spec"])
    spec.update(
        {
            "enableServiceLinks": True,
            "hostname": name,
            "nodeName": node,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0,
            "serviceAccount": "default",
            "serviceAccountName": "default",
            "subdomain": "nginx",
            "tolerations": [
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                 "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                 "operator": "Exists", "tolerationSeconds": 300},
            ],
        }
    )  # fmt: skip
    base = 1 + 5 * ordinal
    conditions = [
        ("PodReadyToStartContainers", base + 2),
        ("Initialized", base + 2),
        ("Ready", base + 3),
        ("ContainersReady", base + 3),
        ("PodScheduled", base + 1),
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "creationTimestamp": at(base),
            "labels": {
                "app": "nginx",
                "apps.kubernetes.io/pod-index": str(ordinal),
                "controller-revision-hash": "web-6569c98b7d",
                "statefulset.kubernetes.io/pod-name": name,
            },
            "name": name,
            "namespace": "default",
            "ownerReferences": [
                {"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                 "kind": "StatefulSet", "name": "web", "uid": STS_UID},
            ],
            "resourceVersion": "26",
            "uid": POD_UID if ordinal == 0 else f"uid-{name}",
        },
        "spec": spec,
        "status": {
            "conditions": [
                {"lastProbeTime": None, "lastTransitionTime": at(t), "status": "True", "type": c}
                for c, t in conditions
            ],
            "containerStatuses": [
                {
                    "containerID": "containerd://6a21f7a255c4dbbbe81b2fb398ba4a91",
                    "image": "docker.io/library/nginx:1.9.1",
                    "imageID": "docker.io/library/nginx@sha256:2c0b1838b24f2b1c",
                    "lastState": {},
                    "name": "nginx",
                    "ready": True,
                    "restartCount": 0,
                    "started": True,
                    "state": {"running": {"startedAt": at(base + 3)}},
                }
            ],
            "hostIP": "172.18.0.3",
            "hostIPs": [{"ip": "172.18.0.3"}],
            "phase": "Running",
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "qosClass": "BestEffort",
            "startTime": at(base + 2),
        },
    }  # fmt: skip


def event(
    involved: Object,
    reason: str,
    message: str,
    component: str,
    second: int,
    *,
    count: int = 1,
    first: int | None = None,
    type_: str = "Normal",
    host: str | None = None,
    field_path: str | None = None,
) -> Object:
    """An event as client-go's recorder writes it (core/v1, no eventTime)."""
    md = involved["metadata"]
    reference = {
        "apiVersion": involved["apiVersion"],
        "kind": involved["kind"],
        "name": md["name"],
        "namespace": md.get("namespace", ""),
        "resourceVersion": md.get("resourceVersion", ""),
        "uid": md["uid"],
    }
    if field_path:
        reference["fieldPath"] = field_path
    source: Object = {"component": component}
    if host:
        source["host"] = host
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "count": count,
        "eventTime": None,
        "firstTimestamp": at(second if first is None else first),
        "involvedObject": reference,
        "lastTimestamp": at(second),
        "message": message,
        "metadata": {
            "creationTimestamp": at(second),
            "name": f"{md['name']}.{second:016x}",
            "namespace": md.get("namespace") or "default",
            "uid": f"event-{md['name']}-{second}",
        },
        "reason": reason,
        "reportingComponent": component,
        "reportingInstance": host or "",
        "source": source,
        "type": type_,
    }


def pod_events(pod: Object) -> list[Object]:
    """The five events of web-0 starting: scheduled, pulled, created, started."""
    container = "spec.containers{nginx}"
    return [
        event(pod, "Scheduled", "Successfully assigned default/web-0 to kubesim-worker",
              "default-scheduler", 2),
        event(pod, "Pulling", 'Pulling image "nginx:1.9.1"', "kubelet", 3,
              host="kubesim-worker", field_path=container),
        event(pod, "Pulled", 'Successfully pulled image "nginx:1.9.1" in 1s (1s including '
              "waiting). Image size: 44060835 bytes.", "kubelet", 4, host="kubesim-worker",
              field_path=container),
        event(pod, "Created", "Created container: nginx", "kubelet", 4, host="kubesim-worker",
              field_path=container),
        event(pod, "Started", "Started container nginx", "kubelet", 4, host="kubesim-worker",
              field_path=container),
    ]  # fmt: skip


def headless_service() -> Object:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "creationTimestamp": at(0),
            "labels": {"app": "nginx"},
            "name": "nginx",
            "namespace": "default",
            "resourceVersion": "11",
            "uid": SVC_UID,
        },
        "spec": {
            "clusterIP": "None",
            "clusterIPs": ["None"],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "web", "port": 80, "protocol": "TCP", "targetPort": 80}],
            "selector": {"app": "nginx"},
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
        "status": {"loadBalancer": {}},
    }


def _target(name: str, node: str) -> Object:
    return {"kind": "Pod", "name": name, "namespace": "default", "uid": f"uid-{name}"}


def endpoints(*ready: tuple[str, str, str]) -> Object:
    """The Endpoints of the nginx service; each address is (pod, ip, node)."""
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": at(9)},
            "creationTimestamp": at(1),
            "labels": {"app": "nginx", "service.kubernetes.io/headless": ""},
            "name": "nginx",
            "namespace": "default",
            "uid": "uid-endpoints-nginx",
        },
        "subsets": [
            {
                "addresses": [
                    {"hostname": name, "ip": ip, "nodeName": node, "targetRef": _target(name, node)}
                    for name, ip, node in ready
                ],
                "ports": [{"name": "web", "port": 80, "protocol": "TCP"}],
            }
        ],
    }


def endpoint_slice(*endpoints: tuple[str, str, str, bool]) -> Object:
    """The EndpointSlice of the nginx service; each endpoint is (pod, ip, node, ready)."""
    return {
        "addressType": "IPv4",
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "endpoints": [
            {
                "addresses": [ip],
                "conditions": {"ready": ready, "serving": ready, "terminating": False},
                "hostname": name,
                "nodeName": node,
                "targetRef": _target(name, node),
            }
            for name, ip, node, ready in endpoints
        ],
        "metadata": {
            "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": at(9)},
            "creationTimestamp": at(1),
            "generateName": "nginx-",
            "labels": {
                "app": "nginx",
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
                "kubernetes.io/service-name": "nginx",
                "service.kubernetes.io/headless": "",
            },
            "name": "nginx-g5fr9",
            "namespace": "default",
            "uid": "uid-slice",
        },
        "ports": [{"name": "web", "port": 80, "protocol": "TCP"}],
    }


def node(name: str = "kubesim-worker", *, control_plane: bool = False) -> Object:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
    conditions = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]  # fmt: skip
    resources = {"cpu": "2", "ephemeral-storage": "100Gi", "memory": "8Gi", "pods": "110"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "creationTimestamp": at(-600),
            "labels": labels,
            "name": name,
            "uid": f"uid-{name}",
        },
        "spec": {
            "podCIDR": "10.244.1.0/24",
            "podCIDRs": ["10.244.1.0/24"],
            "providerID": f"kind://docker/kubesim/{name}",
        },
        "status": {
            "addresses": [
                {"address": "172.18.0.3", "type": "InternalIP"},
                {"address": name, "type": "Hostname"},
            ],
            "allocatable": dict(resources),
            "capacity": dict(resources),
            "conditions": [
                {
                    "lastHeartbeatTime": at(-600),
                    "lastTransitionTime": at(-600),
                    "message": m,
                    "reason": r,
                    "status": s,
                    "type": t,
                }
                for t, s, r, m in conditions
            ],  # fmt: skip
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.1.0-kubesim",
                "kubeProxyVersion": "v1.32.2",
                "kubeletVersion": "v1.32.2",
                "machineID": "",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": "",
            },
        },
    }


def namespace(name: str = "default") -> Object:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {
            "creationTimestamp": at(-600),
            "labels": {"kubernetes.io/metadata.name": name},
            "name": name,
            "uid": f"uid-ns-{name}",
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }
