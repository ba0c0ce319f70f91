"""A container has the limits a node gives it: memory (OOMKilled, 137), processes (`can't
fork`), stack (a segmentation fault, 139) and disk (ENOSPC). Whatever one container does, the
cluster and every command go on working."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Kubesim


def _pod(name: str, script: str, limit: str | None = None, restart: str = "Always") -> str:
    resources = f"\n    resources: {{limits: {{memory: {limit}}}}}" if limit else ""
    return f"""\
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  restartPolicy: {restart}
  containers:
  - name: main
    image: busybox:1.28
    command: [sh, -c, {json.dumps(script)}]{resources}
"""


def _sleeper(kubesim: Kubesim) -> None:
    kubesim("run bb --image busybox:1.28 -- sleep 3600")
    kubesim("tick 5")


def test_a_container_past_its_memory_limit_is_oomkilled_and_restarted(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=_pod("hog", "x=a; while true; do x=$x$x; done", "16Mi"))
    kubesim("tick 3")
    status = json.loads(kubesim("get pod hog -o json").out)["status"]["containerStatuses"][0]
    last = status["lastState"]["terminated"] if status["restartCount"] else None
    terminated = status["state"].get("terminated") or last
    assert terminated["reason"] == "OOMKilled" and terminated["exitCode"] == 137
    kubesim("tick 60")
    assert (
        "CrashLoopBackOff" in kubesim("get pod hog").out
        or "OOMKilled" in kubesim("get pod hog").out
    )
    assert "Reason:       OOMKilled" in kubesim("describe pod hog").out
    # the rest of the cluster goes on
    assert kubesim("get pods").code == 0 and kubesim("delete pod hog").code == 0


def test_memory_within_the_limit_is_fine(kubesim: Kubesim) -> None:
    script = "x=a; i=0; while [ $i -lt 16 ]; do x=$x$x; i=$((i+1)); done; echo ${#x}; sleep 3600"
    kubesim("create -f -", stdin=_pod("fits", script, "16Mi"))
    kubesim("tick 3")
    assert kubesim("logs fits").out == "65536\n"
    assert "Running" in kubesim("get pod fits").out


def test_an_exec_that_runs_out_of_memory_kills_the_container(kubesim: Kubesim) -> None:
    _sleeper(kubesim)
    result = kubesim("exec bb -- sh -c 'x=a; while true; do x=$x$x; done'")
    assert result.code == 137
    assert result.err == "command terminated with exit code 137\n"
    # memory.oom.group: the container's main process was killed with it
    assert "OOMKilled" in kubesim("get pod bb").out
    kubesim("tick 1")
    assert kubesim("get pod bb --no-headers").out.split()[3] == "1"


def test_a_captured_output_counts_against_memory(kubesim: Kubesim) -> None:
    _sleeper(kubesim)
    assert kubesim("exec bb -- sh -c 'x=$(seq 1 100000000)'").code == 137


def test_recursion_ends_in_a_segmentation_fault(kubesim: Kubesim) -> None:
    _sleeper(kubesim)
    result = kubesim("exec bb -- sh -c 'f(){ f; }; f'")
    assert result.code == 139 and result.err == "command terminated with exit code 139\n"
    # a child that overflows its stack dies alone; its parent reports it and goes on
    result = kubesim("exec bb -- sh -c '(f(){ f; }; f); echo status $?'")
    assert result.out == "status 139\n" and result.err == "Segmentation fault\n"
    nested = "echo " + "$(echo " * 3000 + "x" + ")" * 3000
    # kubesim's stack is shallower than ash's: a child dies of it, never kubesim
    result = kubesim(f"exec bb -- sh -c '{nested}'")
    assert result.code in (0, 139) and "Segmentation fault" in result.err
    assert "Traceback" not in result.err and "unexpectedly" not in result.err


def test_a_fork_bomb_ends_as_the_shell_returns_and_the_cluster_goes_on(kubesim: Kubesim) -> None:
    kubesim("run fb --image busybox:1.28 --restart=Never -- sh -c ':(){ :|:& };:'")
    assert kubesim("tick 5").code == 0
    assert "Completed" in kubesim("get pod fb").out
    assert kubesim("describe pod fb").code == 0
    assert kubesim("delete pod fb").code == 0
    _sleeper(kubesim)
    result = kubesim("exec bb -- sh -c ':(){ :|:& };:; echo back'")
    assert result.code == 0 and result.out == "back\n"
    assert set(result.err.splitlines()) <= {"sh: can't fork: Resource temporarily unavailable"}


def test_pipelines_stream_through_a_bounded_pipe(kubesim: Kubesim) -> None:
    _sleeper(kubesim)
    assert kubesim("exec bb -- sh -c 'seq 1 1000000 | tail -n 1'").out == "1000000\n"
    assert kubesim("exec bb -- sh -c 'printf \"%99999999d\" 1 | wc -c'").out == "99999999\n"
    # the reader leaves: the writer dies of SIGPIPE instead of writing forever
    script = "y(){ while :; do echo y; done; }; y | head -n 2; echo $?"
    assert kubesim(f"exec bb -- sh -c '{script}'").out == "y\ny\n0\n"


def test_the_processes_of_a_pipeline_reach_the_cluster(kubesim: Kubesim) -> None:
    """Each process of a pipeline runs in its own thread; those that look up a Service or
    connect to it read the cluster from there."""
    kubesim("create deployment web --image=nginx")
    kubesim("expose deployment web --port=80")
    _sleeper(kubesim)
    script = "nslookup web | tail -n 1; wget -qO- web | head -n 1; wget -qO- web | grep -c nginx"
    result = kubesim(f"exec bb -- sh -c '{script}'")
    ip = kubesim("get svc web -o jsonpath={.spec.clusterIP}").out
    assert (result.code, result.err) == (0, "")
    assert result.out == (f"Address 1: {ip} web.default.svc.cluster.local\n<!DOCTYPE html>\n6\n")
    piped = kubesim("exec -i bb -- sh", stdin="wget -qO- web | head -n 1\necho done\n")
    assert piped.out == "<!DOCTYPE html>\ndone\n"


def test_a_full_disk_fails_the_write(kubesim: Kubesim) -> None:
    _sleeper(kubesim)
    result = kubesim("exec bb -- sh -c 'printf \"%70000000d\" 1 > /tmp/big; echo $?'")
    assert result.out == "1\n"
    assert result.err == "sh: write error: No space left on device\n"
    assert kubesim("exec bb -- sh -c 'echo small > /tmp/s; cat /tmp/s'").out == "small\n"


@pytest.mark.slow
def test_a_busy_exec_runs_until_interrupted_and_holds_nothing_up(home: Path) -> None:
    env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": "manual"}
    kubesim = [sys.executable, "-m", "kubesim"]
    subprocess.run([*kubesim, "run", "bb", "--image", "busybox:1.28", "--", "sleep", "3600"],
                   env=env, check=True, capture_output=True)  # fmt: skip
    subprocess.run([*kubesim, "tick", "5"], env=env, check=True, capture_output=True)
    busy = subprocess.Popen(
        [*kubesim, "exec", "bb", "--", "sh", "-c", "while true; do :; done"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        time.sleep(2.0)
        assert busy.poll() is None  # still running, as kubectl's would
        other = subprocess.run([*kubesim, "run", "other", "--image", "busybox:1.28"],
                               env=env, capture_output=True, text=True, timeout=30)  # fmt: skip
        assert other.returncode == 0, other.stderr
        assert subprocess.run([*kubesim, "tick", "3"], env=env, timeout=30).returncode == 0
    finally:
        busy.send_signal(signal.SIGINT)
        busy.wait(timeout=30)
    assert busy.returncode != 0


def test_why_says_when_kubesim_s_cap_killed_a_container(kubesim: Kubesim) -> None:
    kubesim("create -f -", stdin=_pod("big", "x=a; while true; do x=$x$x; done", "1Gi", "Never"))
    kubesim("tick 3")
    assert "OOMKilled" in kubesim("get pod big").out
    assert kubesim("why pod/big").out.splitlines()[1] == (
        "  container main: OOMKilled at kubesim's cap: kubesim holds at most 128Mi of a "
        "container's data, less than its limit (or its node's memory); a real container may "
        "have gone on"
    )
    # within its limit, the kill is the limit's: nothing to add
    kubesim("create -f -", stdin=_pod("small", "x=a; while true; do x=$x$x; done", "16Mi", "Never"))
    kubesim("tick 3")
    small = kubesim("why pod/small").out.splitlines()
    assert small[0] == "pod/small: container main has exited (OOMKilled)"
    assert small[1].startswith("  scheduled on ")  # then the scheduler's scores, nothing else
    assert not any("kubesim's cap" in line for line in small)
