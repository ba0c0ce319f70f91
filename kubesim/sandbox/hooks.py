"""Running a container's lifecycle hooks, as the kubelet's handler runner asks the runtime to
(pkg/kubelet/lifecycle/handlers.go): exec runs the command in the container (its file
changes are kept, as any exec's), httpGet asks the container's server, sleep waits. A hook's
failure is the kubelet's message, which its FailedPostStartHook / FailedPreStopHook event
carries."""

from __future__ import annotations

from typing import Any

from kubesim.controllers.changes import Change
from kubesim.sandbox.container import ProcessClock, StillRunning
from kubesim.sandbox.view import ClusterView, build_container

Object = dict[str, Any]
HOOK_HORIZON = 3600.0  # a hook that sleeps longer is taken to hang (the grace period ends it)


def hook_runner_for(view: ClusterView) -> Any:
    """The kubelet's `run_hook` over this state of the cluster."""

    def run_hook(
        pod: Object, spec: Object, handler: Object, now: float
    ) -> tuple[str | None, list[Change], float]:
        return run(view, pod, spec, handler, now)

    return run_hook


def run(
    view: ClusterView, pod: Object, spec: Object, handler: Object, now: float
) -> tuple[str | None, list[Change], float]:
    """(the failure message or None, the runtime's changes, the seconds the hook took)."""
    from kubesim.sandbox import shell
    from kubesim.sandbox.http import serve_local
    from kubesim.sandbox.process import _file_changes

    m = pod["metadata"]
    pod_ref = f"{m['name']}_{m['namespace']}({m['uid']})"  # format.Pod
    if "sleep" in handler:
        return None, [], float((handler["sleep"] or {}).get("seconds", 0))
    container = build_container(view, pod, spec["name"])
    if "exec" in handler:
        command = list((handler["exec"] or {}).get("command") or [])
        before_files = dict(container.files)
        before_mounts = {p: dict(f) for p, f in container.mounts.items()}
        clock = ProcessClock(horizon=HOOK_HORIZON)
        container.clock = clock
        try:
            result = shell.run(container, command)
        except StillRunning:
            return None, [], HOOK_HORIZON
        changes = _file_changes(view, pod, spec, container, before_files, before_mounts)
        if result.exit_code == 0:
            return None, changes, clock.elapsed
        output = result.stdout + result.stderr
        error = f"command '{' '.join(command)}' exited with {result.exit_code}: {result.stderr}"
        message = (
            f'Exec lifecycle hook ([{" ".join(command)}]) for Container "{spec["name"]}" '
            f'in Pod "{pod_ref}" failed - error: {error}, message: {_go_quote(output)}'
        )
        return message, changes, clock.elapsed
    if "httpGet" in handler:
        action = handler["httpGet"] or {}
        port = action.get("port")
        if isinstance(port, int) or str(port).isdigit():
            number = int(str(port))
        else:
            number = _named(spec, port)
        path = action.get("path") or "/"
        # any answer will do: the handler runner does not look at the status code
        if number and serve_local(container, number, "GET", path) is not None:
            return None, [], 0.0
        ip = (pod.get("status") or {}).get("podIP", "")
        target = f"{ip}:{number}"
        error = f'Get "http://{target}{path}": dial tcp {target}: connect: connection refused'
        message = (
            f'HTTP lifecycle hook ({path}) for Container "{spec["name"]}" in Pod '
            f'"{pod_ref}" failed - error: {error}'
        )
        return message, [], 0.0
    return None, [], 0.0


def _named(spec: Object, port: object) -> int:
    for entry in spec.get("ports") or []:
        if entry.get("name") == port:
            return int(entry["containerPort"])
    return 0


def _go_quote(text: str) -> str:
    """Go's %q of a string."""
    import json

    return json.dumps(text)
