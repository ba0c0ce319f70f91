"""The cluster's database as a user meets it: export, a cluster of an earlier kubesim, one
command's writes landing together."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kubesim.api import kinds
from tests.conftest import SAMPLES, Kubesim


def test_export_prints_every_object_as_one_list(kubesim: Kubesim) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    kubesim("tick 12")
    exported = json.loads(kubesim("export").out)
    assert (exported["apiVersion"], exported["kind"]) == ("v1", "List")
    names = {(i["kind"], i["metadata"]["name"]) for i in exported["items"]}
    assert {
        ("Pod", "web-0"),
        ("Pod", "web-1"),
        ("StatefulSet", "web"),
        ("Node", "kubesim-worker"),
    } <= names
    assert any(kind == "Event" for kind, _ in names)
    revision = int(exported["metadata"]["resourceVersion"])
    assert revision == max(int(i["metadata"]["resourceVersion"]) for i in exported["items"])
    order = [kinds.lookup(i["kind"]) for i in exported["items"]]
    assert order == sorted(order, key=kinds.KINDS.index)  # kubectl's kind order
    assert kubesim("export -o yaml").out.startswith("apiVersion: v1\nitems:\n")


def test_a_cluster_json_of_an_earlier_kubesim_is_migrated_on_first_use(
    kubesim: Kubesim, home: Path, tmp_path: Path, monkeypatch: object
) -> None:
    kubesim(f"create -f {SAMPLES / 'svc.yaml'}")
    kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}")
    kubesim("tick 12")
    exported = json.loads(kubesim("export").out)
    # the document an earlier kubesim kept: objects by resource and key, the counter, the clock
    objects: dict[str, dict[str, object]] = {}
    for item in exported["items"]:
        kind = kinds.lookup(item["kind"])
        assert kind is not None
        m = item["metadata"]
        key = f"{m['namespace']}/{m['name']}" if m.get("namespace") else m["name"]
        objects.setdefault(kind.resource, {})[key] = item
    clock = {"mode": "manual", "tick": 12, "epoch": 1_795_000_000.0, "wall": 1_795_000_000.0}
    old = {
        "schemaVersion": 1,
        "resourceVersion": int(exported["metadata"]["resourceVersion"]),
        "objects": objects,
        "clock": clock,
        "cluster": {"seed": 7},
    }
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "cluster.json").write_text(json.dumps(old))
    setenv = monkeypatch.setenv  # type: ignore[attr-defined]
    setenv("KUBESIM_HOME", str(earlier))
    pods = kubesim("get pods -o name")
    assert (pods.code, pods.out) == (0, "pod/web-0\npod/web-1\n")
    assert (earlier / "cluster.db").exists() and not (earlier / "cluster.json").exists()
    assert json.loads((earlier / "cluster.json.bak").read_text()) == old
    # the migrated cluster goes on: its controllers look at everything once, then at changes
    assert kubesim("delete pod web-0").code == 0
    kubesim("tick 10")
    assert kubesim("get pods -o name").out == "pod/web-0\npod/web-1\n"


def test_each_object_of_a_file_is_its_own_request(
    kubesim: Kubesim,
) -> None:
    two = (SAMPLES / "svc.yaml").read_text() + "---\n" + (SAMPLES / "svc.yaml").read_text()
    result = kubesim("create -f -", stdin=two)
    assert result.code == 1 and result.out == "service/nginx created\n"
    # the first was written, the second refused: each request is its own write, as kubectl's
    assert kubesim("get svc nginx -o name").out == "service/nginx\n"


def test_what_is_printed_is_what_was_saved(kubesim: Kubesim) -> None:
    """A write the disk refuses (full) prints no `created`, only the error; nothing is kept."""
    import sqlite3

    import pytest

    from kubesim.store.state import ClusterState

    kubesim("get ns")

    def full(self: ClusterState) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm20}\ndata: {a: b}\n"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClusterState, "flush", full)
        result = kubesim("create -f -", stdin=manifest)
    assert result.code == 1 and result.out == ""
    assert "database or disk is full; nothing was saved" in result.err
    assert (
        kubesim("get cm cm20").err == 'Error from server (NotFound): configmaps "cm20" not found\n'
    )
    assert kubesim("create -f -", stdin=manifest).out == "configmap/cm20 created\n"


def test_a_state_directory_that_refuses_writes_is_a_clear_error(kubesim: Kubesim) -> None:
    """`reset` where the backup cannot be written (a read-only disk): kubectl-style, no
    traceback, and the cluster as it was."""
    import sqlite3

    import pytest

    kubesim("create configmap kept --from-literal=a=b")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/state/cluster.db.bak")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", denied)
        result = kubesim("reset --yes")
    assert (result.code, result.out) == (1, "")
    assert result.err == "error: open /state/cluster.db.bak: permission denied\n"
    assert kubesim("get cm kept -o name").out == "configmap/kept\n"


def test_an_object_damaged_behind_the_apiserver_is_named_with_its_field(
    kubesim: Kubesim, home: Path
) -> None:
    """A database edited by hand (a Deployment's replicas as a string, a pod's spec a list):
    the command that breaks on it names the object and the field, never fails unexpectedly."""
    from tests.conftest import edit_stored

    kubesim("create deployment web --image=nginx --replicas=2")
    kubesim("tick 3")

    def damage(resource: str, obj: dict[str, Any]) -> None:
        if resource == "deployments.apps":
            obj["spec"]["replicas"] = "two"

    edit_stored(home, damage)
    result = kubesim("scale deploy web --replicas=3")
    assert result.code == 1
    assert "failed unexpectedly" not in result.err and "Traceback" not in result.err
    assert result.err.startswith(
        f"error: the cluster state in {home / 'cluster.db'} cannot be read: "
        'deployments.apps "default/web" is damaged: json: cannot unmarshal string into Go '
        "struct field DeploymentSpec.spec.replicas of type int32.\n"
    )
    assert "kubesim reset" in result.err
