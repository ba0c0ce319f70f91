"""The DaemonSet controller's predicates (daemonset_utils), and CoreDNS's configuration digest."""

from __future__ import annotations

from typing import Any

from kubesim.controllers.daemonset_utils import (
    add_daemon_tolerations,
    is_pod_updated,
    node_should_run_daemon_pod,
    target_node_name,
)
from kubesim.engine.kind import COREFILE
from kubesim.sandbox.daemons import corefile_digest

Object = dict[str, Any]


def node(
    name: str, labels: dict[str, str] | None = None, taints: list[Object] | None = None
) -> Object:
    return {"metadata": {"name": name, "labels": labels or {}}, "spec": {"taints": taints or []}}


def daemonset(**spec: Any) -> Object:
    return {"metadata": {"name": "agent"}, "spec": {"template": {"spec": spec}}}


CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def test_tolerations_the_controller_adds_in_order() -> None:
    spec: Object = {"hostNetwork": True, "tolerations": [{"operator": "Exists"}]}
    add_daemon_tolerations(spec)
    assert [(t.get("key"), t.get("effect")) for t in spec["tolerations"]] == [
        (None, None),
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ("node.kubernetes.io/network-unavailable", "NoSchedule"),
    ]


def test_an_untolerated_noschedule_taint_stops_new_pods_only() -> None:
    assert node_should_run_daemon_pod(node("cp", taints=[CONTROL_PLANE]), daemonset()) == (
        False,
        True,
    )
    evict = {"key": "gone", "effect": "NoExecute"}
    assert node_should_run_daemon_pod(node("w", taints=[evict]), daemonset()) == (False, False)
    tolerated = daemonset(tolerations=[{**CONTROL_PLANE, "operator": "Exists"}])
    assert node_should_run_daemon_pod(node("cp", taints=[CONTROL_PLANE]), tolerated) == (True, True)


def test_node_selector_and_cordon() -> None:
    ssd = daemonset(nodeSelector={"disk": "ssd"})
    assert node_should_run_daemon_pod(node("w", {"disk": "hdd"}), ssd) == (False, False)
    assert node_should_run_daemon_pod(node("w", {"disk": "ssd"}), ssd) == (True, True)
    cordoned = node(
        "w", taints=[{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    )
    assert node_should_run_daemon_pod(cordoned, daemonset()) == (True, True)


def test_target_node_and_updated_pods() -> None:
    pod: Object = {
        "metadata": {"labels": {"controller-revision-hash": "abc", "pod-template-generation": "1"}},
        "spec": {
            "affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {
                        "nodeSelectorTerms": [
                            {
                                "matchFields": [
                                    {"key": "metadata.name", "operator": "In", "values": ["w1"]}
                                ]
                            }  # fmt: skip
                        ]
                    }
                }
            }
        },
    }
    assert target_node_name(pod) == "w1"
    assert is_pod_updated(pod, "abc", 2) and is_pod_updated(pod, "xyz", 1)
    assert not is_pod_updated(pod, "xyz", 2)


def test_corefile_digest_is_corednss() -> None:
    """The digest CoreDNS 1.11.3 logs for kubeadm's Corefile before the cache block (seen in
    real v1.31 clusters), and for kind's v1.32 one."""
    classic = COREFILE.replace(
        "    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n"
        "    }\n",
        "    cache 30\n",
    )
    assert corefile_digest(classic).startswith("591cf328cccc12bc490481273e738df5")
    assert corefile_digest(COREFILE).startswith("1b226df79860026c6a52e67daa10d7f0")
