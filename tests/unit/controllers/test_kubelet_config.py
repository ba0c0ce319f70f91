"""What the kubelet makes of ConfigMaps, Secrets and the downward API: variables, volume files
and their errors, in the kubelet's words."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kubesim.controllers import kubelet_config as kc

Object = dict[str, Any]

OBJECTS: dict[tuple[str, str], Object] = {
    ("configmaps", "settings"): {
        "kind": "ConfigMap",
        "data": {"mode": "fast", "level": "3", "1st": "x"},
        "binaryData": {"blob": base64.b64encode(b"raw").decode()},
    },
    ("secrets", "creds"): {
        "kind": "Secret",
        "data": {"user": base64.b64encode(b"admin").decode()},
    },
}


def lookup(resource: str, namespace: str | None, name: str) -> Object | None:
    return OBJECTS.get((resource, name))


POD: Object = {
    "metadata": {"name": "web", "namespace": "default", "uid": "u1",
                 "labels": {"app": "web", "tier": "front"}, "annotations": {"note": 'a "b"'}},
    "spec": {"nodeName": "node-1", "serviceAccountName": "default", "containers": []},
    "status": {"podIP": "10.244.1.5", "podIPs": [{"ip": "10.244.1.5"}], "hostIP": "172.18.0.2",
               "hostIPs": [{"ip": "172.18.0.2"}]},
}  # fmt: skip


def test_variables_in_order_with_their_sources() -> None:
    spec = {
        "envFrom": [{"configMapRef": {"name": "settings"}, "prefix": "CFG_"}],
        "env": [
            {"name": "USER", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "user"}}},
            {"name": "GREETING", "value": "hi $(USER) on $(NODE) at $(SVC_HOST)"},
            {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
            {"name": "MISSING", "valueFrom": {"configMapKeyRef": {
                "name": "none", "key": "k", "optional": True}}},
        ],
    }  # fmt: skip
    resolved = kc.resolve_env(lookup, POD, spec, services={"SVC_HOST": "10.96.0.9"})
    assert resolved.error is None and resolved.warnings == []
    assert resolved.env == {
        "CFG_1st": "x",
        "CFG_level": "3",
        "CFG_mode": "fast",
        "USER": "admin",
        "GREETING": "hi admin on $(NODE) at 10.96.0.9",
        "NODE": "node-1",
    }


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"configMapKeyRef": {"name": "nothing", "key": "k"}}, 'configmap "nothing" not found'),
        (
            {"configMapKeyRef": {"name": "settings", "key": "k"}},
            "couldn't find key k in ConfigMap default/settings",
        ),
        ({"secretKeyRef": {"name": "nothing", "key": "k"}}, 'secret "nothing" not found'),
        (
            {"secretKeyRef": {"name": "creds", "key": "k"}},
            "couldn't find key k in Secret default/creds",
        ),
    ],
)
def test_what_stops_a_container(env: Object, message: str) -> None:
    resolved = kc.resolve_env(lookup, POD, {"env": [{"name": "X", "valueFrom": env}]})
    assert resolved.error == message


def test_env_from_a_missing_object() -> None:
    spec = {"envFrom": [{"secretRef": {"name": "nothing"}}]}
    assert kc.resolve_env(lookup, POD, spec).error == 'secret "nothing" not found'
    optional = {"envFrom": [{"secretRef": {"name": "nothing", "optional": True}}]}
    assert kc.resolve_env(lookup, POD, optional).error is None


def test_downward_fields() -> None:
    assert kc.field_value(POD, "metadata.labels['tier']") == "front"
    assert kc.field_value(POD, "metadata.labels") == 'app="web"\ntier="front"'
    assert kc.field_value(POD, "metadata.annotations") == 'note="a \\"b\\""'
    assert kc.field_value(POD, "status.podIPs") == "10.244.1.5"
    assert kc.field_value(POD, "status.hostIPs") == "172.18.0.2"
    assert kc.field_value(POD, "metadata.uid") == "u1"


def test_resource_values() -> None:
    spec = {"name": "c", "resources": {"requests": {"cpu": "125m", "memory": "32Mi"},
                                       "limits": {"memory": "64Mi"}}}  # fmt: skip
    node = {"status": {"allocatable": {"cpu": "2", "memory": "8Gi"}}}
    assert kc.resource_value(POD, spec, {"resource": "requests.cpu"}, node) == "1"
    assert kc.resource_value(POD, spec, {"resource": "requests.cpu", "divisor": "1m"}, node) == (
        "125"
    )
    assert kc.resource_value(POD, spec, {"resource": "limits.cpu"}, node) == "2"
    assert kc.resource_value(POD, spec, {"resource": "limits.memory", "divisor": "1Mi"}, node) == (
        "64"
    )
    assert kc.resource_value(POD, spec, {"resource": "requests.memory"}, node) == "33554432"


def test_volume_files() -> None:
    volume = {"name": "v", "configMap": {"name": "settings", "defaultMode": 0o440,
              "items": [{"key": "mode", "path": "conf/mode", "mode": 0o600},
                        {"key": "blob", "path": "blob"}]}}  # fmt: skip
    assert kc.volume_payload(lookup, POD, volume) == {
        "files": {"conf/mode": "fast", "blob": "raw"},
        "modes": {"conf/mode": 0o600, "blob": 0o440},
    }
    secret = {"name": "s", "secret": {"secretName": "creds"}}
    assert kc.volume_payload(lookup, POD, secret)["files"] == {"user": "admin"}
    downward = {"name": "d", "downwardAPI": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}  # fmt: skip
    assert kc.volume_payload(lookup, POD, downward)["files"] == {
        "labels": 'app="web"\ntier="front"'
    }
    projected = {"name": "p", "projected": {"sources": [
        {"configMap": {"name": "settings", "items": [{"key": "level", "path": "level"}]}},
        {"secret": {"name": "creds"}}]}}  # fmt: skip
    assert kc.volume_payload(lookup, POD, projected)["files"] == {"level": "3", "user": "admin"}


@pytest.mark.parametrize(
    ("volume", "message"),
    [
        ({"configMap": {"name": "nothing"}}, 'configmap "nothing" not found'),
        ({"secret": {"secretName": "nothing"}}, 'secret "nothing" not found'),
        (
            {"configMap": {"name": "settings", "items": [{"key": "k", "path": "k"}]}},
            "configmap references non-existent config key: k",
        ),
        (
            {"secret": {"secretName": "creds", "items": [{"key": "k", "path": "k"}]}},
            "references non-existent secret key: k",
        ),
    ],
)
def test_what_fails_a_mount(volume: Object, message: str) -> None:
    with pytest.raises(kc.MountError) as raised:
        kc.volume_payload(lookup, POD, {"name": "v", **volume})
    assert str(raised.value) == message
    optional = {"name": "v", **volume}
    source = optional.get("configMap") or optional.get("secret") or {}
    source["optional"] = True
    assert kc.volume_payload(lookup, POD, optional)["files"] == {}


def test_a_token_volume_is_left_to_the_sandbox() -> None:
    token = {"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {}}]}}
    assert not kc.is_config_volume(token)
    assert kc.is_config_volume({"name": "c", "configMap": {"name": "x"}})
