"""The kubelet's image manager and the pull state machine of a container, as pure decisions."""

from __future__ import annotations

from typing import Any

import pytest

from kubesim.controllers import kubelet_containers as lifecycle
from kubesim.controllers import kubelet_images as images
from kubesim.controllers.changes import RecordEvent, SetRuntime, UpdateStatus
from kubesim.controllers.kubelet_images import Images

NOW = 1_000_000.0
NODE = {"metadata": {"name": "kubesim-worker"}}
MISSING = "rpc error: code = NotFound desc = ...: docker.io/library/nginx:1.161: not found"


def missing_tag(image: str) -> str | None:
    return MISSING if image == "nginx:1.161" else None


def pod(image: str = "nginx:1.161", policy: str = "IfNotPresent") -> dict[str, Any]:
    container = {"name": "nginx", "image": image, "imagePullPolicy": policy}
    status = {
        "name": "nginx",
        "image": image,
        "imageID": "",
        "lastState": {},
        "ready": False,
        "restartCount": 0,
        "started": False,
        "state": {"waiting": {"reason": "ContainerCreating"}},
    }
    return {
        "metadata": {"name": "p", "namespace": "default", "uid": "u"},
        "spec": {"restartPolicy": "Always", "containers": [container]},
        "status": {"phase": "Pending", "containerStatuses": [status]},
    }


def ensure(p: dict[str, Any], state: Images, now: float = NOW) -> images.Result:
    return images.ensure_image(p, p["spec"]["containers"][0], NODE, now, state, announce=True)


def events(changes: list[Any]) -> list[tuple[str, str, str]]:
    return [(c.type, c.reason, c.message) for c in changes if isinstance(c, RecordEvent)]


@pytest.mark.parametrize(
    ("policy", "present", "pull"),
    [
        ("Always", True, True),
        ("Always", False, True),
        ("IfNotPresent", True, False),
        ("IfNotPresent", False, True),
        ("Never", True, False),
        ("Never", False, False),
    ],
)
def test_should_pull_follows_the_image_pull_policy(policy: str, present: bool, pull: bool) -> None:
    container = {"image": "nginx:1.27.3", "imagePullPolicy": policy}
    assert images.should_pull(container, ["nginx:1.27.3"] if present else []) is pull


def test_a_pull_that_succeeds_records_the_image_on_the_node() -> None:
    state = Images(pull_image=missing_tag)
    result = ensure(pod("nginx:1.27.3"), state)
    assert result.reason == ""
    assert [e[1] for e in events(result.changes)] == ["Pulling", "Pulled"]
    assert state.present == {"kubesim-worker": ["nginx:1.27.3"]}


def test_a_failed_pull_is_err_image_pull_with_the_runtimes_text() -> None:
    state = Images(pull_image=missing_tag)
    result = ensure(pod(), state)
    assert (result.reason, result.message) == ("ErrImagePull", MISSING)
    assert events(result.changes) == [
        ("Normal", "Pulling", 'Pulling image "nginx:1.161"'),
        ("Warning", "Failed", f'Failed to pull image "nginx:1.161": {MISSING}'),
    ]
    assert state.backoffs == {
        "u/nginx:1.161": {"backoff": 10, "lastUpdate": NOW, "error": f"ErrImagePull: {MISSING}"}
    }


def test_within_the_back_off_the_kubelet_does_not_pull() -> None:
    state = Images(backoffs={"u/nginx:1.161": {"backoff": 10, "lastUpdate": NOW}})
    result = ensure(pod(), state, NOW + 9)
    assert (result.reason, result.message) == (
        "ImagePullBackOff",
        'Back-off pulling image "nginx:1.161"',
    )
    assert events(result.changes) == [("Normal", "BackOff", 'Back-off pulling image "nginx:1.161"')]


def test_the_back_off_message_carries_the_last_pull_error() -> None:
    entry = {"backoff": 10, "lastUpdate": NOW, "error": f"ErrImagePull: {MISSING}"}
    result = ensure(pod(), Images(backoffs={"u/nginx:1.161": entry}), NOW + 1)
    assert result.message == f'Back-off pulling image "nginx:1.161": ErrImagePull: {MISSING}'
    assert events(result.changes) == [("Normal", "BackOff", 'Back-off pulling image "nginx:1.161"')]


def test_the_back_off_doubles_up_to_five_minutes_and_resets_when_idle() -> None:
    entry = None
    seen = []
    for step in range(7):
        entry = images.next_backoff(entry, NOW + step)
        seen.append(entry["backoff"])
    assert seen == [10, 20, 40, 80, 160, 300, 300]
    assert images.next_backoff(entry, NOW + 6 + 601)["backoff"] == 10


def test_the_back_off_is_per_pod_and_image() -> None:
    state = Images(
        pull_image=missing_tag, backoffs={"other/nginx:1.161": {"backoff": 10, "lastUpdate": NOW}}
    )
    assert ensure(pod(), state).reason == "ErrImagePull"


def test_if_not_present_uses_the_image_on_the_node_without_pulling() -> None:
    def refuse(image: str) -> str | None:
        raise AssertionError("no pull expected")

    state = Images(present={"kubesim-worker": ["nginx:1.27.3"]}, pull_image=refuse)
    result = ensure(pod("nginx:1.27.3"), state)
    assert events(result.changes) == [
        ("Normal", "Pulled", 'Container image "nginx:1.27.3" already present on machine')
    ]


def test_never_without_the_image_is_err_image_never_pull() -> None:
    result = ensure(pod("nginx:1.27.3", policy="Never"), Images())
    message = 'Container image "nginx:1.27.3" is not present with pull policy of Never'
    assert (result.reason, result.message) == ("ErrImageNeverPull", message)
    assert events(result.changes) == [("Warning", "ErrImageNeverPull", message)]


def test_an_unparsable_name_is_invalid_image_name() -> None:
    result = ensure(pod("Nginx"), Images())
    message = (
        'Failed to apply default image tag "Nginx": couldn\'t parse image name "Nginx": '
        "invalid reference format: repository name (library/Nginx) must be lowercase"
    )
    assert (result.reason, result.message) == ("InvalidImageName", message)
    assert events(result.changes) == [("Warning", "InspectFailed", message)]


# --- the container's states over time --------------------------------------------------------


def status_of(changes: list[Any], before: dict[str, Any]) -> dict[str, Any]:
    updates = [c.obj for c in changes if isinstance(c, UpdateStatus)]
    return updates[0] if updates else before


def resync_of(changes: list[Any]) -> float | None:
    found = [c.value for c in changes if isinstance(c, SetRuntime) and c.section == "podresync"]
    return found[-1] if found else None


def test_a_missing_image_alternates_err_image_pull_and_image_pull_back_off() -> None:
    state = Images(pull_image=missing_tag)
    changes = lifecycle.start_waiting(pod(), NODE, NOW, state, lifecycle.runs_forever)
    current = status_of(changes, pod())
    assert current["status"]["phase"] == "Pending"
    waiting = current["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting == {"message": MISSING, "reason": "ErrImagePull"}
    assert ("Warning", "Failed", "Error: ErrImagePull") in events(changes)
    resync = resync_of(changes)
    assert resync == NOW + 1  # the sandbox's PLEG event
    timeline = []
    now = NOW
    while now < NOW + 75:
        now += 1
        changes = lifecycle.retry_images(current, NODE, now, state, lifecycle.runs_forever, resync)
        if not changes:
            continue
        current = status_of(changes, current)
        resync = resync_of(changes)
        reason = current["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]
        timeline.append((now - NOW, reason))
    assert timeline == [
        (1, "ImagePullBackOff"),
        (11, "ErrImagePull"),
        (21, "ImagePullBackOff"),
        (31, "ErrImagePull"),
        (41, "ImagePullBackOff"),
        (51, "ImagePullBackOff"),
        (61, "ImagePullBackOff"),
        (71, "ErrImagePull"),
    ]


def test_a_fixed_image_in_the_pod_spec_is_pulled_at_once() -> None:
    state = Images(pull_image=missing_tag)
    failed = status_of(
        lifecycle.start_waiting(pod(), NODE, NOW, state, lifecycle.runs_forever), pod()
    )
    failed["spec"]["containers"][0]["image"] = "nginx:1.27.3"
    changes = lifecycle.retry_images(failed, NODE, NOW + 3, state, lifecycle.runs_forever, NOW + 11)
    started = status_of(changes, failed)["status"]
    assert started["phase"] == "Running"
    assert "running" in started["containerStatuses"][0]["state"]
    assert resync_of(changes) is None
