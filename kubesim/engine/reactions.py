"""Which writes the control plane reacts to at once (kubesim.engine.control_plane), told without
loading the controllers: a command that wrote nothing they watch pays nothing for them.

WATCHED is the resources the reacting controllers watch, kept here as data; a unit test holds
it equal to their `watches`. The garbage collector watches everything, but reacts at once only
to a deletion (a cascade); an owner reference that changed is seen at the next tick.
"""

from __future__ import annotations

from kubesim.store.state import ClusterState

WATCHED = frozenset(
    {
        "configmaps",
        "controllerrevisions.apps",
        "cronjobs.batch",
        "daemonsets.apps",
        "deployments.apps",
        "endpoints",
        "endpointslices.discovery.k8s.io",
        "jobs.batch",
        "namespaces",
        "nodes",
        "persistentvolumeclaims",
        "persistentvolumes",
        "pods",
        "replicasets.apps",
        "serviceaccounts",
        "services",
        "statefulsets.apps",
        "storageclasses.storage.k8s.io",
    }
)


def wanted(state: ClusterState, since: int) -> bool:
    """Whether what was written after revision `since` wakes a reacting controller."""
    return bool(state.resources_changed_since(since) & WATCHED) or state.deleted_since(since)
