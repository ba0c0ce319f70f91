"""The catalogue's images and programs, directly: personalities, the container's argv, tag
versions, identities, what programs print and answer."""

from __future__ import annotations

import decimal

import pytest

from kubesim.sandbox import Container
from kubesim.sandbox.identity import identity
from kubesim.sandbox.images import (
    container_argv,
    personality,
    resolve_version,
    stop_behaviour,
)
from kubesim.sandbox.programs import runtimes
from kubesim.sandbox.programs.common import go_duration, go_float, go_json
from tests.unit.sandbox.containers import container, run, sh


def reference_pi(digits: int) -> str:
    """pi to `digits` significant digits by Gauss-Legendre in decimal arithmetic (an
    algorithm independent of the one under test)."""
    decimal.getcontext().prec = digits + 20
    one = decimal.Decimal(1)
    a, b, t, p = one, one / decimal.Decimal(2).sqrt(), one / 4, one
    for _ in range(15):
        a, b, t, p = (a + b) / 2, (a * b).sqrt(), t - p * ((a - b) / 2) ** 2, p * 2
    value = (a + b) ** 2 / (4 * t)
    decimal.getcontext().prec = digits
    return str(+value)


def test_perl_bpi_prints_pi_to_the_digits_asked() -> None:
    assert runtimes.pi(5) == "3.1416"  # rounded, as Math::BigFloat rounds
    assert runtimes.pi(2000) == reference_pi(2000)
    assert len(runtimes.pi(2000)) == 2001


@pytest.mark.parametrize(
    ("reference", "command", "args", "argv"),
    [
        ("registry.k8s.io/e2e-test-images/agnhost:2.40", [], ["liveness"], ["/agnhost", "liveness"]),
        ("registry.k8s.io/e2e-test-images/agnhost:2.40", [], [], ["/agnhost", "pause"]),
        ("registry.k8s.io/e2e-test-images/agnhost:2.40", ["/agnhost", "netexec"], [],
         ["/agnhost", "netexec"]),
        ("nginx:1.27", [], [], ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]),
        ("nginx:1.9.1", [], [], ["nginx", "-g", "daemon off;"]),
        ("mysql:8.4", [], ["--port=3307"], ["docker-entrypoint.sh", "--port=3307"]),
        ("busybox", ["sh", "-c"], ["echo hi"], ["sh", "-c", "echo hi"]),
        ("myorg/web:1.0", [], [], []),
    ],
)  # fmt: skip
def test_the_pods_command_and_args_over_the_images_entrypoint_and_cmd(
    reference: str, command: list[str], args: list[str], argv: list[str]
) -> None:
    assert container_argv(reference, command, args) == argv


@pytest.mark.parametrize(
    ("tag", "version"),
    [("latest", "1.27.3"), ("1.25", "1.25.5"), ("1.25.1-alpine", "1.25.1"), ("stable", "1.26.2"),
     ("1", "1.27.3"), ("alpine", "1.27.3"), ("1.31", "1.31.0")],
)  # fmt: skip
def test_a_tag_names_the_version_the_image_runs(tag: str, version: str) -> None:
    from kubesim.sandbox import catalogue

    assert resolve_version(catalogue.entry_named("nginx")["versions"], tag) == version


def test_personalities_come_from_the_catalogue() -> None:
    agnhost = personality("registry.k8s.io/e2e-test-images/agnhost:2.39")
    assert (agnhost.name, agnhost.version, agnhost.userland) == ("agnhost", "2.39", "busybox")
    assert agnhost.implementation("nslookup") == "bind-nslookup"
    assert agnhost.has("dig") and agnhost.has("bash")
    hello = personality("gcr.io/google-samples/hello-app:1.0")
    assert (hello.shells, hello.user) == ({}, "nonroot:nonroot")
    mysql = personality("mysql:8.0")
    assert dict(mysql.env)["MYSQL_VERSION"] == "8.0.40-1.el9"
    assert (
        personality("nginx:1.9.1")
        .files["/etc/os-release"]
        .startswith('PRETTY_NAME="Debian GNU/Linux 8 (jessie)"')
    )
    assert not personality("myorg/web:1.0").known
    assert personality("perl:5.40").has("perl5.40.0")


def test_how_programs_answer_the_stop_signal() -> None:
    assert stop_behaviour("nginx:1.27", "nginx") == stop_behaviour("nginx:1.27", "nginx")
    assert stop_behaviour("nginx:1.27", "nginx").signal == "SIGQUIT"
    assert stop_behaviour("busybox", "sh").exit_code is None  # PID 1 ignores SIGTERM
    assert stop_behaviour("gcr.io/google-samples/hello-app:1.0", "hello-app").exit_code == 2
    agnhost = "registry.k8s.io/e2e-test-images/agnhost:2.40"
    assert stop_behaviour(agnhost, "agnhost serve-hostname").after == 60
    assert stop_behaviour("postgres:17", "postgres").signal == "SIGINT"


def test_id_follows_the_images_user_and_the_security_context() -> None:
    curl = container("curlimages/curl:8.11.1")
    assert run(curl, ["id"]).stdout == (
        "uid=100(curl_user) gid=101(curl_group) groups=101(curl_group)\n"
    )
    busybox = container("busybox:1.36")
    busybox.pod["spec"]["securityContext"] = {"runAsUser": 1000, "runAsGroup": 3000,
                                              "fsGroup": 2000}  # fmt: skip
    busybox.pod["spec"]["containers"] = [{"name": "main", "image": "busybox:1.36"}]
    assert run(busybox, ["id"]).stdout == "uid=1000 gid=3000 groups=2000,3000\n"
    assert run(busybox, ["whoami"]).stderr == "whoami: unknown uid 1000\n"
    assert identity(container("registry.k8s.io/pause:3.10")).uid == 65535


def test_the_bind9_nslookup_of_the_agnhost_image() -> None:
    agnhost = container("registry.k8s.io/e2e-test-images/agnhost:2.53")
    assert run(agnhost, ["nslookup", "web-0.nginx"]).stdout.startswith(
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb-0.nginx.default.svc."
    )


def test_a_program_on_the_path_kubesim_does_not_run_says_so() -> None:
    result = sh(container("python:3.13"), "pip install flask")
    assert (result.exit_code, result.stderr) == (
        126,
        "kubesim: pip: this program of python:3.13 is not simulated\n",
    )


def test_go_formats() -> None:
    assert go_float(11.0) == "11" and go_float(10.5) == "10.5"
    assert go_duration(12.5) == "12.5s" and go_duration(62) == "1m2s"
    assert go_json({"b": "<x>", "a": "é"}) == '{"a":"é","b":"\\u003cx\\u003e"}'


def test_a_server_started_from_an_exec_session_ends_with_it() -> None:
    target: Container = container("python:3.13")
    assert run(target, ["python3", "-u", "-m", "http.server", "9000"]).stdout == (
        "Serving HTTP on 0.0.0.0 port 9000 (http://0.0.0.0:9000/) ...\n"
    )
