"""Generate kubesim/api/protobuf.json: the protobuf field numbers of the messages kubectl's
typed clients send (`kubectl create deployment`, `create namespace`, `auth can-i`...), which
carry `Content-Type: application/vnd.kubernetes.protobuf`.

Inputs: the generated.proto files of k8s.io/api and k8s.io/apimachinery at the v0.32 release
(git checkouts of kubernetes/api and kubernetes/apimachinery). Only field names, numbers,
labels and types are kept, and only for the messages reachable from the kinds kubesim serves
and the few requests it answers without storing.

Usage: python tools/gen_protobuf.py API_CHECKOUT APIMACHINERY_CHECKOUT > kubesim/api/protobuf.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOTS = [
    "k8s.io.api.core.v1.Pod", "k8s.io.api.core.v1.Service", "k8s.io.api.core.v1.Endpoints",
    "k8s.io.api.core.v1.Namespace", "k8s.io.api.core.v1.Node", "k8s.io.api.core.v1.Event",
    "k8s.io.api.core.v1.ConfigMap", "k8s.io.api.core.v1.ServiceAccount",
    "k8s.io.api.core.v1.PersistentVolumeClaim", "k8s.io.api.core.v1.PersistentVolume",
    "k8s.io.api.core.v1.Binding", "k8s.io.api.core.v1.ComponentStatus",
    "k8s.io.api.core.v1.Secret", "k8s.io.api.batch.v1.Job", "k8s.io.api.batch.v1.CronJob",
    "k8s.io.api.apps.v1.Deployment", "k8s.io.api.apps.v1.ReplicaSet",
    "k8s.io.api.apps.v1.StatefulSet", "k8s.io.api.apps.v1.DaemonSet",
    "k8s.io.api.apps.v1.ControllerRevision", "k8s.io.api.discovery.v1.EndpointSlice",
    "k8s.io.api.storage.v1.StorageClass", "k8s.io.api.coordination.v1.Lease",
    "k8s.io.api.scheduling.v1.PriorityClass", "k8s.io.api.policy.v1.Eviction",
    "k8s.io.api.autoscaling.v1.Scale",
    "k8s.io.api.authorization.v1.SelfSubjectAccessReview",
    "k8s.io.api.authorization.v1.SelfSubjectRulesReview",
    "k8s.io.api.authentication.v1.SelfSubjectReview",
    "k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions",
]  # fmt: skip
FIELD = re.compile(r"^\s*(optional|repeated)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)")
MAP = re.compile(r"^\s*map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)")


def parse(text: str) -> dict[str, dict[str, list[Any]]]:
    package = re.search(r"^package ([\w.]+);", text, re.M)
    assert package is not None
    prefix = package.group(1)
    messages: dict[str, dict[str, list[Any]]] = {}
    stack: list[str] = []
    for line in text.splitlines():
        stripped = line.split("//")[0].strip()
        opened = re.match(r"message (\w+) \{", stripped)
        if opened:
            stack.append(opened.group(1))
            messages[f"{prefix}." + ".".join(stack)] = {}
            continue
        if stripped == "}" and stack:
            stack.pop()
            continue
        if not stack:
            continue
        current = messages[f"{prefix}." + ".".join(stack)]
        found = FIELD.match(stripped)
        if found:
            label, kind, name, number = found.groups()
            current[number] = [name, _qualified(kind, prefix, stack), label]
            continue
        found = MAP.match(stripped)
        if found:
            key, value, name, number = found.groups()
            current[number] = [name, _qualified(value, prefix, stack), "map", key]
    return messages


SCALARS = {"string", "bytes", "bool", "int32", "int64", "uint32", "uint64", "double", "float",
           "sint32", "sint64", "fixed32", "fixed64"}  # fmt: skip


def _qualified(kind: str, prefix: str, stack: list[str]) -> str:
    if kind in SCALARS:
        return kind
    if kind.startswith("."):
        return kind[1:]
    return f"{prefix}.{kind}"


def main() -> None:
    api, machinery = Path(sys.argv[1]), Path(sys.argv[2])
    messages: dict[str, dict[str, list[Any]]] = {}
    for root in (api, machinery):
        for path in root.rglob("generated.proto"):
            messages.update(parse(path.read_text()))
    kept: dict[str, dict[str, list[Any]]] = {}
    pending = list(ROOTS)
    while pending:
        name = pending.pop()
        if name in kept or name not in messages:
            continue
        kept[name] = messages[name]
        pending += [f[1] for f in messages[name].values() if f[1] in messages]
    json.dump({"source": "k8s.io/api and k8s.io/apimachinery v0.32 generated.proto",
               "messages": dict(sorted(kept.items()))}, sys.stdout, indent=1, sort_keys=True)  # fmt: skip
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
