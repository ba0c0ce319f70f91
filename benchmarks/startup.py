"""Startup benchmark: `kubesim get pods` on a small cluster against a bare `import typer`.

A CLI is a short-lived process, so its import and start-up time is most of what a user waits
for. The target (issue 2) is at most 1.3x the time Python takes just to import typer.

    python benchmarks/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    samples_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")
    home = tempfile.mkdtemp(prefix="kubesim-bench-")
    env = {**os.environ, "KUBESIM_HOME": home, "KUBESIM_CLOCK": "manual"}
    # the console script users run; `python -m kubesim` when it is not installed
    script = shutil.which("kubesim", path=os.path.dirname(sys.executable))
    kubesim = [script] if script else [sys.executable, "-m", "kubesim"]
    try:
        for manifest in ("svc.yaml", "statefulset.yaml"):
            subprocess.run([*kubesim, "create", "-f", os.path.join(samples_dir, manifest)], env=env,
                           stdout=subprocess.DEVNULL, check=True)  # fmt: skip
        subprocess.run([*kubesim, "tick", "30"], env=env, stdout=subprocess.DEVNULL, check=True)
        timed([*kubesim, "get", "pods"], env, 3)  # warm the file cache and bytecode
        baseline, get_pods = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
            baseline += timed([sys.executable, "-c", "import typer"], env, 1)
            get_pods += timed([*kubesim, "get", "pods"], env, 1)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    base, ours = statistics.median(baseline), statistics.median(get_pods)
    print(
        f"python -c 'import typer'   median {base * 1000:6.1f} ms  (min {min(baseline) * 1000:.1f})"
    )
    print(
        f"kubesim get pods           median {ours * 1000:6.1f} ms  (min {min(get_pods) * 1000:.1f})"
    )
    print(f"ratio                      {ours / base:.2f}x  (target <= 1.30x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
