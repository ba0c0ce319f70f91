"""Discovery: what the cluster serves, in the two forms clients ask for.

kubectl v1.32 asks /api and /apis for aggregated discovery (apidiscovery.k8s.io/v2) and reads
the answer as such only when the response's Content-Type says so; otherwise it reads
APIVersions and APIGroupList and then each group-version's APIResourceList, which the Python
client's dynamic client always does. Both come from kubesim's kinds table, in its order, so
`kubectl api-resources` lists what `kubesim api-resources` lists.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import kinds
from kubesim.api.kinds import Kind
from kubesim.serve.paths import SUBRESOURCES, group_versions

Object = dict[str, Any]
AGGREGATED = "application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList"
_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
_SPECIAL_VERBS = {
    "componentstatuses": ["get", "list"],
    "namespaces": ["create", "delete", "get", "list", "patch", "update", "watch"],
}
# subresource -> (its verbs, the kind its requests and answers are, as group/version/kind)
_SUBRESOURCE_VERBS: dict[str, tuple[list[str], tuple[str, str, str] | None]] = {
    "attach": (["create", "get"], ("", "v1", "PodAttachOptions")),
    "binding": (["create"], ("", "v1", "Binding")),
    "eviction": (["create"], ("policy", "v1", "Eviction")),
    "exec": (["create", "get"], ("", "v1", "PodExecOptions")),
    "log": (["get"], ("", "v1", "Pod")),
    "portforward": (["create", "get"], ("", "v1", "PodPortForwardOptions")),
    "proxy": (["create", "delete", "get", "patch", "update"], None),
    "status": (["get", "patch", "update"], None),
    "scale": (["get", "patch", "update"], ("autoscaling", "v1", "Scale")),
    "finalize": (["update"], None),
}


def wants_aggregated(accept: str) -> str | None:
    """The apidiscovery version the Accept header asks for first, if any (v2, v2beta1)."""
    for media in accept.split(","):
        params = dict(p.strip().partition("=")[::2] for p in media.split(";")[1:] if "=" in p)
        if params.get("g") == "apidiscovery.k8s.io" and params.get("as") == (
            "APIGroupDiscoveryList"
        ):
            if params.get("v") in ("v2", "v2beta1"):
                return params["v"]
    return None


def _verbs(kind: Kind) -> list[str]:
    return list(_SPECIAL_VERBS.get(kind.plural, _VERBS))


def _kinds_of(group: str, version: str) -> list[Kind]:
    chosen = [k for k in kinds.KINDS if k.group == group and k.version == version]
    return sorted(chosen, key=lambda k: k.plural)


def _aggregated_resource(kind: Kind) -> Object:
    resource: Object = {
        "resource": kind.plural,
        "responseKind": {"group": kind.group, "version": kind.version, "kind": kind.kind},
        "scope": "Namespaced" if kind.namespaced else "Cluster",
        "singularResource": kind.singular,
        "verbs": _verbs(kind),
    }
    if kind.short_names:
        resource["shortNames"] = list(kind.short_names)
    if kind.categories:
        resource["categories"] = list(kind.categories)
    subresources = []
    for name in SUBRESOURCES.get(kind.kind, ()):
        verbs, response = _SUBRESOURCE_VERBS[name]
        group, version, kind_name = response or (kind.group, kind.version, kind.kind)
        subresources.append(
            {
                "subresource": name,
                "responseKind": {"group": group, "version": version, "kind": kind_name},
                "verbs": verbs,
            }
        )
    if subresources:
        resource["subresources"] = subresources
    return resource


def aggregated(core: bool, version: str = "v2") -> Object:
    """APIGroupDiscoveryList of /api (core) or /apis (the named groups)."""
    items = []
    for group, group_version in group_versions():
        if (group == "") != core:
            continue
        items.append(
            {
                "metadata": {"name": group, "creationTimestamp": None},
                "versions": [
                    {
                        "version": group_version,
                        "resources": [
                            _aggregated_resource(k) for k in _kinds_of(group, group_version)
                        ],
                        "freshness": "Current",
                    }
                ],
            }
        )
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version}",
        "metadata": {},
        "items": items,
    }


def api_versions() -> Object:
    """/api, legacy: the core group's versions."""
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [
            {"clientCIDR": "0.0.0.0/0", "serverAddress": "172.18.0.2:6443"}
        ],
    }


def api_groups() -> Object:
    """/apis, legacy: every named group with its versions."""
    groups = []
    for group, version in group_versions():
        if not group:
            continue
        entry = {"groupVersion": f"{group}/{version}", "version": version}
        groups.append({"name": group, "versions": [entry], "preferredVersion": entry})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> Object | None:
    """/apis/<group>: one APIGroup."""
    for name, version in group_versions():
        if name == group and group:
            entry = {"groupVersion": f"{group}/{version}", "version": version}
            return {
                "kind": "APIGroup",
                "apiVersion": "v1",
                "name": group,
                "versions": [entry],
                "preferredVersion": entry,
            }
    return None


def resource_list(group: str, version: str) -> Object | None:
    """/api/v1 or /apis/<group>/<version>: APIResourceList, subresources as `pods/log`."""
    chosen = _kinds_of(group, version)
    if not chosen:
        return None
    resources: list[Object] = []
    for kind in chosen:
        entry: Object = {
            "name": kind.plural,
            "singularName": kind.singular,
            "namespaced": kind.namespaced,
            "kind": kind.kind,
            "verbs": _verbs(kind),
        }
        if kind.short_names:
            entry["shortNames"] = list(kind.short_names)
        if kind.categories:
            entry["categories"] = list(kind.categories)
        resources.append(entry)
        for name in SUBRESOURCES.get(kind.kind, ()):
            verbs, response = _SUBRESOURCE_VERBS[name]
            sub: Object = {
                "name": f"{kind.plural}/{name}",
                "singularName": "",
                "namespaced": kind.namespaced,
                "kind": (response or (kind.group, kind.version, kind.kind))[2],
                "verbs": verbs,
            }
            if response and response[0] != kind.group:
                sub["group"], sub["version"] = response[0], response[1]
            resources.append(sub)
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": f"{group}/{version}" if group else version,
        "resources": resources,
    }
