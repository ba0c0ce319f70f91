"""Update validation: what a StatefulSet update may not change."""

from __future__ import annotations

import copy

from kubesim.api.validation import validate_update
from tests.factories import statefulset

FORBIDDEN = (
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
    "'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' "
    "and 'minReadySeconds' are forbidden"
)


def changed(**spec: object) -> dict[str, object]:
    new = copy.deepcopy(statefulset())
    new["spec"].update(spec)
    return new


def test_mutable_fields_may_change() -> None:
    old = statefulset()
    new = changed(replicas=5, minReadySeconds=3, revisionHistoryLimit=2, ordinals={"start": 1})
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.10"
    new["spec"]["updateStrategy"] = {"type": "OnDelete"}
    assert validate_update(old, new) == []


def test_service_name_is_immutable() -> None:
    assert [str(e) for e in validate_update(statefulset(), changed(serviceName="x"))] == [FORBIDDEN]


def test_volume_claim_templates_are_immutable() -> None:
    new = changed(volumeClaimTemplates=[{"metadata": {"name": "www"}}])
    assert [str(e) for e in validate_update(statefulset(), new)] == [FORBIDDEN]


def test_other_kinds_have_no_update_rules_yet() -> None:
    pod = {"kind": "Pod", "spec": {"a": 1}}
    assert validate_update(pod, {"kind": "Pod", "spec": {"a": 2}}) == []
