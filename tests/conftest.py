"""Shared fixtures: a fresh cluster per test, driven through the CLI as a user types it."""

from __future__ import annotations

import io
import shlex
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

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
