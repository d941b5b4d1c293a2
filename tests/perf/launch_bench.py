#!/usr/bin/env python3
"""Wall time and memory to simulate 100,000 Fargate task launches (tests/perf/launch_100k.json).

  python3 tests/perf/launch_bench.py [--cli PATH] [--scenario FILE] [--repeats R] [--expect N] [--json FILE]

Runs `fargatelab run SCENARIO --quiet --format json` as a child process in three variants, one
after the other:

  * event log      the scenario as written (output.event_log = true, the default);
  * no event log   with --set output.event_log=false;
  * event log+out  as the first, plus --out to a temporary directory (run once), for the size
                   of the files and the cost of writing them.

Wall time is time.perf_counter() around the child (process start-up and scenario parsing
included); the first two variants run --repeats times and report the median. Peak RSS is the
child's ru_maxrss from os.wait4(), which Linux takes as the maximum of the child's own peak and
the RSS of the spawning process at fork (this script: ~10 MiB, measured with /bin/true and
printed as the floor). Each variant's summary is checked: launches, tasks that reached RUNNING
and tasks that stopped. The event log's memory is quantified as the RSS difference between the
first two variants divided by the records in events.jsonl.

This is a report, not a test: a launch count other than --expect is printed clearly but the
exit code is 0. Exit 1 means the CLI could not run or failed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import cpu_model, load_average

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_SCENARIO = HERE / "launch_100k.json"
CLI_CANDIDATES = [ROOT / ".venv" / "bin" / "fargatelab", ROOT / "build" / "dev" / "fargatelab"]
MIB = 1024 * 1024


class CliFailed(RuntimeError):
    pass


def spawn_measured(cmd: list[str], stdout_path: Path) -> tuple[int, float, int, str]:
    """Runs cmd with stdout to a file; returns (exit code, wall s, peak RSS bytes, stderr)."""
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return proc.returncode, wall, usage.ru_maxrss * 1024, stderr  # ru_maxrss is in KiB on Linux


def rss_floor() -> int:
    """ru_maxrss of a trivial child spawned the same way: the part of a reading that is ours."""
    with tempfile.TemporaryDirectory() as d:
        _, _, rss, _ = spawn_measured(["/bin/true"], Path(d) / "out")
    return rss


def facts(summary: dict) -> dict:
    """Launches, tasks that reached RUNNING and tasks that stopped, over services and standalone tasks."""
    results = summary["results"]
    groups = list(results.get("standalone_tasks", {}).values())
    groups += [s["tasks_launch"] for s in results.get("services", {}).values() if "tasks_launch" in s]
    launched = sum(int(g.get("launched") or 0) for g in groups)
    running = sum(int(g.get("time_to_running_s", {}).get("count") or 0) for g in groups)
    stopped = sum(int(v or 0) for g in groups for v in g.get("stop_codes", {}).values())
    failed = sum(int(g.get("failed_to_start") or 0) for g in groups)
    return {
        "simulated_s": float(summary.get("warmup_s", 0)) + float(summary["duration_s"]),
        "launched": launched,
        "running": running,
        "stopped": stopped,
        "failed_to_start": failed,
        "kernel_events": int(summary["kernel_events"]),
        "warnings": summary.get("warnings", []),
    }


def run_variant(cli: str, scenario: Path, extra: list[str], repeats: int, work: Path, name: str) -> dict:
    cmd = [cli, "run", str(scenario), "--quiet", "--format", "json", *extra]
    walls, rss = [], []
    summary_facts = None
    for i in range(repeats):
        out = work / f"{name}-{i}.json"
        print(f"  {name}: run {i + 1}/{repeats} (load average {load_average()})", file=sys.stderr, flush=True)
        code, wall, peak, stderr = spawn_measured(cmd, out)
        if code != 0:
            raise CliFailed(f"{' '.join(cmd)} exited with {code}:\n{stderr.strip()}")
        try:
            f = facts(json.loads(out.read_text()))
        except (ValueError, KeyError, TypeError) as e:
            raise CliFailed(f"{' '.join(cmd)}: cannot read its JSON summary: {e!r}")
        if summary_facts is not None and (f["launched"], f["kernel_events"]) != (summary_facts["launched"], summary_facts["kernel_events"]):
            raise CliFailed(f"{' '.join(cmd)}: repeated runs disagree ({f} vs {summary_facts})")
        summary_facts = f
        walls.append(wall)
        rss.append(peak)
        out.unlink()
    assert summary_facts is not None
    wall = statistics.median(walls)
    peak = max(rss)
    launched = summary_facts["launched"]
    return {
        "variant": name,
        "command": cmd,
        **summary_facts,
        "wall_s": wall,
        "wall_s_all": walls,
        "peak_rss_bytes": peak,
        "peak_rss_bytes_all": rss,
        "launches_per_wall_s": launched / wall if wall > 0 else None,
        "events_per_wall_s": summary_facts["kernel_events"] / wall if wall > 0 else None,
        "rss_bytes_per_task": peak / launched if launched else None,
        "output_bytes": None,
        "output_files": None,
    }


def fmt_bytes(n: float | None) -> str:
    if n is None:
        return "-"
    for unit, size in (("GiB", 1024 ** 3), ("MiB", MIB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.1f} k"


def print_table(rows: list[dict]) -> None:
    hdr = (f"{'variant':<14}  {'sim s':>6}  {'launches':>8}  {'RUNNING':>8}  {'launch/s':>8}  {'kernel ev':>9}  "
           f"{'ev/s':>7}  {'wall s':>6}  {'RSS MiB':>7}  {'B/task':>6}  {'output':>9}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{r['variant']:<14}  {r['simulated_s']:>6.0f}  {r['launched']:>8,}  {r['running']:>8,}  "
              f"{fmt_rate(r['launches_per_wall_s']):>8}  {r['kernel_events']:>9,}  {fmt_rate(r['events_per_wall_s']):>7}  "
              f"{r['wall_s']:>6.2f}  {r['peak_rss_bytes'] / MIB:>7.0f}  {r['rss_bytes_per_task'] or 0:>6,.0f}  "
              f"{fmt_bytes(r['output_bytes']):>9}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", help="the fargatelab command (default .venv/bin/fargatelab, else build/dev/fargatelab)")
    ap.add_argument("--scenario", default=str(DEFAULT_SCENARIO), help="scenario file (default tests/perf/launch_100k.json)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of the first two variants (median wall time)")
    ap.add_argument("--expect", type=int, default=100_000, help="launches the scenario must produce (default 100000)")
    ap.add_argument("--json", metavar="FILE", help="also write the raw results to FILE")
    args = ap.parse_args()

    if args.cli:
        cli = args.cli
    else:
        found = next((c for c in CLI_CANDIDATES if c.is_file() and os.access(c, os.X_OK)), None)
        if found is None:
            print("launch_bench: no fargatelab CLI in .venv/bin or build/dev (run `make run` or pass --cli)", file=sys.stderr)
            return 1
        cli = str(found)
    scenario = Path(args.scenario).resolve()
    if not scenario.is_file():
        print(f"launch_bench: no scenario at {scenario}", file=sys.stderr)
        return 1
    repeats = max(1, args.repeats)

    load_before = load_average()
    print(f"launch benchmark: {cli} run {scenario.name} (load average {load_before})", file=sys.stderr, flush=True)
    floor = rss_floor()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="fargatelab-launch-bench-") as tmp:
            work = Path(tmp)
            rows.append(run_variant(cli, scenario, [], repeats, work, "event log"))
            rows.append(run_variant(cli, scenario, ["--set", "output.event_log=false"], repeats, work, "no event log"))
            out_dir = work / "out"
            row = run_variant(cli, scenario, ["--out", str(out_dir)], 1, work, "event log+out")
            files = {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.is_file()}
            row["output_bytes"] = sum(files.values())
            row["output_files"] = files
            with open(out_dir / "events.jsonl", "rb") as f:
                event_records = sum(1 for _ in f)
            rows.append(row)
    except CliFailed as e:
        print(f"launch_bench: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"launch_bench: cannot run the CLI: {e}", file=sys.stderr)
        return 1
    load_after = load_average()

    with_log, without_log, with_out = rows
    log_bytes = with_log["peak_rss_bytes"] - without_log["peak_rss_bytes"]
    log_wall = with_log["wall_s"] - without_log["wall_s"]
    out_bytes = with_out["peak_rss_bytes"] - with_log["peak_rss_bytes"]

    print()
    print(f"Task launches: {scenario.name}, {with_log['launched']:,} Fargate tasks through the launch pipeline "
          f"(account bucket 100 + 20/s), one replication.")
    print(f"Wall: median of {repeats} runs (one for event log+out), process start to exit. "
          f"RSS: the child's peak (os.wait4 ru_maxrss). B/task = peak RSS / launches.")
    print_table(rows)
    print()
    print(f"Event log: {event_records:,} records ({event_records / max(1, with_log['launched']):.1f} per task) cost "
          f"{fmt_bytes(log_bytes)} of peak RSS = {log_bytes / max(1, event_records):,.0f} B per record in memory "
          f"({log_bytes / max(1, with_log['launched']):,.0f} B per task) and {log_wall:.2f} s of wall time; "
          f"events.jsonl on disk is {fmt_bytes(with_out['output_files'].get('events.jsonl'))} "
          f"({with_out['output_files'].get('events.jsonl', 0) / max(1, event_records):.0f} B per record).")
    print(f"--out: writing {fmt_bytes(with_out['output_bytes'])} ("
          + ", ".join(f"{k} {fmt_bytes(v)}" for k, v in with_out["output_files"].items())
          + f") adds {fmt_bytes(out_bytes)} of peak RSS and {with_out['wall_s'] - with_log['wall_s']:.2f} s of wall time.")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; load average {load_before} before, {load_after} after; "
          f"RSS floor of a spawned child {fmt_bytes(floor)}.")
    one_minute = [float(la.split()[0]) for la in (load_before, load_after) if la != "unknown"]
    if max(one_minute, default=0.0) >= 1.0:
        print(f"Note: the 1-minute load average reached {max(one_minute):.2f} on {os.cpu_count()} cores: "
              f"other work shared the machine, so wall times may read high.")

    problems = []
    for r in rows:
        if r["launched"] != args.expect:
            problems.append(f"{r['variant']}: {r['launched']:,} launches, expected {args.expect:,}")
        if r["running"] != r["launched"] or r["stopped"] != r["launched"]:
            problems.append(f"{r['variant']}: {r['running']:,} reached RUNNING and {r['stopped']:,} stopped of "
                            f"{r['launched']:,} launched (failed to start: {r['failed_to_start']:,}; "
                            f"is the duration long enough?)")
        for w in r["warnings"]:
            problems.append(f"{r['variant']}: warning from the run: {w}")
    for p in problems:
        print(f"*** {p} ***")

    if args.json:
        Path(args.json).write_text(json.dumps({
            "scenario": str(scenario), "cli": cli, "repeats": repeats, "rows": rows,
            "event_log": {"records": event_records, "rss_bytes": log_bytes,
                          "rss_bytes_per_record": log_bytes / max(1, event_records), "wall_s": log_wall},
            "rss_floor_bytes": floor, "load_average": [load_before, load_after], "problems": problems,
        }, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
