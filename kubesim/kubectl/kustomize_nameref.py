"""kustomize's name references (filters/nameref, accumulator/namereferencetransformer.go).

After every rename (prefix, suffix, hash), each field that names another object (a ConfigMap in
an envFrom, a Service in a StatefulSet's serviceName, a Role in a RoleBinding...) is rewritten
to that object's final name: the candidates are the objects that had the name before, of the
kind referred to, that the referrer can see (its namespace, or cluster-scoped), narrowed by the
prefixes and suffixes both were given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.kubectl.kustomize_config import FieldSpec, NameBackReference
from kubesim.kubectl.kustomize_resource import (
    Gvk,
    KustomizeError,
    ResMap,
    Resource,
    _scalar_text,
)
from kubesim.kubectl.kustomize_transformers import Ref, apply_field_spec

Object = dict[str, Any]


def fix_name_references(resources: ResMap, back_refs: list[NameBackReference]) -> None:
    """nameReferenceTransformer: every field that names a ConfigMap, Secret, Service... is
    rewritten to that object's final name (and namespace, where the field has one)."""
    filters: dict[int, list[tuple[Resource, FieldSpec, Gvk]]] = {}
    order: list[int] = []
    org_ids = [r.org_id() for r in resources.resources]
    for back_ref in back_refs:
        for referrer_spec in back_ref.referrers:
            for index, res in enumerate(resources.resources):
                if org_ids[index].gvk.is_selected(referrer_spec.gvk):
                    if id(res) not in filters:
                        filters[id(res)] = []
                        order.append(id(res))
                    filters[id(res)].append((res, referrer_spec, back_ref.gvk))
    for key in order:
        for referrer, spec, target in filters[key]:
            candidates = _could_be_referenced(resources, referrer)
            _NameRef(referrer, spec, target, candidates).run()


def _could_be_referenced(resources: ResMap, referrer: Resource) -> list[Resource]:
    """SubsetThatCouldBeReferencedByResource: cluster-scoped objects, those in the referrer's
    namespace, and for a RoleBinding those in its ServiceAccount subjects' namespaces."""
    referrer_id = referrer.cur_id()
    if referrer_id.is_cluster_scoped:
        return list(resources.resources)
    binding_namespaces: set[str] = set()
    if referrer.kind == "RoleBinding":
        for subject in referrer.obj.get("subjects") or []:
            if (isinstance(subject, dict) and "namespace" in subject
                    and subject.get("kind") == "ServiceAccount"):  # fmt: skip
                binding_namespaces.add(str(subject["namespace"]))
    result = []
    for candidate in resources.resources:
        candidate_id = candidate.cur_id()
        if (candidate_id.is_cluster_scoped or candidate_id.is_ns_equals(referrer_id)
                or candidate.namespace in binding_namespaces):  # fmt: skip
            result.append(candidate)
    return result


class _NameRef:
    def __init__(
        self, referrer: Resource, spec: FieldSpec, target: Gvk, candidates: list[Resource]
    ) -> None:
        self.referrer = referrer
        self.spec = spec
        self.target = target
        self.candidates = candidates

    def run(self) -> None:
        spec = FieldSpec(self.referrer.gvk(), self.spec.path, self.spec.create)
        try:
            apply_field_spec(self.referrer.obj, spec, self.set)
        except KustomizeError as err:
            raise KustomizeError(
                f"updating name reference in '{self.spec.path}' field of "
                f"'{self.referrer.cur_id()}': {err}"
            ) from None

    def set(self, ref: Ref) -> None:
        node = ref.get()
        if node is None:
            return
        if isinstance(node, dict):
            self.set_mapping(node)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                if item is None:
                    continue
                if isinstance(item, dict):
                    self.set_mapping(item)
                elif isinstance(item, list):
                    raise KustomizeError("is expected to be either a string or a map of string")
                else:
                    self.set_scalar(Ref(node, index))
        else:
            self.set_scalar(ref)

    def set_scalar(self, ref: Ref) -> None:
        old = _scalar_text(ref.get())
        referral = self.select(old, self.candidates, _same_names)
        if referral is None:
            return
        referral.append_ref_by(self.referrer.cur_id())
        if referral.name != old:
            ref.set(referral.name)

    def set_mapping(self, node: Object) -> None:
        if "name" not in node:
            raise KustomizeError("path config error; no 'name' field in node")
        candidates = self.candidates
        if "namespace" in node:
            namespace = _scalar_text(node["namespace"])
            by_original = _grouped(candidates, lambda r: r.org_id().effective_namespace())
            candidates = by_original.get(namespace) or _grouped(
                candidates, lambda r: r.cur_id().effective_namespace()
            ).get(namespace, [])
        old = _scalar_text(node["name"])
        referral = self.select(old, candidates, _same_names_and_namespaces)
        if referral is None:
            return
        referral.append_ref_by(self.referrer.cur_id())
        if referral.name == old and not referral.namespace:
            return
        node["name"] = referral.name
        if referral.namespace:
            node["namespace"] = referral.namespace

    def select(
        self,
        old: str,
        candidates: list[Resource],
        identical: Callable[[list[Resource]], bool],
    ) -> Resource | None:
        """selectReferral: the one candidate that had the name, of the kind referred to."""
        candidates = [c for c in candidates if any(i.name == old for i in c.prev_ids())]
        candidates = [c for c in candidates if any(i.gvk.is_selected(self.target)
                                                   for i in c.prev_ids())]  # fmt: skip
        candidates = [c for c in candidates if self._role_ref_ok(c)]
        candidates = [c for c in candidates if self._same_namespace(c)]
        if len(candidates) == 1:
            return candidates[0]
        candidates = [c for c in candidates if c.prefixes_suffixes_equal(self.referrer, True)]
        if len(candidates) > 1:
            candidates = [c for c in candidates if c.prefixes_suffixes_equal(self.referrer, False)]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return None
        if identical(candidates):
            return candidates[0]
        ids = ", ".join(str(c.cur_id()) for c in candidates)
        raise KustomizeError(f"found multiple possible referrals: {ids}")

    def _role_ref_ok(self, candidate: Resource) -> bool:
        if not self.spec.path.endswith("roleRef/name"):
            return True
        role_ref = self.referrer.obj.get("roleRef")
        if not isinstance(role_ref, dict) or "apiGroup" not in role_ref or "kind" not in role_ref:
            return True
        wanted = Gvk(group=_scalar_text(role_ref["apiGroup"]), kind=_scalar_text(role_ref["kind"]))
        return any(i.gvk.is_selected(wanted) for i in candidate.prev_ids())

    def _same_namespace(self, candidate: Resource) -> bool:
        referrer_id = self.referrer.cur_id()
        if referrer_id.is_cluster_scoped:
            return True
        candidate_id = candidate.cur_id()
        if candidate_id.is_cluster_scoped or candidate.kind == "ServiceAccount":
            return True
        return referrer_id.is_ns_equals(candidate_id)


def _grouped(
    resources: list[Resource], key: Callable[[Resource], str]
) -> dict[str, list[Resource]]:
    groups: dict[str, list[Resource]] = {}
    for res in resources:
        groups.setdefault(key(res), []).append(res)
    groups.pop("_non_namespaceable_", None)
    return groups


def _same_names(resources: list[Resource]) -> bool:
    return all(r.name == resources[0].name for r in resources)


def _same_names_and_namespaces(resources: list[Resource]) -> bool:
    first = resources[0]
    return all(r.name == first.name and r.namespace == first.namespace for r in resources)
