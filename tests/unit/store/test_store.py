"""The state file: atomic replacement under a lock, so concurrent writers lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubesim.store import CorruptState, Store


def test_transaction_saves_only_when_something_changed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as state:
        state.put("pods", {"metadata": {"name": "a", "namespace": "default"}})
    before = store.state_path.stat()
    with store.transaction() as state:
        assert state.get("pods", "default", "a") is not None
    after = store.state_path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_an_error_inside_a_transaction_saves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction() as state:
        state.put("pods", {"metadata": {"name": "a", "namespace": "default"}})
        raise RuntimeError("boom")
    assert not (tmp_path / "cluster.json").exists()


def test_every_write_is_journaled_with_its_resource_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.transaction() as state:
        state.put("pods", {"metadata": {"name": "a", "namespace": "default"}})
        state.remove("pods", "default", "a")
    lines = [json.loads(line) for line in (tmp_path / "journal.jsonl").read_text().splitlines()]
    assert list(lines[0]) == ["journal"]  # the file's header: its id
    assert [(e["type"], e["rv"]) for e in lines[1:]] == [("ADDED", 1), ("DELETED", 2)]


def test_truncated_file_is_reported_not_wiped(tmp_path: Path) -> None:
    (tmp_path / "cluster.json").write_text('{"objects": {')
    with pytest.raises(CorruptState) as caught:
        Store(tmp_path).read()
    assert caught.value.path == tmp_path / "cluster.json"
    assert (tmp_path / "cluster.json").read_text() == '{"objects": {'


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
    pods = json.loads((tmp_path / "cluster.json").read_text())["objects"]["pods"]
    assert sorted(pods) == [f"default/p{i}" for i in range(8)]
    versions = [p["metadata"]["resourceVersion"] for p in pods.values()]
    assert len(set(versions)) == 8


def test_a_reader_follows_the_journal_across_a_rotation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubesim.store import journal

    monkeypatch.setattr(journal, "MAX_BYTES", 300)
    path = tmp_path / "journal.jsonl"
    journal.append(path, [{"rv": 1, "pad": "x" * 100}])
    cursor = journal.end(path)
    journal.append(path, [{"rv": 2, "pad": "x" * 100}])
    journal.append(path, [{"rv": 3, "pad": "x" * 100}])  # past the limit: rotated
    journal.append(path, [{"rv": 4}])
    events, cursor, restarted = journal.read(path, cursor)
    assert [e["rv"] for e in events] == [2, 3, 4] and not restarted
    journal.append(path, [{"rv": 5}])
    events, cursor, restarted = journal.read(path, cursor)
    assert [e["rv"] for e in events] == [5]


def test_a_new_journal_that_does_not_continue_is_a_restart(tmp_path: Path) -> None:
    from kubesim.store import journal

    path = tmp_path / "journal.jsonl"
    journal.append(path, [{"rv": 7}])
    cursor = journal.end(path)
    path.unlink()
    journal.append(path, [{"rv": 1}])
    events, cursor, restarted = journal.read(path, cursor)
    assert [e["rv"] for e in events] == [1] and restarted
