"""Tick benchmark: one tick of every controller over N StatefulSets of 10 replicas each.

Builds the cluster in memory (no disk), with enough worker nodes for the pods (110 a node, as a
kubelet's maxPods), lets it settle, then times ticks. The cost of a tick should grow linearly
with the number of pods.

    python benchmarks/tick.py [--sets 100 1000] [--ticks 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kubesim.api.server import ApiServer  # noqa: E402
from kubesim.engine.bootstrap import bootstrap, node  # noqa: E402
from kubesim.engine.tick import clock_of, run_tick  # noqa: E402
from kubesim.store import ClusterState  # noqa: E402

REPLICAS = 10


def build(sets: int) -> ClusterState:
    state = ClusterState()
    bootstrap(state, time.time(), "manual")
    server = ApiServer(state, clock_of(state).now)
    for n in range(3, 3 + sets * REPLICAS // 100 + 2):  # workers beyond the default two
        ip = f"172.18.{n // 250}.{n % 250 + 2}"
        server.create(
            node(f"kubesim-worker{n}", ip, f"10.{244 + n // 256}.{n % 256}.0/24", False, server.now)
        )
    for i in range(sets):
        labels = {"app": f"app-{i}"}
        server.create(
            {
                "apiVersion": "apps/v1",
                "kind": "StatefulSet",
                "metadata": {"name": f"app-{i}"},
                "spec": {
                    "replicas": REPLICAS,
                    "podManagementPolicy": "Parallel",  # to build quickly; steady state is the same
                    "serviceName": f"app-{i}",
                    "selector": {"matchLabels": labels},
                    "template": {
                        "metadata": {"labels": labels},
                        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
                    },
                },
            }
        )
    for _ in range(30):
        if run_tick(state) == 0:
            break
    return state


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--ticks", type=int, default=5)
    args = parser.parse_args()
    results = []
    for sets in args.sets:
        started = time.perf_counter()
        state = build(sets)
        built = time.perf_counter() - started
        pods = len(state.list("pods"))
        ready = sum(1 for p in state.list("pods") if p["status"].get("phase") == "Running")
        samples = []
        for _ in range(args.ticks):
            start = time.perf_counter()
            run_tick(state)
            samples.append(time.perf_counter() - start)
        tick = statistics.median(samples)
        results.append((pods, tick))
        print(
            f"{sets:5d} sets, {pods:6d} pods ({ready} running, built in {built:.0f}s): "
            f"tick {tick * 1000:8.1f} ms"
        )
    if len(results) > 1:
        (p0, t0), (p1, t1) = results[0], results[-1]
        print(
            f"pods x{p1 / p0:.1f} -> tick time x{t1 / t0:.1f} (linear growth: about x{p1 / p0:.0f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
