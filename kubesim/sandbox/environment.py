"""The environment a container starts with: the image's variables, the service links, and the
container's own variables as the kubelet resolved them when it started (kubelet_pods.go
makeEnvironmentVariables, in kubesim.controllers.kubelet_config)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubesim.controllers.kubelet_config import (
    ENV_SECTION,
    expand,
    resolve_env,
    service_env,
    started_env,
)

if TYPE_CHECKING:
    from kubesim.sandbox.view import ClusterView

Object = dict[str, Any]
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

__all__ = ["DEFAULT_PATH", "container_env", "expand_command", "service_env"]


def container_env(view: ClusterView, pod: Object, spec: Object) -> dict[str, str]:
    """The variables `env` prints in this container."""
    from kubesim.sandbox import images

    env: dict[str, str] = {"PATH": DEFAULT_PATH}
    env.update(images.image_env(spec["image"]))
    env["HOSTNAME"] = pod["spec"].get("hostname") or pod["metadata"]["name"]
    links: dict[str, str] = {}
    if pod["spec"].get("enableServiceLinks", True):
        links.update(service_env(view.list("services", pod["metadata"]["namespace"])))
    kubernetes = view.get("services", "default", "kubernetes")
    if kubernetes is not None:
        links.update(
            {k: v for k, v in service_env([kubernetes]).items() if k.startswith("KUBERNETES_")}
        )
    env.update(links)
    started = started_env(view.runtime(ENV_SECTION), pod, spec["name"])
    if started is None:
        # not started by the kubelet (yet): resolved now, what cannot be resolved left out
        node = view.get("nodes", None, pod["spec"].get("nodeName") or "")
        started = resolve_env(view.get, pod, spec, node=node, services=links).env
    env.update(started)
    if spec.get("tty"):
        env.setdefault("TERM", "xterm")
    return env


def expand_command(words: list[str], env: dict[str, str]) -> list[str]:
    """ExpandContainerCommandAndArgs: `$(VAR)` in command and args replaced by the
    container's variables, `$$` by `$`."""
    return [expand(word, env) for word in words]
