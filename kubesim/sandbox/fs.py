"""The container's filesystem: a writable overlay over the generated files and the image's files.

Layers, top first, like overlayfs: `container.files` (what commands wrote), the files the
kubelet bind-mounts (/etc/hosts, /etc/resolv.conf, /etc/hostname), then the image. In the
overlay a key ending in "/" is a directory made by mkdir, and the WHITEOUT value hides a
lower file, as overlayfs whiteouts do. Directories are also implied by any file below them.
Volumes are mounted over all of that: below a mount path only the volume's own files exist.

Permission bits set by chmod are kept beside the path, under `path + MODE_KEY`, in whichever
layer or volume holds the path's changes, so they travel (and go away) with it. Paths
without one have the defaults of `mode`.
"""

from __future__ import annotations

import fnmatch
import posixpath

from kubesim.sandbox.container import Container, generated_files
from kubesim.sandbox.images import BIN_DIRS, personality
from kubesim.sandbox.limits import DISK_CAP, NoSpace

WHITEOUT = "\x00whiteout"
MODE_KEY = "/\x00mode"  # suffix of the entry holding a path's permission bits, in octal


def _is_meta(key: str) -> bool:
    """True for an entry that holds metadata (a mode), not a file or directory."""
    return "\x00" in key


def absolute(cwd: str, path: str) -> str:
    """`path` made absolute against `cwd` and normalised ("." and ".." resolved)."""
    joined = path if path.startswith("/") else posixpath.join(cwd, path)
    normal = posixpath.normpath(joined)
    return "/" + normal.lstrip("/") if normal.startswith("//") else normal


def _layers(container: Container) -> list[dict[str, str]]:
    image = personality(container.image)
    return [container.files, generated_files(container), dict(image.files)]


def mount_of(container: Container, path: str) -> dict[str, str] | None:
    """The files of the volume mounted at or above `path`, None if `path` is on no mount."""
    best = ""
    for point in container.mounts:
        if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
            best = point
    return container.mounts[best] if best else None


def read(container: Container, path: str) -> str | None:
    """The content of the regular file at absolute `path`, None if there is none."""
    volume = mount_of(container, path)
    if volume is not None:
        return volume.get(path)
    if _hidden(container, path):
        return None
    for layer in _layers(container):
        if path in layer:
            return layer[path]
    return None


def is_file(container: Container, path: str) -> bool:
    return read(container, path) is not None or is_executable(container, path)


def is_executable(container: Container, path: str) -> bool:
    """True for the image's programs (/bin/sh, /usr/bin/env, /agnhost ...), which have no
    content here."""
    directory, name = posixpath.split(path)
    image = personality(container.image)
    listed = (directory in BIN_DIRS and image.has(name)) or path in image.paths
    return listed and not _hidden(container, path)


def _hidden(container: Container, path: str) -> bool:
    """True if `path` or a directory above it was removed in the overlay."""
    probe = path
    while probe not in ("", "/"):
        if WHITEOUT in (container.files.get(probe), container.files.get(probe + "/")):
            return True
        probe = posixpath.dirname(probe)
    return False


def is_dir(container: Container, path: str) -> bool:
    if path == "/" or (path in container.mounts and path not in container.mounts[path]):
        return True  # a mount point, unless a file is mounted there (a subPath)
    volume = mount_of(container, path)
    if volume is not None:
        prefix = path + "/"
        return prefix in volume or any(k.startswith(prefix) and not _is_meta(k) for k in volume)
    if any(point.startswith(path + "/") for point in container.mounts):
        return True
    if _hidden(container, path):
        return False
    image = personality(container.image)
    if path in image.dirs or container.files.get(path + "/") == "":
        return True
    prefix = path + "/"
    for layer in _layers(container):
        for key, value in layer.items():
            if (
                key.startswith(prefix)
                and value != WHITEOUT
                and not _is_meta(key)
                and not _hidden(container, key)
            ):
                return True
    return False


def exists(container: Container, path: str) -> bool:
    return is_dir(container, path) or is_file(container, path)


def list_dir(container: Container, path: str) -> list[str]:
    """The sorted names in directory `path` (caller checks it is a directory)."""
    prefix = "/" if path == "/" else path + "/"
    names: set[str] = set()
    volume = mount_of(container, path)
    if volume is not None:
        keys = [k.rstrip("/") for k in volume if k.startswith(prefix) and not _is_meta(k)]
        keys += [p for p in container.mounts if p.startswith(prefix)]
        return sorted({k[len(prefix) :].split("/", 1)[0] for k in keys if k != path} - {""})
    names.update(
        p[len(prefix) :].split("/", 1)[0] for p in container.mounts if p.startswith(prefix)
    )
    image = personality(container.image)
    candidates = [k.rstrip("/") for layer in _layers(container) for k in layer if not _is_meta(k)]
    candidates += list(image.dirs)
    if path in BIN_DIRS and path in image.dirs:
        programs = [*image.shells, *image.commands]
        names.update(n for n in programs if n != "busybox" or path == "/bin")
    for key in candidates:
        if key.startswith(prefix) and key != path and exists(container, key):
            names.add(key[len(prefix) :].split("/", 1)[0])
    return sorted(n for n in names if n and exists(container, prefix + n))


def mode(container: Container, path: str) -> int:
    """The permission bits of existing `path`: as chmod left them, else 0777 for a volume's
    root (local-path's `mkdir -m 0777`, and the kubelet's emptyDir), 0755 for directories
    and programs, 0644 for files (root's umask 022)."""
    stored = read(container, path.rstrip("/") + MODE_KEY)
    if stored is not None:
        return int(stored, 8)
    if path in container.mounts and path not in container.mounts[path]:
        return 0o777
    return 0o755 if is_dir(container, path) or is_executable(container, path) else 0o644


def set_mode(container: Container, path: str, bits: int) -> None:
    """Record chmod's result for existing `path`."""
    write(container, path.rstrip("/") + MODE_KEY, f"{bits:04o}")


def read_only(container: Container, path: str) -> bool:
    """Whether `path` lies on a read-only mount (writing there fails with EROFS)."""
    return any(path == point or path.startswith(point.rstrip("/") + "/")
               for point in container.read_only)  # fmt: skip


READ_ONLY = "Read-only file system"


def write(container: Container, path: str, text: str, append: bool = False) -> None:
    """Create or truncate (or append to) the file at `path` in the overlay; NoSpace when the
    container's disk has no room for what it adds."""
    volume = mount_of(container, path)
    target = container.files if volume is None else volume
    old = target.get(path)
    if not append:
        _take_disk(container, len(text) - len(old or ""))
        target[path] = text
        return
    _take_disk(container, len(text) + (0 if old is not None else len(read(container, path) or "")))
    if old is None or old == WHITEOUT:
        target[path] = (read(container, path) or "") + text
        return
    del old
    # the only reference to the old content is `whole`: CPython extends it in place, so a
    # file written a piece at a time costs the size of the pieces, not their square
    whole = target.pop(path)
    whole += text
    target[path] = whole


def _take_disk(container: Container, nbytes: int) -> None:
    limits = container.limits
    if limits.disk is None:
        limits.disk = sum(len(v) for v in container.files.values()) + sum(
            len(v) for files in container.mounts.values() for v in files.values()
        )
    if nbytes > 0 and limits.disk + nbytes > DISK_CAP:
        raise NoSpace()
    limits.disk += nbytes


def make_dir(container: Container, path: str) -> None:
    volume = mount_of(container, path)
    target = container.files if volume is None else volume
    target.pop(path, None)
    target[path + "/"] = ""


def remove(container: Container, path: str) -> None:
    """Remove a file or a whole tree, leaving whiteouts over lower layers."""
    prefix = path + "/"
    volume = mount_of(container, path)
    if volume is not None:
        for key in [k for k in volume if k.rstrip("/") == path or k.startswith(prefix)]:
            del volume[key]
        return
    for key in [k for k in container.files if k == path or k.startswith(prefix)]:
        del container.files[key]
    lower = any(
        key == path or key.startswith(prefix) for layer in _layers(container)[1:] for key in layer
    )
    image = personality(container.image)
    if lower or path in image.dirs or is_executable(container, path):
        container.files[path + "/" if path in image.dirs else path] = WHITEOUT


def glob(container: Container, cwd: str, pattern: str) -> list[str]:
    """Pathname expansion of `pattern` (sorted; [] when nothing matches)."""
    rooted = pattern.startswith("/")
    matches: list[tuple[list[str], str]] = [([], "/" if rooted else cwd)]
    components = [c for c in pattern.split("/") if c]
    for index, component in enumerate(components):
        last = index == len(components) - 1
        found: list[tuple[list[str], str]] = []
        for shown, directory in matches:
            if not is_dir(container, directory):
                continue
            if any(c in component for c in "*?["):
                names = [
                    n
                    for n in list_dir(container, directory)
                    if fnmatch.fnmatchcase(n, component)
                    and (component.startswith(".") or not n.startswith("."))
                ]
            else:
                names = [component]
            for name in names:
                path = absolute(directory, name)
                if exists(container, path) and (last or is_dir(container, path)):
                    found.append(([*shown, name], path))
        matches = found
    results = [("/" if rooted else "") + "/".join(shown) for shown, _ in matches]
    if pattern.endswith("/"):
        results = [r + "/" for r in results]
    return sorted(results)
