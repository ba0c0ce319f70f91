"""The cluster as kind v0.27 (Kubernetes v1.32) builds it, seen through kubectl's commands, and
the pages that look at it: Debugging DNS Resolution, the Services tutorial's environment
lesson, node addresses and NodePorts."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Kubesim

SUFFIX = re.compile(r"-[bcdfghjklmnpqrstvwxz2456789]{5}\b")


def generic(text: str) -> str:
    """Generated names' random suffixes as `-xxxxx`."""
    return SUFFIX.sub("-xxxxx", text)


def test_get_pods_all_namespaces_lists_kinds_pods(kubesim: Kubesim) -> None:
    assert generic(kubesim("get pods -A").out) == (
        "NAMESPACE            NAME                                            READY   STATUS    RESTARTS   AGE\n"
        "kube-system          coredns-668d6bf9bc-xxxxx                        1/1     Running   0          0s\n"
        "kube-system          coredns-668d6bf9bc-xxxxx                        1/1     Running   0          0s\n"
        "kube-system          etcd-kubesim-control-plane                      1/1     Running   0          0s\n"
        "kube-system          kindnet-xxxxx                                   1/1     Running   0          0s\n"
        "kube-system          kindnet-xxxxx                                   1/1     Running   0          0s\n"
        "kube-system          kindnet-xxxxx                                   1/1     Running   0          0s\n"
        "kube-system          kube-apiserver-kubesim-control-plane            1/1     Running   0          0s\n"
        "kube-system          kube-controller-manager-kubesim-control-plane   1/1     Running   0          0s\n"
        "kube-system          kube-proxy-xxxxx                                1/1     Running   0          0s\n"
        "kube-system          kube-proxy-xxxxx                                1/1     Running   0          0s\n"
        "kube-system          kube-proxy-xxxxx                                1/1     Running   0          0s\n"
        "kube-system          kube-scheduler-kubesim-control-plane            1/1     Running   0          0s\n"
        "local-path-storage   local-path-provisioner-7dc846544d-xxxxx         1/1     Running   0          0s\n"
    )


def test_hostnetwork_pods_have_their_nodes_address(kubesim: Kubesim) -> None:
    rows = kubesim("get pods -n kube-system -o wide --no-headers").out.splitlines()
    by_node = {
        "kubesim-control-plane": "172.18.0.2",
        "kubesim-worker": "172.18.0.3",
        "kubesim-worker2": "172.18.0.4",
    }
    for row in rows:
        name, _, _, _, _, ip, node = row.split()[:7]
        if name.startswith("coredns"):
            assert ip.startswith("10.244.0.") and node == "kubesim-control-plane"
        else:
            assert ip == by_node[node], row
    assert sum(1 for r in rows if r.startswith("kindnet")) == 3


def test_get_daemonsets_and_deployments(kubesim: Kubesim) -> None:
    assert kubesim("get ds -A").out == (
        "NAMESPACE     NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "kube-system   kindnet      3         3         3       3            3           kubernetes.io/os=linux   0s\n"
        "kube-system   kube-proxy   3         3         3       3            3           kubernetes.io/os=linux   0s\n"
    )
    assert kubesim("get deploy -A").out == (
        "NAMESPACE            NAME                     READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "kube-system          coredns                  2/2     2            2           0s\n"
        "local-path-storage   local-path-provisioner   1/1     1            1           0s\n"
    )
    assert kubesim("get pc").out == (
        "NAME                      VALUE        GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\n"
        "system-cluster-critical   2000000000   false            0s    PreemptLowerPriority\n"
        "system-node-critical      2000001000   false            0s    PreemptLowerPriority\n"
    )
    assert kubesim("get leases -n kube-node-lease").out == (
        "NAME                    HOLDER                  AGE\n"
        "kubesim-control-plane   kubesim-control-plane   0s\n"
        "kubesim-worker          kubesim-worker          0s\n"
        "kubesim-worker2         kubesim-worker2         0s\n"
    )


def test_mirror_pods_are_the_nodes(kubesim: Kubesim) -> None:
    out = kubesim("get pod etcd-kubesim-control-plane -n kube-system -o yaml").out
    assert "    kubernetes.io/config.source: file\n" in out
    assert "  - apiVersion: v1\n    controller: true\n    kind: Node\n" in out
    assert "  priorityClassName: system-node-critical\n" in out
    coredns = kubesim(
        "get pods -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[0].spec}"
    ).out
    assert (
        '"priority":2000000000' in coredns
        and '"priorityClassName":"system-cluster-critical"' in coredns
    )


def test_describe_node_counts_kinds_pods(kubesim: Kubesim) -> None:
    out = kubesim("describe node kubesim-control-plane").out
    assert "Non-terminated Pods:          (9 in total)\n" in out
    assert (
        "  Resource           Requests    Limits\n"
        "  --------           --------    ------\n"
        "  cpu                950m (47%)  100m (5%)\n"
        "  memory             290Mi (3%)  390Mi (4%)\n"
    ) in out
    assert "  Normal  RegisteredNode " in out
    assert "Node kubesim-control-plane status is now: NodeReady" in out
    worker = kubesim("describe node kubesim-worker").out
    assert "Non-terminated Pods:          (2 in total)\n" in worker


def test_a_steady_fresh_cluster_ticks_for_free(kubesim: Kubesim) -> None:
    assert kubesim("tick 3600").out == "ticked 3600 (simulated time: 3600s)\n"
    rows = kubesim("get pods -n kube-system -l k8s-app=kube-dns --no-headers").out.splitlines()
    assert [row.split()[1:4] for row in rows] == [["1/1", "Running", "0"]] * 2


def test_logs_of_kinds_pods(kubesim: Kubesim) -> None:
    logs = kubesim("logs -n kube-system -l k8s-app=kube-dns --tail=4").out.splitlines()
    assert logs[:4] == [
        ".:53",
        "[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec"
        "5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b",
        "CoreDNS-1.11.3",
        "linux/amd64, go1.21.11, a6338e9",
    ]
    kindnet = kubesim("logs -n kube-system -l app=kindnet --tail=-1").out
    assert "main.go:109] connected to apiserver: https://10.96.0.1:443\n" in kindnet
    assert "Node kubesim-worker2 has CIDR [10.244.2.0/24] \n" in kindnet
    proxy = kubesim("logs -n kube-system -l k8s-app=kube-proxy --tail=-1").out
    assert 'server_linux.go:66] "Using iptables proxy"\n' in proxy


DNSUTILS = """apiVersion: v1
kind: Pod
metadata:
  name: dnsutils
  namespace: default
spec:
  containers:
  - name: dnsutils
    image: busybox:1.28
    command: ["sleep", "infinity"]
    imagePullPolicy: IfNotPresent
  restartPolicy: Always
"""


def test_debugging_dns_resolution(kubesim: Kubesim, tmp_path: Path) -> None:
    """The page's checks, in order, on a pod with busybox 1.28's nslookup (the output format
    the page shows)."""
    manifest = tmp_path / "dnsutils.yaml"
    manifest.write_text(DNSUTILS)
    assert kubesim(f"apply -f {manifest}").out == "pod/dnsutils created\n"
    kubesim("tick 5")
    assert kubesim("get pods dnsutils").out.splitlines()[1].split()[:3] == [
        "dnsutils",
        "1/1",
        "Running",
    ]
    working = (
        "Server:    10.96.0.10\n"
        "Address 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
        "Name:      kubernetes.default\n"
        "Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n"
    )
    assert kubesim("exec -i -t dnsutils -- nslookup kubernetes.default").out == working
    assert kubesim("exec -ti dnsutils -- cat /etc/resolv.conf").out == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\noptions ndots:5\n"
    )
    pods = kubesim("get pods --namespace=kube-system -l k8s-app=kube-dns").out.splitlines()
    assert [row.split()[1:3] for row in pods[1:]] == [["1/1", "Running"], ["1/1", "Running"]]
    for name in kubesim("get pods --namespace=kube-system -l k8s-app=kube-dns -o name").out.split():
        assert kubesim(f"logs --namespace=kube-system {name}").out.startswith(".:53\n")
    assert kubesim("get svc --namespace=kube-system").out == (
        "NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n"
        "kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   5s\n"
    )
    endpoints = kubesim("get endpoints kube-dns --namespace=kube-system").out.splitlines()
    assert re.fullmatch(
        r"kube-dns   10\.244\.0\.\d+:53,10\.244\.0\.\d+:53,10\.244\.0\.\d+:53 \+ 3 more\.\.\.   5s",
        endpoints[1],
    )
    corefile = kubesim("get configmap coredns -n kube-system -o jsonpath={.data.Corefile}").out
    assert corefile.startswith(".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n")
    # no CoreDNS pod: the Service has no endpoint and queries go unanswered
    kubesim("scale deployment coredns -n kube-system --replicas=0")
    kubesim("tick 3")
    assert kubesim("get endpoints kube-dns -n kube-system").out.splitlines()[1].split()[1] == (
        "<none>"
    )
    broken = kubesim("exec -ti dnsutils -- nslookup kubernetes.default")
    assert broken.out == "Server:    10.96.0.10\nAddress 1: 10.96.0.10\n\n"
    assert broken.err == (
        "Unable to use a TTY - input is not a terminal or the right kind of file\n"
        "nslookup: can't resolve 'kubernetes.default'\ncommand terminated with exit code 1\n"
    )
    kubesim("scale deployment coredns -n kube-system --replicas=2")
    kubesim("tick 10")
    assert kubesim("exec -ti dnsutils -- nslookup kubernetes.default").out == working


RUN_MY_NGINX = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
"""


def test_services_tutorial_environment_variables(kubesim: Kubesim, tmp_path: Path) -> None:
    """Connecting Applications with Services: pods made before the Service lack its
    variables; recreated, they have them."""
    manifest = tmp_path / "run-my-nginx.yaml"
    manifest.write_text(RUN_MY_NGINX)
    kubesim(f"apply -f {manifest}")
    kubesim("tick 3")  # the containers start in this second; the Service comes after them
    started = kubesim(
        "get pods -l run=my-nginx -o jsonpath={.items[0].status.containerStatuses[0].state}"
    ).out
    assert '"running"' in started
    assert kubesim("expose deployment/my-nginx").out == "service/my-nginx exposed\n"
    pod = kubesim("get pods -l run=my-nginx -o name").out.split()[0]
    assert kubesim(f"exec {pod} -- printenv").out.count("SERVICE") == 3
    before = kubesim(f"exec {pod} -- sh -c 'printenv | grep SERVICE | sort'").out
    assert before == (
        "KUBERNETES_SERVICE_HOST=10.96.0.1\n"
        "KUBERNETES_SERVICE_PORT=443\n"
        "KUBERNETES_SERVICE_PORT_HTTPS=443\n"
    )
    kubesim("scale deployment my-nginx --replicas=0")
    kubesim("tick 2")
    kubesim("scale deployment my-nginx --replicas=2")
    kubesim("tick 8")
    ip = kubesim("get svc my-nginx -o jsonpath={.spec.clusterIP}").out
    pod = kubesim("get pods -l run=my-nginx -o name").out.split()[0]
    after = kubesim(f"exec {pod} -- sh -c 'printenv | grep -E \"SERVICE|MY_NGINX\" | sort'").out
    assert after == (
        "KUBERNETES_SERVICE_HOST=10.96.0.1\n"
        "KUBERNETES_SERVICE_PORT=443\n"
        "KUBERNETES_SERVICE_PORT_HTTPS=443\n"
        f"MY_NGINX_PORT=tcp://{ip}:80\n"
        f"MY_NGINX_PORT_80_TCP=tcp://{ip}:80\n"
        f"MY_NGINX_PORT_80_TCP_ADDR={ip}\n"
        "MY_NGINX_PORT_80_TCP_PORT=80\n"
        "MY_NGINX_PORT_80_TCP_PROTO=tcp\n"
        f"MY_NGINX_SERVICE_HOST={ip}\n"
        "MY_NGINX_SERVICE_PORT=80\n"
    )


def test_service_links_can_be_turned_off(kubesim: Kubesim, tmp_path: Path) -> None:
    kubesim("create deployment web --image=nginx")
    kubesim("expose deployment web --port=80")
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: quiet\nspec:\n"
        "  enableServiceLinks: false\n  containers:\n  - name: c\n    image: busybox:1.28\n"
        "    command: [sleep, '3600']\n"
    )
    kubesim(f"create -f {quiet}")
    kubesim("run loud --image=busybox:1.28 -- sleep 3600")
    kubesim("tick 5")
    assert "WEB_SERVICE_HOST" in kubesim("exec loud -- printenv").out
    quiet = kubesim("exec quiet -- printenv").out
    assert "WEB_" not in quiet and "KUBERNETES_SERVICE_HOST=10.96.0.1" in quiet


def test_node_addresses_answer_pods(kubesim: Kubesim) -> None:
    kubesim("create deployment web --image=nginx")
    kubesim("expose deployment web --type=NodePort --port=80")
    kubesim("run client --image=busybox:1.28 -- sleep 3600")
    kubesim("tick 8")
    port = kubesim("get svc web -o jsonpath={.spec.ports[0].nodePort}").out
    for node_ip in ("172.18.0.2", "172.18.0.3", "172.18.0.4"):
        page = kubesim(f"exec client -- wget -qO- http://{node_ip}:{port}").out
        assert "<title>Welcome to nginx!</title>" in page
        ping = kubesim(f"exec client -- ping -c 1 {node_ip}")
        assert ping.code == 0 and "1 packets received" in ping.out


def test_node_leases_are_renewed_every_ten_seconds(kubesim: Kubesim) -> None:
    query = "get lease kubesim-worker -n kube-node-lease -o jsonpath={.spec.renewTime}"
    first = kubesim(query).out
    kubesim("tick 95")
    renewed = kubesim(query).out
    from kubesim.api import meta

    elapsed = meta.parse_time(renewed[:19] + "Z") - meta.parse_time(first[:19] + "Z")
    assert elapsed == 90
    lease = kubesim("describe node kubesim-worker").out
    assert "  HolderIdentity:  kubesim-worker\n  AcquireTime:     <unset>\n" in lease
