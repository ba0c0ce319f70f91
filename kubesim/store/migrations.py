"""Upgrades of older cluster documents to the current schema, one step per version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.store.state import SCHEMA_VERSION

# version -> function turning a document of that version into one of version + 1
STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def upgrade(doc: dict[str, Any]) -> dict[str, Any]:
    """The document at SCHEMA_VERSION; ValueError for a document from a newer kubesim."""
    version = doc.get("schemaVersion", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ValueError(f"schema version {version!r} is newer than this kubesim understands")
    while version < SCHEMA_VERSION:
        doc = STEPS[version](doc)
        version += 1
        doc["schemaVersion"] = version
    return doc
