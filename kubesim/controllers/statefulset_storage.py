"""A StatefulSet's claims: created before each pod, owned by the set or the pod as the
retention policy says (the claim half of stateful_pod_control.go)."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers.changes import Change, Update
from kubesim.controllers.snapshot import Snapshot
from kubesim.controllers.statefulset_utils import get_claim_name, get_ordinal, pod_in_ordinal_range

Object = dict[str, Any]
CLAIMS = "persistentvolumeclaims"


def claims_for(sts: Object, ordinal: int) -> list[Object]:
    """The claims of one ordinal, from the templates (getPersistentVolumeClaims)."""
    claims = []
    selector_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
    for template in sts["spec"].get("volumeClaimTemplates") or []:
        claim = meta.clone(template)
        claim.pop("status", None)
        metadata = claim.setdefault("metadata", {})
        metadata["name"] = get_claim_name(sts, template, ordinal)
        metadata["namespace"] = sts["metadata"]["namespace"]
        metadata["labels"] = {**(metadata.get("labels") or {}), **selector_labels}
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claims.append(claim)
    return claims


def missing_claims(snapshot: Snapshot, sts: Object, pod: Object) -> tuple[list[Object], str]:
    """Claims to create before `pod` (createPersistentVolumeClaims), and an error if one of
    the existing claims is being deleted."""
    missing = []
    for claim in claims_for(sts, get_ordinal(pod)):
        existing = snapshot.get(CLAIMS, claim["metadata"]["namespace"], claim["metadata"]["name"])
        if existing is None:
            missing.append(claim)
        elif meta.is_terminating(existing):
            return [], f"pvc {claim['metadata']['name']} is being deleted"
    return missing, ""


def retention_updates(snapshot: Snapshot, sts: Object, pod: Object) -> list[Change]:
    """Owner references the claims of `pod` should carry (updateClaimOwnerRefForSetAndPod)."""
    changes: list[Change] = []
    policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    when_deleted, when_scaled = (
        policy.get("whenDeleted", "Retain"),
        policy.get("whenScaled", "Retain"),
    )
    scaled_down = not pod_in_ordinal_range(pod, sts)
    owned_by_set = when_deleted == "Delete" and not (when_scaled == "Delete" and scaled_down)
    owned_by_pod = when_scaled == "Delete" and scaled_down
    for claim in claims_for(sts, get_ordinal(pod)):
        current = snapshot.get(CLAIMS, claim["metadata"]["namespace"], claim["metadata"]["name"])
        if current is None or meta.is_terminating(current):
            continue
        refs = list(current["metadata"].get("ownerReferences") or [])
        wanted = _with_ref(refs, sts, owned_by_set, controller=True)
        if pod["metadata"].get("uid"):
            wanted = _with_ref(wanted, pod, owned_by_pod, controller=False)
        if wanted != refs:
            updated = meta.clone(current)
            if wanted:
                updated["metadata"]["ownerReferences"] = wanted
            else:
                updated["metadata"].pop("ownerReferences", None)
            changes.append(Update(updated))
    return changes


def _with_ref(
    refs: list[Object], owner: Object, present: bool, *, controller: bool
) -> list[Object]:
    uid = owner["metadata"]["uid"]
    others = [r for r in refs if r.get("uid") != uid]
    if not present:
        return others
    existing = next((r for r in refs if r.get("uid") == uid), None)
    return [*others, existing or meta.owner_reference(owner, controller=controller)]
