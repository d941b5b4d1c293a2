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
        "capacity.csv", "events.jsonl", "scenario.json", "summary.json", "tasks.csv", "timeseries.csv", "traces.csv"]
    assert pd.read_csv(tmp_path / "out" / "timeseries.csv").shape == result.timeseries.shape


def test_a_progress_callback_sees_the_run_and_can_stop_it():
    seen = []
    fl.run(fl.Scenario.default({"duration": "30m"}), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(fl.RunCancelled):
        fl.run(fl.Scenario.default({"duration": "30m"}), progress=lambda f: False)


def test_ctrl_c_interrupts_a_long_run_promptly():
    # A run of simulated weeks takes far longer than the test; SIGINT must end it at once.
    long = fl.Scenario.default({"duration": "30d"})
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            fl.run(long)
    finally:
        timer.cancel()
    assert time.monotonic() - start < 5.0


def test_compare_runs_each_platform_on_the_same_requests():
    cmp = fl.compare(fl.Scenario.default().with_overrides({"duration": "10m"}), platforms=["fargate", "lambda"])
    t = cmp.table()
    assert list(t.index.get_level_values("platform")) == ["fargate", "lambda"]
    assert t.loc[("fargate", "api"), "requests"] == t.loc[("lambda", "api"), "requests"]
    assert t.loc[("lambda", "api"), "cold_starts"] > 0
    assert t.loc[("fargate", "api"), "tasks_launched"] == 3
