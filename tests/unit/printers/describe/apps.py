"""A Deployment with its ReplicaSets and pods, as the deployment controller leaves them."""

from __future__ import annotations

import copy
from typing import Any

from tests.unit.printers.describe.objects import at, template

Object = dict[str, Any]
DEPLOY_UID = "uid-nginx-deployment"


def deployment(image: str = "nginx:1.16.1") -> Object:
    spec_template = template()
    spec_template["spec"]["containers"][0]["image"] = image
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "annotations": {"deployment.kubernetes.io/revision": "2"},
            "creationTimestamp": at(0),
            "generation": 2,
            "labels": {"app": "nginx"},
            "name": "nginx-deployment",
            "namespace": "default",
            "uid": DEPLOY_UID,
        },
        "spec": {
            "progressDeadlineSeconds": 600,
            "replicas": 3,
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": {"app": "nginx"}},
            "strategy": {
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                "type": "RollingUpdate",
            },
            "template": spec_template,
        },
        "status": {
            "availableReplicas": 3,
            "conditions": [
                {
                    "lastTransitionTime": at(20),
                    "lastUpdateTime": at(20),
                    "message": "Deployment has minimum availability.",
                    "reason": "MinimumReplicasAvailable",
                    "status": "True",
                    "type": "Available",
                },
                {
                    "lastTransitionTime": at(1),
                    "lastUpdateTime": at(60),
                    "message": 'ReplicaSet "nginx-deployment-2035384211" has successfully progressed.',
                    "reason": "NewReplicaSetAvailable",
                    "status": "True",
                    "type": "Progressing",
                },
            ],  # fmt: skip
            "observedGeneration": 2,
            "readyReplicas": 3,
            "replicas": 3,
            "updatedReplicas": 3,
        },
    }


def replica_set(deploy: Object, suffix: str, image: str, replicas: int, created: int) -> Object:
    rs_template = copy.deepcopy(deploy["spec"]["template"])
    rs_template["spec"]["containers"][0]["image"] = image
    rs_template["metadata"]["labels"]["pod-template-hash"] = suffix
    name = f"nginx-deployment-{suffix}"
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": "3",
                "deployment.kubernetes.io/max-replicas": "4",
                "deployment.kubernetes.io/revision": "2" if replicas else "1",
            },
            "creationTimestamp": at(created),
            "labels": {"app": "nginx", "pod-template-hash": suffix},
            "name": name,
            "namespace": "default",
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": True,
                    "controller": True,
                    "kind": "Deployment",
                    "name": "nginx-deployment",
                    "uid": DEPLOY_UID,
                },
            ],  # fmt: skip
            "uid": f"uid-{name}",
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "nginx", "pod-template-hash": suffix}},
            "template": rs_template,
        },
        "status": {
            "availableReplicas": replicas,
            "fullyLabeledReplicas": replicas,
            "observedGeneration": 1,
            "readyReplicas": replicas,
            "replicas": replicas,
        },
    }


def rs_pod(rs: Object, suffix: str, phase: str = "Running") -> Object:
    labels = dict(rs["spec"]["template"]["metadata"]["labels"])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "creationTimestamp": at(30),
            "labels": labels,
            "name": f"{rs['metadata']['name']}-{suffix}",
            "namespace": "default",
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "controller": True,
                    "kind": "ReplicaSet",
                    "name": rs["metadata"]["name"],
                    "uid": rs["metadata"]["uid"],
                },
            ],  # fmt: skip
            "uid": f"uid-pod-{suffix}",
        },
        "spec": copy.deepcopy(rs["spec"]["template"]["spec"]),
        "status": {"phase": phase},
    }
