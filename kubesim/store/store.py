"""The cluster on disk: one JSON document, replaced atomically under an exclusive lock."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from kubesim.store import journal, lock, migrations
from kubesim.store.state import ClusterState

STATE_FILE = "cluster.json"
LOCK_FILE = "cluster.lock"
JOURNAL_FILE = "journal.jsonl"


class Unusable(Exception):
    """Raised when the cluster's directory cannot be used (not a directory, no permission)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CorruptState(Exception):
    """Raised when the state file exists but cannot be used; carries the path and the reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Store:
    """Reads and writes the cluster document kept in `home`."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.state_path = home / STATE_FILE
        self.lock_path = home / LOCK_FILE
        self.journal_path = home / JOURNAL_FILE

    def read(self) -> ClusterState:
        """A consistent snapshot without locking (writers replace the file atomically)."""
        if self.home.exists() and not self.home.is_dir():
            raise Unusable(self.home, "not a directory")
        return ClusterState(self._load())

    @contextmanager
    def transaction(self) -> Iterator[ClusterState]:
        """Lock, load, yield the state, and save it if it changed; nothing is saved on error."""
        held = ExitStack()
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            held.enter_context(lock.exclusive(self.lock_path))
        except OSError as err:
            raise Unusable(self.home, err.strerror or str(err)) from None
        with held:
            state = ClusterState(self._load())
            yield state
            if state.dirty:
                try:
                    self._save(state.doc)
                    journal.append(self.journal_path, state.events)
                except OSError as err:
                    raise Unusable(self.home, err.strerror or str(err)) from None
                state.events = []
                state.dirty = False

    def reset(self) -> Path | None:
        """Move the current state aside (kept, never deleted) so the next command starts afresh."""
        with lock.exclusive(self.lock_path) if self.home.exists() else _nothing():
            if not self.state_path.exists():
                return None
            backup = self.state_path.with_name(f"{STATE_FILE}.bak")
            n = 1
            while backup.exists():
                n += 1
                backup = self.state_path.with_name(f"{STATE_FILE}.bak{n}")
            os.replace(self.state_path, backup)
            self.journal_path.unlink(missing_ok=True)
            return backup

    def _load(self) -> dict[str, Any] | None:
        try:
            raw = self.state_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise CorruptState(self.state_path, err.strerror or str(err)) from None
        try:
            doc = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as err:
            raise CorruptState(self.state_path, f"not valid JSON ({err})") from None
        problem = _shape_problem(doc)
        if problem:
            raise CorruptState(self.state_path, f"not a kubesim cluster document ({problem})")
        try:
            return migrations.upgrade(doc)
        except ValueError as err:
            raise CorruptState(self.state_path, str(err)) from None

    def _save(self, doc: dict[str, Any]) -> None:
        import tempfile

        data = json.dumps(doc, separators=(",", ":")).encode()
        fd, tmp = tempfile.mkstemp(prefix=".cluster-", suffix=".tmp", dir=self.home)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.state_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(self.home, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _shape_problem(doc: Any) -> str:
    """What is wrong with a document's structure, or "" (the state module trusts it after)."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    if not isinstance(doc.get("objects"), dict) or not all(
        isinstance(bucket, dict)
        and all(
            isinstance(o, dict) and isinstance(o.get("metadata"), dict) for o in bucket.values()
        )
        for bucket in doc["objects"].values()
    ):
        return '"objects" is not a map of resources to objects'
    if not isinstance(doc.get("resourceVersion"), int):
        return '"resourceVersion" is not a number'
    return ""
