"""kubesim version and cluster-info, as kubectl 1.32 prints them for a kind cluster."""

from __future__ import annotations

import json

from tests.conftest import Kubesim


def test_version(kubesim: Kubesim) -> None:
    assert kubesim("version").out == (
        "Client Version: v1.32.2\nKustomize Version: v5.5.0\nServer Version: v1.32.2\n"
    )
    assert kubesim("version --client").out == "Client Version: v1.32.2\nKustomize Version: v5.5.0\n"


def test_version_as_json_keeps_the_struct_order(kubesim: Kubesim) -> None:
    info = json.loads(kubesim("version -o json").out)
    assert list(info) == ["clientVersion", "kustomizeVersion", "serverVersion"]
    assert list(info["serverVersion"]) == [
        "major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion",
        "compiler", "platform",
    ]  # fmt: skip
    assert info["serverVersion"]["gitCommit"] == "67a30c0adcf52bd3f56ff0893ce19966be12991f"
    bad = kubesim("version -o wide")
    assert (bad.code, bad.err) == (1, "error: --output must be 'yaml' or 'json'\n")


def test_cluster_info(kubesim: Kubesim) -> None:
    lines = kubesim("cluster-info").out.splitlines()
    base = lines[0].removeprefix("Kubernetes control plane is running at ")
    assert base.startswith("https://127.0.0.1:")
    assert lines[1:] == [
        f"CoreDNS is running at {base}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy",
        "",
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
    ]
