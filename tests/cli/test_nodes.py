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
    assert node not in article("get nodes").out.split()  # kubesim-worker is in kubesim-worker2

    article("tick 40")  # PodGC's quarantine: the node might come back
    assert (field(article, ".metadata.uid"), field(article, ".status.phase")) == (uid, "Running")
    assert article("why pod/web-0").out == (
        f"pod/web-0: its node {node} no longer exists: once the node has been gone 40s, PodGC "
        "fails and deletes the pod and its owner makes a new one\n"
    )

    article("tick 12")
    assert field(article, ".metadata.uid") != uid
    assert field(article, ".spec.nodeName") not in ("", node)
    assert field(article, ".status.phase") == "Running"
    assert field(article, ".status.podIP") != ip
