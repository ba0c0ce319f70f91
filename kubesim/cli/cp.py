"""kubectl cp: files and directories to and from a pod's containers, through `tar` in the
container as kubectl does it (cmd/cp/cp.go).

From a pod: `tar cf - PATH` runs in the container (its complaints shown on stdout, as kubectl
passes tar's stderr there) and the archive is unpacked here under the destination. To a pod:
`test -d DEST` tells whether the destination is a directory, the local files are packed as
kubectl packs them (named as they will be under the destination's directory) and `tar -xmf -
-C DIR` unpacks them in the container. The container's files are read and saved by the exec
session (kubesim.cli.attach), the one place that keeps them; an image without tar fails as
`kubectl cp` does.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from kubesim.api.errors import CommandExit, UsageError
from kubesim.cli import options

if TYPE_CHECKING:
    from kubesim.cli.attach import ExecSession
    from kubesim.kubectl.cp import FileSpec
    from kubesim.sandbox.tarball import Member


def cp(
    args: Annotated[
        list[str] | None, typer.Argument(metavar="<file-spec-src> <file-spec-dest>")
    ] = None,
    namespace: options.Namespace = None,
    container: Annotated[
        str | None,
        typer.Option(
            "--container", "-c", help="Container name. If omitted, the first container is chosen."
        ),
    ] = None,
    no_preserve: Annotated[
        bool,
        typer.Option(
            "--no-preserve",
            help="The copied file/directory's ownership and permissions will not be preserved "
            "in the container.",
        ),
    ] = False,
    retries: Annotated[
        int,
        typer.Option(
            "--retries",
            help="Retries of a copy from a container (kubesim's never "
            "breaks off, so none are needed).",
        ),  # fmt: skip
    ] = 0,
) -> None:
    """Copy files and directories to and from containers.

    Example: kubesim cp web-0:/usr/share/nginx/html/index.html ./index.html
    """
    from kubesim.kubectl import cp as kubectl_cp

    words = list(args or [])
    if len(words) != 2:
        raise UsageError("source and destination are required")
    src = kubectl_cp.file_spec(words[0])
    dest = kubectl_cp.file_spec(words[1])
    kubectl_cp.check_specs(src, dest)
    ns = options.resolve_namespace(namespace)
    if src.pod:
        _from_pod(src, dest.path, src.namespace or ns, container)
    else:
        _to_pod(src.path, dest, dest.namespace or ns, container, no_preserve)


def _from_pod(src: FileSpec, destination: str, namespace: str, container: str | None) -> None:
    """copyFromPod: tar in the container, untarAll here."""
    from kubesim.cli.attach import ExecSession
    from kubesim.kubectl import cp as kubectl_cp
    from kubesim.sandbox import tarball

    session = ExecSession.open_quietly(src.pod, namespace, container, quiet=True)
    sys.stdout.write(_defaulted(session, container))  # the exec's ErrOut is kubectl's Out here
    _, archive, complaints = session.capture(["tar", "cf", "-", src.path])
    sys.stdout.write(complaints)
    try:
        members = tarball.read(tarball.from_text(archive)) if archive else []
    except tarball.NotAnArchive:
        raise UsageError("archive/tar: invalid tar header") from None
    prefix = kubectl_cp.archive_prefix(src.path)
    for member in members:
        landing = kubectl_cp.land(member.name, member.is_dir, prefix, destination)
        if landing.warning:
            sys.stderr.write(landing.warning + "\n")
            continue
        _write_local(landing.path, None if member.is_dir else member.content)


def _write_local(path: str, content: bytes | None) -> None:
    """MkdirAll the parents (0755), then the directory, or the file created anew."""
    try:
        os.makedirs(os.path.dirname(path) or ".", 0o755, exist_ok=True)
        if content is None:
            os.makedirs(path, 0o755, exist_ok=True)
            return
    except OSError as err:
        raise UsageError(f"mkdir {err.filename}: {_go_reason(err)}") from None
    try:
        with open(path, "wb") as out:
            out.write(content)
    except OSError as err:
        raise UsageError(f"open {path}: {_go_reason(err)}") from None


def _go_reason(err: OSError) -> str:
    """A syscall error as Go spells it (lower case)."""
    return (err.strerror or str(err)).lower()


def _to_pod(
    source: str, dest: FileSpec, namespace: str, container: str | None, no_preserve: bool
) -> None:
    """copyToPod: `test -d` the destination, then untar the local files there."""
    from kubesim.api.errors import KubesimError
    from kubesim.cli.attach import ExecSession
    from kubesim.kubectl import cp as kubectl_cp
    from kubesim.sandbox import tarball

    if not os.path.exists(source):
        raise UsageError(f"{source} doesn't exist in local filesystem")
    destination = dest.path
    try:  # checkDestinationIsDir: its output and its errors are discarded
        probe = ExecSession.open_quietly(dest.pod, namespace, container, quiet=True)
        if probe.capture(["test", "-d", destination])[0] == 0:
            destination = kubectl_cp.join(destination, os.path.basename(os.path.normpath(source)))
    except KubesimError:
        pass
    archive = tarball.write(_local_members(source, destination))
    session = ExecSession.open_quietly(dest.pod, namespace, container, quiet=False)
    command = kubectl_cp.extract_command(destination, no_preserve)
    code, out, err = session.capture(command, tarball.to_text(archive))
    sys.stdout.write(out)
    sys.stderr.write(err)
    if code != 0:
        raise CommandExit(f"command terminated with exit code {code}", code)


def _local_members(source: str, destination: str) -> list[Member]:
    """makeTar / recursiveTar: the local file or tree, each entry named by where it goes
    under the destination's directory (an empty directory gets an entry of its own)."""
    import glob
    import stat

    from kubesim.kubectl.cp import clean
    from kubesim.sandbox.tarball import Member as Entry

    src = os.path.normpath(source)
    src_dir, dest_name = os.path.dirname(src) or ".", os.path.basename(clean(destination))

    def walk(relative: str, name: str) -> list[Member]:
        pattern = os.path.join(src_dir, relative)
        matched = glob.glob(pattern) if glob.has_magic(pattern) else [pattern]
        for path in matched:
            try:
                info = os.lstat(path)
            except OSError as err:
                raise UsageError(f"lstat {path}: {_go_reason(err)}") from None
            if stat.S_ISDIR(info.st_mode):
                children = sorted(os.listdir(path))
                if not children:
                    return [Entry(name, True, info.st_mode, b"", info.st_mtime)]
                found: list[Member] = []
                for child in children:
                    found += walk(os.path.join(relative, child), f"{name}/{child}")
                return found  # recursiveTar returns after the first match that is a directory
            if stat.S_ISLNK(info.st_mode):
                continue  # kubesim's containers have no symbolic links
            with open(path, "rb") as data:
                return [Entry(name, False, info.st_mode, data.read(), info.st_mtime)]
        return []

    return walk(os.path.basename(src), dest_name)


def _defaulted(session: ExecSession, container: str | None) -> str:
    """FindOrDefaultContainerByName's note when a pod of several containers is entered
    without -c."""
    from kubesim.api import kinds
    from kubesim.engine import session as sessions
    from kubesim.kubectl.logs import all_container_names

    if container:
        return ""

    target = session.target
    pod = sessions.reading().get(kinds.resolve("pods"), target.namespace, target.name)
    spec = pod["spec"]
    annotated = (pod["metadata"].get("annotations") or {}).get(
        "kubectl.kubernetes.io/default-container"
    )
    several = len(spec["containers"]) > 1 or spec.get("initContainers")
    if annotated == target.container or not (several or spec.get("ephemeralContainers")):
        return ""
    return f'Defaulted container "{target.container}" out of: {all_container_names(pod)}\n'


def register(app: typer.Typer) -> None:
    app.command("cp")(cp)
