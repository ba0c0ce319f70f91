"""Who the caller is and what RBAC lets them do, as a kind cluster's apiserver answers.

The user is kind's admin (kubeadm's admin.conf: CN=kubernetes-admin, O=kubeadm:cluster-admins,
bound to cluster-admin by the `kubeadm:cluster-admins` ClusterRoleBinding), or whoever `--as`
impersonates (the impersonation filter, staging/src/k8s.io/apiserver/pkg/endpoints/filters/
impersonation.go). The policy is the bootstrap policy's bindings that name users and groups
(plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go); kubesim serves no RBAC objects of
its own, so nothing else grants anything.
"""

from __future__ import annotations

from typing import Any

ADMIN_USER = "kubernetes-admin"
ADMIN_GROUP = "kubeadm:cluster-admins"
AUTHENTICATED = "system:authenticated"
UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"
CREDENTIAL_ID = "authentication.kubernetes.io/credential-id"  # user.CredentialIDKey

Rule = dict[str, list[str]]  # a PolicyRule: verbs, apiGroups, resources, resourceNames, ...

_CLUSTER_ADMIN: list[Rule] = [
    {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
    {"verbs": ["*"], "nonResourceURLs": ["*"]},
]
# ClusterRole -> its rules, for the roles bound to users and groups by default
ROLES: dict[str, list[Rule]] = {
    "cluster-admin": _CLUSTER_ADMIN,
    "system:basic-user": [
        {
            "verbs": ["create"],
            "apiGroups": ["authorization.k8s.io"],
            "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        },
        {
            "verbs": ["create"],
            "apiGroups": ["authentication.k8s.io"],
            "resources": ["selfsubjectreviews"],
        },
    ],
    "system:discovery": [
        {
            "verbs": ["get"],
            "nonResourceURLs": [
                "/livez",
                "/readyz",
                "/healthz",
                "/version",
                "/version/",
                "/openapi",
                "/openapi/*",
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
            ],
        }  # fmt: skip
    ],
    "system:public-info-viewer": [
        {
            "verbs": ["get"],
            "nonResourceURLs": ["/livez", "/readyz", "/healthz", "/version", "/version/"],
        }
    ],
}
# ClusterRoleBinding subjects -> ClusterRole (kind: Group or User)
BINDINGS: list[tuple[str, str, str]] = [
    ("Group", "system:masters", "cluster-admin"),
    ("Group", ADMIN_GROUP, "cluster-admin"),
    ("Group", AUTHENTICATED, "system:basic-user"),
    ("Group", UNAUTHENTICATED, "system:basic-user"),
    ("Group", AUTHENTICATED, "system:discovery"),
    ("Group", UNAUTHENTICATED, "system:discovery"),
    ("Group", AUTHENTICATED, "system:public-info-viewer"),
    ("Group", UNAUTHENTICATED, "system:public-info-viewer"),
]


def admin_user(credential_id: str) -> dict[str, Any]:
    """kind's admin as the x509 authenticator sees its client certificate."""
    return {
        "username": ADMIN_USER,
        "groups": [ADMIN_GROUP, AUTHENTICATED],
        "extra": {CREDENTIAL_ID: [credential_id]},
    }


def impersonated(name: str, groups: list[str], uid: str = "") -> dict[str, Any]:
    """The user an `--as NAME [--as-group G...] [--as-uid U]` request acts as."""
    groups = list(groups)
    if name.startswith("system:serviceaccount:") and not groups:
        namespace = name.split(":")[2] if name.count(":") >= 3 else ""
        groups = ["system:serviceaccounts", f"system:serviceaccounts:{namespace}"]
    if name != ANONYMOUS:
        if not any(g in (AUTHENTICATED, UNAUTHENTICATED) for g in groups):
            groups.append(AUTHENTICATED)
    elif UNAUTHENTICATED not in groups:
        groups.append(UNAUTHENTICATED)
    user: dict[str, Any] = {"username": name, "groups": groups}
    if uid:
        user["uid"] = uid
    return user


def rules_for(user: dict[str, Any]) -> list[Rule]:
    """Every rule of every role bound to the user or one of its groups, binding by binding."""
    groups = set(user.get("groups") or [])
    rules: list[Rule] = []
    for kind, subject, role in BINDINGS:
        if (kind == "Group" and subject in groups) or (
            kind == "User" and subject == user.get("username")
        ):
            rules += ROLES[role]
    return rules


def allows(
    user: dict[str, Any],
    verb: str,
    *,
    group: str = "",
    resource: str = "",
    subresource: str = "",
    name: str = "",
    path: str = "",
) -> bool:
    """The RBAC authorizer's answer (rbac.go RuleAllows) to a resource or non-resource request."""
    for rule in rules_for(user):
        if not _has(rule.get("verbs"), verb):
            continue
        if path:
            if any(_url_matches(u, path) for u in rule.get("nonResourceURLs") or []):
                return True
            continue
        if not rule.get("resources") or not _has(rule.get("apiGroups"), group):
            continue
        combined = f"{resource}/{subresource}" if subresource else resource
        if not any(_resource_matches(r, combined, subresource) for r in rule["resources"]):
            continue
        names = rule.get("resourceNames") or []
        if not names or name in names:
            return True
    return False


def _has(values: list[str] | None, wanted: str) -> bool:
    return "*" in (values or []) or wanted in (values or [])


def _resource_matches(rule: str, combined: str, subresource: str) -> bool:
    if rule in ("*", combined):
        return True
    return bool(subresource) and rule == f"*/{subresource}"


def _url_matches(rule: str, path: str) -> bool:
    if rule in ("*", path):
        return True
    return rule.endswith("*") and path.startswith(rule[:-1])


def admin_credentials(seed: int) -> tuple[str, str]:
    """The kubernetes-admin client certificate and key as PEM, shaped like kubeadm's (random
    bytes that are the same for one cluster)."""
    from kubesim.api import meta

    rng = meta.rng_for(seed, "kubernetes-admin")
    cert = bytes([0x30, 0x82, 0x03, 0x3A]) + bytes(rng.getrandbits(8) for _ in range(826))
    key = bytes([0x30, 0x82, 0x04, 0xA4]) + bytes(rng.getrandbits(8) for _ in range(1188))
    return _pem("CERTIFICATE", cert), _pem("RSA PRIVATE KEY", key)


def _pem(label: str, der: bytes) -> str:
    import base64

    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


def credential_id(seed: int) -> str:
    """X509SHA256=<hex>: the SHA-256 of the admin's client certificate (x509.go)."""
    import base64
    import hashlib

    cert, _ = admin_credentials(seed)
    der = base64.b64decode("".join(cert.strip().splitlines()[1:-1]))
    return "X509SHA256=" + hashlib.sha256(der).hexdigest()
