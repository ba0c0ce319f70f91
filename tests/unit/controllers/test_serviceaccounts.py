"""The serviceaccounts controller and the root CA publisher: each active namespace gets its
`default` ServiceAccount and its kube-root-ca.crt ConfigMap, once."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import serviceaccounts
from kubesim.controllers.changes import Create, Update
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState

NOW = 1_000_000.0


def snapshot_with(namespaces: dict[str, bool], objects: list[dict[str, Any]]) -> Snapshot:
    """`namespaces`: name -> terminating."""
    state = ClusterState()
    for name, terminating in namespaces.items():
        meta: dict[str, Any] = {"name": name}
        if terminating:
            meta["deletionTimestamp"] = "2026-01-01T00:00:00Z"
        state.load("namespaces", {"metadata": meta})
    for obj in objects:
        resource = {"ServiceAccount": "serviceaccounts", "ConfigMap": "configmaps"}[obj["kind"]]
        state.load(resource, obj)
    return Snapshot(state, NOW, seed=7)


def test_a_bare_namespace_gets_both() -> None:
    changes = serviceaccounts.reconcile(snapshot_with({"dev": False}, []), NOW)
    assert changes == [
        Create(serviceaccounts.service_account("dev")),
        Create(serviceaccounts.root_ca_configmap("dev")),
    ]


def test_what_exists_is_left_alone_and_a_terminating_namespace_gets_nothing() -> None:
    existing = [
        serviceaccounts.service_account("dev"),
        serviceaccounts.root_ca_configmap("dev"),
    ]
    snapshot = snapshot_with({"dev": False, "old": True}, existing)
    assert serviceaccounts.reconcile(snapshot, NOW) == []


def test_the_ca_bundle_is_one_pem_certificate() -> None:
    pem = serviceaccounts.ca_bundle()
    lines = pem.splitlines()
    assert lines[0] == "-----BEGIN CERTIFICATE-----" and lines[-1] == "-----END CERTIFICATE-----"
    assert all(len(line) == 64 for line in lines[1:-2]) and lines[1].startswith("MIIC")
    assert serviceaccounts.ca_bundle() == pem


def test_a_changed_bundle_is_put_back() -> None:
    tampered = serviceaccounts.root_ca_configmap("dev")
    tampered["data"] = {"ca.crt": "x"}
    snapshot = snapshot_with({"dev": False}, [serviceaccounts.service_account("dev"), tampered])
    [change] = serviceaccounts.reconcile(snapshot, NOW)
    assert change == Update({**tampered, "data": {"ca.crt": serviceaccounts.ca_bundle()}})
