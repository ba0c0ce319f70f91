"""kubesim get, through the CLI as a user types it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES, Kubesim, edit_stored


def test_get_service_prints_kubectl_columns(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim("tick 9")
    result = kubesim("get service nginx")
    assert result.code == 0
    assert result.out == (
        "NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\n"
        "nginx   ClusterIP   None         <none>        80/TCP    9s\n"
    )


def test_service_with_a_cluster_ip_gets_one_from_the_service_range(kubesim: Kubesim) -> None:
    manifest = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {"ports": [{"port": 80}]}}'
    kubesim("create -f -", stdin=manifest)
    ip = kubesim("get svc web -o jsonpath={.spec.clusterIP}").out
    a, b, c, d = (int(part) for part in ip.split("."))
    assert (a, b & 0xF0) == (10, 96) and not (b == 96 and c == 0)


def test_cluster_starts_with_kubernetes_and_kube_dns(kubesim: Kubesim) -> None:
    result = kubesim("get svc -A")
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "NAMESPACE",
        "NAME",
        "TYPE",
        "CLUSTER-IP",
        "EXTERNAL-IP",
        "PORT(S)",
        "AGE",
    ]
    assert lines[1].split() == [
        "default",
        "kubernetes",
        "ClusterIP",
        "10.96.0.1",
        "<none>",
        "443/TCP",
        "0s",
    ]
    assert lines[2].split() == [
        "kube-system",
        "kube-dns",
        "ClusterIP",
        "10.96.0.10",
        "<none>",
        "53/UDP,53/TCP,9153/TCP",
        "0s",
    ]


def test_statefulset_ready_column_counts_up(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    assert kubesim("get statefulset web").out.splitlines()[1].split()[:2] == ["web", "0/2"]
    kubesim("tick 5")
    assert kubesim("get sts web").out.splitlines()[1].split()[:2] == ["web", "1/2"]
    kubesim("tick 5")
    assert kubesim("get sts web").out == "NAME   READY   AGE\nweb    2/2     10s\n"


def test_short_names_type_slash_name_and_several_names(article: Kubesim) -> None:
    assert article("get po web-0 web-1 -o name").out == "pod/web-0\npod/web-1\n"
    assert article("get sts/web svc/nginx -o name").out == "statefulset.apps/web\nservice/nginx\n"
    assert article("get ep nginx -o name").out == "endpoints/nginx\n"
    assert article("get no -o name").out.count("node/") == 3
    assert article("get ns default -o name").out == "namespace/default\n"


def test_several_types_print_one_table_each_with_kind_prefixes(article: Kubesim) -> None:
    out = article("get sts,svc").out
    assert out.startswith(
        "NAME                   READY   AGE\nstatefulset.apps/web   2/2     12s\n\nNAME "
    )
    assert "service/nginx        ClusterIP   None" in out


def test_label_selectors_equality_and_set_based(article: Kubesim) -> None:
    assert article("get pods -l app=nginx -o name").out == "pod/web-0\npod/web-1\n"
    assert article("get pods -l 'app in (nginx,other)' -o name").out == "pod/web-0\npod/web-1\n"
    assert article("get pods -l app!=nginx").err == "No resources found in default namespace.\n"
    assert article("get pods -l '!app'").out == ""
    assert (
        article("get pods -l statefulset.kubernetes.io/pod-name=web-1 -o name").out == "pod/web-1\n"
    )


def test_show_labels(article: Kubesim) -> None:
    line = article("get pod web-0 --show-labels").out.splitlines()[1]
    assert line.split()[-1] == (
        "app=nginx,apps.kubernetes.io/pod-index=0,"
        f"controller-revision-hash={article('get sts web -o jsonpath={.status.updateRevision}').out},"
        "statefulset.kubernetes.io/pod-name=web-0"
    )


def test_wide_output_adds_ip_and_node(article: Kubesim) -> None:
    header, row = article("get pod web-0 -o wide").out.splitlines()[:2]
    assert header.split() == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED",
        "NODE",
        "READINESS",
        "GATES",
    ]
    ip = article("get pod web-0 -o jsonpath={.status.podIP}").out
    assert row.split()[5] == ip and row.split()[6].startswith("kubesim-worker")


def test_json_and_yaml_show_what_the_apiserver_filled(article: Kubesim) -> None:
    pod = json.loads(article("get pod web-0 -o json").out)
    meta = pod["metadata"]
    assert meta["uid"] and meta["resourceVersion"] and meta["creationTimestamp"].endswith("Z")
    assert meta["ownerReferences"][0]["kind"] == "StatefulSet"
    assert pod["spec"]["hostname"] == "web-0" and pod["spec"]["subdomain"] == "nginx"
    assert pod["spec"]["nodeName"].startswith("kubesim-worker")
    yaml_text = article("get sts web -o yaml").out
    assert yaml_text.startswith("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n")
    assert "  generation: 1\n" in yaml_text


def test_list_output_is_wrapped_in_a_list(article: Kubesim) -> None:
    data = json.loads(article("get pods -o json").out)
    assert data["kind"] == "List" and data["metadata"] == {"resourceVersion": ""}
    assert [p["metadata"]["name"] for p in data["items"]] == ["web-0", "web-1"]


def test_jsonpath_range(article: Kubesim) -> None:
    out = article("""get pods -o 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'""").out
    assert out == "web-0\nweb-1\n"


def test_endpoints_list_ready_pod_addresses_with_hostnames(article: Kubesim) -> None:
    ep = json.loads(article("get endpoints nginx -o json").out)
    addresses = ep["subsets"][0]["addresses"]
    assert sorted(a["hostname"] for a in addresses) == ["web-0", "web-1"]
    ips = article("get pods -o jsonpath={.items[*].status.podIP}").out.split()
    assert sorted(a["ip"] for a in addresses) == sorted(ips)
    assert ep["subsets"][0]["ports"] == [{"name": "web", "port": 80, "protocol": "TCP"}]


def test_age_uses_kubectl_human_duration(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim("tick 201")
    assert kubesim("get svc nginx").out.splitlines()[1].split()[-1] == "3m21s"


def test_nodes_and_namespaces(kubesim: Kubesim) -> None:
    nodes = kubesim("get nodes").out.splitlines()
    assert nodes[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    assert nodes[1].split() == ["kubesim-control-plane", "Ready", "control-plane", "0s", "v1.32.2"]
    # kind's: the four every cluster has, and the local-path provisioner's
    assert kubesim("get namespaces").out == (
        "NAME                 STATUS   AGE\n"
        "default              Active   0s\n"
        "kube-node-lease      Active   0s\n"
        "kube-public          Active   0s\n"
        "kube-system          Active   0s\n"
        "local-path-storage   Active   0s\n"
    )


def test_a_long_tick_skips_quiet_time(article: Kubesim) -> None:
    assert article("tick 86400").out == "ticked 86400 (simulated time: 86412s)\n"
    assert article("get pods").out.splitlines()[1].split() == [
        "web-0",
        "1/1",
        "Running",
        "0",
        "24h",
    ]


def test_negative_ticks_are_refused(kubesim: Kubesim) -> None:
    result = kubesim("tick -5")
    assert (result.code, result.err) == (
        1,
        "error: the number of ticks must be greater than or equal to 0\n",
    )


def test_sort_by(article: Kubesim) -> None:
    article("scale sts web --replicas=3")
    article("tick 10")
    oldest_first = article("get pods --sort-by=.metadata.creationTimestamp -o name").out
    assert oldest_first == "pod/web-0\npod/web-1\npod/web-2\n"
    by_name = article(
        "get pods --sort-by={.metadata.name} --no-headers -o custom-columns=N:.metadata.name"
    )
    assert by_name.out == "web-0\nweb-1\nweb-2\n"
    missing = article("get pods --sort-by=.spec.nope")
    assert (missing.code, missing.err) == (
        1,
        'error: couldn\'t find any field with path "{.spec.nope}" in the list of objects\n',
    )


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("get pods --field-selector foo=bar", "field label not supported: foo"),
        (
            "get ns --field-selector metadata.namespace=x",
            "field label not supported: metadata.namespace",
        ),
        (
            "get sts --field-selector status.replicas=2",
            '"status.replicas" is not a known field selector: only "metadata.name", '
            '"metadata.namespace"',
        ),
    ],
)
def test_a_field_the_kind_does_not_index(article: Kubesim, command: str, reason: str) -> None:
    result = article(command)
    selector = command.split("--field-selector ")[1]
    resource = result.err.split('"')[1]
    assert result.err == (
        f'Error from server (BadRequest): Unable to find "{resource}" that match label selector '
        f'"", field selector "{selector}": {reason}\n'
    )


def test_fields_each_kind_indexes(article: Kubesim) -> None:
    assert article("get no --field-selector spec.unschedulable=false -o name").out.count("\n") == 3
    assert article("get svc --field-selector spec.type=ClusterIP -o name").out == (
        "service/kubernetes\nservice/nginx\n"
    )
    node = article("get pod web-0 -o jsonpath={.spec.nodeName}").out
    on_node = article(f"get pods --field-selector spec.host={node} -o name").out.splitlines()
    assert "pod/web-0" in on_node  # spec.host is the old name of spec.nodeName
    assert (
        on_node
        == article(f"get pods --field-selector spec.nodeName={node} -o name").out.splitlines()
    )


def test_templates_read_back_with_a_null_creation_timestamp(article: Kubesim) -> None:
    text = article("get sts web -o yaml").out
    template = text.split("  template:\n")[1]
    assert template.startswith("    metadata:\n      creationTimestamp: null\n")


def test_a_cluster_saved_before_null_timestamps_rolls_nothing_out(
    kubesim: Kubesim, home: Path
) -> None:
    """Templates stored without `creationTimestamp: null` equal the same templates with it."""
    kubesim("create deployment web --image=nginx:1.25")
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    kubesim("tick 30")

    def drop_null_stamps(resource: str, obj: dict[str, Any]) -> None:
        for holder in (obj, obj.get("data") or {}):  # workloads, and revisions' data
            template = (holder.get("spec") or {}).get("template") or {}
            (template.get("metadata") or {}).pop("creationTimestamp", None)

    edit_stored(home, drop_null_stamps)
    kubesim("scale deploy web --replicas=2")
    kubesim("scale sts web --replicas=3")
    kubesim("tick 30")
    assert kubesim("get rs -o name").out.count("\n") == 1
    assert kubesim("get controllerrevisions -o name").out.count("\n") == 1
    revisions = kubesim(
        "get sts web -o jsonpath={.status.currentRevision}/{.status.updateRevision}"
    )
    current, update = revisions.out.split("/")
    assert current == update
    assert kubesim("get sts web -o jsonpath={.status.readyReplicas}").out == "3"


def test_get_and_describe_the_objects_a_file_names(kubesim: Kubesim, tmp_path: Path) -> None:
    """`kubectl get -f myapp.yaml` (the Init Containers page): each object of the file, in its
    own namespace; with several kinds each table names its kind."""
    manifest = tmp_path / "two.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: myapp-pod}\n"
        "spec: {containers: [{name: c, image: busybox:1.28, command: [sleep, '3600']}]}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: kube-system}\n"
        "spec: {ports: [{port: 80}]}\n"
    )
    missing = kubesim(f"get -f {manifest}")
    assert missing.code == 1
    assert missing.err == (
        'Error from server (NotFound): pods "myapp-pod" not found\n'
        'Error from server (NotFound): services "other" not found\n'
    )
    kubesim(f"apply -f {manifest}")
    kubesim("tick 3")
    lines = kubesim(f"get -f {manifest}").out.splitlines()
    assert lines[1].split()[:3] == ["pod/myapp-pod", "1/1", "Running"]
    assert lines[4].split()[:2] == ["service/other", "ClusterIP"]
    assert kubesim(f"get -f {manifest} -o name").out == "pod/myapp-pod\nservice/other\n"
    assert kubesim(f"describe -f {manifest}").out.startswith("Name:             myapp-pod\n")
    both = kubesim(f"get pods -f {manifest}")
    assert (both.code, both.err) == (
        1,
        "error: when paths, URLs, or stdin is provided as input, you may not specify "
        "resource arguments as well\n",
    )
    other = kubesim(f"get -f {manifest} -n default")
    assert other.err.startswith('error: the namespace from the provided object "kube-system"')
    kustomization = tmp_path / "k"
    kustomization.mkdir()
    (kustomization / "two.yaml").write_text(manifest.read_text())
    (kustomization / "kustomization.yaml").write_text("resources: [two.yaml]\n")
    # kustomize puts them in its legacy order: Services before Pods
    assert kubesim(f"get -k {kustomization} -o name").out == "service/other\npod/myapp-pod\n"
