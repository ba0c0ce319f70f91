"""The scheduler's filters and scores through the CLI: the examples of the "Assigning Pods to
Nodes" and "Pod Topology Spread Constraints" pages, a Deployment spread over the workers, and
`kubesim why` showing each node's scores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim, set_runtime

TAINT = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"


@pytest.fixture
def cluster(kubesim: Kubesim, home: Path) -> Kubesim:
    """A fresh cluster whose seed is fixed, so that ties between nodes break the same way."""
    kubesim("get nodes")
    set_runtime(home, "cluster", "seed", 20261207)
    return kubesim


def node_of(kubesim: Kubesim, pod: str) -> str:
    return kubesim(f"get pod {pod} -o jsonpath={{.spec.nodeName}}").out


def spread_of(kubesim: Kubesim, selector: str) -> Counter[str]:
    rows = kubesim(f"get pods -l {selector} -o wide --no-headers").out.splitlines()
    return Counter(row.split()[6] for row in rows)


def failed_scheduling(kubesim: Kubesim, pod: str) -> str:
    return kubesim(
        f"get events --field-selector reason=FailedScheduling,involvedObject.name={pod} "
        "-o jsonpath={.items[-1].message}"
    ).out


def place(kubesim: Kubesim, name: str, node: str, labels: str) -> None:
    """A pod put on `node` by its spec (spec.nodeName: the scheduler plays no part)."""
    kubesim("create -f -", stdin=(
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{{labels}}}\n"
        f"spec:\n  nodeName: {node}\n  containers:\n  - name: pause\n"
        "    image: registry.k8s.io/pause:3.1\n"
    ))  # fmt: skip


def worker(name: str, labels: str = "") -> str:
    """A worker node as kind would register it, with `labels` (YAML flow entries) added."""
    number = {"kubesim-worker3": 5, "kubesim-worker4": 6}.get(name, 7)
    return f"""apiVersion: v1
kind: Node
metadata:
  name: {name}
  labels: {{kubernetes.io/hostname: {name}, kubernetes.io/os: linux{labels}}}
spec:
  podCIDR: 10.244.{number}.0/24
  podCIDRs: [10.244.{number}.0/24]
status:
  addresses:
  - {{address: 172.18.0.{number}, type: InternalIP}}
  - {{address: {name}, type: Hostname}}
  allocatable: {{cpu: "2", ephemeral-storage: 100Gi, memory: 8Gi, pods: "110"}}
  capacity: {{cpu: "2", ephemeral-storage: 100Gi, memory: 8Gi, pods: "110"}}
  conditions:
  - {{type: Ready, status: "True", reason: KubeletReady, message: kubelet is posting ready status}}
"""


# --- Assigning Pods to Nodes: node affinity ------------------------------------------------------

# content/en/examples/pods/pod-with-node-affinity.yaml
NODE_AFFINITY = """\
apiVersion: v1
kind: Pod
metadata:
  name: with-node-affinity
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: topology.kubernetes.io/zone
            operator: In
            values:
            - antarctica-east1
            - antarctica-west1
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions:
          - key: another-node-label-key
            operator: In
            values:
            - another-node-label-value
  containers:
  - name: with-node-affinity
    image: registry.k8s.io/pause:3.8
"""

# content/en/examples/pods/pod-with-affinity-preferred-weight.yaml
PREFERRED_WEIGHT = """\
apiVersion: v1
kind: Pod
metadata:
  name: with-affinity-preferred-weight
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: kubernetes.io/os
            operator: In
            values:
            - linux
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 1
        preference:
          matchExpressions:
          - key: label-1
            operator: In
            values:
            - key-1
      - weight: 50
        preference:
          matchExpressions:
          - key: label-2
            operator: In
            values:
            - key-2
  containers:
  - name: with-node-affinity
    image: registry.k8s.io/pause:3.8
"""


def test_required_node_affinity_waits_for_a_node_in_the_zones(cluster: Kubesim) -> None:
    cluster("apply -f -", stdin=NODE_AFFINITY)
    cluster("tick 2")
    message = (
        f"0/3 nodes are available: 1 {TAINT}, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling."
    )
    assert cluster("why pod/with-node-affinity").out == (
        f"pod/with-node-affinity: not scheduled: {message}\n"
        "  kubesim-worker, kubesim-worker2: node(s) didn't match Pod's node affinity/selector\n"
        f"  kubesim-control-plane: {TAINT}\n"
    )
    cluster("label node kubesim-worker topology.kubernetes.io/zone=antarctica-east1")
    cluster(
        "label node kubesim-worker2 topology.kubernetes.io/zone=antarctica-west1 "
        "another-node-label-key=another-node-label-value"
    )
    cluster("tick 2")
    # both zones qualify; the preferred label decides
    assert node_of(cluster, "with-node-affinity") == "kubesim-worker2"
    assert cluster("why pod/with-node-affinity").out.splitlines()[1:] == [
        "  scheduled on kubesim-worker2, the highest total of 2 feasible nodes (each plugin "
        "scores a node 0-100, times its weight):",
        "    PLUGIN                            WEIGHT   kubesim-worker2   kubesim-worker",
        "    TaintToleration                   3        100               100",
        "    NodeAffinity                      2        100               0",
        "    NodeResourcesFit                  1        89                89",
        "    NodeResourcesBalancedAllocation   1        97                97",
        "    ImageLocality                     1        0                 0",
        "    total                                      686               486",
        "    not scored (nothing to score for this pod): PodTopologySpread, InterPodAffinity",
        f"  not feasible: kubesim-control-plane: {TAINT}",
    ]


def test_the_heavier_preferred_term_wins(cluster: Kubesim) -> None:
    cluster("label node kubesim-worker label-1=key-1")
    cluster("label node kubesim-worker2 label-2=key-2")
    cluster("apply -f -", stdin=PREFERRED_WEIGHT)
    cluster("tick 2")
    assert node_of(cluster, "with-affinity-preferred-weight") == "kubesim-worker2"
    why = cluster("why pod/with-affinity-preferred-weight").out
    # weights 50 and 1, normalised to the highest
    assert "    NodeAffinity                      2        100               2\n" in why


PREFERRING = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: pref
spec:
  replicas: 11
  selector:
    matchLabels: {app: pref}
  template:
    metadata:
      labels: {app: pref}
    spec:
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            preference:
              matchExpressions:
              - {key: disktype, operator: In, values: [ssd]}
      containers:
      - name: nginx
        image: nginx:1.25
"""


def test_preferred_affinity_outweighs_spreading_until_the_node_fills(cluster: Kubesim) -> None:
    cluster("label node kubesim-worker disktype=ssd")
    cluster("apply -f -", stdin=PREFERRING)
    cluster("tick 5")
    # NodeAffinity's 2 x 100 holds against default spreading and LeastAllocated until the
    # preferred node has 10 of the Deployment's pods
    assert spread_of(cluster, "app=pref") == {"kubesim-worker": 10, "kubesim-worker2": 1}


# --- Assigning Pods to Nodes: inter-pod affinity -----------------------------------------------

# content/en/examples/pods/pod-with-pod-affinity.yaml
POD_AFFINITY = """\
apiVersion: v1
kind: Pod
metadata:
  name: with-pod-affinity
spec:
  affinity:
    podAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
      - labelSelector:
          matchExpressions:
          - key: security
            operator: In
            values:
            - S1
        topologyKey: topology.kubernetes.io/zone
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          labelSelector:
            matchExpressions:
            - key: security
              operator: In
              values:
              - S2
          topologyKey: topology.kubernetes.io/zone
  containers:
  - name: with-pod-affinity
    image: registry.k8s.io/pause:3.8
"""


def test_pod_affinity_follows_the_pods_it_names(cluster: Kubesim, tmp_path: Path) -> None:
    cluster("apply -f -", stdin=POD_AFFINITY)
    cluster("tick 2")
    # kind's nodes have no zone: no node has the topology key
    assert failed_scheduling(cluster, "with-pod-affinity") == (
        f"0/3 nodes are available: 1 {TAINT}, 2 node(s) didn't match pod affinity rules. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )
    for name, zone in (("kubesim-worker", "z1"), ("kubesim-worker2", "z2")):
        cluster(f"label node {name} topology.kubernetes.io/zone={zone}")
    (tmp_path / "worker3.yaml").write_text(
        worker("kubesim-worker3", ", topology.kubernetes.io/zone: z2")
    )
    cluster(f"create -f {tmp_path / 'worker3.yaml'}")
    cluster("tick 2")
    assert node_of(cluster, "with-pod-affinity") == ""  # no S1 pod anywhere yet
    place(cluster, "s1-a", "kubesim-worker", "security: S1")
    place(cluster, "s1-b", "kubesim-worker3", "security: S1")
    place(cluster, "s2", "kubesim-worker", "security: S2")
    cluster("tick 2")
    # both zones hold an S1 pod; zone z1 an S2 pod too, which the pod prefers to stay away from
    assert cluster("why pod/with-pod-affinity").out.splitlines()[1:8] == [
        "  scheduled on kubesim-worker2, the highest total of 3 feasible nodes (each plugin "
        "scores a node 0-100, times its weight):",
        "    PLUGIN                            WEIGHT   kubesim-worker2   kubesim-worker3   "
        "kubesim-worker",
        "    TaintToleration                   3        100               100               100",
        "    NodeResourcesFit                  1        89                86                82",
        "    InterPodAffinity                  2        100               100               0",
        "    NodeResourcesBalancedAllocation   1        97                97                97",
        "    ImageLocality                     1        0                 0                 0",
    ]


# the redis-cache and web-store Deployments of "Assigning Pods to Nodes"
REDIS_CACHE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-cache
spec:
  selector:
    matchLabels:
      app: store
  replicas: 3
  template:
    metadata:
      labels:
        app: store
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - store
            topologyKey: "kubernetes.io/hostname"
      containers:
      - name: redis-server
        image: redis:3.2-alpine
"""
WEB_STORE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-server
spec:
  selector:
    matchLabels:
      app: web-store
  replicas: 3
  template:
    metadata:
      labels:
        app: web-store
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - web-store
            topologyKey: "kubernetes.io/hostname"
        podAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values:
                - store
            topologyKey: "kubernetes.io/hostname"
      containers:
      - name: web-app
        image: nginx:1.16-alpine
"""


def test_redis_cache_and_web_store_pair_up_one_per_node(cluster: Kubesim, tmp_path: Path) -> None:
    cluster("apply -f -", stdin=REDIS_CACHE)
    cluster("apply -f -", stdin=WEB_STORE)
    cluster("tick 5")
    # two workers: the third replica of each has nowhere to go
    assert spread_of(cluster, "app=store") == {
        "kubesim-worker": 1, "kubesim-worker2": 1, "<none>": 1,
    }  # fmt: skip
    assert spread_of(cluster, "app=web-store") == {
        "kubesim-worker": 1, "kubesim-worker2": 1, "<none>": 1,
    }  # fmt: skip
    pending = cluster("get pods -l app=store --field-selector=status.phase=Pending -o name").out
    name = pending.strip().removeprefix("pod/")
    message = (
        f"0/3 nodes are available: 1 {TAINT}, 2 node(s) didn't match pod anti-affinity rules. "
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."
    )
    assert failed_scheduling(cluster, name) == message
    assert cluster(f"why pod/{name}").out == (
        f"pod/{name}: not scheduled: {message}\n"
        "  kubesim-worker, kubesim-worker2: node(s) didn't match pod anti-affinity rules\n"
        f"  kubesim-control-plane: {TAINT}\n"
    )
    # a third worker: each Deployment's last replica lands there, side by side
    (tmp_path / "worker3.yaml").write_text(worker("kubesim-worker3"))
    cluster(f"create -f {tmp_path / 'worker3.yaml'}")
    cluster("tick 3")
    for app in ("store", "web-store"):
        assert spread_of(cluster, f"app={app}") == {
            "kubesim-worker": 1, "kubesim-worker2": 1, "kubesim-worker3": 1,
        }  # fmt: skip


def test_a_web_server_waits_for_a_cache_to_be_placed(cluster: Kubesim) -> None:
    cluster("apply -f -", stdin=WEB_STORE)
    cluster("tick 2")
    assert spread_of(cluster, "app=web-store") == {"<none>": 3}
    cluster("apply -f -", stdin=REDIS_CACHE)
    cluster("tick 4")  # each placed cache lets a web server in beside it
    assert spread_of(cluster, "app=web-store") == {
        "kubesim-worker": 1, "kubesim-worker2": 1, "<none>": 1,
    }  # fmt: skip


# --- Pod Topology Spread Constraints -----------------------------------------------------------

# content/en/examples/pods/topology-spread-constraints/one-constraint.yaml
ONE_CONSTRAINT = """\
kind: Pod
apiVersion: v1
metadata:
  name: mypod
  labels:
    foo: bar
spec:
  topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: zone
    whenUnsatisfiable: DoNotSchedule
    labelSelector:
      matchLabels:
        foo: bar
  containers:
  - name: pause
    image: registry.k8s.io/pause:3.1
"""
# .../two-constraints.yaml
TWO_CONSTRAINTS = ONE_CONSTRAINT.replace(
    "  containers:",
    """  - maxSkew: 1
    topologyKey: node
    whenUnsatisfiable: DoNotSchedule
    labelSelector:
      matchLabels:
        foo: bar
  containers:""",
)
# .../one-constraint-with-nodeaffinity.yaml
WITH_NODE_AFFINITY = ONE_CONSTRAINT.replace(
    "  containers:",
    """  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
        - matchExpressions:
          - key: zone
            operator: NotIn
            values:
            - zoneC
  containers:""",
)


def zones(kubesim: Kubesim, tmp_path: Path, layout: dict[str, tuple[str, int]]) -> None:
    """The page's nodes (node -> zone, and how many foo=bar pods it holds), beside kind's."""
    for name, (zone, pods) in layout.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            worker(name, f", node: {name}, zone: {zone}").replace("10.244.7", "10.244.9")
        )
        kubesim(f"create -f {path}")
        for i in range(pods):
            place(kubesim, f"{name}-p{i}", name, "foo: bar")
    kubesim("tick 2")


PAGE = {"node1": ("zoneA", 1), "node2": ("zoneA", 1), "node3": ("zoneB", 1), "node4": ("zoneB", 0)}


def test_one_constraint_places_the_pod_in_zone_b(cluster: Kubesim, tmp_path: Path) -> None:
    zones(cluster, tmp_path, PAGE)
    cluster("apply -f -", stdin=ONE_CONSTRAINT)
    cluster("tick 2")
    assert node_of(cluster, "mypod") in ("node3", "node4")
    lines = cluster("why pod/mypod").out.splitlines()
    assert (
        "  not feasible: kubesim-worker, kubesim-worker2: node(s) didn't match pod topology "
        "spread constraints (missing required label)"
    ) in lines
    assert (
        "  not feasible: node1, node2: node(s) didn't match pod topology spread constraints"
        in lines
    )


def test_two_constraints_leave_node4_only(cluster: Kubesim, tmp_path: Path) -> None:
    zones(cluster, tmp_path, PAGE)
    cluster("apply -f -", stdin=TWO_CONSTRAINTS)
    cluster("tick 2")
    assert node_of(cluster, "mypod") == "node4"
    assert cluster("why pod/mypod").out.splitlines()[1] == (
        "  scheduled on node4, the only node that fits (the scheduler scores no nodes when a "
        "single one is feasible)"
    )


def test_conflicting_constraints_keep_the_pod_pending(cluster: Kubesim, tmp_path: Path) -> None:
    zones(cluster, tmp_path, {"node1": ("zoneA", 2), "node2": ("zoneA", 1), "node3": ("zoneB", 2)})
    cluster("apply -f -", stdin=TWO_CONSTRAINTS)
    cluster("tick 2")
    assert failed_scheduling(cluster, "mypod") == (
        f"0/6 nodes are available: 1 {TAINT}, 2 node(s) didn't match pod topology spread "
        "constraints (missing required label), 3 node(s) didn't match pod topology spread "
        "constraints. preemption: 0/6 nodes are available: 3 No preemption victims found for "
        "incoming pod, 3 Preemption is not helpful for scheduling."
    )
    # one more foo=bar pod in zoneB evens the zones: node2 takes the pending pod
    place(cluster, "extra", "node3", "foo: bar")
    cluster("tick 2")
    assert node_of(cluster, "mypod") == "node2"


def test_node_affinity_takes_zone_c_out_of_the_spread(cluster: Kubesim, tmp_path: Path) -> None:
    zones(cluster, tmp_path, {**PAGE, "node5": ("zoneC", 0)})
    cluster("apply -f -", stdin=ONE_CONSTRAINT.replace("mypod", "free"))
    cluster("apply -f -", stdin=WITH_NODE_AFFINITY)
    cluster("tick 2")
    # without node affinity the empty zoneC is the global minimum: only node5 is allowed
    assert node_of(cluster, "free") == "node5"
    # zoneC out of the count (nodeAffinityPolicy: Honor), zoneB is allowed
    assert node_of(cluster, "mypod") in ("node3", "node4")


# --- spreading, and the walkthrough -----------------------------------------------------------


def test_a_deployment_spreads_over_the_workers(cluster: Kubesim) -> None:
    cluster("create deployment web --image=nginx:1.25 --replicas=6")
    cluster("tick 5")
    assert spread_of(cluster, "app=web") == {"kubesim-worker": 3, "kubesim-worker2": 3}
    cluster("scale deployment web --replicas=9")
    cluster("tick 5")
    assert sorted(spread_of(cluster, "app=web").values()) == [4, 5]


def test_why_shows_how_the_statefulset_pods_were_placed(cluster: Kubesim) -> None:
    assert cluster(f"create -f {SAMPLES / 'svc.yaml'}").code == 0
    assert cluster(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    cluster("tick 12")
    assert (node_of(cluster, "web-0"), node_of(cluster, "web-1")) == (
        "kubesim-worker2", "kubesim-worker",
    )  # fmt: skip
    # web-1 goes where web-0 is not: the Service's selector spreads them (PodTopologySpread's
    # defaults), and the emptier node leaves more free (NodeResourcesFit)
    assert cluster("why pod/web-1").out == (
        "pod/web-1: Running and Ready: nothing to wait for\n"
        "  scheduled on kubesim-worker, the highest total of 2 feasible nodes (each plugin scores "
        "a node 0-100, times its weight):\n"
        "    PLUGIN                            WEIGHT   kubesim-worker   kubesim-worker2\n"
        "    TaintToleration                   3        100              100\n"
        "    NodeResourcesFit                  1        89               86\n"
        "    PodTopologySpread                 2        100              66\n"
        "    NodeResourcesBalancedAllocation   1        97               97\n"
        "    ImageLocality                     1        0                0\n"
        "    total                                      686              615\n"
        "    not scored (nothing to score for this pod): NodeAffinity, InterPodAffinity\n"
        f"  not feasible: kubesim-control-plane: {TAINT}\n"
    )
    # web-0 had the two workers alike: the tie went to the cluster's seeded draw
    assert (
        "    total                                      686               686\n"
        in cluster("why pod/web-0").out
    )
