"""Generate kubesim/kubectl/kustomize_schema.json: the lists kustomize's patches merge by key.

kustomize's strategic merge (kyaml's merge2) decides, list by list, from the Kubernetes OpenAPI
it compiles in (v1.21.2), whether a list is replaced or merged element by element, and by which
keys (x-kubernetes-list-map-keys, else x-kubernetes-patch-merge-key). This keeps only the
fields that lead to such a list, from each kind's root definition.

Input: the OpenAPI definitions as packaged by kubernetes-validate (`pip download --no-deps
kubernetes-validate`, then `kubernetes_validate/kubernetes-json-schema/v1.25.0-local/
_definitions.json`, the oldest it ships: the patch strategies and keys of the kinds kubesim's
users write have not changed since v1.21).

Usage:
    python tools/gen_kustomize_schema.py _definitions.json \
        > kubesim/kubectl/kustomize_schema.json
"""

from __future__ import annotations

import json
import sys
from typing import Any

PREFIXES = ("io.k8s.api.", "io.k8s.apimachinery.pkg.apis.", "io.k8s.kube-aggregator.pkg.apis.",
            "io.k8s.apiextensions-apiserver.pkg.apis.")  # fmt: skip


def short(name: str) -> str:
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def ref_of(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref") or (schema.get("allOf") or [{}])[0].get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def main(path: str) -> None:
    raw = json.load(open(path))
    definitions: dict[str, Any] = raw.get("definitions") or raw.get("$defs") or raw
    fields: dict[str, dict[str, Any]] = {}
    for name, definition in definitions.items():
        for field, prop in (definition.get("properties") or {}).items():
            entry: dict[str, Any] = {}
            target = prop
            types = prop.get("type")
            types = types if isinstance(types, list) else [types]
            if "array" in types:
                entry["list"] = True
                target = prop.get("items") or {}
            elif "object" in types and isinstance(prop.get("additionalProperties"), dict):
                entry["values"] = True
                target = prop["additionalProperties"]
            ref = ref_of(target)
            if ref:
                entry["ref"] = short(ref)
            strategy = prop.get("x-kubernetes-patch-strategy", "")
            if "merge" in strategy.split(","):
                keys = prop.get("x-kubernetes-list-map-keys")
                if not keys:
                    key = prop.get("x-kubernetes-patch-merge-key")
                    keys = [key] if key else []
                entry["merge"] = keys
            fields.setdefault(short(name), {})[field] = entry
    # keep only what leads to a merged list
    useful: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, props in fields.items():
            if name in useful:
                continue
            if any("merge" in e or e.get("ref") in useful for e in props.values()):
                useful.add(name)
                changed = True
    structs = {
        name: {
            f: {k: v for k, v in e.items() if k != "ref" or v in useful}
            for f, e in sorted(props.items())
            if "merge" in e or e.get("ref") in useful
        }
        for name, props in sorted(fields.items())
        if name in useful
    }
    kinds = {}
    for name, definition in definitions.items():
        for gvk in definition.get("x-kubernetes-group-version-kind") or []:
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            if short(name) in useful and "List" not in gvk["kind"][-4:]:
                kinds[f"{api_version}/{gvk['kind']}"] = short(name)
    json.dump({"source": "Kubernetes v1.25.0 OpenAPI (kubernetes-validate)", "kinds":
               dict(sorted(kinds.items())), "structs": structs}, sys.stdout, indent=1)  # fmt: skip
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
