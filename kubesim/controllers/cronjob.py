"""The CronJob controller (pkg/controller/cronjob/cronjob_controllerv2.go and utils.go, v1.32):
one sync per CronJob, at each scheduled time and whenever its Jobs change.

A sync forgets the Jobs that finished (SawCompletedJob) or went missing, deletes the oldest
finished ones past the history limits, and, when a scheduled time has come and not been
served, creates the Job for it, named `<cronjob>-<scheduled time in minutes since the
epoch>`, as the concurrency policy allows. The next scheduled time is a timer on the key, so
a cluster whose CronJob runs hourly costs nothing between the hours.

kubesim's controllers learn a new object's uid only once it is stored, so the Job created for
a time enters status.active at the next sync (a tick later), where the real controller puts it
there in the same status update as lastScheduleTime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubesim.api import cron, meta
from kubesim.controllers import queue
from kubesim.controllers.changes import (
    Change,
    Create,
    Delete,
    RecordEvent,
    Reported,
    Requeue,
    SetRuntime,
    UpdateStatus,
    retried_as,
)
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "cronjob-controller"
RESOURCE = "cronjobs.batch"
JOBS = "jobs.batch"
SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
MANY_MISSED = 100
# cronjob key -> {reason: what it was about}: the warnings a sync repeats about the same
# scheduled time (or schedule) are recorded once, so that syncing again changes nothing
REPORTS_SECTION = "cronjobreports"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        cron_job = snapshot.get(RESOURCE, namespace, name)
        if cron_job is not None:
            changes += retried_as(key, sync(snapshot, cron_job, now, key))
        elif key in snapshot.runtime(REPORTS_SECTION):
            changes.append(SetRuntime(REPORTS_SECTION, key, None))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    keys = list(queue.keys_of(snapshot.list(RESOURCE)))
    return keys + [k for k in snapshot.runtime(REPORTS_SECTION) if k not in keys]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """addCronJob/updateCronJob, and addJob/updateJob/deleteJob: a Job wakes the CronJob that
    controls it (before and after the change)."""
    if event.resource == RESOURCE:
        return (event.key,)
    keys = set()
    for metadata in event.metadatas():
        ref = next((r for r in metadata.get("ownerReferences") or [] if r.get("controller")), None)
        if ref is not None and ref.get("kind") == "CronJob":
            keys.add(f"{event.namespace}/{ref.get('name')}")
    return keys


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, JOBS),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def _event(cron_job: Object, reason: str, message: str, type_: str = "Normal") -> RecordEvent:
    return RecordEvent(cron_job, type_, reason, message, COMPONENT)


def finished_type(job: Object) -> str | None:
    """getFinishedStatus: Complete or Failed, when True."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            return str(condition["type"])
    return None


def job_name(cron_job: Object, scheduled: float) -> str:
    """getJobName: the CronJob's name and the scheduled time in minutes since the epoch."""
    return f"{cron_job['metadata']['name']}-{int(scheduled) // 60}"


class _Sync:
    def __init__(self, snapshot: Snapshot, cron_job: Object, now: float, key: str) -> None:
        self.cron_job, self.now, self.key = cron_job, now, key
        self.status: Object = meta.clone(cron_job.get("status") or {})
        self.changes: list[Change] = []
        self.reported: Object = dict(snapshot.runtime(REPORTS_SECTION).get(key) or {})
        self.reports_changed = False

    def warn(
        self, reason: str, about: str, message: str, type_: str = "Warning", topic: str = ""
    ) -> None:
        """A warning about `about` (a scheduled time, the schedule, a Job), once."""
        topic = topic or reason
        if self.reported.get(topic) == about:
            return
        self.reported[topic] = about
        self.reports_changed = True
        self.changes.append(_event(self.cron_job, reason, message, type_))

    @property
    def active(self) -> list[Object]:
        return list(self.status.get("active") or [])

    def forget(self, uid: str) -> None:
        """deleteFromActiveList."""
        self.status["active"] = [ref for ref in self.active if ref.get("uid") != uid]


def sync(snapshot: Snapshot, cron_job: Object, now: float, key: str) -> list[Change]:
    """sync: cleanupFinishedJobs, then syncCronJob; the status written once."""
    ctx = _Sync(snapshot, cron_job, now, key)
    jobs = snapshot.controlled_by(cron_job["metadata"]["uid"], JOBS)
    gone = _cleanup_finished_jobs(ctx, jobs)
    _sync_cron_job(ctx, [j for j in jobs if j["metadata"]["uid"] not in gone], gone)
    status = {k: v for k, v in ctx.status.items() if v not in (None, [])}
    if status != (cron_job.get("status") or {}):
        ctx.changes.insert(0, UpdateStatus({**cron_job, "status": status}))
    if ctx.reports_changed:
        ctx.changes.append(SetRuntime(REPORTS_SECTION, key, ctx.reported))
    return ctx.changes


def _cleanup_finished_jobs(ctx: _Sync, jobs: list[Object]) -> set[str]:
    """cleanupFinishedJobs / removeOldestJobs: past each history limit, the finished Jobs
    that started first are deleted. Returns their uids."""
    spec = ctx.cron_job.get("spec") or {}
    gone: set[str] = set()
    for kind, field in (("Complete", "successfulJobsHistoryLimit"),
                        ("Failed", "failedJobsHistoryLimit")):  # fmt: skip
        limit = spec.get(field)
        if limit is None:
            continue
        finished = [j for j in jobs if finished_type(j) == kind]
        surplus = len(finished) - int(limit)
        if surplus <= 0:
            continue
        for job in sorted(finished, key=_start_order)[:surplus]:
            _delete_job(ctx, job)
            gone.add(job["metadata"]["uid"])
    return gone


def _start_order(job: Object) -> tuple[int, float, str]:
    """byJobStartTime: started ones first, earliest first, then by name."""
    start = (job.get("status") or {}).get("startTime")
    return (
        (0, meta.parse_time(start), job["metadata"]["name"])
        if start
        else (1, 0.0, job["metadata"]["name"])
    )


def _delete_job(ctx: _Sync, job: Object) -> None:
    """deleteJob: the Job (and, in the background, its pods) and its place in the active list."""
    m = job["metadata"]
    ctx.changes.append(
        Reported(
            Delete(JOBS, m["namespace"], m["name"], uid=m["uid"]),
            _event(ctx.cron_job, "SuccessfulDelete", f"Deleted job {m['name']}"),
            lambda reason, message: _event(
                ctx.cron_job, "FailedDelete", f"Deleted job: {message}", "Warning"
            ),
        )
    )
    ctx.forget(m["uid"])


def _sync_cron_job(ctx: _Sync, jobs: list[Object], gone: set[str]) -> None:  # noqa: C901
    """syncCronJob."""
    cron_job, now = ctx.cron_job, ctx.now
    spec = cron_job.get("spec") or {}
    active_uids = {ref.get("uid") for ref in ctx.active}
    last = ctx.status.get("lastScheduleTime")
    for job in jobs:
        uid, name = job["metadata"]["uid"], job["metadata"]["name"]
        finished = finished_type(job)
        if uid not in active_uids and finished is None:
            if last and name == job_name(cron_job, meta.parse_time(last)):
                # the Job this controller created for its last time (see the module's note)
                ctx.status["active"] = [*ctx.active, _reference(job)]
                continue
            ctx.warn(
                "UnexpectedJob",
                uid,
                f"Saw a job that the controller did not create or forgot: {name}",
                topic=f"UnexpectedJob/{uid}",
            )
        elif uid in active_uids and finished is not None:
            ctx.forget(uid)
            ctx.changes.append(
                _event(cron_job, "SawCompletedJob",
                       f"Saw completed job: {name}, status: {finished}")
            )  # fmt: skip
        elif finished == "Complete":
            done = (job.get("status") or {}).get("completionTime")
            current = ctx.status.get("lastSuccessfulTime")
            if done and (current is None or meta.parse_time(done) > meta.parse_time(current)):
                ctx.status["lastSuccessfulTime"] = done
    present = {j["metadata"]["uid"] for j in jobs} | gone
    for ref in ctx.active:
        if ref.get("uid") not in present:
            ctx.changes.append(
                _event(cron_job, "MissingJob", f"Active job went missing: {ref.get('name')}")
            )
            ctx.forget(str(ref.get("uid")))
    if meta.is_terminating(cron_job):
        return
    zone_name = spec.get("timeZone")
    zone = None
    if zone_name is not None:
        try:
            zone = cron.load_location(str(zone_name))
        except cron.CronError as err:
            ctx.warn("UnknownTimeZone", str(zone_name), f'invalid timeZone: "{zone_name}": {err}')
            return
    if spec.get("suspend") is True:
        return
    schedule_text = str(spec.get("schedule") or "")
    if "TZ" in schedule_text:
        ctx.warn("UnsupportedSchedule", schedule_text,
                 f'CRON_TZ or TZ used in schedule "{schedule_text}" is not officially '
                 "supported, see https://kubernetes.io/docs/concepts/workloads/controllers/"
                 "cron-jobs/ for more details")  # fmt: skip
    try:
        schedule = cron.parse_standard(schedule_text, zone or cron.load_location("UTC"))
    except cron.CronError as err:
        ctx.warn("UnparseableSchedule", schedule_text,
                 f'unparseable schedule: "{schedule_text}" : {err}')  # fmt: skip
        return
    try:
        scheduled, many = next_schedule_time(cron_job, now, schedule)
    except cron.CronError as err:
        ctx.warn("InvalidSchedule", schedule_text, f"invalid schedule: {schedule_text} : {err}")
        return
    if many and scheduled is not None:
        ctx.warn("TooManyMissedTimes", meta.format_time(scheduled),
                 "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
                 "or check clock skew")  # fmt: skip
    if scheduled is None:
        ctx.changes.append(Requeue(ctx.key, next_requeue(cron_job, now, schedule)))
        return
    deadline = spec.get("startingDeadlineSeconds")
    if deadline is not None and scheduled + int(deadline) < now:
        from kubesim.printers.describe.common import format_rfc1123z

        ctx.warn(
            "MissSchedule",
            meta.format_time(scheduled),
            f"Missed scheduled time to start a job: {format_rfc1123z(scheduled)}",
        )
        ctx.changes.append(Requeue(ctx.key, next_requeue(cron_job, now, schedule)))
        return
    name = job_name(cron_job, scheduled)
    stamp = meta.format_time(scheduled)
    if any(ref.get("name") == name for ref in ctx.active) or last == stamp:
        ctx.changes.append(Requeue(ctx.key, next_requeue(cron_job, now, schedule)))
        return
    if spec.get("concurrencyPolicy") == "Forbid" and ctx.active:
        ctx.warn("JobAlreadyActive", stamp,
                 "Not starting job because prior execution is running and concurrency "
                 "policy is Forbid", "Normal")  # fmt: skip
        ctx.changes.append(Requeue(ctx.key, next_requeue(cron_job, now, schedule)))
        return
    if spec.get("concurrencyPolicy") == "Replace":
        by_uid = {j["metadata"]["uid"]: j for j in jobs}
        for ref in ctx.active:
            running = by_uid.get(str(ref.get("uid")))
            if running is not None:
                _delete_job(ctx, running)
    ctx.changes.append(
        Reported(
            Create(job_from_template(cron_job, scheduled, zone)),
            _event(cron_job, "SuccessfulCreate", f"Created job {name}"),
            lambda reason, message: (
                None
                if reason in ("AlreadyExists",)
                or (reason == "Forbidden" and "because it is being terminated" in message)
                else _event(cron_job, "FailedCreate", f"Error creating job: {message}", "Warning")
            ),
        )
    )
    ctx.status["lastScheduleTime"] = stamp
    ctx.changes.append(Requeue(ctx.key, next_requeue({**cron_job, "status": ctx.status}, now,
                                                     schedule)))  # fmt: skip


def _reference(job: Object) -> Object:
    """getRef: the ObjectReference status.active holds."""
    m = job["metadata"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": m["name"],
        "namespace": m["namespace"],
        "resourceVersion": m.get("resourceVersion", ""),
        "uid": m["uid"],
    }


def job_from_template(cron_job: Object, scheduled: float, zone: Any) -> Object:
    """getJobFromTemplate2: the template's labels and annotations (with the scheduled time,
    CronJobsScheduledAnnotation), the deterministic name, owned by the CronJob."""
    template = (cron_job.get("spec") or {}).get("jobTemplate") or {}
    template_meta = template.get("metadata") or {}
    annotations = dict(template_meta.get("annotations") or {})
    when = datetime.fromtimestamp(int(scheduled), zone or cron.load_location("UTC"))
    text = when.isoformat()
    annotations[SCHEDULED_ANNOTATION] = text[:-6] + "Z" if text.endswith("+00:00") else text
    metadata: Object = {
        "name": job_name(cron_job, scheduled),
        "namespace": cron_job["metadata"]["namespace"],
        "annotations": annotations,
        "ownerReferences": [meta.owner_reference(cron_job)],
    }
    if template_meta.get("labels"):
        metadata["labels"] = dict(template_meta["labels"])
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": meta.clone(template.get("spec") or {}),
    }


# --- schedule arithmetic (utils.go) -----------------------------------------------------------


def _most_recent(
    cron_job: Object, now: float, schedule: cron.Schedule, *, include_deadline: bool
) -> tuple[float, float | None, str]:
    """mostRecentScheduleTime: (the earliest time considered, the most recent scheduled time
    at or before now or None, "none" | "few" | "many" missed)."""
    status = cron_job.get("status") or {}
    last = status.get("lastScheduleTime")
    earliest = meta.parse_time(last or str(cron_job["metadata"].get("creationTimestamp")))
    deadline = (cron_job.get("spec") or {}).get("startingDeadlineSeconds")
    if include_deadline and deadline is not None:
        earliest = max(earliest, now - int(deadline))
    t1 = schedule.next(earliest)
    t2 = schedule.next(t1)
    if now < t1:
        return earliest, None, "none"
    if now < t2:
        return earliest, t1, "none"
    between = round(t2 - t1)
    if between < 1:
        raise cron.CronError("time difference between two schedules is less than 1 second")
    missed = int(now - t1) // between + 1
    potential = t1 + (missed - 2) * between
    recent = None
    t = schedule.next(potential)
    while t <= now and t > 0:
        recent = t
        t = schedule.next(t)
    kind = "many" if missed > MANY_MISSED else "few"
    return earliest, recent, kind


def next_schedule_time(
    cron_job: Object, now: float, schedule: cron.Schedule
) -> tuple[float | None, bool]:
    """nextScheduleTime: the unmet scheduled time to act on (None if there is none), and
    whether more than 100 were missed."""
    _, recent, missed = _most_recent(cron_job, now, schedule, include_deadline=True)
    if recent is None or recent > now:
        return None, False
    return recent, missed == "many"


def next_requeue(cron_job: Object, now: float, schedule: cron.Schedule) -> float:
    """nextScheduleTimeDuration: the next scheduled time after the most recent one (or after
    now when some were missed), as the time to sync again."""
    try:
        earliest, recent, missed = _most_recent(cron_job, now, schedule, include_deadline=False)
    except cron.CronError:
        earliest, recent, missed = now, now, "none"
    if recent is None:
        recent = earliest if missed == "none" else now
    return max(schedule.next(recent), now + 1)
