"""kubectl logs' client side: which containers it reads, which pod of a workload, its checks."""

from __future__ import annotations

import pytest

from kubesim.api.errors import UsageError
from kubesim.kubectl.logs import (
    Flags,
    by_logging,
    requests_for_pods,
    since_seconds,
    validate,
)


def pod(name: str, *containers: str, inits: tuple[str, ...] = (), **extra: object) -> dict:
    spec: dict[str, object] = {"containers": [{"name": c} for c in containers]}
    if inits:
        spec["initContainers"] = [{"name": c} for c in inits]
    meta: dict[str, object] = {"name": name, "creationTimestamp": "2024-01-01T00:00:00Z"}
    meta.update(extra.pop("metadata", {}))  # type: ignore[call-overload]
    return {"metadata": meta, "spec": {**spec, **extra.pop("spec", {})}, **extra}  # type: ignore[dict-item]


def test_all_containers_reads_init_containers_first() -> None:
    found = requests_for_pods(
        [pod("p", "a", "b", inits=("i",))], "", all_containers=True, all_pods=False
    )
    assert [r.container for r in found.streams] == ["i", "a", "b"] and found.notes == []


def test_the_first_container_is_the_default_and_kubectl_says_so() -> None:
    found = requests_for_pods([pod("p", "a", "b", inits=("i",))], "", all_containers=False,
                              all_pods=False)  # fmt: skip
    assert [r.container for r in found.streams] == ["a"]
    assert found.notes == ['Defaulted container "a" out of: a, b, i (init)']
    quiet = requests_for_pods([pod("p", "a", "b")], "", all_containers=False, all_pods=True)
    assert quiet.notes == []  # --all-pods says nothing


def test_the_default_container_annotation() -> None:
    annotated = pod("p", "a", "b", metadata={"annotations": {
        "kubectl.kubernetes.io/default-container": "b"}})  # fmt: skip
    found = requests_for_pods([annotated], "", all_containers=False, all_pods=False)
    assert ([r.container for r in found.streams], found.notes) == (["b"], [])
    wrong = pod("p", "a", metadata={"annotations": {
        "kubectl.kubernetes.io/default-container": "zz"}})  # fmt: skip
    found = requests_for_pods([wrong], "", all_containers=False, all_pods=False)
    assert found.notes == ['Default container name "zz" not found in pod p']


def test_an_unknown_container_is_refused() -> None:
    with pytest.raises(UsageError, match="^container x is not valid for pod p$"):
        requests_for_pods([pod("p", "a")], "x", all_containers=False, all_pods=False)


def test_validate_checks_in_kubectls_order() -> None:
    with pytest.raises(UsageError, match="at most one of"):
        validate(Flags(since=5, since_time="2024-01-01T00:00:00Z", limit_bytes=-1))
    with pytest.raises(UsageError, match="--limit-bytes must be greater than 0"):
        validate(Flags(limit_bytes=-1, tail=-5))
    validate(Flags(since=0, tail=-1))


def test_since_rounds_to_the_nearest_second() -> None:
    assert [since_seconds(d) for d in (0.4, 0.5, 1.49, 90.0, -0.5)] == [0, 1, 1, 90, -1]


def test_by_logging_prefers_running_ready_and_older_pods() -> None:
    ready = {"conditions": [{"type": "Ready", "status": "True",
                             "lastTransitionTime": "2024-01-01T00:01:00Z"}]}  # fmt: skip
    pending = pod("pending", "c", spec={"nodeName": "n"}, status={"phase": "Pending"})
    unassigned = pod("unassigned", "c", status={"phase": "Pending"})
    running = pod("running", "c", spec={"nodeName": "n"}, status={"phase": "Running"})
    ready_pod = pod("ready", "c", spec={"nodeName": "n"}, status={"phase": "Running", **ready})
    order = by_logging([unassigned, pending, running, ready_pod])
    assert [p["metadata"]["name"] for p in order] == ["ready", "running", "pending", "unassigned"]


def test_selectors_of_workloads_and_services() -> None:
    from kubesim.kubectl.polymorphic import selector_for_object

    service = {"metadata": {"name": "s"}, "spec": {"selector": {"app": "x"}}}
    assert selector_for_object(service, "Service", "v1", "attach to") == {
        "matchLabels": {"app": "x"}
    }
    with pytest.raises(UsageError) as caught:
        selector_for_object({"metadata": {"name": "s"}, "spec": {}}, "Service", "v1", "attach to")
    assert caught.value.message == (
        "cannot attach to *v1.Service: invalid service 's': Service is defined without a selector"
    )
