"""A kubeconfig as client-go's clientcmd reads, changes and prints it (k8s.io/client-go/tools/
clientcmd/api): plain dicts in the file's own (v1) shape, with named lists of clusters, users and
contexts.

kind writes one context per cluster, named `kind-<cluster>`, with a cluster and a user of the
same name (kind/pkg/cluster/internal/kubeconfig); kubesim's cluster is called `kubesim`.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from kubesim.api.errors import UsageError

Config = dict[str, Any]

KIND_NAME = "kind-kubesim"
DATA_OMITTED = "DATA+OMITTED"  # clientcmdapi.ShortenConfig
REDACTED = "REDACTED"  # clientcmdapi.RedactSecrets
_LISTS = ("clusters", "users", "contexts")
_ITEM = {"clusters": "cluster", "users": "user", "contexts": "context"}


def kind_config(server: str, ca_pem: str, cert_pem: str, key_pem: str) -> Config:
    """The kubeconfig `kind create cluster --name kubesim` writes."""
    return {
        "apiVersion": "v1",
        "clusters": [
            {
                "cluster": {"certificate-authority-data": _b64(ca_pem), "server": server},
                "name": KIND_NAME,
            }
        ],
        "contexts": [{"context": {"cluster": KIND_NAME, "user": KIND_NAME}, "name": KIND_NAME}],
        "current-context": KIND_NAME,
        "kind": "Config",
        "preferences": {},
        "users": [
            {
                "name": KIND_NAME,
                "user": {
                    "client-certificate-data": _b64(cert_pem),
                    "client-key-data": _b64(key_pem),
                },
            }
        ],
    }


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def empty() -> Config:
    """What clientcmd loads when there is no file at all."""
    return {"apiVersion": "v1", "kind": "Config", "preferences": {}, "current-context": ""}


def normalized(config: Any) -> Config:
    """A loaded file with the shape the functions here expect (missing lists are empty); a
    named entry given twice keeps its first value, as clientcmd's conversion does."""
    if not isinstance(config, dict):
        config = {}
    result = {**empty(), **config}
    for section in _LISTS:
        entries: list[Any] = []
        seen: set[str] = set()
        for entry in config.get(section) or []:
            if not isinstance(entry, dict) or str(entry.get("name", "")) in seen:
                continue
            seen.add(str(entry.get("name", "")))
            entries.append({"name": str(entry.get("name", "")), _ITEM[section]: dict(
                entry.get(_ITEM[section]) or {})})  # fmt: skip
        result[section] = entries
    result["current-context"] = str(config.get("current-context") or "")
    return result


def entry(config: Config, section: str, name: str) -> dict[str, Any] | None:
    """The cluster, user or context called `name`, or None."""
    for item in config.get(section) or []:
        if item["name"] == name:
            return dict(item[_ITEM[section]])
    return None


def names(config: Config, section: str) -> list[str]:
    return sorted(item["name"] for item in config.get(section) or [])


def with_entry(config: Config, section: str, name: str, value: dict[str, Any]) -> Config:
    """The config with `name` in `section` set to value (added if it is new)."""
    result = copy.deepcopy(config)
    items = [i for i in result.get(section) or [] if i["name"] != name]
    items.append({"name": name, _ITEM[section]: value})
    result[section] = sorted(items, key=lambda i: str(i["name"]))
    return result


def context_namespace(config: Config, context: str = "") -> str:
    """The namespace commands use by default: the context's, else "default"
    (DirectClientConfig.Namespace)."""
    found = entry(config, "contexts", context or config.get("current-context", ""))
    return str((found or {}).get("namespace") or "default")


def minify(config: Config, context: str = "") -> Config:
    """clientcmdapi.MinifyConfig: only the current context, its cluster and its user."""
    current = context or config.get("current-context", "")
    if not current:
        raise UsageError("current-context must exist in order to minify")
    ctx = entry(config, "contexts", current)
    if ctx is None:
        raise UsageError(f"cannot locate context {current}")
    result = copy.deepcopy(config)
    result["current-context"] = current
    result["contexts"] = [{"name": current, "context": ctx}]
    for section, key, what in (("clusters", "cluster", "cluster"), ("users", "user", "user")):
        name = str(ctx.get(key) or "")
        found = entry(config, section, name) if name else None
        if name and found is None:
            raise UsageError(f"cannot locate {what} {name}")
        result[section] = [{"name": name, _ITEM[section]: found}] if found is not None else []
    return result


def shorten(config: Config) -> Config:
    """RedactSecrets then ShortenConfig: what `config view` shows without --raw."""
    result = copy.deepcopy(config)
    for item in result.get("users") or []:
        user = item["user"]
        for key in ("client-certificate-data", "client-key-data"):
            if user.get(key):
                user[key] = DATA_OMITTED
        for key in ("token", "password"):
            if user.get(key):
                user[key] = REDACTED
    for item in result.get("clusters") or []:
        if item["cluster"].get("certificate-authority-data"):
            item["cluster"]["certificate-authority-data"] = DATA_OMITTED
    return result


# the JSON field order of clientcmd/api/v1's structs, which -o json keeps
_CLUSTER_ORDER = ("server", "tls-server-name", "insecure-skip-tls-verify",
                  "certificate-authority", "certificate-authority-data", "proxy-url",
                  "disable-compression", "extensions")  # fmt: skip
_USER_ORDER = ("client-certificate", "client-certificate-data", "client-key", "client-key-data",
               "token", "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username",
               "password", "auth-provider", "exec", "extensions")  # fmt: skip
_CONTEXT_ORDER = ("cluster", "user", "namespace", "extensions")
_ALWAYS = {"context": ("cluster", "user")}  # fields without omitempty


def printable(config: Config) -> dict[str, Any]:
    """The config as kubectl prints it (latest.Scheme's v1 Config): struct field order, empty
    lists as null, a context's cluster and user always present."""
    orders = {"clusters": _CLUSTER_ORDER, "users": _USER_ORDER, "contexts": _CONTEXT_ORDER}
    result: dict[str, Any] = {
        "kind": "Config",
        "apiVersion": "v1",
        "preferences": config.get("preferences") or {},
    }
    for section in _LISTS:
        item_key = _ITEM[section]
        entries = []
        for item in sorted(config.get(section) or [], key=lambda i: str(i["name"])):
            value = item[item_key] or {}
            always = _ALWAYS.get(item_key, ())
            ordered = {
                k: value.get(k, "")
                for k in orders[section]
                if k in always or value.get(k) not in (None, "", [], {}, False)
            }
            ordered.update({k: v for k, v in value.items() if k not in orders[section]})
            entries.append({"name": item["name"], item_key: ordered})
        result[section] = entries or None
    result["current-context"] = config.get("current-context", "")
    if config.get("extensions"):
        result["extensions"] = config["extensions"]
    return result


def context_lines(
    config: Config, wanted: list[str], *, name_only: bool, headers: bool
) -> tuple[list[list[str]], list[str]]:
    """`config get-contexts`: the table's cells and the names that were not found."""
    known = names(config, "contexts")
    missing = [n for n in wanted if n not in known]
    shown = sorted(n for n in wanted if n in known) if wanted else known
    lines: list[list[str]] = []
    if headers:
        lines.append(["CURRENT"] if name_only else ["CURRENT", "NAME", "CLUSTER", "AUTHINFO",
                                                     "NAMESPACE"])  # fmt: skip
    for name in shown:
        if name_only:
            lines.append([name])
            continue
        ctx = entry(config, "contexts", name) or {}
        current = "*" if config.get("current-context") == name else " "
        lines.append([current, name, str(ctx.get("cluster", "")), str(ctx.get("user", "")),
                      str(ctx.get("namespace", ""))])  # fmt: skip
    return lines, missing


def served_config(server: str, namespace: str = "") -> Config:
    """The kubeconfig of `kubesim serve`: kind's context, cluster and user names, the address
    the API is served on (plain HTTP on loopback: no certificate, no credentials)."""
    context: dict[str, Any] = {"cluster": KIND_NAME, "user": KIND_NAME}
    if namespace:
        context["namespace"] = namespace
    return {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"server": server}, "name": KIND_NAME}],
        "contexts": [{"context": context, "name": KIND_NAME}],
        "current-context": KIND_NAME,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": KIND_NAME, "user": {}}],
    }


def merged(existing: Config, added: Config) -> Config:
    """`existing` with the cluster, user and context of `added` set (replacing entries of the
    same names, leaving every other one alone) and its context made current, as kind does."""
    result = normalized(existing)
    source = normalized(added)
    for section in _LISTS:
        for item in source.get(section) or []:
            result = with_entry(result, section, item["name"], item[_ITEM[section]])
    result["current-context"] = source.get("current-context", "")
    return result
