"""The variables a shell starts with and the order of the environment it passes on."""

from __future__ import annotations

from kubesim.sandbox import shellvars

# a container's environment as the runtime starts it (PATH, HOSTNAME, service links, HOME)
ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "HOSTNAME": "bb",
    "KUBERNETES_SERVICE_HOST": "10.96.0.1",
    "KUBERNETES_SERVICE_PORT": "443",
    "KUBERNETES_PORT": "tcp://10.96.0.1:443",
    "HOME": "/root",
}


def test_ash_hashes_a_name_into_39_buckets() -> None:
    # the first byte shifted left by 4, plus every byte of the name
    name = "KUBERNETES_PORT"
    assert shellvars.ash_bucket(name) == ((ord("K") << 4) + sum(map(ord, name))) % 39
    assert shellvars.ash_bucket("PATH") == 21


def test_bash_hash_is_fnv1() -> None:
    # FNV-1 32-bit test vector: "a" -> 0x050c5d7e
    assert shellvars.bash_hash("a") == 0x050C5D7E
    assert shellvars.bash_hash("") == 2166136261


def test_ash_lists_by_bucket_then_creation_with_builtins_first() -> None:
    names = [*ENV, "SHLVL", "PWD"]
    assert shellvars.export_order("ash", names) == [
        "KUBERNETES_SERVICE_PORT", "KUBERNETES_PORT", "HOSTNAME", "SHLVL", "HOME", "PATH",
        "KUBERNETES_SERVICE_HOST", "PWD",
    ]  # fmt: skip
    # PATH is one of initvar's: it heads its bucket whatever the order it was set in
    in_bucket = [n for n in ["ZZZ_PATH_MATE", "PATH"] if shellvars.ash_bucket(n) == 21]
    assert shellvars.export_order("ash", in_bucket)[0] == "PATH"


def test_bash_puts_newer_variables_first_within_a_bucket() -> None:
    same = [n for n in (f"V{i}" for i in range(5000)) if shellvars.bash_hash(n) & 1023 == 7][:2]
    assert shellvars.export_order("bash", same) == same[::-1]


def test_startup_sets_and_exports_shlvl_and_pwd() -> None:
    variables, exported = shellvars.startup("ash", {**ENV, "SHLVL": "2"}, "/tmp")
    assert (variables["SHLVL"], variables["PWD"]) == ("3", "/tmp")
    assert {"SHLVL", "PWD"} <= exported
    variables, exported = shellvars.startup("dash", ENV, "/")
    assert "SHLVL" not in variables and variables["PWD"] == "/" and "PWD" in exported
    # an inherited PWD naming another directory is replaced
    variables, _ = shellvars.startup("bash", {**ENV, "PWD": "/elsewhere"}, "/root")
    assert (variables["SHLVL"], variables["PWD"]) == ("1", "/root")


def test_bash_puts_temporary_assignments_first_and_underscore_last() -> None:
    variables, exported = shellvars.startup("bash", ENV, "/")
    env = shellvars.child_environment("bash", variables, exported, {"FOO": "1"}, "/usr/bin/env")
    assert list(env)[0] == "FOO"
    assert list(env)[-1] == "_" and env["_"] == "/usr/bin/env"
    assert set(env) == {*ENV, "SHLVL", "PWD", "FOO", "_"}


def test_unexported_variables_stay_in_the_shell() -> None:
    env = shellvars.child_environment("ash", {**ENV, "LOCAL": "x"}, set(ENV), {})
    assert "LOCAL" not in env and set(env) == set(ENV)
