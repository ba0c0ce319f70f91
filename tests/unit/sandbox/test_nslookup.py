from __future__ import annotations

from kubesim.sandbox import run
from tests.unit.sandbox.containers import container, sh

SERVER = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"


def test_statefulset_pod_by_short_name() -> None:
    result = run(container(), ["nslookup", "web-0.nginx"])
    assert (result.stdout, result.stderr, result.exit_code) == (
        SERVER + "Name:      web-0.nginx\n"
        "Address 1: 10.244.1.2 web-0.nginx.default.svc.cluster.local\n",
        "",
        0,
    )


def test_headless_service_lists_every_pod() -> None:
    assert run(container(), ["nslookup", "nginx"]).stdout == (
        SERVER + "Name:      nginx\n"
        "Address 1: 10.244.1.2 web-0.nginx.default.svc.cluster.local\n"
        "Address 2: 10.244.2.2 web-1.nginx.default.svc.cluster.local\n"
    )


def test_kubernetes_service() -> None:
    assert run(container(), ["nslookup", "kubernetes.default"]).stdout == (
        SERVER + "Name:      kubernetes.default\n"
        "Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n"
    )


def test_unknown_name_fails_after_the_server_block() -> None:
    result = run(container(), ["nslookup", "nosuch"])
    assert (result.stdout, result.stderr, result.exit_code) == (
        SERVER,
        "nslookup: can't resolve 'nosuch'\n",
        1,
    )


def test_ip_argument_is_reverse_resolved() -> None:
    assert run(container(), ["nslookup", "10.96.0.1"]).stdout == (
        SERVER + "Name:      10.96.0.1\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n"
    )


def test_address_without_reverse_name_prints_the_ip_alone() -> None:
    assert run(container(), ["nslookup", "10-244-7-7.default.pod.cluster.local"]).stdout.endswith(
        "Address 1: 10.244.7.7\n"
    )


def test_explicit_server_argument() -> None:
    assert run(container(), ["nslookup", "web-1.nginx", "10.96.0.10"]).stdout == (
        SERVER + "Name:      web-1.nginx\n"
        "Address 1: 10.244.2.2 web-1.nginx.default.svc.cluster.local\n"
    )


def test_without_arguments_prints_usage() -> None:
    result = run(container(), ["nslookup"])
    assert (result.stdout, result.stderr, result.exit_code) == (
        "",
        "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.\n\n"
        "Usage: nslookup [HOST] [SERVER]\n\n"
        "Query the nameserver for the IP address of the given HOST\n"
        "optionally using a specified DNS server\n\n",
        1,
    )


def test_through_sh_in_busybox() -> None:
    assert sh(container(), "nslookup web-0.nginx").stdout.startswith(SERVER + "Name:      web-0")


def test_nginx_image_has_no_nslookup() -> None:
    result = sh(container("nginx:1.9.1"), "nslookup web-0.nginx")
    assert (result.stderr, result.exit_code) == ("sh: 1: nslookup: not found\n", 127)


def test_modern_busybox_queries_each_search_domain() -> None:
    result = run(container("busybox:1.36"), ["nslookup", "nginx"])
    assert (result.stdout, result.exit_code) == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        "Name:\tnginx.default.svc.cluster.local\nAddress: 10.244.1.2\n"
        "Name:\tnginx.default.svc.cluster.local\nAddress: 10.244.2.2\n\n"
        "** server can't find nginx.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find nginx.cluster.local: NXDOMAIN\n\n"
        "\n"
        "** server can't find nginx.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find nginx.cluster.local: NXDOMAIN\n\n",
        1,
    )


def test_modern_busybox_sends_dotted_names_as_typed() -> None:
    result = run(container("busybox:1.36"), ["nslookup", "web-0.nginx"])
    assert (result.stdout.splitlines()[3], result.exit_code) == (
        "** server can't find web-0.nginx: NXDOMAIN",
        1,
    )


def test_modern_busybox_fqdn() -> None:
    result = run(container("busybox"), ["nslookup", "web-0.nginx.default.svc.cluster.local"])
    assert (result.stdout, result.exit_code) == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        "Name:\tweb-0.nginx.default.svc.cluster.local\nAddress: 10.244.1.2\n\n\n",
        0,
    )
