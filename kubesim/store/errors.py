"""What can go wrong with the cluster's files: a directory that cannot be used, a database (or
an earlier kubesim's document, or one of its objects) that cannot be read."""

from __future__ import annotations

from pathlib import Path


class Unusable(Exception):
    """Raised when the cluster's directory cannot be used (not a directory, no permission)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class CorruptState(Exception):
    """Raised when the cluster's database exists but cannot be used; carries path and reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DamagedObject(CorruptState):
    """Raised when a stored object cannot be what it claims to be (no metadata, no name): the
    database was changed behind kubesim's back."""

    def __init__(self, path: Path, resource: str, key: str, reason: str) -> None:
        super().__init__(path, f'{resource} "{key}" is damaged: {reason}')
        self.resource = resource
        self.key = key
