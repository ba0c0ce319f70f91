"""which NAME...: the path of each program on $PATH (exit 1 if one is missing)."""

from __future__ import annotations

from kubesim.sandbox.images import Image
from kubesim.sandbox.proc import Proc


def location(proc: Proc, name: str) -> str | None:
    """Where `name` is found on $PATH in this container (programs live in /bin or /usr/bin;
    a package may have installed one)."""
    from kubesim.sandbox import fs

    installed = fs.installed_program(proc.container, name)
    if installed is not None:
        return installed[0]
    return image_location(proc.image, name)


def image_location(image: Image, name: str) -> str | None:
    """Where program `name` of `image` is found on $PATH, None if it has none."""
    if not image.has(name):
        return None
    if image.userland == "busybox":
        return f"/bin/{name}"
    return f"/bin/{name}" if name in image.shells else f"/usr/bin/{name}"


def main(proc: Proc) -> int:
    status = 0
    for name in (a for a in proc.args if not a.startswith("-")):
        path = location(proc, name)
        if path is None:
            status = 1
        else:
            proc.out(path + "\n")
    return status
