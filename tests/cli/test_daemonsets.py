"""DaemonSets through the CLI: the DaemonSet page's fluentd, nodes joining and labelled later,
rolling updates within maxUnavailable or maxSurge, OnDelete, and the rollout commands."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Kubesim

FLUENTD = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd-elasticsearch
  namespace: kube-system
  labels:
    k8s-app: fluentd-logging
spec:
  selector:
    matchLabels:
      name: fluentd-elasticsearch
  template:
    metadata:
      labels:
        name: fluentd-elasticsearch
    spec:
      tolerations:
      # these tolerations are to have the daemonset runnable on control plane nodes
      # remove them if your control plane nodes should not run pods
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      - key: node-role.kubernetes.io/master
        operator: Exists
        effect: NoSchedule
      containers:
      - name: fluentd-elasticsearch
        image: quay.io/fluentd_elasticsearch/fluentd:v2.5.2
        resources:
          limits:
            memory: 200Mi
          requests:
            cpu: 100m
            memory: 200Mi
        volumeMounts:
        - name: varlog
          mountPath: /var/log
      # it may be desirable to set a high priority class to ensure that a DaemonSet Pod
      # preempts running Pods
      # priorityClassName: important
      terminationGracePeriodSeconds: 30
      volumes:
      - name: varlog
        hostPath:
          path: /var/log
"""

SIMPLE = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  {strategy}
  template:
    metadata:
      labels:
        app: agent
    spec:
      {node_selector}
      containers:
      - name: agent
        image: nginx:1.25
"""

NODE = """apiVersion: v1
kind: Node
metadata:
  name: kubesim-worker3
  labels:
    kubernetes.io/hostname: kubesim-worker3
    kubernetes.io/os: linux
spec:
  podCIDR: 10.244.3.0/24
  podCIDRs: [10.244.3.0/24]
status:
  addresses:
  - {address: 172.18.0.5, type: InternalIP}
  - {address: kubesim-worker3, type: Hostname}
  conditions:
  - {type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def pods_by_node(kubesim: Kubesim, selector: str, namespace: str = "default") -> dict[str, str]:
    rows = kubesim(f"get pods -n {namespace} -l {selector} -o wide --no-headers").out
    return {row.split()[6]: row.split()[2] for row in rows.splitlines()}


def test_the_daemonset_page(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(tmp_path, "daemonset.yaml", FLUENTD)
    assert kubesim(f"apply -f {manifest}").out == ("daemonset.apps/fluentd-elasticsearch created\n")
    kubesim("tick 6")
    assert kubesim("get ds fluentd-elasticsearch -n kube-system").out == (
        "NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
        "fluentd-elasticsearch   3         3         3       3            3           <none>          6s\n"
    )
    # a pod per node, the control plane's included (it tolerates the taint)
    assert pods_by_node(kubesim, "name=fluentd-elasticsearch", "kube-system") == {
        "kubesim-control-plane": "Running",
        "kubesim-worker": "Running",
        "kubesim-worker2": "Running",
    }
    pod = kubesim("get pods -n kube-system -l name=fluentd-elasticsearch -o name").out.split()[0]
    spec = kubesim(f"get {pod} -n kube-system -o yaml").out
    assert (
        "        - matchFields:\n          - key: metadata.name\n            operator: In\n" in spec
    )
    for key in ("not-ready", "unreachable", "disk-pressure", "memory-pressure", "pid-pressure",
                "unschedulable"):  # fmt: skip
        assert f"    key: node.kubernetes.io/{key}\n" in spec
    assert "network-unavailable" not in spec  # only hostNetwork pods tolerate that
    assert "    controller-revision-hash: " in spec and '    pod-template-generation: "1"\n' in spec
    described = kubesim("describe ds fluentd-elasticsearch -n kube-system").out
    assert described.startswith(
        "Name:           fluentd-elasticsearch\n"
        "Namespace:      kube-system\n"
        "Selector:       name=fluentd-elasticsearch\n"
        "Node-Selector:  <none>\n"
        "Labels:         k8s-app=fluentd-logging\n"
        "Annotations:    deprecated.daemonset.template.generation: 1\n"
        "Desired Number of Nodes Scheduled: 3\n"
        "Current Number of Nodes Scheduled: 3\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 3\n"
        "Number of Nodes Scheduled with Available Pods: 3\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    )
    assert "daemonset-controller  Created pod: fluentd-elasticsearch-" in described


def test_new_and_newly_labelled_nodes_get_their_pod(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(
        tmp_path, "ds.yaml", SIMPLE.format(strategy="", node_selector="nodeSelector: {ssd: 'true'}")
    )
    kubesim(f"create -f {manifest}")
    kubesim("tick 3")
    assert kubesim("get pods -l app=agent").err == "No resources found in default namespace.\n"
    kubesim("label node kubesim-worker ssd=true")
    kubesim("tick 5")
    assert pods_by_node(kubesim, "app=agent") == {"kubesim-worker": "Running"}
    node = write(tmp_path, "node.yaml", NODE.replace("kubernetes.io/os: linux", "ssd: 'true'"))
    kubesim(f"create -f {node}")
    kubesim("tick 5")
    assert pods_by_node(kubesim, "app=agent") == {
        "kubesim-worker": "Running",
        "kubesim-worker3": "Running",
    }
    # a label taken away: the node's pod goes
    kubesim("label node kubesim-worker ssd-")
    kubesim("tick 5")
    assert pods_by_node(kubesim, "app=agent") == {"kubesim-worker3": "Running"}


def test_rolling_update_one_node_at_a_time(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(tmp_path, "ds.yaml", SIMPLE.format(strategy="", node_selector=""))
    kubesim(f"create -f {manifest}")
    kubesim("tick 5")
    assert kubesim("rollout status ds/agent").out == 'daemon set "agent" successfully rolled out\n'
    kubesim("set image ds/agent agent=nginx:1.26")
    old = set(kubesim("get pods -l app=agent -o name").out.split())
    kubesim("tick 1")
    # maxUnavailable 1: one old pod at a time is deleted, then replaced
    images = kubesim("get pods -l app=agent -o jsonpath={.items[*].spec.containers[0].image}").out
    assert sorted(images.split()).count("nginx:1.25") >= 1
    result = kubesim("rollout status ds/agent --timeout=60s")
    assert result.out.endswith('daemon set "agent" successfully rolled out\n')
    assert 'Waiting for daemon set "agent" rollout to finish: ' in result.out
    # the workers only: the control plane's taint is not tolerated
    new = set(kubesim("get pods -l app=agent -o name").out.split())
    assert not old & new and len(new) == 2
    images = kubesim("get pods -l app=agent -o jsonpath={.items[*].spec.containers[0].image}").out
    assert images.split() == ["nginx:1.26"] * 2
    assert kubesim("rollout history ds/agent").out == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    )
    assert kubesim("rollout undo ds/agent").out == "daemonset.apps/agent rolled back\n"
    kubesim("rollout status ds/agent --timeout=60s")
    images = kubesim("get pods -l app=agent -o jsonpath={.items[*].spec.containers[0].image}").out
    assert images.split() == ["nginx:1.25"] * 2
    revisions = kubesim("get controllerrevisions -l app=agent --no-headers").out.splitlines()
    assert sorted(r.split()[2] for r in revisions) == ["2", "3"]


def test_max_surge_starts_the_new_pod_first(kubesim: Kubesim, tmp_path: Path) -> None:
    strategy = (
        "updateStrategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}"
    )
    manifest = write(tmp_path, "ds.yaml", SIMPLE.format(strategy=strategy, node_selector=""))
    kubesim(f"create -f {manifest}")
    kubesim("tick 5")
    kubesim("set image ds/agent agent=nginx:1.26")
    kubesim("tick 1")
    rows = kubesim("get pods -l app=agent --no-headers").out.splitlines()
    assert len(rows) == 3  # an old and a new pod side by side on one of the two workers
    kubesim("rollout status ds/agent --timeout=60s")
    kubesim("tick 3")  # the last old pod goes once its replacement is available
    assert len(kubesim("get pods -l app=agent -o name").out.split()) == 2


def test_on_delete_waits_for_the_user(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "ds.yaml",
        SIMPLE.format(strategy="updateStrategy: {type: OnDelete}", node_selector=""),
    )
    kubesim(f"create -f {manifest}")
    kubesim("tick 5")
    kubesim("set image ds/agent agent=nginx:1.26")
    kubesim("tick 10")
    assert kubesim("get ds agent --no-headers").out.split()[1:6] == ["2", "2", "2", "0", "2"]
    assert kubesim("rollout status ds/agent").err == (
        "error: rollout status is only available for RollingUpdate strategy type\n"
    )
    pod = kubesim("get pods -l app=agent -o name").out.split()[0]
    kubesim(f"delete {pod}")
    kubesim("tick 5")
    images = kubesim("get pods -l app=agent -o jsonpath={.items[*].spec.containers[0].image}").out
    assert sorted(images.split()) == ["nginx:1.25", "nginx:1.26"]
    assert kubesim("get ds agent --no-headers").out.split()[4] == "1"


def test_invalid_daemonsets_are_refused(kubesim: Kubesim, tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad.yaml",
        SIMPLE.format(strategy="", node_selector="restartPolicy: Never"),
    )
    result = kubesim(f"create -f {bad}")
    assert result.code == 1
    assert result.err == (
        'The DaemonSet "agent" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
        '"Never": supported values: "Always"\n'
    )
