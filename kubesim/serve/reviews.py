"""The reviews clients ask about themselves (authorization.k8s.io and authentication.k8s.io
v1): SelfSubjectAccessReview (`kubectl auth can-i`, k9s before it lists anything),
SelfSubjectRulesReview (`can-i --list`) and SelfSubjectReview (`auth whoami`). The caller is
kind's admin, or whoever the Impersonate-* headers (kubectl's --as) name."""

from __future__ import annotations

from typing import Any

from kubesim.api import authorization
from kubesim.api.errors import BadRequest
from kubesim.serve.http import Reply, Request
from kubesim.serve.paths import ApiPath
from kubesim.serve.rest import not_allowed, read_object_of, reading
from kubesim.store import Store

Object = dict[str, Any]
ADMIN_REASON = (
    'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole '
    '"cluster-admin" to Group "kubeadm:cluster-admins"'
)


def caller(request: Request, store: Store) -> Object:
    """The user a request acts as."""
    name = request.header("Impersonate-User")
    if name:
        groups = [g for g in request.headers.get_all("Impersonate-Group") or [] if g]
        return authorization.impersonated(name, groups, request.header("Impersonate-Uid"))
    with reading(store) as server:
        seed = int(server.state.peek_section("cluster").get("seed", 0))
    return authorization.admin_user(authorization.credential_id(seed))


def answer(request: Request, reply: Reply, store: Store, target: ApiPath) -> None:
    if request.method != "POST":
        raise not_allowed()
    body = read_object_of(request, f"{target.group}/{target.version}", str(target.review))
    if not isinstance(body, dict):
        raise BadRequest("the body of the request could not be decoded")
    user = caller(request, store)
    spec: Object = body["spec"] if isinstance(body.get("spec"), dict) else {}
    result: Object = {
        "kind": target.review,
        "apiVersion": f"{target.group}/{target.version}",
        "metadata": {"creationTimestamp": None},
    }
    if target.review == "SelfSubjectReview":
        info: Object = {"username": user["username"], "groups": user["groups"]}
        if user.get("uid"):
            info["uid"] = user["uid"]
        if user.get("extra"):
            info["extra"] = user["extra"]
        result["status"] = {"userInfo": info}
    elif target.review == "SelfSubjectAccessReview":
        result["spec"] = spec
        result["status"] = _access(user, spec)
    else:
        result["spec"] = spec
        result["status"] = _rules(user)
    reply.json(201, result)


def _access(user: Object, spec: Object) -> Object:
    resource = spec.get("resourceAttributes") or {}
    other = spec.get("nonResourceAttributes") or {}
    if resource:
        allowed = authorization.allows(
            user,
            str(resource.get("verb") or ""),
            group=str(resource.get("group") or ""),
            resource=str(resource.get("resource") or ""),
            subresource=str(resource.get("subresource") or ""),
            name=str(resource.get("name") or ""),
        )
    else:
        allowed = authorization.allows(
            user, str(other.get("verb") or ""), path=str(other.get("path") or "")
        )
    found: Object = {"allowed": allowed}
    if allowed and authorization.ADMIN_GROUP in user["groups"]:
        found["reason"] = ADMIN_REASON
    return found


def _rules(user: Object) -> Object:
    rules = authorization.rules_for(user)
    resource_rules = [r for r in rules if r.get("resources")]
    other_rules = [r for r in rules if r.get("nonResourceURLs")]
    return {
        "resourceRules": resource_rules,
        "nonResourceRules": other_rules,
        "incomplete": False,
    }
