"""kubesim describe, through the CLI as a user types it, on the article's cluster.

Node placement, IPs, ids and the start date vary from cluster to cluster; the tests read them
with `get -o jsonpath` and compare the rest of the text exactly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import Kubesim


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """kubectl prints times in the machine's zone; pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def field(kubesim: Kubesim, target: str, path: str) -> str:
    result = kubesim(f"get {target} -o jsonpath={{{path}}}")
    assert result.code == 0, result.err
    return result.out


def rfc1123z(stamp: str) -> str:
    return (
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        .replace(tzinfo=UTC)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
    )


def test_describe_pod_web_0(article: Kubesim) -> None:
    status = ".status.containerStatuses[0]"
    node = field(article, "pod web-0", ".spec.nodeName")
    host_ip = field(article, "pod web-0", ".status.hostIP")
    pod_ip = field(article, "pod web-0", ".status.podIP")
    container_id = field(article, "pod web-0", f"{status}.containerID")
    image_id = field(article, "pod web-0", f"{status}.imageID")
    started = rfc1123z(field(article, "pod web-0", ".status.startTime"))
    running = rfc1123z(field(article, "pod web-0", f"{status}.state.running.startedAt"))
    revision = field(article, "pod web-0", ".metadata.labels.controller-revision-hash")
    token = field(article, "pod web-0", ".spec.volumes[0].name")
    assert token.startswith("kube-api-access-")
    result = article("describe pod web-0")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Name:             web-0\n"
        "Namespace:        default\n"
        "Priority:         0\n"
        "Service Account:  default\n"
        f"Node:             {node}/{host_ip}\n"
        f"Start Time:       {started}\n"
        "Labels:           app=nginx\n"
        "                  apps.kubernetes.io/pod-index=0\n"
        f"                  controller-revision-hash={revision}\n"
        "                  statefulset.kubernetes.io/pod-name=web-0\n"
        "Annotations:      <none>\n"
        "Status:           Running\n"
        f"IP:               {pod_ip}\n"
        "IPs:\n"
        f"  IP:           {pod_ip}\n"
        "Controlled By:  StatefulSet/web\n"
        "Containers:\n"
        "  nginx:\n"
        f"    Container ID:   {container_id}\n"
        "    Image:          nginx:1.9.1\n"
        f"    Image ID:       {image_id}\n"
        "    Port:           80/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        f"      Started:      {running}\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Environment:    <none>\n"
        "    Mounts:\n"
        f"      /var/run/secrets/kubernetes.io/serviceaccount from {token} (ro)\n"
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:\n"
        f"  {token}:\n"
        "    Type:                    Projected (a volume that contains injected data from "
        "multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    ConfigMapOptional:       <nil>\n"
        "    DownwardAPI:             true\n"
        "QoS Class:                   BestEffort\n"
        "Node-Selectors:              <none>\n"
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        f"  Normal  Scheduled  11s   default-scheduler  Successfully assigned default/web-0 to {node}\n"
        '  Normal  Pulling    10s   kubelet            Pulling image "nginx:1.9.1"\n'
        '  Normal  Pulled     9s    kubelet            Successfully pulled image "nginx:1.9.1" in 1s (1s including waiting). Image size: 44060835 bytes.\n'
        "  Normal  Created    9s    kubelet            Created container: nginx\n"
        "  Normal  Started    9s    kubelet            Started container nginx\n"
    )


def test_describe_statefulset_web(article: Kubesim) -> None:
    created = rfc1123z(field(article, "sts web", ".metadata.creationTimestamp"))
    result = article("describe sts web")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Name:               web\n"
        "Namespace:          default\n"
        f"CreationTimestamp:  {created}\n"
        "Selector:           app=nginx\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           2 desired | 2 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        0\n"
        "Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=nginx\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:         nginx:1.9.1\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Volume Claims:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                    Message\n"
        "  ----    ------            ----  ----                    -------\n"
        "  Normal  SuccessfulCreate  12s   statefulset-controller  create Pod web-0 in StatefulSet web successful\n"
        "  Normal  SuccessfulCreate  9s    statefulset-controller  create Pod web-1 in StatefulSet web successful\n"
    )


def test_describe_headless_service_nginx(article: Kubesim) -> None:
    endpoints = ",".join(
        sorted(f"{field(article, f'pod web-{i}', '.status.podIP')}:80" for i in (0, 1))
    )
    result = article("describe svc nginx")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "Name:                     nginx\n"
        "Namespace:                default\n"
        "Labels:                   app=nginx\n"
        "Annotations:              <none>\n"
        "Selector:                 app=nginx\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       None\n"
        "IPs:                      None\n"
        "Port:                     web  80/TCP\n"
        "TargetPort:               80/TCP\n"
        f"Endpoints:                {endpoints}\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_name_prefix_describes_every_match(article: Kubesim) -> None:
    """No pod named `web`: kubectl describes each pod whose name starts with it, each followed
    by a blank line (DescribeMatchingResources)."""
    result = article("describe pods web")
    assert (result.code, result.err) == (0, "")
    single = [article(f"describe pod web-{i}").out for i in (0, 1)]
    assert result.out == single[0] + "\n" + single[1] + "\n"


def test_several_objects_are_separated_by_two_blank_lines(article: Kubesim) -> None:
    result = article("describe pod/web-0 svc/nginx")
    assert result.code == 0
    assert (
        result.out == article("describe pod web-0").out + "\n\n" + article("describe svc nginx").out
    )


def test_describe_a_type_describes_every_object_it_selects(article: Kubesim) -> None:
    result = article("describe pods -l app=nginx")
    assert result.code == 0
    assert (
        result.out == article("describe pod web-0").out + "\n\n" + article("describe pod web-1").out
    )


def test_missing_names_are_reported_after_the_found_ones(article: Kubesim) -> None:
    result = article("describe pods web-0 web-9")
    assert result.code == 1
    assert result.out == article("describe pod web-0").out
    assert result.err == 'Error from server (NotFound): pods "web-9" not found\n'


def test_no_match_for_a_name_or_its_prefix_is_not_found(article: Kubesim) -> None:
    result = article("describe pods db")
    assert (result.code, result.out) == (1, "")
    assert result.err == 'Error from server (NotFound): pods "db" not found\n'


def test_a_missing_namespace_is_reported_for_a_name(article: Kubesim) -> None:
    result = article("describe pod web-0 -n nosuch")
    assert result.err == 'Error from server (NotFound): namespaces "nosuch" not found\n'


def test_nothing_selected_is_reported_on_stderr(article: Kubesim) -> None:
    assert article("describe pods -l app=none").err == "No resources found in default namespace.\n"
    assert article("describe pods -n nosuch").err == "No resources found in nosuch namespace.\n"
    assert article("describe pods -A -l app=none").err == "No resources found\n"


def test_usage_errors(article: Kubesim) -> None:
    assert article("describe").err == (
        'error: You must specify the type of resource to describe. Use "kubesim api-resources" '
        "for a complete list of supported resources.\n"
    )
    assert article("describe pods web-0 -l app=nginx").err == (
        "error: name cannot be provided when a selector is specified\n"
    )
    assert article("describe pod/web-0 -l app=nginx").err == (
        "error: selectors and the all namespaces flag cannot be used when passing "
        "resource/name arguments\n"
    )
    assert article("describe pods web-0 -A").err == (
        "error: a resource cannot be retrieved by name across all namespaces\n"
    )


def test_show_events_false_leaves_the_events_out(article: Kubesim) -> None:
    result = article("describe sts web --show-events=false")
    assert result.code == 0
    assert result.out == article("describe sts web").out.split("Events:\n")[0]


def test_describe_node_lists_its_pods(article: Kubesim) -> None:
    node = field(article, "pod web-0", ".spec.nodeName")
    out = article(f"describe node {node}").out
    assert out.startswith(f"Name:               {node}\nRoles:              <none>\n")
    pod_lines = [line for line in out.splitlines() if "web-0" in line or "kindnet" in line]
    # beside kind's own pods on every node (kindnet, kube-proxy), the column as wide as the
    # longest name
    assert pod_lines == [
        "  default                     web-0               0 (0%)        0 (0%)      0 (0%)           0 (0%)         12s",
        f"  kube-system                 {pod_lines[1].split()[1]}       100m (5%)     100m (5%)   50Mi (0%)        50Mi (0%)      12s",
    ]


def test_describe_namespace(article: Kubesim) -> None:
    assert article("describe ns default").out == (
        "Name:         default\n"
        "Labels:       kubernetes.io/metadata.name=default\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n"
    )


def test_describe_from_a_manifest(article: Kubesim) -> None:
    from tests.conftest import SAMPLES

    result = article(f"describe -f {SAMPLES / 'svc.yaml'}")
    assert result.out == article("describe svc nginx").out


def test_two_type_name_arguments_with_one_missing_print_only_the_error(article: Kubesim) -> None:
    """kubectl's quirk: two arguments and a NotFound send it to the name-prefix search, which
    finds no name starting with `pod/web-9`, so even the found pod is not described."""
    result = article("describe pod/web-0 pod/web-9")
    assert (result.code, result.out) == (1, "")
    assert result.err == 'Error from server (NotFound): pods "web-9" not found\n'
