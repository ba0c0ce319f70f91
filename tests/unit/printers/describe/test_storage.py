"""describe persistentvolumeclaim, persistentvolume, storageclass and configmap: exact text."""

from __future__ import annotations

from kubesim.printers.describe import describe
from tests.unit.printers.describe import objects as o

VOLUME = "pvc-8c2f4a6e-1b3d-4c5e-9f70-112233445566"


def claim(name: str, *, bound: bool) -> o.Object:
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
            "storageClassName": "standard", "volumeMode": "Filesystem"}  # fmt: skip
    status: o.Object = {"phase": "Pending"}
    if bound:
        spec["volumeName"] = VOLUME
        status = {
            "accessModes": ["ReadWriteOnce"],
            "capacity": {"storage": "1Gi"},
            "phase": "Bound",
        }
    return {
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default", "uid": f"u-{name}",
                     "creationTimestamp": o.at(1), "finalizers": ["kubernetes.io/pvc-protection"],
                     "labels": {"app": "nginx"},
                     "annotations": {"volume.kubernetes.io/selected-node": "kubesim-worker"} if bound else {}},
        "spec": spec,
        "status": status,
    }  # fmt: skip


def test_bound_claim_used_by_its_pod() -> None:
    """Capacity and access modes from the bound status, the pods mounting it under Used By."""
    pvc = claim("www-web-0", bound=True)
    pod = o.pod()
    pod["spec"]["volumes"] = [{"name": "www", "persistentVolumeClaim": {"claimName": "www-web-0"}}]
    assert describe(o.context(pvc, pod), "persistentvolumeclaims", pvc) == (
        "Name:          www-web-0\n"
        "Namespace:     default\n"
        "StorageClass:  standard\n"
        "Status:        Bound\n"
        "Volume:        pvc-8c2f4a6e-1b3d-4c5e-9f70-112233445566\n"
        "Labels:        app=nginx\n"
        "Annotations:   volume.kubernetes.io/selected-node: kubesim-worker\n"
        "Finalizers:    [kubernetes.io/pvc-protection]\n"
        "Capacity:      1Gi\n"
        "Access Modes:  RWO\n"
        "VolumeMode:    Filesystem\n"
        "Used By:       web-0\n"
        "Events:        <none>\n"
    )


def test_pending_claim_waiting_for_its_consumer() -> None:
    """No volume yet: empty Volume, Capacity and Access Modes; the binder's event."""
    pvc = claim("www-web-1", bound=False)
    waiting = o.event(
        pvc,
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
        "persistentvolume-controller",
        6,
    )
    assert describe(o.context(pvc, waiting), "persistentvolumeclaims", pvc) == (
        "Name:          www-web-1\n"
        "Namespace:     default\n"
        "StorageClass:  standard\n"
        "Status:        Pending\n"
        "Volume:        \n"
        "Labels:        app=nginx\n"
        "Annotations:   <none>\n"
        "Finalizers:    [kubernetes.io/pvc-protection]\n"
        "Capacity:      \n"
        "Access Modes:  \n"
        "VolumeMode:    Filesystem\n"
        "Used By:       <none>\n"
        "Events:\n"
        "  Type    Reason                Age    From                         Message\n"
        "  ----    ------                ----   ----                         -------\n"
        "  Normal  WaitForFirstConsumer  4m54s  persistentvolume-controller  waiting for first consumer to be created before binding\n"
    )


def test_provisioned_host_path_volume() -> None:
    """Claim, reclaim policy, node affinity terms and the HostPath source."""
    pv = {
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": VOLUME, "uid": "u-pv", "creationTimestamp": o.at(3),
                     "annotations": {"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"},
                     "finalizers": ["kubernetes.io/pv-protection"]},
        "spec": {
            "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"},
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": "www-web-0",
                         "namespace": "default", "uid": "u-www-web-0"},
            "hostPath": {"path": "/var/local-path-provisioner/www-web-0", "type": "DirectoryOrCreate"},
            "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": ["kubesim-worker"]}]}]}},
            "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
            "volumeMode": "Filesystem",
        },
        "status": {"phase": "Bound"},
    }  # fmt: skip
    assert describe(o.context(pv), "persistentvolumes", pv) == (
        "Name:              pvc-8c2f4a6e-1b3d-4c5e-9f70-112233445566\n"
        "Labels:            <none>\n"
        "Annotations:       pv.kubernetes.io/provisioned-by: rancher.io/local-path\n"
        "Finalizers:        [kubernetes.io/pv-protection]\n"
        "StorageClass:      standard\n"
        "Status:            Bound\n"
        "Claim:             default/www-web-0\n"
        "Reclaim Policy:    Delete\n"
        "Access Modes:      RWO\n"
        "VolumeMode:        Filesystem\n"
        "Capacity:          1Gi\n"
        "Node Affinity:     \n"
        "  Required Terms:  \n"
        "    Term 0:        kubernetes.io/hostname in [kubesim-worker]\n"
        "Message:           \n"
        "Source:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /var/local-path-provisioner/www-web-0\n"
        "    HostPathType:  DirectoryOrCreate\n"
        "Events:            <none>\n"
    )


def test_default_storage_class() -> None:
    """IsDefaultClass from the annotation; annotations and parameters on one line."""
    sc = {
        "apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
        "metadata": {"name": "standard", "uid": "u-sc",
                     "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }  # fmt: skip
    assert describe(o.context(sc), "storageclasses.storage.k8s.io", sc) == (
        "Name:                  standard\n"
        "IsDefaultClass:        Yes\n"
        "Annotations:           storageclass.kubernetes.io/is-default-class=true\n"
        "Provisioner:           rancher.io/local-path\n"
        "Parameters:            <none>\n"
        "AllowVolumeExpansion:  <unset>\n"
        "MountOptions:          <none>\n"
        "ReclaimPolicy:         Delete\n"
        "VolumeBindingMode:     WaitForFirstConsumer\n"
        "Events:                <none>\n"
    )


def test_config_map_data_and_binary_data() -> None:
    """Each key with its value under a dashed line; binary keys with their decoded size."""
    cm = {
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "settings", "namespace": "default", "uid": "u-cm"},
        "data": {"nginx.conf": "server {\n  listen 80;\n}\n", "mode": "fast"},
        "binaryData": {"logo.png": "iVBORw0KGgo="},
    }  # fmt: skip
    assert describe(o.context(cm), "configmaps", cm) == (
        "Name:         settings\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "\n"
        "Data\n"
        "====\n"
        "mode:\n"
        "----\n"
        "fast\n"
        "\n"
        "nginx.conf:\n"
        "----\n"
        "server {\n"
        "  listen 80;\n"
        "}\n"
        "\n"
        "\n"
        "\n"
        "BinaryData\n"
        "====\n"
        "logo.png: 8 bytes\n"
        "\n"
        "Events:  <none>\n"
    )
