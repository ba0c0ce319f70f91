from __future__ import annotations

from kubesim.sandbox.container import (
    hostname_file,
    hosts_file,
    pod_hostname_and_domain,
    resolv_conf,
)
from tests.unit.network.objects import pod
from tests.unit.sandbox.containers import container


def test_hosts_file_of_a_statefulset_pod() -> None:
    assert hosts_file(container()) == (
        "# Kubernetes-managed hosts file.\n"
        "127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\n"
        "fe00::0\tip6-localnet\n"
        "fe00::0\tip6-mcastprefix\n"
        "fe00::1\tip6-allnodes\n"
        "fe00::2\tip6-allrouters\n"
        "10.244.1.2\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"
    )


def test_hosts_file_without_subdomain_names_only_the_hostname() -> None:
    assert hosts_file(container(name="busybox", ip="10.244.2.9", subdomain=None)).endswith(
        "fe00::2\tip6-allrouters\n10.244.2.9\tbusybox\n"
    )


def test_hosts_file_appends_host_aliases() -> None:
    target = container()
    target.pod["spec"]["hostAliases"] = [{"ip": "127.0.0.1", "hostnames": ["foo.local", "bar"]}]
    assert hosts_file(target).endswith(
        "web-0\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar\n"
    )


def test_resolv_conf_in_containerd_order() -> None:
    assert resolv_conf(container()) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )


def test_hostname_file() -> None:
    assert hostname_file(container()) == "web-0\n"


def test_hostname_and_domain_follow_the_kubelet() -> None:
    assert pod_hostname_and_domain(pod("web-1", "10.244.2.2")) == (
        "web-1",
        "nginx.default.svc.cluster.local",
    )


def test_pod_without_hostname_uses_its_name_and_no_domain() -> None:
    assert pod_hostname_and_domain(pod("busybox", "10.244.2.9", subdomain=None)) == (
        "busybox",
        None,
    )
