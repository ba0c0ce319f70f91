"""The local-path provisioner (rancher.io/local-path), the default StorageClass's, as in kind.

For a claim of its class that the scheduler has placed on a node (WaitForFirstConsumer), it
creates a PersistentVolume named `pvc-<claim uid>`: a directory on that node, pinned there by
node affinity, already pointing at the claim, with the class's reclaim policy.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers.changes import Change, Create, RecordEvent, SetRuntime
from kubesim.controllers.persistentvolume import CLAIMS, CLASSES, SELECTED_NODE, VOLUMES
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
PROVISIONER = "rancher.io/local-path"
# as its events name it: <provisioner>_<its pod>_<a uuid>
COMPONENT = (
    "rancher.io/local-path_local-path-provisioner-7dc846544d-kxn2d_"
    "4b2b0a4f-0e7a-4c9e-9a8b-7d1f3c5e2a61"
)
BASE_PATH = "/var/local-path-provisioner"
VOLUMES_DATA = "volumes"  # volume name -> its files (see kubesim.sandbox.view)


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    classes = {
        sc["metadata"]["name"]: sc
        for sc in snapshot.list(CLASSES)
        if sc.get("provisioner") == PROVISIONER
    }
    existing = {v["metadata"]["name"] for v in snapshot.list(VOLUMES)}
    changes: list[Change] = []
    for claim in snapshot.list(CLAIMS):
        sc = classes.get(claim["spec"].get("storageClassName") or "")
        if sc is None or claim["spec"].get("volumeName") or meta.is_terminating(claim):
            continue
        node = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if sc.get("volumeBindingMode") == "WaitForFirstConsumer" and not node:
            continue
        name = f"pvc-{claim['metadata']['uid']}"
        if name in existing:
            continue
        m = claim["metadata"]
        changes += [
            RecordEvent(
                claim,
                "Normal",
                "Provisioning",
                f'External provisioner is provisioning volume for claim "{m["namespace"]}/{m["name"]}"',  # noqa: E501
                COMPONENT,
            ),
            Create(volume_for(claim, sc, name, node)),
            RecordEvent(
                claim,
                "Normal",
                "ProvisioningSucceeded",
                f"Successfully provisioned volume {name}",
                COMPONENT,
            ),
        ]
    # a deleted volume takes its directory, and the data in it, with it
    for name in snapshot.runtime(VOLUMES_DATA):
        if name not in existing:
            changes.append(SetRuntime(VOLUMES_DATA, name, None))
    return changes


def volume_for(claim: Object, sc: Object, name: str, node: str | None) -> Object:
    m = claim["metadata"]
    spec: Object = {
        "accessModes": list(claim["spec"].get("accessModes") or ["ReadWriteOnce"]),
        "capacity": {"storage": claim["spec"]["resources"]["requests"]["storage"]},
        "claimRef": {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "name": m["name"],
            "namespace": m["namespace"],
            "resourceVersion": m["resourceVersion"],
            "uid": m["uid"],
        },
        "hostPath": {
            "path": f"{BASE_PATH}/{name}_{m['namespace']}_{m['name']}",
            "type": "DirectoryOrCreate",
        },
        "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy", "Delete"),
        "storageClassName": sc["metadata"]["name"],
        "volumeMode": claim["spec"].get("volumeMode", "Filesystem"),
    }
    annotations = {"pv.kubernetes.io/provisioned-by": PROVISIONER}
    if node:
        annotations["local.path.provisioner/selected-node"] = node
        spec["nodeAffinity"] = {
            "required": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}
                        ]
                    }
                ]
            }
        }
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": annotations},
        "spec": spec,
    }
