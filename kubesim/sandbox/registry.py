"""The registries behind the simulated containerd: which image references resolve, and the
error text containerd's CRI PullImage returns to the kubelet when one does not.

The kubelet is given `pull_image` (controllers/kubelet_images.py); it decides when to pull and
reports the failure, the text of the failure is the runtime's. Messages follow containerd 1.7
and 2.0 as kind nodes report them: the CRI's `failed to pull and unpack image %q: %w` around the
resolver's `failed to resolve reference %q: %w`.
"""

from __future__ import annotations

import enum

from kubesim.api.imageref import InvalidReference, Reference, parse_normalized_named
from kubesim.api.imageref import with_default_tag as _with_default_tag
from kubesim.sandbox import catalogue

# what registry-1.docker.io answers for a repository that does not exist (or is private)
ACCESS_DENIED = (
    "pull access denied, repository does not exist or may require authorization: "
    "server message: insufficient_scope: authorization failed"
)


class Answer(enum.Enum):
    FOUND = "found"
    NO_TAG = "no such tag"  # the registry has the repository, not this manifest
    NO_REPOSITORY = "no such repository"


def resolve(ref: Reference) -> Answer:
    """Whether the registry holds `ref`. Only Docker Hub's official namespace and the
    catalogue's images can answer no; anything else kubesim cannot know exists."""
    if ref.domain == "docker.io" and ref.path.startswith("library/"):
        if ref.path.removeprefix("library/") not in catalogue.OFFICIAL_IMAGES:
            return Answer.NO_REPOSITORY
    name = catalogue.lookup(ref.name)
    if name is not None and not ref.digest:
        if not catalogue.tag_exists(catalogue.entry_named(name), ref.tag or "latest"):
            return Answer.NO_TAG
    return Answer.FOUND


def exists(image: str) -> bool:
    """True if pulling `image` (as written in a pod spec) succeeds."""
    try:
        return resolve(parse_normalized_named(image)) is Answer.FOUND
    except InvalidReference:
        return False


def pull_image(image: str) -> str | None:
    """containerd's answer to PullImage: None when the image pulls, else the gRPC error text
    the kubelet puts after `Failed to pull image "...": `."""
    try:
        ref = _with_default_tag(parse_normalized_named(image))
    except InvalidReference as err:  # the kubelet refuses these before asking the runtime
        return f"rpc error: code = Unknown desc = {err}"
    answer = resolve(ref)
    if answer is Answer.FOUND:
        return None
    prefix = f'failed to pull and unpack image "{ref}": failed to resolve reference "{ref}"'
    if answer is Answer.NO_TAG:
        return f"rpc error: code = NotFound desc = {prefix}: {ref}: not found"
    return f"rpc error: code = Unknown desc = {prefix}: {ACCESS_DENIED}"
