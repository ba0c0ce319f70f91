"""kubectl rollout's object mutators, pure (polymorphichelpers): the rollbackers
(rollback.go), the pauser and resumer (objectpauser.go, objectresumer.go) and the restarter
(objectrestarter.go). Each computes the object kubectl writes back, or raises kubectl's error.

Errors are UsageErrors carrying kubectl's text (printed as `error: ...`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from kubesim.api.errors import UsageError
from kubesim.api.kinds import Kind
from kubesim.controllers import deployment_utils as util

Object = dict[str, Any]

ROLLBACK_SUCCESS = "rolled back"
ROLLBACK_SKIPPED = "skipped rollback"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


def _supported(kind: Kind) -> bool:
    return kind.group == "apps" and kind.kind in ("Deployment", "StatefulSet", "DaemonSet")


def revision_template(sts: Mapping[str, Any], history: Mapping[str, Any]) -> Object:
    """The set's template as the revision stores it (applyStatefulSetHistory)."""
    data = history.get("data") or {}
    template = copy.deepcopy((data.get("spec") or {}).get("template") or sts["spec"]["template"])
    template.pop("$patch", None)
    return template  # type: ignore[no-any-return]


# --- rollback (polymorphichelpers/rollback.go) ---------------------------------------------------


def check_rollbacker(kind: Kind) -> None:
    if not _supported(kind):
        raise UsageError(f'no rollbacker has been implemented for "{kind.group_kind}"')


def revision_not_found(revision: int) -> UsageError:
    return UsageError(f"unable to find specified revision {revision} in history")


def rollback_deployment(
    d: Mapping[str, Any], replica_sets: Sequence[Mapping[str, Any]], to_revision: int
) -> tuple[str, Object | None]:
    """DeploymentRollbacker.Rollback: (result, deployment to write, or None to skip)."""
    if to_revision < 0:
        raise revision_not_found(to_revision)
    target = _deployment_revision(d, replica_sets, to_revision)
    if d["spec"].get("paused"):
        raise UsageError(
            "you cannot rollback a paused deployment; resume it first with "
            "'kubectl rollout resume' and try again"
        )
    if util.equal_ignore_hash(target["spec"]["template"], d["spec"]["template"]):
        return (
            f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})",
            None,
        )
    template = copy.deepcopy(target["spec"]["template"])
    labels = (template.get("metadata") or {}).get("labels")
    if labels is not None:
        labels.pop(util.POD_TEMPLATE_HASH_LABEL, None)
    current = d["metadata"].get("annotations") or {}
    annotations = {k: v for k, v in current.items() if k in util.ANNOTATIONS_TO_SKIP}
    for key, value in (target["metadata"].get("annotations") or {}).items():
        if key not in util.ANNOTATIONS_TO_SKIP:
            annotations[key] = value
    restored = copy.deepcopy(dict(d))
    restored["spec"]["template"] = template
    restored["metadata"]["annotations"] = annotations
    return ROLLBACK_SUCCESS, restored


def _deployment_revision(
    d: Mapping[str, Any], replica_sets: Sequence[Mapping[str, Any]], to_revision: int
) -> Mapping[str, Any]:
    """The replica set of `to_revision`, or of the previous revision when it is 0."""
    latest: tuple[int, Mapping[str, Any] | None] = (-1, None)
    previous: tuple[int, Mapping[str, Any] | None] = (-1, None)
    for rs in replica_sets:
        try:
            number = util.revision(rs)
        except ValueError:
            continue
        if to_revision == 0:
            if latest[0] < number:
                previous, latest = latest, (number, rs)
            elif previous[0] < number:
                previous = (number, rs)
        elif to_revision == number:
            return rs
    if to_revision > 0:
        raise revision_not_found(to_revision)
    if previous[1] is None:
        raise UsageError(f'no rollout history found for deployment "{d["metadata"]["name"]}"')
    return previous[1]


def rollback_statefulset(
    sts: Mapping[str, Any], revisions: Sequence[Mapping[str, Any]], to_revision: int
) -> tuple[str, Object | None]:
    """StatefulSetRollbacker.Rollback (DaemonSetRollbacker.Rollback is the same over the
    set's revisions): (result, set to write, or None to skip)."""
    if to_revision < 0:
        raise revision_not_found(to_revision)
    if to_revision == 0 and len(revisions) <= 1:
        raise UsageError("no last revision to roll back to")
    ordered = sorted(revisions, key=lambda r: int(r.get("revision", 0)))
    if to_revision == 0:
        target: Mapping[str, Any] | None = ordered[-2]
    else:
        target = next((r for r in ordered if int(r.get("revision", 0)) == to_revision), None)
    if target is None:
        raise revision_not_found(to_revision)
    template = revision_template(sts, target)
    if template == sts["spec"]["template"]:
        return (
            f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})",
            None,
        )
    restored = copy.deepcopy(dict(sts))
    restored["spec"]["template"] = template
    return ROLLBACK_SUCCESS, restored


# --- pause, resume, restart (objectpauser.go, objectresumer.go, objectrestarter.go) ---------------


def pause(kind: Kind, obj: Mapping[str, Any]) -> Object:
    """The paused object; the error kubectl reports (after `<resource> "<name>" `) otherwise."""
    if kind.kind != "Deployment":
        raise ValueError("pausing is not supported")
    if obj["spec"].get("paused"):
        raise ValueError("is already paused")
    paused = copy.deepcopy(dict(obj))
    paused["spec"]["paused"] = True
    return paused


def resume(kind: Kind, obj: Mapping[str, Any]) -> Object:
    if kind.kind != "Deployment":
        raise ValueError("resuming is not supported")
    if not obj["spec"].get("paused"):
        raise ValueError("is not paused")
    resumed = copy.deepcopy(dict(obj))
    resumed["spec"]["paused"] = False
    return resumed


def restart(kind: Kind, obj: Mapping[str, Any], now: str) -> Object:
    """The object with its pod template stamped `restartedAt` (RFC 3339), which its controller
    rolls out like any template change."""
    if not _supported(kind):
        raise ValueError("restarting is not supported")
    if kind.kind == "Deployment" and obj["spec"].get("paused"):
        raise ValueError("can't restart paused deployment (run rollout resume first)")
    restarted = copy.deepcopy(dict(obj))
    template_meta = restarted["spec"]["template"].setdefault("metadata", {})
    template_meta["annotations"] = {**(template_meta.get("annotations") or {}), RESTARTED_AT: now}
    return restarted
