"""ConfigMaps and Secrets in the apiserver: a Secret's `stringData` merged into `data`, its type
defaulted and checked (pkg/apis/core/validation ValidateSecret), and the immutability of both
kinds once `immutable: true` is set (ValidateSecretUpdate, ValidateConfigMapUpdate)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from kubesim.api import names
from kubesim.api.errors import FieldError, forbidden, invalid, required

Object = dict[str, Any]
Errors = list[FieldError]

MAX_SECRET_SIZE = 1 << 20  # core.MaxSecretSize
IMMUTABLE = "field is immutable when `immutable` is set"

OPAQUE = "Opaque"
SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"
DOCKERCFG = "kubernetes.io/dockercfg"
DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson"
BASIC_AUTH = "kubernetes.io/basic-auth"
SSH_AUTH = "kubernetes.io/ssh-auth"
TLS = "kubernetes.io/tls"


def default_secret(secret: Object) -> None:
    """SetDefaults_Secret, then the v1 -> internal conversion: each `stringData` value is
    written into `data` (winning over a key already there) and `stringData` goes."""
    if not secret.get("type"):
        secret["type"] = OPAQUE
    string_data = secret.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = secret.get("data")
        data = dict(data) if isinstance(data, dict) else {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value or "").encode("utf-8")).decode("ascii")
        secret["data"] = data


def decoded(value: Any) -> bytes:
    """A `data` value's bytes (the decoder has refused any that is not base64)."""
    try:
        return base64.b64decode(str(value or ""), validate=False)
    except (binascii.Error, ValueError):
        return b""


def validate_secret(secret: Object) -> Errors:
    """ValidateSecret: keys that can be file names, at most 1 MiB of values, and the keys
    each type requires."""
    errors: Errors = []
    data: dict[str, Any] = secret["data"] if isinstance(secret.get("data"), dict) else {}
    total = 0
    for key in sorted(data):
        errors += [invalid(f"data[{key}]", key, m) for m in names.config_map_key_errors(key)]
        total += len(decoded(data[key]))
    if total > MAX_SECRET_SIZE:
        from kubesim.api.validation import too_long

        errors.append(too_long("data", MAX_SECRET_SIZE))
    kind = secret.get("type") or ""
    annotations = (secret.get("metadata") or {}).get("annotations") or {}
    if kind == SERVICE_ACCOUNT_TOKEN:
        if not annotations.get("kubernetes.io/service-account.name"):
            errors.append(required("metadata.annotations[kubernetes.io/service-account.name]"))
    elif kind in (DOCKERCFG, DOCKER_CONFIG_JSON):
        key = ".dockercfg" if kind == DOCKERCFG else ".dockerconfigjson"
        if key not in data:
            errors.append(required(f"data[{key}]"))
        else:
            from kubesim.api.gojson import unmarshal_object_error

            text = decoded(data[key]).decode("utf-8", "surrogateescape")
            problem = unmarshal_object_error(text)
            if problem is not None:
                errors.append(invalid(f"data[{key}]", "<secret contents redacted>", problem))
    elif kind == BASIC_AUTH:
        if "username" not in data and "password" not in data:
            errors += [required("data[username]"), required("data[password]")]
    elif kind == SSH_AUTH:
        if not decoded(data.get("ssh-privatekey")):
            errors.append(required("data[ssh-privatekey]"))
    elif kind == TLS:
        for key in ("tls.crt", "tls.key"):
            if key not in data:
                errors.append(required(f"data[{key}]"))
    return errors


def validate_secret_update(old: Object, new: Object) -> Errors:
    """ValidateSecretUpdate: the type never changes; an immutable Secret keeps its data."""
    errors: Errors = []
    if new.get("type") != old.get("type"):
        errors.append(invalid("type", new.get("type"), "field is immutable"))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errors.append(forbidden("immutable", IMMUTABLE))
        if (new.get("data") or {}) != (old.get("data") or {}):
            errors.append(forbidden("data", IMMUTABLE))
    return errors


def validate_config_map_update(old: Object, new: Object) -> Errors:
    """ValidateConfigMapUpdate: an immutable ConfigMap keeps its data and binaryData."""
    errors: Errors = []
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errors.append(forbidden("immutable", IMMUTABLE))
        if (new.get("data") or {}) != (old.get("data") or {}):
            errors.append(forbidden("data", IMMUTABLE))
        if (new.get("binaryData") or {}) != (old.get("binaryData") or {}):
            errors.append(forbidden("binaryData", IMMUTABLE))
    return errors
