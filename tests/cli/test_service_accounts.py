"""ServiceAccounts as every cluster has them: a `default` account and the kube-root-ca.crt
ConfigMap in each namespace, and the token volume the admission plugin gives each pod."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Kubesim

TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
QUIET_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: quiet
spec:
  automountServiceAccountToken: false
  containers:
  - name: c
    image: busybox:1.28
"""
BUILDER_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: lost
spec:
  serviceAccountName: builder
  containers:
  - name: c
    image: busybox:1.28
"""


def test_every_namespace_has_a_default_account_and_the_root_ca(kubesim: Kubesim) -> None:
    accounts = kubesim("get sa -A").out.splitlines()
    assert accounts[0].split() == ["NAMESPACE", "NAME", "SECRETS", "AGE"]
    defaults = [line.split() for line in accounts[1:] if line.split()[1] == "default"]
    assert [d[0] for d in defaults] == [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
        "local-path-storage",
    ]
    assert all(d[2] == "0" for d in defaults)
    # and the accounts of kind's add-ons
    others = sorted(tuple(line.split()[:2]) for line in accounts[1:] if "default" not in line)
    assert others == [
        ("kube-system", "coredns"),
        ("kube-system", "kindnet"),
        ("kube-system", "kube-proxy"),
        ("local-path-storage", "local-path-provisioner-service-account"),
    ]
    maps = kubesim("get cm -n kube-public").out.splitlines()
    assert maps[0].split() == ["NAME", "DATA", "AGE"]
    assert maps[1].split()[:2] == ["kube-root-ca.crt", "1"]
    ca = kubesim("get cm kube-root-ca.crt -o jsonpath='{.data.ca\\.crt}'").out
    assert ca.startswith("-----BEGIN CERTIFICATE-----\nMII")


def test_a_new_namespace_gets_them_at_once(kubesim: Kubesim) -> None:
    # the service account and root CA publisher controllers react within milliseconds
    kubesim("create namespace dev")
    assert kubesim("get sa,cm -n dev -o name").out == (
        "serviceaccount/default\nconfigmap/kube-root-ca.crt\n"
    )


def test_a_pod_mounts_its_token_read_from_inside(kubesim: Kubesim) -> None:
    kubesim("run box --image=busybox:1.28 -- sleep 3600")
    volume = kubesim("get pod box -o jsonpath={.spec.volumes[0].name}").out
    assert volume.startswith("kube-api-access-") and len(volume) == len("kube-api-access-") + 5
    mount = kubesim("get pod box -o jsonpath={.spec.containers[0].volumeMounts[0]}").out
    assert mount == f'{{"mountPath":"{TOKEN_DIR}","name":"{volume}","readOnly":true}}'
    kubesim("tick 5")
    assert kubesim(f"exec box -- ls {TOKEN_DIR}").out == "ca.crt\nnamespace\ntoken\n"
    assert kubesim(f"exec box -- cat {TOKEN_DIR}/namespace").out == "default"
    token = kubesim(f"exec box -- cat {TOKEN_DIR}/token").out
    assert token.startswith("eyJhbGciOiJSUzI1NiIs") and token.count(".") == 2


def test_opting_out_of_the_token(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(QUIET_POD)
    kubesim(f"create -f {manifest}")
    assert kubesim("get pod quiet -o jsonpath={.spec.volumes}").out == ""


def test_a_pod_naming_a_missing_account_is_forbidden(kubesim: Kubesim, tmp_path: Path) -> None:
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(BUILDER_POD)
    result = kubesim(f"create -f {manifest}")
    assert (result.code, result.err) == (
        1,
        f'Error from server (Forbidden): error when creating "{manifest}": pods "lost" is '
        "forbidden: error looking up service account default/builder: serviceaccount "
        '"builder" not found\n',
    )
    assert kubesim("create serviceaccount builder").out == "serviceaccount/builder created\n"
    assert kubesim(f"create -f {manifest}").out == "pod/lost created\n"


def test_a_started_container_reports_its_mounts(kubesim: Kubesim) -> None:
    kubesim("run box --image=busybox:1.28 -- sleep 3600")
    kubesim("tick 5")
    volume = kubesim("get pod box -o jsonpath={.spec.volumes[0].name}").out
    mounts = kubesim("get pod box -o jsonpath={.status.containerStatuses[0].volumeMounts}").out
    assert mounts == (
        f'[{{"mountPath":"{TOKEN_DIR}","name":"{volume}","readOnly":true,'
        '"recursiveReadOnly":"Disabled"}]'
    )


def test_the_token_mount_is_read_only(kubesim: Kubesim) -> None:
    kubesim("run box --image=busybox:1.28 -- sleep 3600")
    kubesim("tick 5")
    tried = kubesim(
        f"exec box -- sh -c 'echo x > {TOKEN_DIR}/token; rm {TOKEN_DIR}/token; "
        f"touch {TOKEN_DIR}/new; mkdir {TOKEN_DIR}/d; cp /etc/hostname {TOKEN_DIR}/h; "
        f"chmod 600 {TOKEN_DIR}/token'"
    )
    assert tried.err == (
        f"sh: can't create {TOKEN_DIR}/token: Read-only file system\n"
        f"rm: can't remove '{TOKEN_DIR}/token': Read-only file system\n"
        f"touch: {TOKEN_DIR}/new: Read-only file system\n"
        f"mkdir: can't create directory '{TOKEN_DIR}/d': Read-only file system\n"
        f"cp: can't create '{TOKEN_DIR}/h': Read-only file system\n"
        f"chmod: {TOKEN_DIR}/token: Read-only file system\n"
        "command terminated with exit code 1\n"
    )
    assert kubesim(f"exec box -- ls {TOKEN_DIR}").out == "ca.crt\nnamespace\ntoken\n"


def test_a_replica_set_whose_pods_name_a_missing_account(kubesim: Kubesim) -> None:
    kubesim("create deployment robo --image=nginx:1.25")
    kubesim(
        """patch deploy robo -p '{"spec":{"template":{"spec":{"serviceAccountName":"robot"}}}}'"""
    )
    kubesim("tick 4")
    rs = kubesim("get rs -o name").out.split()[-1].removeprefix("replicaset.apps/")
    failed = kubesim("get events --field-selector reason=FailedCreate -o json").out
    events = json.loads(failed)["items"]
    # admission sees the generateName: every failure is the same event, counted up
    assert len(events) == 1 and events[0]["count"] > 1
    assert events[0]["message"] == (
        f'Error creating: pods "{rs}-" is forbidden: error looking up service account '
        'default/robot: serviceaccount "robot" not found'
    )
