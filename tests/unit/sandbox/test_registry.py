"""The simulated registries: which references resolve, and containerd's text when one does not."""

from __future__ import annotations

import pytest

from kubesim.sandbox import catalogue, registry

# images that Kubernetes tutorials and the kubesim samples pull
VALID = [
    "nginx", "nginx:latest", "nginx:1.14.2", "nginx:1.16.1", "nginx:1.9.1", "nginx:1.7.9",
    "nginx:1.10", "nginx:1.27.3", "nginx:1.27", "nginx:1", "nginx:stable", "nginx:mainline",
    "nginx:alpine", "nginx:perl", "nginx:alpine-slim", "nginx:1.25.3-alpine", "nginx:1.27-perl",
    "nginx:stable-alpine-perl", "nginx:1.27.3-bookworm", "nginx:1.27.3-alpine3.20-slim",
    "nginx:1.31.2", "docker.io/library/nginx:1.9.1", "docker.io/nginx",
    "busybox", "busybox:1.28", "busybox:1.28.4", "busybox:1.36.1", "busybox:1.37", "busybox:musl",
    "busybox:1.36.1-glibc", "busybox:stable-uclibc",
    "registry.k8s.io/nginx-slim:0.8", "registry.k8s.io/nginx-slim:0.21",
    "registry.k8s.io/nginx-slim:0.24", "registry.k8s.io/nginx-slim:0.27",
    "k8s.gcr.io/nginx-slim:0.8", "gcr.io/google_containers/nginx-slim:0.7",
    "registry.k8s.io/busybox", "registry.k8s.io/e2e-test-images/agnhost:2.39",
    "alpine:3.20", "debian:bookworm", "ubuntu:24.04", "httpd:2.4", "redis:7", "postgres:16",
    "mysql:8.0", "python:3.12-slim", "node:20", "php:8", "curlimages/curl:8.5.0",
]  # fmt: skip


@pytest.mark.parametrize("image", VALID)
def test_images_tutorials_use_pull(image: str) -> None:
    assert registry.pull_image(image) is None


@pytest.mark.parametrize(
    "image",
    ["nginx:1.161", "nginx:1.16.9", "nginx:1.6.2", "nginx:2.3.5", "nginx:1.14.2-alpne",
     "nginx:latest-alpine", "busybox:1.63", "busybox:1.28.5", "registry.k8s.io/nginx-slim:0.99"],
)  # fmt: skip
def test_a_tag_the_repository_lacks_is_not_found(image: str) -> None:
    assert registry.exists(image) is False


@pytest.mark.parametrize("image", ["ngnix", "nginix:1.14.2", "busybx", "scratch", "curl"])
def test_a_name_that_is_no_official_image_does_not_exist(image: str) -> None:
    assert registry.exists(image) is False


@pytest.mark.parametrize(
    "image", ["myorg/web:1.0", "quay.io/coreos/etcd:v3.5.0", "localhost:5000/app", "ghcr.io/a/b"]
)
def test_repositories_kubesim_knows_nothing_about_pull(image: str) -> None:
    assert registry.exists(image) is True


def test_a_digest_of_a_known_repository_pulls_and_one_of_a_typo_does_not() -> None:
    assert registry.exists("nginx@sha256:" + "c" * 64) is True
    assert registry.exists("ngnix@sha256:" + "c" * 64) is False


def test_a_missing_tag_reads_as_containerd_reports_it() -> None:
    assert registry.pull_image("nginx:1.161") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/'
        'nginx:1.161": failed to resolve reference "docker.io/library/nginx:1.161": '
        "docker.io/library/nginx:1.161: not found"
    )


def test_a_missing_repository_reads_as_docker_hub_answers_it() -> None:
    assert registry.pull_image("ngnix") == (
        'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/'
        'ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": pull access '
        "denied, repository does not exist or may require authorization: server message: "
        "insufficient_scope: authorization failed"
    )


def test_docker_hub_tags_come_from_the_official_images_history() -> None:
    nginx = catalogue.entry_named("nginx")
    assert catalogue.tag_exists(nginx, "1.14.3") is False
    assert catalogue.tag_exists(nginx, "1.14.2") is True
    assert catalogue.tag_exists(nginx, "1.32") is False
    assert catalogue.tag_exists(nginx, "stable-alpine-perl") is True
    assert catalogue.tag_exists(nginx, "latest-alpine") is False  # `latest` stands alone


@pytest.mark.parametrize(
    "image",
    ["registry.k8s.io/e2e-test-images/agnhost:2.39", "registry.k8s.io/e2e-test-images/agnhost:2.53",
     "gcr.io/google-samples/kubernetes-bootcamp:v1", "docker.io/jocatalin/kubernetes-bootcamp:v2",
     "gcr.io/google-samples/hello-app:2.0", "registry.k8s.io/etcd:3.5.1-0",
     "registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3", "registry.k8s.io/pause:3.10",
     "registry.k8s.io/goproxy:0.1", "registry.k8s.io/echoserver:1.4",
     "quay.io/fluentd_elasticsearch/fluentd:v2.5.2", "perl:5.34.0", "wordpress:6.2.1-apache"],
)  # fmt: skip
def test_the_catalogues_images_pull(image: str) -> None:
    assert registry.pull_image(image) is None


def test_a_tag_the_catalogue_does_not_list_is_not_found() -> None:
    assert registry.pull_image("gcr.io/google-samples/kubernetes-bootcamp:v10") == (
        'rpc error: code = NotFound desc = failed to pull and unpack image "gcr.io/google-samples/'
        'kubernetes-bootcamp:v10": failed to resolve reference "gcr.io/google-samples/'
        'kubernetes-bootcamp:v10": gcr.io/google-samples/kubernetes-bootcamp:v10: not found'
    )
    assert registry.exists("registry.k8s.io/e2e-test-images/agnhost:2.99") is False
    assert registry.exists("gcr.io/google-samples/hello-app:3.0") is False
