"""Stable storage: each ordinal's claim, provisioned by the default StorageClass, outlives its pods."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, Kubesim, Result


@pytest.fixture
def web(kubesim: Kubesim) -> Kubesim:
    """The tutorial's StatefulSet with a volumeClaimTemplate (samples/web.yaml), settled."""
    assert kubesim(f"create -f {SAMPLES / 'web.yaml'}").code == 0
    kubesim("tick 40")
    return kubesim


def test_each_ordinal_gets_its_claim_bound_to_a_provisioned_volume(web: Kubesim) -> None:
    claims = web("get pvc").out.splitlines()
    assert claims[0].split() == [
        "NAME",
        "STATUS",
        "VOLUME",
        "CAPACITY",
        "ACCESS",
        "MODES",
        "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS",
        "AGE",
    ]
    rows = [line.split() for line in claims[1:]]
    assert [(r[0], r[1], r[3], r[4], r[5], r[6]) for r in rows] == [
        ("www-web-0", "Bound", "1Gi", "RWO", "standard", "<unset>"),
        ("www-web-1", "Bound", "1Gi", "RWO", "standard", "<unset>"),
    ]
    volumes = json.loads(web("get pv -o json").out)["items"]
    assert sorted(v["spec"]["claimRef"]["name"] for v in volumes) == ["www-web-0", "www-web-1"]
    assert all(v["spec"]["persistentVolumeReclaimPolicy"] == "Delete" for v in volumes)
    claim = json.loads(web("get pvc www-web-0 -o json").out)
    assert claim["metadata"]["labels"] == {"app": "nginx"}
    assert claim["spec"]["volumeName"] == f"pvc-{claim['metadata']['uid']}"


def test_default_storage_class(kubesim: Kubesim) -> None:
    assert kubesim("get sc").out == (
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  0s\n"
    )


def test_claim_events_tell_the_provisioning_story(web: Kubesim) -> None:
    events = web("get events --field-selector involvedObject.name=www-web-0").out
    reasons = [line.split()[2] for line in events.splitlines()[1:]]
    assert reasons == [
        "WaitForFirstConsumer",
        "ExternalProvisioning",
        "Provisioning",
        "ProvisioningSucceeded",
    ]
    sts_events = web("get events --field-selector involvedObject.kind=StatefulSet").out
    assert "create Claim www-web-0 Pod web-0 in StatefulSet web success" in sts_events


def test_data_on_the_volume_survives_the_pod(web: Kubesim) -> None:
    for i in (0, 1):
        assert (
            web(
                f"exec web-{i} -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html'"
            ).code
            == 0
        )
    web("exec web-0 -- sh -c 'echo scratch > /tmp/outside-the-volume'")
    assert web("exec web-0 -- curl -s http://localhost/").out == "web-0\n"
    web("delete pod web-0")
    web("tick 10")
    assert web("get pod web-0").out.splitlines()[1].split()[:3] == ["web-0", "1/1", "Running"]
    assert web("exec web-0 -- curl -s http://localhost/").out == "web-0\n"
    assert web("exec web-1 -- curl -s http://web-0.nginx/").out == "web-0\n"
    missing = web("exec web-0 -- cat /tmp/outside-the-volume")
    assert missing.code == 1 and "No such file or directory" in missing.err


def test_an_empty_volume_hides_the_image_page(web: Kubesim) -> None:
    page = web("exec web-0 -- curl -s http://localhost/").out
    assert "<title>403 Forbidden</title>" in page


def test_claims_are_kept_on_scale_down_and_reused_on_scale_up(web: Kubesim) -> None:
    web("exec web-1 -- sh -c 'echo kept > /usr/share/nginx/html/index.html'")
    set_replicas(web, 1)
    web("tick 20")
    assert web("get pods -o name").out == "pod/web-0\n"
    assert (
        web("get pvc -o name").out
        == "persistentvolumeclaim/www-web-0\npersistentvolumeclaim/www-web-1\n"
    )
    set_replicas(web, 2)
    web("tick 30")
    assert web("exec web-1 -- curl -s http://localhost/").out == "kept\n"


def test_when_scaled_delete_removes_the_claim_of_a_condemned_pod(web: Kubesim) -> None:
    update_spec(
        web,
        {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"}},
    )
    set_replicas(web, 1)
    web("tick 30")
    assert web("get pvc -o name").out == "persistentvolumeclaim/www-web-0\n"
    assert len(web("get pv -o name").out.splitlines()) == 1  # reclaimed: the class says Delete


def test_when_deleted_delete_removes_claims_with_the_set(web: Kubesim) -> None:
    update_spec(
        web,
        {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"}},
    )
    web("tick 2")
    owners = json.loads(web("get pvc www-web-0 -o json").out)["metadata"]["ownerReferences"]
    assert [(o["kind"], o["name"]) for o in owners] == [("StatefulSet", "web")]
    web("delete sts web")
    web("tick 30")
    assert web("get pvc").err == "No resources found in default namespace.\n"


def test_a_claim_in_use_waits_for_its_pod(web: Kubesim) -> None:
    result = web("delete pvc www-web-0 --wait=false")
    assert result.out == 'persistentvolumeclaim "www-web-0" deleted\n'
    web("tick 3")
    assert web("get pvc www-web-0").out.splitlines()[1].split()[1] == "Terminating"


def set_replicas(kubesim: Kubesim, replicas: int) -> None:
    update_spec(kubesim, {"replicas": replicas})


def update_spec(kubesim: Kubesim, changes: dict[str, object]) -> None:
    """Change the set's spec through the apiserver (kubesim patch arrives with its own tests)."""
    from kubesim.engine import session

    with session.writing() as server:
        from kubesim.api import kinds

        sts = json.loads(json.dumps(server.get(kinds.resolve("sts"), "default", "web")))
        sts["spec"].update(changes)
        server.update(sts)


def test_the_tutorials_chmod_of_the_web_root_is_kept_on_the_volume(web: Kubesim) -> None:
    def web_root_mode(pod: str) -> str:
        return web(f"exec {pod} -- ls -ld /usr/share/nginx/html").out.split()[0]

    # local-path provisions each volume with `mkdir -m 0777`
    assert web_root_mode("web-0") == "drwxrwxrwx"
    for i in (0, 1):
        assert web(f"exec web-{i} -- chmod 755 /usr/share/nginx/html") == Result(0, "", "")
    assert [web_root_mode(p) for p in ("web-0", "web-1")] == ["drwxr-xr-x"] * 2
    web("delete pod web-0")
    web("tick 15")
    assert web_root_mode("web-0") == "drwxr-xr-x"


def test_chmod_errors_through_exec(web: Kubesim) -> None:
    assert web("exec web-0 -- chmod 755 /nosuch") == Result(
        1,
        "",
        "chmod: cannot access '/nosuch': No such file or directory\n"
        "command terminated with exit code 1\n",
    )
