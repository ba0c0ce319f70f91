"""kubesim get -w in one process sees what other processes write, as two terminals would."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


class Terminal:
    """A kubesim process whose stdout lines can be awaited."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kubesim", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def next_lines(self, count: int, timeout: float = 20) -> list[str]:
        return [self.lines.get(timeout=timeout) for _ in range(count)]

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=10)


def kubesim(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "kubesim", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_watch_shows_pods_appear_in_order_from_another_process(tmp_path: Path) -> None:
    env = {**os.environ, "KUBESIM_HOME": str(tmp_path), "KUBESIM_CLOCK": "manual"}
    kubesim(["create", "-f", str(SAMPLES / "svc.yaml")], env)
    watch = Terminal(["get", "pods", "-w", "-l", "app=nginx"], env)
    try:
        kubesim(["create", "-f", str(SAMPLES / "statefulset.yaml")], env)
        rows: list[list[str]] = []
        for _ in range(9):
            kubesim(["tick"], env)
        lines = watch.next_lines(1 + 8)  # the header, then one row per change
        rows = [line.split()[:3] for line in lines]
    finally:
        code = watch.interrupt()
    assert rows == [
        ["NAME", "READY", "STATUS"],
        ["web-0", "0/1", "Pending"],
        ["web-0", "0/1", "Pending"],
        ["web-0", "0/1", "ContainerCreating"],
        ["web-0", "1/1", "Running"],
        ["web-1", "0/1", "Pending"],
        ["web-1", "0/1", "Pending"],
        ["web-1", "0/1", "ContainerCreating"],
        ["web-1", "1/1", "Running"],
    ]
    assert code == 1  # as kubectl: its interrupt handler ends a watch with os.Exit(1)
    assert watch.proc.stderr is not None and watch.proc.stderr.read() == ""


def test_a_damaged_entry_of_the_change_log_does_not_end_a_watch(tmp_path: Path) -> None:
    import sqlite3

    env = {**os.environ, "KUBESIM_HOME": str(tmp_path), "KUBESIM_CLOCK": "manual"}
    kubesim(["create", "configmap", "first", "--from-literal=a=b"], env)
    watch = Terminal(["get", "configmaps", "-w", "-o", "name"], env)
    try:
        assert "configmap/first" in watch.next_lines(2)
        conn = sqlite3.connect(tmp_path / "cluster.db")
        with conn:  # a write half-made behind kubesim's back: a change whose JSON is cut short
            rv = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0] + 1
            conn.execute(
                "INSERT INTO changes (rv, type, resource, key, prev, t, value, prev_meta) "
                "VALUES (?, 'ADDED', 'configmaps', 'default/torn', NULL, 0, ?, NULL)",
                (rv, b'{"metadata": {"na'),
            )
            conn.execute("UPDATE meta SET value = ? WHERE key = 'revision'", (rv,))
        conn.close()
        kubesim(["create", "configmap", "after", "--from-literal=a=b"], env)
        assert watch.next_lines(1) == ["configmap/after"]
    finally:
        code = watch.interrupt()
    assert code == 1
