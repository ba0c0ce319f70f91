"""describe statefulset, deployment and replicaset: exact text."""

from __future__ import annotations

from kubesim.printers.describe import describe
from tests.unit.printers.describe import apps
from tests.unit.printers.describe import objects as o


def test_statefulset_of_the_tutorial_with_its_successful_creates() -> None:
    """The set's pod template, pod counts from the pods it controls, SuccessfulCreate events."""
    sts = o.statefulset()
    web_1 = o.pod(1, node="kubesim-worker2", ip="10.244.2.2")
    orphan = o.pod(2)
    orphan["metadata"]["ownerReferences"] = []
    created = [
        o.event(
            sts,
            "SuccessfulCreate",
            f"create Pod web-{i} in StatefulSet web successful",
            "statefulset-controller",
            1 + 5 * i,
        )
        for i in (0, 1)
    ]
    ctx = o.context(sts, o.pod(), web_1, orphan, *created)
    assert describe(ctx, "statefulsets.apps", sts) == (
        "Name:               web\n"
        "Namespace:          default\n"
        "CreationTimestamp:  Sat, 01 Mar 2025 10:00:00 +0000\n"
        "Selector:           app=nginx\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           2 desired | 2 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        0\n"
        "Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.9.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Volume Claims:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age    From                    Message\n"
        "  ----    ------            ----   ----                    -------\n"
        "  Normal  SuccessfulCreate  4m59s  statefulset-controller  create Pod web-0 in StatefulSet web successful\n"
        "  Normal  SuccessfulCreate  4m54s  statefulset-controller  create Pod web-1 in StatefulSet web successful\n"
    )


def test_statefulset_with_volume_claim_templates_and_max_unavailable() -> None:
    """Volume Claims list each template; MaxUnavailable shows under the partition."""
    sts = o.statefulset()
    sts["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"] = 1
    sts["spec"]["volumeClaimTemplates"] = [{
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "www"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                 "volumeMode": "Filesystem"},
    }]  # fmt: skip
    sts["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = [
        {"mountPath": "/usr/share/nginx/html", "name": "www"}
    ]
    sts["status"] = {"replicas": 0}
    assert describe(o.context(sts), "statefulsets.apps", sts) == (
        "Name:               web\n"
        "Namespace:          default\n"
        "CreationTimestamp:  Sat, 01 Mar 2025 10:00:00 +0000\n"
        "Selector:           app=nginx\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           2 desired | 0 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        0\n"
        "  MaxUnavailable:   1\n"
        "Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:        nginx:1.9.1\n"
        "    Port:         80/TCP\n"
        "    Host Port:    0/TCP\n"
        "    Environment:  <none>\n"
        "    Mounts:\n"
        "      /usr/share/nginx/html from www (rw)\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Volume Claims:\n"
        "  Name:          www\n"
        "  StorageClass:  \n"
        "  Labels:        <none>\n"
        "  Annotations:   <none>\n"
        "  Capacity:      1Gi\n"
        "  Access Modes:  [ReadWriteOnce]\n"
        "Events:          <none>\n"
    )


def test_deployment_with_old_and_new_replica_sets() -> None:
    """OldReplicaSets lists every other set it controls (scaled to zero too), NewReplicaSet the current."""
    deployment = apps.deployment()
    new = apps.replica_set(deployment, "2035384211", "nginx:1.16.1", 3, 40)
    old = apps.replica_set(deployment, "1564180365", "nginx:1.14.2", 0, 1)
    scaled = [
        o.event(
            deployment,
            "ScalingReplicaSet",
            "Scaled up replica set nginx-deployment-1564180365 to 3",
            "deployment-controller",
            1,
        ),
        o.event(
            deployment,
            "ScalingReplicaSet",
            "Scaled up replica set nginx-deployment-2035384211 to 1",
            "deployment-controller",
            40,
        ),
    ]
    ctx = o.context(deployment, new, old, *scaled)
    assert describe(ctx, "deployments.apps", deployment) == (
        "Name:                   nginx-deployment\n"
        "Namespace:              default\n"
        "CreationTimestamp:      Sat, 01 Mar 2025 10:00:00 +0000\n"
        "Labels:                 app=nginx\n"
        "Annotations:            deployment.kubernetes.io/revision: 2\n"
        "Selector:               app=nginx\n"
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
        "StrategyType:           RollingUpdate\n"
        "MinReadySeconds:        0\n"
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.16.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Conditions:\n"
        "  Type           Status  Reason\n"
        "  ----           ------  ------\n"
        "  Available      True    MinimumReplicasAvailable\n"
        "  Progressing    True    NewReplicaSetAvailable\n"
        "OldReplicaSets:  nginx-deployment-1564180365 (0/0 replicas created)\n"
        "NewReplicaSet:   nginx-deployment-2035384211 (3/3 replicas created)\n"
        "Events:\n"
        "  Type    Reason             Age    From                   Message\n"
        "  ----    ------             ----   ----                   -------\n"
        "  Normal  ScalingReplicaSet  4m59s  deployment-controller  Scaled up replica set nginx-deployment-1564180365 to 3\n"
        "  Normal  ScalingReplicaSet  4m20s  deployment-controller  Scaled up replica set nginx-deployment-2035384211 to 1\n"
    )


def test_replica_set_counts_its_pods_by_phase() -> None:
    """Controlled By, current/desired replicas, running and waiting pods, the template with its hash."""
    deployment = apps.deployment()
    rs = apps.replica_set(deployment, "2035384211", "nginx:1.16.1", 3, 40)
    pods = [apps.rs_pod(rs, "7ci7o"), apps.rs_pod(rs, "kzszj"), apps.rs_pod(rs, "qxmv8", "Pending")]
    created = o.event(
        rs,
        "SuccessfulCreate",
        "Created pod: nginx-deployment-2035384211-7ci7o",
        "replicaset-controller",
        41,
    )
    ctx = o.context(deployment, rs, *pods, created)
    assert describe(ctx, "replicasets.apps", rs) == (
        "Name:           nginx-deployment-2035384211\n"
        "Namespace:      default\n"
        "Selector:       app=nginx,pod-template-hash=2035384211\n"
        "Labels:         app=nginx\n"
        "                pod-template-hash=2035384211\n"
        "Annotations:    deployment.kubernetes.io/desired-replicas: 3\n"
        "                deployment.kubernetes.io/max-replicas: 4\n"
        "                deployment.kubernetes.io/revision: 2\n"
        "Controlled By:  Deployment/nginx-deployment\n"
        "Replicas:       3 current / 3 desired\n"
        "Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "           pod-template-hash=2035384211\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.16.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age    From                   Message\n"
        "  ----    ------            ----   ----                   -------\n"
        "  Normal  SuccessfulCreate  4m19s  replicaset-controller  Created pod: nginx-deployment-2035384211-7ci7o\n"
    )


def test_old_replica_sets_are_listed_by_name_not_by_age() -> None:
    deployment = apps.deployment()
    new = apps.replica_set(deployment, "5d59d67564", "nginx:1.16.1", 3, 40)
    older = apps.replica_set(deployment, "zz9d67564", "nginx:1.14.2", 0, 1)
    younger = apps.replica_set(deployment, "aa9d67564", "nginx:1.15.0", 0, 20)
    text = describe(o.context(deployment, new, older, younger), "deployments.apps", deployment)
    assert (
        "OldReplicaSets:  nginx-deployment-aa9d67564 (0/0 replicas created), "
        "nginx-deployment-zz9d67564 (0/0 replicas created)\n"
    ) in text
