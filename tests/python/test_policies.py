"""The policy bench: compare_policies() and `fargatelab policies`, with hand-checked figures."""

import json
import math
import subprocess
from pathlib import Path

import fargatelab as fl
import pytest

ROOT = Path(__file__).resolve().parents[2]
FLASH_CROWD = ROOT / "scenarios/examples/scaling/flash_crowd.json"


def test_compare_policies_on_the_default_scenario():
    # api: 3 tasks x 1 vCPU, 2 vCPU of work (66.7 % CPU) for 6 h.
    bench = fl.compare_policies(fl.Scenario.default({"duration": "6h"}),
                                policies=["fixed", "target_tracking(metric=cpu, target=60)"])
    t = bench.table()
    assert list(t.index) == ["fixed", "target_tracking(metric=cpu, target=60)"]
    assert t.loc["fixed", "task_hours_paid"] == pytest.approx(3 * 6.0)
    assert math.isnan(t.loc["fixed", "first_scale_out_s"])
    # AlarmHigh's third one-minute datapoint is readable at 180 + 60 s: desired ceil(3 x 66.7 / 60) = 4.
    assert t.loc["target_tracking(metric=cpu, target=60)", "first_scale_out_s"] == 240
    assert t.loc["target_tracking(metric=cpu, target=60)", "scaling_actions"] == 1
    assert "monthly_cost_usd" in t.columns and "slo_attainment" in t.columns
    assert "fixed" in bench.text()


def test_policies_cli_on_the_flash_crowd_example(cli):
    # An I/O-bound service: its workers saturate at 37 % CPU, so the CPU policies never fire and
    # ALB requests per target does.
    alb = "target_tracking(metric=alb_request_count_per_target, target=900)"
    r = subprocess.run([cli, "policies", str(FLASH_CROWD), "--quiet", "--format", "json",
                        "--policy", "fixed", "--policy", "target_tracking(metric=cpu, target=60)",
                        "--policy", alb, "--policy", "hpa(metric=cpu, target=60)"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = {row["policy"]: row for row in json.loads(r.stdout)["rows"]}
    assert len(rows) == 4
    assert rows["target_tracking(metric=cpu, target=60)"]["scaling_actions"] == 0
    assert rows["hpa(metric=cpu, target=60)"]["scaling_actions"] == 0
    assert rows[alb]["scaling_actions"] > 0
    # The flash crowd starts at 3600 s; three one-minute datapoints above target plus the 60 s delay.
    assert rows[alb]["first_scale_out_s"] == 3840
    assert rows[alb]["slo_attainment"] > rows["fixed"]["slo_attainment"] + 0.3


def test_a_bad_policy_exits_2_before_running(cli):
    r = subprocess.run([cli, "policies", str(FLASH_CROWD), "--policy", "target_tracking(metric=disk, target=60)"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "/services/0/scaling" in r.stderr


def test_a_python_policy_is_called_once_a_minute_and_scales_the_service():
    # One task per 20 % of the service's CPU, rounded up: the default scenario runs at 66.7 % (2 vCPU
    # of work on 3 tasks), so the policy asks for ceil(66.7 / 20) = 4 once the first datapoint (the
    # minute [0, 60)) is readable, at 120 s; before that it sees no metric and answers None.
    calls = []

    def per_twenty_percent(obs):
        calls.append(obs)
        cpu = obs["metrics"].get("CPUUtilization")
        return None if cpu is None else math.ceil(cpu / 20)

    r = fl.run(fl.Scenario.default({"duration": "10m"}), policies={"api": per_twenty_percent})
    assert [c["time_s"] for c in calls] == [60.0 * k for k in range(1, 11)]
    assert calls[0]["metrics"] == {} and calls[0]["desired"] == 3
    assert set(calls[1]["metrics"]) >= {"CPUUtilization", "MemoryUtilization", "RunningTaskCount", "RequestCountPerTarget"}
    ev = r.events[r.events.kind == "scaling_activity"]
    assert ev.iloc[0].t == 120 and ev.iloc[0]["to"] == 4 and ev.iloc[0].policy == "per_twenty_percent"


def test_a_python_policy_on_the_bench_and_its_errors():
    def always_five(obs):
        return 5

    t = fl.compare_policies(fl.Scenario.default({"duration": "10m"}), policies=["fixed", always_five]).table()
    assert list(t.index) == ["fixed", "always_five"]
    assert t.loc["always_five", "first_scale_out_s"] == 60

    def broken(obs):
        raise ValueError("my policy failed")

    with pytest.raises(ValueError, match="my policy failed"):
        fl.run(fl.Scenario.default({"duration": "10m"}), policies={"api": broken})
    with pytest.raises(fl.ScenarioError):
        fl.run(fl.Scenario.default({"duration": "10m"}), policies={"nope": always_five})
