"""Tar archives as the sandbox's streams carry them.

The simulated container's pipes and files hold text, so an archive travels as text whose
characters are its bytes (latin-1); a file's content is its UTF-8 bytes (any bytes that are
not UTF-8 kept as surrogate escapes, so binary files survive a round trip).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """One archive entry: a regular file (with its content) or a directory."""

    name: str
    is_dir: bool
    mode: int
    content: bytes = b""
    mtime: float = 0.0


class NotAnArchive(ValueError):
    """Raised when the bytes are not a tar archive."""


def to_text(data: bytes) -> str:
    """Archive bytes as sandbox text (one character per byte)."""
    return data.decode("latin-1")


def from_text(text: str) -> bytes:
    """Sandbox text back to the archive's bytes."""
    return text.encode("latin-1", errors="replace")


def file_bytes(content: str) -> bytes:
    """A sandbox file's content as bytes."""
    return content.encode("utf-8", "surrogateescape")


def file_text(data: bytes) -> str:
    """Bytes as a sandbox file's content."""
    return data.decode("utf-8", "surrogateescape")


def write(members: Iterable[Member]) -> bytes:
    """A GNU-format archive of the members, ended by its two zero blocks."""
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as archive:
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.mode = member.mode & 0o7777
            info.mtime = int(member.mtime)
            info.uname = info.gname = "root"
            if member.is_dir:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                info.size = len(member.content)
                archive.addfile(info, io.BytesIO(member.content))
    return buffer.getvalue()


def read(data: bytes) -> list[Member]:
    """The members of an archive (regular files and directories; other kinds are skipped)."""
    import tarfile

    if not data:
        raise NotAnArchive("empty")
    if not data.strip(b"\0"):
        return []  # only end blocks: an empty archive
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:
            members = []
            for info in archive.getmembers():
                if info.isdir():
                    members.append(Member(info.name, True, info.mode, b"", info.mtime))
                elif info.isfile():
                    extracted = archive.extractfile(info)
                    content = extracted.read() if extracted is not None else b""
                    members.append(Member(info.name, False, info.mode, content, info.mtime))
            return members
    except tarfile.TarError as err:
        raise NotAnArchive(str(err)) from None
