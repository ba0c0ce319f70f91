"""The "Deploying WordPress and MySQL with Persistent Volumes" tutorial, end to end: a
kustomization with a secretGenerator, two Deployments on claims, WordPress answering on its
Service once MySQL serves."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim

TUTORIAL = Path(__file__).parent / "kustomize_cases" / "wordpress"


def test_both_pods_run_and_wordpress_answers_on_its_service(kubesim: Kubesim) -> None:
    assert kubesim(f"apply -k {TUTORIAL}").code == 0
    kubesim("tick 60")
    assert kubesim("get secrets -o name").out == "secret/mysql-pass-5m26tmdb5k\n"
    claims = [line.split()[:2] for line in kubesim("get pvc").out.splitlines()[1:]]
    assert claims == [["mysql-pv-claim", "Bound"], ["wp-pv-claim", "Bound"]]
    pods = [line.split()[:3] for line in kubesim("get pods").out.splitlines()[1:]]
    assert [(p[0].rsplit("-", 2)[0], p[1], p[2]) for p in pods] == [
        ("wordpress", "1/1", "Running"),
        ("wordpress-mysql", "1/1", "Running"),
    ]
    service = kubesim("get svc wordpress").out.splitlines()[1].split()
    assert service[1] == "LoadBalancer" and service[3] == "<pending>"  # kind has no balancer

    kubesim("run client --image=busybox:1.36 --restart=Never -- sleep 3600")
    kubesim("tick 5")
    # WordPress's first answer sends a browser to its installer, which it then shows
    result = kubesim("exec client -- wget -S -O- http://wordpress")
    assert result.code == 0
    assert "  HTTP/1.1 302 Found\n" in result.err
    assert "  Location: http://wordpress/wp-admin/install.php\n" in result.err
    assert "  HTTP/1.1 200 OK\n" in result.err
    assert "<title>WordPress &rsaquo; Installation</title>" in result.out


def test_without_its_database_wordpress_says_so(kubesim: Kubesim) -> None:
    kubesim(f"apply -k {TUTORIAL}")
    kubesim("tick 60")
    kubesim("scale deployment wordpress-mysql --replicas=0")
    kubesim("tick 40")
    kubesim("run client --image=busybox:1.36 --restart=Never -- sleep 3600")
    kubesim("tick 5")
    result = kubesim("exec client -- wget -O- http://wordpress")
    assert result.code == 1
    assert "wget: server returned error: HTTP/1.1 500 Internal Server Error\n" in result.err
