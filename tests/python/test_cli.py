"""The fargatelab command: exit codes, messages, outputs."""

import json
import subprocess

import pytest


def run_cli(cli, *args, input=None):
    return subprocess.run([cli, *args], capture_output=True, text=True, input=input, timeout=300)


def test_version_and_help(cli):
    import fargatelab

    r = run_cli(cli, "--version")
    assert r.returncode == 0 and r.stdout.strip() == f"fargatelab {fargatelab.__version__}"
    assert "usage:" in run_cli(cli, "--help").stdout


def test_validate_reports_all_three_mistakes_and_exits_2(cli, minimal, tmp_path):
    minimal["services"][0]["desird_count"] = 3
    minimal["services"][0]["task"]["cpu"] = 300
    minimal["workloads"][0]["arrival"] = "poisson(rate=-1)"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(minimal))
    r = run_cli(cli, "validate", str(path))
    assert r.returncode == 2
    lines = [l.strip() for l in r.stderr.splitlines() if l.startswith("  /")]
    assert len(lines) == 3, r.stderr
    assert any(l.startswith("/services/0/desird_count:") for l in lines)
    assert any(l.startswith("/services/0/task/cpu: 300 is not a valid Fargate CPU value") for l in lines)
    assert any(l.startswith("/workloads/0/arrival: poisson: rate: -1 must be > 0") for l in lines)
    assert r.stdout == ""


def test_validate_accepts_a_good_file(cli, minimal, tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(minimal))
    r = run_cli(cli, "validate", str(path))
    assert r.returncode == 0, r.stderr
    assert "valid (1 service, 1 workload)" in r.stdout


def test_run_writes_outputs_and_prints_a_table(cli, tmp_path):
    out = tmp_path / "out"
    r = run_cli(cli, "run", "--set", "duration=5m", "--seed", "5", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "p99 ms" in r.stdout and "api" in r.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 5
    assert (out / "timeseries.csv").read_text().startswith("replication,time_s,service,requests")
    assert all(json.loads(l)["kind"] for l in (out / "events.jsonl").read_text().splitlines())


def test_run_json_output_is_byte_identical_across_runs(cli):
    a = run_cli(cli, "run", "--set", "duration=5m", "--format", "json", "--quiet")
    b = run_cli(cli, "run", "--set", "duration=5m", "--format", "json", "--quiet")
    assert a.returncode == 0 and a.stdout == b.stdout
    c = run_cli(cli, "run", "--set", "duration=5m", "--format", "json", "--quiet", "--seed", "99")
    assert c.stdout != a.stdout


@pytest.mark.parametrize("args", [["run", "--seed", "abc"], ["run", "--runs", "0"], ["frobnicate"],
                                  ["run", "--format", "xml"], ["run", "--bogus"]])
def test_usage_errors_exit_2(cli, args):
    r = run_cli(cli, *args)
    assert r.returncode == 2
    assert r.stderr.startswith("fargatelab: ")


def test_bad_input_writes_no_output(cli, tmp_path):
    out = tmp_path / "never"
    r = run_cli(cli, "run", "--set", "services.api.task.cpu=300", "--out", str(out))
    assert r.returncode == 2
    assert "/services/0/task/cpu" in r.stderr
    assert not out.exists()


def test_scenario_from_stdin_and_schema(cli, minimal):
    r = run_cli(cli, "run", "-", "--quiet", input=json.dumps(minimal))
    assert r.returncode == 0, r.stderr
    schema = json.loads(run_cli(cli, "schema").stdout)
    assert schema["title"] == "fargatelab scenario"


def test_platforms_runs_the_scenario_on_each_side_by_side(cli, tmp_path):
    r = run_cli(cli, "run", "--platforms", "fargate,lambda", "--set", "duration=10m", "--quiet", "--out", str(tmp_path / "cmp"))
    assert r.returncode == 0, r.stderr
    # The table of `compare`: one row per platform.
    lines = r.stdout.splitlines()
    assert lines[0].startswith("http-api — 2 option(s), 1 replication(s) of 600 s after 0 s warm-up")
    header = next(l for l in lines if l.startswith("option "))
    assert header.split()[:3] == ["option", "$/month", "p50"]
    assert [l.split()[0] for l in lines if l.split() and l.split()[0] in {"fargate", "lambda"}] == ["fargate", "lambda"]
    assert (tmp_path / "cmp" / "fargate" / "summary.json").exists() and (tmp_path / "cmp" / "lambda" / "summary.json").exists()
    fargate, lam = (json.loads((tmp_path / "cmp" / p / "summary.json").read_text()) for p in ("fargate", "lambda"))
    assert lam["results"]["services"]["api"]["lambda"]["cold_starts"] > 0
    # comparison.json holds the rows the table shows: the clients' requests, the same on both
    # platforms (same workload streams), and the cold starts of the function.
    rows = {row["option"]: row for row in json.loads((tmp_path / "cmp" / "comparison.json").read_text())["rows"]}
    assert list(rows) == ["fargate", "lambda"]
    assert rows["fargate"]["requests"] == rows["lambda"]["requests"] == fargate["results"]["clients"]["arrivals"]
    assert rows["lambda"]["cold_starts"] == lam["results"]["services"]["api"]["lambda"]["cold_starts"]


def test_platforms_with_one_invalid_fails_before_running(cli, tmp_path):
    r = run_cli(cli, "run", "--platforms", "fargate,kubernetes", "--out", str(tmp_path / "cmp"))
    assert r.returncode == 2
    assert "/services/0/platform" in r.stderr and "kubernetes" in r.stderr
    assert r.stdout == "" and not (tmp_path / "cmp").exists()


def test_four_platforms_side_by_side_with_ec2_instances(cli):
    # The done-when: one scenario, the service on each of the four platforms, latency,
    # cold starts / launches and capacity side by side. The default service (3 tasks of 1 vCPU /
    # 2 GiB) needs 2 m6i.large on EC2 (2 awsvpc tasks per instance without trunking).
    r = run_cli(cli, "run", "--platforms", "fargate,ecs_ec2,lambda,app_runner", "--set", "duration=10m", "--quiet")
    assert r.returncode == 0, r.stderr
    rows = {l.split()[0]: l.split() for l in r.stdout.splitlines()
            if l.split() and l.split()[0] in {"fargate", "ecs_ec2", "lambda", "app_runner"}}
    assert list(rows) == ["fargate", "ecs_ec2", "lambda", "app_runner"]
    assert rows["ecs_ec2"][-1] == "2.0" and rows["fargate"][-1] == "-"  # EC2 instances
    j = run_cli(cli, "run", "--platforms", "fargate,ecs_ec2,lambda,app_runner", "--set", "duration=10m", "--quiet",
                "--format", "json")
    assert j.returncode == 0, j.stderr
    doc = json.loads(j.stdout)
    by = {row["option"]: row for row in doc["rows"]}
    assert doc["options"] == list(by) == ["fargate", "ecs_ec2", "lambda", "app_runner"]
    assert len({row["requests"] for row in by.values()}) == 1  # the same requests on every platform
    assert by["fargate"]["tasks_launched"] == by["ecs_ec2"]["tasks_launched"] == 3  # the 3 warm tasks
    assert by["lambda"]["cold_starts"] > 0 and by["lambda"]["tasks_launched"] is None
    assert by["ecs_ec2"]["instances"] == 2.0 and by["fargate"]["instances"] is None


def test_compare_prints_one_row_per_option_and_writes_the_report(cli, tmp_path):
    report = tmp_path / "report.html"
    r = run_cli(cli, "compare", "--options", "fargate,lambda,ecs_ec2_spot", "--set", "duration=1h", "--quiet",
                "--itemised", "--out", str(tmp_path / "cmp"), "--report", str(report))
    assert r.returncode == 0, r.stderr
    rows = [l.split()[0] for l in r.stdout.splitlines() if l.split() and l.split()[0] in {"fargate", "lambda", "ecs_ec2_spot"}]
    assert rows[:3] == ["fargate", "lambda", "ecs_ec2_spot"]
    assert "monthly bill" in r.stdout and "m6i.large Spot" in r.stdout
    doc = json.loads((tmp_path / "cmp" / "comparison.json").read_text())
    assert [row["option"] for row in doc["rows"]] == ["fargate", "lambda", "ecs_ec2_spot"]
    assert report.exists() and report.read_text().count("<svg") == 4


def test_compare_rejects_an_unknown_option_before_running(cli, tmp_path):
    r = run_cli(cli, "compare", "--options", "fargate,kubernetes", "--report", str(tmp_path / "r.html"))
    assert r.returncode == 2
    assert "/options" in r.stderr and "unknown option \"kubernetes\"" in r.stderr
    assert r.stdout == "" and not (tmp_path / "r.html").exists()


def test_deployments_scores_each_release_per_strategy(cli, root, tmp_path):
    """bad_release.json: v2 is good, v3 crashes at start. Without a circuit breaker the v3 rollout
    never ends; with one it fails at its threshold (3 of 6 tasks: the minimum) and rolls back."""
    example = str(root / "scenarios/examples/deployments/bad_release.json")
    out = tmp_path / "dep"
    p = run_cli(cli, "deployments", example, "--strategy", "rolling", "--strategy",
                "rolling(circuit_breaker=true, rollback=true)", "--format", "json", "--out", str(out), "--quiet")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc == json.loads((out / "deployments.json").read_text())
    assert (out / "baseline" / "summary.json").exists() and (out / "2" / "summary.json").exists()
    rows = {(r["strategy"], r["revision"]): r for r in doc["rows"]}
    assert len(rows) == 4
    assert rows[("rolling", "v2")]["completed"] == 1
    assert rows[("rolling", "v3")]["in_progress"] == 1
    assert rows[("rolling", "v3")]["duration_s"] is None
    cb = rows[("rolling(circuit_breaker=true, rollback=true)", "v3")]
    assert cb["rolled_back"] == 1
    assert cb["detect_s"] > 0 and cb["rollback_s"] > 0
    assert cb["duration_s"] == pytest.approx(cb["detect_s"] + cb["rollback_s"])
    # The release costs something against the run without deployments, the same on both rows.
    assert cb["release_cost_usd"] > 0
    assert cb["release_cost_usd"] == rows[("rolling(circuit_breaker=true, rollback=true)", "v2")]["release_cost_usd"]


def test_deployments_refuses_a_bad_strategy_before_running(cli, root, tmp_path):
    example = str(root / "scenarios/examples/deployments/bad_release.json")
    p = run_cli(cli, "deployments", example, "--strategy", "canary(percent=10)", "--out", str(tmp_path / "x"))
    assert p.returncode == 2
    assert "/services/0/deployments/0/strategy" in p.stderr and "bake" in p.stderr
    assert not (tmp_path / "x").exists()
