"""The TTL-after-finished controller (pkg/controller/ttlafterfinished): a finished Job with
spec.ttlSecondsAfterFinished is deleted, its pods with it (foreground deletion), that many
seconds after its Complete or Failed condition was set."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Delete, Requeue
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "ttl-after-finished-controller"
RESOURCE = "jobs.batch"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        job = snapshot.get(RESOURCE, namespace, name)
        if job is not None:
            changes += process_job(job, now, key)
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list(RESOURCE)))


def finish_time(job: Object) -> float | None:
    """jobFinishTime: when Complete or Failed became True."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            stamp = condition.get("lastTransitionTime")
            return meta.parse_time(stamp) if stamp else None
    return None


def process_job(job: Object, now: float, key: str) -> list[Change]:
    """processJob: delete an expired Job, or come back when it expires."""
    ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
    if ttl is None or meta.is_terminating(job):
        return []
    finished = finish_time(job)
    if finished is None:
        return []
    expires = finished + int(ttl)
    if now < expires:
        return [Requeue(key, expires)]
    m = job["metadata"]
    return [Delete(RESOURCE, m["namespace"], m["name"], uid=m["uid"], propagation="Foreground")]


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE,),
    keys_for=lambda snapshot, event: queue.own_key(event),
    all_keys=all_keys,
    reconcile=reconcile,
)
