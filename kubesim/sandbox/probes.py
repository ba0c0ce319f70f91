"""Running a container's probes, as the kubelet's prober asks the runtime to.

exec runs the command in the container's simulated shell (success: exit status 0); httpGet asks
the container's server (success: 200-399); tcpSocket succeeds when something listens on the
port. Failure messages are the kubelet's (prober.go, probe/http, probe/tcp).
"""

from __future__ import annotations

from typing import Any

from kubesim.sandbox.view import ClusterView, build_container

Object = dict[str, Any]


def prober_for(view: ClusterView) -> Any:
    """The kubelet's `run_probe` for this moment of the cluster."""

    def run_probe(pod: Object, spec: Object, probe: Object) -> tuple[bool, str]:
        return run(view, pod, spec, probe)

    return run_probe


def run(view: ClusterView, pod: Object, spec: Object, probe: Object) -> tuple[bool, str]:
    from kubesim.sandbox import shell
    from kubesim.sandbox.http import serve_local

    container = build_container(view, pod, spec["name"])
    ip = (pod.get("status") or {}).get("podIP", "")
    if "exec" in probe:
        result = shell.run(container, list((probe["exec"] or {}).get("command") or []))
        return result.exit_code == 0, (result.stdout + result.stderr).rstrip("\n")
    if "httpGet" in probe:
        action = probe["httpGet"] or {}
        port = _port(spec, action.get("port"))
        path = action.get("path") or "/"
        scheme = str(action.get("scheme", "HTTP")).lower()
        answer = serve_local(container, port, "GET", path) if port else None
        if answer is None:
            url = f"{scheme}://{ip}:{port}{path}"
            return False, f'Get "{url}": dial tcp {ip}:{port}: connect: connection refused'
        if 200 <= answer.status < 400:
            return True, ""
        return False, f"HTTP probe failed with statuscode: {answer.status}"
    if "tcpSocket" in probe:
        port = _port(spec, (probe["tcpSocket"] or {}).get("port"))
        if port and serve_local(container, port, "HEAD", "/") is not None:
            return True, ""
        return False, f"dial tcp {ip}:{port}: connect: connection refused"
    return True, ""  # grpc and other handlers: not simulated, taken as passing


def _port(spec: Object, port: object) -> int:
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    for entry in spec.get("ports") or []:
        if entry.get("name") == port:
            return int(entry["containerPort"])
    return 0
