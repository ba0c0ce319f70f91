"""The persistent volume controller: binds claims to volumes, releases and reclaims volumes.

Mirrors pkg/controller/volume/persistentvolume/pv_controller.go: a claim with a volumeName
binds to it; otherwise an Available volume of the same class with enough capacity and the
access modes asked for is picked; with WaitForFirstConsumer nothing happens until the scheduler
has chosen a node, then the class's provisioner is asked for a volume. When a claim goes, its
volume is Released and, by its reclaim policy, deleted (Delete) or kept (Retain).
Also the pvc-protection and pv-protection controllers, which hold deletion of a claim while a
pod uses it and of a volume while it is bound.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Delete, RecordEvent, Update, UpdateStatus
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import indexes

Object = dict[str, Any]
COMPONENT = "persistentvolume-controller"
CLAIMS, VOLUMES, CLASSES = (
    "persistentvolumeclaims",
    "persistentvolumes",
    "storageclasses.storage.k8s.io",
)
SELECTED_NODE = "volume.kubernetes.io/selected-node"
PROVISIONER_ANNOTATIONS = (
    "volume.beta.kubernetes.io/storage-provisioner",
    "volume.kubernetes.io/storage-provisioner",
)
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PVC_PROTECTION, PV_PROTECTION = "kubernetes.io/pvc-protection", "kubernetes.io/pv-protection"


CLAIM_KEY, VOLUME_KEY = "claim:", "volume:"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the volumes, then the claims, named by `keys` ("volume:<name>", "claim:<ns>/<name>";
    every one when None), then lift the protection of those being deleted that nothing holds."""
    keys = sorted(keys) if keys is not None else all_keys(snapshot)
    volumes = [
        v
        for k in keys
        if k.startswith(VOLUME_KEY)
        for v in [snapshot.get(VOLUMES, None, k.removeprefix(VOLUME_KEY))]
        if v is not None
    ]
    claims = [
        c
        for k in keys
        if k.startswith(CLAIM_KEY)
        for c in [snapshot.get(CLAIMS, *queue.split_key(k.removeprefix(CLAIM_KEY)))]
        if c is not None
    ]
    changes: list[Change] = []
    classes = {sc["metadata"]["name"]: sc for sc in snapshot.list(CLASSES)}
    taken: set[str] = set()
    for volume in volumes:
        changes += _sync_volume(snapshot, volume)
    for claim in claims:
        if meta.is_terminating(claim) or claim["status"].get("phase") == "Bound":
            continue
        changes += _sync_claim(snapshot, claim, classes, taken)
    changes += _protect(snapshot, claims, volumes)
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    volumes = [f"{VOLUME_KEY}{v['metadata']['name']}" for v in snapshot.list(VOLUMES)]
    return volumes + [f"{CLAIM_KEY}{k}" for k in queue.keys_of(snapshot.list(CLAIMS))]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A claim and the volume it names; a volume and the claim it is bound to (and, when it
    becomes Available, the claims still looking for one); a class (the claims of it still
    pending); a pod that lets go of a claim being deleted."""
    keys: set[str] = set()
    obj = event.new
    if event.resource == CLAIMS:
        keys.add(f"{CLAIM_KEY}{event.key}")
        if (obj.get("spec") or {}).get("volumeName"):
            keys.add(f"{VOLUME_KEY}{obj['spec']['volumeName']}")
    elif event.resource == VOLUMES:
        keys.add(f"{VOLUME_KEY}{event.name}")
        ref = (obj.get("spec") or {}).get("claimRef")
        if ref:
            keys.add(f"{CLAIM_KEY}{ref.get('namespace')}/{ref.get('name')}")
        elif event.type != "DELETED":
            keys |= _pending_claims(snapshot)
    elif event.resource == CLASSES:
        keys |= _pending_claims(snapshot)
    elif event.resource == "pods" and event.namespace:
        for volume in (obj.get("spec") or {}).get("volumes") or []:
            name = (volume.get("persistentVolumeClaim") or {}).get("claimName")
            claim = snapshot.get(CLAIMS, event.namespace, name) if name else None
            if claim is not None and meta.is_terminating(claim):
                keys.add(f"{CLAIM_KEY}{event.namespace}/{name}")
    return keys


def _pending_claims(snapshot: Snapshot) -> set[str]:
    pending = [c for c in snapshot.list(CLAIMS) if c["status"].get("phase") != "Bound"]
    return {f"{CLAIM_KEY}{k}" for k in queue.keys_of(pending)}


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(CLAIMS, VOLUMES, CLASSES, "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


# --- volumes (syncVolume) ---------------------------------------------------------------------


def _sync_volume(snapshot: Snapshot, volume: Object) -> list[Change]:
    ref = volume["spec"].get("claimRef")
    phase = (volume.get("status") or {}).get("phase")
    if ref is None:
        return (
            []
            if phase == "Available" or meta.is_terminating(volume)
            else [_volume_phase(volume, "Available")]
        )
    claim = snapshot.get(CLAIMS, ref.get("namespace", ""), ref.get("name", ""))
    if claim is not None and (not ref.get("uid") or claim["metadata"]["uid"] == ref.get("uid")):
        if claim["spec"].get("volumeName") == volume["metadata"]["name"] and phase != "Bound":
            return [_volume_phase(volume, "Bound")]
        return []
    if claim is None and not ref.get("uid"):
        return []  # pre-bound to a claim that does not exist yet
    # the claim is gone: Released, then reclaimed
    if phase != "Released":
        return [_volume_phase(volume, "Released")]
    if volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete" and not meta.is_terminating(
        volume
    ):
        m = volume["metadata"]
        return [Delete(VOLUMES, None, m["name"], uid=m["uid"])]
    return []


def _volume_phase(volume: Object, phase: str) -> UpdateStatus:
    new = meta.clone(volume)
    new["status"] = {**(volume.get("status") or {}), "phase": phase}
    if phase == "Released":
        new["status"]["lastPhaseTransitionTime"] = new["status"].get("lastPhaseTransitionTime")
    return UpdateStatus(new)


# --- claims (syncUnboundClaim) ----------------------------------------------------------------


def _sync_claim(
    snapshot: Snapshot, claim: Object, classes: dict[str, Object], taken: set[str]
) -> list[Change]:
    name = claim["spec"].get("volumeName")
    if name:
        volume = snapshot.get(VOLUMES, None, name)
        return _bind(claim, volume, by_controller=False) if volume is not None else []
    volume = _find_match(snapshot, claim, taken)
    if volume is not None:
        taken.add(volume["metadata"]["name"])
        return _bind(claim, volume, by_controller=True)
    sc = classes.get(claim["spec"].get("storageClassName") or "")
    if sc is None:
        return []
    annotations = claim["metadata"].get("annotations") or {}
    if sc.get("volumeBindingMode") == "WaitForFirstConsumer" and SELECTED_NODE not in annotations:
        message = "waiting for first consumer to be created before binding"
        return _event_once(snapshot, claim, "WaitForFirstConsumer", message)
    if all(a in annotations for a in PROVISIONER_ANNOTATIONS):
        return []
    provisioner = sc.get("provisioner", "")
    new = meta.clone(claim)
    for annotation in PROVISIONER_ANNOTATIONS:
        new["metadata"].setdefault("annotations", {})[annotation] = provisioner
    message = (
        f"Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
        "manually by the system administrator. If volume creation is delayed, please verify "
        "that the provisioner is running and correctly registered."
    )
    return [Update(new), RecordEvent(claim, "Normal", "ExternalProvisioning", message, COMPONENT)]


def _event_once(snapshot: Snapshot, claim: Object, reason: str, message: str) -> list[Change]:
    """The controller re-records this event on every sync; once per claim is what a user sees."""
    for event in snapshot.events_about(claim["metadata"]["uid"]):
        if event["reason"] == reason:
            return []
    return [RecordEvent(claim, "Normal", reason, message, COMPONENT)]


def _find_match(snapshot: Snapshot, claim: Object, taken: set[str]) -> Object | None:
    """The smallest Available volume that satisfies the claim (findBestMatchForClaim)."""
    wanted = quantity_bytes(
        ((claim["spec"].get("resources") or {}).get("requests") or {}).get("storage", "0")
    )
    modes = set(claim["spec"].get("accessModes") or [])
    klass = claim["spec"].get("storageClassName") or ""
    best: Object | None = None
    for volume in snapshot.list(VOLUMES):
        spec = volume["spec"]
        if volume["metadata"]["name"] in taken or meta.is_terminating(volume):
            continue
        ref = spec.get("claimRef")
        if ref is not None and (ref.get("name"), ref.get("namespace")) != (
            claim["metadata"]["name"],
            claim["metadata"]["namespace"],
        ):
            continue
        if ref is None and (volume.get("status") or {}).get("phase") != "Available":
            continue
        if (spec.get("storageClassName") or "") != klass or not modes <= set(
            spec.get("accessModes") or []
        ):
            continue
        size = quantity_bytes((spec.get("capacity") or {}).get("storage", "0"))
        if size < wanted:
            continue
        if best is None or size < quantity_bytes(best["spec"]["capacity"]["storage"]):
            best = volume
    return best


def _bind(claim: Object, volume: Object, *, by_controller: bool) -> list[Change]:
    """bindVolumeToClaim and bindClaimToVolume, then, on a later sync, the claim's Bound status."""
    changes: list[Change] = []
    name = volume["metadata"]["name"]
    if (volume["spec"].get("claimRef") or {}).get("uid") != claim["metadata"]["uid"]:
        bound_volume = meta.clone(volume)
        bound_volume["spec"]["claimRef"] = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "name": claim["metadata"]["name"],
            "namespace": claim["metadata"]["namespace"],
            "resourceVersion": claim["metadata"]["resourceVersion"],
            "uid": claim["metadata"]["uid"],
        }
        if by_controller:
            bound_volume["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
        changes.append(Update(bound_volume))
    annotations = claim["metadata"].get("annotations") or {}
    if claim["spec"].get("volumeName") != name or BIND_COMPLETED not in annotations:
        bound = meta.clone(claim)
        bound["metadata"].setdefault("annotations", {})[BIND_COMPLETED] = "yes"
        if by_controller or claim["spec"].get("volumeName") != name:
            bound["metadata"]["annotations"][BOUND_BY_CONTROLLER] = "yes"
        bound["spec"]["volumeName"] = name
        changes.append(Update(bound))
    elif not changes:
        status = {
            "phase": "Bound",
            "accessModes": list(volume["spec"].get("accessModes") or []),
            "capacity": dict(volume["spec"].get("capacity") or {}),
        }
        changes.append(UpdateStatus({**claim, "status": status}))
    return changes


# --- protection (pvc_protection_controller.go, pv_protection_controller.go) ---------------------


def _protect(snapshot: Snapshot, claims: list[Object], volumes: list[Object]) -> list[Change]:
    changes: list[Change] = []
    for claim in claims:
        m = claim["metadata"]
        if meta.is_terminating(claim) and PVC_PROTECTION in (m.get("finalizers") or []):
            users = snapshot.pods_using(indexes.CLAIM, m["namespace"], m["name"])
            if not any(
                (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                for pod in users
            ):
                changes.append(_without_finalizer(claim, PVC_PROTECTION))
    for volume in volumes:
        m = volume["metadata"]
        if meta.is_terminating(volume) and PV_PROTECTION in (m.get("finalizers") or []):
            if (volume.get("status") or {}).get("phase") != "Bound":
                changes.append(_without_finalizer(volume, PV_PROTECTION))
    return changes


def _without_finalizer(obj: Object, finalizer: str) -> Update:
    new = meta.clone(obj)
    new["metadata"]["finalizers"] = [f for f in obj["metadata"]["finalizers"] if f != finalizer]
    return Update(new)


def quantity_bytes(text: object) -> float:
    """A resource.Quantity ("1Gi", "500M", "2") as a number, for comparing sizes."""
    from kubesim.api import quantity

    return float(quantity.parse(str(text)).value)
