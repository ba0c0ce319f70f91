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
    """mount path -> files by absolute path, for the container's projected volumes with a
    service account token (the others are config volumes: see config_mounts)."""
    from kubesim.controllers.kubelet_config import is_config_volume

    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    found: dict[str, dict[str, str]] = {}
    for mount in spec.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        projected = volume.get("projected")
        if not isinstance(projected, dict) or is_config_volume(volume):
            continue
        point = str(mount.get("mountPath", "")).rstrip("/") or "/"
        files = {}
        for source in projected.get("sources") or []:
            for rel, content in _source_files(view, pod, source).items():
                files[f"{point}/{rel}"] = content
        found[point] = files
    return found


def config_mounts(view: Any, pod: Object, spec: Object) -> dict[str, dict[str, str]]:
    """mount path -> files by absolute path, for the container's configMap, secret,
    downwardAPI and projected volumes: the files the kubelet wrote (kubelet_config), or for a
    subPath the file as the container started with it; read now for a pod the kubelet has
    not set up. A subPath naming a file mounts that file alone, at the mount path."""
    from kubesim.controllers import kubelet_config
    from kubesim.sandbox.fs import MODE_KEY

    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    records = view.runtime(kubelet_config.VOLUMES_SECTION)
    uid = pod["metadata"].get("uid", "")
    found: dict[str, dict[str, str]] = {}
    for mount in spec.get("volumeMounts") or []:
        volume = volumes.get(mount.get("name")) or {}
        if not kubelet_config.is_config_volume(volume):
            continue
        sub_path = str(mount.get("subPath") or "").strip("/")
        record = None
        if sub_path:
            record = records.get(f"{uid}/{volume['name']}#{spec['name']}")
            current = kubelet_config.container_id(pod, spec["name"])
            if record is not None and record.get("containerID") != current:
                record = None  # captured by an earlier run of the container
        record = record or records.get(f"{uid}/{volume['name']}")
        if record is None:
            try:
                record = kubelet_config.volume_payload(view.get, pod, volume)
            except kubelet_config.MountError:
                record = {"files": {}, "modes": {}}
        point = str(mount.get("mountPath", "")).rstrip("/") or "/"
        files: dict[str, str] = record.get("files") or {}
        modes: dict[str, int] = record.get("modes") or {}
        if sub_path and sub_path in files:
            found[point] = {point: files[sub_path]}
            if modes.get(sub_path, kubelet_config.DEFAULT_MODE) != 0o644:
                found[point][point + MODE_KEY] = f"{modes[sub_path]:04o}"
            continue
        prefix = f"{sub_path}/" if sub_path else ""
        mounted: dict[str, str] = {}
        for rel, content in files.items():
            if not rel.startswith(prefix):
                continue
            path = f"{point}/{rel[len(prefix) :]}"
            mounted[path] = content
            mode = modes.get(rel, kubelet_config.DEFAULT_MODE)
            if mode != 0o644:
                mounted[path + MODE_KEY] = f"{mode:04o}"
        found[point] = mounted
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
