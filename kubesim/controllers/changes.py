"""What a controller asks for. Controllers return these; the engine applies them in order
through the apiserver, so each gets a resourceVersion and a watch event. A change that
fails (conflict, gone, exists) is dropped: the controller sees the world again next tick."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Object = dict[str, Any]


@dataclass(frozen=True)
class Create:
    obj: Object


@dataclass(frozen=True)
class Update:
    """Replace spec/metadata; `obj` carries the resourceVersion it was computed from."""

    obj: Object


@dataclass(frozen=True)
class UpdateStatus:
    obj: Object


@dataclass(frozen=True)
class Bind:
    """The scheduler's Binding: assign a pending pod to a node."""

    namespace: str
    name: str
    uid: str
    node: str


@dataclass(frozen=True)
class Delete:
    resource: str
    namespace: str | None
    name: str
    uid: str | None = None  # precondition: only this incarnation
    grace_period: int | None = None
    propagation: str = "Background"


@dataclass(frozen=True)
class Remove:
    """Final removal of an object whose deletion has finished (grace period 0)."""

    resource: str
    namespace: str | None
    name: str
    uid: str


@dataclass(frozen=True)
class RecordEvent:
    involved: Object
    type: str
    reason: str
    message: str
    component: str
    host: str | None = None
    field_path: str | None = None


@dataclass(frozen=True)
class SetRuntime:
    """Node-local state outside the API (IPAM leases, container files): section[key] = value,
    or removed when value is None."""

    section: str
    key: str
    value: Any


@dataclass(frozen=True)
class DropRuntime:
    """Forget node-local state: the key `prefix` of a section and every key under it."""

    section: str
    prefix: str


@dataclass(frozen=True)
class Requeue:
    """Reconcile `key` again at simulated time `at` (a workqueue's AddAfter): a probe's next
    period, the end of a back-off or a grace period, a deadline. An earlier wake-up set for the
    same key stands; the key's next sync asks again for what it still needs."""

    key: str
    at: float


@dataclass(frozen=True)
class Reported:
    """A request and the event its controller records about it: `success` once it takes
    effect; `failure(reason, message)` of the apiserver's refusal (None for errors the
    controller sinks, as the StatefulSet controller sinks AlreadyExists)."""

    request: Create | Update | Delete
    success: RecordEvent | None
    failure: Callable[[str, str], RecordEvent | None] | None = None
    retry: str | None = None  # the key to sync again next tick if refused (AddRateLimited)


Change = (
    Create
    | Update
    | UpdateStatus
    | Bind
    | Delete
    | Remove
    | RecordEvent
    | SetRuntime
    | DropRuntime
    | Reported
    | Requeue
)


def retried_as(key: str, changes: list[Change]) -> list[Change]:
    """The changes of one key's sync, each request to be retried with the key if refused."""
    return [dataclasses.replace(c, retry=key) if isinstance(c, Reported) else c for c in changes]


def as_if_accepted(changes: list[Change]) -> list[Change]:
    """The changes with each Reported request followed by its success event, as they read when
    the apiserver accepts everything, without the controller's own timers (for tests and
    explanations)."""
    flat: list[Change] = []
    for change in changes:
        if isinstance(change, Requeue):
            continue
        if isinstance(change, Reported):
            flat.append(change.request)
            if change.success is not None:
                flat.append(change.success)
        else:
            flat.append(change)
    return flat
