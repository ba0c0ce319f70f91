from __future__ import annotations

import pytest

from kubesim.sandbox import run
from tests.unit.sandbox.containers import container, sh


@pytest.mark.parametrize(
    ("args", "printed"),
    [
        ([], "web-0\n"),
        (["-f"], "web-0.nginx.default.svc.cluster.local\n"),
        (["-d"], "nginx.default.svc.cluster.local\n"),
        (["-s"], "web-0\n"),
        (["-i"], "10.244.1.2\n"),
    ],
)
def test_hostname_options_in_a_statefulset_pod(args: list[str], printed: str) -> None:
    assert run(container(), ["hostname", *args]).stdout == printed


def test_fqdn_of_a_pod_without_subdomain_is_its_hostname() -> None:
    target = container(name="busybox", ip="10.244.2.9", subdomain=None)
    assert run(target, ["hostname", "-f"]).stdout == "busybox\n"


def test_domain_of_a_pod_without_subdomain_prints_nothing_in_busybox() -> None:
    target = container(name="busybox", ip="10.244.2.9", subdomain=None)
    assert run(target, ["hostname", "-d"]).stdout == ""


def test_setting_the_hostname_is_not_permitted() -> None:
    result = run(container(), ["hostname", "other"])
    assert (result.stderr, result.exit_code) == (
        "hostname: sethostname: Operation not permitted\n",
        1,
    )


def test_tutorial_loop_body() -> None:
    assert sh(container("nginx:1.9.1", name="web-1", ip="10.244.2.2"), "hostname").stdout == (
        "web-1\n"
    )


def test_etc_hostname() -> None:
    assert run(container(), ["cat", "/etc/hostname"]).stdout == "web-0\n"
