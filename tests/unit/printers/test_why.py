"""`kubesim why` for pods whose containers wait for their images."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.printers import why

NOW = 1_000_000.0


def waiting_pod(reason: str, message: str, revision: str = "web-new") -> dict[str, Any]:
    return {
        "metadata": {"name": "web-1", "uid": "u", "labels": {"controller-revision-hash": revision}},
        "spec": {"nodeName": "kubesim-worker", "containers": [{"name": "nginx"}]},
        "status": {
            "phase": "Pending",
            "containerStatuses": [
                {"name": "nginx", "state": {"waiting": {"reason": reason, "message": message}}}
            ],
        },
    }


def failed_pull(count: int, at: float) -> dict[str, Any]:
    return {
        "metadata": {"name": "web-1.1"},
        "involvedObject": {"uid": "u"},
        "type": "Warning",
        "reason": "Failed",
        "message": 'Failed to pull image "nginx:1.161": not found',
        "count": count,
        "lastTimestamp": meta.format_time(at),
    }


def test_a_pod_in_image_pull_back_off_names_the_last_pull_error() -> None:
    pod = waiting_pod("ImagePullBackOff", 'Back-off pulling image "nginx:1.161"')
    assert why.pod_reason(pod, [failed_pull(3, NOW - 5)], NOW) == (
        'container nginx is ImagePullBackOff: Failed to pull image "nginx:1.161": not found '
        "(3 times, last 5s ago); the kubelet pulls again after a back-off that doubles from 10s "
        "to 5m, until the image is changed"
    )


def test_err_image_never_pull_gives_the_kubelets_message() -> None:
    message = 'Container image "nginx:1.27.3" is not present with pull policy of Never'
    pod = waiting_pod("ErrImageNeverPull", message)
    assert why.pod_reason(pod, [], NOW) == f"container nginx is ErrImageNeverPull: {message}"


def test_a_broken_pod_of_an_old_revision_must_be_deleted_after_a_rollback() -> None:
    sts = {
        "metadata": {"name": "web"},
        "spec": {"replicas": 2, "podManagementPolicy": "OrderedReady"},
        "status": {"readyReplicas": 1, "updateRevision": "web-old"},
    }
    pod = waiting_pod("ErrImageNeverPull", "gone", revision="web-new")
    text = why.statefulset(sts, "the set waits for web-1", [pod], [], NOW)
    assert text.splitlines()[1] == (
        "  web-1: container nginx is ErrImageNeverPull: gone; it is at revision web-new, not "
        "web-old, and the set waits for it to be Ready before replacing it, even after the "
        "template is fixed: delete the pod"
    )
