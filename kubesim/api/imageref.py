"""Container image references, parsed as github.com/distribution/reference does
(ParseNormalizedNamed), which the kubelet and containerd both use: `nginx:1.161` is
`docker.io/library/nginx:1.161`, `registry.k8s.io/nginx-slim:0.8` keeps its registry.

Only what the kubelet and the simulated registry need: domain, path, tag and digest, and the
errors the kubelet reports as InvalidImageName.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
DEFAULT_TAG = "latest"
MAX_NAME_LENGTH = 255

_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"^{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?$")
_PATH_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_IDENTIFIER = re.compile(r"^[a-f0-9]{64}$")


class InvalidReference(ValueError):
    """Raised when an image reference does not parse; the text is distribution/reference's."""


@dataclass(frozen=True)
class Reference:
    domain: str  # docker.io, registry.k8s.io, localhost:5000
    path: str  # library/nginx, nginx-slim, curlimages/curl
    tag: str = ""
    digest: str = ""

    @property
    def name(self) -> str:
        """domain/path: the repository, as containerd resolves it."""
        return f"{self.domain}/{self.path}"

    def __str__(self) -> str:
        text = self.name
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


def split_docker_domain(name: str) -> tuple[str, str]:
    """splitDockerDomain: the registry and the rest; Docker Hub when the first component
    cannot be a host, with `library/` for a one-component name."""
    first, slash, rest = name.partition("/")
    if not slash or (
        not any(c in first for c in ".:") and first != "localhost" and first.lower() == first
    ):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, rest
    if domain == LEGACY_DEFAULT_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


def parse_normalized_named(image: str) -> Reference:
    """ParseNormalizedNamed; InvalidReference with the library's message when it fails."""
    if _IDENTIFIER.match(image):
        raise InvalidReference(
            f"invalid repository name ({image}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = split_docker_domain(image)
    remote = remainder.split(":", 1)[0] if ":" in remainder else remainder
    if remote.lower() != remote:
        raise InvalidReference(
            f"invalid reference format: repository name ({remote}) must be lowercase"
        )
    rest, _, digest = remainder.partition("@")
    path, _, tag = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if (
        not _DOMAIN.match(domain)
        or not all(_PATH_COMPONENT.match(c) for c in path.split("/"))
        or (":" in rest and not _TAG.match(tag))
        or ("@" in remainder and not _DIGEST.match(digest))
    ):
        raise InvalidReference("invalid reference format")
    if len(domain) + 1 + len(path) > MAX_NAME_LENGTH:
        raise InvalidReference(
            f"repository name must not be more than {MAX_NAME_LENGTH} characters"
        )
    return Reference(domain, path, tag, digest)


def with_default_tag(ref: Reference) -> Reference:
    """The reference a runtime pulls: `latest` when it names neither a tag nor a digest."""
    if ref.tag or ref.digest:
        return ref
    return Reference(ref.domain, ref.path, DEFAULT_TAG)
