"""Image references parsed as distribution/reference's ParseNormalizedNamed does."""

from __future__ import annotations

import pytest

from kubesim.api.imageref import (
    InvalidReference,
    Reference,
    parse_normalized_named,
    with_default_tag,
)


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("nginx", Reference("docker.io", "library/nginx")),
        ("nginx:1.161", Reference("docker.io", "library/nginx", "1.161")),
        ("docker.io/nginx:1.9.1", Reference("docker.io", "library/nginx", "1.9.1")),
        ("index.docker.io/library/nginx", Reference("docker.io", "library/nginx")),
        ("curlimages/curl:8.5.0", Reference("docker.io", "curlimages/curl", "8.5.0")),
        ("registry.k8s.io/nginx-slim:0.8", Reference("registry.k8s.io", "nginx-slim", "0.8")),
        ("localhost:5000/app", Reference("localhost:5000", "app")),
        ("localhost/app:v1", Reference("localhost", "app", "v1")),
        (
            "nginx@sha256:" + "a" * 64,
            Reference("docker.io", "library/nginx", "", "sha256:" + "a" * 64),
        ),
    ],
)
def test_references_normalize_as_containerd_names_them(image: str, expected: Reference) -> None:
    assert parse_normalized_named(image) == expected


def test_the_default_tag_is_latest_unless_a_digest_is_given() -> None:
    assert (
        str(with_default_tag(parse_normalized_named("ngnix"))) == "docker.io/library/ngnix:latest"
    )
    digested = parse_normalized_named("nginx@sha256:" + "b" * 64)
    assert with_default_tag(digested) == digested


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
        ("nginx:1.9 ", "invalid reference format"),
        ("nginx::1", "invalid reference format"),
        (
            "a" * 64,
            f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
    ],
)
def test_invalid_references_carry_the_librarys_message(image: str, message: str) -> None:
    with pytest.raises(InvalidReference) as err:
        parse_normalized_named(image)
    assert str(err.value) == message
