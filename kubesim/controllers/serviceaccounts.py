"""Two small controllers every namespace meets: the serviceaccounts controller, which gives each
namespace its `default` ServiceAccount (pkg/controller/serviceaccount), and the
root-ca-cert-publisher, which puts the cluster's CA bundle in a `kube-root-ca.crt` ConfigMap
(pkg/controller/certificates/rootcacertpublisher). Pods mount both through the projected
`kube-api-access-*` volume the ServiceAccount admission plugin adds (api/server.py)."""

from __future__ import annotations

import base64
from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Create, Update
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]

DEFAULT_ACCOUNT = "default"
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
# rootcacertpublisher's DescriptionAnnotation
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Give the namespaces named by `keys` (every one when None) their account and CA bundle."""
    changes: list[Change] = []
    for name in sorted(keys) if keys is not None else all_keys(snapshot):
        ns = snapshot.get("namespaces", None, name)
        if ns is None or meta.is_terminating(ns):
            continue
        if snapshot.get("serviceaccounts", name, DEFAULT_ACCOUNT) is None:
            changes.append(Create(service_account(name)))
        published = snapshot.get("configmaps", name, ROOT_CA_CONFIGMAP)
        wanted = root_ca_configmap(name)
        if published is None:
            changes.append(Create(wanted))
        elif published.get("data") != wanted["data"] or published.get("binaryData"):
            # the publisher puts its bundle back over whatever a user wrote there
            restored = meta.clone(published)
            restored["data"] = wanted["data"]
            restored.pop("binaryData", None)
            changes.append(Update(restored))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return [ns["metadata"]["name"] for ns in snapshot.list("namespaces")]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A namespace; its default account or its CA bundle ConfigMap changed or gone."""
    if event.resource == "namespaces":
        return (event.name,)
    wanted = DEFAULT_ACCOUNT if event.resource == "serviceaccounts" else ROOT_CA_CONFIGMAP
    return (event.namespace,) if event.name == wanted and event.namespace else ()


CONTROLLER = queue.Controller(
    name="serviceaccount-controller",
    watches=("namespaces", "serviceaccounts", "configmaps"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def service_account(namespace: str, name: str = DEFAULT_ACCOUNT) -> Object:
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": namespace},
    }


def root_ca_configmap(namespace: str) -> Object:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "annotations": {"kubernetes.io/description": DESCRIPTION},
            "name": ROOT_CA_CONFIGMAP,
            "namespace": namespace,
        },
        "data": {"ca.crt": ca_bundle()},
    }


def ca_bundle() -> str:
    """The cluster's CA certificate as PEM: shaped like kind's (a DER SEQUENCE of 769 bytes),
    its bytes fixed, so every namespace (and every kubesim cluster) shows the same one."""
    rng = meta.rng_for(0, "cluster-ca")
    der = bytes([0x30, 0x82, 0x02, 0xFD]) + bytes(rng.getrandbits(8) for _ in range(765))
    text = base64.b64encode(der).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"
