"""SDK retries, bad versions and dependency faults through the CLI and the Python package."""

import json
import subprocess

from pathlib import Path

import fargatelab as fl

ROOT = Path(__file__).resolve().parents[2]


def api_calling_a_failing_db(call_retry: str) -> dict:
    # api (one task) calls db once per request, one request a second (t = 1, 2, ..., 599 s); db
    # fails every call (a dependency fault over the whole run). The run ends at 599.5 s, when the
    # last request is long answered (the quota is empty by then, so no retry is waiting).
    return {
        "schema_version": 1,
        "duration": 599.5,
        "services": [
            {"name": "api", "desired_count": 1, "load_balancer": "none", "task": {"cpu": 1024, "memory": 2048},
             "calls": [{"service": "db", "cpu_time": "constant(value=0.001)", "retry": call_retry}]},
            {"name": "db", "desired_count": 1, "load_balancer": "none", "task": {"cpu": 1024, "memory": 2048}},
        ],
        "workloads": [{"name": "w", "target": "api", "arrival": "deterministic(rate=1)",
                       "request": {"cpu_time": "constant(value=0.001)"}}],
        "faults": [{"type": "dependency", "service": "db", "start": 0, "end": "1h", "error_share": 1.0}],
    }


def test_cli_run_reports_the_retry_counts_in_summary_json(cli, tmp_path):
    # Nothing succeeds, so the retry quota (500 tokens, 5 a retry) pays for exactly 100 retries.
    path = tmp_path / "failing_db.json"
    path.write_text(json.dumps(api_calling_a_failing_db("standard(max_attempts=3)")))
    out = tmp_path / "out"
    r = subprocess.run([cli, "run", str(path), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    summary = json.loads((out / "summary.json").read_text())
    api = summary["results"]["services"]["api"]
    calls = api["call_retries"]["db"]
    n = calls["first_attempts"]
    assert n == api["requests"] == 599 and api["in_flight_at_end"] == 0
    assert calls["retries"] == 100
    assert calls["attempts"] == n + 100
    assert calls["amplification"] == (n + 100) / n
    db = summary["results"]["services"]["db"]
    assert db["requests"] == n + 100 and db["errors"]["app_error"] == n + 100
    # Every request failed, as a dependency error (a 502 for its client).
    assert summary["results"]["workloads"]["w"]["errors"]["dependency"] == n


def test_a_scenario_without_retries_or_faults_has_no_retry_or_app_error_fields():
    result = fl.run(fl.Scenario.from_file(ROOT / "scenarios/examples/two_services.json", {"duration": "5m"}))
    for s in result.summary["results"]["services"].values():
        assert "call_retries" not in s and "app_error" not in s["errors"]
    for w in result.summary["results"]["workloads"].values():
        assert "retries" not in w


def test_retry_storm_example_amplifies_the_load_on_the_failing_database():
    result = fl.run(ROOT / "scenarios/examples/faults/retry_storm.json")
    res = result.summary["results"]
    calls = res["services"]["api"]["call_retries"]["orders-db"]
    clients = res["workloads"]["clients"]["retries"]
    # Retries at both layers: the database sees more attempts than api's calls, and api more
    # requests than the clients sent.
    assert calls["amplification"] > 1.05 and clients["amplification"] > 1.0
    # (a call or two may still be on the wire at the end)
    assert abs(res["services"]["orders-db"]["requests"] - calls["attempts"]) <= 5
    assert abs(res["services"]["api"]["requests"] - clients["attempts"]) <= 5
    assert res["services"]["orders-db"]["errors"]["app_error"] > 0
