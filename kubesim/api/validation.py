"""Validation on create and update, with the field paths and messages the apiserver uses.

Sources: apimachinery pkg/api/validation/objectmeta.go, pkg/apis/core/validation/validation.go,
pkg/apis/apps/validation/validation.go. Checks cover the fields kubesim acts on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from kubesim.api import names, selectors
from kubesim.api.errors import FieldError, GoSyntax, forbidden, invalid, required, unsupported

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
    errors += label_errors(meta.get("labels"), "metadata.labels")
    annotations = meta.get("annotations") or {}
    for key in annotations:
        # a qualified name, but in any case (ValidateAnnotations lower-cases the key)
        messages = names.label_key_errors(str(key).lower())
        errors += [invalid("metadata.annotations", key, m) for m in messages]
    if _annotations_size(annotations) > TOTAL_ANNOTATION_SIZE:
        errors.append(too_long("metadata.annotations", TOTAL_ANNOTATION_SIZE))
    if not namespaced and meta.get("namespace"):
        errors.append(forbidden("metadata.namespace", "not allowed on this type"))
    return errors


TOTAL_ANNOTATION_SIZE = 256 * (1 << 10)  # TotalAnnotationSizeLimitB
MAX_DATA_SIZE = 1 << 20  # core.MaxSecretSize, which ConfigMaps share


def too_long(field: str, limit: int) -> FieldError:
    """field.TooLong as v1.32 words it."""
    return FieldError("Too long", field, detail=f"may not be more than {limit} bytes")


def _annotations_size(annotations: Any) -> int:
    """ValidateAnnotationsSize: the bytes of every key and value."""
    if not isinstance(annotations, dict):
        return 0
    return sum(len(_utf8(k)) + len(_utf8(v)) for k, v in annotations.items())


def _utf8(value: Any) -> bytes:
    return str(value if value is not None else "").encode("utf-8", "surrogatepass")


def _config_map(cm: Object) -> Errors:
    """ValidateConfigMap: keys that can be file names, in one bag only, and at most 1 MiB of
    values (binaryData's counted decoded); the size error names the whole object, `[]`."""
    import base64
    import binascii

    errors: Errors = []
    data: dict[str, Any] = cm["data"] if isinstance(cm.get("data"), dict) else {}
    binary: dict[str, Any] = cm["binaryData"] if isinstance(cm.get("binaryData"), dict) else {}
    total = 0
    for bag, other, values in (("data", binary, data), ("binaryData", data, binary)):
        for key in sorted(values):
            value = values[key]
            path = f"{bag}[{key}]"
            errors += [invalid(path, key, m) for m in names.config_map_key_errors(str(key))]
            if key in other:
                detail = f"duplicate of key present in {'binaryData' if bag == 'data' else 'data'}"
                errors.append(invalid(path, key, detail))
            if bag == "data":
                total += len(_utf8(value))
            else:
                try:
                    total += len(base64.b64decode(str(value or "")))
                except (binascii.Error, ValueError):
                    total += len(str(value or "")) * 3 // 4
    if total > MAX_DATA_SIZE:
        errors.append(too_long("[]", MAX_DATA_SIZE))
    return errors


def label_errors(labels: Any, path: str) -> Errors:
    """ValidateLabels: keys and values of a labels map."""
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


def pod_spec(
    spec: Any,
    path: str,
    *,
    restart_policies: tuple[str, ...] | None = None,
    extra_volumes: tuple[str, ...] = (),
) -> Errors:
    """ValidatePodSpec, for the fields kubesim simulates (`extra_volumes`: claim templates)."""
    if not isinstance(spec, dict):
        return [required(path)]
    errors: Errors = []
    volumes = {v.get("name") for v in spec.get("volumes") or [] if isinstance(v, dict)}
    volumes |= set(extra_volumes)
    for c, container in enumerate(spec.get("containers") or []):
        if not isinstance(container, dict):
            continue
        for m, mount in enumerate(container.get("volumeMounts") or []):
            if mount.get("name") not in volumes:
                field = f"{path}.containers[{c}].volumeMounts[{m}].name"
                errors.append(FieldError("Not found", field, mount.get("name")))
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
        if port.get("nodePort") and spec.get("type") == "ClusterIP":
            errors.append(
                forbidden(f"{path}.nodePort", "may not be used when `type` is 'ClusterIP'")
            )
    ip = spec.get("clusterIP")
    if ip not in (None, "", "None") and not _is_ipv4(str(ip)):
        errors.append(
            invalid(
                "spec.clusterIPs[0]",
                ip,
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            )
        )
    errors += label_errors(spec.get("selector"), "spec.selector")
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
                _rolling_update_struct(strategy["rollingUpdate"]),
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
    errors += label_errors(labels or None, "spec.template.metadata.labels")
    claims = tuple(
        c["metadata"]["name"]
        for c in spec.get("volumeClaimTemplates") or []
        if isinstance(c, dict) and (c.get("metadata") or {}).get("name")
    )
    errors += pod_spec(
        template.get("spec"),
        "spec.template.spec",
        restart_policies=("Always",),
        extra_volumes=claims,
    )
    for i, claim in enumerate(spec.get("volumeClaimTemplates") or []):
        errors += claim_spec(claim.get("spec"), f"spec.volumeClaimTemplates[{i}].spec")
    if (template.get("spec") or {}).get("activeDeadlineSeconds") is not None:
        errors.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in StatefulSet is not Supported",
            )
        )
    return errors


# --- deployments and replica sets (ValidateDeploymentSpec, ValidateReplicaSetSpec) ---------------


class _GoValue(FieldError):
    """A field error whose value Go prints with %#v (IntOrString, structs), given as text."""

    def body(self) -> str:
        text = f"{self.type}: {self.value}"
        return f"{text}: {self.detail}" if self.detail else text


def _intstr_text(value: Any) -> str:
    if isinstance(value, str):
        return f'intstr.IntOrString{{Type:1, IntVal:0, StrVal:"{value}"}}'
    return f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}'


_PERCENT_MESSAGE = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def _is_percent(value: Any) -> bool:
    return isinstance(value, str) and value[:-1].isdigit() and value.endswith("%")


def _int_or_percent_value(value: Any) -> int:
    """getIntOrPercentValue: the number of a percentage, else the integer (0 if not one)."""
    if _is_percent(value):
        return int(value[:-1])
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value))
    except ValueError:
        return 0


def _positive_int_or_percent(value: Any, path: str) -> Errors:
    if isinstance(value, str):
        return (
            []
            if _is_percent(value)
            else [_GoValue("Invalid value", path, _intstr_text(value), _PERCENT_MESSAGE)]
        )
    if isinstance(value, int) and value < 0:
        return [invalid(path, value, "must be greater than or equal to 0")]
    return []


def _deployment_strategy(strategy: Any) -> Errors:
    path = "spec.strategy"
    strategy = strategy if isinstance(strategy, dict) else {}
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [
                forbidden(
                    f"{path}.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                )
            ]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        surge, unavailable = rolling.get("maxSurge"), rolling.get("maxUnavailable")
        field = f"{path}.rollingUpdate.maxUnavailable"
        errors = _positive_int_or_percent(unavailable, field)
        errors += _positive_int_or_percent(surge, f"{path}.rollingUpdate.maxSurge")
        if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
            message = "may not be 0 when `maxSurge` is 0"
            errors.append(_GoValue("Invalid value", field, _intstr_text(unavailable), message))
        if _is_percent(unavailable) and int(str(unavailable)[:-1]) > 100:
            message = "must not be greater than 100%"
            errors.append(_GoValue("Invalid value", field, _intstr_text(unavailable), message))
        return errors
    rolling_text = "nil" if rolling is None else "0xc000000000"
    value = (
        f'apps.DeploymentStrategy{{Type:"{kind or ""}", '
        f"RollingUpdate:(*apps.RollingUpdateDeployment)({rolling_text})}}"
    )
    return [
        _GoValue("Unsupported value", path, value, 'supported values: "Recreate", "RollingUpdate"')
    ]


def _nonnegative(spec: Object, field: str) -> Errors:
    value = spec.get(field, 0)
    if not isinstance(value, int) or isinstance(value, bool):
        return [invalid(f"spec.{field}", value, "must be an integer")]
    if value < 0:
        return [invalid(f"spec.{field}", value, "must be greater than or equal to 0")]
    return []


def _replica_set_selector_and_template(spec: Object) -> Errors:
    """The selector checks and ValidatePodTemplateSpecForReplicaSet, shared by both kinds."""
    errors: Errors = []
    selector_spec = spec.get("selector")
    if selector_spec is None:
        errors.append(required("spec.selector"))
    else:
        errors += label_errors(
            (selector_spec or {}).get("matchLabels"), "spec.selector.matchLabels"
        )
        if not (selector_spec.get("matchLabels") or selector_spec.get("matchExpressions")):
            # upstream says "deployment" for replica sets too; the value prints with %#v
            errors.append(
                _GoValue(
                    "Invalid value",
                    "spec.selector",
                    "v1.LabelSelector{MatchLabels:map[string]string(nil), "
                    "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
                    "empty selector is invalid for deployment",
                )
            )
    template = spec.get("template")
    if not isinstance(template, dict):
        errors.append(required("spec.template"))
        return errors
    labels = (template.get("metadata") or {}).get("labels") or {}
    # a nil selector selects nothing, so it cannot match the labels either
    if (
        selector_spec is None
        or selector_spec.get("matchLabels")
        or selector_spec.get("matchExpressions")
    ):
        if not selectors.from_label_selector(selector_spec).matches(labels):
            errors.append(
                invalid(
                    "spec.template.metadata.labels",
                    labels,
                    "`selector` does not match template `labels`",
                )
            )
    errors += label_errors(labels or None, "spec.template.metadata.labels")
    errors += pod_spec(template.get("spec"), "spec.template.spec", restart_policies=("Always",))
    if (template.get("spec") or {}).get("activeDeadlineSeconds") is not None:
        errors.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errors


def _deployment(deployment: Object) -> Errors:
    """ValidateDeploymentSpec (pkg/apis/apps/validation/validation.go)."""
    spec = deployment.get("spec") or {}
    errors = _nonnegative(spec, "replicas")
    errors += _replica_set_selector_and_template(spec)
    errors += _deployment_strategy(spec.get("strategy"))
    errors += _nonnegative(spec, "minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errors += _nonnegative(spec, "revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errors += _nonnegative(spec, "progressDeadlineSeconds")
        if isinstance(deadline, int) and deadline <= int(spec.get("minReadySeconds", 0) or 0):
            errors.append(
                invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errors


def _replicaset(rs: Object) -> Errors:
    """ValidateReplicaSetSpec."""
    spec = rs.get("spec") or {}
    errors = _nonnegative(spec, "replicas") + _nonnegative(spec, "minReadySeconds")
    return errors + _replica_set_selector_and_template(spec)


def _daemonset(ds: Object) -> Errors:
    """ValidateDaemonSetSpec (pkg/apis/apps/validation/validation.go)."""
    spec = ds.get("spec") or {}
    errors: Errors = []
    selector_spec = spec.get("selector")
    if selector_spec is None:
        errors.append(required("spec.selector"))
    else:
        errors += label_errors(
            (selector_spec or {}).get("matchLabels"), "spec.selector.matchLabels"
        )
    template = spec.get("template")
    if not isinstance(template, dict):
        return errors + [required("spec.template")]
    labels = (template.get("metadata") or {}).get("labels") or {}
    if selector_spec is not None and not selectors.from_label_selector(selector_spec).matches(
        labels
    ):
        errors.append(
            invalid(
                "spec.template.metadata.labels",
                labels,
                "`selector` does not match template `labels`",
            )
        )
    if selector_spec is not None and not (
        selector_spec.get("matchLabels") or selector_spec.get("matchExpressions")
    ):
        errors.append(
            _GoValue(
                "Invalid value",
                "spec.selector",
                "v1.LabelSelector{MatchLabels:map[string]string(nil), "
                "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
                "empty selector is invalid for daemonset",
            )
        )
    errors += label_errors(labels or None, "spec.template.metadata.labels")
    errors += pod_spec(template.get("spec"), "spec.template.spec", restart_policies=("Always",))
    if (template.get("spec") or {}).get("activeDeadlineSeconds") is not None:
        errors.append(
            invalid(
                "spec.template.spec.activeDeadlineSeconds",
                template["spec"]["activeDeadlineSeconds"],
                "activeDeadlineSeconds in DaemonSet is not Supported",
            )
        )
    errors += _nonnegative(spec, "minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errors += _nonnegative(spec, "revisionHistoryLimit")
    return errors + _daemonset_update_strategy(spec.get("updateStrategy"))


def _daemonset_update_strategy(strategy: Any) -> Errors:
    """ValidateDaemonSetUpdateStrategy."""
    path = "spec.updateStrategy"
    strategy = strategy if isinstance(strategy, dict) else {}
    kind = strategy.get("type")
    if kind == "OnDelete":
        return []
    if kind != "RollingUpdate":
        return [unsupported(f"{path}.type", kind or "", ["OnDelete", "RollingUpdate"])]
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return [required(f"{path}.rollingUpdate")]
    path = f"{path}.rollingUpdate"
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errors = _positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errors += _positive_int_or_percent(surge, f"{path}.maxSurge")
    if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
        errors.append(
            invalid(
                f"{path}.maxUnavailable",
                unavailable,
                "may not be 0 when `maxSurge` is 0",
            )
        )
    for field, value in (("maxUnavailable", unavailable), ("maxSurge", surge)):
        if _is_percent(value) and int(str(value)[:-1]) > 100:
            errors.append(
                _GoValue(
                    "Invalid value",
                    f"{path}.{field}",
                    _intstr_text(value),
                    "must not be greater than 100%",
                )
            )
    return errors


def _priority_class(pc: Object) -> Errors:
    """ValidatePriorityClass: a name starting `system-` is reserved for the built-in classes."""
    name = str((pc.get("metadata") or {}).get("name") or "")
    errors: Errors = []
    builtin = {"system-node-critical": 2000001000, "system-cluster-critical": 2000000000}
    if name.startswith("system-") and builtin.get(name) != pc.get("value"):
        errors.append(
            forbidden(
                "metadata.name",
                "priority class names with 'system-' prefix are reserved for system use only",
            )
        )
    if "value" not in pc:
        errors.append(required("value"))
    policies = ["Never", "PreemptLowerPriority"]
    if pc.get("preemptionPolicy") not in policies:
        errors.append(unsupported("preemptionPolicy", pc.get("preemptionPolicy"), policies))
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


# --- storage ----------------------------------------------------------------------------------

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]


def claim_spec(spec: Any, path: str) -> Errors:
    """ValidatePersistentVolumeClaimSpec, for the fields kubesim acts on."""
    if not isinstance(spec, dict):
        return [required(path)]
    errors: Errors = []
    modes = spec.get("accessModes") or []
    if not modes:
        errors.append(required(f"{path}.accessModes", "at least 1 access mode is required"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errors.append(unsupported(f"{path}.accessModes", mode, ACCESS_MODES))
    storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if storage is None:
        errors.append(required(f"{path}.resources[storage]"))
    return errors


def _claim(pvc: Object) -> Errors:
    return claim_spec(pvc.get("spec"), "spec")


def _volume(pv: Object) -> Errors:
    spec = pv.get("spec") or {}
    errors: Errors = []
    if not (spec.get("capacity") or {}).get("storage"):
        errors.append(required("spec.capacity"))
    modes = spec.get("accessModes") or []
    if not modes:
        errors.append(required("spec.accessModes"))
    for mode in modes:
        if mode not in ACCESS_MODES:
            errors.append(unsupported("spec.accessModes", mode, ACCESS_MODES))
    sources = ("hostPath", "local", "nfs", "csi", "emptyDir")
    if not any(spec.get(source) for source in sources):
        errors.append(required("spec", "must specify a volume type"))
    return errors


def _storage_class(sc: Object) -> Errors:
    errors: Errors = []
    if not sc.get("provisioner"):
        errors.append(required("provisioner"))
    modes = ["Immediate", "WaitForFirstConsumer"]
    if sc.get("volumeBindingMode") not in modes:
        errors.append(unsupported("volumeBindingMode", sc.get("volumeBindingMode"), modes))
    return errors


def _secret(secret: Object) -> Errors:
    from kubesim.api.configdata import validate_secret

    return validate_secret(secret)


def _job(job: Object) -> Errors:
    from kubesim.api.batch import validate_job

    return validate_job(job)


def _cron_job(cron_job: Object) -> Errors:
    from kubesim.api.batch import validate_cron_job

    return validate_cron_job(cron_job)


def _secret_update(old: Object, new: Object) -> Errors:
    from kubesim.api.configdata import validate_secret_update

    return validate_secret_update(old, new)


def _config_map_update(old: Object, new: Object) -> Errors:
    from kubesim.api.configdata import validate_config_map_update

    return validate_config_map_update(old, new)


def _job_update(old: Object, new: Object) -> Errors:
    from kubesim.api.batch import validate_job_update

    return validate_job_update(old, new)


_BY_KIND: dict[str, Callable[[Object], Errors]] = {
    "Pod": _pod,
    "Secret": _secret,
    "Job": _job,
    "CronJob": _cron_job,
    "ConfigMap": _config_map,
    "Service": _service,
    "StatefulSet": _statefulset,
    "Deployment": _deployment,
    "ReplicaSet": _replicaset,
    "DaemonSet": _daemonset,
    "PriorityClass": _priority_class,
    "Namespace": _namespace,
    "PersistentVolumeClaim": _claim,
    "PersistentVolume": _volume,
    "StorageClass": _storage_class,
}


def _selector_update(old: Object, new: Object) -> Errors:
    """The Deployment and ReplicaSet strategies' ValidateUpdate: in apps/v1 the selector is
    immutable (apivalidation.ValidateImmutableField); the value prints with %#v."""
    before, after = (old.get("spec") or {}).get("selector"), (new.get("spec") or {}).get("selector")
    if before == after:
        return []
    return [
        _GoValue("Invalid value", "spec.selector", label_selector_go(after), "field is immutable")
    ]


def label_selector_go(selector: Any) -> str:
    """%#v of a metav1.LabelSelector (a nil pointer is printed as null)."""
    if not isinstance(selector, dict):
        return "null"
    labels = selector.get("matchLabels")
    if labels:
        entries = ", ".join(f"{_go_quote(k)}:{_go_quote(v)}" for k, v in sorted(labels.items()))
        match_labels = f"map[string]string{{{entries}}}"
    else:
        match_labels = "map[string]string(nil)" if labels is None else "map[string]string{}"
    expressions = selector.get("matchExpressions")
    if expressions is None:
        match_expressions = "[]v1.LabelSelectorRequirement(nil)"
    else:
        items = []
        for e in expressions:
            values = e.get("values")
            shown = (
                "[]string(nil)"
                if values is None
                else "[]string{" + ", ".join(_go_quote(v) for v in values) + "}"
            )
            items.append(
                f"v1.LabelSelectorRequirement{{Key:{_go_quote(e.get('key', ''))}, "
                f"Operator:{_go_quote(e.get('operator', ''))}, Values:{shown}}}"
            )
        match_expressions = "[]v1.LabelSelectorRequirement{" + ", ".join(items) + "}"
    return f"v1.LabelSelector{{MatchLabels:{match_labels}, MatchExpressions:{match_expressions}}}"


def _go_quote(value: Any) -> str:
    import json

    return json.dumps(str(value))


# what ValidatePodUpdate lets a pod's spec change, in its own words
_POD_UPDATABLE = ",".join(
    (
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)",
    )
)


def _pod_update(old: Object, new: Object) -> Errors:
    """ValidatePodUpdate: the new spec, with the fields a pod may change set back to the old
    values ("munged"), must equal the old spec. Upstream appends a cmp.Diff of its internal
    structs to the message; kubesim gives the message alone."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if old_spec == new_spec:
        return []
    errors: Errors = []
    munged = copy.deepcopy(new_spec)
    for key in ("containers", "initContainers"):
        before = old_spec.get(key) or []
        for i, container in enumerate(munged.get(key) or []):
            if i < len(before) and isinstance(container, dict):
                if "image" in before[i]:
                    container["image"] = before[i]["image"]
                else:
                    container.pop("image", None)
    for key in ("activeDeadlineSeconds",):
        if key in old_spec:
            munged[key] = old_spec[key]
        else:
            munged.pop(key, None)
    # validateOnlyAddedTolerations: each old toleration must still be there, its
    # tolerationSeconds aside
    new_tolerations = [_without_seconds(t) for t in new_spec.get("tolerations") or []]
    if any(_without_seconds(t) not in new_tolerations for t in old_spec.get("tolerations") or []):
        errors.append(
            forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            )
        )
    if "tolerations" in old_spec:
        munged["tolerations"] = old_spec["tolerations"]
    else:
        munged.pop("tolerations", None)
    grace_before = old_spec.get("terminationGracePeriodSeconds")
    if (
        isinstance(grace_before, int)
        and grace_before < 0
        and munged.get("terminationGracePeriodSeconds") == 1
    ):
        munged["terminationGracePeriodSeconds"] = grace_before
    if munged != old_spec:
        errors.append(
            forbidden("spec", f"pod updates may not change fields other than {_POD_UPDATABLE}")
        )
    return errors


def _without_seconds(toleration: Any) -> Any:
    if isinstance(toleration, dict):
        return {k: v for k, v in toleration.items() if k != "tolerationSeconds"}
    return toleration


def _service_update(old: Object, new: Object) -> Errors:
    """validateUpgradeDowngradeClusterIPs: an allocated cluster IP may not change, except to
    or from ExternalName and between headless forms."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    if "ExternalName" in (old_spec.get("type"), new_spec.get("type")):
        return []
    if old_spec.get("clusterIP") == "None" and new_spec.get("clusterIP") == "None":
        return []
    before, after = old_spec.get("clusterIPs") or [], new_spec.get("clusterIPs") or []
    if len(before) != len(after):
        return []
    return [
        invalid(f"spec.clusterIPs[{i}]", after, "may not change once set")
        for i, ip in enumerate(before)
        if ip != after[i]
    ]


_UPDATE_BY_KIND: dict[str, Callable[[Object, Object], Errors]] = {
    "Secret": _secret_update,
    "ConfigMap": _config_map_update,
    "Job": _job_update,
    "StatefulSet": _statefulset_update,
    "Deployment": _selector_update,
    "DaemonSet": _selector_update,
    "ReplicaSet": _selector_update,
    "Pod": _pod_update,
    "Service": _service_update,
}


def _rolling_update_struct(rolling: Mapping[str, Any]) -> GoSyntax:
    """%#v of the internal apps.RollingUpdateStatefulSetStrategy v1.32 validates (kubernetes/
    website#47038); a set maxUnavailable prints as a pointer, whose address Go chooses."""
    partition = rolling.get("partition") or 0
    pointer = "nil" if rolling.get("maxUnavailable") is None else "0xc000b1c2d0"
    return GoSyntax(
        f"apps.RollingUpdateStatefulSetStrategy{{Partition:{partition}, "
        f"MaxUnavailable:(*intstr.IntOrString)({pointer})}}"
    )
