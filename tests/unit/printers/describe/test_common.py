"""describe.go's small printers: tolerations, taints, times, QoS, probes."""

from __future__ import annotations

import os
import time

import pytest

from kubesim.api import meta
from kubesim.printers.describe.common import (
    format_rfc1123z,
    go_value,
    print_tolerations_multiline,
    taint_string,
)
from kubesim.printers.describe.containers import describe_probe
from kubesim.printers.describe.pods import pod_qos
from kubesim.printers.describe.writer import PrefixWriter


def test_rfc1123z_in_utc_and_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    t = meta.parse_time("2025-03-01T10:00:00Z")
    assert format_rfc1123z(t) == "Sat, 01 Mar 2025 10:00:00 +0000"
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        assert format_rfc1123z(t, local=True) == "Sat, 01 Mar 2025 15:30:00 +0530"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert "TZ" not in os.environ


def test_tolerations_sorted_by_key_with_operator_and_seconds() -> None:
    w = PrefixWriter()
    print_tolerations_multiline(
        w,
        "Tolerations",
        [
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300},
            {"operator": "Exists"},
            {"key": "dedicated", "operator": "Equal", "value": "db", "effect": "NoSchedule"},
        ],
    )  # fmt: skip
    assert w.text() == (
        "Tolerations:  op=Exists\n"
        "              dedicated=db:NoSchedule\n"
        "              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
    )


def test_taint_strings() -> None:
    assert taint_string({"key": "k", "value": "v", "effect": "NoSchedule"}) == "k=v:NoSchedule"
    assert taint_string({"key": "k", "effect": "NoExecute"}) == "k:NoExecute"
    assert taint_string({"key": "k", "value": "v"}) == "k=v:"
    assert taint_string({"key": "k"}) == "k"


def test_go_values() -> None:
    values = (None, True, 3, 0.5, 1e6, 999999.5, 0.00001, 2.0, "x", ["a", 1])
    assert [go_value(v) for v in values] == [
        "<nil>", "true", "3", "0.5", "1e+06", "999999.5", "1e-05", "2", "x", "[a 1]",
    ]  # fmt: skip


def container(**resources: dict[str, str]) -> dict[str, object]:
    return {"name": "c", "image": "i", "resources": resources}


def test_qos_class_is_computed_when_status_has_none() -> None:
    def pod(*containers: dict[str, object]) -> dict[str, object]:
        return {"spec": {"containers": list(containers)}, "status": {}}

    assert pod_qos(pod(container())) == "BestEffort"
    assert pod_qos(pod(container(requests={"cpu": "100m"}))) == "Burstable"
    both = {"cpu": "500m", "memory": "128Mi"}
    assert pod_qos(pod(container(requests=both, limits=both))) == "Guaranteed"
    # ComputePodQOS reads the object as stored: the apiserver would have copied the limits to
    # the requests, so a limits-only pod never reaches it in a cluster
    assert pod_qos(pod(container(limits=both))) == "Burstable"
    assert pod_qos({"spec": {}, "status": {"qosClass": "Guaranteed"}}) == "Guaranteed"


def test_probe_descriptions() -> None:
    attrs = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}
    https = {"httpGet": {"scheme": "HTTPS", "host": "::1", "port": 8443, "path": "ready"}, **attrs}
    assert describe_probe(https) == (
        "http-get https://[::1]:8443/ready delay=0s timeout=1s period=10s #success=1 #failure=3"
    )
    grpc = {"grpc": {"port": 9090}, **attrs}
    assert (
        describe_probe(grpc)
        == "grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=3"
    )


def test_long_annotations_go_below_their_key_and_are_cut_at_140() -> None:
    from kubesim.printers.describe.common import print_annotations_multiline

    w = PrefixWriter()
    long_value = "x" * 150
    fits = "y" * 137  # with "c: " exactly 140 bytes
    print_annotations_multiline(w, "Annotations", {"a": "short", "b": long_value, "c": fits})
    assert w.text() == (
        "Annotations:  a: short\n"
        "              b:\n"
        f"                {'x' * 138}...\n"
        f"              c: {fits}\n"
    )
