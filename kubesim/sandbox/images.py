"""Image personalities: what an image brings into a container, read from the catalogue
(images.yaml, see catalogue.py): its shells and programs, files, ENTRYPOINT and CMD, ENV,
WORKDIR, USER and stop signal, for the version its tag names.

An image the catalogue does not know gets a minimal busybox-like userland and no ENTRYPOINT or
CMD of its own: its main process is taken to run until it is stopped (`Image.known` is False).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

Dialect = Literal["ash", "dash", "bash"]
Userland = Literal["busybox", "gnu", "none"]

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BIN_DIRS = ("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")

# Build stamps of the official images' binaries (the usage banner shows them)
BUSYBOX_BUILDS = {(1, 28, 4): "2018-05-22 17:00:17 UTC"}
LATEST_BUSYBOX = (1, 37, 0)
_PLACEHOLDER = re.compile(r"\{(version|major|major_minor)\}")


@dataclass(frozen=True)
class Image:
    """What one image brings into a container."""

    reference: str
    repository: str  # last path component, e.g. "busybox", "nginx-slim"
    tag: str
    userland: Userland
    shells: Mapping[str, Dialect]  # executable name -> the shell it is
    commands: frozenset[str]  # other executables on $PATH
    env: tuple[tuple[str, str], ...] = (("PATH", DEFAULT_PATH),)
    workdir: str = "/"
    files: Mapping[str, str] = field(default_factory=dict)
    dirs: frozenset[str] = frozenset()
    busybox: tuple[int, int, int] | None = None  # busybox version, when applets come from it
    nginx: str | None = None  # nginx version, when the image runs nginx
    name: str = ""  # the catalogue entry; "" for an image kubesim does not know
    version: str = ""  # the version of its software the tag names
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    user: str = ""  # USER as the image config has it ("" is root)
    expose: tuple[str, ...] = ()
    stopsignal: str = "SIGTERM"
    # program name -> the implementation that runs for it, where it is not the common program
    # of that name (bind9's nslookup, an image's own docker-entrypoint.sh)
    bindings: Mapping[str, str] = field(default_factory=dict)
    paths: frozenset[str] = frozenset()  # executables outside the bin directories (/agnhost)

    @property
    def known(self) -> bool:
        """True if the catalogue knows this image (what it runs, what it serves)."""
        return bool(self.name)

    def has(self, name: str) -> bool:
        """True if `name` is an executable on this image's $PATH."""
        return name in self.shells or name in self.commands

    def implementation(self, name: str) -> str:
        """The program that runs for executable `name` in this image."""
        return self.bindings.get(name, name)

    def busybox_banner(self) -> str:
        """`BusyBox v1.28.4 (2018-05-22 17:00:17 UTC)` as usage texts start."""
        version = self.busybox or LATEST_BUSYBOX
        built = BUSYBOX_BUILDS.get(version)
        text = "BusyBox v" + ".".join(map(str, version))
        # TODO: build stamps of other official busybox images are not recorded yet
        return f"{text} ({built})" if built else f"{text} ()"


def split_reference(reference: str) -> tuple[str, str]:
    """(repository name, tag) of an image reference; a missing tag is `latest`."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    repository, _, tag = last.partition(":")
    return repository, tag or "latest"


def _version(text: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d+(?:\.\d+){0,2}", text):
        return None
    return tuple(int(part) for part in text.split("."))


def _numbers(text: str) -> tuple[int, ...]:
    match = re.match(r"v?(\d+(?:\.\d+)*)", text)
    return tuple(int(p) for p in match.group(1).split(".")) if match else ()


def resolve_version(versions: Mapping[str, Any], tag: str) -> str:
    """The version a tag runs: a named tag's (`stable`, `lts`, `7.2`), a full version as
    written, a series completed to its last patch release (`1.25` is 1.25.5), else the
    latest."""
    if not versions:
        return ""
    latest = str(versions.get("latest", ""))
    head = tag.split("-")[0]
    named = versions.get("named") or {}
    if head in named:
        return str(named[head])
    parts = _version(head)
    if parts is None or head == latest:
        return latest
    if len(parts) == 3:
        return head
    series = versions.get("series")
    if len(parts) == 2 and series is not None and head in series:
        patch = series[head]
        if patch is not None:
            return f"{head}.{patch}"
    if latest.startswith(head + "."):
        return latest
    if len(parts) == 2:  # 1.31 before its first release: x.y.0; agnhost 2.39: the tag itself
        return f"{head}.0" if series is not None else head
    return latest


def _substitute(text: str, version: str) -> str:
    parts = version.split(".")
    values = {"version": version, "major": parts[0], "major_minor": ".".join(parts[:2])}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _variants(entry: Mapping[str, Any], tag: str, version: str) -> list[Mapping[str, Any]]:
    """The entry's variants that apply to this tag (a tag pattern, or a version below)."""
    chosen = []
    for variant in entry.get("variants") or []:
        if "match" in variant and re.search(str(variant["match"]), tag):
            chosen.append(variant)
        elif "below" in variant and version and _numbers(version) < _numbers(str(variant["below"])):
            chosen.append(variant)
    return chosen


@lru_cache(maxsize=128)
def personality(reference: str) -> Image:
    """The personality of an image reference (unknown images get the generic one)."""
    from kubesim.api.imageref import InvalidReference, parse_normalized_named
    from kubesim.sandbox import catalogue

    repository, tag = split_reference(reference)
    try:
        ref = parse_normalized_named(reference)
        name = catalogue.lookup(ref.name)
        tag = ref.tag or ("latest" if not ref.digest else tag)
    except InvalidReference:
        name = None
    if name is None:
        return _unknown(reference, repository, tag)
    return _build(reference, repository, tag, name, catalogue.entry_named(name))


def _unknown(reference: str, repository: str, tag: str) -> Image:
    from kubesim.sandbox import catalogue

    base = catalogue.base("unknown")
    return Image(
        reference=reference, repository=repository, tag=tag, userland="busybox",
        shells=cast(Mapping[str, Dialect], dict(base["shells"])),
        commands=frozenset(base["programs"]), files=dict(base["files"]),
        dirs=frozenset(base["dirs"]),
    )  # fmt: skip


def _build(reference: str, repository: str, tag: str, name: str, entry: Mapping[str, Any]) -> Image:
    from kubesim.sandbox import catalogue

    version = resolve_version(entry.get("versions") or {}, tag)
    variants = _variants(entry, tag, version)
    merged: dict[str, Any] = {k: v for k, v in entry.items() if k not in ("variants", "programs")}
    programs = set(entry.get("programs") or [])
    files: dict[str, Any] = dict(entry.get("files") or {})
    for variant in variants:
        for key, value in variant.items():
            if key == "programs":
                programs |= set(value)
            elif key == "drop":
                programs -= set(value)
            elif key == "files":
                files.update(value)
            elif key not in ("match", "below"):
                merged[key] = value
    base = catalogue.base(str(merged.get("base") or "unknown"))
    dropped = {p for v in variants for p in v.get("drop") or []}
    commands = {_substitute(p, version) for p in [*base["programs"], *programs]} - dropped
    everything = {**base.get("files", {}), **files}
    env = tuple(
        (key, _substitute(value, version))
        for key, _, value in (str(e).partition("=") for e in merged.get("env") or [])
    ) or (("PATH", DEFAULT_PATH),)
    entrypoint = tuple(_substitute(str(a), version) for a in merged.get("entrypoint") or [])
    cmd = tuple(_substitute(str(a), version) for a in merged.get("cmd") or [])
    shells = cast(Mapping[str, Dialect], dict(merged.get("shells") or base["shells"]))
    busybox_text = _substitute(str(merged.get("busybox") or base.get("busybox") or ""), version)
    busybox = None
    if base.get("userland") == "busybox":
        numbers = _numbers(busybox_text) or LATEST_BUSYBOX
        busybox = cast(tuple[int, int, int], (tuple(numbers) + (0, 0, 0))[:3])
    return Image(
        reference=reference, repository=repository, tag=tag,
        userland=cast(Userland, base.get("userland", "busybox")), shells=shells,
        commands=frozenset(commands), env=env, workdir=str(merged.get("workdir") or "/"),
        files={k: _substitute(str(v), version) for k, v in everything.items() if v is not None},
        dirs=frozenset([*base.get("dirs", []), *(merged.get("dirs") or [])]),
        busybox=busybox, nginx=version if merged.get("server") == "nginx" else None,
        name=name, version=version, entrypoint=entrypoint, cmd=cmd,
        user=str(merged.get("user") or ""), expose=tuple(merged.get("expose") or ()),
        stopsignal=str(merged.get("stopsignal") or "SIGTERM"),
        bindings={_substitute(k, version): v for k, v in (merged.get("bind") or {}).items()},
        paths=frozenset(a for a in (*entrypoint, *cmd[:1]) if a.startswith("/")),
    )  # fmt: skip


def image_env(reference: str) -> dict[str, str]:
    """The image's own ENV lines other than PATH (e.g. NGINX_VERSION), in Dockerfile order."""
    return {k: v for k, v in personality(reference).env if k != "PATH"}


def image_path(reference: str) -> str:
    """The PATH the image's ENV sets (the runtime's default when it sets none)."""
    return dict(personality(reference).env).get("PATH", DEFAULT_PATH)


def entrypoint(reference: str) -> list[str]:
    """The image's ENTRYPOINT: what the spec's args are passed to when it gives no command."""
    return list(personality(reference).entrypoint)


def default_command(reference: str) -> list[str]:
    """The image's ENTRYPOINT + CMD: what runs when the pod spec gives no command."""
    image = personality(reference)
    return [*image.entrypoint, *image.cmd]


def container_argv(reference: str, command: list[str], args: list[str]) -> list[str]:
    """The process a container runs, as the kubelet and the runtime combine the pod's
    `command`/`args` with the image's ENTRYPOINT/CMD: a command replaces ENTRYPOINT and drops
    CMD; args replace CMD (kuberuntime's container args, then containerd's WithProcessArgs).
    Empty when neither gives anything (an image kubesim does not know)."""
    image = personality(reference)
    if command:
        return [*command, *args]
    return [*image.entrypoint, *(args or image.cmd)]


@dataclass(frozen=True)
class Stop:
    """How a container's main process answers the runtime's stop: the signal it is sent (the
    image's STOPSIGNAL), the exit code it ends with (None: it ignores the signal and the kubelet
    kills it at the end of the grace period, exit 137) and how long it takes."""

    signal: str
    exit_code: int | None
    after: float = 0.0


def stop_behaviour(reference: str, program: str | None) -> Stop:
    """What the process `program` (a Serving record's program, or the main argv[0]) of an
    image does when the container is stopped (images.yaml `programs`). A program kubesim has
    no rule for is taken to install no handler, so as PID 1 it ignores the signal; the own
    process of an image kubesim does not know (`program` None) is taken to exit at once, as
    most servers do."""
    from kubesim.sandbox import catalogue

    image = personality(reference)
    if program is None:
        return Stop(image.stopsignal, None if image.known else 0)
    name = program.rsplit("/", 1)[-1] if " " not in program else program
    rule = catalogue.program_stop(image.implementation(name)) or catalogue.program_stop(name)
    if rule is None or rule == "ignore":
        return Stop(image.stopsignal, None)
    return Stop(image.stopsignal, int(rule.get("exit", 0)), float(rule.get("after", 0)))
