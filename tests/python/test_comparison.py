"""Comparison rows: computed once in C++ (_core.ComparisonRow) from each run, read by table(),
services(), bill() and the report; written to comparison.json and read back by load_comparison."""

import math
import subprocess

import numpy as np
import pandas as pd
import pytest

import fargatelab as fl

COLUMNS = ["monthly_cost_usd", "monthly_cost_usd_ci", "latency_p50_ms", "latency_p50_ms_ci", "latency_p95_ms",
           "latency_p95_ms_ci", "latency_p99_ms", "latency_p99_ms_ci", "slo_attainment", "slo_attainment_ci",
           "requests", "errors", "error_rate", "throttles", "cold_starts", "cold_start_share", "tasks_launched",
           "utilization_pct", "idle_paid_pct", "mean_capacity", "instances", "scaled_services"]


def same(a, b):
    return (math.isnan(a) and (b is None or math.isnan(b))) or a == pytest.approx(b, rel=1e-12)


@pytest.fixture(scope="module")
def comparison():
    # The fixed capacity: the figures below count the 3 warm tasks (the default scaling would add one).
    return fl.compare(fl.Scenario.default({"duration": "10m"}), options=["fargate", "ecs_ec2", "lambda"], runs=2,
                      fixed_capacity=True)


def test_table_holds_each_runs_figures(comparison):
    table = comparison.table()
    assert list(table.index) == ["fargate", "ecs_ec2", "lambda"] and list(table.columns) == COLUMNS
    assert (table.dtypes == np.float64).all()
    for option, result in comparison.results.items():
        mean, ci = result.summary["results"], result.summary["ci95"]
        clients, row = mean["clients"], table.loc[option]
        # Each figure as the summary has it: the clients' view, the whole bill.
        expected = {"monthly_cost_usd": mean["cost"]["monthly_usd"], "monthly_cost_usd_ci": ci["cost"]["monthly_usd"],
                    "slo_attainment": clients["within_slo"], "slo_attainment_ci": ci["clients"]["within_slo"],
                    "requests": clients["arrivals"], "errors": clients["errors_total"],
                    "error_rate": clients["errors_total"] / clients["arrivals"],
                    "throttles": clients["errors"]["throttled"] + clients["errors"]["rejected"]}
        for p in ("p50", "p95", "p99"):
            expected[f"latency_{p}_ms"] = clients["latency_ms"][p]
            expected[f"latency_{p}_ms_ci"] = ci["clients"]["latency_ms"][p]
        for column, value in expected.items():
            assert same(row[column], value), (option, column, row[column], value)
        assert not math.isnan(row["monthly_cost_usd_ci"])  # two replications: a half-width
    api = {o: r.summary["results"]["services"]["api"] for o, r in comparison.results.items()}
    # Fargate: the tasks are what is paid for, so CPU used % is the service's; 3 warm tasks.
    fargate = table.loc["fargate"]
    assert same(fargate["utilization_pct"], api["fargate"]["cpu_utilization_pct"])
    assert same(fargate["idle_paid_pct"], 100 - api["fargate"]["cpu_utilization_pct"])
    assert fargate["mean_capacity"] == pytest.approx(3.0) and fargate["tasks_launched"] == 3
    assert math.isnan(fargate["instances"]) and math.isnan(fargate["cold_starts"]) and math.isnan(fargate["cold_start_share"])
    # ECS on EC2: 2 m6i.large (2 vCPU each) are paid for; the tasks' 3 vCPU use what they use.
    ec2 = table.loc["ecs_ec2"]
    assert ec2["instances"] == pytest.approx(2.0)
    assert same(ec2["utilization_pct"], 100 * api["ecs_ec2"]["vcpu_mean"] * api["ecs_ec2"]["cpu_utilization_pct"] / 100 / 4)
    # Lambda: the share of invocations that met a cold start.
    fn = api["lambda"]["lambda"]
    assert table.loc["lambda", "cold_starts"] == fn["cold_starts"] > 0
    assert same(table.loc["lambda", "cold_start_share"], fn["cold_starts"] / fn["invocations"])
    assert math.isnan(table.loc["lambda", "tasks_launched"])
    assert comparison.slo_ms == 500.0 and comparison.replications == 2 and comparison.duration_s == 600.0
    assert comparison.fargatelab_version == fl.__version__


def test_services_and_bills_are_typed(comparison):
    services = comparison.services()
    assert services.index.names == ["option", "service"]
    assert list(services.index) == [("fargate", "api"), ("ecs_ec2", "api"), ("lambda", "api")]
    assert (services.dtypes == np.float64).all()
    for option, result in comparison.results.items():
        s = result.summary["results"]["services"]["api"]
        row = services.loc[(option, "api")]
        assert row["requests"] == s["requests"] and row["errors"] == s["errors_total"]
        assert row["latency_p99_ms"] == s["latency_ms"]["p99"] and row["cpu_utilization_pct"] == s["cpu_utilization_pct"]
        if option == "lambda":
            assert row["cold_starts"] == s["lambda"]["cold_starts"] and math.isnan(row["tasks_launched"])
            assert row["mean_capacity"] == s["lambda"]["environments_mean"]
        else:
            assert row["tasks_launched"] == s["tasks_launch"]["launched"] and math.isnan(row["cold_starts"])
    # The bill: replication 0's items scaled from 10 minutes to 730 hours (x 4380).
    bill = comparison.bill("fargate")
    items = comparison.results["fargate"].summary["per_replication"][0]["bill"]["items"]
    assert list(bill.columns) == ["service", "item", "quantity", "unit", "rate_usd", "amount_usd", "arithmetic"]
    assert list(bill["item"]) == [i["item"] for i in items]
    assert bill["amount_usd"].tolist() == pytest.approx([i["amount_usd"] * 4380 for i in items])
    assert bill["quantity"].tolist() == pytest.approx([i["quantity"] * 4380 for i in items])


def test_a_comparison_of_results_named_by_hand():
    # Option names are the caller's: an EC2 option keeps its EC2 instances under another name.
    scenario = fl.Scenario.default({"duration": "5m"})
    ec2 = fl.run(scenario.with_overrides({"services.0.platform": "ecs_ec2"}))
    mine = fl.Comparison({"fargate, as is": fl.run(scenario), "ecs_ec2, 2 instances": ec2})
    table = mine.table()
    assert list(table.index) == ["fargate, as is", "ecs_ec2, 2 instances"]
    assert table.loc["ecs_ec2, 2 instances", "instances"] == pytest.approx(2.0)
    assert mine.scenario_name == "http-api" and mine.replications == 1


def test_load_comparison_reads_what_compare_wrote(cli, tmp_path):
    out = tmp_path / "cmp"
    r = subprocess.run([cli, "compare", "--options", "fargate,lambda,ecs_ec2_spot", "--set", "duration=30m", "--quiet",
                        "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    loaded = fl.load_comparison(out)
    here = fl.compare(fl.Scenario.comparison_default({"duration": "30m"}), options=["fargate", "lambda", "ecs_ec2_spot"])
    # The same rows, through comparison.json, to the last bit.
    pd.testing.assert_frame_equal(loaded.table(), here.table())
    pd.testing.assert_frame_equal(loaded.services(), here.services())
    for option in here.options:
        pd.testing.assert_frame_equal(loaded.bill(option), here.bill(option))
    assert loaded.options == here.options and loaded.scenario_name == here.scenario_name == "http-api-day"
    assert (loaded.slo_ms, loaded.replications, loaded.duration_s) == (here.slo_ms, here.replications, here.duration_s)
    assert loaded.fargatelab_version == fl.__version__


def test_the_report_reads_the_typed_rows(comparison):
    from fargatelab.report import comparison_html

    html = comparison_html(comparison)
    table = comparison.table()
    # The cost's confidence half-width (two replications) beside the cost, and how it was measured.
    for option in comparison.options:
        cost, ci = table.loc[option, "monthly_cost_usd"], table.loc[option, "monthly_cost_usd_ci"]
        assert f'${cost:,.2f} <span class="ci">± {ci:,.2f}</span>' in html
    assert f"10 minutes simulated · 2 replications · SLO 500 ms · fargatelab {fl.__version__}" in html
