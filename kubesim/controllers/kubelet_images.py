"""The kubelet's image manager (pkg/kubelet/images/image_manager.go, v1.32): whether a container's
image must be pulled by its imagePullPolicy, the pull, and the image pull back-off.

Pulling is the container runtime's job: the kubelet is given `pull_image`
(kubesim.sandbox.registry), which answers None or containerd's error text. A failed pull puts
the container in waiting ErrImagePull; until its back-off (10s, doubling to 300s, per pod and
image: backOffKey is `<pod UID>_<image>`) has passed, the kubelet does not pull again and the
container waits in ImagePullBackOff, its message carrying the last pull's error (new in v1.32,
kubernetes#127918). The pod worker syncs a pod whose sync failed again after
10s (backOffPeriod in pod_workers.go), and once more right after the first failure, when the
new sandbox's PLEG event arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from kubesim.api.imageref import InvalidReference, parse_normalized_named
from kubesim.controllers.changes import Change, SetRuntime
from kubesim.controllers.kubelet_status import event

Object = dict[str, Any]
# image as the pod spec names it -> None when it pulls, else the runtime's error text
PullImage = Callable[[str], "str | None"]

IMAGES_SECTION = "images"  # node -> images already pulled there
# "<pod uid>/<image>" -> {"lastUpdate": t, "backoff": s, "error": the last pull's error}
BACKOFF_SECTION = "imagepullbackoff"
RESYNC_SECTION = "podresync"  # "<pod uid>" -> when the pod worker syncs a failed pod again
INITIAL_BACKOFF = 10  # backOffPeriod
MAX_BACKOFF = 300  # MaxContainerBackOff
RESYNC_SECONDS = 10  # the pod worker's requeue after a failed sync (backOffPeriod)
# the waiting reasons of a container whose image is not there (images/types.go)
IMAGE_REASONS = ("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName")
# the waiting reasons of a container the pod worker tries to start again at its resync: the
# image ones and CreateContainerConfigError (kubelet_config.py)
RETRIED_REASONS = (*IMAGE_REASONS, "CreateContainerConfigError")


def always_pulls(image: str) -> str | None:
    """A `pull_image` for tests without a registry: every image exists."""
    return None


@dataclass
class Images:
    """What the image manager keeps between pods within one tick."""

    present: dict[str, list[str]] = field(default_factory=dict)  # node -> pulled images
    backoffs: MutableMapping[str, Object] = field(default_factory=dict)  # BACKOFF_SECTION records
    pull_image: PullImage = always_pulls


@dataclass(frozen=True)
class Result:
    """EnsureImageExists's answer: reason "" when the image is there, else the container's
    waiting reason and message; the events and runtime records either way."""

    reason: str
    message: str
    changes: list[Change]


def should_pull(container: Object, present: list[str]) -> bool:
    """shouldPullImage: Always pulls, Never never does, IfNotPresent when it is missing."""
    policy = container.get("imagePullPolicy") or "IfNotPresent"
    if policy == "Never":
        return False
    return policy == "Always" or container["image"] not in present


def pulls_first(container: Object, present: list[str]) -> bool:
    """Whether starting the container begins with a pull (and its Pulling event)."""
    try:
        parse_normalized_named(container["image"])
    except InvalidReference:
        return False
    return should_pull(container, present)


def backoff_key(pod: Object, image: str) -> str:
    return f"{pod['metadata']['uid']}/{image}"


def ensure_image(
    pod: Object, container: Object, node: Object, now: float, images: Images, *, announce: bool
) -> Result:
    """EnsureImageExists for one container; `images` is updated with what was pulled and with
    the back-off. `announce` is False when this pull's Pulling event was already recorded."""
    image, name = container["image"], container["name"]
    node_name = node["metadata"]["name"]
    present = images.present.setdefault(node_name, [])

    def record(type_: str, reason: str, message: str) -> Change:
        return event(pod, node, type_, reason, message, name)

    try:
        parse_normalized_named(image)  # applyDefaultImageTag
    except InvalidReference as err:
        message = (
            f'Failed to apply default image tag "{image}": '
            f'couldn\'t parse image name "{image}": {err}'
        )
        return Result("InvalidImageName", message, [record("Warning", "InspectFailed", message)])
    if not should_pull(container, present):
        if image in present:
            message = f'Container image "{image}" already present on machine'
            return Result("", "", [record("Normal", "Pulled", message)])
        message = f'Container image "{image}" is not present with pull policy of Never'
        return Result(
            "ErrImageNeverPull", message, [record("Warning", "ErrImageNeverPull", message)]
        )
    key = backoff_key(pod, image)
    entry = images.backoffs.get(key)
    if entry is not None and now - float(entry["lastUpdate"]) < float(entry["backoff"]):
        message = f'Back-off pulling image "{image}"'
        backing_off = record("Normal", "BackOff", message)
        if entry.get("error"):
            # v1.32 keeps the last pull's error in the waiting message (prevPullErrMsg)
            message += f": {entry['error']}"
        return Result("ImagePullBackOff", message, [backing_off])
    changes: list[Change] = []
    if announce:
        changes.append(record("Normal", "Pulling", f'Pulling image "{image}"'))
    error = images.pull_image(image)
    if error is not None:
        entry = {**next_backoff(entry, now), "error": f"ErrImagePull: {error}"}
        images.backoffs[key] = entry
        changes += [
            record("Warning", "Failed", f'Failed to pull image "{image}": {error}'),
            SetRuntime(BACKOFF_SECTION, key, entry),
        ]
        return Result("ErrImagePull", error, changes)
    message = (
        f'Successfully pulled image "{image}" in 1s (1s including waiting). '
        f"Image size: {image_size(image)} bytes."
    )
    changes.append(record("Normal", "Pulled", message))
    if image not in present:
        present.append(image)
        changes.append(SetRuntime(IMAGES_SECTION, node_name, list(present)))
    return Result("", "", changes)


def next_backoff(entry: Object | None, now: float) -> Object:
    """flowcontrol.Backoff.Next: 10s at first or after 2 x 300s without failures, else
    doubled up to 300s."""
    if entry is None or now - float(entry["lastUpdate"]) > 2 * MAX_BACKOFF:
        return {"backoff": INITIAL_BACKOFF, "lastUpdate": now}
    return {"backoff": min(2 * int(entry["backoff"]), MAX_BACKOFF), "lastUpdate": now}


def failed_to_start(pod: Object, node: Object, container: str, reason: str) -> Change:
    """startContainer's `Error: <reason>` event when the image is not there."""
    return event(pod, node, "Warning", "Failed", f"Error: {reason}", container)


def is_waiting_for_image(status: Object) -> bool:
    """Waiting for its image, or for what its config refers to: tried again at the resync."""
    return ((status.get("state") or {}).get("waiting") or {}).get("reason") in RETRIED_REASONS


def image_size(image: str) -> int:
    """A plausible, stable size in bytes for an image kubesim pretends to pull."""
    digest = hashlib.sha256(f"size:{image}".encode()).digest()
    return 2_000_000 + int.from_bytes(digest[:4], "big") % 70_000_000
