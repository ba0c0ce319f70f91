"""`kubectl describe` for Jobs, CronJobs and Secrets (describe.go describeJob, describeCronJob,
describeJobTemplate, printActiveJobs, describeSecret; v1.32)."""

from __future__ import annotations

import base64
import binascii

from kubesim.printers.age import human_duration
from kubesim.printers.describe.common import (
    Context,
    Object,
    controller_of,
    metadata,
    print_annotations_multiline,
    print_labels_multiline,
    selector_string,
)
from kubesim.printers.describe.events import describe_events, events_for
from kubesim.printers.describe.pods import describe_pod_template
from kubesim.printers.describe.writer import LEVEL_0, PrefixWriter


def describe_job(ctx: Context, job: Object) -> str:
    from kubesim.api import meta

    md, spec, status = metadata(job), job.get("spec") or {}, job.get("status") or {}
    events = events_for(ctx, job)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    w.write(LEVEL_0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    controlled_by = controller_of(job)
    if controlled_by:
        w.write(LEVEL_0, f"Controlled By:\t{controlled_by}\n")
    if spec.get("parallelism") is not None:
        w.write(LEVEL_0, f"Parallelism:\t{spec['parallelism']}\n")
    completions = spec.get("completions")
    w.write(LEVEL_0, f"Completions:\t{'<unset>' if completions is None else completions}\n")
    if spec.get("completionMode") is not None:
        w.write(LEVEL_0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(LEVEL_0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(LEVEL_0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(LEVEL_0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, done = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(LEVEL_0, f"Start Time:\t{ctx.rfc1123z(start)}\n")
    if done:
        w.write(LEVEL_0, f"Completed At:\t{ctx.rfc1123z(done)}\n")
    if start and done:
        took = meta.parse_time(done) - meta.parse_time(start)
        w.write(LEVEL_0, f"Duration:\t{human_duration(took)}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    counts = (
        f"{status.get('active', 0)} Active"
        + ("" if status.get("ready") is None else f" ({status['ready']} Ready)")
        + f" / {status.get('succeeded', 0)} Succeeded / {status.get('failed', 0)} Failed"
    )
    w.write(LEVEL_0, f"Pods Statuses:\t{counts}\n")
    if spec.get("completionMode") == "Indexed":
        indexes = cap_indexes(str(status.get("completedIndexes") or ""), 50)
        w.write(LEVEL_0, f"Completed Indexes:\t{indexes}\n")
    describe_pod_template(ctx, spec.get("template"), w)
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def cap_indexes(indexes: str, soft_limit: int) -> str:
    """capIndexesListOrNone: the list up to the first comma past `soft_limit`, then `...`."""
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut < 0 else indexes[: cut + 1] + "..."


def describe_cron_job(ctx: Context, cron_job: Object) -> str:
    md, spec = metadata(cron_job), cron_job.get("spec") or {}
    status = cron_job.get("status") or {}
    events = events_for(ctx, cron_job)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    w.write(LEVEL_0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(LEVEL_0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(
        LEVEL_0,
        f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n",
    )
    for title, field in (
        ("Successful Job History Limit", "successfulJobsHistoryLimit"),
        ("Failed Job History Limit", "failedJobsHistoryLimit"),
    ):
        value = spec.get(field)
        w.write(LEVEL_0, f"{title}:\t{'<unset>' if value is None else value}\n")
    deadline = spec.get("startingDeadlineSeconds")
    w.write(
        LEVEL_0,
        f"Starting Deadline Seconds:\t{'<unset>' if deadline is None else f'{deadline}s'}\n",
    )
    _job_template(ctx, spec.get("jobTemplate") or {}, w)
    last = status.get("lastScheduleTime")
    w.write(LEVEL_0, f"Last Schedule Time:\t{ctx.rfc1123z(last) if last else '<unset>'}\n")
    active = [str(ref.get("name", "")) for ref in status.get("active") or []]
    w.write(LEVEL_0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    if events is not None:
        describe_events(ctx, events, w)
    return w.text()


def _job_template(ctx: Context, template: Object, w: PrefixWriter) -> None:
    """describeJobTemplate."""
    spec = template.get("spec") or {}
    selector = spec.get("selector")
    w.write(LEVEL_0, f"Selector:\t{'<unset>' if selector is None else selector_string(selector)}\n")
    for title, field in (("Parallelism", "parallelism"), ("Completions", "completions")):
        value = spec.get(field)
        w.write(LEVEL_0, f"{title}:\t{'<unset>' if value is None else value}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(LEVEL_0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(ctx, spec.get("template"), w)


def describe_secret(ctx: Context, secret: Object) -> str:
    """describeSecret: each key with its size, never its value (a service account token's
    token aside); no events.

    kubectl ranges over the Go map, so its key order varies; kubesim prints them sorted."""
    md = metadata(secret)
    w = PrefixWriter()
    w.write(LEVEL_0, f"Name:\t{md.get('name', '')}\n")
    w.write(LEVEL_0, f"Namespace:\t{md.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", md.get("labels"))
    print_annotations_multiline(w, "Annotations", md.get("annotations"))
    kind = str(secret.get("type") or "")
    w.write(LEVEL_0, f"\nType:\t{kind}\n")
    w.write(LEVEL_0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        value = _decoded(str(data[key] or ""))
        if key == "token" and kind == "kubernetes.io/service-account-token":
            w.write(LEVEL_0, f"{key}:\t{value.decode('utf-8', 'replace')}\n")
        else:
            w.write(LEVEL_0, f"{key}:\t{len(value)} bytes\n")
    return w.text()


def _decoded(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return value.encode()
