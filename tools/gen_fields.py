"""Generate kubesim/api/fields.json: the Go structs behind every kind kubesim serves.

The apiserver decodes a request body into Go structs; kubesim reproduces that decoding (the
JSON type errors and the strict unknown-field errors) from this table. Inputs:

- the OpenAPI definitions of Kubernetes v1.32, as packaged by kubernetes-validate
  (`pip download --no-deps kubernetes-validate`, then
  `kubernetes_validate/kubernetes-json-schema/v1.32.0-local/_definitions.json`);
- tools/go_named_types.json: the fields whose Go type is a named type (v1.RestartPolicy,
  []v1.PersistentVolumeAccessMode, types.UID...), read from k8s.io/api's types.go, since the
  OpenAPI only says "string".

Usage: python tools/gen_fields.py _definitions.json > kubesim/api/fields.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOTS = {
    "v1/Pod": "io.k8s.api.core.v1.Pod",
    "v1/Service": "io.k8s.api.core.v1.Service",
    "v1/Endpoints": "io.k8s.api.core.v1.Endpoints",
    "v1/Namespace": "io.k8s.api.core.v1.Namespace",
    "v1/Node": "io.k8s.api.core.v1.Node",
    "v1/Event": "io.k8s.api.core.v1.Event",
    "v1/ComponentStatus": "io.k8s.api.core.v1.ComponentStatus",
    "v1/ConfigMap": "io.k8s.api.core.v1.ConfigMap",
    "v1/Secret": "io.k8s.api.core.v1.Secret",
    "v1/ServiceAccount": "io.k8s.api.core.v1.ServiceAccount",
    "v1/PersistentVolumeClaim": "io.k8s.api.core.v1.PersistentVolumeClaim",
    "v1/PersistentVolume": "io.k8s.api.core.v1.PersistentVolume",
    "apps/v1/Deployment": "io.k8s.api.apps.v1.Deployment",
    "apps/v1/ReplicaSet": "io.k8s.api.apps.v1.ReplicaSet",
    "apps/v1/StatefulSet": "io.k8s.api.apps.v1.StatefulSet",
    "apps/v1/DaemonSet": "io.k8s.api.apps.v1.DaemonSet",
    "apps/v1/ControllerRevision": "io.k8s.api.apps.v1.ControllerRevision",
    "discovery.k8s.io/v1/EndpointSlice": "io.k8s.api.discovery.v1.EndpointSlice",
    "storage.k8s.io/v1/StorageClass": "io.k8s.api.storage.v1.StorageClass",
    "batch/v1/Job": "io.k8s.api.batch.v1.Job",
    "batch/v1/CronJob": "io.k8s.api.batch.v1.CronJob",
    "coordination.k8s.io/v1/Lease": "io.k8s.api.coordination.v1.Lease",
    "scheduling.k8s.io/v1/PriorityClass": "io.k8s.api.scheduling.v1.PriorityClass",
}

# types with their own UnmarshalJSON: their errors are not encoding/json's, so kubesim does not
# type-check them (validation still checks quantities and times where it reads them)
OPAQUE = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "~intstr.IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "~resource.Quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "~v1.Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "~v1.MicroTime",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "~v1.FieldsV1",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "~runtime.RawExtension",
}

PREFIXES = ("io.k8s.api.", "io.k8s.apimachinery.pkg.apis.")


def short(definition: str) -> str:
    for prefix in PREFIXES:
        if definition.startswith(prefix):
            return definition.removeprefix(prefix)
    raise ValueError(definition)


def ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def scalar(schema: dict[str, Any], where: str) -> str:
    kinds = schema.get("type")
    kind = next(k for k in kinds if k != "null") if isinstance(kinds, list) else kinds
    if kind == "string":
        return "bytes" if schema.get("format") == "byte" else "string"
    if kind == "integer":
        return {"int32": "int32", "int64": "int64"}[schema["format"]]
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool"
    raise ValueError(f"{where}: {schema}")


def expression(schema: dict[str, Any], where: str, pending: list[str]) -> str:
    """The field's type: a builtin, []T, map[string]T, @struct, ~opaque."""
    name = ref_name(schema)
    if name:
        if name in OPAQUE:
            return OPAQUE[name]
        pending.append(name)
        return "@" + short(name)
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "array" in kinds:
        return "[]" + expression(schema["items"], where, pending)
    if "object" in kinds:
        return "map[string]" + expression(schema["additionalProperties"], where, pending)
    return scalar(schema, where)


def main(definitions_path: str) -> None:
    definitions = json.loads(Path(definitions_path).read_text())["$defs"]
    go_named = json.loads((Path(__file__).parent / "go_named_types.json").read_text())
    structs: dict[str, dict[str, str]] = {}
    aliases: dict[str, str] = {}
    pending = list(ROOTS.values())
    while pending:
        definition = pending.pop()
        key = short(definition)
        if key in structs:
            continue
        fields: dict[str, str] = {}
        for field, schema in sorted(definitions[definition].get("properties", {}).items()):
            where = f"{definition}.{field}"
            expr = expression(schema, where, pending)
            go_type = go_named.get(where)
            if go_type:
                expr = alias(expr, go_type, aliases, where)
            fields[field] = expr
        structs[key] = fields
    unused = set(go_named) - {
        f"{d}.{f}" for d in definitions for f in definitions[d].get("properties", {})
    }
    if unused:
        raise SystemExit(f"named types for unknown fields: {sorted(unused)}")
    table = {
        "source": "Kubernetes v1.32.0 OpenAPI (kubernetes-validate v1.32.0-local) and types.go",
        "kinds": {gvk: short(d) for gvk, d in ROOTS.items()},
        "aliases": dict(sorted(aliases.items())),
        "structs": dict(sorted(structs.items())),
    }
    json.dump(table, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


def alias(expr: str, go_type: str, aliases: dict[str, str], where: str) -> str:
    """Replace the innermost builtin of `expr` by the named type `go_type` names, recording
    what that name stands for: `[]string` with `[]v1.Capability` -> `[]v1.Capability`."""
    outer_expr, outer_go = "", go_type
    inner = expr
    while inner.startswith("[]") and outer_go.startswith("[]"):
        inner, outer_go = inner[2:], outer_go[2:]
        outer_expr += "[]"
    # a named map or slice (v1.ResourceList, v1.Capabilities...) stands for the whole rest
    previous = aliases.setdefault(outer_go, inner)
    if previous != inner:
        raise SystemExit(f"{where}: {outer_go} is {previous} elsewhere, {inner} here")
    return outer_expr + outer_go


if __name__ == "__main__":
    main(sys.argv[1])
