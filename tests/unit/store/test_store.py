"""The store: objects as rows of a SQLite database, a revision per write, a change log for
watches, indexes, events with leases; one transaction per command, so concurrent writers lose
nothing and a failed command leaves nothing behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kubesim.store import ClusterState, CorruptState, Store, indexes, state

Object = dict[str, Any]


def pod(name: str, **labels: str) -> Object:
    return {
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", "labels": labels}
    }


def test_a_transaction_that_writes_nothing_commits_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as s:
        s.put("pods", pod("a"))
    with store.transaction() as s:
        assert s.get("pods", "default", "a") is not None
    assert store.revision() == 1
    assert len(store.read().changes_since(0)) == 1


def test_an_error_inside_a_transaction_saves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction() as s:
        s.put("pods", pod("a"))
        raise RuntimeError("boom")
    assert store.read().get("pods", "default", "a") is None
    assert store.revision() == 0


def test_every_write_is_logged_with_its_resource_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as s:
        s.put("pods", pod("a"))
        s.put("pods", pod("a", app="web"))
        s.remove("pods", "default", "a")
    changes = store.read().changes_since(0)
    assert [(c.type, c.rv, c.prev) for c in changes] == [
        ("ADDED", 1, None),
        ("MODIFIED", 2, 1),
        ("DELETED", 3, 2),
    ]
    assert changes[2].object["metadata"]["resourceVersion"] == "3"


def test_objects_list_in_key_order_by_namespace(tmp_path: Path) -> None:
    s = ClusterState()
    for namespace, name in (("default", "b"), ("default-x", "a"), ("default", "a")):
        s.put("pods", {"metadata": {"name": name, "namespace": namespace}})
    assert [(p["metadata"]["namespace"], p["metadata"]["name"]) for p in s.list("pods")] == [
        ("default-x", "a"),  # etcd's order: "default-x/a" sorts before "default/a"
        ("default", "a"),
        ("default", "b"),
    ]
    assert [p["metadata"]["name"] for p in s.list("pods", "default")] == ["a", "b"]
    assert s.count("pods", "default") == 2


def test_indexes_follow_every_write() -> None:
    s = ClusterState()
    owner = {"uid": "rs-1", "kind": "ReplicaSet", "name": "rs", "controller": True}
    web = pod("web", app="web")
    web["metadata"]["ownerReferences"] = [owner]
    web["spec"] = {"nodeName": "node-1"}
    s.put("pods", web)
    s.put("pods", pod("db", app="db"))
    assert [p["metadata"]["name"] for p in s.by_index(indexes.LABEL, "app=web", "pods")] == ["web"]
    assert [p["metadata"]["name"] for p in s.by_index(indexes.CONTROLLER, "rs-1", "pods")] == [
        "web"
    ]
    assert [p["metadata"]["name"] for p in s.by_index(indexes.CONTROLLER, "", "pods")] == ["db"]
    assert [p["metadata"]["name"] for p in s.by_index(indexes.NODE, "node-1", "pods")] == ["web"]
    relabelled = pod("web", app="api")
    s.put("pods", relabelled)
    assert s.by_index(indexes.LABEL, "app=web", "pods") == []
    assert s.by_index(indexes.CONTROLLER, "rs-1", "pods") == []
    s.remove("pods", "default", "db")
    assert s.by_index(indexes.LABEL, "app=db", "pods") == []


def test_events_live_apart_and_expire_with_their_lease() -> None:
    s = ClusterState()
    event = {
        "metadata": {"name": "web.1", "namespace": "default"},
        "involvedObject": {"uid": "uid-web"},
        "reason": "Started",
        "source": {"component": "kubelet"},
    }
    s.put("events", event, expires=100.0)
    assert s.list("events", "default") == [event]
    assert s.events_about("uid-web") == [event]
    assert s.event_in_series(state.event_series(event)) == event
    assert s.count("pods") == 0
    assert s.expire_events(99.0) == 0
    assert s.expire_events(100.0) == 1
    assert s.list("events") == [] and s.changes_since(0)[-1].type == "DELETED"


def test_timers_keep_the_earliest_and_fire_once() -> None:
    s = ClusterState()
    s.add_timer("kubelet", "default/web-0", 30.0)
    s.add_timer("kubelet", "default/web-0", 20.0)
    s.add_timer("kubelet", "default/web-0", 40.0)
    assert s.next_timer() == 20.0
    assert s.take_timers("kubelet", 19.0) == []
    assert s.take_timers("kubelet", 20.0) == ["default/web-0"]
    assert s.take_timers("kubelet", 50.0) == [] and s.next_timer() is None


def test_sections_are_rows_read_lazily_and_written_through(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as s:
        files = s.section("containers")
        files["uid-a"] = {"nginx": {"/tmp/x": "1"}}
        files["uid-a/extra"] = 1
        files["uid-b"] = 2
    with store.transaction() as s:
        assert s.section("containers")["uid-a"] == {"nginx": {"/tmp/x": "1"}}
        s.section("containers").pop_prefix("uid-a")
    assert dict(store.read().section("containers")) == {"uid-b": 2}


def test_compaction_keeps_the_recent_history(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(state, "COMPACT_KEEP", 5)
    monkeypatch.setattr(state, "COMPACT_CHECK", 10)
    store = Store(tmp_path)
    watcher = store.watcher(0)
    for i in range(12):
        with store.transaction() as s:
            s.put("pods", pod(f"p{i}"))
    read = store.read()
    # at revision 11 the log held more than twice what it keeps: it went back to the last 5
    assert read.compacted == 6
    assert [c.rv for c in read.changes_since(0)] == [7, 8, 9, 10, 11, 12]
    changes, restarted = watcher.poll()
    assert [c.rv for c in changes] == [7, 8, 9, 10, 11, 12] and not restarted


def test_history_older_than_five_minutes_is_compacted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(state, "COMPACT_CHECK", 10)
    store = Store(tmp_path)
    for i in range(12):
        with store.transaction() as s:
            s.now = 1000.0 if i < 6 else 1400.0  # six writes, then five minutes later six more
            s.put("pods", pod(f"p{i}"))
    assert store.read().compacted == 6
    assert [c.rv for c in store.read().changes_since(0)] == [7, 8, 9, 10, 11, 12]


def test_a_watcher_sees_other_writers_and_a_reset_as_a_restart(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as s:
        s.put("pods", pod("a"))
    watcher = store.watcher(1)
    assert watcher.poll() == ([], False)
    with store.transaction() as s:
        s.put("pods", pod("b"))
    changes, restarted = watcher.poll(("pods",))
    assert [c.name for c in changes] == ["b"] and not restarted
    backup = store.reset()
    assert backup is not None and backup.name == "cluster.db.bak"
    with store.transaction() as s:
        s.put("pods", pod("c"))
    changes, restarted = watcher.poll()
    assert restarted and [c.name for c in changes] == ["c"]


def test_a_damaged_database_is_reported_not_wiped(tmp_path: Path) -> None:
    (tmp_path / "cluster.db").write_bytes(b"not a database" * 100)
    with pytest.raises(CorruptState) as caught:
        Store(tmp_path).read()
    assert caught.value.path == tmp_path / "cluster.db"
    assert (tmp_path / "cluster.db").read_bytes() == b"not a database" * 100


def test_a_cluster_json_of_an_earlier_kubesim_is_migrated_and_kept(tmp_path: Path) -> None:
    old = {
        "schemaVersion": 1,
        "resourceVersion": 41,
        "objects": {
            "pods": {"default/web-0": {**pod("web-0"), "kind": "Pod"}},
            "events": {
                "default/web-0.1": {
                    "metadata": {
                        "name": "web-0.1",
                        "namespace": "default",
                        "resourceVersion": "40",
                    },
                    "involvedObject": {"uid": "uid-web-0"},
                    "lastTimestamp": "2026-01-01T00:00:00Z",
                }
            },
        },
        "clock": {"mode": "manual", "tick": 7, "epoch": 1000.0, "wall": 1000.0},
        "eventIndex": {"x": "web-0.1"},
    }
    old["objects"]["pods"]["default/web-0"]["metadata"]["resourceVersion"] = "12"
    (tmp_path / "cluster.json").write_text(json.dumps(old))
    read = Store(tmp_path).read()
    assert read.resource_version == 41
    assert read.get("pods", "default", "web-0")["metadata"]["resourceVersion"] == "12"
    assert read.section("clock")["tick"] == 7
    assert read.events_about("uid-web-0")[0]["metadata"]["name"] == "web-0.1"
    assert not (tmp_path / "cluster.json").exists()
    assert json.loads((tmp_path / "cluster.json.bak").read_text()) == old


def test_concurrent_processes_lose_no_update(tmp_path: Path) -> None:
    env = {**os.environ, "KUBESIM_HOME": str(tmp_path), "KUBESIM_CLOCK": "manual"}
    subprocess.run(
        [sys.executable, "-m", "kubesim", "get", "ns"], env=env, check=True, capture_output=True
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "kubesim", "run", f"p{i}", "--image", "nginx:1.9.1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    pods = Store(tmp_path).read().list("pods", "default")
    assert sorted(p["metadata"]["name"] for p in pods) == [f"p{i}" for i in range(8)]
    assert len({p["metadata"]["resourceVersion"] for p in pods}) == 8


def test_a_damaged_row_is_named_not_loaded(tmp_path: Path) -> None:
    import sqlite3

    from kubesim.store import DamagedObject

    store = Store(tmp_path)
    with store.transaction() as s:
        s.put("pods", pod("a"))
    conn = sqlite3.connect(tmp_path / "cluster.db")
    with conn:
        conn.execute("UPDATE objects SET value = ? WHERE key = 'default/a'", (b'{"spec": 1}',))
    conn.close()
    with pytest.raises(DamagedObject) as caught:
        store.read().get("pods", "default", "a")
    assert str(caught.value).endswith('pods "default/a" is damaged: it has no metadata.name')


def test_backups_are_taken_every_half_hour_and_the_last_three_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from kubesim.store import store as store_module

    now = [time.time()]
    monkeypatch.setattr(time, "time", lambda: now[0])
    store = Store(tmp_path)
    with store.transaction() as s:
        s.put("pods", pod("a"))
    assert store.backups() == []  # a young cluster has nothing worth a copy yet
    for step in range(5):
        now[0] += store_module.BACKUP_EVERY + 1
        with store.transaction() as s:
            s.put("pods", pod(f"b{step}"))
    kept = store.backups()
    assert len(kept) == store_module.BACKUPS_KEPT
    newest = Store(tmp_path / "restore")
    (tmp_path / "restore").mkdir()
    (tmp_path / "restore" / "cluster.db").write_bytes(kept[-1].read_bytes())
    assert newest.read().get("pods", "default", "b4") is not None
