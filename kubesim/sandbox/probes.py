"""Running a container's probes, as the kubelet's prober asks the runtime to.

exec runs the command in the container's simulated shell (success: exit status 0); httpGet asks
the container's server (success: 200-399); tcpSocket succeeds when something listens on the
port; grpc asks the server's grpc.health.v1 service (success: SERVING). Failure messages are
the kubelet's (prober.go, probe/http, probe/tcp, probe/grpc).
"""

from __future__ import annotations

import re
from typing import Any

from kubesim.sandbox.view import ClusterView, build_container

Object = dict[str, Any]


def prober_for(view: ClusterView) -> Any:
    """The kubelet's `run_probe` for this moment of the cluster."""

    def run_probe(pod: Object, spec: Object, probe: Object) -> tuple[bool | None, str]:
        return run(view, pod, spec, probe)

    return run_probe


def run(view: ClusterView, pod: Object, spec: Object, probe: Object) -> tuple[bool | None, str]:
    from kubesim.sandbox import shell
    from kubesim.sandbox.http import serve_local

    container = build_container(view, pod, spec["name"])
    ip = (pod.get("status") or {}).get("podIP", "")
    if "exec" in probe:
        result = shell.run(container, list((probe["exec"] or {}).get("command") or []))
        return result.exit_code == 0, (result.stdout + result.stderr).rstrip("\n")
    if "httpGet" in probe:
        action = probe["httpGet"] or {}
        port, error = _port(spec, action.get("port"))
        if error:
            return None, error
        path = action.get("path") or "/"
        scheme = str(action.get("scheme", "HTTP")).lower()
        answer = serve_local(container, port, "GET", path) if port else None
        if answer is None and port:
            from kubesim.sandbox.view import serve_pod

            answer = serve_pod(view, pod, port, "GET", path)  # another container of the pod
        if answer is None:
            url = f"{scheme}://{ip}:{port}{path}"
            return False, f'Get "{url}": dial tcp {ip}:{port}: connect: connection refused'
        if 200 <= answer.status < 400:
            return True, ""
        return False, f"HTTP probe failed with statuscode: {answer.status}"
    if "tcpSocket" in probe:
        # probe/tcp: a dial that connects is a success, whatever the server then speaks
        port, error = _port(spec, (probe["tcpSocket"] or {}).get("port"))
        if error:
            return None, error
        if port and _pod_listens(view, pod, container, port):
            return True, ""
        return False, f"dial tcp {ip}:{port}: connect: connection refused"
    if "grpc" in probe:
        return _grpc(container, ip, probe)
    return True, ""


def _pod_listens(view: ClusterView, pod: Object, container: Any, port: int) -> bool:
    """Whether something in the pod's network namespace listens on `port`: this container,
    or another running one (a sidecar serving for the app)."""
    from kubesim.api.podutil import all_statuses
    from kubesim.sandbox.http import listening

    if listening(container, port):
        return True
    running = {s["name"] for s in all_statuses(pod) if "running" in (s.get("state") or {})}
    others = running - {container.name}
    return any(listening(build_container(view, pod, name), port) for name in sorted(others))


def _grpc(container: Any, ip: str, probe: Object) -> tuple[bool, str]:
    """probe/grpc: dial (blocking until the timeout), then grpc.health.v1.Health/Check."""
    from kubesim.sandbox.programs import grpc_health

    action = probe["grpc"] or {}
    port = int(action.get("port") or 0)
    service = str(action.get("service") or "")
    timeout = int(probe.get("timeoutSeconds") or 1)
    addr = f"{ip}:{port}"
    answer = grpc_health(container, port, service)
    if answer == "":
        # nothing listens, or no gRPC server does: the blocking dial runs out of time
        return False, (f'timeout: failed to connect service "{addr}" within {timeout}s: '
                       "context deadline exceeded")  # fmt: skip
    if answer is None:
        status = "rpc error: code = NotFound desc = unknown service"  # grpc-go's health server
        return False, f"error: health rpc probe failed: {status}"
    if answer != "SERVING":
        return False, f'service unhealthy (responded with "{answer}")'
    return True, ""


def _port(spec: Object, port: object) -> tuple[int, str]:
    """A probe's port and the prober's error resolving it (probe.ResolveContainerPort): a
    number, or the name of one of the container's ports, or a number written as a string."""
    number = -1
    if isinstance(port, int):
        number = port
    else:
        name = str(port)
        named = [e for e in spec.get("ports") or [] if e.get("name") == name]
        if named:
            number = int(named[0].get("containerPort") or 0)
        elif re.fullmatch(r"[+-]?[0-9]+", name):
            number = int(name)
        else:
            return -1, f'strconv.Atoi: parsing "{name}": invalid syntax'
    if 0 < number < 65536:
        return number, ""
    return number, f"invalid port number: {number}"
