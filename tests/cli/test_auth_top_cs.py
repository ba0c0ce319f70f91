"""auth can-i, auth whoami, top and componentstatuses, as a fresh kind cluster answers them."""

from __future__ import annotations

import re

from tests.conftest import Kubesim

BASIC_AND_DISCOVERY = (
    "selfsubjectreviews.authentication.k8s.io        []                  []               [create]\n"
    "selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]\n"
    "selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]\n"
    "                                                [/api/*]            []               [get]\n"
    "                                                [/api]              []               [get]\n"
    "                                                [/apis/*]           []               [get]\n"
    "                                                [/apis]             []               [get]\n"
    "                                                [/healthz]          []               [get]\n"
    "                                                [/healthz]          []               [get]\n"
    "                                                [/livez]            []               [get]\n"
    "                                                [/livez]            []               [get]\n"
    "                                                [/openapi/*]        []               [get]\n"
    "                                                [/openapi]          []               [get]\n"
    "                                                [/readyz]           []               [get]\n"
    "                                                [/readyz]           []               [get]\n"
    "                                                [/version/]         []               [get]\n"
    "                                                [/version/]         []               [get]\n"
    "                                                [/version]          []               [get]\n"
    "                                                [/version]          []               [get]\n"
)
HEADER = (
    "Resources                                       Non-Resource URLs   Resource Names   Verbs\n"
)


def test_the_admin_may_do_everything(kubesim: Kubesim) -> None:
    for line in (
        "auth can-i create pods",
        "auth can-i '*' '*'",
        "auth can-i delete deployments.apps -n kube-system",
        "auth can-i get pods --subresource=log",
        "auth can-i get /logs/",
        "auth can-i create pods --all-namespaces",
        "auth can-i list statefulsets/web",
    ):
        result = kubesim(line)
        assert (result.code, result.out, result.err) == (0, "yes\n", ""), line
    assert kubesim("auth can-i create pods -q").out == ""


def test_can_i_warnings(kubesim: Kubesim) -> None:
    result = kubesim("auth can-i get nodes")
    assert (result.out, result.err) == (
        "yes\n",
        "Warning: resource 'nodes' is not namespace scoped\n",
    )
    assert kubesim("auth can-i get nodes -A").err == ""
    result = kubesim("auth can-i frob pods")
    assert result.err == "Warning: verb 'frob' is not a known verb\n"
    result = kubesim("auth can-i get widgets.example.com")
    assert (
        result.err
        == "Warning: the server doesn't have a resource type 'widgets' in group 'example.com'\n"
    )
    result = kubesim("auth can-i get")
    assert (result.code, result.err) == (
        1,
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
        "See 'kubesim auth can-i -h' for help and examples.\n",
    )
    result = kubesim("auth can-i --list -A")
    assert result.err == (
        "error: list option can't be specified with neither quiet, all-namespaces nor "
        "subresource options\n"
    )


def test_list_of_the_admin(kubesim: Kubesim) -> None:
    result = kubesim("auth can-i --list")
    assert (result.code, result.err) == (0, "")
    assert result.out == (
        HEADER
        + "*.*                                             []                  []               [*]\n"
        + "                                                [*]                 []               [*]\n"
        + BASIC_AND_DISCOVERY
    )
    bare = kubesim("auth can-i --list --no-headers -n kube-system").out.splitlines()
    assert bare[0] == "*.*" + " " * 45 + "[]" + " " * 13 + "[]    [*]"
    assert [line.split() for line in bare] == [line.split() for line in result.out.splitlines()[1:]]


def test_an_impersonated_user_has_only_what_every_user_has(kubesim: Kubesim) -> None:
    result = kubesim("auth can-i get pods --as=jane")
    assert (result.code, result.out, result.err) == (1, "no\n", "")
    assert kubesim("auth can-i get /healthz --as=jane").out == "yes\n"
    assert kubesim("auth can-i --list --as jane").out == HEADER + BASIC_AND_DISCOVERY
    assert kubesim("auth can-i get pods --as=jane --as-group=system:masters").out == "yes\n"


def test_whoami_is_kinds_admin(kubesim: Kubesim) -> None:
    result = kubesim("auth whoami")
    assert result.code == 0
    assert re.fullmatch(
        r"ATTRIBUTE                                           VALUE\n"
        r"Username                                            kubernetes-admin\n"
        r"Groups                                              \[kubeadm:cluster-admins system:authenticated\]\n"
        r"Extra: authentication.kubernetes.io/credential-id   \[X509SHA256=[0-9a-f]{64}\]\n",
        result.out,
    )
    # the fingerprint is the certificate's in the kubeconfig
    import base64
    import hashlib

    cert = base64.b64decode(
        kubesim("config view --raw -o jsonpath={.users[0].user.client-certificate-data}").out
    )
    der = base64.b64decode("".join(cert.decode().strip().splitlines()[1:-1]))
    assert hashlib.sha256(der).hexdigest() in result.out


def test_whoami_as_others(kubesim: Kubesim) -> None:
    assert kubesim("auth whoami --as=jane").out == (
        "ATTRIBUTE   VALUE\nUsername    jane\nGroups      [system:authenticated]\n"
    )
    assert kubesim("auth whoami --as=system:serviceaccount:dev:foo --as-uid=42").out == (
        "ATTRIBUTE   VALUE\n"
        "Username    system:serviceaccount:dev:foo\n"
        "UID         42\n"
        "Groups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n"
    )
    assert kubesim("auth whoami --as jane -o yaml").out == (
        "apiVersion: authentication.k8s.io/v1\n"
        "kind: SelfSubjectReview\n"
        "metadata:\n"
        '  creationTimestamp: "'
        + kubesim("get ns default -o jsonpath={.metadata.creationTimestamp}").out
        + '"\n'
        "status:\n"
        "  userInfo:\n"
        "    groups:\n"
        "    - system:authenticated\n"
        "    username: jane\n"
    )


def test_top_without_metrics_server(kubesim: Kubesim) -> None:
    for line in ("top pod", "top pods -A", "top node", "top nodes kubesim-worker"):
        result = kubesim(line)
        assert (result.code, result.out, result.err) == (
            1,
            "",
            "error: Metrics API not available\n",
        )
    result = kubesim("top pod --sort-by=name")
    assert result.err == "error: --sort-by accepts only cpu or memory\n"


def test_componentstatuses_with_their_deprecation_warning(kubesim: Kubesim) -> None:
    result = kubesim("get componentstatuses")
    assert (result.code, result.err) == (0, "Warning: v1 ComponentStatus is deprecated in v1.19+\n")
    assert result.out == (
        "NAME                 STATUS    MESSAGE   ERROR\n"
        "controller-manager   Healthy   ok        \n"
        "scheduler            Healthy   ok        \n"
        "etcd-0               Healthy   ok        \n"
    )
    result = kubesim("get cs etcd-0 -o jsonpath={.conditions[0].type}")
    assert (result.out, result.err) == (
        "Healthy",
        "Warning: v1 ComponentStatus is deprecated in v1.19+\n",
    )
