"""`kubectl describe`: one object (plus what the cluster holds about it) in, kubectl's text out.

One module per group of kinds, each mirroring its describer in kubectl's
staging/src/k8s.io/kubectl/pkg/describe/describe.go (v1.32); `writer` mirrors the PrefixWriter
and Go's text/tabwriter those describers write through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kubesim.printers.describe.common import Context, Lister, Object

Describer = Callable[[Context, Object], str]


def _describers() -> dict[str, Describer]:
    from kubesim.printers.describe import batch, cluster, network, pods, storage, workloads

    return {
        "pods": pods.describe_pod,
        "services": network.describe_service,
        "endpoints": network.describe_endpoints,
        "endpointslices.discovery.k8s.io": network.describe_endpoint_slice,
        "namespaces": cluster.describe_namespace,
        "nodes": cluster.describe_node,
        "statefulsets.apps": workloads.describe_statefulset,
        "deployments.apps": workloads.describe_deployment,
        "replicasets.apps": workloads.describe_replicaset,
        "daemonsets.apps": workloads.describe_daemonset,
        "persistentvolumeclaims": storage.describe_persistent_volume_claim,
        "persistentvolumes": storage.describe_persistent_volume,
        "storageclasses.storage.k8s.io": storage.describe_storage_class,
        "configmaps": storage.describe_config_map,
        "secrets": batch.describe_secret,
        "jobs.batch": batch.describe_job,
        "cronjobs.batch": batch.describe_cron_job,
        "serviceaccounts": cluster.describe_service_account,
    }


def describe(ctx: Context, resource: str, obj: Object) -> str:
    """The describe text of `obj`, a `resource` ("pods", "statefulsets.apps"); kinds without a
    typed describer (controllerrevisions, events) get describe.go's generic one."""
    describer = _describers().get(resource)
    if describer is None:
        from kubesim.printers.describe.generic import describe_generic

        describer = describe_generic
    return describer(ctx, obj)


def lister_of(objects: Iterable[Object]) -> Lister:
    """A Context lister over plain objects (each with apiVersion and kind), in name order."""
    from kubesim.api import kinds

    by_resource: dict[str, list[Object]] = {}
    for obj in objects:
        kind = kinds.for_object(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
        if kind is not None:
            by_resource.setdefault(kind.resource, []).append(obj)

    def key(obj: Object) -> tuple[str, str]:
        md: dict[str, Any] = obj.get("metadata") or {}
        return (str(md.get("namespace") or ""), str(md.get("name") or ""))

    def objects_of(resource: str, namespace: str | None) -> list[Object]:
        found = sorted(by_resource.get(resource, []), key=key)
        if namespace is None:
            return found
        return [o for o in found if (o.get("metadata") or {}).get("namespace") == namespace]

    return objects_of


__all__ = ["Context", "describe", "lister_of"]
