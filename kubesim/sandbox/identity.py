"""Who a container's processes run as: the image's USER, overridden by the pod's and the
container's securityContext (runAsUser, runAsGroup; fsGroup and supplementalGroups add
groups), with names and HOME from the container's own /etc/passwd and /etc/group, as runc's
setupUser resolves them (HOME "/" for a uid the passwd file does not list)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container


@dataclass(frozen=True)
class Identity:
    uid: int
    gid: int
    user: str | None  # None: the uid has no passwd entry
    group: str | None
    groups: tuple[tuple[int, str | None], ...]  # every group, sorted by gid
    home: str


def _table(container: Container, path: str) -> list[list[str]]:
    return [line.split(":") for line in (fs.read(container, path) or "").splitlines() if line]


def _spec(container: Container) -> dict[str, Any]:
    for spec in (container.pod.get("spec") or {}).get("containers") or []:
        if spec.get("name") == container.name:
            return dict(spec)
    return {}


def identity(container: Container) -> Identity:
    """The identity of a process started in `container`."""
    from kubesim.sandbox.images import personality

    passwd = _table(container, "/etc/passwd")
    groups = _table(container, "/etc/group")
    user_part, _, group_part = personality(container.image).user.partition(":")
    uid, gid = _resolve_user(passwd, user_part or "0")
    if group_part:
        gid = _resolve_group(groups, group_part, gid)
    pod_context = (container.pod.get("spec") or {}).get("securityContext") or {}
    own_context = _spec(container).get("securityContext") or {}
    if "runAsUser" in own_context or "runAsUser" in pod_context:
        uid = int(own_context.get("runAsUser", pod_context.get("runAsUser")) or 0)
        entry = next((e for e in passwd if len(e) > 3 and e[2] == str(uid)), None)
        gid = int(entry[3]) if entry is not None and entry[3].isdigit() else 0
    if "runAsGroup" in own_context or "runAsGroup" in pod_context:
        gid = int(own_context.get("runAsGroup", pod_context.get("runAsGroup")) or 0)
    entry = next((e for e in passwd if len(e) > 5 and e[2] == str(uid)), None)
    name = entry[0] if entry is not None else None
    names = {int(e[2]): e[0] for e in groups if len(e) > 2 and e[2].isdigit()}
    member = {
        int(e[2]) for e in groups if len(e) > 3 and e[2].isdigit() and name in e[3].split(",")
    }
    extra = {int(g) for g in pod_context.get("supplementalGroups") or []}
    if "fsGroup" in pod_context:
        extra.add(int(pod_context["fsGroup"]))
    every = sorted({gid} | member | extra)
    return Identity(
        uid=uid, gid=gid, user=name, group=names.get(gid),
        groups=tuple((g, names.get(g)) for g in every),
        home=entry[5] if entry is not None else "/",
    )  # fmt: skip


def _resolve_user(passwd: list[list[str]], user: str) -> tuple[int, int]:
    for entry in passwd:
        if len(entry) > 3 and (entry[0] == user or entry[2] == user):
            return int(entry[2]), int(entry[3]) if entry[3].isdigit() else 0
    return (int(user), 0) if user.isdigit() else (0, 0)


def _resolve_group(groups: list[list[str]], group: str, default: int) -> int:
    for entry in groups:
        if len(entry) > 2 and (entry[0] == group or entry[2] == group):
            return int(entry[2])
    return int(group) if group.isdigit() else default


def labelled(number: int, name: str | None) -> str:
    """`1000` or `0(root)` as id prints an id."""
    return f"{number}({name})" if name else str(number)
