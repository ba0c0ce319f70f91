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
