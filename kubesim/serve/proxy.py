"""The proxy subresources: `pods/<name>[:port]/proxy/<path>` and
`services/<name>[:port]/proxy/<path>` answer with whatever the pod's port (or a ready endpoint
of the Service) answers, as the apiserver's proxy handler relays it. `kubesim proxy` puts
the whole API on a local port, so the Kubernetes Basics tutorial's
`curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/` works."""

from __future__ import annotations

from typing import Any

from kubesim.api import kinds, selectors
from kubesim.api.errors import ApiError, BadRequest
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath, proxy_path
from kubesim.serve.rest import reading
from kubesim.store import Store

Object = dict[str, Any]
_PODS = kinds.by_resource("pods")


class ServiceUnavailable(ApiError):
    reason = "ServiceUnavailable"
    code = 503


def serve(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    from kubesim.sandbox.view import StateView, serve_pod

    found = proxy_path(request.path)
    path = found[1] if found else "/"
    query = "?" + _query(request) if request.query else ""
    kind = target.kind
    assert kind is not None
    scheme, name, port = _split(str(target.name))
    with reading(store) as server:
        if kind.kind == "Pod":
            pod = server.get(kind, target.namespace, name)
            number = _pod_port(pod, port)
        elif kind.kind == "Service":
            svc = server.get(kind, target.namespace, name)
            pod, number = _service_backend(server, svc, port)
        else:
            raise BadRequest(f"proxying to {kind.plural} is not simulated")
        ip = (pod.get("status") or {}).get("podIP") or ""
        if not ip:
            raise BadRequest('address not allowed: invalid IP address ""')
        answer = None
        if (pod.get("status") or {}).get("phase") == "Running":
            answer = serve_pod(StateView(server), pod, number, request.method, path + query)
    if answer is None:
        raise ServiceUnavailable(
            f"error trying to reach service: dial tcp {ip}:{number}: connect: connection refused"
        )
    body = answer.body.encode("utf-8", "surrogateescape")
    if answer.status == 0:  # something that speaks no HTTP listens there
        raise ServiceUnavailable(
            f"error trying to reach service: net/http: HTTP/1.x transport connection broken: "
            f'malformed HTTP response "{answer.body.splitlines()[0] if answer.body else ""}"'
        )
    reply.relay(answer.status, answer.reason, list(answer.headers), body)


def _query(request: Request) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, values in request.query.items() for v in values])


def _split(text: str) -> tuple[str, str, str]:
    """utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`."""
    parts = text.split(":")
    if len(parts) == 1:
        return "", parts[0], ""
    if len(parts) == 2:
        return "", parts[0], parts[1]
    if len(parts) == 3 and parts[0] in ("http", "https", ""):
        return parts[0], parts[1], parts[2]
    raise BadRequest(f"invalid request {text!r}")


def _pod_port(pod: Object, port: str) -> int:
    """The port asked for, else the first container port, else 80 (a host with no port)."""
    if not port:
        for container in pod["spec"].get("containers") or []:
            for declared in container.get("ports") or []:
                return int(declared["containerPort"])
        return 80
    try:
        return int(port)
    except ValueError:
        raise BadRequest(f'invalid port "{port}"') from None


def _service_backend(server: Any, svc: Object, port: str) -> tuple[Object, int]:
    """A ready pod behind the Service, and its target port for the service port asked for."""
    ports = svc["spec"].get("ports") or []
    chosen = next(
        (p for p in ports if not port or p.get("name") == port or str(p.get("port")) == port),
        None,
    )
    name = svc["metadata"]["name"]
    if chosen is None:
        raise ServiceUnavailable(f'no endpoints available for service "{name}"')
    selector = selectors.from_labels(svc["spec"].get("selector") or {})
    pods = [
        p
        for p in server.list(_PODS, svc["metadata"]["namespace"])
        if svc["spec"].get("selector")
        and selector.matches(p["metadata"].get("labels"))
        and _ready(p)
    ]
    if not pods:
        raise ServiceUnavailable(f'no endpoints available for service "{name}"')
    pod = pods[0]
    target = chosen.get("targetPort", chosen.get("port"))
    if isinstance(target, str):
        from kubesim.kubectl.portforward import container_port_by_name

        return pod, container_port_by_name(pod, target)
    return pod, int(target)


def _ready(pod: Object) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
