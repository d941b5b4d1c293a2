"""The policy bench's HTML report (fargatelab.policy_report): content, CI columns, the atomic
write, the CLI's --report, and how it renders in headless Chromium (browser.py)."""

import io
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import fargatelab as fl
import fargatelab.policy_report as policy_report

ROOT = Path(__file__).resolve().parents[2]
FLASH_CROWD = ROOT / "scenarios/examples/scaling/flash_crowd.json"
ALB = "target_tracking(metric=alb_request_count_per_target, target=900)"
CI_COLUMNS = ["slo_attainment_ci", "minutes_in_breach_ci", "latency_p99_ms_ci", "monthly_cost_usd_ci", "task_hours_paid_ci"]


@pytest.fixture(scope="module")
def bench():
    return fl.compare_policies(FLASH_CROWD, policies=["fixed", ALB], runs=2)


def test_the_table_has_ci_columns_from_two_replications(bench):
    t = bench.table()
    assert list(t.index) == ["fixed", ALB]
    for column in CI_COLUMNS + ["task_hours_needed_ci", "first_response_after_zero_s"]:
        assert column in t.columns, column
    # fixed holds at most its 2 tasks through the 3 measured hours: at most 2 x 3 = 6 task-hours;
    # the crowd makes the load balancer replace unhealthy tasks, a different number in each
    # replication, so even fixed capacity pays a different amount each time.
    assert 0 < t.loc["fixed", "task_hours_paid"] <= 2 * 3.0
    # Two replications of Poisson traffic: every figure differs between them, so each half-width,
    # 12.706 x |a - b| / 2 (t(0.975, 1) x s / sqrt 2 with s = |a - b| / sqrt 2), is finite and
    # positive -- but fixed's breach minutes: whole minutes, 30 in both replications (the crowd
    # overloads its 2 tasks every minute of ramp, hold and most of the decay), so 0.
    for policy in t.index:
        for column in CI_COLUMNS:
            value = t.loc[policy, column]
            assert math.isfinite(value), (policy, column)
            if (policy, column) != ("fixed", "minutes_in_breach_ci"):
                assert value > 0, (policy, column)
    assert t.loc["fixed", "minutes_in_breach"] == 30 and t.loc["fixed", "minutes_in_breach_ci"] == 0
    # api never sits at zero (min_capacity 2): no time to first response after zero.
    assert t["first_response_after_zero_s"].isna().all()
    assert bench.bench["replications"] == 2 and bench.bench["publication_delay_s"] == 60


def test_the_report_has_a_plot_per_policy_and_the_assumptions(bench, tmp_path):
    path = bench.report(tmp_path / "policies.html")
    html = path.read_text(encoding="utf-8")
    assert html.count('<figure class="plot" id="policy-') == 2
    for n in (1, 2):
        figure = html[html.index(f'id="policy-{n}"'):]
        assert figure[:figure.index("</figure>")].count("<svg") == 1
    assert html.count('class="ci"') >= 2 * 5  # five CI cells per row with replications
    for fact in ("Common random numbers", f"seed {bench.bench['seed']}", "2 replications",
                 "60 s after their period ends", "SLO 1,000 ms"):
        assert fact in html, fact
    # The ALB policy's plot reads RequestCountPerTarget with its target line at 900.
    assert "CloudWatch RequestCountPerTarget datapoints (60 s)" in html and "target 900" in html
    # Deterministic: the same bench gives the same bytes.
    assert bench.report(tmp_path / "again.html").read_bytes() == path.read_bytes()


def test_a_failing_report_leaves_no_file(bench, tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(policy_report, "policy_bench_html", broken)
    with pytest.raises(RuntimeError, match="drawing failed"):
        bench.report(tmp_path / "policies.html")
    assert list(tmp_path.iterdir()) == []


def test_policy_metric_reads_the_short_form():
    assert policy_report.policy_metric(ALB) == ("RequestCountPerTarget", 60.0, 900.0)
    assert policy_report.policy_metric("target_tracking(metric=cpu_high_resolution, target=60)") == ("CPUUtilization", 20.0, 60.0)
    assert policy_report.policy_metric("keda_sqs(queue_length=5)") == ("ApproximateNumberOfMessagesVisible", 60.0, 5.0)
    assert policy_report.policy_metric("fixed") == ("CPUUtilization", 60.0, None)


def test_policies_cli_writes_the_report_and_a_bad_policy_none(cli, tmp_path):
    pages = []
    for name in ("bench.html", "again.html"):
        out = tmp_path / name
        r = subprocess.run([cli, "policies", str(FLASH_CROWD), "--quiet", "--set", "duration=90m", "--policy", "fixed",
                            "--policy", ALB, "--report", str(out)], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        pages.append(out.read_bytes())
    html = pages[0].decode("utf-8")
    assert html.count('<figure class="plot" id="policy-') == 2 and "1 replication;" in html
    assert pages[1] == pages[0]  # same seed, same bytes
    bad = tmp_path / "bad.html"
    r = subprocess.run([cli, "policies", str(FLASH_CROWD), "--policy", "target_tracking(metric=disk, target=60)",
                        "--report", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and not bad.exists()


def test_the_report_renders_in_a_browser(bench, browser, tmp_path):
    path = bench.report(tmp_path / "policies.html")
    browser.get(path.as_uri())
    for n in (1, 2):
        svg = browser.find_element("css selector", f"figure#policy-{n} svg")
        assert svg.size["width"] >= 300 and svg.size["height"] >= 250, svg.size
        pixels = np.asarray(Image.open(io.BytesIO(svg.screenshot_as_png)).convert("RGB")).astype(int)
        ink = (pixels.sum(axis=2) < 3 * 230).mean()
        assert ink > 0.01, f"policy-{n}: only {ink:.2%} of its pixels are drawn"
