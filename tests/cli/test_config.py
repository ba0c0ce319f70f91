"""kubesim config: kubesim's kubeconfig as kubectl's config subcommands show and change it.
The expected texts are what kubectl v1.32 prints for the same file."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import Kubesim


def server_of(kubesim: Kubesim) -> str:
    return kubesim("config view -o jsonpath={.clusters[0].cluster.server}").out


def test_view_shows_kinds_context_with_the_secrets_omitted(kubesim: Kubesim) -> None:
    server = server_of(kubesim)
    assert server.startswith("https://127.0.0.1:")
    result = kubesim("config view")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        "    certificate-authority-data: DATA+OMITTED\n"
        f"    server: {server}\n"
        "  name: kind-kubesim\n"
        "contexts:\n"
        "- context:\n"
        "    cluster: kind-kubesim\n"
        "    user: kind-kubesim\n"
        "  name: kind-kubesim\n"
        "current-context: kind-kubesim\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users:\n"
        "- name: kind-kubesim\n"
        "  user:\n"
        "    client-certificate-data: DATA+OMITTED\n"
        "    client-key-data: DATA+OMITTED\n"
    )
    # the server is the one cluster-info names
    assert f"Kubernetes control plane is running at {server}\n" in kubesim("cluster-info").out


def test_view_raw_carries_the_certificates(kubesim: Kubesim, home: Path) -> None:
    import base64

    kubesim("tick")
    raw = yaml.safe_load(kubesim("config view --raw").out)

    ca = base64.b64decode(raw["clusters"][0]["cluster"]["certificate-authority-data"]).decode()
    assert (
        ca == kubesim("get cm kube-root-ca.crt -o 'jsonpath={.data.ca\\.crt}'").out
    )  # the cluster's own CA
    key = base64.b64decode(raw["users"][0]["user"]["client-key-data"]).decode()
    assert key.startswith("-----BEGIN RSA PRIVATE KEY-----\n")
    assert (home / "kubeconfig").read_text() == kubesim("config view --raw").out


def test_view_as_json_keeps_the_struct_order(kubesim: Kubesim) -> None:
    server = server_of(kubesim)
    result = kubesim("config view -o json")
    assert (
        result.out
        == json.dumps(
            {
                "kind": "Config",
                "apiVersion": "v1",
                "preferences": {},
                "clusters": [
                    {
                        "name": "kind-kubesim",
                        "cluster": {"server": server, "certificate-authority-data": "DATA+OMITTED"},
                    }
                ],
                "users": [
                    {
                        "name": "kind-kubesim",
                        "user": {
                            "client-certificate-data": "DATA+OMITTED",
                            "client-key-data": "DATA+OMITTED",
                        },
                    }
                ],
                "contexts": [
                    {
                        "name": "kind-kubesim",
                        "context": {"cluster": "kind-kubesim", "user": "kind-kubesim"},
                    }
                ],
                "current-context": "kind-kubesim",
            },
            indent=4,
        )
        + "\n"
    )
    result = kubesim("config view -o wide")
    assert (result.code, result.err) == (
        1,
        'error: unable to match a printer suitable for the output format "wide", allowed formats '
        "are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,"
        "template,templatefile,yaml\n",
    )


def test_contexts_clusters_and_users(kubesim: Kubesim) -> None:
    assert kubesim("config get-contexts").out == (
        "CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n"
        "*         kind-kubesim   kind-kubesim   kind-kubesim   \n"
    )
    assert kubesim("config current-context").out == "kind-kubesim\n"
    assert kubesim("config get-clusters").out == "NAME\nkind-kubesim\n"
    assert kubesim("config get-users").out == "NAME\nkind-kubesim\n"
    assert kubesim("config get-contexts -o name").out == "kind-kubesim\n"
    result = kubesim("config get-contexts nope")
    assert (result.code, result.out, result.err) == (
        1,
        "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n",
        "error: context nope not found\n",
    )
    result = kubesim("config get-contexts -o wide")
    assert result.err == (
        "error: --output wide is not available in kubectl config get-contexts; resetting to "
        "default output format\n"
    )


def test_set_context_namespace_is_the_namespace_of_later_commands(kubesim: Kubesim) -> None:
    result = kubesim("config set-context --current --namespace=kube-system")
    assert (result.code, result.out) == (0, 'Context "kind-kubesim" modified.\n')
    assert kubesim("config get-contexts").out == (
        "CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n"
        "*         kind-kubesim   kind-kubesim   kind-kubesim   kube-system\n"
    )
    assert kubesim("config view --minify -o jsonpath={..namespace}").out == "kube-system"
    assert kubesim("get svc -o name").out == "service/kube-dns\n"
    assert kubesim("get svc -n default -o name").out == "service/kubernetes\n"
    result = kubesim("get sts")
    assert result.err == "No resources found in kube-system namespace.\n"
    # a manifest without a namespace lands in the context's
    manifest = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}'
    assert kubesim("create -f -", stdin=manifest).out == "configmap/settings created\n"
    assert kubesim("get cm settings -n kube-system -o name").out == "configmap/settings\n"
    # and one with its own namespace keeps it, as -n is not given
    other = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "default"}}'
    assert kubesim("apply -f -", stdin=other).out == "configmap/x created\n"
    assert kubesim("get cm x -n default -o name").out == "configmap/x\n"
    kubesim("config set-context --current --namespace=")
    assert kubesim("get svc -o name").out == "service/kubernetes\n"


def test_use_context_and_a_second_context(kubesim: Kubesim) -> None:
    result = kubesim("config set-context other --namespace=x --cluster=kind-kubesim")
    assert (result.code, result.out) == (0, 'Context "other" created.\n')
    result = kubesim("config use-context nope")
    assert (result.code, result.err) == (1, 'error: no context exists with the name: "nope"\n')
    assert kubesim("config use-context other").out == 'Switched to context "other".\n'
    assert kubesim("config current-context").out == "other\n"
    assert kubesim("config get-contexts").out == (
        "CURRENT   NAME           CLUSTER        AUTHINFO       NAMESPACE\n"
        "          kind-kubesim   kind-kubesim   kind-kubesim   \n"
        "*         other          kind-kubesim                  x\n"
    )
    assert kubesim("config get-contexts --no-headers").out == (
        "      kind-kubesim   kind-kubesim   kind-kubesim   \n"
        "*     other          kind-kubesim                  x\n"
    )
    server = server_of(kubesim)
    assert kubesim("config view --minify").out == (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        "    certificate-authority-data: DATA+OMITTED\n"
        f"    server: {server}\n"
        "  name: kind-kubesim\n"
        "contexts:\n"
        "- context:\n"
        "    cluster: kind-kubesim\n"
        "    namespace: x\n"
        '    user: ""\n'
        "  name: other\n"
        "current-context: other\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users: null\n"
    )
    assert (
        kubesim("--context kind-kubesim config view --minify -o jsonpath={.contexts[*].name}").out
        == "kind-kubesim"
    )
    result = kubesim("config view --minify --context nope")
    assert (result.code, result.err) == (1, "error: cannot locate context nope\n")
    assert (
        kubesim("get svc -n kube-system --context kind-kubesim -o name").out == "service/kube-dns\n"
    )


def test_set_context_refusals(kubesim: Kubesim) -> None:
    result = kubesim("config set-context")
    assert (result.code, result.err) == (
        1,
        "error: you must specify a non-empty context name or --current\n",
    )
    result = kubesim("config set-context x --current")
    assert result.err == "error: you cannot specify both a context name and --current\n"


def test_an_explicit_kubeconfig_that_does_not_exist_is_empty(
    kubesim: Kubesim, tmp_path: Path
) -> None:
    result = kubesim(f"--kubeconfig {tmp_path / 'none'} config view")
    assert result.out == (
        "apiVersion: v1\n"
        "clusters: null\n"
        "contexts: null\n"
        'current-context: ""\n'
        "kind: Config\n"
        "preferences: {}\n"
        "users: null\n"
    )


def test_reset_starts_the_context_afresh(kubesim: Kubesim) -> None:
    kubesim("config set-context --current --namespace=kube-system")
    kubesim("reset --yes")
    assert kubesim("config view --minify -o jsonpath={..namespace}").out == ""
