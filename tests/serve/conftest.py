"""The served cluster for end-to-end tests: kubesim's API server on a free loopback port over
a fresh cluster (manual clock), the real kubectl pointed at it with a private cache dir, and
the `kubernetes` Python client configured from the same kubeconfig."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Kubesim, Result


def kubectl_binary() -> str | None:
    """kubectl v1.32: the Cloud SDK's `kubectl.1.32` beside its dispatcher when there is one
    (the dispatcher runs it anyway, after asking the server its version), else `kubectl`."""
    found = shutil.which("kubectl")
    if found is None:
        return None
    pinned = Path(os.path.realpath(found)).with_name("kubectl.1.32")
    return str(pinned) if pinned.exists() else found


KUBECTL = kubectl_binary()
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="the real kubectl is not on PATH")


@dataclass
class Served:
    """A running server: its URL, its kubeconfig, and helpers to drive it."""

    url: str
    kubeconfig: Path
    cache: Path
    home: Path

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["KUBECONFIG"] = str(self.kubeconfig)
        env["HOME"] = str(self.home.parent)
        env.pop("KUBECTL_EXTERNAL_DIFF", None)
        return env

    def kubectl(self, command: str | list[str], stdin: str = "", timeout: float = 60) -> Result:
        """Run the real kubectl against the server; exit code, stdout, stderr."""
        import shlex

        assert KUBECTL is not None
        args = shlex.split(command) if isinstance(command, str) else command
        done = subprocess.run(
            [KUBECTL, f"--cache-dir={self.cache}", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env(),
            timeout=timeout,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def start_kubectl(self, command: str) -> subprocess.Popen[str]:
        import shlex

        assert KUBECTL is not None
        return subprocess.Popen(
            [KUBECTL, f"--cache-dir={self.cache}", *shlex.split(command)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env(),
        )


@pytest.fixture
def served(home: Path, kubesim: Kubesim, tmp_path: Path) -> Iterator[Served]:
    """kubesim's API server over the test's cluster, on a free port."""
    from kubesim import serve
    from kubesim.cli import kubeconfig as files
    from kubesim.engine import session
    from kubesim.kubectl import kubeconfig

    assert kubesim("get ns").code == 0  # the cluster exists
    server = serve.start("127.0.0.1", 0, session.open_store())
    url = f"http://127.0.0.1:{server.port}"
    path = tmp_path / "served.kubeconfig"
    files.save(kubeconfig.served_config(url), path)
    try:
        yield Served(url, path, tmp_path / "kube-cache", home)
    finally:
        server.stop()


class Ticker:
    """The manual clock ticking in the background (a watch or a wait sees time move)."""

    def __init__(self, seconds: float, every: float) -> None:
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(seconds, every), daemon=True)
        self.thread.start()

    def _run(self, seconds: float, every: float) -> None:
        import time

        from kubesim.engine import session
        from kubesim.engine.tick import run_tick

        stop = time.monotonic() + seconds
        while time.monotonic() < stop and not self.stopping.is_set():
            with session.writing() as server:
                run_tick(server.state)
            self.stopping.wait(every)

    def join(self) -> None:
        """Wait until the ticking is over."""
        self.thread.join()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()


def ticking(kubesim: Kubesim, seconds: float, every: float = 0.2) -> Ticker:
    """Tick for up to `seconds` of wall time, one tick every `every` seconds."""
    return Ticker(seconds, every)


Check = Callable[[], bool]
