"""`kubesim why`: what the controllers are waiting for, in words (kubectl has no such command).

A StatefulSet's explanation is the controller's own record of where its last sync stopped
(see controllers/statefulset.py, `state.waiting`); a pod's comes from its conditions, its
container states, its claims and its latest warning events.
"""

from __future__ import annotations

from typing import Any

from kubesim.controllers.kubelet_images import IMAGE_REASONS, MAX_BACKOFF
from kubesim.controllers.podgc import QUARANTINE_SECONDS
from kubesim.controllers.statefulset_utils import REVISION_LABEL
from kubesim.printers.age import age

Object = dict[str, Any]


def statefulset(
    sts: Object,
    waiting: str,
    pods: list[Object],
    events: list[Object],
    now: float,
    nodes: set[str] | None = None,
) -> str:
    name = f"statefulset.apps/{sts['metadata']['name']}"
    status = sts.get("status") or {}
    replicas = int(sts["spec"].get("replicas", 1))
    lines = []
    if waiting:
        lines.append(f"{name}: {waiting}")
    elif status.get("readyReplicas", 0) < replicas:
        lines.append(
            f"{name}: {status.get('readyReplicas', 0)}/{replicas} replicas ready; "
            "no step of the controller is blocked"
        )
    else:
        revision = status.get("updateRevision", "")
        lines.append(
            f"{name}: nothing to wait for: {status.get('readyReplicas', 0)}/{replicas} replicas "
            f"ready, {status.get('updatedReplicas', 0)} at revision {revision}"
        )
    update = status.get("updateRevision", "")
    ordered = sts["spec"].get("podManagementPolicy", "OrderedReady") == "OrderedReady"
    for pod in pods:
        reason = pod_reason(pod, events, now, nodes=nodes)
        if not reason:
            continue
        revision = (pod["metadata"].get("labels") or {}).get(REVISION_LABEL, "")
        if ordered and update and revision and revision != update and _stuck(pod):
            # the known issue the StatefulSet docs call "Forced rollback"
            reason += (
                f"; it is at revision {revision}, not {update}, and the set waits for it to be "
                "Ready before replacing it, even after the template is fixed: delete the pod"
            )
        lines.append(f"  {pod['metadata']['name']}: {reason}")
    return "\n".join(lines) + "\n"


def _stuck(pod: Object) -> bool:
    """A pod that will not become Ready by itself: its image cannot be had, or it crashes."""
    if pod["metadata"].get("deletionTimestamp"):
        return False
    return any(
        ((s.get("state") or {}).get("waiting") or {}).get("reason")
        in (*IMAGE_REASONS, "CrashLoopBackOff")
        for s in (pod.get("status") or {}).get("containerStatuses") or []
    )


def pod(
    pod: Object,
    claims: list[Object],
    events: list[Object],
    now: float,
    nodes: set[str] | None = None,
    unknown_images: list[tuple[str, str, bool]] | None = None,
    killed_at_cap: list[tuple[str, int]] | None = None,
    scheduling: Object | None = None,
) -> str:
    """Why the pod waits; then, for each container whose image kubesim does not know (name,
    image, whether the pod gives it a command), that what runs in it is kubesim's stand-in;
    for each container OOMKilled at kubesim's own cap (name, the cap in bytes), that a real one
    may have gone on; then how the scheduler chose its node, or why no node would do
    (`scheduling`, the pod's record in the scheduler's cache)."""
    reason = pod_reason(pod, events, now, claims, nodes) or "Running and Ready: nothing to wait for"
    lines = [f"pod/{pod['metadata']['name']}: {reason}"]
    for name, image, commanded in unknown_images or []:
        runs = (
            "its command runs with the programs of a minimal shell"
            if commanded
            else "its process is taken to run until it is stopped, and nothing answers on its ports"
        )
        lines.append(f"  container {name}: kubesim does not know what the image {image} does: "
                     f"{runs}")  # fmt: skip
    for name, cap in killed_at_cap or []:
        lines.append(
            f"  container {name}: OOMKilled at kubesim's cap: kubesim holds at most "
            f"{cap // 1048576}Mi of a container's data, less than its limit (or its node's "
            "memory); a real container may have gone on"
        )
    if scheduling:
        lines += scheduler_record(pod, scheduling)
    return "\n".join(lines) + "\n"


def scheduler_record(pod: Object, record: Object) -> list[str]:
    """The scheduler's last word on the pod: each feasible node's score by plugin (0-100, times
    the plugin's weight) and the total, with the nodes that were not feasible and why; for a
    pod no node fits, why each refused it."""
    lines = []
    scores = record.get("scores")
    verdicts = record.get("verdicts")
    if scores and pod["spec"].get("nodeName") == scores.get("node"):
        count = int(scores.get("count", 1))
        if count == 1:
            lines.append(
                f"  scheduled on {scores['node']}, the only node that fits (the scheduler scores "
                "no nodes when a single one is feasible)"
            )
        else:
            lines.append(
                f"  scheduled on {scores['node']}, the highest total of {count} feasible nodes "
                "(each plugin scores a node 0-100, times its weight):"
            )
            lines += _score_table(scores)
        lines += _refused(scores.get("refused") or {}, "  not feasible: ")
    elif verdicts and not pod["spec"].get("nodeName"):
        lines += _refused(verdicts.get("refused") or {}, "  ")
    return lines


def _score_table(scores: Object) -> list[str]:
    from kubesim.controllers.scheduler_scores import PLUGINS, WEIGHTS

    plugins: list[str] = scores.get("plugins") or []
    nodes: list[Any] = scores.get("nodes") or []
    header = ["PLUGIN", "WEIGHT", *(n[0] for n in nodes)]
    rows = [header]
    for i, plugin in enumerate(plugins):
        rows.append([plugin, str(WEIGHTS.get(plugin, 1)), *(str(n[1][i]) for n in nodes)])
    rows.append(["total", "", *(str(n[2]) for n in nodes)])
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    lines = [
        "    " + "   ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    skipped = [p for p in PLUGINS if p not in plugins]
    if skipped:
        lines.append(f"    not scored (nothing to score for this pod): {', '.join(skipped)}")
    if int(scores.get("count", 0)) > len(nodes):
        lines.append(f"    (the {len(nodes)} highest of {scores['count']} feasible nodes)")
    return lines


def _refused(refused: dict[str, list[Any]], prefix: str) -> list[str]:
    """Each reason with the nodes that gave it (the first ten of them, on a large cluster)."""
    lines = []
    for reason, (count, nodes) in sorted(refused.items()):
        more = f" and {count - len(nodes)} more" if count > len(nodes) else ""
        lines.append(f"{prefix}{', '.join(nodes)}{more}: {reason}")
    return lines


def pod_reason(
    pod: Object,
    events: list[Object],
    now: float,
    claims: list[Object] | None = None,
    nodes: set[str] | None = None,
) -> str:
    """Why this pod is not (yet) Running and Ready, or "" if it is; `nodes` are the names of
    the nodes that exist, when known."""
    status = pod.get("status") or {}
    node = pod["spec"].get("nodeName")
    if node and nodes is not None and node not in nodes:
        return (
            f"its node {node} no longer exists: once the node has been gone "
            f"{QUARANTINE_SECONDS:.0f}s, PodGC fails and deletes the pod and its owner makes a "
            "new one"
        )
    if pod["metadata"].get("deletionTimestamp"):
        return "being deleted; it goes once its containers have stopped"
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            return f"not scheduled: {condition.get('message', '')}"
    if not pod["spec"].get("nodeName"):
        return "waiting for the scheduler to pick a node"
    pending_claims = [
        c["metadata"]["name"] for c in claims or [] if c["status"].get("phase") != "Bound"
    ]
    if pending_claims:
        return f"waiting for its claims to be bound: {', '.join(pending_claims)}"
    statuses = status.get("containerStatuses") or []
    if not statuses:
        return "waiting for the kubelet to create its sandbox (volumes, IP)"
    for container in statuses:
        state = container.get("state") or {}
        if state.get("waiting", {}).get("reason") in IMAGE_REASONS:
            return _waiting_for_image(pod, container, events, now)
        if "waiting" in state:
            return f"container {container['name']} is {state['waiting'].get('reason', 'waiting')}"
        if "terminated" in state:
            reason = state["terminated"].get("reason", "")
            return f"container {container['name']} has exited ({reason})"
    unready = [c for c in statuses if not c.get("ready")]
    if not unready:
        return ""
    warning = _latest_warning(pod, events)
    if warning is not None:
        count = int(warning.get("count", 1))
        times = f"{count} times, " if count > 1 else ""
        last = warning.get("lastTimestamp") or warning["metadata"].get("creationTimestamp")
        return f"not Ready: {warning.get('message', '')} ({times}last {age(last, now)} ago)"
    return f"not Ready: container {unready[0]['name']} has not passed its readiness probe yet"


def _waiting_for_image(pod: Object, container: Object, events: list[Object], now: float) -> str:
    """A container without its image: why (the last pull's error) and what the kubelet does."""
    waiting = container["state"]["waiting"]
    reason = waiting.get("reason", "")
    text = f"container {container['name']} is {reason}"
    failed = _latest(
        pod, events, lambda e: str(e.get("message", "")).startswith("Failed to pull image")
    )
    if failed is not None and reason in ("ErrImagePull", "ImagePullBackOff"):
        count = int(failed.get("count", 1))
        times = f"{count} times, " if count > 1 else ""
        last = failed.get("lastTimestamp") or failed["metadata"].get("creationTimestamp")
        text += f": {failed.get('message', '')} ({times}last {age(last, now)} ago)"
    elif waiting.get("message"):
        text += f": {waiting['message']}"
    if reason in ("ErrImagePull", "ImagePullBackOff"):
        text += (
            f"; the kubelet pulls again after a back-off that doubles from 10s to "
            f"{MAX_BACKOFF // 60}m, until the image is changed"
        )
    return text


def _latest(pod: Object, events: list[Object], wanted: Any) -> Object | None:
    uid = pod["metadata"]["uid"]
    mine = [e for e in events if e["involvedObject"].get("uid") == uid and wanted(e)]
    return max(mine, key=lambda e: e.get("lastTimestamp") or "", default=None)


def _latest_warning(pod: Object, events: list[Object]) -> Object | None:
    uid = pod["metadata"]["uid"]
    mine = [
        e for e in events if e["involvedObject"].get("uid") == uid and e.get("type") == "Warning"
    ]
    return max(mine, key=lambda e: e.get("lastTimestamp") or "", default=None)
