"""Simulated requests per second and peak memory for 100 million requests through one service.

The issue's target: at least 2 million simulated requests per second on one core, with memory
bounded by requests in flight, not by requests simulated. Runs the CLI as a child process and
reads its peak RSS with os.wait4. A report: exits 0 unless the CLI fails.

    .venv/bin/python tests/perf/requests_bench.py [--cli PATH] [--scenario FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from machine import cpu_model, load_average

HERE = Path(__file__).resolve().parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=str(Path(sys.executable).parent / "fargatelab"))
    ap.add_argument("--scenario", default=str(HERE / "requests_100m.json"))
    args = ap.parse_args()
    print(f"requests benchmark: {args.scenario} (load average {load_average()})", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    child = subprocess.Popen([args.cli, "run", args.scenario, "--quiet", "--format", "json"], stdout=subprocess.PIPE)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        print("the CLI failed", file=sys.stderr)
        return 1
    summary = json.loads(out)
    requests = sum(s["requests"] for s in summary["results"]["services"].values())
    rss_mib = usage.ru_maxrss / 1024
    rate = requests / wall
    print(f"\nRequests: {requests:,} simulated in {wall:.1f} s wall = {rate / 1e6:.2f} M requests/s; "
          f"{summary['kernel_events']:,} kernel events ({summary['kernel_events'] / wall / 1e6:.2f} M/s); "
          f"peak RSS {rss_mib:.1f} MiB")
    print(f"target (>= 2 M simulated requests/s on one core): {'MET' if rate >= 2e6 else 'MISSED'}")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; load average {load_average()} after.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
