"""kustomize's builtin transformers over a ResMap (api/internal/builtins, api/filters).

Each follows its upstream plugin: the field spec walk (filters/fieldspec), namespace, name
prefix and suffix, labels, annotations, images, replicas, the name suffix hash and the legacy
output order. The name references are in kustomize_nameref.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from kubesim.kubectl.kustomize_config import FieldSpec
from kubesim.kubectl.kustomize_resource import (
    Gvk,
    KustomizeError,
    ResId,
    ResMap,
    Resource,
    _scalar_text,
)

Object = dict[str, Any]


class Ref:
    """A place in an object: the container (dict or list) and the key or index in it."""

    __slots__ = ("container", "key")

    def __init__(self, container: Any, key: Any) -> None:
        self.container = container
        self.key = key

    def get(self) -> Any:
        return self.container[self.key]

    def set(self, value: Any) -> None:
        self.container[self.key] = value


Setter = Callable[[Ref], None]

SCALAR, MAPPING = "scalar", "mapping"


def split_path(path: str) -> list[str]:
    """utils.PathSplitter: split on /, where `\\/` is a slash inside a field name."""
    parts = path.split("/")
    result = [parts[0]]
    for part in parts[1:]:
        if result[-1].endswith("\\"):
            result[-1] = result[-1][:-1] + "/" + part
        else:
            result.append(part)
    return result


def matches_gvk(spec: FieldSpec, obj: Object) -> bool:
    """fieldspec.isMatchGVK: by the object's current kind and apiVersion."""
    res = Resource(obj)
    group, _, version = (
        res.api_version.rpartition("/") if "/" in res.api_version else ("", "", res.api_version)
    )
    return (
        (not spec.gvk.kind or spec.gvk.kind == res.kind)
        and (not spec.gvk.group or spec.gvk.group == group)
        and (not spec.gvk.version or spec.gvk.version == version)
    )


def apply_field_spec(
    obj: Object, spec: FieldSpec, setter: Setter, create_kind: str | None = None
) -> None:
    """fieldspec.Filter: walk the spec's path (lists element by element), creating what is
    missing when the spec says so, and hand the place found to `setter`."""
    if not matches_gvk(spec, obj):
        return
    try:
        _walk(Ref({"": obj}, ""), split_path(spec.path), spec.create, setter, create_kind)
    except KustomizeError as err:
        res_id = Resource(obj).cur_id()
        raise KustomizeError(
            f"considering field '{spec.path}' of object {_from_rnode(res_id)}: {err}"
        ) from None


def _from_rnode(res_id: ResId) -> str:
    """resid.FromRNode's String: the Gvk without the OpenAPI scope (same text)."""
    return str(res_id)


def _walk(ref: Ref, path: list[str], create: bool, setter: Setter, create_kind: str | None) -> None:
    if not path:
        setter(ref)
        return
    node = ref.get()
    if node is None:
        return
    if isinstance(node, list):
        for index in range(len(node)):
            _walk(Ref(node, index), path, create, setter, create_kind)
        return
    if not isinstance(node, dict):
        raise KustomizeError("expected sequence or mapping node")
    name = path[0].removesuffix("[]")
    is_seq = name != path[0]
    if not name:
        raise KustomizeError("cannot set or create an empty field name")
    if not create or create_kind is None or is_seq:
        if name not in node:
            return
        if node[name] is None and is_seq:
            node[name] = []
    else:
        kind = create_kind if len(path) <= 1 else MAPPING
        if name not in node:
            node[name] = {} if kind == MAPPING else ""
        elif node[name] is None:
            node[name] = {} if kind == MAPPING else ""
    _walk(Ref(node, name), path[1:], create, setter, create_kind)


def set_entry(name: str, value: Any) -> Setter:
    """filtersutil.SetEntry: the value itself (name "") or the field `name` of a map."""

    def setter(ref: Ref) -> None:
        if not name:
            ref.set(value)
            return
        target = ref.get()
        if not isinstance(target, dict):
            raise KustomizeError("wrong node kind: expected MappingNode but got ScalarNode")
        target[name] = value

    return setter


def apply_field_specs(
    resources: ResMap | list[Resource],
    specs: list[FieldSpec],
    setter: Setter,
    create_kind: str | None,
) -> None:
    for res in resources:
        for spec in specs:
            apply_field_spec(res.obj, spec, setter, create_kind)


# --- namespace --------------------------------------------------------------------------------


def transform_namespace(resources: ResMap, namespace: str, specs: list[FieldSpec]) -> None:
    """NamespaceTransformer: metadata.namespace of every namespaced object (replacing any),
    the namespace fields of the specs, and the `default` subjects of role bindings."""
    for res in list(resources):
        if res.is_empty():
            continue
        res.store_previous_id()
        own = [
            s
            for s in specs
            if s.path != "metadata/namespace"
            and not (res.api_version != "v1" and s.path == "metadata/name")
        ]
        setter = set_entry("", namespace)
        if not res.gvk().cluster_scoped:
            meta_spec = FieldSpec(Gvk(), "metadata/namespace", True)
            apply_field_spec(res.obj, meta_spec, setter, SCALAR)
        if res.kind in ("RoleBinding", "ClusterRoleBinding"):
            own = [s for s in own if not (s.gvk.kind in ("RoleBinding", "ClusterRoleBinding")
                                          and s.path == "subjects/namespace")]  # fmt: skip
            for subject in res.obj.get("subjects") or []:
                if isinstance(subject, dict) and subject.get("name") == "default":
                    subject["namespace"] = namespace
        for spec in own:
            apply_field_spec(res.obj, spec, setter, SCALAR)
        matches = resources.by_current_id(res.cur_id())
        if len(matches) != 1:
            raise KustomizeError(f"namespace transformation produces ID conflict: {matches}")


# --- prefix and suffix ------------------------------------------------------------------------

_SKIP_RENAME = (
    Gvk(kind="CustomResourceDefinition"),
    Gvk("apiregistration.k8s.io", "", "APIService"),
    Gvk(kind="Namespace"),
)


def transform_affix(resources: ResMap, affix: str, specs: list[FieldSpec], *, prefix: bool) -> None:
    """PrefixTransformer / SuffixTransformer: the name (and the specs' other fields) get the
    affix, and the resource remembers it for the name references."""
    for res in list(resources):
        original = res.org_id()
        if any(original.gvk.is_selected(skip) for skip in _SKIP_RENAME):
            continue
        for spec in specs:
            if not original.gvk.is_selected(spec.gvk):
                continue
            if spec.path == "metadata/name":
                if prefix:
                    res.add_name_prefix(affix)
                else:
                    res.add_name_suffix(affix)
                if affix:
                    res.store_previous_id()

            def setter(ref: Ref) -> None:
                current = _scalar_text(ref.get())
                ref.set(affix + current if prefix else current + affix)

            apply_field_spec(res.obj, spec, setter, SCALAR)


# --- labels and annotations -------------------------------------------------------------------


def transform_map_entries(
    resources: ResMap, entries: dict[str, str], specs: list[FieldSpec]
) -> None:
    """labels.Filter / annotations.Filter: each key, in sorted order, set in every field spec."""
    if not entries:
        return
    for res in list(resources):
        for key in sorted(entries):
            for spec in specs:
                apply_field_spec(res.obj, spec, set_entry(key, str(entries[key])), MAPPING)


# --- images -----------------------------------------------------------------------------------


def is_image_matched(value: str, name: str) -> bool:
    """image.IsImageMatched: the name, then an optional tag and digest."""
    try:
        pattern = re.compile("^" + name + r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$")
    except re.error:
        return False
    return pattern.match(value) is not None


def split_image(image: str) -> tuple[str, str, str]:
    """image.Split: name, tag and digest (a registry port is not a tag)."""
    search = image
    slash = image.find("/")
    if slash > 0:
        search = image[slash:]
    else:
        slash = 0
    at, colon = search.find("@"), search.find(":")
    if colon < 0 and at < 0:
        return image, "", ""
    if at >= 0 and (at < colon or colon < 0):
        at += slash
        return image[:at], "", image[at:].removeprefix("@")
    if at >= 0 and colon >= 0:
        at += slash
        colon += slash
        return image[:colon], image[colon:at].removeprefix(":"), image[at:].removeprefix("@")
    colon += slash
    return image[:colon], image[colon:].removeprefix(":"), ""


def new_image(value: str, spec: Object) -> str | None:
    """imageTagUpdater.SetImageValue: the image rewritten, or None when it does not match."""
    if not is_image_matched(value, str(spec.get("name") or "")):
        return None
    name, tag, digest = split_image(value)
    new_tag, new_digest = str(spec.get("newTag") or ""), str(spec.get("digest") or "")
    if spec.get("newName"):
        name = str(spec["newName"])
    if new_tag and new_digest:
        tag, digest = new_tag, new_digest
    elif new_tag:
        tag, digest = new_tag, ""
    elif new_digest:
        tag, digest = "", new_digest
    elif spec.get("tagSuffix"):
        tag, digest = tag + str(spec["tagSuffix"]), ""
    return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def transform_image(resources: ResMap, spec: Object, specs: list[FieldSpec]) -> None:
    """ImageTagTransformer: every containers/initContainers list anywhere in the object
    (the legacy filter), then the image field specs; CRDs are left alone."""

    def update(ref: Ref) -> None:
        value = ref.get()
        if isinstance(value, dict | list):
            raise KustomizeError("wrong node kind: expected ScalarNode but got MappingNode")
        replaced = new_image(_scalar_text(value), spec)
        if replaced is not None:
            ref.set(replaced)

    def legacy(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                legacy(value)
                if key in ("containers", "initContainers") and isinstance(value, list):
                    for container in value:
                        if isinstance(container, dict) and "image" in container:
                            update(Ref(container, "image"))
        elif isinstance(node, list):
            for item in node:
                legacy(item)

    for res in list(resources):
        if res.kind == "CustomResourceDefinition":
            continue
        legacy(res.obj)
        for field_spec in specs:
            # an image spec never creates the field (a container without one keeps none)
            apply_field_spec(res.obj, FieldSpec(field_spec.gvk, field_spec.path), update)


# --- replicas ---------------------------------------------------------------------------------


def transform_replicas(resources: ResMap, replica: Object, specs: list[FieldSpec]) -> None:
    """ReplicaCountTransformer: spec.replicas of the named workloads (by any of their names)."""
    name = str(replica.get("name") or "")
    count = int(replica.get("count") or 0)
    found = False
    for spec in specs:
        for res in resources:
            ids = [*res.prev_ids(), res.cur_id()]
            if not any(i.name == name and i.gvk.is_selected(spec.gvk) for i in ids):
                continue
            found = True
            apply_field_spec(res.obj, spec, set_entry("", count), SCALAR)
    if not found:
        gvks = " ".join(str(s.gvk) for s in specs)
        raise KustomizeError(
            f"resource with name {name} does not match a config with the following GVK [{gvks}]"
        )


# --- the name suffix hash ---------------------------------------------------------------------


def add_hashes(resources: ResMap) -> None:
    """HashTransformer: `<name>-<hash>` for every generated object that wants one."""
    from kubesim.kubectl.kustomize_generators import content_hash

    for res in list(resources):
        if res.needs_hash_suffix():
            suffix = content_hash(res)
            res.store_previous_id()
            res.set_name(f"{res.name}-{suffix}")


# --- output order (SortOrderTransformer) ------------------------------------------------------

ORDER_FIRST = (
    "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
    "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
    "Secret", "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume",
    "PersistentVolumeClaim", "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
)  # fmt: skip
ORDER_LAST = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def legacy_sort(
    resources: ResMap,
    order_first: tuple[str, ...] | list[str] = ORDER_FIRST,
    order_last: tuple[str, ...] | list[str] = ORDER_LAST,
) -> None:
    """The legacy order: kinds of orderFirst, then the rest, then orderLast; within a kind by
    group/version/kind, namespace and name."""
    orders: dict[str, int] = {}
    for i, kind in enumerate(order_first):
        orders[kind] = -len(order_first) + i
    for i, kind in enumerate(order_last):
        orders[kind] = 1 + i

    def gvk_less(a: Gvk, b: Gvk) -> bool:
        ia, ib = orders.get(a.kind, 0), orders.get(b.kind, 0)
        if ia != ib:
            return ia < ib
        if a.kind == "Namespace" and b.kind == "Namespace" and (not a.group or not b.group):
            return a.stable_sort_string() > b.stable_sort_string()
        return a.stable_sort_string() < b.stable_sort_string()

    def id_string(i: ResId) -> str:
        return "|".join((str(i.gvk), i.namespace or "~X", i.name or "~N"))

    def compare(a: Resource, b: Resource) -> int:
        ia, ib = a.cur_id(), b.cur_id()
        if ia.gvk != ib.gvk:
            return -1 if gvk_less(ia.gvk, ib.gvk) else (1 if gvk_less(ib.gvk, ia.gvk) else 0)
        sa, sb = id_string(ia), id_string(ib)
        return -1 if sa < sb else (1 if sa > sb else 0)

    resources.resources = sorted(resources.resources, key=functools.cmp_to_key(compare))
