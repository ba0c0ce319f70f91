"""kustomize's resources and the list that holds them (api/resource, api/resmap, kyaml/resid).

A Resource is one object as a JSON-shaped dict. As in kustomize, what the build must remember
about it (its previous names, the prefixes it was given, whether it needs a hash suffix) is kept
in `internal.config.kubernetes.io/...` annotations on the object itself and removed before it is
printed; patches and merges see them as kustomize's do.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

Object = dict[str, Any]

DOMAIN = "internal.config.kubernetes.io"
PREVIOUS_KINDS = f"{DOMAIN}/previousKinds"
PREVIOUS_NAMES = f"{DOMAIN}/previousNames"
PREFIXES = f"{DOMAIN}/prefixes"
SUFFIXES = f"{DOMAIN}/suffixes"
PREVIOUS_NAMESPACES = f"{DOMAIN}/previousNamespaces"
REF_BY = f"{DOMAIN}/refBy"
GENERATOR_BEHAVIOR = f"{DOMAIN}/generatorBehavior"
NEEDS_HASH = f"{DOMAIN}/needsHashSuffix"
ALLOW_NAME_CHANGE = f"{DOMAIN}/allowNameChange"
ALLOW_KIND_CHANGE = f"{DOMAIN}/allowKindChange"
ENABLED = "enabled"

# resource.BuildAnnotations: removed before output
BUILD_ANNOTATIONS = (
    PREVIOUS_KINDS, PREVIOUS_NAMES, PREFIXES, SUFFIXES, PREVIOUS_NAMESPACES, ALLOW_NAME_CHANGE,
    ALLOW_KIND_CHANGE, REF_BY, GENERATOR_BEHAVIOR, NEEDS_HASH,
    "internal.config.kubernetes.io/path", "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent", "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path", "config.kubernetes.io/index", "config.k8s.io/id",
)  # fmt: skip

# kinds the Kubernetes OpenAPI kyaml compiles in serves without a namespace, by apiVersion
_CLUSTER_SCOPED: dict[str, tuple[str, ...]] = {
    "Namespace": ("v1",),
    "Node": ("v1",),
    "PersistentVolume": ("v1",),
    "ComponentStatus": ("v1",),
    "MutatingWebhookConfiguration": ("admissionregistration.k8s.io/v1",
                                     "admissionregistration.k8s.io/v1beta1"),
    "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io/v1",
                                       "admissionregistration.k8s.io/v1beta1"),
    "CustomResourceDefinition": ("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1"),
    "APIService": ("apiregistration.k8s.io/v1", "apiregistration.k8s.io/v1beta1"),
    "TokenReview": ("authentication.k8s.io/v1", "authentication.k8s.io/v1beta1"),
    "SelfSubjectAccessReview": ("authorization.k8s.io/v1", "authorization.k8s.io/v1beta1"),
    "SelfSubjectRulesReview": ("authorization.k8s.io/v1", "authorization.k8s.io/v1beta1"),
    "SubjectAccessReview": ("authorization.k8s.io/v1", "authorization.k8s.io/v1beta1"),
    "CertificateSigningRequest": ("certificates.k8s.io/v1", "certificates.k8s.io/v1beta1"),
    "FlowSchema": ("flowcontrol.apiserver.k8s.io/v1beta1",),
    "PriorityLevelConfiguration": ("flowcontrol.apiserver.k8s.io/v1beta1",),
    "StorageVersion": ("internal.apiserver.k8s.io/v1alpha1",),
    "IngressClass": ("networking.k8s.io/v1", "networking.k8s.io/v1beta1"),
    "RuntimeClass": ("node.k8s.io/v1", "node.k8s.io/v1beta1", "node.k8s.io/v1alpha1"),
    "PodSecurityPolicy": ("policy/v1beta1",),
    "ClusterRole": ("rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
                    "rbac.authorization.k8s.io/v1alpha1"),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1",
                           "rbac.authorization.k8s.io/v1alpha1"),
    "PriorityClass": ("scheduling.k8s.io/v1", "scheduling.k8s.io/v1beta1",
                      "scheduling.k8s.io/v1alpha1"),
    "CSIDriver": ("storage.k8s.io/v1", "storage.k8s.io/v1beta1"),
    "CSINode": ("storage.k8s.io/v1", "storage.k8s.io/v1beta1"),
    "StorageClass": ("storage.k8s.io/v1", "storage.k8s.io/v1beta1"),
    "VolumeAttachment": ("storage.k8s.io/v1", "storage.k8s.io/v1beta1",
                         "storage.k8s.io/v1alpha1"),
}  # fmt: skip


def parse_group_version(api_version: str) -> tuple[str, str]:
    group, slash, version = api_version.partition("/")
    return (group, version) if slash else ("", api_version)


@dataclass(frozen=True)
class Gvk:
    group: str = ""
    version: str = ""
    kind: str = ""
    cluster_scoped: bool = field(default=False, compare=False)

    @staticmethod
    def new(group: str, version: str, kind: str) -> Gvk:
        """resid.NewGvk: scope from the compiled-in OpenAPI."""
        api_version = f"{group}/{version}" if group else version
        scoped = api_version in _CLUSTER_SCOPED.get(kind, ())
        return Gvk(group, version, kind, scoped)

    def __str__(self) -> str:
        return ".".join((self.kind or "[noKind]", self.version or "[noVer]",
                         self.group or "[noGrp]"))  # fmt: skip

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def is_selected(self, selector: Gvk | None) -> bool:
        if selector is None:
            return True
        return (
            (not selector.group or self.group == selector.group)
            and (not selector.version or self.version == selector.version)
            and (not selector.kind or self.kind == selector.kind)
        )

    def stable_sort_string(self) -> str:
        return "_".join((self.group or "~G", self.version or "~V", self.kind or "~K"))


@dataclass(frozen=True)
class ResId:
    gvk: Gvk
    name: str = ""
    namespace: str = ""

    def __str__(self) -> str:
        return f"{self.gvk}/{self.name or '[noName]'}.{self.namespace or '[noNs]'}"

    @property
    def is_cluster_scoped(self) -> bool:
        return self.gvk.cluster_scoped

    def effective_namespace(self) -> str:
        if self.is_cluster_scoped:
            return "_non_namespaceable_"
        if self.namespace in ("", "default"):
            return "default"
        return self.namespace

    def is_ns_equals(self, other: ResId) -> bool:
        return self.effective_namespace() == other.effective_namespace()

    def gvkn_equals(self, other: ResId) -> bool:
        return self.name == other.name and self.gvk == other.gvk

    def equals(self, other: ResId) -> bool:
        return self.is_ns_equals(other) and self.gvkn_equals(other)

    def is_selected_by(self, selector: ResId) -> bool:
        return (
            (not selector.name or selector.name == self.name)
            and (not selector.namespace or selector.is_ns_equals(self))
            and self.gvk.is_selected(selector.gvk)
        )


def _scalar_text(value: Any) -> str:
    """yaml.GetValue: a scalar's text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        from kubesim.api.gofmt import go_float

        return go_float(value)
    if isinstance(value, dict | list):
        return ""
    return str(value)


class Resource:
    """One object being built, with kustomize's bookkeeping in its annotations."""

    __slots__ = ("obj",)

    def __init__(self, obj: Object) -> None:
        self.obj = obj

    def __repr__(self) -> str:
        return f"Resource({self.cur_id()})"

    def deep_copy(self) -> Resource:
        return Resource(copy.deepcopy(self.obj))

    # --- type and metadata -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return _scalar_text(self.obj.get("kind"))

    @property
    def api_version(self) -> str:
        return _scalar_text(self.obj.get("apiVersion"))

    def gvk(self) -> Gvk:
        group, version = parse_group_version(self.api_version)
        return Gvk.new(group, version, self.kind)

    def set_gvk(self, gvk: Gvk) -> None:
        self.obj["kind"] = gvk.kind
        self.obj["apiVersion"] = gvk.api_version

    def _meta(self) -> Object:
        meta = self.obj.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def name(self) -> str:
        return _scalar_text(self._meta().get("name"))

    def set_name(self, name: str) -> None:
        self.obj.setdefault("metadata", {})["name"] = name

    @property
    def namespace(self) -> str:
        return _scalar_text(self._meta().get("namespace"))

    def set_namespace(self, namespace: str) -> None:
        """RNode.SetNamespace: an empty namespace removes the field."""
        meta = self.obj.setdefault("metadata", {})
        if namespace:
            meta["namespace"] = namespace
        else:
            meta.pop("namespace", None)

    def _string_map(self, field_name: str) -> dict[str, str]:
        values = self._meta().get(field_name)
        if not isinstance(values, dict):
            return {}
        return {str(k): _scalar_text(v) for k, v in values.items()}

    def _set_string_map(self, field_name: str, values: dict[str, str]) -> None:
        """setMapInMetadata: an empty map removes the field."""
        meta = self.obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            meta = self.obj["metadata"] = {}
        meta.pop(field_name, None)
        if values:
            meta[field_name] = {k: values[k] for k in sorted(values)}

    def labels(self) -> dict[str, str]:
        return self._string_map("labels")

    def set_labels(self, labels: dict[str, str]) -> None:
        self._set_string_map("labels", labels)

    def annotations(self) -> dict[str, str]:
        return self._string_map("annotations")

    def set_annotations(self, annotations: dict[str, str]) -> None:
        self._set_string_map("annotations", annotations)

    def set_annotation(self, key: str, value: str) -> None:
        meta = self.obj.setdefault("metadata", {})
        current = meta.get("annotations")
        if not isinstance(current, dict):
            current = meta["annotations"] = {}
        current[key] = value

    # --- identity ----------------------------------------------------------------------------

    def cur_id(self) -> ResId:
        return ResId(self.gvk(), self.name, self.namespace)

    def prev_ids(self) -> list[ResId]:
        annotations = self.annotations()
        if PREVIOUS_NAMES not in annotations:
            return []
        names = annotations[PREVIOUS_NAMES].split(",")
        namespaces = annotations.get(PREVIOUS_NAMESPACES, "").split(",")
        kinds = annotations.get(PREVIOUS_KINDS, "").split(",")
        group, version = parse_group_version(self.api_version)
        # utils.PrevIds builds the Gvk without the OpenAPI scope
        return [
            ResId(Gvk(group, version, kinds[i]), names[i], namespaces[i])
            for i in range(min(len(names), len(namespaces), len(kinds)))
        ]

    def org_id(self) -> ResId:
        previous = self.prev_ids()
        return previous[0] if previous else self.cur_id()

    def _csv(self, key: str) -> list[str]:
        annotations = self.annotations()
        return annotations[key].split(",") if key in annotations else []

    def _append_csv(self, key: str, value: str) -> None:
        if value:
            self.set_annotation(key, ",".join([*self._csv(key), value]))

    def store_previous_id(self) -> None:
        current = self.cur_id()
        self._append_csv(PREVIOUS_NAMES, current.name)
        self._append_csv(PREVIOUS_NAMESPACES, current.effective_namespace())
        self._append_csv(PREVIOUS_KINDS, current.gvk.kind)

    def add_name_prefix(self, prefix: str) -> None:
        self._append_csv(PREFIXES, prefix)

    def add_name_suffix(self, suffix: str) -> None:
        self._append_csv(SUFFIXES, suffix)

    def name_prefixes(self) -> list[str]:
        return self._csv(PREFIXES)

    def name_suffixes(self) -> list[str]:
        return self._csv(SUFFIXES)

    def append_ref_by(self, referrer: ResId) -> None:
        self._append_csv(REF_BY, str(referrer))

    def _enabled(self, key: str) -> bool:
        return self.annotations().get(key) == ENABLED

    def needs_hash_suffix(self) -> bool:
        return self._enabled(NEEDS_HASH)

    def name_change_allowed(self) -> bool:
        return self._enabled(ALLOW_NAME_CHANGE)

    def kind_change_allowed(self) -> bool:
        return self._enabled(ALLOW_KIND_CHANGE)

    def behavior(self) -> str:
        return self.annotations().get(GENERATOR_BEHAVIOR, "unspecified")

    def prefixes_suffixes_equal(self, other: Resource, allow_empty: bool) -> bool:
        mine_p, theirs_p = self.name_prefixes(), other.name_prefixes()
        mine_s, theirs_s = self.name_suffixes(), other.name_suffixes()
        if allow_empty:
            return (not mine_p or not theirs_p or _same_ending(mine_p, theirs_p)) and (
                not mine_s or not theirs_s or _same_ending(mine_s, theirs_s)
            )
        return _same_ending(mine_p, theirs_p) and _same_ending(mine_s, theirs_s)

    def remove_build_annotations(self) -> None:
        annotations = self.annotations()
        if not annotations:
            return
        for key in BUILD_ANNOTATIONS:
            annotations.pop(key, None)
        self.set_annotations(annotations)

    def is_empty(self) -> bool:
        return not self.obj

    def copy_merge_metadata_from(self, other: Resource) -> None:
        """CopyMergeMetaDataFieldsFrom: labels and annotations merged (this one's win, the build
        annotations are the other's), the other's name and namespace."""
        self.set_labels({**other.labels(), **self.labels()})
        mine = self.annotations()
        keep_hash = NEEDS_HASH in mine
        merged = {**other.annotations(), **mine}
        for key in BUILD_ANNOTATIONS:
            if key in other.annotations():
                merged[key] = other.annotations()[key]
            else:
                merged.pop(key, None)
        if not keep_hash:
            merged.pop(NEEDS_HASH, None)
        self.set_annotations(merged)
        self.set_name(other.name)
        self.set_namespace(other.namespace)


def _same_ending(shorter: list[str], longer: list[str]) -> bool:
    """utils.SameEndingSubSlice: the shorter list is the end of the longer."""
    if len(shorter) > len(longer):
        shorter, longer = longer, shorter
    if not shorter:
        return True
    return longer[len(longer) - len(shorter) :] == shorter


class KustomizeError(Exception):
    """Raised for anything kustomize refuses; the text is kustomize's own."""


class ResMap:
    """resWrangler: resources in order, unique by current id."""

    def __init__(self, resources: list[Resource] | None = None) -> None:
        self.resources: list[Resource] = []
        for res in resources or []:
            self.append(res)

    def __iter__(self) -> Any:
        return iter(list(self.resources))

    def __len__(self) -> int:
        return len(self.resources)

    def append(self, res: Resource) -> None:
        current = res.cur_id()
        if any(current.equals(r.cur_id()) for r in self.resources):
            raise KustomizeError(f"may not add resource with an already registered id: {current}")
        self.resources.append(res)

    def append_all(self, other: ResMap) -> None:
        for res in other.resources:
            self.append(res)

    def by_any_id(self, current: ResId) -> list[Resource]:
        """GetMatchingResourcesByAnyId with id.Equals."""
        return [
            r for r in self.resources if any(current.equals(i) for i in [*r.prev_ids(), r.cur_id()])
        ]

    def by_current_id(self, current: ResId) -> list[Resource]:
        return [r for r in self.resources if current.equals(r.cur_id())]

    def get_by_id(self, wanted: ResId) -> Resource:
        """GetById: the one resource with that id, now or before."""
        found = self.by_any_id(wanted)
        if len(found) == 1:
            return found[0]
        what = "multiple matches" if found else "no matches"
        raise KustomizeError(
            f"{what} for Id {wanted}; failed to find unique target for patch {wanted}"
        )

    def replace(self, old: Resource, new: Resource) -> None:
        index = next(i for i, r in enumerate(self.resources) if r is old)
        self.resources[index] = new

    def drop_empties(self) -> None:
        self.resources = [r for r in self.resources if not r.is_empty()]

    def select(self, selector: Selector) -> list[Resource]:
        """resWrangler.Select: by regular expressions on group, version, kind, name and
        namespace (current or original), then label and annotation selectors."""
        from kubesim.api.errors import UsageError
        from kubesim.api.selectors import parse

        def anchored(pattern: str) -> re.Pattern[str] | None:
            if not pattern:
                return None
            try:
                return re.compile(f"^(?:{pattern})$")
            except re.error as err:
                raise KustomizeError(f"error parsing regexp: {err}") from None

        patterns = {name: anchored(getattr(selector, name)) for name in
                    ("group", "version", "kind", "name", "namespace")}  # fmt: skip
        label_sel = annotation_sel = None
        try:
            if selector.label_selector:
                label_sel = parse(selector.label_selector)
            if selector.annotation_selector:
                annotation_sel = parse(selector.annotation_selector)
        except UsageError as err:
            raise KustomizeError(err.message) from None
        result = []
        for res in self.resources:
            current, original = res.cur_id(), res.org_id()

            def fits(pattern: re.Pattern[str] | None, *values: str) -> bool:
                return pattern is None or any(pattern.match(v) for v in values)

            if not fits(patterns["namespace"], original.effective_namespace(),
                        current.effective_namespace()):  # fmt: skip
                continue
            if not fits(patterns["name"], original.name, current.name):
                continue
            gvk = res.gvk()
            if not (fits(patterns["group"], gvk.group) and fits(patterns["version"], gvk.version)
                    and fits(patterns["kind"], gvk.kind)):  # fmt: skip
                continue
            if label_sel is not None and not label_sel.matches(res.labels()):
                continue
            if annotation_sel is not None and not annotation_sel.matches(res.annotations()):
                continue
            result.append(res)
        return result


@dataclass
class Selector:
    """types.Selector: a patch's target."""

    group: str = ""
    version: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""
    label_selector: str = ""
    annotation_selector: str = ""
