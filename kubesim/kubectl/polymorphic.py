"""kubectl's polymorphichelpers that several commands share: the pods a workload or a Service
stands for (SelectorsForObject)."""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import UsageError

Object = dict[str, Any]


def selector_for_object(obj: Object, kind: str, version: str, verb: str) -> Object:
    """SelectorsForObject: the label selector of the pods `obj` stands for, as a
    LabelSelector; kubectl's error (`cannot <verb> *v1.ConfigMap: ...`) for kinds without one."""
    spec = obj.get("spec") or {}
    go_type = f"*{version}.{kind}"
    if kind == "Service" and not spec.get("selector"):
        raise UsageError(
            f"cannot {verb} {go_type}: invalid service '{obj['metadata']['name']}': Service is "
            "defined without a selector"
        )
    if kind in ("Service", "ReplicationController"):
        return {"matchLabels": dict(spec.get("selector") or {})}
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job"):
        return dict(spec.get("selector") or {})
    raise UsageError(f"cannot {verb} {go_type}: selector for {go_type} not implemented")
