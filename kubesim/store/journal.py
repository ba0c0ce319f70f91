"""The watch journal: one JSON line per write, so a watch in another process sees every change.

Lines are appended under the cluster lock after the state file is replaced. When the file grows
past a limit it is rewritten with its newest half; readers notice it shrank and read it again,
skipping what they have seen by resourceVersion.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MAX_BYTES = 4 * 1024 * 1024


def append(path: Path, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    data = "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events).encode()
    with open(path, "ab") as f:
        f.write(data)
        size = f.tell()
    if size > MAX_BYTES:
        _trim(path)


def _trim(path: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    keep = lines[len(lines) // 2 :]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b"".join(keep))
    os.replace(tmp, path)


def read_from(path: Path, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Complete journal lines after byte `offset`, and the offset after them (0 if it shrank)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            if size < offset:
                offset = 0
            f.seek(offset)
            data = f.read()
    except FileNotFoundError:
        return [], 0
    end = data.rfind(b"\n") + 1
    events = [json.loads(line) for line in data[:end].splitlines() if line]
    return events, offset + end


def end_offset(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0
