"""Decoding: the apiserver turns a request body into a Go struct before anything else, and
refuses values of the wrong JSON type with encoding/json's message, e.g.

    Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go
    struct field Pod.spec of type v1.PodSpec

kubesim checks the shape of the fields it reads, so that defaulting and validation never meet
a list where they expect an object.
"""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import BadRequest

Object = dict[str, Any]
Schema = dict[str, tuple[str, str]]  # dotted path ("[]" for list items) -> (json type, Go type)

_META: Schema = {
    "metadata": ("object", "v1.ObjectMeta"),
    "metadata.name": ("string", "string"),
    "metadata.generateName": ("string", "string"),
    "metadata.namespace": ("string", "string"),
    "metadata.labels": ("object", "map[string]string"),
    "metadata.labels.*": ("string", "string"),
    "metadata.annotations": ("object", "map[string]string"),
    "metadata.annotations.*": ("string", "string"),
    "metadata.finalizers": ("array", "[]string"),
    "metadata.finalizers[]": ("string", "string"),
}

_CONTAINER: Schema = {
    "": ("object", "v1.Container"),
    "name": ("string", "string"),
    "image": ("string", "string"),
    "command": ("array", "[]string"),
    "command[]": ("string", "string"),
    "args": ("array", "[]string"),
    "args[]": ("string", "string"),
    "ports": ("array", "[]v1.ContainerPort"),
    "ports[]": ("object", "v1.ContainerPort"),
    "ports[].containerPort": ("int32", "int32"),
    "ports[].name": ("string", "string"),
    "env": ("array", "[]v1.EnvVar"),
    "env[]": ("object", "v1.EnvVar"),
    "env[].name": ("string", "string"),
    "env[].value": ("string", "string"),
    "volumeMounts": ("array", "[]v1.VolumeMount"),
    "volumeMounts[]": ("object", "v1.VolumeMount"),
    "volumeMounts[].name": ("string", "string"),
    "volumeMounts[].mountPath": ("string", "string"),
    "readinessProbe": ("object", "v1.Probe"),
    "livenessProbe": ("object", "v1.Probe"),
    "resources": ("object", "v1.ResourceRequirements"),
}


def _nested(prefix: str, schema: Schema) -> Schema:
    return {(f"{prefix}.{k}" if k else prefix): v for k, v in schema.items()}


_POD_SPEC: Schema = {
    "": ("object", "v1.PodSpec"),
    "containers": ("array", "[]v1.Container"),
    **_nested("containers[]", _CONTAINER),
    "initContainers": ("array", "[]v1.Container"),
    **_nested("initContainers[]", _CONTAINER),
    "volumes": ("array", "[]v1.Volume"),
    "volumes[]": ("object", "v1.Volume"),
    "volumes[].name": ("string", "string"),
    "nodeSelector": ("object", "map[string]string"),
    "nodeSelector.*": ("string", "string"),
    "restartPolicy": ("string", "v1.RestartPolicy"),
    "hostname": ("string", "string"),
    "subdomain": ("string", "string"),
    "tolerations": ("array", "[]v1.Toleration"),
    "tolerations[]": ("object", "v1.Toleration"),
    "terminationGracePeriodSeconds": ("int64", "int64"),
}

_SELECTOR: Schema = {
    "": ("object", "v1.LabelSelector"),
    "matchLabels": ("object", "map[string]string"),
    "matchLabels.*": ("string", "string"),
    "matchExpressions": ("array", "[]v1.LabelSelectorRequirement"),
    "matchExpressions[]": ("object", "v1.LabelSelectorRequirement"),
}

_TEMPLATE: Schema = {
    "": ("object", "v1.PodTemplateSpec"),
    **{f"metadata{k.removeprefix('metadata')}": v for k, v in _META.items()},
    **_nested("spec", _POD_SPEC),
}

_CLAIM_SPEC: Schema = {
    "": ("object", "v1.PersistentVolumeClaimSpec"),
    "accessModes": ("array", "[]v1.PersistentVolumeAccessMode"),
    "accessModes[]": ("string", "v1.PersistentVolumeAccessMode"),
    "resources": ("object", "v1.VolumeResourceRequirements"),
    "storageClassName": ("string", "string"),
    "volumeName": ("string", "string"),
}

_WORKLOAD: Schema = {
    "spec.replicas": ("int32", "int32"),
    "spec.minReadySeconds": ("int32", "int32"),
    "spec.revisionHistoryLimit": ("int32", "int32"),
    **_nested("spec.selector", _SELECTOR),
    **_nested("spec.template", _TEMPLATE),
}

SCHEMAS: dict[str, Schema] = {
    "Pod": {**_nested("spec", _POD_SPEC)},
    "Service": {
        "spec": ("object", "v1.ServiceSpec"),
        "spec.ports": ("array", "[]v1.ServicePort"),
        "spec.ports[]": ("object", "v1.ServicePort"),
        "spec.ports[].port": ("int32", "int32"),
        "spec.ports[].name": ("string", "string"),
        "spec.ports[].protocol": ("string", "v1.Protocol"),
        "spec.selector": ("object", "map[string]string"),
        "spec.selector.*": ("string", "string"),
        "spec.clusterIP": ("string", "string"),
        "spec.type": ("string", "v1.ServiceType"),
    },
    "StatefulSet": {
        "spec": ("object", "v1.StatefulSetSpec"),
        **_WORKLOAD,
        "spec.serviceName": ("string", "string"),
        "spec.podManagementPolicy": ("string", "v1.PodManagementPolicyType"),
        "spec.updateStrategy": ("object", "v1.StatefulSetUpdateStrategy"),
        "spec.updateStrategy.rollingUpdate": ("object", "v1.RollingUpdateStatefulSetStrategy"),
        "spec.updateStrategy.rollingUpdate.partition": ("int32", "int32"),
        "spec.volumeClaimTemplates": ("array", "[]v1.PersistentVolumeClaim"),
        "spec.volumeClaimTemplates[]": ("object", "v1.PersistentVolumeClaim"),
        **_nested("spec.volumeClaimTemplates[].spec", _CLAIM_SPEC),
    },
    "Deployment": {
        "spec": ("object", "v1.DeploymentSpec"),
        **_WORKLOAD,
        "spec.strategy": ("object", "v1.DeploymentStrategy"),
    },
    "ReplicaSet": {"spec": ("object", "v1.ReplicaSetSpec"), **_WORKLOAD},
    "PersistentVolumeClaim": {**_nested("spec", _CLAIM_SPEC)},
    "Namespace": {"spec": ("object", "v1.NamespaceSpec")},
}

_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def check(obj: Any, kind: str, version: str) -> None:
    """BadRequest, with encoding/json's message, if a field has the wrong JSON type."""
    schema = {**_META, **SCHEMAS.get(kind, {})}
    problem = _walk(obj, "", schema, kind)
    if problem:
        raise BadRequest(f'{kind} in version "{version}" cannot be handled as a {kind}: {problem}')


def _walk(value: Any, path: str, schema: Schema, kind: str) -> str:
    for key, child in _children(value, path):
        rule = schema.get(key)
        shown = key
        if rule is None:
            rule = schema.get(_wildcard(key))
            shown = key.rpartition(".")[0]  # a map's value: Go names the map field
        if rule is not None:
            problem = _check_type(child, shown, rule, kind)
            if problem:
                return problem
        if isinstance(child, dict | list):
            problem = _walk(child, key, schema, kind)
            if problem:
                return problem
    return ""


def _children(value: Any, path: str) -> list[tuple[str, Any]]:
    prefix = f"{path}." if path else ""
    if isinstance(value, dict):
        return [(f"{prefix}{k}", v) for k, v in value.items()]
    if isinstance(value, list):
        return [(f"{path}[]", v) for v in value]
    return []


def _wildcard(key: str) -> str:
    head, _, _ = key.rpartition(".")
    return f"{head}.*"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _check_type(value: Any, key: str, rule: tuple[str, str], kind: str) -> str:
    expected, go_type = rule
    if value is None:
        return ""  # null leaves the Go zero value
    actual = _json_type(value)
    field = f"{kind}.{key.replace('[]', '')}"
    if expected in _INT_RANGES:
        if actual == "number" and float(value).is_integer():
            low, high = _INT_RANGES[expected]
            if low <= int(value) <= high:
                return ""
            actual = f"number {value}"
        return f"json: cannot unmarshal {actual} into Go struct field {field} of type {go_type}"
    if actual != expected:
        return f"json: cannot unmarshal {actual} into Go struct field {field} of type {go_type}"
    return ""
