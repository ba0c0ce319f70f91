"""ComponentStatus (pkg/registry/core/componentstatus): the apiserver probes the scheduler, the
controller manager and etcd on each request and answers with one object each, never stored.
On a kind cluster all three are healthy; kubesim has no component that could be otherwise."""

from __future__ import annotations

from typing import Any

Object = dict[str, Any]

# the warning the apiserver sends with every request for the resource (deprecated in v1.19)
DEPRECATION = "v1 ComponentStatus is deprecated in v1.19+"
# the servers GetServersToValidate probes; etcd answers its /health with "ok" here, as etcd 3.5
# does through the apiserver's etcd health check
COMPONENTS = ("controller-manager", "scheduler", "etcd-0")


def component_statuses() -> list[Object]:
    return [
        {
            "apiVersion": "v1",
            "conditions": [{"message": "ok", "status": "True", "type": "Healthy"}],
            "kind": "ComponentStatus",
            "metadata": {"creationTimestamp": None, "name": name},
        }
        for name in COMPONENTS
    ]
