"""kubectl logs' own logic, pure: its option checks (cmd/logs/logs.go Validate), the pods and
containers it asks logs of (polymorphichelpers/logsforobject.go) and the order it picks a
workload's pod in (podutils.ByLogging).

Errors are UsageErrors carrying kubectl's text (printed as `error: ...`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kubesim.api.errors import UsageError

Object = dict[str, Any]
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


@dataclass(frozen=True)
class Flags:
    """The flags Validate looks at; `since` is --since in whole seconds (rounded), None unset."""

    since: int | None = None
    since_time: str = ""
    container: str = ""  # -c, or the inline [CONTAINER] argument
    container_flag: bool = False  # whether -c was given
    arguments: int = 1
    all_containers: bool = False
    limit_bytes: int = 0
    tail: int | None = None


def validate(flags: Flags) -> None:
    """LogsOptions.Validate, in its order."""
    if flags.since_time and flags.since is not None:
        raise UsageError("at most one of `sinceTime` or `sinceSeconds` may be specified")
    if flags.all_containers and flags.container:
        raise UsageError(
            f"--all-containers=true should not be specified with container name {flags.container}"
        )
    if flags.container_flag and flags.arguments == 2:
        raise UsageError("only one of -c or an inline [CONTAINER] arg is allowed")
    if flags.limit_bytes < 0:
        raise UsageError("--limit-bytes must be greater than 0")
    if flags.since is not None and flags.since < 0:
        raise UsageError("--since must be greater than 0")
    if flags.tail is not None and flags.tail < -1:
        raise UsageError("--tail must be greater than or equal to -1")


def since_seconds(duration: float) -> int:
    """--since as the request's sinceSeconds: Duration.Round(time.Second), halves away from
    zero."""
    whole = int(abs(duration) + 0.5)
    return -whole if duration < 0 else whole


@dataclass
class Request:
    """One log stream to read: a pod's container."""

    pod: Object
    container: str


@dataclass
class Requests:
    """The streams to read, and what kubectl says on stderr while choosing them."""

    streams: list[Request] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def all_container_names(pod: Object) -> str:
    """podcmd.AllContainerNames: `a, b, init (init), debug (ephem)`."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    names += [f"{c['name']} (init)" for c in spec.get("initContainers") or []]
    names += [f"{c['name']} (ephem)" for c in spec.get("ephemeralContainers") or []]
    return ", ".join(names)


def _names(pod: Object) -> list[str]:
    spec = pod.get("spec") or {}
    return [
        c["name"]
        for group in ("initContainers", "containers", "ephemeralContainers")
        for c in spec.get(group) or []
    ]


def requests_for_pods(
    pods: Sequence[Object], container: str, *, all_containers: bool, all_pods: bool
) -> Requests:
    """logsForObjectWithClient over pods: every container with --all-containers (init
    containers, then containers, then ephemeral ones), else the one named, the annotated
    default, or the first."""
    found = Requests()
    for pod in pods:
        if all_containers:
            found.streams += [Request(pod, name) for name in _names(pod)]
            continue
        chosen = container
        name = pod["metadata"]["name"]
        annotated = str(((pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER)) or "")
        if not chosen and annotated:
            if annotated in _names(pod):
                chosen = annotated
            else:
                found.notes.append(f'Default container name "{annotated}" not found in pod {name}')
        if not chosen:
            spec = pod["spec"]
            chosen = spec["containers"][0]["name"]
            several = len(spec["containers"]) > 1 or spec.get("initContainers")
            if (several or spec.get("ephemeralContainers")) and not all_pods:
                found.notes.append(
                    f'Defaulted container "{chosen}" out of: {all_container_names(pod)}'
                )
        if chosen not in _names(pod):
            raise UsageError(f"container {chosen} is not valid for pod {name}")
        found.streams.append(Request(pod, chosen))
    return found


def _ready_since(pod: Object) -> str | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            return str(condition.get("lastTransitionTime") or "") or None
    return None


def _max_restarts(pod: Object) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return max((int(s.get("restartCount") or 0) for s in statuses), default=0)


def by_logging(pods: Sequence[Object]) -> list[Object]:
    """podutils.ByLogging: assigned before unassigned; Running (and any other phase but
    Unknown and Pending) before Unknown before Pending; ready before not ready, ready longer
    first; more restarts first; older first."""
    phase_rank = {"Unknown": 1, "Pending": 2}

    def key(pod: Object) -> tuple[Any, ...]:
        ready = _ready_since(pod)
        created = pod["metadata"].get("creationTimestamp") or "~"  # an empty one sorts last
        return (
            not pod["spec"].get("nodeName"),
            phase_rank.get((pod.get("status") or {}).get("phase") or "", 0),
            ready is None,
            ready or "",
            -_max_restarts(pod),
            created,
        )

    return sorted(pods, key=key)
