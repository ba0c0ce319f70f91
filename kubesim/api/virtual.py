"""Objects a kind cluster has that kubesim derives instead of storing: each node's Lease in
kube-node-lease (its kubelet renews it every 10 seconds), and the empty ResourceQuota and
LimitRange lists of every namespace. `kubectl describe` reads them; kubesim's own describe
and its API server answer from here."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta

Object = dict[str, Any]
LEASE_NAMESPACE = "kube-node-lease"
LEASE_RENEW_SECONDS = 10  # the kubelet renews its node lease every leaseDuration/4 = 10s
LEASE_DURATION_SECONDS = 40
EMPTY_LISTS = {"resourcequotas": "ResourceQuotaList", "limitranges": "LimitRangeList"}


def renew_time(node: Object, now: float) -> float | None:
    """When the node's kubelet last renewed its lease: every 10 seconds since the node came."""
    created = (node.get("metadata") or {}).get("creationTimestamp")
    if not created:
        return None
    start = meta.parse_time(created)
    return start + max(0, int(now - start)) // LEASE_RENEW_SECONDS * LEASE_RENEW_SECONDS


def node_lease(node: Object, now: float) -> Object:
    """The coordination.k8s.io/v1 Lease the node's kubelet holds."""
    metadata = node.get("metadata") or {}
    name = str(metadata.get("name", ""))
    spec: Object = {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION_SECONDS}
    renewed = renew_time(node, now)
    if renewed is not None:
        spec["renewTime"] = meta.format_time(renewed).replace("Z", ".000000Z")
    return {
        "kind": "Lease",
        "apiVersion": "coordination.k8s.io/v1",
        "metadata": {
            "name": name,
            "namespace": LEASE_NAMESPACE,
            "creationTimestamp": metadata.get("creationTimestamp"),
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Node", "name": name, "uid": metadata.get("uid")}
            ],
            "resourceVersion": metadata.get("resourceVersion", ""),
            "uid": meta.new_uid(meta.rng_for(0, f"lease/{name}")),
        },
        "spec": spec,
    }
