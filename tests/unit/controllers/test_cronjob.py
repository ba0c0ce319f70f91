"""The CronJob controller's schedule arithmetic and the Jobs it makes (utils.go)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kubesim.api import cron, meta
from kubesim.controllers import cronjob

Object = dict[str, Any]


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def cron_job(created: str, last: str | None = None, deadline: int | None = None) -> Object:
    spec: Object = {"schedule": "*/5 * * * *", "jobTemplate": {
        "metadata": {"labels": {"team": "a"}}, "spec": {"template": {"spec": {}}}}}  # fmt: skip
    if deadline is not None:
        spec["startingDeadlineSeconds"] = deadline
    status = {"lastScheduleTime": meta.format_time(at(last))} if last else {}
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "backup", "namespace": "default", "uid": "u1",
                     "creationTimestamp": meta.format_time(at(created))},
        "spec": spec,
        "status": status,
    }  # fmt: skip


SCHEDULE = cron.parse_standard("*/5 * * * *")


def test_the_most_recent_unmet_time() -> None:
    cj = cron_job("2024-05-06 10:01:00")
    assert cronjob.next_schedule_time(cj, at("2024-05-06 10:04:00"), SCHEDULE) == (None, False)
    assert cronjob.next_schedule_time(cj, at("2024-05-06 10:05:00"), SCHEDULE) == (
        at("2024-05-06 10:05:00"),
        False,
    )
    # several missed: the latest one
    assert cronjob.next_schedule_time(cj, at("2024-05-06 10:27:00"), SCHEDULE) == (
        at("2024-05-06 10:25:00"),
        False,
    )
    served = cron_job("2024-05-06 10:01:00", last="2024-05-06 10:25:00")
    assert cronjob.next_schedule_time(served, at("2024-05-06 10:27:00"), SCHEDULE) == (None, False)
    assert cronjob.next_requeue(served, at("2024-05-06 10:27:00"), SCHEDULE) == (
        at("2024-05-06 10:30:00")
    )


def test_more_than_a_hundred_missed() -> None:
    cj = cron_job("2024-05-01 00:00:00")
    recent, many = cronjob.next_schedule_time(cj, at("2024-05-06 10:27:00"), SCHEDULE)
    assert (recent, many) == (at("2024-05-06 10:25:00"), True)


def test_the_job_for_a_time() -> None:
    cj = cron_job("2024-05-06 10:01:00")
    made = cronjob.job_from_template(cj, at("2024-05-06 10:05:00"), None)
    assert made["metadata"] == {
        "name": f"backup-{int(at('2024-05-06 10:05:00')) // 60}",
        "namespace": "default",
        "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-05-06T10:05:00Z"},
        "ownerReferences": [meta.owner_reference(cj)],
        "labels": {"team": "a"},
    }
    tokyo = cronjob.job_from_template(
        cj, at("2024-05-06 00:00:00"), cron.load_location("Asia/Tokyo")
    )
    assert tokyo["metadata"]["annotations"] == {
        "batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-05-06T09:00:00+09:00"
    }
