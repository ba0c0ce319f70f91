"""Scale benchmark: the same commands on clusters of 100, 1,000, 10,000 (and 100,000) pods.

Each cluster is built as a user would build it: Nodes added as a real cluster would need them
(110 pods a node, the kubelet's maxPods), N/100 Deployments of 100 replicas, and a 3-pod
StatefulSet `few`, created with `kubesim create -f` and brought up with `kubesim tick`. Then
each command below runs several times as its own process (manual clock) and its median is
printed, with how it grows from one size to the next, the store's size on disk and the
largest resident memory any command reached. Watches are timed from another process's write
to the line they print, in both clocks.

    python benchmarks/scale.py [--sizes 100 1000 10000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPLICAS = 100
PODS_PER_NODE = 110
KUBESIM = [sys.executable, "-m", "kubesim"]

# (label, command line); `{n}` numbers a fresh object for commands that change the cluster
COMMANDS = [
    ("get pods", "get pods"),
    ("get pods -A -o name", "get pods -A -o name"),
    ("get pod few-1", "get pod few-1"),
    ("describe pod few-1", "describe pod few-1"),
    ("create -f one pod", "create -f {pod}"),
    ("delete pod --wait=false", "delete pod extra-{n} --wait=false"),
    ("exec few-0 -- hostname", "exec few-0 -- hostname"),
    ("tick 1 (steady)", "tick 1"),
    ("tick 10 (idle)", "tick 10"),
]


def kubesim(home: Path, args: list[str], clock: str = "manual") -> tuple[float, int, str]:
    """Run one command as its own process; (seconds, peak resident KiB, stdout)."""
    env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": clock}
    env.pop("KUBESIM_VERIFY_QUEUES", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(KUBESIM + args, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak memory, as it ends
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"kubesim {' '.join(args)} failed: {err.read().decode().strip()}")
        return elapsed, usage.ru_maxrss, out.read().decode()


def nodes_manifest(count: int) -> dict[str, object]:
    from kubesim.engine.bootstrap import node

    items = []
    for n in range(3, 3 + count):
        ip = f"172.18.{n // 250}.{n % 250 + 2}"
        cidr = f"10.{244 + n // 256}.{n % 256}.0/24"
        items.append(node(f"kubesim-worker{n}", ip, cidr, False, time.time()))
    return {"apiVersion": "v1", "kind": "List", "items": items}


def workloads_manifest(deployments: int) -> dict[str, object]:
    items: list[object] = []
    for i in range(deployments):
        labels = {"app": f"app-{i}"}
        items.append(
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": f"app-{i}"},
                "spec": {
                    "replicas": REPLICAS,
                    "selector": {"matchLabels": labels},
                    "template": {
                        "metadata": {"labels": labels},
                        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
                    },
                },
            }
        )
    few = {"app": "few"}
    items.append(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "few"},
            "spec": {
                "replicas": 3,
                "serviceName": "few",
                "podManagementPolicy": "Parallel",
                "selector": {"matchLabels": few},
                "template": {
                    "metadata": {"labels": few},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
                },
            },
        }
    )
    return {"apiVersion": "v1", "kind": "List", "items": items}


def build(home: Path, pods: int, scratch: Path) -> float:
    """Create the cluster and tick until every pod runs; returns the seconds it took."""
    started = time.perf_counter()
    deployments = pods // REPLICAS
    extra_nodes = max(0, -(-pods // PODS_PER_NODE) + 1 - 2)
    (scratch / "nodes.json").write_text(json.dumps(nodes_manifest(extra_nodes)))
    (scratch / "workloads.json").write_text(json.dumps(workloads_manifest(deployments)))
    if extra_nodes:
        kubesim(home, ["create", "-f", str(scratch / "nodes.json")])
    kubesim(home, ["create", "-f", str(scratch / "workloads.json")])
    wanted = deployments * REPLICAS + 3
    for _ in range(200):
        kubesim(home, ["tick", "5"])
        _, _, out = kubesim(
            home, ["get", "pods", "--field-selector=status.phase=Running", "-o", "name"]
        )
        if out.count("\n") >= wanted:
            break
    else:
        raise SystemExit(f"the {pods}-pod cluster did not come up")
    kubesim(home, ["tick", "30"])  # let it settle
    return time.perf_counter() - started


def one_pod(scratch: Path, n: int) -> Path:
    path = scratch / f"pod-{n}.json"
    manifest = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"extra-{n}"},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
    }
    path.write_text(json.dumps(manifest))
    return path


def measure(home: Path, scratch: Path, runs: int) -> tuple[dict[str, float], int]:
    medians: dict[str, float] = {}
    peak = 0
    n = int(time.time()) % 1_000_000 * 100  # fresh names, also on a cluster kept from a run before
    for label, template in COMMANDS:
        samples = []
        for _ in range(runs):
            n += 1
            if "{n}" in template:  # the pod it deletes was created just before
                kubesim(home, ["create", "-f", str(one_pod(scratch, n))])
            args = template.format(pod=one_pod(scratch, n), n=n).split()
            elapsed, kib, _ = kubesim(home, args)
            samples.append(elapsed)
            peak = max(peak, kib)
        medians[label] = statistics.median(samples)
    return medians, peak


def watch_latency(home: Path, scratch: Path, clock: str) -> tuple[float, float]:
    """(seconds from a write in another process to the watch's line, CPU share while idle)."""
    env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": clock}
    env.pop("KUBESIM_VERIFY_QUEUES", None)
    watch = subprocess.Popen(
        [*KUBESIM, "get", "pods", "--watch-only", "-l", "bench=watch"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_idle(watch.pid)  # its first list (and, auto, the ticks it catches up) done
        cpu_before = _cpu_seconds(watch.pid)
        time.sleep(5.0)
        idle_share = (_cpu_seconds(watch.pid) - cpu_before) / 5.0
        name = f"watched-{clock}-{int(time.time())}"  # fresh, also on a cluster kept from before
        path = scratch / f"{name}.json"
        path.write_text(
            json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": {"name": name, "labels": {"bench": "watch"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
                }
            )
        )
        kubesim(home, ["create", "-f", str(path)], clock)
        written = time.perf_counter()  # the write is committed before its process ends
        assert watch.stdout is not None
        watch.stdout.readline()
        return max(0.0, time.perf_counter() - written), idle_share
    finally:
        watch.terminate()  # not SIGINT: a benchmark started in the background has it ignored
        watch.wait(timeout=10)


TICK_IN_PROCESS = """
import sys, time
from kubesim.engine import session
from kubesim.engine.tick import run_ticks
with session.open_store().transaction() as state:
    started = time.perf_counter()
    run_ticks(state, int(sys.argv[1]))
    print(time.perf_counter() - started)
"""


def tick_seconds(home: Path, ticks: int) -> float:
    """How long `ticks` ticks take inside one process, start-up and imports left out."""
    env = {**os.environ, "KUBESIM_HOME": str(home), "KUBESIM_CLOCK": "manual"}
    env.pop("KUBESIM_VERIFY_QUEUES", None)
    out = subprocess.run(
        [sys.executable, "-c", TICK_IN_PROCESS, str(ticks)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout)


def tick_work(home: Path, runs: int) -> dict[str, float]:
    """The cost of ticks by the work they have: none, then 10 and 100 new pods to bring up
    (a Deployment scaled up), each timed over the 10 ticks that start them."""
    idle = statistics.median(tick_seconds(home, 1) for _ in range(runs))
    results = {"idle tick (in process)": idle}
    for extra in (10, 100):
        samples = []
        for _ in range(runs):
            kubesim(home, ["scale", "deploy", "app-0", f"--replicas={100 + extra}"])
            samples.append(tick_seconds(home, 10))
            kubesim(home, ["scale", "deploy", "app-0", "--replicas=100"])
            tick_seconds(home, 40)  # the surplus goes, and the cluster settles again
        results[f"10 ticks bringing up {extra} pods (in process)"] = statistics.median(samples)
    return results


def _wait_until_idle(pid: int, limit: float = 120.0) -> None:
    """Wait until a process spends under 5% of a core over a second."""
    started = time.perf_counter()
    before = _cpu_seconds(pid)
    while time.perf_counter() - started < limit:
        time.sleep(1.0)
        now = _cpu_seconds(pid)
        if now - before < 0.05:
            return
        before = now


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def size_on_disk(home: Path) -> int:
    return sum(f.stat().st_size for f in home.iterdir() if f.name.startswith("cluster.db"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the clusters here and keep them")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="kubesim-scale-"))
    results = []
    try:
        for pods in args.sizes:
            home, scratch = root / f"cluster-{pods}", root / f"scratch-{pods}"
            scratch.mkdir(parents=True, exist_ok=True)
            if not (home / "cluster.db").exists():
                built = build(home, pods, scratch)
                print(f"{pods} pods: built in {built:.0f}s", flush=True)
            medians, peak = measure(home, scratch, args.runs)
            if pods >= REPLICAS:
                medians.update(tick_work(home, args.runs))
            latency_manual, idle_manual = watch_latency(home, scratch, "manual")
            latency_auto, idle_auto = watch_latency(home, scratch, "auto")
            medians["watch sees a write (manual)"] = latency_manual
            medians["watch sees a write (auto)"] = latency_auto
            results.append((pods, medians, peak, size_on_disk(home), idle_manual, idle_auto))
            print(
                f"{pods} pods: store {size_on_disk(home) / 1e6:.1f} MB, peak memory "
                f"{peak / 1024:.0f} MB, idle watch CPU {idle_manual:.1%} (manual) "
                f"{idle_auto:.1%} (auto)",
                flush=True,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print()
    sizes = [r[0] for r in results]
    header = "| command | " + " | ".join(f"{s:,} pods" for s in sizes)
    if len(sizes) > 1:
        header += f" | growth ({sizes[0]:,} to {sizes[-1]:,}) |"
    print(header)
    print("| --- " * (len(sizes) + (2 if len(sizes) > 1 else 1)) + "|")
    for label in results[0][1]:
        cells = [_fmt(r[1][label]) for r in results]
        growth = f" x{results[-1][1][label] / results[0][1][label]:.2f} |" if len(sizes) > 1 else ""
        print(f"| `{label}` | " + " | ".join(cells) + " |" + growth)
    print(
        "| store on disk | "
        + " | ".join(f"{r[3] / 1e6:.1f} MB" for r in results)
        + " |"
        + (" |" if len(sizes) > 1 else "")
    )
    print(
        "| peak memory of a command | "
        + " | ".join(f"{r[2] / 1024:.0f} MB" for r in results)
        + " |"
        + (" |" if len(sizes) > 1 else "")
    )
    return 0


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
