"""What kubectl's generators build from flags, before it writes to the apiserver: `kubectl create
deployment` (pkg/cmd/create/create_deployment.go), `kubectl create namespace` and
`kubectl create serviceaccount`."""

from __future__ import annotations

from typing import Any

from kubesim.api.errors import MissingFlag, PlainError, UsageError

Object = dict[str, Any]

SUBCOMMANDS = {
    "deployment": "deployment", "deploy": "deployment",
    "namespace": "namespace", "ns": "namespace",
    "serviceaccount": "serviceaccount", "sa": "serviceaccount",
}  # fmt: skip


def for_create(
    subcommand: str,
    names: list[str],
    images: list[str],
    replicas: int,
    port: int,
    command: list[str],
) -> Object:
    """The object `kubectl create SUBCOMMAND NAME ...` sends."""
    which = SUBCOMMANDS.get(subcommand)
    if which is None:
        words = [subcommand, *names, *command]
        # kubectl 1.32 prints "error: " for one unknown word and cobra's "Error: " for more
        prefix = "error" if len(words) == 1 else "Error"
        raise PlainError(
            f"{prefix}: Unexpected args: [{' '.join(words)}]\n"
            "See 'kubesim create -h' for help and examples"
        )
    if which == "deployment" and not images:
        raise MissingFlag("image")
    if len(names) != 1:
        raise UsageError(
            f"exactly one NAME is required, got {len(names)}\n"
            f"See 'kubesim create {which} -h' for help and examples"
        )
    if which == "serviceaccount":
        return {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"creationTimestamp": None, "name": names[0]},
        }
    if which == "namespace":
        return {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {"creationTimestamp": None, "name": names[0]},
            "spec": {},
            "status": {},
        }
    return deployment(names[0], images, replicas, port, command)


def deployment(
    name: str, images: list[str], replicas: int, port: int, command: list[str]
) -> Object:
    labels = {"app": name}
    containers: list[Object] = []
    for image in images:
        container: Object = {"name": _container_name(image), "image": image, "resources": {}}
        if command:
            container["command"] = list(command)
        containers.append(container)
    if port >= 0:
        containers[0]["ports"] = [{"containerPort": port}]
    # as the typed Deployment kubectl builds serializes: zero values included
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"creationTimestamp": None, "labels": dict(labels), "name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": dict(labels)},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }


def _container_name(image: str) -> str:
    """The image's last path segment without tag or digest (buildPodSpec); a name with "_" or
    "." gets them as "-" and a random suffix (sanitizeAndUniquify)."""
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    if "_" in name or "." in name:
        import random

        from kubesim.api import meta

        name = meta.generate_name(name.replace("_", "-").replace(".", "-") + "-", random.Random())
    return name
