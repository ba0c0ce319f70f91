"""Small pure helpers of the StatefulSet controller, named as in stateful_set_utils.go."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from kubesim.api import meta

Object = dict[str, Any]

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"
HASH_LABEL = "controller.kubernetes.io/hash"

_STATEFUL_POD_RE = re.compile(r"^(.*)-([0-9]+)$")
_SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def get_parent_name_and_ordinal(pod: Mapping[str, Any]) -> tuple[str, int]:
    """The set name and ordinal a pod name encodes; ("", -1) when it encodes none."""
    match = _STATEFUL_POD_RE.match(pod["metadata"]["name"])
    if not match:
        return "", -1
    return match.group(1), int(match.group(2))


def get_ordinal(pod: Mapping[str, Any]) -> int:
    return get_parent_name_and_ordinal(pod)[1]


def get_pod_name(sts: Mapping[str, Any], ordinal: int) -> str:
    return f"{sts['metadata']['name']}-{ordinal}"


def get_start_ordinal(sts: Mapping[str, Any]) -> int:
    return int((sts["spec"].get("ordinals") or {}).get("start", 0))


def get_end_ordinal(sts: Mapping[str, Any]) -> int:
    return get_start_ordinal(sts) + int(sts["spec"].get("replicas", 1)) - 1


def pod_in_ordinal_range(pod: Mapping[str, Any], sts: Mapping[str, Any]) -> bool:
    ordinal = get_ordinal(pod)
    return get_start_ordinal(sts) <= ordinal <= get_end_ordinal(sts)


def is_member_of(sts: Mapping[str, Any], pod: Mapping[str, Any]) -> bool:
    return get_parent_name_and_ordinal(pod)[0] == str(sts["metadata"]["name"])


def is_created(pod: Mapping[str, Any]) -> bool:
    return bool((pod.get("status") or {}).get("phase"))


def is_failed(pod: Mapping[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") == "Failed"


def is_succeeded(pod: Mapping[str, Any]) -> bool:
    return (pod.get("status") or {}).get("phase") == "Succeeded"


def is_terminating(pod: Mapping[str, Any]) -> bool:
    return meta.is_terminating(pod)


def ready_condition(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "Ready":
            return condition  # type: ignore[no-any-return]
    return None


def is_running_and_ready(pod: Mapping[str, Any]) -> bool:
    condition = ready_condition(pod)
    return (
        (pod.get("status") or {}).get("phase") == "Running"
        and condition is not None
        and condition.get("status") == "True"
    )


def is_running_and_available(pod: Mapping[str, Any], min_ready_seconds: int, now: float) -> bool:
    """Ready for at least minReadySeconds (podutil.IsPodAvailable)."""
    if not is_running_and_ready(pod):
        return False
    if min_ready_seconds <= 0:
        return True
    condition = ready_condition(pod) or {}
    since = condition.get("lastTransitionTime")
    return bool(since) and meta.parse_time(str(since)) + min_ready_seconds <= now


def is_healthy(pod: Mapping[str, Any]) -> bool:
    return is_running_and_ready(pod) and not is_terminating(pod)


def get_pod_revision(pod: Mapping[str, Any]) -> str:
    return str((pod["metadata"].get("labels") or {}).get(REVISION_LABEL, ""))


def identity_matches(sts: Mapping[str, Any], pod: Mapping[str, Any]) -> bool:
    parent, ordinal = get_parent_name_and_ordinal(pod)
    labels = pod["metadata"].get("labels") or {}
    return (
        ordinal >= 0
        and sts["metadata"]["name"] == parent
        and pod["metadata"]["name"] == get_pod_name(sts, ordinal)
        and pod["metadata"].get("namespace") == sts["metadata"].get("namespace")
        and labels.get(POD_NAME_LABEL) == pod["metadata"]["name"]
    )


def update_identity(sts: Mapping[str, Any], pod: Object) -> Object:
    """A copy of `pod` with its name-derived labels restored (hostname is immutable)."""
    pod = meta.clone(pod)
    labels = pod["metadata"].setdefault("labels", {})
    labels[POD_NAME_LABEL] = pod["metadata"]["name"]
    labels[POD_INDEX_LABEL] = str(get_ordinal(pod))
    return pod


def get_claim_name(sts: Mapping[str, Any], claim: Mapping[str, Any], ordinal: int) -> str:
    """`<template>-<set>-<ordinal>`, e.g. www-web-0 (getPersistentVolumeClaimName)."""
    return f"{claim['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"


def new_statefulset_pod(sts: Mapping[str, Any], ordinal: int) -> Object:
    """The pod for `ordinal`, from the set's template (newStatefulSetPod)."""
    template = sts["spec"]["template"]
    name = get_pod_name(sts, ordinal)
    template_meta = template.get("metadata") or {}
    labels = dict(template_meta.get("labels") or {})
    labels[POD_NAME_LABEL] = name
    labels[POD_INDEX_LABEL] = str(ordinal)
    metadata: Object = {
        "name": name,
        "namespace": sts["metadata"]["namespace"],
        "labels": labels,
        "ownerReferences": [meta.owner_reference(sts)],
    }
    if template_meta.get("annotations"):
        metadata["annotations"] = dict(template_meta["annotations"])
    spec = meta.clone(template.get("spec") or {})
    spec["hostname"] = name
    if sts["spec"].get("serviceName"):
        spec["subdomain"] = sts["spec"]["serviceName"]
    claims = sts["spec"].get("volumeClaimTemplates") or []
    if claims:
        claim_names = {c["metadata"]["name"] for c in claims}
        volumes = [v for v in spec.get("volumes") or [] if v.get("name") not in claim_names]
        for claim in claims:
            volumes.append(
                {
                    "name": claim["metadata"]["name"],
                    "persistentVolumeClaim": {"claimName": get_claim_name(sts, claim, ordinal)},
                }
            )
        spec["volumes"] = volumes
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


# --- revisions ---------------------------------------------------------------------------------


def revision_data(sts: Mapping[str, Any]) -> Object:
    """The patch a ControllerRevision stores: the whole template, replacing (getPatch)."""
    template = meta.clone(sts["spec"]["template"])
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def hash_revision(data: Mapping[str, Any], collision_count: int) -> str:
    """FNV-32a of the data, as a decimal string in the safe alphabet (controller_history.go)."""
    raw = json.dumps(meta.without_null_stamps(data), sort_keys=True, separators=(",", ":")).encode()
    value = 0x811C9DC5
    for byte in raw:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    if collision_count:
        for byte in collision_count.to_bytes(4, "little"):
            value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "".join(_SAFE_ALPHABET[ord(c) % len(_SAFE_ALPHABET)] for c in str(value))


def new_revision(sts: Mapping[str, Any], revision: int, collision_count: int) -> Object:
    """A ControllerRevision for the set's current template (newRevision)."""
    data = revision_data(sts)
    digest = hash_revision(data, collision_count)
    labels = dict((sts["spec"]["template"].get("metadata") or {}).get("labels") or {})
    labels[HASH_LABEL] = digest
    metadata: Object = {
        "name": f"{sts['metadata']['name'][:223]}-{digest}",
        "namespace": sts["metadata"]["namespace"],
        "labels": labels,
        "ownerReferences": [meta.owner_reference(sts)],
    }
    if sts["metadata"].get("annotations"):
        metadata["annotations"] = dict(sts["metadata"]["annotations"])
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": metadata,
        "data": data,
        "revision": revision,
    }


def apply_revision(sts: Mapping[str, Any], revision: Mapping[str, Any]) -> Object:
    """The set as it was at `revision`: its template replaced by the stored one."""
    template = meta.clone(revision["data"]["spec"]["template"])
    template.pop("$patch", None)
    return {**sts, "spec": {**sts["spec"], "template": template}}


def next_revision(revisions: Sequence[Mapping[str, Any]]) -> int:
    return max((int(r.get("revision", 0)) for r in revisions), default=0) + 1
