"""Validation on create and update, with the field paths and messages the apiserver uses.

Sources: apimachinery pkg/api/validation/objectmeta.go, pkg/apis/core/validation/validation.go,
pkg/apis/apps/validation/validation.go. Checks cover the fields kubesim acts on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.api import names, selectors
from kubesim.api.errors import FieldError, forbidden, invalid, required, unsupported

Object = dict[str, Any]
Errors = list[FieldError]

# which rule a kind's metadata.name follows (apimachinery ValidateObjectMeta's nameFn)
_NAME_RULES: dict[str, Callable[[str], list[str]]] = {
    "Namespace": names.dns1123_label_errors,
    "StatefulSet": names.dns1123_label_errors,
    "Service": names.dns1035_label_errors,
}


def validate(obj: Object, *, namespaced: bool) -> Errors:
    """Every field error of `obj` for create; empty when it is valid."""
    errors = validate_metadata(obj, namespaced=namespaced)
    check = _BY_KIND.get(obj.get("kind", ""))
    if check is not None:
        errors += check(obj)
    return errors


def validate_update(old: Object, new: Object) -> Errors:
    """Field errors for changes an update may not make (the *Update validators)."""
    check = _UPDATE_BY_KIND.get(new.get("kind", ""))
    return check(old, new) if check is not None else []


def validate_metadata(obj: Object, *, namespaced: bool) -> Errors:
    meta = obj.get("metadata") or {}
    errors: Errors = []
    name = meta.get("name")
    if not name:
        errors.append(required("metadata.name", "name or generateName is required"))
    else:
        rule = _NAME_RULES.get(obj.get("kind", ""), names.dns1123_subdomain_errors)
        errors += [invalid("metadata.name", name, msg) for msg in rule(str(name))]
    errors += _labels(meta.get("labels"), "metadata.labels")
    for key in meta.get("annotations") or {}:
        errors += [invalid("metadata.annotations", key, m) for m in names.label_key_errors(key)]
    if not namespaced and meta.get("namespace"):
        errors.append(forbidden("metadata.namespace", "not allowed on this type"))
    return errors


def _labels(labels: Any, path: str) -> Errors:
    if labels is None:
        return []
    if not isinstance(labels, dict):
        return [invalid(path, labels, "must be a map of string keys to string values")]
    errors: Errors = []
    for key, value in labels.items():
        errors += [invalid(path, key, m) for m in names.label_key_errors(str(key))]
        errors += [invalid(f"{path}", value, m) for m in names.label_value_errors(str(value or ""))]
    return errors


# --- pods -------------------------------------------------------------------------------------


def pod_spec(spec: Any, path: str, *, restart_policies: tuple[str, ...] | None = None) -> Errors:
    """ValidatePodSpec, for the fields kubesim simulates."""
    if not isinstance(spec, dict):
        return [required(path)]
    errors: Errors = []
    containers = spec.get("containers")
    if not containers:
        errors.append(required(f"{path}.containers"))
    else:
        seen: set[str] = set()
        for i, container in enumerate(containers):
            errors += _container(container, f"{path}.containers[{i}]", seen)
    policies = restart_policies or ("Always", "OnFailure", "Never")
    policy = spec.get("restartPolicy")
    if policy not in policies:
        errors.append(unsupported(f"{path}.restartPolicy", policy, list(policies)))
    dns_policies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    if spec.get("dnsPolicy") not in dns_policies:
        errors.append(unsupported(f"{path}.dnsPolicy", spec.get("dnsPolicy"), dns_policies))
    for field in ("hostname", "subdomain"):
        value = spec.get(field)
        if value:
            errors += [
                invalid(f"{path}.{field}", value, m) for m in names.dns1123_label_errors(value)
            ]
    return errors


def _container(container: Any, path: str, seen: set[str]) -> Errors:
    if not isinstance(container, dict):
        return [required(path)]
    errors: Errors = []
    name = container.get("name")
    if not name:
        errors.append(required(f"{path}.name"))
    else:
        errors += [invalid(f"{path}.name", name, m) for m in names.dns1123_label_errors(name)]
        if name in seen:
            errors.append(FieldError("Duplicate value", f"{path}.name", name))
        seen.add(name)
    if not container.get("image"):
        errors.append(required(f"{path}.image"))
    for i, port in enumerate(container.get("ports") or []):
        number = port.get("containerPort") if isinstance(port, dict) else None
        if not isinstance(number, int) or not 0 < number < 65536:
            errors.append(
                invalid(
                    f"{path}.ports[{i}].containerPort",
                    number,
                    "must be between 1 and 65535, inclusive",
                )
            )
    return errors


def _pod(pod: Object) -> Errors:
    return pod_spec(pod.get("spec"), "spec")


# --- services ---------------------------------------------------------------------------------


def _service(svc: Object) -> Errors:
    spec = svc.get("spec") or {}
    errors: Errors = []
    types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    if spec.get("type") not in types:
        errors.append(unsupported("spec.type", spec.get("type"), types))
    headless = spec.get("clusterIP") == "None"
    ports = spec.get("ports") or []
    if not ports and not headless and spec.get("type") != "ExternalName":
        errors.append(required("spec.ports"))
    port_names: set[str] = set()
    for i, port in enumerate(ports):
        path = f"spec.ports[{i}]"
        name = port.get("name")
        if len(ports) > 1 and not name:
            errors.append(required(f"{path}.name"))
        elif name:
            errors += [invalid(f"{path}.name", name, m) for m in names.dns1123_label_errors(name)]
            if name in port_names:
                errors.append(FieldError("Duplicate value", f"{path}.name", name))
            port_names.add(name)
        number = port.get("port")
        if not isinstance(number, int) or not 0 < number < 65536:
            errors.append(invalid(f"{path}.port", number, "must be between 1 and 65535, inclusive"))
        protocols = ["SCTP", "TCP", "UDP"]
        if port.get("protocol") not in protocols:
            errors.append(unsupported(f"{path}.protocol", port.get("protocol"), protocols))
    ip = spec.get("clusterIP")
    if ip not in (None, "", "None") and not _is_ipv4(str(ip)):
        errors.append(
            invalid(
                "spec.clusterIPs[0]",
                ip,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            )
        )
    errors += _labels(spec.get("selector"), "spec.selector")
    return errors


def _is_ipv4(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and 0 <= int(p) <= 255 for p in parts)


# --- statefulsets -----------------------------------------------------------------------------


def _statefulset(sts: Object) -> Errors:
    """ValidateStatefulSetSpec (pkg/apis/apps/validation/validation.go)."""
    spec = sts.get("spec") or {}
    errors: Errors = []
    policy = spec.get("podManagementPolicy")
    if not policy:
        errors.append(required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errors.append(
            invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'")
        )
    strategy = spec.get("updateStrategy") or {}
    kind = strategy.get("type")
    if not kind:
        errors.append(required("spec.updateStrategy"))
    elif kind not in ("RollingUpdate", "OnDelete"):
        errors.append(
            invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'")
        )
    elif kind == "OnDelete" and strategy.get("rollingUpdate") is not None:
        errors.append(
            invalid(
                "spec.updateStrategy.rollingUpdate",
                strategy["rollingUpdate"],
                "only allowed for updateStrategy 'RollingUpdate'",
            )
        )
    for field in ("replicas", "minReadySeconds"):
        value = spec.get(field, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            errors.append(invalid(f"spec.{field}", value, "must be an integer"))
        elif value < 0:
            errors.append(invalid(f"spec.{field}", value, "must be greater than or equal to 0"))
    start = (spec.get("ordinals") or {}).get("start", 0)
    if isinstance(start, int) and start < 0:
        errors.append(invalid("spec.ordinals.start", start, "must be greater than or equal to 0"))
    service_name = spec.get("serviceName")
    if service_name:
        errors += [
            invalid("spec.serviceName", service_name, m)
            for m in names.dns1123_label_errors(service_name)
        ]
    retention = spec.get("persistentVolumeClaimRetentionPolicy") or {}
    for field in ("whenDeleted", "whenScaled"):
        if retention.get(field) not in ("Retain", "Delete"):
            errors.append(
                unsupported(
                    f"spec.persistentVolumeClaimRetentionPolicy.{field}",
                    retention.get(field),
                    ["Retain", "Delete"],
                )
            )
    errors += _selector_and_template(spec)
    return errors


def _selector_and_template(spec: Object) -> Errors:
    errors: Errors = []
    selector_spec = spec.get("selector")
    template = spec.get("template")
    if selector_spec is None:
        errors.append(required("spec.selector"))
    elif not (selector_spec.get("matchLabels") or selector_spec.get("matchExpressions")):
        errors.append(
            invalid("spec.selector", selector_spec, "empty selector is invalid for statefulset")
        )
    if not isinstance(template, dict):
        errors.append(required("spec.template"))
        return errors
    labels = (template.get("metadata") or {}).get("labels") or {}
    if selector_spec and (
        selector_spec.get("matchLabels") or selector_spec.get("matchExpressions")
    ):
        if not selectors.from_label_selector(selector_spec).matches(labels):
            errors.append(
                invalid(
                    "spec.template.metadata.labels",
                    labels,
                    "`selector` does not match template `labels`",
                )
            )
    errors += _labels(labels or None, "spec.template.metadata.labels")
    errors += pod_spec(template.get("spec"), "spec.template.spec", restart_policies=("Always",))
    if (template.get("spec") or {}).get("activeDeadlineSeconds") is not None:
        errors.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in StatefulSet is not Supported",
            )
        )
    return errors


# spec fields ValidateStatefulSetUpdate lets change; any other spec change is forbidden
_STATEFULSET_MUTABLE = (
    "replicas", "ordinals", "template", "updateStrategy", "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy", "minReadySeconds",
)  # fmt: skip


def _statefulset_update(old: Object, new: Object) -> Errors:
    """ValidateStatefulSetUpdate (pkg/apis/apps/validation/validation.go)."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    fixed_old = {k: v for k, v in old_spec.items() if k not in _STATEFULSET_MUTABLE}
    fixed_new = {k: v for k, v in new_spec.items() if k not in _STATEFULSET_MUTABLE}
    if fixed_old == fixed_new:
        return []
    return [
        forbidden(
            "spec",
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
            "'template', 'updateStrategy', 'revisionHistoryLimit', "
            "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        )
    ]


def _namespace(ns: Object) -> Errors:
    return []


_BY_KIND: dict[str, Callable[[Object], Errors]] = {
    "Pod": _pod,
    "Service": _service,
    "StatefulSet": _statefulset,
    "Namespace": _namespace,
}

_UPDATE_BY_KIND: dict[str, Callable[[Object, Object], Errors]] = {
    "StatefulSet": _statefulset_update,
}
