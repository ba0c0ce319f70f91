"""The Job controller's pure helpers: completion index intervals, the pod failure back-off,
the pod failure and success policies."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import job_utils as ju

Object = dict[str, Any]


def pod(
    name: str = "p",
    phase: str = "Failed",
    exit_code: int = 1,
    finished: float = 100.0,
    index: int | None = None,
    conditions: list[Object] | None = None,
) -> Object:
    annotations = {} if index is None else {"batch.kubernetes.io/job-completion-index": str(index)}
    return {
        "metadata": {"name": name, "namespace": "default", "annotations": annotations,
                     "creationTimestamp": meta.format_time(0)},
        "status": {
            "phase": phase,
            "conditions": conditions or [],
            "containerStatuses": [
                {"name": "main", "state": {"terminated": {
                    "exitCode": exit_code, "finishedAt": meta.format_time(finished)}}}
            ],
        },
    }  # fmt: skip


def test_intervals() -> None:
    merged = ju.with_indexes([(0, 1), (5, 5)], [2, 4, 9])
    assert merged == [(0, 2), (4, 5), (9, 9)]
    assert ju.intervals_text(merged) == "0-2,4,5,9"
    assert ju.total(merged) == 6
    assert ju.parse_intervals("0-2,4,5,9", 6) == [(0, 2), (4, 5)]
    assert ju.first_pending_indexes([pod(index=1)], [(0, 0), (3, 3)], 3, 6) == [2, 4, 5]


def test_the_back_off_doubles_from_ten_seconds_to_ten_minutes() -> None:
    record = ju.next_backoff_record(None, [], [pod(finished=100.0)])
    assert record == {"failures": 1, "lastFailure": 100.0}
    assert ju.remaining_backoff(record, 104.0) == 6.0
    record = ju.next_backoff_record(record, [], [pod(finished=120.0), pod(finished=130.0)])
    assert record == {"failures": 3, "lastFailure": 130.0}
    assert ju.remaining_backoff(record, 130.0) == 40.0
    assert ju.remaining_backoff({"failures": 12, "lastFailure": 0.0}, 0.0) == 600.0
    cleared = ju.next_backoff_record(record, [pod(phase="Succeeded", finished=140.0)], [])
    assert cleared == {"failures": 0, "lastFailure": None}
    assert ju.remaining_backoff(cleared, 141.0) == 0.0


def test_pod_failure_policy_rules() -> None:
    policy = {
        "rules": [
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
            {"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In",
                                                  "values": [42]}},
            {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [42]}},
        ]
    }  # fmt: skip
    assert ju.match_pod_failure_policy(policy, pod("a", exit_code=42)) == (
        "Container main for pod default/a failed with exit code 42 matching FailJob rule at "
        "index 1",
        True,
        "FailJob",
    )
    assert ju.match_pod_failure_policy(policy, pod(exit_code=3)) == (None, True, "Count")
    disrupted = pod(conditions=[{"type": "DisruptionTarget", "status": "True"}])
    assert ju.match_pod_failure_policy(policy, disrupted) == (None, False, "Ignore")
    assert ju.match_pod_failure_policy(None, pod()) == (None, True, None)


def test_success_policy_rules() -> None:
    policy = {"rules": [{"succeededIndexes": "0,2-3", "succeededCount": 1}]}
    assert ju.match_success_policy(policy, 10, [(2, 2)]) == "Matched rules at index 0"
    assert ju.match_success_policy(policy, 10, [(5, 9)]) is None
    every = {"rules": [{"succeededIndexes": "0-1"}, {"succeededCount": 3}]}
    assert ju.match_success_policy(every, 10, [(0, 1)]) == "Matched rules at index 0"
    assert ju.match_success_policy(every, 10, [(4, 6)]) == "Matched rules at index 1"


def test_a_deleted_pod_counts_as_failed_unless_it_succeeded() -> None:
    """isPodFailed: a pod deleted before it reached a phase failed (unless only Failed pods
    are replaced); one that succeeded, whatever stopped it, succeeded."""
    deleted = pod(phase="Running")
    deleted["metadata"]["deletionTimestamp"] = meta.format_time(160.0)
    assert ju.is_pod_failed(deleted, {"spec": {}})
    assert not ju.is_pod_failed(deleted, {"spec": {"podReplacementPolicy": "Failed"}})
    stopped = pod(phase="Succeeded", exit_code=0)
    stopped["metadata"]["deletionTimestamp"] = meta.format_time(160.0)
    assert ju.is_succeeded(stopped) and not ju.is_pod_failed(stopped, {"spec": {}})
