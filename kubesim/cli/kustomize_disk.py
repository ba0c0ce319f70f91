"""The disk, as kustomize's file system sees it (kyaml/filesys fsOnDisk): the files a
kustomization names are read here, at the edge, and handed to the pure build
(kubesim.kubectl.kustomize)."""

from __future__ import annotations

import os

from kubesim.kubectl.kustomize_resource import KustomizeError


def _go_reason(err: OSError) -> str:
    """syscall.Errno's text: strerror, lower-cased as Go's table has it."""
    text = err.strerror or str(err)
    return text[:1].lower() + text[1:]


class DiskFileSystem:
    """filesys.MakeFsOnDisk."""

    def cleaned_abs(self, path: str) -> tuple[str, str]:
        absolute = os.path.abspath(path)
        # filepath.EvalSymlinks: lstat each component, reporting the first that fails
        parts = absolute.split(os.sep)
        for end in range(2, len(parts) + 1):
            partial = os.sep.join(parts[:end]) or os.sep
            try:
                os.lstat(partial)
            except OSError as err:
                raise KustomizeError(
                    f"evalsymlink failure on '{path}' : lstat {partial}: {_go_reason(err)}"
                ) from None
        try:
            resolved = os.path.realpath(absolute, strict=True)
        except OSError as err:
            raise KustomizeError(
                f"evalsymlink failure on '{path}' : lstat {err.filename}: {_go_reason(err)}"
            ) from None
        if os.path.isdir(resolved):
            return resolved, ""
        return os.path.dirname(resolved), os.path.basename(resolved)

    def read_file(self, path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except IsADirectoryError:
            raise KustomizeError(f"read {path}: is a directory") from None
        except OSError as err:
            raise KustomizeError(f"open {path}: {_go_reason(err)}") from None
