"""Server-side printing: the metav1.Table the apiserver sends for
`Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (apiserver handlers/response.go,
asTable), made from the same columns and cells as `kubesim get` prints. kubectl renders it
itself: upper-cased column names, the priority-1 columns with -o wide only, and from each row's
object the NAMESPACE (-A), LABELS (--show-labels) and label (-L) columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kubesim.api.errors import BadRequest
from kubesim.api.kinds import Kind
from kubesim.printers.columns import columns_for
from kubesim.printers.table import TableOptions, row

Object = dict[str, Any]
INCLUDE = ("Metadata", "Object", "None")  # metav1.IncludeObjectPolicy
_WIDE = TableOptions(wide=True)
# column names as printers.go spells them, where upper-casing would not undo title case
_NAMES = {
    "CLUSTER-IP": "Cluster-IP", "EXTERNAL-IP": "External-IP", "INTERNAL-IP": "Internal-IP",
    "IP": "IP", "UP-TO-DATE": "Up-to-date", "OS-IMAGE": "OS-Image", "STORAGECLASS": "StorageClass",
    "VOLUMEATTRIBUTESCLASS": "VolumeAttributesClass", "RECLAIMPOLICY": "ReclaimPolicy",
    "VOLUMEBINDINGMODE": "VolumeBindingMode", "ALLOWVOLUMEEXPANSION": "AllowVolumeExpansion",
    "ADDRESSTYPE": "AddressType", "VOLUMEMODE": "VolumeMode", "PORT(S)": "Port(s)",
}  # fmt: skip


def check_include(value: str) -> str:
    """The includeObject parameter, Metadata when absent (BadRequest for another value)."""
    if not value:
        return "Metadata"
    if value not in INCLUDE:
        raise BadRequest(f"unrecognized includeObject value: {value!r}")
    return value


def column_definitions(kind: Kind) -> list[Object]:
    """metav1.TableColumnDefinition of each column, priority 1 for -o wide's."""
    definitions = []
    for column in columns_for(kind.resource, True):
        header = column.header
        name = _NAMES.get(header) or " ".join(
            "-".join(p.capitalize() for p in word.split("-")) for word in header.split(" ")
        )
        definitions.append(
            {
                "name": name,
                "type": "string",
                "format": "name" if header == "NAME" else "",
                "description": "",
                "priority": 1 if column.wide_only else 0,
            }
        )
    return definitions


def table_row(kind: Kind, obj: Object, now: float, include: str = "Metadata") -> Object:
    """One row: the cells `kubesim get -o wide` prints, and the object as asked for."""
    found: Object = {"cells": row(kind, obj, now, _WIDE)}
    if include == "Object":
        found["object"] = obj
    elif include == "Metadata":
        found["object"] = {
            "kind": "PartialObjectMetadata",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata") or {},
        }
    return found


def table(
    kind: Kind,
    objects: Iterable[Object],
    now: float,
    *,
    include: str = "Metadata",
    resource_version: str = "",
    continue_token: str = "",
    headers: bool = True,
) -> Object:
    """The Table of `objects`; without `headers`, no column definitions (a watch's later
    events, as watchEmbeddedEncoder sends them)."""
    metadata: Object = {}
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if continue_token:
        metadata["continue"] = continue_token
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": column_definitions(kind) if headers else None,
        "rows": [table_row(kind, obj, now, include) for obj in objects],
    }
