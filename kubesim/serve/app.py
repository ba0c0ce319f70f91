"""The API server's routes: what each path and method is answered with, and every failure
turned into a metav1.Status (the one place errors become HTTP answers)."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable

from kubesim.api.errors import KubesimError, RequestEntityTooLarge, UsageError
from kubesim.serve import discovery, paths, rest, status
from kubesim.serve.http import MAX_BODY, BodyTooLarge, Reply, Request
from kubesim.store import Store

App = Callable[[Request, Reply], None]


def make_app(store: Store, *, verbose: bool = False) -> App:
    """The handler of every request to the API, over the cluster in `store`."""

    def app(request: Request, reply: Reply) -> None:
        try:
            route(request, reply, store)
        except BodyTooLarge:
            _fail(reply, RequestEntityTooLarge(MAX_BODY))
        except UsageError as err:  # a parameter the server cannot read
            from kubesim.api.errors import BadRequest

            _fail(reply, BadRequest(err.message))
        except KubesimError as err:
            _fail(reply, err)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            raise
        except Exception as err:  # noqa: BLE001 - a bug must not take the server down
            if verbose:
                traceback.print_exc(file=sys.stderr)
            if not reply.sent:
                message = f"Internal error occurred: {type(err).__name__}: {err}"
                reply.json(500, status.failure(message, "InternalError", 500))

    return app


def _fail(reply: Reply, err: KubesimError) -> None:
    if reply.sent:
        return  # a stream that already began ends here
    answer = status.of(err)
    reply.json(int(answer["code"]), answer)


def route(request: Request, reply: Reply, store: Store) -> None:
    path = request.path.rstrip("/") or "/"
    method = request.method
    if path in ("/version",) and method == "GET":
        from kubesim.api.version import build_info

        reply.json(200, build_info())
        return
    if path in ("/healthz", "/livez", "/readyz") and method == "GET":
        reply.text(200, "ok")
        return
    if path.startswith("/openapi/"):
        _openapi(request, reply, path)
        return
    if path in ("/api", "/apis") and method == "GET":
        wanted = discovery.wants_aggregated(request.header("Accept"))
        if wanted:
            body = discovery.aggregated(path == "/api", wanted)
            import json

            data = json.dumps(body, separators=(",", ":")).encode() + b"\n"
            reply.send(200, data, discovery.AGGREGATED.format(version=wanted))
        else:
            reply.json(200, discovery.api_versions() if path == "/api" else discovery.api_groups())
        return
    parts = [p for p in path.split("/") if p]
    if method == "GET" and parts[:1] == ["apis"] and len(parts) == 2:
        group = discovery.api_group(parts[1])
        if group is not None:
            reply.json(200, group)
            return
    if method == "GET" and (parts == ["api", "v1"] or (parts[:1] == ["apis"] and len(parts) == 3)):
        found = discovery.resource_list(*(("", "v1") if parts[0] == "api" else parts[1:3]))
        if found is not None:
            reply.json(200, found)
            return
    target = paths.parse(path)
    if target is None:
        from kubesim.serve import virtual

        if virtual.answer(request, reply, store, parts):
            return
        reply.json(404, status.not_found())
        return
    if target.review is not None:
        from kubesim.serve import reviews

        reviews.answer(request, reply, store, target)
        return
    _resource(request, reply, store, target)


def _openapi(request: Request, reply: Reply, path: str) -> None:
    from kubesim.serve import openapi

    if request.method != "GET":
        raise rest.not_allowed()
    if path == "/openapi/v3":
        import json

        reply.send(200, json.dumps(openapi.index()).encode())
        return
    try:
        body, digest = openapi.document(path.removeprefix("/openapi/v3/"))
    except KeyError:
        reply.json(404, status.not_found())
        return
    reply.send(200, body, Etag=f'"{digest}"', Cache_Control="public, immutable")


def _resource(request: Request, reply: Reply, store: Store, target: paths.ApiPath) -> None:
    method = request.method
    sub = target.subresource
    if sub in ("exec", "attach", "portforward", "log"):
        from kubesim.serve import streams

        streams.serve(request, reply, store, target)
        return
    if sub == "proxy":
        from kubesim.serve import proxy

        proxy.serve(request, reply, store, target)
        return
    if sub == "scale":
        from kubesim.serve import scale

        scale.serve(request, reply, store, target)
        return
    if sub in ("binding", "eviction", "finalize"):
        from kubesim.serve import subresources

        subresources.serve(request, reply, store, target)
        return
    if target.name is None:
        if method == "GET" and request.flag("watch"):
            from kubesim.serve import watch

            watch.watch(request, reply, store, target)
        elif method == "GET":
            rest.list_(request, reply, store, target)
        elif method == "POST":
            rest.create(request, reply, store, target)
        elif method == "DELETE":
            rest.delete_collection(request, reply, store, target)
        else:
            raise rest.not_allowed()
        return
    if method == "GET":
        rest.get(request, reply, store, target)
    elif method == "PUT":
        rest.update(request, reply, store, target)
    elif method == "PATCH":
        rest.patch(request, reply, store, target)
    elif method == "DELETE" and sub is None:
        rest.delete(request, reply, store, target)
    else:
        raise rest.not_allowed()
