"""Writers killed at random moments lose nothing that was reported saved, leave nothing torn,
and a watch that runs through it all sees every object that exists at the end."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _kubesim(env: dict[str, str], *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kubesim", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        **kwargs,  # type: ignore[call-overload]
    )  # fmt: skip


@pytest.mark.slow
def test_writers_killed_at_random_lose_nothing_and_the_watch_sees_everything(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "KUBESIM_HOME": str(tmp_path), "KUBESIM_CLOCK": "manual"}
    setup = _kubesim(env, "get", "ns")
    assert setup.wait(timeout=60) == 0
    watch = _kubesim(env, "get", "configmaps", "-w", "-o", "name")
    time.sleep(1.5)  # the watch has listed and is waiting
    chance = random.Random(20261207)
    saved: set[str] = set()
    for round_ in range(6):
        writers = {
            f"cm-{round_}-{i}": _kubesim(
                env, "create", "configmap", f"cm-{round_}-{i}", f"--from-literal=k=v{i}"
            )
            for i in range(5)
        }
        time.sleep(chance.uniform(0.05, 0.6))
        for name, writer in writers.items():
            if chance.random() < 0.5:
                writer.send_signal(signal.SIGKILL)
            out, _ = writer.communicate(timeout=60)
            if writer.returncode == 0:
                assert out == f"configmap/{name} created\n"
                saved.add(f"configmap/{name}")
    time.sleep(2.0)  # the watch catches up
    watch.send_signal(signal.SIGINT)
    seen_out, _ = watch.communicate(timeout=30)

    listing = subprocess.run(
        [sys.executable, "-m", "kubesim", "get", "configmaps", "-o", "name"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert listing.returncode == 0, listing.stderr
    exists = {line for line in listing.stdout.split() if line.startswith("configmap/cm-")}
    assert saved and len(exists) < 30  # some writers finished, some were killed first
    assert saved <= exists  # what was reported created was saved
    seen = {line for line in seen_out.split() if line.startswith("configmap/cm-")}
    assert exists <= seen  # the watch saw every object that exists
    conn = sqlite3.connect(tmp_path / "cluster.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    for name in exists:  # and each is whole
        shown = subprocess.run(
            [sys.executable, "-m", "kubesim", "get", name, "-o", "jsonpath={.data.k}"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert shown.returncode == 0 and shown.stdout.startswith("v"), shown.stderr
