"""kubectl's generators: the Service `expose` builds from an object."""

from __future__ import annotations

import pytest

from kubesim.api.errors import UsageError
from kubesim.kubectl import generate


def deployment(selector: dict[str, object], ports: list[dict[str, object]]) -> dict[str, object]:
    return {
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "selector": selector,
            "template": {"spec": {"containers": [{"name": "c", "ports": ports}]}},
        },
    }


def test_a_deployment_is_selected_by_its_match_labels() -> None:
    obj = deployment({"matchLabels": {"app": "web"}}, [])
    assert generate.selector_for(obj) == {"app": "web"}


def test_match_expressions_cannot_become_a_service_selector() -> None:
    obj = deployment({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a"]}]}, [])
    with pytest.raises(UsageError, match=r'couldn\'t convert expressions - "\[\{Key:app '):
        generate.selector_for(obj)


def test_a_pod_without_labels_cannot_be_exposed() -> None:
    with pytest.raises(UsageError, match="the pod has no labels and cannot be exposed"):
        generate.selector_for({"kind": "Pod", "metadata": {"name": "p"}, "spec": {}})


def test_ports_and_protocols_come_from_the_containers() -> None:
    obj = deployment({}, [{"containerPort": 53, "protocol": "UDP"}, {"containerPort": 80}])
    assert generate.ports_for(obj) == [(53, "UDP"), (80, "TCP")]


def test_several_ports_are_named_and_target_themselves() -> None:
    service = generate.exposed_service(
        deployment({}, []),
        name="web",
        ports=[(53, "UDP"), (80, "TCP")],
        protocol="",
        target_port="",
        selector={"app": "web"},
        labels=None,
        service_type="",
        cluster_ip="",
        external_ip="",
    )
    assert service["spec"] == {
        "ports": [
            {"name": "port-1", "port": 53, "protocol": "UDP", "targetPort": 53},
            {"name": "port-2", "port": 80, "protocol": "TCP", "targetPort": 80},
        ],
        "selector": {"app": "web"},
    }
    assert "labels" not in service["metadata"]
