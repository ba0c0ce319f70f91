"""`kubectl create SUBCOMMAND NAME ...`: each generator's own flags, its checks, and the files
its sources name, read here at the edge for the pure generators in kubesim.kubectl."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubesim.api.errors import MissingFlag, PlainError, UsageError

if TYPE_CHECKING:
    from kubesim.api.server import ApiServer

Object = dict[str, Any]

# the flags only some generators take, by the subcommand (kubectl's own names for them)
_OWN_FLAGS = {
    "deployment": {"--image", "--replicas", "-r", "--port"},
    "namespace": set(),
    "serviceaccount": set(),
    "configmap": {"--from-file", "--from-literal", "--from-env-file", "--append-hash"},
    "secret generic": {"--from-file", "--from-literal", "--from-env-file", "--type",
                       "--append-hash"},
    "secret tls": {"--cert", "--key", "--append-hash"},
    "secret docker-registry": {"--docker-username", "--docker-password", "--docker-email",
                               "--docker-server", "--from-file", "--append-hash"},
    "job": {"--image", "--from"},
    "cronjob": {"--image", "--schedule", "--restart"},
}  # fmt: skip
_GENERATOR_FLAGS = set().union(*_OWN_FLAGS.values())
SUBCOMMANDS = {
    "deployment": "deployment", "deploy": "deployment",
    "namespace": "namespace", "ns": "namespace",
    "serviceaccount": "serviceaccount", "sa": "serviceaccount",
    "configmap": "configmap", "cm": "configmap",
    "secret": "secret",
    "job": "job",
    "cronjob": "cronjob", "cj": "cronjob",
}  # fmt: skip
SECRET_TYPES = ("generic", "tls", "docker-registry")
SECRET_HELP = """Create a secret with specified type.

 A docker-registry type secret is for accessing a container registry.

 A generic type secret indicate an Opaque secret type.

 A tls type secret holds TLS certificate and its associated key.

Available Commands:
  docker-registry   Create a secret for use with a Docker registry
  generic           Create a secret from a local file, directory, or literal value
  tls               Create a TLS secret

Usage:
  kubesim create secret (docker-registry | generic | tls) [options]

Use "kubesim create secret <command> --help" for more information about a given command.
Use "kubesim options" for a list of global command-line options (applies to all commands).
"""


@dataclass
class Flags:
    """The generator flags as given on the command line."""

    given: set[str] = field(default_factory=set)  # which of _GENERATOR_FLAGS were typed
    image: list[str] = field(default_factory=list)
    replicas: int = 1
    port: int = -1
    from_literal: list[str] = field(default_factory=list)
    from_file: list[str] = field(default_factory=list)
    from_env_file: list[str] = field(default_factory=list)
    type_: str = ""
    cert: str = ""
    key: str = ""
    docker_username: str = ""
    docker_password: str = ""
    docker_email: str = ""
    docker_server: str = "https://index.docker.io/v1/"
    append_hash: bool = False
    schedule: str | None = None
    restart: str = ""
    from_: str = ""


def given_flags(argv: list[str]) -> set[str]:
    """The generator flags that appear before `--` in argv (`--flag` or `--flag=value`)."""
    words = argv[: argv.index("--")] if "--" in argv else argv
    return {w.split("=", 1)[0] for w in words if w.split("=", 1)[0] in _GENERATOR_FLAGS}


def string_slice(values: list[str]) -> list[str]:
    """pflag's StringSlice: each value read as a CSV record (`a,b` is two values)."""
    found: list[str] = []
    for value in values:
        if value:
            found += next(csv.reader([value]))
    return found


class OsDisk:
    """The files a configmap or secret generator reads, from the machine kubesim runs on."""

    def kind(self, path: str) -> str:
        import stat

        try:
            mode = os.stat(path).st_mode
        except OSError as err:
            raise UsageError(f"error reading {path}: {_reason(err)}") from None
        return "dir" if stat.S_ISDIR(mode) else "file"

    def entries(self, path: str) -> list[tuple[str, bool]]:
        try:
            with os.scandir(path) as found:
                listed = [(e.name, e.is_file(follow_symlinks=False)) for e in found]
        except OSError as err:
            raise UsageError(f"error listing files in {path}: {_reason(err)}") from None
        return sorted(listed)

    def read(self, path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as err:
            raise UsageError(f"open {path}: {_reason(err)}") from None

    def getenv(self, name: str) -> str:
        return os.environ.get(name, "")


def _reason(err: OSError) -> str:
    text = err.strerror or str(err)
    return text[:1].lower() + text[1:]


def check_flags(which: str, flags: Flags) -> None:
    """cobra's `unknown flag` for a flag this subcommand does not have."""
    extra = sorted(flags.given - _OWN_FLAGS[which])
    if extra:
        raise PlainError(
            f"Error: unknown flag: {extra[0]}\nSee 'kubesim create {which} --help' for usage."
        )


def generate(
    server: ApiServer,
    namespace: str,
    subcommand: str,
    names: list[str],
    command: list[str],
    flags: Flags,
) -> tuple[str, Object]:
    """The object `kubesim create SUBCOMMAND ...` sends, and the noun of its `failed to
    create` error."""
    from kubesim.kubectl import create_config, generate

    which = SUBCOMMANDS.get(subcommand)
    if which is None:
        words = [subcommand, *names, *command]
        # kubectl 1.32 prints "error: " for one unknown word and cobra's "Error: " for more
        prefix = "error" if len(words) == 1 else "Error"
        raise PlainError(
            f"{prefix}: Unexpected args: [{' '.join(words)}]\n"
            "See 'kubesim create -h' for help and examples"
        )
    if which == "secret":
        if not names or names[0] not in SECRET_TYPES:
            raise UsageError(
                f'unknown command "{" ".join(names)}"\n'
                "See 'kubesim create secret -h' for help and examples"
            )
        which, names = f"secret {names[0]}", names[1:]
    check_flags(which, flags)
    if which in ("deployment", "namespace", "serviceaccount"):
        obj = generate.for_create(which, names, flags.image, flags.replicas, flags.port, command)
        return which, obj
    if which == "cronjob":
        missing = [f for f, v in (("image", flags.image), ("schedule", flags.schedule)) if not v]
        if missing:
            raise MissingFlag('", "'.join(missing))
    name = _one_name(which, names, command if which in ("job", "cronjob") else [])
    disk = OsDisk()
    sources = create_config.Sources(
        literals=list(flags.from_literal),
        files=string_slice(flags.from_file),
        env_files=string_slice(flags.from_env_file),
    )
    if which == "configmap":
        return which, create_config.config_map(name, sources, disk, append_hash=flags.append_hash)
    if which == "secret generic":
        obj = create_config.secret_generic(
            name, flags.type_, sources, disk, append_hash=flags.append_hash
        )
        return "secret", obj
    if which == "secret tls":
        obj = create_config.secret_tls(
            name, flags.cert, flags.key, disk, append_hash=flags.append_hash
        )
        return "secret", obj
    if which == "secret docker-registry":
        obj = create_config.secret_docker_registry(
            name,
            username=flags.docker_username,
            password=flags.docker_password,
            email=flags.docker_email,
            server=flags.docker_server,
            files=sources.files,
            disk=disk,
            append_hash=flags.append_hash,
        )
        return "secret", obj
    if which == "job":
        return which, _job(server, namespace, name, command, flags)
    if which == "cronjob":
        image = flags.image[-1]
        return which, generate.cron_job(name, image, str(flags.schedule), flags.restart, command)
    raise AssertionError(which)


def _one_name(which: str, names: list[str], command: list[str]) -> str:
    """NameFromCommandArgs: exactly one NAME (a job's command comes after `--`)."""
    if len(names) != 1:
        raise UsageError(
            f"exactly one NAME is required, got {len(names)}\n"
            f"See 'kubesim create {which} -h' for help and examples"
        )
    return names[0]


def _job(server: ApiServer, namespace: str, name: str, command: list[str], flags: Flags) -> Object:
    """CreateJobOptions: a Job of one container from --image, or one from a CronJob's
    template (--from=cronjob/NAME)."""
    from kubesim.api import kinds
    from kubesim.kubectl import generate

    if bool(flags.image) == bool(flags.from_):
        raise UsageError("either --image or --from must be specified")
    if command and flags.from_:
        raise UsageError("cannot specify --from and command")
    if flags.image:
        return generate.job(name, flags.image[-1], command)
    resource, _, source = flags.from_.partition("/")
    kind = kinds.resolve(resource)
    if not source:
        raise UsageError("from must be an existing cronjob")
    found = server.get(kind, namespace, source)
    if kind.kind != "CronJob":
        raise UsageError(f"unknown object type *{kind.version}.{kind.kind}")
    return generate.job_from_cron_job(name, found)
