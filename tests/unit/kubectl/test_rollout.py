"""kubectl rollout's object mutators: undo, pause, resume, restart."""

from __future__ import annotations

import copy

import pytest

from kubesim.api import kinds
from kubesim.api.errors import UsageError
from kubesim.kubectl import rollout
from tests.factories import deployment, replica_set_of, revision_of, statefulset

DEPLOYMENTS = kinds.by_resource("deployments.apps")
STATEFULSETS = kinds.by_resource("statefulsets.apps")


# --- rollback ------------------------------------------------------------------------------------


def test_undo_restores_the_previous_revision_without_the_hash_label() -> None:
    d = deployment(image="nginx:1.16.1")
    d["metadata"]["annotations"] = {"deployment.kubernetes.io/revision": "2"}
    previous = replica_set_of(d, 0, revision=1, image="nginx:1.14.2")
    current = replica_set_of(d, 3, revision=2)
    result, restored = rollout.rollback_deployment(d, [current, previous], 0)
    assert result == "rolled back"
    assert restored is not None
    assert restored["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.14.2"
    assert restored["spec"]["template"]["metadata"]["labels"] == {"app": "nginx"}
    assert restored["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "2"}


def test_undo_to_the_current_template_is_skipped() -> None:
    d = deployment()
    current = replica_set_of(d, 3, revision=2)
    assert rollout.rollback_deployment(d, [current], 2) == (
        "skipped rollback (current template already matches revision 2)",
        None,
    )


def test_undo_to_an_unknown_revision_is_an_error() -> None:
    d = deployment()
    with pytest.raises(UsageError, match="^unable to find specified revision 9 in history$"):
        rollout.rollback_deployment(d, [replica_set_of(d, 3)], 9)


def test_undo_without_history_is_an_error() -> None:
    d = deployment()
    with pytest.raises(UsageError, match='^no rollout history found for deployment "nginx"$'):
        rollout.rollback_deployment(d, [replica_set_of(d, 3)], 0)


def test_undo_of_a_paused_deployment_is_refused() -> None:
    d = deployment(image="nginx:1.16.1")
    d["spec"]["paused"] = True
    previous = replica_set_of(d, 0, revision=1, image="nginx:1.14.2")
    with pytest.raises(UsageError, match="^you cannot rollback a paused deployment"):
        rollout.rollback_deployment(d, [previous, replica_set_of(d, 3, revision=2)], 0)


def test_statefulset_undo_applies_the_previous_controller_revision() -> None:
    old = statefulset(image="nginx:1.9.1")
    sts = statefulset(image="nginx:1.10")
    result, restored = rollout.rollback_statefulset(
        sts, [revision_of(old, 1), revision_of(sts, 2)], 0
    )
    assert result == "rolled back"
    assert restored is not None
    assert restored["spec"]["template"] == old["spec"]["template"]


def test_statefulset_undo_needs_two_revisions() -> None:
    sts = statefulset()
    with pytest.raises(UsageError, match="^no last revision to roll back to$"):
        rollout.rollback_statefulset(sts, [revision_of(sts, 1)], 0)


def test_statefulset_undo_to_its_own_revision_is_skipped() -> None:
    sts = statefulset()
    other = copy.deepcopy(statefulset(image="nginx:1.10"))
    revisions = [revision_of(other, 1), revision_of(sts, 2)]
    assert rollout.rollback_statefulset(sts, revisions, 2)[0] == (
        "skipped rollback (current template already matches revision 2)"
    )


# --- pause, resume, restart ----------------------------------------------------------------------


def test_pause_then_resume_a_deployment() -> None:
    paused = rollout.pause(DEPLOYMENTS, deployment())
    assert paused["spec"]["paused"] is True
    with pytest.raises(ValueError, match="^is already paused$"):
        rollout.pause(DEPLOYMENTS, paused)
    assert rollout.resume(DEPLOYMENTS, paused)["spec"]["paused"] is False
    with pytest.raises(ValueError, match="^is not paused$"):
        rollout.resume(DEPLOYMENTS, deployment())


def test_a_statefulset_cannot_be_paused_or_resumed() -> None:
    with pytest.raises(ValueError, match="^pausing is not supported$"):
        rollout.pause(STATEFULSETS, statefulset())
    with pytest.raises(ValueError, match="^resuming is not supported$"):
        rollout.resume(STATEFULSETS, statefulset())


def test_restart_stamps_the_pod_template() -> None:
    restarted = rollout.restart(STATEFULSETS, statefulset(), "2026-11-27T02:00:00Z")
    annotations = restarted["spec"]["template"]["metadata"]["annotations"]
    assert annotations == {"kubectl.kubernetes.io/restartedAt": "2026-11-27T02:00:00Z"}


def test_a_paused_deployment_is_not_restarted() -> None:
    with pytest.raises(ValueError, match=r"^can't restart paused deployment \(run rollout resume"):
        rollout.restart(DEPLOYMENTS, rollout.pause(DEPLOYMENTS, deployment()), "now")
