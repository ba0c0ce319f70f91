"""Where kustomize reads files: a file system seam and kustomize's file loader
(api/internal/loader, kyaml/filesys).

The build never opens a file itself: it asks a FileSystem, which the command line gives it for
the disk (kubesim.cli.kustomize_disk) and tests give it in memory (MemoryFileSystem). The loader
keeps kustomize's rules: files are read relative to the kustomization's directory and, by
default (LoadRestrictionsRootOnly), only from inside it; a base is a directory below that does
not contain a directory already visited.
"""

from __future__ import annotations

import posixpath
from typing import Protocol

from kubesim.kubectl.kustomize_resource import KustomizeError


class FileSystem(Protocol):
    """What kustomize asks of a file system; errors are KustomizeError with Go's text."""

    def cleaned_abs(self, path: str) -> tuple[str, str]:
        """filesys.CleanedAbs: the absolute, symlink-free directory of `path` and the file name
        in it ("" when `path` is a directory)."""
        ...

    def read_file(self, path: str) -> bytes: ...


def has_prefix(directory: str, root: str) -> bool:
    """ConfirmedDir.HasPrefix."""
    return root == "/" or directory == root or directory.startswith(root + "/")


def confirm_dir(fs: FileSystem, path: str) -> str:
    """filesys.ConfirmDir: the directory, or why `path` is not one."""
    if not path:
        raise KustomizeError("directory path cannot be empty")
    try:
        directory, name = fs.cleaned_abs(path)
    except KustomizeError as err:
        raise KustomizeError(f"not a valid directory: {err}") from None
    if name:
        raise KustomizeError(f"'{path}': file is not directory")
    return directory


def is_remote(path: str) -> bool:
    """Roughly git.NewRepoSpecFromURL and IsRemoteFile: a URL or a git repository."""
    return "://" in path or path.startswith(
        ("github.com/", "gitlab.com/", "bitbucket.org/", "git@", "git::")
    )


def _offline(path: str) -> KustomizeError:
    return KustomizeError(
        f"kubesim works offline and cannot fetch the remote resource '{path}'; clone or "
        "download it, and refer to it by its local path"
    )


class Loader:
    """FileLoader: reads files under its root; `new` makes the loader of a base."""

    def __init__(
        self, fs: FileSystem, root: str, referrer: Loader | None = None, *, restrict: bool = True
    ) -> None:
        self.fs = fs
        self.root = root
        self.referrer = referrer
        self.restrict = restrict

    @classmethod
    def at(cls, fs: FileSystem, path: str, *, restrict: bool = True) -> Loader:
        """NewLoader: a loader rooted at the directory `path`."""
        if is_remote(path):
            raise _offline(path)
        try:
            root = confirm_dir(fs, path)
        except KustomizeError as err:
            raise KustomizeError(f"must build at directory: {err}") from None
        return cls(fs, root, restrict=restrict)

    def join(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.root, path))

    def load(self, path: str) -> bytes:
        """The content of a file, relative to the root (and, restricted, inside it)."""
        if path.startswith(("http://", "https://")):
            raise _offline(path)
        if not posixpath.isabs(path):
            path = self.join(path)
        if self.restrict:
            directory, name = self.fs.cleaned_abs(path)
            if not name:
                raise KustomizeError(f"'{path}' must resolve to a file")
            if not has_prefix(directory, self.root):
                raise KustomizeError(f"security; file '{path}' is not in or below '{self.root}'")
            path = posixpath.join(directory, name)
        return self.fs.read_file(path)

    def new(self, path: str) -> Loader:
        """FileLoader.New: the loader of the base at `path`."""
        if not path:
            raise KustomizeError("new root cannot be empty")
        if is_remote(path):
            raise _offline(path)
        if posixpath.isabs(path):
            raise KustomizeError(f"new root '{path}' cannot be absolute")
        try:
            root = confirm_dir(self.fs, self.join(path))
        except KustomizeError as err:
            raise KustomizeError(f"must build at directory: {err}") from None
        loader: Loader | None = self
        while loader is not None:
            if has_prefix(loader.root, root):
                raise KustomizeError(
                    f"cycle detected: candidate root '{root}' contains visited root '{loader.root}'"
                )
            loader = loader.referrer
        return Loader(self.fs, root, self, restrict=self.restrict)


class MemoryFileSystem:
    """Files held in memory (filesys.MakeFsInMemory): absolute paths to their content."""

    def __init__(self, files: dict[str, bytes | str], cwd: str = "/") -> None:
        self.files = {
            posixpath.normpath(p): c.encode("utf-8") if isinstance(c, str) else c
            for p, c in files.items()
        }
        self.cwd = cwd
        self.dirs = {"/"}
        for path in self.files:
            parent = posixpath.dirname(path)
            while parent not in self.dirs:
                self.dirs.add(parent)
                parent = posixpath.dirname(parent)

    def _absolute(self, path: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, path))

    def cleaned_abs(self, path: str) -> tuple[str, str]:
        absolute = self._absolute(path)
        if absolute in self.dirs:
            return absolute, ""
        if absolute in self.files:
            return posixpath.dirname(absolute), posixpath.basename(absolute)
        missing = absolute
        while posixpath.dirname(missing) not in self.dirs | set(self.files):
            missing = posixpath.dirname(missing)
        parent = posixpath.dirname(missing)
        reason = "not a directory" if parent in self.files else "no such file or directory"
        raise KustomizeError(f"evalsymlink failure on '{path}' : lstat {missing}: {reason}")

    def read_file(self, path: str) -> bytes:
        absolute = self._absolute(path)
        if absolute in self.files:
            return self.files[absolute]
        reason = "is a directory" if absolute in self.dirs else "no such file or directory"
        raise KustomizeError(f"open {absolute}: {reason}")
