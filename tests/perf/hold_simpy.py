#!/usr/bin/env python3
"""The hold model in SimPy, the reference that tests/perf/hold_bench.cpp is compared with.

N events are pending; each step pops the earliest and schedules one new event at
now + Exp(1). Two ways of writing it in SimPy are timed, and the faster is "SimPy":

  process   N processes, each looping ``yield env.timeout(random.expovariate(1.0))``
            (the idiomatic SimPy hold model; each event resumes a generator);
  callback  N chains of plain callbacks on Timeout events: the callback of a fired
            timeout creates the next timeout and appends itself to its callbacks
            (no generator, no Process object: the cheapest SimPy can do).

Each (N, variant) runs in a child process of its own (so its peak RSS is its own, and the
child leaves with os._exit instead of tearing down millions of objects): one Environment
is built, N events are seeded, a warm-up runs (N initialisation events plus N holds for
processes, N holds for callbacks), the number of events that takes about --seconds is
estimated from a short calibration, then that many events are timed --repeats times in a
row (the model is stationary, so the runs are alike). Events are run with env.step() in a
loop, which is what env.run() does. Python's garbage collector is left on, as in any SimPy
model (in steady state it rarely runs: each event frees about what it allocates).

Prints JSON on standard output:

  {"engine": "simpy", "simpy_version": ..., "python": ..., "results": [
     {"n": ..., "variant": "process", "events": ..., "events_per_s": [...],
      "best_events_per_s": ..., "median_events_per_s": ..., "peak_rss_bytes": ...}, ...],
   "best": [{"n": ..., "variant": ..., "best_events_per_s": ..., "median_events_per_s": ...}, ...]}
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import os
import statistics
import subprocess
import sys
import time

import simpy


def build_process(n: int, rng: random.Random) -> simpy.Environment:
    env = simpy.Environment()
    expo = rng.expovariate
    timeout = env.timeout

    def hold(env):
        while True:
            yield timeout(expo(1.0))

    for _ in range(n):
        env.process(hold(env))
    return env


def build_callback(n: int, rng: random.Random) -> simpy.Environment:
    env = simpy.Environment()
    expo = rng.expovariate
    timeout = env.timeout

    def fire(_event):
        timeout(expo(1.0)).callbacks.append(fire)

    for _ in range(n):
        timeout(expo(1.0)).callbacks.append(fire)
    return env


BUILDERS = {"process": build_process, "callback": build_callback}


def steps(env: simpy.Environment, k: int) -> float:
    """Runs exactly k events and returns the wall-clock seconds they took."""
    step = env.step
    rng = range(k)
    t0 = time.perf_counter()
    for _ in rng:
        step()
    return time.perf_counter() - t0


def peak_rss_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(variant: str, n: int, seconds: float, repeats: int, min_events: int) -> dict:
    rng = random.Random(20201204 + n)
    env = BUILDERS[variant](n, rng)
    warm = 2 * n if variant == "process" else n  # processes first run an Initialize event each
    steps(env, warm)
    calib = max(20_000, min(n, 200_000))
    rate = calib / steps(env, calib)
    k = max(min_events, int(rate * seconds))
    rates = [k / steps(env, k) for _ in range(repeats)]
    return {
        "n": n,
        "variant": variant,
        "events": k,
        "events_per_s": [round(r) for r in rates],
        "best_events_per_s": round(max(rates)),
        "median_events_per_s": round(statistics.median(rates)),
        "peak_rss_bytes": peak_rss_bytes(),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000",
                    help="comma-separated numbers of pending events N")
    ap.add_argument("--seconds", type=float, default=2.5, help="target wall time of one timed run (>= 2 s)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per N and variant")
    ap.add_argument("--min-events", type=int, default=200_000, help="fewest events in one timed run")
    ap.add_argument("--variants", default="process,callback", help="comma-separated: process, callback")
    ap.add_argument("--one", nargs=2, metavar=("N", "VARIANT"), help=argparse.SUPPRESS)  # the child's job
    args = ap.parse_args()

    if args.one:
        r = measure(args.one[1], int(args.one[0]), args.seconds, args.repeats, args.min_events)
        sys.stdout.write(json.dumps(r) + "\n")
        sys.stdout.flush()
        os._exit(0)  # skip freeing millions of objects one by one

    sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip()]
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    for v in variants:
        if v not in BUILDERS:
            ap.error(f"unknown variant {v!r}")

    results = []
    for n in sizes:
        for v in variants:
            cmd = [sys.executable, os.path.abspath(__file__), "--one", str(n), v, "--seconds", str(args.seconds),
                   "--repeats", str(args.repeats), "--min-events", str(args.min_events)]
            r = json.loads(subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True).stdout)
            print(f"simpy N={n} {v}: best {r['best_events_per_s']:,} events/s", file=sys.stderr, flush=True)
            results.append(r)

    best = []
    for n in sizes:
        rows = [r for r in results if r["n"] == n]
        top = max(rows, key=lambda r: r["best_events_per_s"])
        best.append({"n": n, "variant": top["variant"], "best_events_per_s": top["best_events_per_s"],
                     "median_events_per_s": top["median_events_per_s"]})

    json.dump({
        "benchmark": "hold",
        "engine": "simpy",
        "simpy_version": getattr(simpy, "__version__", "unknown"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "repeats": args.repeats,
        "peak_rss_note": "VmHWM of the child process that ran this N and variant",
        "results": results,
        "best": best,
    }, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
