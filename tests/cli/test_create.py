"""kubesim create -f: files, directories, stdin, several documents, JSON and List."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Kubesim


def test_directory_creates_every_manifest_in_name_order(kubesim: Kubesim, tmp_path: Path) -> None:
    manifests = tmp_path / "manifests"
    manifests.mkdir()
    (manifests / "a-svc.yaml").write_text((SAMPLES / "svc.yaml").read_text())
    (manifests / "b-sts.yml").write_text((SAMPLES / "statefulset.yaml").read_text())
    (manifests / "notes.txt").write_text("not a manifest")
    result = kubesim("create -f manifests")
    assert (result.code, result.out) == (0, "service/nginx created\nstatefulset.apps/web created\n")


def test_multi_document_yaml_from_stdin(kubesim: Kubesim) -> None:
    both = (SAMPLES / "svc.yaml").read_text() + "---\n" + (SAMPLES / "statefulset.yaml").read_text()
    result = kubesim("create -f -", stdin=both)
    assert result.out == "service/nginx created\nstatefulset.apps/web created\n"


def test_json_and_list(kubesim: Kubesim) -> None:
    items = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db", "namespace": "team-a"},
         "spec": {"clusterIP": "None", "selector": {"app": "db"}}},
    ]  # fmt: skip
    result = kubesim(
        "create -f -", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": items})
    )
    assert result.out == "namespace/team-a created\nservice/db created\n"
    assert kubesim("get svc -n team-a -o name").out == "service/db\n"
    assert kubesim("get svc db -n team-a").out.splitlines()[1].split()[:5] == [
        "db",
        "ClusterIP",
        "None",
        "<none>",
        "<none>",
    ]


def test_one_failure_does_not_stop_the_others(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    both = (SAMPLES / "svc.yaml").read_text() + "---\n" + (SAMPLES / "statefulset.yaml").read_text()
    result = kubesim("create -f -", stdin=both)
    assert result.code == 1
    assert result.out == "statefulset.apps/web created\n"
    assert (
        result.err
        == 'Error from server (AlreadyExists): error when creating "STDIN": services "nginx" already exists\n'
    )


def test_namespaced_create_and_all_namespaces(kubesim: Kubesim) -> None:
    kubesim(
        "create -f -",
        stdin='{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}}',
    )
    kubesim(f"create -n demo -f {SAMPLES / 'svc.yaml'}")
    assert kubesim("get svc nginx -n demo -o name").out == "service/nginx\n"
    assert (
        kubesim("get svc nginx").err == 'Error from server (NotFound): services "nginx" not found\n'
    )
    rows = [line.split()[:2] for line in kubesim("get svc -A").out.splitlines()[1:]]
    assert ["demo", "nginx"] in rows


def test_the_created_statefulset_has_its_defaults(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    spec = json.loads(kubesim("get sts web -o json").out)["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_create_deployment_from_flags(kubesim: Kubesim) -> None:
    result = kubesim("create deployment web --image=nginx:1.14.2 --replicas=2 --port=80")
    assert (result.code, result.out) == (0, "deployment.apps/web created\n")
    spec = json.loads(kubesim("get deploy web -o json").out)["spec"]
    assert spec["selector"] == {"matchLabels": {"app": "web"}}
    assert spec["replicas"] == 2
    container = spec["template"]["spec"]["containers"][0]
    assert (container["name"], container["image"], container["ports"]) == (
        "nginx",
        "nginx:1.14.2",
        [{"containerPort": 80, "protocol": "TCP"}],
    )
    assert kubesim("rollout status deployment/web").code == 0


def test_create_deployment_with_a_command(kubesim: Kubesim) -> None:
    kubesim("create deployment sleeper --image=busybox:1.28 -- sh -c 'sleep 3600'")
    command = kubesim("get deploy sleeper -o jsonpath={.spec.template.spec.containers[0].command}")
    assert command.out == '["sh","-c","sleep 3600"]'


def test_create_namespace(kubesim: Kubesim) -> None:
    assert kubesim("create namespace dev").out == "namespace/dev created\n"
    again = kubesim("create ns dev")
    assert again.err == 'Error from server (AlreadyExists): namespaces "dev" already exists\n'


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (
            "create deployment --image=nginx",
            "error: exactly one NAME is required, got 0\nSee 'kubesim create deployment -h' for help and examples\n",
        ),
        (
            "create foo bar",
            "Error: Unexpected args: [foo bar]\nSee 'kubesim create -h' for help and examples\n",
        ),
        (
            "create foo",
            "error: Unexpected args: [foo]\nSee 'kubesim create -h' for help and examples\n",
        ),
    ],
)
def test_create_subcommand_errors(kubesim: Kubesim, command: str, message: str) -> None:
    result = kubesim(command)
    assert (result.code, result.err) == (1, message)


DEPLOYMENT_DRY_RUN = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.25
        name: nginx
        resources: {}
status: {}
"""


def test_create_deployment_dry_run_prints_the_manifest(kubesim: Kubesim) -> None:
    result = kubesim("create deployment web --image=nginx:1.25 --dry-run=client -o yaml")
    assert (result.code, result.out) == (0, DEPLOYMENT_DRY_RUN)
    assert kubesim("get deploy").err == "No resources found in default namespace.\n"


POD_DRY_RUN = """\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: box
  name: box
spec:
  containers:
  - args:
    - sleep
    - "3600"
    image: busybox:1.28
    name: box
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""


def test_run_dry_run_prints_the_pod(kubesim: Kubesim) -> None:
    result = kubesim("run box --image=busybox:1.28 --dry-run=client -o yaml -- sleep 3600")
    assert result.out == POD_DRY_RUN
    assert kubesim("run box --image=busybox:1.28 --dry-run=server").out == (
        "pod/box created (server dry run)\n"
    )
    assert kubesim("get pods").err == "No resources found in default namespace.\n"
    attached = kubesim("run -i box --image=busybox:1.28 --dry-run=client")
    assert attached.err == (
        "error: --dry-run=[server|client] can't be used with attached containers options "
        "(--attach, --stdin, or --tty)\nSee 'kubesim run -h' for help and examples\n"
    )


def test_the_deprecated_dry_run_spellings_warn_through_klog(kubesim: Kubesim) -> None:
    klog = r"W\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ helpers\.go:"
    bare = kubesim("create namespace dev --dry-run")
    assert bare.out == "namespace/dev created (dry run)\n"
    assert re.fullmatch(
        klog + r"702\] --dry-run is deprecated and can be replaced with --dry-run=client\.\n",
        bare.err,
    )
    off = kubesim("create namespace dev --dry-run=false")
    assert off.out == "namespace/dev created\n"
    assert re.fullmatch(
        klog + r"719\] --dry-run=false is deprecated \(boolean value\) and can be replaced with "
        r"--dry-run=none\.\n",
        off.err,
    )
    assert kubesim("get pods --dry-run").err == (
        "Error: unknown flag: --dry-run\nSee 'kubesim get --help' for usage.\n"
    )
