"""Pure helpers of the DaemonSet controller, named as in pkg/controller/daemon/util and
daemon_controller.go: which nodes run a daemon pod, the pod a node gets, and the revision
bookkeeping shared with the StatefulSet controller's history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kubesim.api import meta
from kubesim.controllers import scheduler
from kubesim.controllers.deployment_utils import scaled_value

Object = dict[str, Any]

REVISION_LABEL = "controller-revision-hash"  # apps.DefaultDaemonSetUniqueLabelKey
GENERATION_LABEL = "pod-template-generation"  # extensions.DaemonSetTemplateGenerationKey
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"

# AddOrUpdateDaemonPodTolerations, in the order they are added: the node controller must never
# evict a daemon pod, and daemon pods run whatever the node's conditions
DAEMON_TOLERATIONS: tuple[tuple[str, str], ...] = (
    ("node.kubernetes.io/not-ready", "NoExecute"),
    ("node.kubernetes.io/unreachable", "NoExecute"),
    ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    ("node.kubernetes.io/memory-pressure", "NoSchedule"),
    ("node.kubernetes.io/pid-pressure", "NoSchedule"),
    ("node.kubernetes.io/unschedulable", "NoSchedule"),
)
NETWORK_UNAVAILABLE = ("node.kubernetes.io/network-unavailable", "NoSchedule")  # hostNetwork pods


def template_generation(ds: Mapping[str, Any]) -> int | None:
    """GetTemplateGeneration: the templateGeneration apps/v1 carries as an annotation."""
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION)
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def add_daemon_tolerations(spec: Object) -> None:
    """AddOrUpdateDaemonPodTolerations on a pod spec (changed in place): each toleration
    replaces one with the same key, operator, value and effect, else is appended."""
    wanted = list(DAEMON_TOLERATIONS)
    if spec.get("hostNetwork"):
        wanted.append(NETWORK_UNAVAILABLE)
    tolerations = list(spec.get("tolerations") or [])
    for key, effect in wanted:
        toleration = {"effect": effect, "key": key, "operator": "Exists"}
        for i, existing in enumerate(tolerations):
            if _same_toleration(existing, toleration):
                tolerations[i] = toleration
                break
        else:
            tolerations.append(toleration)
    spec["tolerations"] = tolerations


def _same_toleration(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Toleration.MatchToleration: tolerations are unique by key, operator, value, effect."""
    return all((a.get(f) or "") == (b.get(f) or "") for f in ("key", "operator", "value", "effect"))


def create_pod_template(ds: Mapping[str, Any], generation: int | None, hash_: str) -> Object:
    """CreatePodTemplate: the template with the daemon tolerations and the generation and
    revision labels."""
    template: Object = meta.clone(ds["spec"]["template"])
    add_daemon_tolerations(template.setdefault("spec", {}))
    labels = dict((template.get("metadata") or {}).get("labels") or {})
    if generation is not None:
        labels[GENERATION_LABEL] = str(generation)
    if hash_:
        labels[REVISION_LABEL] = hash_
    template.setdefault("metadata", {})["labels"] = labels
    return template


def replace_node_name_affinity(spec: Object, node: str) -> None:
    """ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity becomes one term
    selecting `node` by metadata.name (the preferred terms stay)."""
    affinity = dict(spec.get("affinity") or {})
    node_affinity = dict(affinity.get("nodeAffinity") or {})
    node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {
        "nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}
        ]
    }
    affinity["nodeAffinity"] = node_affinity
    spec["affinity"] = affinity


def new_pod(ds: Mapping[str, Any], node: str) -> Object:
    """NewPod: the daemon pod as it would be on `node`, for the scheduling predicates (only
    the fields they read: node selector, affinity, tolerations)."""
    template_spec = ds["spec"]["template"].get("spec") or {}
    spec: Object = {
        "nodeSelector": template_spec.get("nodeSelector"),
        "affinity": template_spec.get("affinity"),
        "hostNetwork": template_spec.get("hostNetwork"),
        "tolerations": template_spec.get("tolerations"),
    }
    add_daemon_tolerations(spec)
    spec["nodeName"] = node
    return {"metadata": {}, "spec": spec}


def node_should_run_daemon_pod(node: Object, ds: Mapping[str, Any]) -> tuple[bool, bool]:
    """NodeShouldRunDaemonPod: (shouldRun, shouldContinueRunning) on this node. Node name,
    node selector and required node affinity must fit; an untolerated NoSchedule taint stops
    new pods, an untolerated NoExecute taint the running ones too."""
    name = node["metadata"]["name"]
    template_node = (ds["spec"]["template"].get("spec") or {}).get("nodeName")
    if template_node and template_node != name:
        return False, False
    pod = new_pod(ds, name)
    if not scheduler.fits_node_affinity(pod, node):
        return False, False
    tolerations = pod["spec"].get("tolerations") or []
    untolerated = [
        taint
        for taint in (node.get("spec") or {}).get("taints") or []
        if taint.get("effect") in ("NoSchedule", "NoExecute")
        and not any(scheduler.tolerates(t, taint) for t in tolerations)
    ]
    if untolerated:
        return False, not any(t.get("effect") == "NoExecute" for t in untolerated)
    return True, True


def target_node_name(pod: Mapping[str, Any]) -> str | None:
    """GetTargetNodeName: spec.nodeName, else the node the daemon affinity names."""
    if pod["spec"].get("nodeName"):
        return str(pod["spec"]["nodeName"])
    terms = (
        ((pod["spec"].get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        or {}
    ).get("nodeSelectorTerms") or []
    for term in terms:
        for field in term.get("matchFields") or []:
            values = field.get("values") or []
            if field.get("key") == "metadata.name" and field.get("operator") == "In" and values:
                return str(values[0])
    return None


def is_pod_updated(pod: Mapping[str, Any], hash_: str, generation: int | None) -> bool:
    """IsPodUpdated: the pod carries the current revision's hash, or (for pods made before
    hashes) the current template generation."""
    labels = pod["metadata"].get("labels") or {}
    template_matches = generation is not None and labels.get(GENERATION_LABEL) == str(generation)
    return bool(hash_) and labels.get(REVISION_LABEL) == hash_ or template_matches


def allows_surge(ds: Mapping[str, Any]) -> bool:
    """AllowsSurge: a RollingUpdate whose maxSurge is not zero."""
    return surge_count(ds, 1) != 0


def _rolling(ds: Mapping[str, Any]) -> Mapping[str, Any]:
    strategy = ds["spec"].get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        return {}
    return strategy.get("rollingUpdate") or {}


def unavailable_count(ds: Mapping[str, Any], desired: int) -> int:
    """UnavailableCount: maxUnavailable scaled against the desired count, rounded up."""
    return scaled_value(_rolling(ds).get("maxUnavailable"), desired, True)


def surge_count(ds: Mapping[str, Any], desired: int) -> int:
    """SurgeCount: maxSurge scaled against the desired count, rounded up."""
    return scaled_value(_rolling(ds).get("maxSurge"), desired, True)


def by_creation_and_phase(pods: Sequence[Object]) -> list[Object]:
    """podByCreationTimestampAndPhase: the oldest first; at equal times, a running pod
    before one that is not, then by name."""
    return sorted(
        pods,
        key=lambda p: (
            str(p["metadata"].get("creationTimestamp") or ""),
            (p.get("status") or {}).get("phase") != "Running",
            p["metadata"]["name"],
        ),
    )
