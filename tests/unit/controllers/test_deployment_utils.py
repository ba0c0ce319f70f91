"""deployment_util.go's helpers: fenceposts, hashing, revisions, conditions."""

from __future__ import annotations

import pytest

from kubesim.controllers import deployment_utils as util
from tests.factories import deployment, replica_set_of


@pytest.mark.parametrize(
    ("surge", "unavailable", "desired", "expected"),
    [
        ("25%", "25%", 3, (1, 0)),  # surge rounds up, unavailable down
        ("25%", "25%", 4, (1, 1)),
        ("25%", "25%", 10, (3, 2)),
        (0, "1%", 2, (0, 1)),  # both zero: unavailable becomes 1
        (3, 2, 10, (3, 2)),
        ("100%", 0, 5, (5, 0)),
    ],
)
def test_resolve_fenceposts(
    surge: object, unavailable: object, desired: int, expected: tuple[int, int]
) -> None:
    assert util.resolve_fenceposts(surge, unavailable, desired) == expected  # type: ignore[arg-type]


def test_max_unavailable_is_capped_by_replicas_and_zero_for_recreate() -> None:
    assert util.max_unavailable(deployment(replicas=2, max_surge=0, max_unavailable=5)) == 2
    assert util.max_unavailable(deployment(strategy="Recreate")) == 0
    assert util.max_surge(deployment(strategy="Recreate")) == 0


def test_hash_uses_the_safe_alphabet_and_changes_with_the_template() -> None:
    template = deployment()["spec"]["template"]
    first = util.compute_hash(template, None)
    assert set(first) <= set("bcdfghjklmnpqrstvwxz2456789")
    other = deployment(image="nginx:1.16.1")["spec"]["template"]
    assert util.compute_hash(other, None) != first


def test_hash_changes_with_the_collision_count() -> None:
    template = deployment()["spec"]["template"]
    assert util.compute_hash(template, 1) != util.compute_hash(template, None)


def test_equal_ignore_hash_ignores_only_the_hash_label() -> None:
    d = deployment()
    rs = replica_set_of(d, 3)
    assert util.equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"])
    other = replica_set_of(d, 3, image="nginx:1.16.1")
    assert not util.equal_ignore_hash(other["spec"]["template"], d["spec"]["template"])


def test_new_rs_new_replicas_stops_at_max_surge() -> None:
    d = deployment(replicas=3)
    old = replica_set_of(d, 3, image="nginx:1.1")
    new = replica_set_of(d, 0)
    assert util.new_rs_new_replicas(d, [old, new], new) == 1
    assert util.new_rs_new_replicas(d, [replica_set_of(d, 1, image="nginx:1.1"), new], new) == 3


def test_set_new_replica_set_annotations_records_the_revision_history() -> None:
    d = deployment()
    rs = replica_set_of(d, 3, revision=1)
    assert util.set_new_replica_set_annotations(d, rs, "3", True)
    annotations = rs["metadata"]["annotations"]
    assert annotations["deployment.kubernetes.io/revision"] == "3"
    assert annotations["deployment.kubernetes.io/revision-history"] == "1"


def test_set_condition_keeps_transition_time_for_the_same_status() -> None:
    status: dict[str, object] = {}
    util.set_condition(status, util.new_condition("Progressing", "True", "A", "a", 100))
    util.set_condition(status, util.new_condition("Progressing", "True", "B", "b", 200))
    (condition,) = status["conditions"]  # type: ignore[misc]
    assert condition["reason"] == "B"
    assert condition["lastTransitionTime"] == "1970-01-01T00:01:40Z"
    assert condition["lastUpdateTime"] == "1970-01-01T00:03:20Z"


def test_deployment_times_out_after_the_progress_deadline() -> None:
    d = deployment()
    status = {
        "conditions": [util.new_condition("Progressing", "True", "ReplicaSetUpdated", "m", 0)]
    }
    assert not util.deployment_timed_out(d, status, 600)
    assert util.deployment_timed_out(d, status, 601)
