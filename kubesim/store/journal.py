"""The watch journal: one JSON line per write, so a watch in another process sees every change.

Lines are appended under the cluster lock after the state file is replaced. Each journal file
starts with a header line naming it (a random id). When the file grows past a limit it is
rotated: renamed to `<name>.1` (replacing the previous one) and started afresh. A reader keeps a
cursor (the file's id and an offset); when the file it was reading has been rotated, it
finishes the rotated copy before going on with the new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 4 * 1024 * 1024


@dataclass
class Cursor:
    """Where a reader is: which journal file (by its id) and how far into it."""

    id: str = ""
    offset: int = 0


def append(path: Path, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    lines = [json.dumps(e, separators=(",", ":")) + "\n" for e in events]
    with open(path, "ab") as f:
        if f.tell() == 0:
            lines.insert(0, json.dumps({"journal": os.urandom(8).hex()}) + "\n")
        f.write("".join(lines).encode())
        size = f.tell()
    if size > MAX_BYTES:
        os.replace(path, rotated(path))


def rotated(path: Path) -> Path:
    return path.with_name(path.name + ".1")


def end(path: Path) -> Cursor:
    """A cursor at the end of the journal: a reader starting here sees only what comes next."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Cursor()
    return Cursor(_id(path), size)


def read(path: Path, cursor: Cursor) -> tuple[list[dict[str, Any]], Cursor, bool]:
    """The complete lines written since `cursor`, the new cursor, and whether the journal was
    replaced by one that does not continue it (a new cluster, after `kubesim reset`)."""
    current = _id(path)
    if not current:
        return [], Cursor(), bool(cursor.id)
    if current == cursor.id:
        lines, offset = _read_lines(path, cursor.offset)
        return lines, Cursor(current, offset), False
    events: list[dict[str, Any]] = []
    restarted = bool(cursor.id)
    old = rotated(path)
    if cursor.id and _id(old) == cursor.id:
        events, _ = _read_lines(old, cursor.offset)
        restarted = False
    fresh, offset = _read_lines(path, 0)
    return events + fresh, Cursor(current, offset), restarted


def _id(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            header = f.readline()
    except FileNotFoundError:
        return ""
    try:
        return str(json.loads(header).get("journal", ""))
    except ValueError:
        return ""


def _read_lines(path: Path, offset: int) -> tuple[list[dict[str, Any]], int]:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return [], offset
    end_at = data.rfind(b"\n") + 1
    entries = (json.loads(line) for line in data[:end_at].splitlines() if line)
    return [e for e in entries if "rv" in e], offset + end_at
