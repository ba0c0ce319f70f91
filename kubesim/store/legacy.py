"""Moving a cluster.json of an earlier kubesim into the database, once, keeping the file.

The old document held `objects` (resource -> "namespace/name" -> object), the resourceVersion
counter, and runtime sections (clock, IP leases, container files, ...) at its top level. Each
object becomes a row with its resourceVersion, each section's entries runtime rows, and events
get their lease from their last occurrence. The controllers find no cursor in the new
database, so their first tick looks at everything, as after a restart.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kubesim.store import db
from kubesim.store.state import EVENTS, ClusterState, Object

EVENT_TTL_SECONDS = 3600  # what the events had left is unknown; they get a full lease
_NOT_SECTIONS = ("schemaVersion", "resourceVersion", "objects", "eventIndex")


def migrate(legacy: Path, target: Path, check: Callable[[str, Object], str] | None = None) -> None:
    """Build `target` from the document at `legacy`, then move the document to a backup name.
    `check(resource, object)` says what makes an object unusable (the apiserver's decoding):
    a document with such an object is refused, naming it, and nothing is moved."""
    from kubesim.store.errors import CorruptState
    from kubesim.store.store import _free_name

    try:
        doc = json.loads(legacy.read_bytes())
    except OSError as err:
        raise CorruptState(legacy, err.strerror or str(err)) from None
    except (ValueError, UnicodeDecodeError) as err:
        raise CorruptState(legacy, f"not valid JSON ({err})") from None
    problem = _shape_problem(doc)
    if problem:
        raise CorruptState(legacy, f"not a kubesim cluster document ({problem})")
    for resource, bucket in doc["objects"].items():
        for key, obj in bucket.items():
            problem = check(resource, obj) if check is not None else ""
            if problem:
                raise CorruptState(legacy, f'{resource} "{key}" is damaged: {problem}')
    building = target.with_name(f".{target.name}.migrating")
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    conn = db.connect(building, create=True)
    try:
        conn.execute("BEGIN IMMEDIATE")
        state = ClusterState(conn)
        for resource, bucket in doc["objects"].items():
            for obj in bucket.values():
                if resource == EVENTS:
                    last = obj.get("lastTimestamp") or obj["metadata"].get("creationTimestamp")
                    state.load(resource, obj, expires=_parse_time(last) + EVENT_TTL_SECONDS)
                else:
                    state.load(resource, obj)
        for name, section in doc.items():
            if name in _NOT_SECTIONS or not isinstance(section, dict):
                continue
            area = state.section(name)
            for key, value in section.items():
                area[str(key)] = value
        state._revision = max(state.resource_version, int(doc["resourceVersion"]))
        state._stored_revision = -1
        state.flush()
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        raise
    conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    os.replace(building, target)
    os.replace(legacy, _free_name(legacy.with_name(f"{legacy.name}.bak")))
    journal = legacy.with_name("journal.jsonl")
    for old in (journal, journal.with_name("journal.jsonl.1"), legacy.with_name("cluster.lock")):
        old.unlink(missing_ok=True)


def _parse_time(stamp: Any) -> float:
    from datetime import UTC, datetime

    try:
        return datetime.strptime(str(stamp), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return 0.0


def _shape_problem(doc: Any) -> str:
    """What is wrong with a document's structure, or ""."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    version = doc.get("schemaVersion", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version != 1:
        return f"unknown schema version {version!r}"
    if not isinstance(doc.get("objects"), dict) or not all(
        isinstance(bucket, dict)
        and all(
            isinstance(o, dict)
            and isinstance(o.get("metadata"), dict)
            and isinstance(o["metadata"].get("name"), str)
            for o in bucket.values()
        )
        for bucket in doc["objects"].values()
    ):
        return '"objects" is not a map of resources to objects'
    if not isinstance(doc.get("resourceVersion"), int):
        return '"resourceVersion" is not a number'
    return ""
