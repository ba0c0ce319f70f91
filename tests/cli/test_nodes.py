"""A node that goes away: its pods are left without a kubelet until PodGC fails and removes
them, and their StatefulSet brings them back on a node that exists."""

from __future__ import annotations

from tests.conftest import Kubesim


def field(kubesim: Kubesim, path: str) -> str:
    return kubesim(f"get pod web-0 -o jsonpath={{{path}}}").out


def test_pods_on_a_deleted_node_come_back_elsewhere(article: Kubesim) -> None:
    node, ip, uid = (
        field(article, p) for p in (".spec.nodeName", ".status.podIP", ".metadata.uid")
    )
    assert article(f"delete node {node}").out == f'node "{node}" deleted\n'
    assert f"node/{node}\n" not in article("get nodes -o name").out

    article("tick 39")  # PodGC's quarantine: the node might come back
    assert (field(article, ".metadata.uid"), field(article, ".status.phase")) == (uid, "Running")
    assert article("why pod/web-0").out.startswith(
        f"pod/web-0: its node {node} no longer exists: once the node has been gone 40s, PodGC "
        "fails and deletes the pod and its owner makes a new one\n"
        f"  scheduled on {node}, the highest total of 2 feasible nodes"
    )

    article("tick 13")
    assert field(article, ".metadata.uid") != uid
    assert field(article, ".spec.nodeName") not in ("", node)
    assert field(article, ".status.phase") == "Running"
    assert field(article, ".status.podIP") != ip


MEMORY_DEMO = """\
apiVersion: v1
kind: Pod
metadata:
  name: memory-demo
spec:
  containers:
  - name: demo
    image: busybox:1.28
    resources:
      requests:
        memory: 1000Gi
"""


def test_a_pod_too_big_for_any_node_stays_pending(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=MEMORY_DEMO)
    kubesim("tick 3")
    assert kubesim("get pod memory-demo -o jsonpath={.status.phase}").out == "Pending"
    events = kubesim(
        "get events --field-selector reason=FailedScheduling -o jsonpath={.items[0].message}"
    )
    assert events.out == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes "
        "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found "
        "for incoming pod."
    )
