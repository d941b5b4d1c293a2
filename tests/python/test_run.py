"""Running from Python: results, DataFrames, determinism, cancellation."""

import os
import signal
import threading
import time

import pandas as pd
import pytest

import fargatelab as fl


@pytest.fixture(scope="module")
def result():
    return fl.run(fl.Scenario.default({"duration": "10m"}), seed=3, runs=2)


def test_result_summary_and_dataframes(result):
    api = result.summary["results"]["services"]["api"]
    assert result.summary["replications"] == 2
    assert result.summary["seed"] == 3
    # 40 req/s for 600 s: 24,000 expected; a Poisson count has sd ~155, so 23,000..25,000 is
    # more than 6 sd wide.
    assert 23000 < api["requests"] < 25000
    assert set(["p50", "p95", "p99", "p99_9", "max"]) <= set(api["latency_ms"])
    ts = result.timeseries
    assert isinstance(ts, pd.DataFrame)
    assert list(ts.columns[:3]) == ["replication", "time_s", "service"]
    assert len(ts) == 2 * 10  # 2 replications x (600 s / 60 s)
    ev = result.events
    assert (ev["kind"] == "task_state").sum() == 2 * 3  # 3 tasks started in each replication
    assert list(result.services().index) == ["api"]
    assert "api" in result.table()


def test_services_and_workloads_are_the_typed_results(result):
    # Read from the typed results in C++ (not from the summary dict): the same figures as the
    # summary document, means of 2 replications (float64), latency columns in summary.json's order.
    services, api = result.services(), result.summary["results"]["services"]["api"]
    assert list(services.index) == ["api"]
    assert services.loc["api", "requests"] == api["requests"] and services["requests"].dtype == "float64"
    assert services.loc["api", "timeouts"] == api["errors"]["timeout"]
    assert services.loc["api", "task_load_max_over_mean"] == api["task_load"]["max_over_mean"]
    assert [c for c in services.columns if c.startswith("latency_")] == [f"latency_{k}_ms" for k in sorted(api["latency_ms"])]
    workloads = result.workloads()
    assert workloads.index.names == ["workload", "request_class"]
    for (w, cls), row in workloads.iterrows():
        c = result.summary["results"]["workloads"][w]["classes"][cls]
        assert row["requests"] == c["requests"] and row["latency_p99_ms"] == c["latency_ms"]["p99"]
        assert all(row[f"errors_{k}"] == v for k, v in c["errors"].items())
    # One replication: counts stay integers.
    one = fl.run(fl.Scenario.default({"duration": "2m"}), runs=1)
    assert one.services()["requests"].dtype == "int64"
    assert one.services().loc["api", "requests"] == one.summary["results"]["services"]["api"]["requests"]


def test_same_seed_same_summary_other_seed_other_summary():
    s = fl.Scenario.default({"duration": "5m"})
    a, b, c = fl.run(s, seed=11), fl.run(s, seed=11), fl.run(s, seed=12)
    assert a.summary == b.summary
    assert a.summary != c.summary


def test_run_accepts_a_path_or_a_dict(minimal, tmp_path):
    import json

    path = tmp_path / "m.json"
    path.write_text(json.dumps(minimal))
    assert fl.run(str(path)).summary == fl.run(minimal).summary


def test_write_creates_the_output_files(result, tmp_path):
    result.write(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "capacity.csv", "events.jsonl", "scenario.json", "stopped_tasks.csv", "summary.json", "tasks.csv", "timeseries.csv",
        "traces.csv"]
    assert pd.read_csv(tmp_path / "out" / "timeseries.csv").shape == result.timeseries.shape
    # The explain table as a file: the same groups as Result.stopped_tasks() (here none stopped).
    assert list(pd.read_csv(tmp_path / "out" / "stopped_tasks.csv").columns) == list(result.stopped_tasks().columns)


def test_a_progress_callback_sees_the_run_and_can_stop_it():
    seen = []
    fl.run(fl.Scenario.default({"duration": "30m"}), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(fl.RunCancelled):
        fl.run(fl.Scenario.default({"duration": "30m"}), progress=lambda f: False)


@pytest.fixture
def sigint_raises():
    """Python's own SIGINT handler (KeyboardInterrupt, what Ctrl-C raises) for the test. A process
    started in the background by a non-interactive shell inherits SIGINT as ignored and Python
    keeps it so: there a signal sent to the run was dropped, a 30-day run went to its end and
    pytest reported "DID NOT RAISE KeyboardInterrupt"."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


# 30 simulated days of the default scenario: about 100 million requests, a minute or more of wall
# time; each test below stops it within its first few progress reports.
LONG = {"duration": "30d"}


def test_ctrl_c_stops_a_long_run_at_the_next_poll(sigint_raises):
    # SIGINT is sent from another thread once the run has reported progress. The callback is
    # list.append (C code), so no Python code runs on the run's thread: the signal can only be seen
    # by the binding, which checks for signals before each report. The sender holds the GIL from
    # the signal until it has counted the reports, so the run cannot report in between: the run
    # must stop at its next poll, with no report after the signal.
    seen: list = []
    reports_before_signal: list = []

    def interrupt_once_the_run_reports() -> None:
        while not seen:
            time.sleep(0.001)
        os.kill(os.getpid(), signal.SIGINT)
        reports_before_signal.append(len(seen))

    sender = threading.Thread(target=interrupt_once_the_run_reports, daemon=True)
    sender.start()
    with pytest.raises(KeyboardInterrupt):
        fl.run(fl.Scenario.default(LONG), progress=seen.append)
    sender.join()
    assert len(reports_before_signal) == 1
    assert len(seen) == reports_before_signal[0]  # no report after the signal
    assert 0 < seen[-1] < 1                       # stopped part way, not at the end


def test_ctrl_c_during_a_progress_report_stops_the_run_at_that_report(sigint_raises):
    # The signal is raised inside the third report (the handler runs at once, in the callback):
    # the run ends there, with exactly three reports, and raises KeyboardInterrupt.
    seen: list = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if len(seen) == 3:
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        fl.run(fl.Scenario.default(LONG), progress=progress)
    assert len(seen) == 3 and seen[-1] < 1


def test_ctrl_c_at_the_final_report_raises_keyboard_interrupt(sigint_raises):
    # The last report (fraction 1.0) comes after the simulation has ended; a Ctrl-C there used to
    # leave the error pending on a returned result: SystemError instead of KeyboardInterrupt.
    seen: list = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction >= 1.0:
            signal.raise_signal(signal.SIGINT)

    with pytest.raises(KeyboardInterrupt):
        fl.run(fl.Scenario.default({"duration": "1m"}), progress=progress)
    assert seen[-1] == 1.0


def test_compare_runs_each_platform_on_the_same_requests():
    cmp = fl.compare(fl.Scenario.default().with_overrides({"duration": "10m"}), platforms=["fargate", "lambda"],
                     fixed_capacity=True)
    t = cmp.services()
    assert list(t.index.get_level_values("option")) == ["fargate", "lambda"]
    assert t.loc[("fargate", "api"), "requests"] == t.loc[("lambda", "api"), "requests"]
    assert t.loc[("lambda", "api"), "cold_starts"] > 0
    assert t.loc[("fargate", "api"), "tasks_launched"] == 3


def test_compare_table_prices_each_option_and_the_bill_adds_up():
    # The default scenario's 3 warm Fargate tasks of 1 vCPU / 2 GB for 10 minutes, extrapolated to
    # a 730-hour month: 3 x (0.04048 + 2 x 0.004445) x 730 = $108.12 of Fargate; the bill's
    # items sum to the table's monthly cost. With the fixed capacity (no default scaling policy).
    cmp = fl.compare(fl.Scenario.default().with_overrides({"duration": "10m"}), options=["fargate", "ecs_ec2"],
                     fixed_capacity=True)
    table = cmp.table()
    assert list(table.index) == ["fargate", "ecs_ec2"]
    bill = cmp.bill("fargate")
    fargate = bill[bill.service == "AWS Fargate"].amount_usd.sum()
    assert fargate == pytest.approx(3 * (0.04048 + 2 * 0.004445) * 730)
    assert bill.amount_usd.sum() == pytest.approx(table.loc["fargate", "monthly_cost_usd"])
    # ECS on EC2: 2 m6i.large ($0.096/h) hold the 3 tasks: 2 x 0.096 x 730 = $140.16 of EC2.
    ec2 = cmp.bill("ecs_ec2")
    assert ec2[ec2.service == "Amazon EC2"].amount_usd.sum() == pytest.approx(2 * 0.096 * 730)
    assert table.loc["ecs_ec2", "instances"] == pytest.approx(2.0)
    # Same requests for both (common random numbers): the same latency on the same task sizes.
    assert table.loc["fargate", "latency_p50_ms"] == pytest.approx(table.loc["ecs_ec2", "latency_p50_ms"])


def test_compare_scales_the_ecs_options_by_default():
    # The default scenario's 3 tasks at 66.7 % CPU: target tracking at 60 % adds a 4th task at
    # 240 s (AlarmHigh's third one-minute datapoint, readable 60 s after its minute); Lambda
    # scales itself and gets no policy.
    cmp = fl.compare(fl.Scenario.default({"duration": "10m"}), options=["fargate", "lambda"])
    t = cmp.table()
    assert t.loc["fargate", "scaled_services"] == 1 and t.loc["lambda", "scaled_services"] == 0
    assert cmp.services().loc[("fargate", "api"), "tasks_launched"] == 4
    fixed = fl.compare(fl.Scenario.default({"duration": "10m"}), options=["fargate"], fixed_capacity=True)
    assert fixed.table().loc["fargate", "scaled_services"] == 0
