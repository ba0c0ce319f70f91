"""The API's URL paths: /api/v1/... for the core group, /apis/<group>/<version>/... for the
others; a resource in a namespace (`namespaces/<ns>/<resource>[/<name>[/<subresource>]]`), of
the whole cluster, or across namespaces (a namespaced resource listed without one)."""

from __future__ import annotations

from dataclasses import dataclass

from kubesim.api import kinds
from kubesim.api.kinds import Kind

# resources that are no stored kind: requests answered on the spot
REVIEWS = {
    ("authorization.k8s.io", "v1", "selfsubjectaccessreviews"): "SelfSubjectAccessReview",
    ("authorization.k8s.io", "v1", "selfsubjectrulesreviews"): "SelfSubjectRulesReview",
    ("authentication.k8s.io", "v1", "selfsubjectreviews"): "SelfSubjectReview",
}
SUBRESOURCES = {
    "Pod": ("attach", "binding", "eviction", "exec", "log", "portforward", "proxy", "status"),
    "Service": ("proxy", "status"),
    "Node": ("proxy", "status"),
    "Namespace": ("finalize", "status"),
    "PersistentVolumeClaim": ("status",),
    "PersistentVolume": ("status",),
    "Deployment": ("scale", "status"),
    "ReplicaSet": ("scale", "status"),
    "StatefulSet": ("scale", "status"),
    "DaemonSet": ("status",),
    "Job": ("status",),
    "CronJob": ("status",),
}
_BY_PLURAL: dict[tuple[str, str, str], Kind] = {
    (k.group, k.version, k.plural): k for k in kinds.KINDS
}


def group_versions() -> list[tuple[str, str]]:
    """The group/versions served, core first, in discovery order."""
    seen: list[tuple[str, str]] = []
    for kind in kinds.KINDS:
        if (kind.group, kind.version) not in seen:
            seen.append((kind.group, kind.version))
    order = kinds.GROUP_ORDER
    return sorted(seen, key=lambda gv: order.index(gv[0]) if gv[0] in order else len(order))


@dataclass
class ApiPath:
    """A request's target: group, version and resource, the namespace (None for a cluster-scoped
    resource or a list across namespaces), the name and the subresource."""

    group: str
    version: str
    resource: str
    namespace: str | None = None
    name: str | None = None
    subresource: str | None = None
    kind: Kind | None = None
    review: str | None = None  # the kind of a review resource (SelfSubjectAccessReview...)


def parse(path: str) -> ApiPath | None:
    """The target of a resource path, None if the path names no resource this server has
    (a group/version document itself is not a resource path)."""
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None
    if not rest:
        return None
    review = REVIEWS.get((group, version, rest[0]))
    if review is not None:
        return ApiPath(group, version, rest[0], review=review) if len(rest) == 1 else None
    namespace = None
    if rest[0] == "namespaces" and len(rest) >= 3:
        inner = _BY_PLURAL.get((group, version, rest[2]))
        if inner is not None and inner.namespaced:
            namespace, rest = rest[1], rest[2:]
    kind = _BY_PLURAL.get((group, version, rest[0]))
    if kind is None or len(rest) > 3:
        return None
    if namespace is not None and not kind.namespaced:
        return None
    name = rest[1] if len(rest) > 1 else None
    sub = rest[2] if len(rest) > 2 else None
    if sub is not None and sub not in SUBRESOURCES.get(kind.kind, ()):
        return None
    if name is not None and kind.namespaced and namespace is None:
        return None  # a namespaced object is only reached through its namespace
    return ApiPath(group, version, rest[0], namespace, name, sub, kind)


def proxy_path(path: str) -> tuple[ApiPath, str] | None:
    """A proxy request: `.../pods/<name>[:port]/proxy[/<path>]` (services and nodes alike),
    its target and the path to ask the backend for."""
    parts = path.split("/")
    for i, part in enumerate(parts):
        if part == "proxy" and i >= 2:
            target = parse("/".join(parts[: i + 1]))
            if target is not None and target.subresource == "proxy":
                return target, "/" + "/".join(parts[i + 1 :])
    return None
