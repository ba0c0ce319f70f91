"""Which lists merge and by what key: the patchStrategy / patchMergeKey tags of the API types.

Strategic merge patch reads these struct tags (k8s.io/api core/v1 and apps/v1 types.go) to
decide, field by field, whether a list is replaced whole or merged element by element. Only
fields that carry a tag, or lead to one, are listed; every other field is looked up as untagged
(lists are replaced, maps are merged key by key), as PatchMetaFromStruct does for them.
"""

from __future__ import annotations


class PatchMeta:
    """The patch metadata of one struct type: its tagged fields and the types below them."""

    __slots__ = ("name", "fields")

    def __init__(self, name: str, fields: dict[str, tuple[str, str, str]] | None = None) -> None:
        self.name = name
        # json field -> (patchStrategy tag, patchMergeKey, struct name of the field or elements)
        self.fields = fields or {}

    def lookup(self, field: str) -> tuple[list[str], str, PatchMeta]:
        """The field's strategies (`["merge", "retainKeys"]`), merge key and its own meta."""
        strategy, merge_key, child = self.fields.get(field, ("", "", ""))
        strategies = [s for s in strategy.split(",") if s]
        return strategies, merge_key, _STRUCTS.get(child, UNTAGGED)

    def __repr__(self) -> str:
        return f"PatchMeta({self.name})"


UNTAGGED = PatchMeta("untagged")

_MERGE = "merge"
_MERGE_RETAIN = "merge,retainKeys"

_STRUCTS: dict[str, PatchMeta] = {}


def _struct(name: str, **fields: tuple[str, str, str]) -> None:
    _STRUCTS[name] = PatchMeta(name, dict(fields))


# meta/v1
_struct(
    "ObjectMeta",
    ownerReferences=(_MERGE, "uid", ""),
    finalizers=(_MERGE, "", ""),
)
# core/v1
_struct(
    "PodSpec",
    volumes=(_MERGE_RETAIN, "name", "Volume"),
    initContainers=(_MERGE, "name", "Container"),
    containers=(_MERGE, "name", "Container"),
    ephemeralContainers=(_MERGE, "name", "Container"),
    imagePullSecrets=(_MERGE, "name", ""),
    hostAliases=(_MERGE, "ip", ""),
    topologySpreadConstraints=(_MERGE, "topologyKey", ""),
    resourceClaims=(_MERGE_RETAIN, "name", ""),
    schedulingGates=(_MERGE, "name", ""),
)
_struct(
    "Container",
    ports=(_MERGE, "containerPort", ""),
    env=(_MERGE, "name", ""),
    volumeMounts=(_MERGE, "mountPath", ""),
    volumeDevices=(_MERGE, "devicePath", ""),
)
_struct("Volume")
_struct("PodTemplateSpec", metadata=("", "", "ObjectMeta"), spec=("", "", "PodSpec"))
_struct(
    "PodStatus",
    conditions=(_MERGE, "type", ""),
    podIPs=(_MERGE, "ip", ""),
    hostIPs=(_MERGE, "ip", ""),
    resourceClaimStatuses=(_MERGE_RETAIN, "name", ""),
)
_struct("ServiceSpec", ports=(_MERGE, "port", ""))
_struct("ConditionsStatus", conditions=(_MERGE, "type", ""))
_struct("NodeSpec", podCIDRs=(_MERGE, "", ""))
_struct("NodeStatus", conditions=(_MERGE, "type", ""), addresses=(_MERGE, "type", ""))
# apps/v1
_struct("StatefulSetSpec", template=("", "", "PodTemplateSpec"))
_struct(
    "DeploymentSpec",
    template=("", "", "PodTemplateSpec"),
    strategy=("retainKeys", "", ""),
)
_struct("ReplicaSetSpec", template=("", "", "PodTemplateSpec"))


def _kind(spec: str = "", status: str = "") -> PatchMeta:
    fields = {"metadata": ("", "", "ObjectMeta")}
    if spec:
        fields["spec"] = ("", "", spec)
    if status:
        fields["status"] = ("", "", status)
    return PatchMeta("kind", fields)


_BY_KIND: dict[str, PatchMeta] = {
    "Pod": _kind("PodSpec", "PodStatus"),
    "PodTemplate": PatchMeta("PodTemplate", {"template": ("", "", "PodTemplateSpec")}),
    "Service": _kind("ServiceSpec", "ConditionsStatus"),
    "Node": _kind("NodeSpec", "NodeStatus"),
    "Namespace": _kind("", "ConditionsStatus"),
    "PersistentVolumeClaim": _kind("", "ConditionsStatus"),
    "StatefulSet": _kind("StatefulSetSpec", "ConditionsStatus"),
    "Deployment": _kind("DeploymentSpec", "ConditionsStatus"),
    "ReplicaSet": _kind("ReplicaSetSpec", "ConditionsStatus"),
}


def for_kind(kind: str) -> PatchMeta:
    """The patch metadata of a kind's object (metadata, spec and status), by its Kind name."""
    return _BY_KIND.get(kind) or _kind()


def struct_tags(struct: str) -> dict[str, tuple[str, str]]:
    """The patchStrategy and patchMergeKey tags of a struct's fields (`PodSpec`), by field."""
    meta = _STRUCTS.get(struct)
    if meta is None:
        return {}
    return {
        field: (strategy, key)
        for field, (strategy, key, _) in meta.fields.items()
        if strategy or key
    }
