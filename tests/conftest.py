"""Shared fixtures: a fresh cluster per test, driven through the CLI as a user types it."""

from __future__ import annotations

import io
import shlex
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"


@dataclass
class Result:
    code: int
    out: str
    err: str


Kubesim = Callable[..., Result]


@pytest.fixture(scope="session")
def offline_proxy() -> Iterator[str]:
    """A proxy address that refuses every connection (a bound port nobody listens on)."""
    with socket.socket() as unheard:
        unheard.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{unheard.getsockname()[1]}"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline_proxy: str) -> Path:
    """A fresh KUBESIM_HOME with the manual clock, so time moves only with `kubesim tick`.

    The machine is offline for `-f URL` (every fetch goes to a proxy that refuses it, as
    kubectl's would), but for servers a test runs on loopback; the retries do not wait."""
    from kubesim.cli import urls

    monkeypatch.setenv("KUBESIM_HOME", str(tmp_path / "cluster"))
    monkeypatch.setenv("KUBESIM_CLOCK", "manual")
    # every tick checks that the controllers' queues missed nothing a full resync would do
    monkeypatch.setenv("KUBESIM_VERIFY_QUEUES", "1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, offline_proxy)
    for name in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    monkeypatch.setattr(urls, "RETRY_PAUSE", 0.0)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "cluster"


@pytest.fixture
def kubesim(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Kubesim:
    """Run `kubesim <command line>` in this process; returns exit code, stdout and stderr."""
    from kubesim.cli.app import main

    def run(command: str, stdin: str | TextIO = "") -> Result:
        """`stdin` is the text piped in, or a stream standing for the user's terminal."""
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin) if isinstance(stdin, str) else stdin)
        code = main(shlex.split(command))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def article(kubesim: Kubesim) -> Kubesim:
    """The article's Service and StatefulSet, created and settled (web-0 and web-1 Running)."""
    assert kubesim(f"create -f {SAMPLES / 'svc.yaml'}").code == 0
    assert kubesim(f"create -f {SAMPLES / 'statefulset.yaml'}").code == 0
    kubesim("tick 12")
    return kubesim


def cluster_state(home: Path) -> str:
    """Everything the cluster's database holds, as SQL (to check that a command changed
    nothing)."""
    import sqlite3

    conn = sqlite3.connect(home / "cluster.db")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def edit_stored(home: Path, edit: Callable[[str, dict[str, Any]], None]) -> None:
    """Change the stored objects in place, behind the apiserver's back (`edit(resource, obj)`),
    as an older kubesim or a hand-edited database may have left them."""
    import sqlite3

    from kubesim.store import codec

    conn = sqlite3.connect(home / "cluster.db")
    try:
        rows = conn.execute("SELECT resource, key, value FROM objects").fetchall()
        for resource, key, value in rows:
            obj = codec.loads(value)
            edit(resource, obj)
            conn.execute(
                "UPDATE objects SET value = ? WHERE resource = ? AND key = ?",
                (codec.dumps(obj), resource, key),
            )
        conn.commit()
    finally:
        conn.close()


def set_runtime(home: Path, section: str, key: str, value: Any) -> None:
    """Set one entry of the cluster's runtime state (its seed, its clock)."""
    import sqlite3

    from kubesim.store import codec

    conn = sqlite3.connect(home / "cluster.db")
    try:
        conn.execute(
            "INSERT OR REPLACE INTO runtime (section, key, value) VALUES (?, ?, ?)",
            (section, key, codec.dumps(value)),
        )
        conn.commit()
    finally:
        conn.close()
