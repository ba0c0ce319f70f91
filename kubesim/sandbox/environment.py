"""The environment a container starts with: its spec's env, the service links and the
variables the runtime and the image set (kubelet_pods.go makeEnvironmentVariables).

The service variables are kubesim.api.envvars'; the container's own, kubelet_config's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubesim.api.envvars import MASTER_SERVICES as MASTER_SERVICES
from kubesim.api.envvars import service_env as service_env
from kubesim.api.envvars import visible_services as visible_services

if TYPE_CHECKING:
    from kubesim.sandbox.view import ClusterView

Object = dict[str, Any]


def container_env(view: ClusterView, pod: Object, spec: Object) -> dict[str, str]:
    """The variables `env` prints in this container: PATH, HOSTNAME, the image's ENV, then the
    kubelet's (containerd's WithDefaultPathEnv, HOSTNAME, image config env, container env;
    a later value replaces an earlier one in place)."""
    from kubesim.sandbox import images

    env: dict[str, str] = {"PATH": images.image_path(spec["image"])}
    env["HOSTNAME"] = pod["spec"].get("hostname") or pod["metadata"]["name"]
    env.update(images.image_env(spec["image"]))
    env.update(kubelet_env(view, pod, spec))
    if spec.get("tty"):
        env.setdefault("TERM", "xterm")
    return env


def kubelet_env(view: ClusterView, pod: Object, spec: Object) -> dict[str, str]:
    """makeEnvironmentVariables: the service links, then the container's own variables as the
    kubelet resolved them when the container started (kubesim.controllers.kubelet_config:
    envFrom, then env in order, `$(VAR)` expanded from the variables before it), or, for a
    container the kubelet has not started, as they resolve now (what cannot be resolved left
    out); what a command's and args' `$(VAR)` expand from too. The image's ENV is the
    runtime's, unknown to the kubelet."""
    from kubesim.controllers.kubelet_config import ENV_SECTION, resolve_env, started_env

    env: dict[str, str] = service_env(visible_services(view, pod, spec))
    own = started_env(view.runtime(ENV_SECTION), pod, spec["name"])
    if own is None:
        node = view.get("nodes", None, pod["spec"].get("nodeName") or "")
        own = resolve_env(view.get, pod, spec, node=node, services=env).env
    env.update(own)
    return env
