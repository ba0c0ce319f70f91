"""The local-path provisioner (rancher.io/local-path), the default StorageClass's, as in kind.

For a claim of its class that the scheduler has placed on a node (WaitForFirstConsumer), it
creates a PersistentVolume named `pvc-<claim uid>`: a directory on that node, pinned there by
node affinity, already pointing at the claim, with the class's reclaim policy.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Create, RecordEvent, SetRuntime
from kubesim.controllers.persistentvolume import (
    CLAIM_KEY,
    CLAIMS,
    CLASSES,
    SELECTED_NODE,
    VOLUME_KEY,
    VOLUMES,
)
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


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Provision for the claims named by `keys`; drop the data of the volumes named there that
    are gone (every claim and every volume's data when None)."""
    keys = sorted(keys) if keys is not None else all_keys(snapshot)
    changes: list[Change] = []
    for key in keys:
        if key.startswith(CLAIM_KEY):
            claim = snapshot.get(CLAIMS, *queue.split_key(key.removeprefix(CLAIM_KEY)))
            if claim is not None:
                changes += _provision(snapshot, claim)
    # a deleted volume takes its directory, and the data in it, with it
    data = snapshot.runtime(VOLUMES_DATA)
    for key in keys:
        name = key.removeprefix(VOLUME_KEY)
        if key.startswith(VOLUME_KEY) and snapshot.get(VOLUMES, None, name) is None:
            if name in data:
                changes.append(SetRuntime(VOLUMES_DATA, name, None))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    claims = [f"{CLAIM_KEY}{k}" for k in queue.keys_of(snapshot.list(CLAIMS))]
    return claims + [f"{VOLUME_KEY}{name}" for name in snapshot.runtime(VOLUMES_DATA)]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    if event.resource == CLAIMS:
        return (f"{CLAIM_KEY}{event.key}",)
    return (f"{VOLUME_KEY}{event.name}",) if event.type == "DELETED" else ()


def _provision(snapshot: Snapshot, claim: Object) -> list[Change]:
    sc = snapshot.get(CLASSES, None, claim["spec"].get("storageClassName") or "")
    if sc is None or sc.get("provisioner") != PROVISIONER:
        return []
    if claim["spec"].get("volumeName") or meta.is_terminating(claim):
        return []
    node = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
    if sc.get("volumeBindingMode") == "WaitForFirstConsumer" and not node:
        return []
    name = f"pvc-{claim['metadata']['uid']}"
    if snapshot.get(VOLUMES, None, name) is not None:
        return []
    m = claim["metadata"]
    return [
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


CONTROLLER = queue.Controller(
    name="local-path-provisioner",
    watches=(CLAIMS, VOLUMES),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


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
