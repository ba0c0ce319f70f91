"""kubesim delete: messages, graceful pod deletion, cascades, selectors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLES, Kubesim, cluster_state


def pod_ip(kubesim: Kubesim, name: str) -> str:
    return kubesim(f"get pod {name} -o jsonpath={{.status.podIP}}").out


def test_deleted_pod_comes_back_with_the_same_name_and_a_new_ip(article: Kubesim) -> None:
    old_ip = pod_ip(article, "web-0")
    old_uid = article("get pod web-0 -o jsonpath={.metadata.uid}").out
    result = article("delete pod web-0")
    assert (result.code, result.out, result.err) == (0, 'pod "web-0" deleted\n', "")
    article("tick 6")
    assert article("get pod web-0").out.splitlines()[1].split()[:3] == ["web-0", "1/1", "Running"]
    assert article("get pod web-0 -o jsonpath={.spec.hostname}").out == "web-0"
    assert article("get pod web-0 -o jsonpath={.metadata.uid}").out != old_uid
    assert pod_ip(article, "web-0") != old_ip


def test_delete_waits_until_the_pod_is_gone(article: Kubesim) -> None:
    old_uid = article("get pod web-1 -o jsonpath={.metadata.uid}").out
    article("delete pod web-1")
    # gone: what is there now is the pod the StatefulSet created in its place, at once
    replacement = article("get pod web-1 -o jsonpath={.metadata.uid}{.status.phase}").out
    assert replacement != old_uid and replacement.endswith("Pending")


def test_no_wait_leaves_the_pod_terminating(article: Kubesim) -> None:
    article("delete pod web-1 --wait=false")
    assert article("get pod web-1").out.splitlines()[1].split()[:3] == [
        "web-1",
        "1/1",
        "Terminating",
    ]
    article("tick")
    assert article("get pod web-1").out.splitlines()[1].split()[:3] == ["web-1", "0/1", "Completed"]


def test_deleting_the_statefulset_removes_its_pods(article: Kubesim) -> None:
    assert article("delete statefulset web").out == 'statefulset.apps "web" deleted\n'
    # the garbage collector deletes the pods at once, as a real one does within milliseconds
    statuses = [line.split()[2] for line in article("get pods").out.splitlines()[1:]]
    assert statuses == ["Terminating", "Terminating"]
    article("tick 3")
    assert article("get pods").err == "No resources found in default namespace.\n"
    assert article("get controllerrevisions").err == "No resources found in default namespace.\n"
    assert article("get svc nginx -o name").out == "service/nginx\n"  # the Service is not owned


def test_orphan_cascade_keeps_the_pods(article: Kubesim) -> None:
    article("delete sts web --cascade=orphan")
    article("tick 3")
    pods = json.loads(article("get pods -o json").out)["items"]
    assert [p["metadata"]["name"] for p in pods] == ["web-0", "web-1"]
    assert all("ownerReferences" not in p["metadata"] for p in pods)


def test_delete_by_selector_and_all(article: Kubesim) -> None:
    assert (
        article("delete pods -l app=nginx --wait=false").out
        == 'pod "web-0" deleted\npod "web-1" deleted\n'
    )
    assert article("delete pods -l app=none").out == "No resources found\n"
    assert (
        article("delete svc --all").out == 'service "kubernetes" deleted\nservice "nginx" deleted\n'
    )


def test_delete_from_file(article: Kubesim) -> None:
    result = article(f"delete -f {SAMPLES / 'statefulset.yaml'} -f {SAMPLES / 'svc.yaml'}")
    assert result.out == 'statefulset.apps "web" deleted\nservice "nginx" deleted\n'


def test_invalid_cascade_value(article: Kubesim) -> None:
    result = article("delete sts web --cascade=sideways")
    assert (
        result.err
        == 'error: invalid cascade value (sideways). Must be "background", "foreground", or "orphan"\n'
    )


def test_orphans_are_adopted_by_a_new_set_and_missing_ordinals_filled(article: Kubesim) -> None:
    article("delete sts web --cascade=orphan")
    article("tick 2")
    article("delete pod web-0")
    article("tick 3")
    assert article("get pods -o name").out == "pod/web-1\n"  # nothing owns it: not recreated
    old_uid = json.loads(article("get pod web-1 -o json").out)["metadata"]["uid"]
    article(f"create -f {SAMPLES / 'statefulset.yaml'}")
    new_set = json.loads(article("get sts web -o json").out)["metadata"]["uid"]
    article("tick 8")
    pods = json.loads(article("get pods -o json").out)["items"]
    assert [p["metadata"]["name"] for p in pods] == ["web-0", "web-1"]
    web1 = pods[1]
    assert web1["metadata"]["uid"] == old_uid  # the same pod, adopted
    assert web1["metadata"]["ownerReferences"][0]["uid"] == new_set
    assert article("get sts web").out.splitlines()[1].split()[1] == "2/2"


def test_delete_dry_run_changes_nothing(article: Kubesim, home: Path) -> None:
    before = cluster_state(home)
    assert article("delete sts web --dry-run=client").out == (
        'statefulset.apps "web" deleted (dry run)\n'
    )
    assert article("delete pod web-0 --dry-run=server").out == (
        'pod "web-0" deleted (server dry run)\n'
    )
    assert cluster_state(home) == before
