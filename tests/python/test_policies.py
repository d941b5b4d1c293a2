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
