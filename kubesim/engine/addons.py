"""kind's own pods and objects, installed on a new cluster as they stand once it has settled.

Running the controllers, the scheduler and the kubelet from empty objects to this state takes
a dozen ticks; a new cluster cannot afford them. Instead the objects are created through the
apiserver (admission and defaults apply), the workload controllers make their ReplicaSets,
pods, revisions, Endpoints and statuses in a few passes at the cluster's first instant, and
each new pod is placed and started as kind leaves it: the static pods, CoreDNS and the
local-path provisioner on the control plane, one kube-proxy and one kindnet pod per node
(hostNetwork: the node's address), every image preloaded, every container running and ready.
The runtime records the kubelet and the scheduler keep go with them, so the first tick finds
nothing to do.
"""

from __future__ import annotations

import hashlib
from typing import Any

from kubesim.api import meta
from kubesim.api.server import ApiServer
from kubesim.engine import kind

Object = dict[str, Any]
KUBE_NODE_LEASE = "kube-node-lease"
LEASE_DURATION = 40  # the kubelet's nodeLeaseDurationSeconds


def install(server: ApiServer, cluster: str) -> None:
    """Create kind's add-ons and settle them, running, at the cluster's first instant."""
    from kubesim.controllers import changes

    for pc in kind.priority_classes():
        server.create(pc)
    for sa in kind.service_accounts():
        server.create(sa)
    for cm in kind.config_maps(cluster):
        server.create(cm)
    nodes = {n["metadata"]["name"]: n for n in server.state.list("nodes")}
    control_plane = f"{cluster}-control-plane"
    started: list[changes.Change] = []
    for pod in kind.static_pods(control_plane, _internal_ip(nodes[control_plane])):
        created = server.create(_mirror(pod, nodes[control_plane]))
        started += _start(server, created, nodes[control_plane])
    for deployment, hash_ in (
        (kind.coredns_deployment(), kind.COREDNS_HASH),
        (kind.local_path_provisioner_deployment(), kind.PROVISIONER_HASH),
    ):
        created = server.create(deployment)
        server.create(_first_replica_set(created, hash_))
    server.create(kind.kube_proxy_daemonset())
    server.create(kind.kindnet_daemonset())
    started += _settle(server, nodes, control_plane)
    _apply(server, started)
    _preload_images(server, nodes)
    _count_for_scheduler(server)
    for node in nodes.values():
        server.create(_node_lease(node))
        _node_events(server, node)
    for component in ("kube-controller-manager", "kube-scheduler"):
        server.create(_leader_lease(component, control_plane, server))
    _mark_seen(server)


def _internal_ip(node: Object) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address["address"])
    return ""


def _mirror(pod: Object, node: Object) -> Object:
    """A static pod's mirror: the kubelet's config annotations, the node as its owner."""
    digest = hashlib.md5(repr(pod["spec"]).encode(), usedforsecurity=False).hexdigest()
    pod = meta.clone(pod)
    annotations = pod["metadata"]["annotations"]
    annotations["kubernetes.io/config.hash"] = digest
    annotations["kubernetes.io/config.mirror"] = digest
    annotations["kubernetes.io/config.seen"] = _seen(node)
    pod["metadata"]["annotations"] = dict(sorted(annotations.items()))
    pod["metadata"]["ownerReferences"] = [
        {
            "apiVersion": "v1",
            "controller": True,
            "kind": "Node",
            "name": node["metadata"]["name"],
            "uid": node["metadata"]["uid"],
        }
    ]
    return pod


def _seen(node: Object) -> str:
    """config.seen: when the kubelet read the manifest, with nanoseconds (time.Time)."""
    stamp = str(node["metadata"]["creationTimestamp"]).removesuffix("Z")
    return f"{stamp}.000000000Z"


def _first_replica_set(deployment: Object, hash_: str) -> Object:
    """The ReplicaSet the Deployment controller made first, under the name it has on kind."""
    from kubesim.controllers import deployment_utils as util

    spec = deployment["spec"]
    template = meta.clone(spec["template"])
    template["metadata"]["labels"] = {**template["metadata"]["labels"], "pod-template-hash": hash_}
    replicas = int(spec.get("replicas", 1))
    surge = util.max_surge(deployment)
    labels = dict(template["metadata"]["labels"])
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{deployment['metadata']['name']}-{hash_}",
            "namespace": deployment["metadata"]["namespace"],
            "labels": labels,
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": str(replicas),
                "deployment.kubernetes.io/max-replicas": str(replicas + surge),
                "deployment.kubernetes.io/revision": "1",
            },
            "ownerReferences": [meta.owner_reference(deployment)],
        },
        "spec": {
            "replicas": replicas,
            "selector": {
                "matchLabels": {**spec["selector"]["matchLabels"], "pod-template-hash": hash_}
            },
            "template": template,
        },
    }


def _settle(server: ApiServer, nodes: dict[str, Object], control_plane: str) -> list[Any]:
    """Run the workload controllers until they rest, placing and starting each pod they
    create; returns the kubelet's runtime records of those pods."""
    from kubesim.controllers import daemonset, deployment, endpoints, replicaset
    from kubesim.controllers.daemonset_utils import target_node_name
    from kubesim.controllers.snapshot import Snapshot
    from kubesim.engine.passes import apply

    runtime: list[Any] = []
    seed = server.seed
    for _ in range(8):
        snapshot = Snapshot(server.state, server.now, seed)
        wanted = []
        for controller in (daemonset, deployment, replicaset, endpoints):
            wanted += controller.reconcile(snapshot, server.now)
        if not wanted:
            break
        for change in wanted:
            apply(server, change)
        for pod in server.state.by_index("node", "", "pods"):
            node = target_node_name(pod) or control_plane
            server.bind(pod["metadata"]["namespace"], pod["metadata"]["name"], node)
            bound = server.state.get("pods", pod["metadata"]["namespace"], pod["metadata"]["name"])
            assert bound is not None
            runtime += _start(server, bound, nodes[node])
    return runtime


def _start(server: ApiServer, pod: Object, node: Object) -> list[Any]:
    """The pod's containers started and ready, as the kubelet leaves them; the runtime
    records (address lease, processes, logs, probes) to keep."""
    from kubesim.controllers import kubelet, prober
    from kubesim.controllers.changes import SetRuntime
    from kubesim.controllers.kubelet_containers import (
        PROCESSES_SECTION,
        _mount_statuses,
        container_id,
        image_id,
        normalize_image,
    )
    from kubesim.controllers.kubelet_status import refresh_conditions
    from kubesim.network import ipam
    from kubesim.sandbox import daemons
    from kubesim.sandbox.view import StateView

    now = server.now
    stamp = meta.format_time(now)
    node_name = node["metadata"]["name"]
    host_ip = _internal_ip(node)
    records: list[Any] = []
    if pod["spec"].get("hostNetwork"):
        ip = host_ip
    else:
        leases = server.state.section(kubelet.IPAM_SECTION)
        used = {
            p["status"]["podIP"]
            for p in server.state.by_index("node", node_name, "pods")
            if (p.get("status") or {}).get("podIP")
        }
        ip = ipam.next_pod_ip(node["spec"]["podCIDR"], used, leases.get(node_name)) or ""
        leases[node_name] = ip
    new = meta.clone(pod)
    status = new.setdefault("status", {})
    status.update(
        {
            "phase": "Running",
            "hostIP": host_ip,
            "hostIPs": [{"ip": host_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": stamp,
        }
    )
    statuses = []
    probes: Object = {}
    for spec in pod["spec"]["containers"]:
        name = spec["name"]
        entry: Object = {
            "containerID": container_id(pod, name, 0),
            "image": normalize_image(spec["image"]),
            "imageID": image_id(spec["image"]),
            "lastState": {},
            "name": name,
            "ready": True,
            "restartCount": 0,
            "started": True,
            "state": {"running": {"startedAt": stamp}},
        }
        mounts = _mount_statuses(spec)
        if mounts:
            entry["volumeMounts"] = mounts
        statuses.append(entry)
        for field, _ in prober.KINDS:
            if spec.get(field):
                probes.setdefault(name, {})[field] = {"last": now, "successes": 1, "failures": 0}
        key = f"{pod['metadata']['uid']}/{name}"
        records.append(
            SetRuntime(
                PROCESSES_SECTION,
                key,
                {
                    "containerID": entry["containerID"],
                    "started": now,
                    "end": None,
                    "exitCode": None,
                    "wake": None,
                    "stopCode": 0,  # kind's components exit 0 on SIGTERM
                },
            )
        )
    status["containerStatuses"] = statuses
    refresh_conditions(new, now)
    stored = server.update_status(new)
    view = StateView(server)
    for spec in pod["spec"]["containers"]:
        key = f"{pod['metadata']['uid']}/{spec['name']}"
        logs = daemons.start_logs(view, stored, spec, now)
        records.append(SetRuntime("logs", key, {"current": logs, "previous": None}))
    if probes:
        records.append(SetRuntime(prober.PROBES_SECTION, pod["metadata"]["uid"], probes))
    return records


def _apply(server: ApiServer, records: list[Any]) -> None:
    from kubesim.engine.passes import apply

    for record in records:
        apply(server, record)


def _preload_images(server: ApiServer, nodes: dict[str, Object]) -> None:
    from kubesim.controllers.kubelet_images import IMAGES_SECTION

    section = server.state.section(IMAGES_SECTION)
    for name in nodes:
        section[name] = list(kind.PRELOADED)


def _count_for_scheduler(server: ApiServer) -> None:
    """The scheduler's cache of what each node holds, as its first pass would count it."""
    from kubesim.controllers.scheduler_cache import NodeCache
    from kubesim.controllers.snapshot import Snapshot
    from kubesim.engine.passes import apply

    cache = NodeCache(Snapshot(server.state, server.now, server.seed))
    for pod in server.state.list("pods"):
        cache.count(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}", pod)
    for change in cache.changes():
        apply(server, change)


def _micro_time(now: float) -> str:
    """A MicroTime as the apiserver writes it: RFC 3339 with microseconds."""
    return meta.format_time(now).removesuffix("Z") + ".000000Z"


def _node_lease(node: Object) -> Object:
    """The kubelet's Lease in kube-node-lease, owned by its node."""
    name = node["metadata"]["name"]
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": KUBE_NODE_LEASE,
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Node", "name": name, "uid": node["metadata"]["uid"]}
            ],
        },
        "spec": {
            "holderIdentity": name,
            "leaseDurationSeconds": LEASE_DURATION,
            "renewTime": _micro_time(meta.parse_time(node["metadata"]["creationTimestamp"])),
        },
    }


def _leader_lease(component: str, node: str, server: ApiServer) -> Object:
    """A control-plane component's leader election Lease, held by its only instance."""
    rng = meta.rng_for(server.seed, "leader", component)
    stamp = _micro_time(server.now)
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": component, "namespace": "kube-system"},
        "spec": {
            "acquireTime": stamp,
            "holderIdentity": f"{node}_{meta.new_uid(rng)}",
            "leaseDurationSeconds": 15,
            "leaseTransitions": 0,
            "renewTime": stamp,
        },
    }


def _node_events(server: ApiServer, node: Object) -> None:
    """What a fresh node's events say: the kubelet starting and reporting its conditions,
    the node controller registering it, kube-proxy starting on it. The kubelet and kube-proxy
    refer to the node by name, uid included."""
    from kubesim.api import events

    name = node["metadata"]["name"]
    by_name = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": name}}

    def kubelet(reason: str, message: str) -> None:
        events.record(server, by_name, "Normal", reason, message, "kubelet", host=name)

    kubelet("Starting", "Starting kubelet.")
    for reason in ("NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"):
        kubelet(reason, f"Node {name} status is now: {reason}")
    kubelet("NodeAllocatableEnforced", "Updated Node Allocatable limit across pods")
    events.record(
        server,
        node,
        "Normal",
        "RegisteredNode",
        f"Node {name} event: Registered Node {name} in Controller",
        "node-controller",
    )
    events.record(server, by_name, "Normal", "Starting", "", "kube-proxy", host=name)
    kubelet("NodeReady", f"Node {name} status is now: NodeReady")


def _mark_seen(server: ApiServer) -> None:
    """Every controller has seen the cluster as it stands: the first tick starts from here."""
    from kubesim.engine.passes import CURSORS_SECTION
    from kubesim.engine.tick import CONTROLLERS, _record_settled

    cursors = server.state.section(CURSORS_SECTION)
    for controller in CONTROLLERS:
        cursors[controller.name] = server.state.resource_version
    _record_settled(server.state)
