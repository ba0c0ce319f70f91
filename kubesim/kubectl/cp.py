"""kubectl cp's own logic, pure (cmd/cp/cp.go, filespec.go): the `[[namespace/]pod:]path`
specs, the command it runs in the container, and where each archive member lands on this
machine.

Errors are UsageErrors carrying kubectl's text (printed as `error: ...`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from kubesim.api.errors import UsageError

CANONICAL = "filespec must match the canonical format: [[namespace/]pod:]file/path"


@dataclass(frozen=True)
class FileSpec:
    """A local path, or a path in a pod (PodName set)."""

    path: str
    pod: str = ""
    namespace: str = ""


def clean(path: str) -> str:
    """Go's path.Clean."""
    if not path:
        return "."
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


def strip_trailing_slash(path: str) -> str:
    return path[:-1] if path not in ("", "/") and path.endswith("/") else path


def strip_path_shortcuts(path: str) -> str:
    """stripPathShortcuts: leading `../` removed, `.` and `..` become empty, then one leading
    slash dropped."""
    while path.startswith("../"):
        path = path[3:]
    if path in (".", ".."):
        path = ""
    return path[1:] if path.startswith("/") else path


def join(base: str, element: str) -> str:
    """Go's path.Join (empty elements are skipped, the result cleaned)."""
    parts = [p for p in (base, element) if p]
    return clean("/".join(parts)) if parts else ""


def file_spec(arg: str) -> FileSpec:
    """extractFileSpec: `pod:path`, `namespace/pod:path`, or a local path."""
    index = arg.find(":")
    if index == 0:
        raise UsageError(CANONICAL)
    if index < 0:
        return FileSpec(strip_trailing_slash(arg))
    pod, path = arg[:index], strip_trailing_slash(arg[index + 1 :].replace("\\", "/"))
    pieces = pod.split("/")
    if len(pieces) == 1:
        return FileSpec(path, pieces[0])
    if len(pieces) == 2:
        return FileSpec(path, pieces[1], pieces[0])
    raise UsageError(CANONICAL)


def check_specs(src: FileSpec, dest: FileSpec) -> None:
    """Run's checks before copying either way."""
    if src.pod and dest.pod:
        raise UsageError("one of src or dest must be a local file specification")
    if not src.path or not dest.path:
        raise UsageError("filepath can not be empty")
    if not src.pod and not dest.pod:
        raise UsageError("one of src or dest must be a remote file specification")


def extract_command(destination: str, no_preserve: bool) -> list[str]:
    """copyToPod's `tar -xmf - -C DIR` (not keeping owners and modes with --no-preserve)."""
    command = ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-"] if no_preserve \
        else ["tar", "-xmf", "-"]  # fmt: skip
    return [*command, "-C", clean(posixpath.dirname(destination) or ".")]


def archive_prefix(source: str) -> str:
    """copyFromPod: the part of the members' names that stands for the source itself."""
    return strip_path_shortcuts(clean(source.lstrip("/\\")))


@dataclass(frozen=True)
class Landing:
    """Where one member goes: a local path (a directory or a file), or a warning instead."""

    path: str
    is_dir: bool
    warning: str = ""


def land(name: str, is_dir: bool, prefix: str, destination: str) -> Landing:
    """untarAll for one member: its name without the prefix, under the destination; a name
    outside the destination is skipped with kubectl's warning."""
    if not name.startswith(prefix):
        raise UsageError("tar contents corrupted")
    rest = strip_trailing_slash(name[len(prefix) :])
    target = join(destination, rest)
    relative = posixpath.relpath(target, destination) if destination else target
    if relative != "." and relative != strip_path_shortcuts(relative):
        return Landing(target, is_dir, f'warning: file "{target}" is outside target destination, '
                                       "skipping")  # fmt: skip
    return Landing(target, is_dir)
