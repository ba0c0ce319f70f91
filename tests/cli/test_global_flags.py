"""kubectl's global flags (`kubectl options`), before or after the verb."""

from __future__ import annotations

from tests.conftest import Kubesim

KUBE_DNS = (
    "NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n"
    "kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   0s\n"
)


def test_namespace_before_the_verb(kubesim: Kubesim) -> None:
    for line in (
        "-n kube-system get svc",
        "--namespace kube-system get svc",
        "--namespace=kube-system get svc",
        "-nkube-system get svc",
        "-n=kube-system get svc",
        "get -n kube-system svc",
        "get svc -n kube-system",
    ):
        result = kubesim(line)
        assert (result.code, result.out, result.err) == (0, KUBE_DNS, ""), line


def test_verbosity_timeout_and_connection_flags_are_accepted(kubesim: Kubesim) -> None:
    result = kubesim(
        "-v 6 --request-timeout=5s get svc -n kube-system --v=2 --insecure-skip-tls-verify "
        "--cache-dir /tmp/x --warnings-as-errors=false"
    )
    assert (result.code, result.out, result.err) == (0, KUBE_DNS, "")
    assert kubesim("--request-timeout 30 version --client").code == 0


def test_flags_after_double_dash_belong_to_the_container(kubesim: Kubesim) -> None:
    kubesim("run box --image=busybox --restart=Never -- sleep 3600")
    kubesim("tick 5")
    result = kubesim("exec box -- echo -v -n kube-system")
    assert (result.code, result.out) == (0, "-v -n kube-system\n")


def test_bad_values_are_refused_as_pflag_refuses_them(kubesim: Kubesim) -> None:
    result = kubesim("-v abc version")
    assert (result.code, result.err) == (
        1,
        'Error: invalid argument "abc" for "-v, --v" flag: strconv.ParseInt: parsing "abc": '
        "invalid syntax\nSee 'kubesim version --help' for usage.\n",
    )
    result = kubesim("get pods -n")
    assert (result.code, result.err) == (
        1,
        "Error: flag needs an argument: 'n' in -n\nSee 'kubesim get --help' for usage.\n",
    )
    result = kubesim("get pods --insecure-skip-tls-verify=maybe")
    assert result.err == (
        'Error: invalid argument "maybe" for "--insecure-skip-tls-verify" flag: '
        'strconv.ParseBool: parsing "maybe": invalid syntax\n'
        "See 'kubesim get --help' for usage.\n"
    )


def test_client_configuration_errors(kubesim: Kubesim) -> None:
    result = kubesim("--request-timeout=abc get pods")
    assert (result.code, result.err) == (
        1,
        "error: Invalid timeout value. Timeout must be a single integer in seconds, or an "
        "integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n",
    )
    result = kubesim("get pods --context nope")
    assert (result.code, result.err) == (
        1,
        "Error in configuration: context was not found for specified context: nope\n",
    )
    result = kubesim("--kubeconfig /nonexistent/config get pods")
    assert (result.code, result.err) == (
        1,
        "error: stat /nonexistent/config: no such file or directory\n",
    )
    result = kubesim("get pods --user nope")
    assert (result.code, result.err) == (1, 'error: auth info "nope" does not exist\n')
    result = kubesim("get pods --cluster nope")
    assert (result.code, result.err) == (1, 'error: no server found for cluster "nope"\n')
    result = kubesim("--context kind-kubesim get svc -n kube-system")
    assert (result.code, result.out) == (0, KUBE_DNS)
