"""Objects for unit tests, built the way the apiserver and controllers would leave them."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import meta
from kubesim.api.defaults import apply_defaults
from kubesim.controllers import statefulset_utils as utils

Object = dict[str, Any]
NOW = 1_780_000_000.0  # a fixed simulated time
STAMP = meta.format_time(NOW - 60)


def statefulset(
    name: str = "web",
    replicas: int = 3,
    *,
    policy: str = "OrderedReady",
    image: str = "nginx:1.9.1",
    partition: int | None = None,
    strategy: str = "RollingUpdate",
    namespace: str = "default",
) -> Object:
    spec: Object = {
        "serviceName": "nginx",
        "replicas": replicas,
        "podManagementPolicy": policy,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": image}]},
        },
        "updateStrategy": {"type": strategy},
    }
    if partition is not None:
        spec["updateStrategy"]["rollingUpdate"] = {"partition": partition}
    sts = apply_defaults(
        {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name}, "spec": spec}
    )
    sts["metadata"].update(
        {
            "namespace": namespace,
            "uid": f"uid-{name}",
            "generation": 1,
            "resourceVersion": "1",
            "creationTimestamp": STAMP,
        }
    )
    sts["status"] = {"replicas": 0, "availableReplicas": 0}
    return sts


def revision_of(sts: Object, number: int = 1) -> Object:
    revision = utils.new_revision(sts, number, 0)
    revision["metadata"].update(
        {"uid": f"uid-{revision['metadata']['name']}", "resourceVersion": "2"}
    )
    return revision


def pod_of(
    sts: Object,
    ordinal: int,
    *,
    phase: str = "Running",
    ready: bool = True,
    revision: str | None = None,
    terminating: bool = False,
) -> Object:
    """A pod the controller created for `ordinal`, in the given lifecycle state."""
    pod = utils.new_statefulset_pod(sts, ordinal)
    pod = apply_defaults(pod)
    pod["metadata"]["labels"][utils.REVISION_LABEL] = (
        revision or revision_of(sts)["metadata"]["name"]
    )
    pod["metadata"].update(
        {
            "uid": f"uid-{pod['metadata']['name']}",
            "resourceVersion": "3",
            "creationTimestamp": STAMP,
        }
    )
    if terminating:
        pod["metadata"]["deletionTimestamp"] = meta.format_time(NOW + 30)
    conditions = [
        {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": STAMP}
    ]
    pod["status"] = {"phase": phase, "conditions": conditions}
    return pod


def with_status(obj: Object, **status: Any) -> Object:
    obj = copy.deepcopy(obj)
    obj["status"] = {**obj.get("status", {}), **status}
    return obj


# --- deployments and replica sets ---------------------------------------------------------------


def deployment(
    name: str = "nginx",
    replicas: int = 3,
    *,
    image: str = "nginx:1.14.2",
    strategy: str = "RollingUpdate",
    max_surge: int | str | None = None,
    max_unavailable: int | str | None = None,
    generation: int = 1,
    namespace: str = "default",
) -> Object:
    """A Deployment as the apiserver stores it (defaulted, with metadata filled in)."""
    spec: Object = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {"containers": [{"name": "nginx", "image": image}]},
        },
        "strategy": {"type": strategy},
    }
    rolling = {}
    if max_surge is not None:
        rolling["maxSurge"] = max_surge
    if max_unavailable is not None:
        rolling["maxUnavailable"] = max_unavailable
    if rolling:
        spec["strategy"]["rollingUpdate"] = rolling
    d = apply_defaults(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec}
    )
    d["metadata"].update(
        {
            "namespace": namespace,
            "uid": f"uid-{name}",
            "generation": generation,
            "resourceVersion": "1",
            "creationTimestamp": STAMP,
        }
    )
    return d


def replica_set_of(
    d: Object,
    replicas: int,
    *,
    revision: int = 1,
    image: str | None = None,
    available: int | None = None,
    created: float = NOW - 60,
) -> Object:
    """The replica set the deployment controller made for `d`'s template (or `image`)."""
    from kubesim.controllers import deployment_utils as util

    template = copy.deepcopy(d["spec"]["template"])
    if image is not None:
        template["spec"]["containers"][0]["image"] = image
        template["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    pod_template_hash = util.compute_hash(template, None)
    labels = {**template["metadata"]["labels"], "pod-template-hash": pod_template_hash}
    template["metadata"]["labels"] = labels
    name = f"{d['metadata']['name']}-{pod_template_hash}"
    count = replicas if available is None else available
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": d["metadata"]["namespace"],
            "uid": f"uid-{name}",
            "generation": 1,
            "resourceVersion": "2",
            "creationTimestamp": meta.format_time(created),
            "labels": dict(template["metadata"]["labels"]),
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": str(d["spec"]["replicas"]),
                "deployment.kubernetes.io/max-replicas": str(
                    d["spec"]["replicas"] + util.max_surge(d)
                ),
                "deployment.kubernetes.io/revision": str(revision),
            },
            "ownerReferences": [meta.owner_reference(d)],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "nginx", "pod-template-hash": pod_template_hash}},
            "template": template,
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": count,
            "availableReplicas": count,
            "observedGeneration": 1,
        },
    }


def rs_pod(
    rs: Object,
    suffix: str,
    *,
    phase: str = "Running",
    ready: bool = True,
    node: str | None = "node-1",
    created: float = NOW - 30,
    ready_since: float | None = None,
    restarts: int = 0,
) -> Object:
    """A pod of replica set `rs`, named `<rs>-<suffix>`, in the given state."""
    from kubesim.controllers.replicaset_utils import pod_from_template

    pod = apply_defaults(pod_from_template(rs, f"{rs['metadata']['name']}-{suffix}"))
    pod["metadata"].update(
        {
            "uid": f"uid-{pod['metadata']['name']}",
            "resourceVersion": "3",
            "creationTimestamp": meta.format_time(created),
        }
    )
    if node:
        pod["spec"]["nodeName"] = node
    stamp = meta.format_time(ready_since if ready_since is not None else created)
    pod["status"] = {
        "phase": phase,
        "conditions": [
            {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": stamp}
        ],
        "containerStatuses": [{"name": "nginx", "restartCount": restarts}],
    }
    return pod
