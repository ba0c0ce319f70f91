"""What a projected volume shows inside a container: the ServiceAccount admission plugin's
`kube-api-access-*` volume gives every container /var/run/secrets/kubernetes.io/serviceaccount
with `token` (a bound service account token), `ca.crt` (from the kube-root-ca.crt ConfigMap)
and `namespace`. The kubelet writes these; the container may read them, not change them."""

from __future__ import annotations

import base64
import json
from typing import Any, Protocol

Object = dict[str, Any]
ISSUER = "https://kubernetes.default.svc.cluster.local"
EXTENDED_SECONDS = 365 * 24 * 3600


class View(Protocol):
    now: float

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None: ...


def projected_mounts(view: View, pod: Object, spec: Object) -> dict[str, dict[str, str]]:
    """mount path -> files by absolute path, for the container's projected volumes."""
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    found: dict[str, dict[str, str]] = {}
    for mount in spec.get("volumeMounts") or []:
        projected = (volumes.get(mount.get("name")) or {}).get("projected")
        if not isinstance(projected, dict):
            continue
        point = str(mount.get("mountPath", "")).rstrip("/") or "/"
        files = {}
        for source in projected.get("sources") or []:
            for rel, content in _source_files(view, pod, source).items():
                files[f"{point}/{rel}"] = content
        found[point] = files
    return found


def _source_files(view: View, pod: Object, source: Object) -> dict[str, str]:
    namespace = pod["metadata"]["namespace"]
    if "serviceAccountToken" in source:
        token = source["serviceAccountToken"] or {}
        return {str(token.get("path", "token")): _token(view, pod, token)}
    if "configMap" in source:
        ref = source["configMap"] or {}
        data = (
            (view.get("configmaps", namespace, str(ref.get("name", ""))) or {}).get("data")
        ) or {}
        items = ref.get("items")
        if items is None:
            return dict(data)
        return {str(i.get("path")): data[i.get("key")] for i in items if i.get("key") in data}
    if "downwardAPI" in source:
        files = {}
        for item in (source["downwardAPI"] or {}).get("items") or []:
            field = (item.get("fieldRef") or {}).get("fieldPath", "")
            value: Any = pod
            for part in str(field).split("."):
                value = value.get(part) if isinstance(value, dict) else None
            files[str(item.get("path"))] = "" if value is None else str(value)
        return files
    return {}


def _token(view: View, pod: Object, token: Object) -> str:
    """A JWT shaped like the kubelet's bound token: RS256 header, the claims the TokenRequest API
    puts in, and a signature (random bytes here: nothing checks it)."""
    from kubesim.api import meta

    m = pod["metadata"]
    namespace, account = m["namespace"], pod["spec"].get("serviceAccountName") or "default"
    sa = view.get("serviceaccounts", namespace, account) or {"metadata": {}}
    issued = int(view.now)
    asked = int(token.get("expirationSeconds", 3607))
    # the apiserver extends a kube-api-access token to a year (--service-account-extend-token-
    # expiration, on by default) and tells clients to refresh after the time asked for
    expires = issued + (EXTENDED_SECONDS if asked == 3607 else asked)
    rng = meta.rng_for(0, "token", m.get("uid", ""))
    claims = {
        "aud": [ISSUER],
        "exp": expires,
        "iat": issued,
        "iss": ISSUER,
        "jti": meta.new_uid(rng),
        "kubernetes.io": {
            "namespace": namespace,
            "node": {"name": pod["spec"].get("nodeName", ""), "uid": meta.new_uid(rng)},
            "pod": {"name": m["name"], "uid": m.get("uid", "")},
            "serviceaccount": {"name": account, "uid": sa["metadata"].get("uid", "")},
            "warnafter": issued + asked,
        },
        "nbf": issued,
        "sub": f"system:serviceaccount:{namespace}:{account}",
    }
    header = {"alg": "RS256", "kid": _b64(bytes(rng.getrandbits(8) for _ in range(32)))}
    signature = _b64(bytes(rng.getrandbits(8) for _ in range(256)))
    return f"{_b64(_compact(header))}.{_b64(_compact(claims))}.{signature}"


def _compact(value: Object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")
