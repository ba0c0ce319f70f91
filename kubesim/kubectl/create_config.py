"""What `kubectl create configmap` and `kubectl create secret generic|tls|docker-registry` build
from their flags (pkg/cmd/create/create_configmap.go, create_secret.go, create_secret_tls.go,
create_secret_docker.go, pkg/util ParseFileSource and ParseLiteralSource, cmd/util
AddFromEnvFile, util/hash), v1.32, errors worded as kubectl words them.

Files are read through a `Disk` the command line gives, so that this stays pure.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubesim.api import names
from kubesim.api.errors import UsageError

Object = dict[str, Any]
DOCKER_SERVER = "https://index.docker.io/v1/"


class Disk(Protocol):
    """The local files a generator reads (os.Stat, os.ReadDir, os.ReadFile, os.Getenv)."""

    def kind(self, path: str) -> str:
        """ "dir" or "file"; raises UsageError(`error reading PATH: REASON`) when missing."""

    def entries(self, path: str) -> list[tuple[str, bool]]:
        """The directory's entries in name order: (name, is a regular file)."""

    def read(self, path: str) -> bytes: ...

    def getenv(self, name: str) -> str: ...


@dataclass
class Sources:
    """--from-literal, --from-file and --from-env-file, as given."""

    literals: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    env_files: list[str] = field(default_factory=list)

    def check(self) -> None:
        if self.env_files and (self.files or self.literals):
            raise UsageError("from-env-file cannot be combined with from-file or from-literal")


def parse_file_source(source: str) -> tuple[str, str]:
    """ParseFileSource: `path` (its base name is the key) or `key=path`."""
    separators = source.count("=")
    if separators == 0:
        return posixpath.basename(source.rstrip("/")) or "/", source
    if separators == 1 and source.startswith("="):
        raise UsageError(f"key name for file path {source[1:]} missing")
    if separators == 1 and source.endswith("="):
        raise UsageError(f"file path for key name {source[:-1]} missing")
    if separators > 1:
        raise UsageError("key names or file paths cannot contain '='")
    key, path = source.split("=")
    return key, path


def parse_literal_source(source: str) -> tuple[str, str]:
    """ParseLiteralSource: key=value, split at the first '='."""
    if source.startswith("=") or "=" not in source:
        raise UsageError(f"invalid literal source {source}, expected key=value")
    key, value = source.split("=", 1)
    return key, value


def env_file_pairs(path: str, disk: Disk) -> list[tuple[str, str]]:
    """AddFromEnvFile: KEY=value lines (a bare KEY takes the value of the environment's),
    blank lines and # comments skipped, the UTF-8 byte order mark of the first line dropped."""
    content = disk.read(path)
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(lines):
        line = raw[:-1] if raw.endswith(b"\r") else raw
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            shown = "[" + " ".join(str(b) for b in line) + "]"
            raise UsageError(
                f"env file {path} contains invalid utf8 bytes at line {number + 1}: {shown}"
            ) from None
        if number == 0:
            text = text.removeprefix("\ufeff")
        text = text.lstrip()
        if not text or text.startswith("#"):
            continue
        key, equals, value = text.partition("=")
        problems = names.env_var_name_errors(key)
        if problems:
            raise UsageError(f'"{key}" is not a valid key name: {";".join(problems)}')
        pairs.append((key, value if equals else disk.getenv(key)))
    return pairs


def _file_pairs(sources: list[str], disk: Disk) -> list[tuple[str, bytes]]:
    """handle*FromFileSources: a file under its key; each regular file of a directory under
    its own name."""
    found: list[tuple[str, bytes]] = []
    for source in sources:
        key, path = parse_file_source(source)
        if disk.kind(path) == "dir":
            if "=" in source:
                raise UsageError("cannot give a key name for a directory path")
            for name, regular in disk.entries(path):
                if regular:
                    found.append((name, disk.read(posixpath.join(path, name))))
        else:
            found.append((key, disk.read(path)))
    return found


def _env_pairs(sources: list[str], disk: Disk, what: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for path in sources:
        if disk.kind(path) == "dir":
            raise UsageError(f"env {what} file cannot be a directory")
        pairs += env_file_pairs(path, disk)
    return pairs


def config_map(name: str, sources: Sources, disk: Disk, *, append_hash: bool = False) -> Object:
    """createConfigMap: files, then literals, then env files; text under data, the rest
    base64 under binaryData."""
    sources.check()
    data: dict[str, str] = {}
    binary: dict[str, str] = {}

    def add(key: str, value: bytes | str) -> None:
        problems = names.config_map_key_errors(key)
        if problems:
            raise UsageError(
                f'"{key}" is not a valid key name for a ConfigMap: {",".join(problems)}'
            )
        for bag, title in ((data, "Data"), (binary, "BinaryData")):
            if key in bag:
                raise UsageError(
                    f'cannot add key "{key}", another key by that name already exists in '
                    f'{title} for ConfigMap "{name}"'
                )
        if isinstance(value, str):
            data[key] = value
            return
        try:
            data[key] = value.decode("utf-8")
        except UnicodeDecodeError:
            binary[key] = base64.b64encode(value).decode("ascii")

    for key, content in _file_pairs(sources.files, disk):
        add(key, content)
    for literal in sources.literals:
        add(*parse_literal_source(literal))
    for key, value in _env_pairs(sources.env_files, disk, "config"):
        add(key, value)
    obj: Object = {"apiVersion": "v1"}
    if binary:
        obj["binaryData"] = binary
    if data:
        obj["data"] = data
    obj.update({"kind": "ConfigMap", "metadata": {"creationTimestamp": None, "name": name}})
    if append_hash:
        hashed = {"data": data, "kind": "ConfigMap", "name": name}
        if binary:
            hashed["binaryData"] = binary
        obj["metadata"]["name"] = f"{name}-{_hash(hashed)}"
    return obj


def _secret(name: str, kind: str, data: dict[str, bytes], append_hash: bool) -> Object:
    """newSecretObj as the typed Secret serializes: empty data and type left out."""
    encoded = {key: base64.b64encode(value).decode("ascii") for key, value in data.items()}
    obj: Object = {"apiVersion": "v1"}
    if encoded:
        obj["data"] = encoded
    obj.update({"kind": "Secret", "metadata": {"creationTimestamp": None, "name": name}})
    if kind:
        obj["type"] = kind
    if append_hash:
        hashed = {"data": encoded, "kind": "Secret", "name": name, "type": kind}
        obj["metadata"]["name"] = f"{name}-{_hash(hashed)}"
    return obj


def _add_secret_key(data: dict[str, bytes], key: str, value: bytes) -> None:
    """addKeyFromLiteralToSecret."""
    problems = names.config_map_key_errors(key)
    if problems:
        raise UsageError(f'"{key}" is not valid key name for a Secret {";".join(problems)}')
    if key in data:
        raise UsageError(f"cannot add key {key}, another key by that name already exists")
    data[key] = value


def secret_generic(
    name: str, kind: str, sources: Sources, disk: Disk, *, append_hash: bool = False
) -> Object:
    """createSecret: literals, then files, then env files, every value base64."""
    sources.check()
    data: dict[str, bytes] = {}
    for literal in sources.literals:
        key, value = parse_literal_source(literal)
        _add_secret_key(data, key, value.encode("utf-8"))
    for key, content in _file_pairs(sources.files, disk):
        _add_secret_key(data, key, content)
    for key, value in _env_pairs(sources.env_files, disk, "secret"):
        _add_secret_key(data, key, value.encode("utf-8"))
    return _secret(name, kind, data, append_hash)


def secret_tls(name: str, cert: str, key: str, disk: Disk, *, append_hash: bool = False) -> Object:
    """createSecretTLS: the certificate and key, checked as tls.X509KeyPair would (PEM
    blocks of the right types; kubesim does not check that they belong together)."""
    if not cert or not key:
        raise UsageError("key and cert must be specified")
    cert_data, key_data = _read_or_fail(cert, disk), _read_or_fail(key, disk)
    _check_key_pair(cert_data, key_data)
    return _secret(
        name, "kubernetes.io/tls", {"tls.crt": cert_data, "tls.key": key_data}, append_hash
    )


def _read_or_fail(path: str, disk: Disk) -> bytes:
    try:
        return disk.read(path)
    except UsageError as err:
        reason = err.message.removeprefix(f"error reading {path}: ")
        raise UsageError(f"Cannot read file {path}, open {path}: {reason}") from None


def _pem_types(data: bytes) -> list[str]:
    """The types of the PEM blocks in `data`, in order."""
    import re

    return [t.decode() for t in re.findall(rb"-----BEGIN ([A-Z0-9 ]+)-----", data)]


def _check_key_pair(cert: bytes, key: bytes) -> None:
    """The structural checks of crypto/tls X509KeyPair, with its messages."""
    cert_types = _pem_types(cert)
    if not cert_types:
        raise UsageError("tls: failed to find any PEM data in certificate input")
    if "CERTIFICATE" not in cert_types:
        raise UsageError(
            "tls: failed to find certificate PEM data in certificate input, but did find a "
            "private key; PEM inputs may have been switched"
            if any(t.endswith("PRIVATE KEY") for t in cert_types)
            else 'tls: failed to find "CERTIFICATE" PEM block in certificate input after '
            f"skipping PEM blocks of the following types: [{' '.join(cert_types)}]"
        )
    key_types = _pem_types(key)
    if not key_types:
        raise UsageError("tls: failed to find any PEM data in key input")
    if not any(t == "PRIVATE KEY" or t.endswith(" PRIVATE KEY") for t in key_types):
        if "CERTIFICATE" in key_types:
            raise UsageError(
                "tls: found a certificate rather than a key in the PEM for the private key"
            )
        raise UsageError(
            'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input '
            f"after skipping PEM blocks of the following types: [{' '.join(key_types)}]"
        )


def secret_docker_registry(
    name: str,
    *,
    username: str,
    password: str,
    email: str,
    server: str,
    files: list[str],
    disk: Disk,
    append_hash: bool = False,
) -> Object:
    """createSecretDockerRegistry: the files given, else a .dockerconfigjson for one
    registry with the user's credentials."""
    if not files and (not username or not password or not server):
        raise UsageError(
            "either --from-file or the combination of --docker-username, --docker-password "
            "and --docker-server is required"
        )
    data: dict[str, bytes] = {}
    if files:
        for key, content in _file_pairs(files, disk):
            _add_secret_key(data, key, content)
    else:
        auth = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        entry: Object = {"username": username, "password": password}
        if email:
            entry["email"] = email
        entry["auth"] = auth
        config = {"auths": {server: entry}}
        data[".dockerconfigjson"] = _go_marshal(config).encode("utf-8")
    return _secret(name, "kubernetes.io/dockerconfigjson", data, append_hash)


def _go_marshal(value: Any) -> str:
    """json.Marshal of structs in field order (not sorted), HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _hash(encoded: Object) -> str:
    """util/hash: sha256 of the object's JSON (map keys sorted), ten characters kept with the
    vowels swapped out (encodeHash)."""
    from kubesim.kubectl.kustomize_generators import encode_hash, go_json

    return encode_hash(hashlib.sha256(go_json(encoded).encode("utf-8")).hexdigest())
