"""The apiserver's own Service: `default/kubernetes` at 10.96.0.1 and its Endpoints, kept in
place as the control plane's kubernetes-service controller does (delete them and they return)."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Create
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
APISERVER_IP = "172.18.0.2"  # the control-plane node, where kind runs the apiserver
SERVICE_IP = "10.96.0.1"  # the first address of the service range


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    changes: list[Change] = []
    if snapshot.get("namespaces", None, "default") is None:
        return changes
    if snapshot.get("services", "default", "kubernetes") is None:
        changes.append(Create(service()))
    if snapshot.get("endpoints", "default", "kubernetes") is None:
        changes.append(Create(endpoints()))
    return changes


KEY = "default/kubernetes"


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """Its Service or Endpoints gone, or the default namespace back."""
    if event.resource == "namespaces":
        return (KEY,) if event.name == "default" else ()
    return (KEY,) if event.key == KEY and event.type == "DELETED" else ()


CONTROLLER = queue.Controller(
    name="kubernetes-service-controller",
    watches=("namespaces", "services", "endpoints"),
    keys_for=keys_for,
    all_keys=lambda snapshot: [KEY],
    reconcile=reconcile,
)


def service() -> Object:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": SERVICE_IP,
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
        },
    }


def endpoints() -> Object:
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {
                "addresses": [{"ip": APISERVER_IP}],
                "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
            }
        ],
    }
