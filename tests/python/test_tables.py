"""Result's DataFrames come from typed column arrays built in C++, not from CSV text: they must
hold what the CSV files `write` produces, as users read them before (pd.read_csv, the event log
line by line), with stable dtypes."""

import json

import numpy as np
import pandas as pd
import pytest

import fargatelab as fl

TRACE_TEXT = ("workload", "request_class", "service", "kind", "outcome")
TASK_TEXT = ("az", "subnet", "stop_code", "stopped_reason")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, root):
    """ECS on EC2 with cluster auto scaling, 20 minutes twice: tasks that stop (scale-in), subnet,
    zone and capacity-provider rows, sampled traces and the event log."""
    scenario = fl.Scenario.from_file(
        root / "scenarios/examples/ecs_ec2/cluster_autoscaling.json",
        {"duration": "20m", "replications": 2, "output.trace_sample_rate": 0.02, "output.event_log": True})
    result = fl.run(scenario, seed=4)
    out = tmp_path_factory.mktemp("cluster")
    result.write(out)
    return result, out


def _from_files(out):
    """The DataFrames as fargatelab 0.4 built them: from the CSV and JSON-lines text."""
    tasks = pd.read_csv(out / "tasks.csv", dtype={c: str for c in TASK_TEXT})
    for c in TASK_TEXT:
        tasks[c] = tasks[c].fillna("")
    events = [json.loads(line) for line in (out / "events.jsonl").read_text().splitlines()]
    return {"timeseries": pd.read_csv(out / "timeseries.csv"),
            "capacity": pd.read_csv(out / "capacity.csv"),
            "tasks": tasks,
            "traces": pd.read_csv(out / "traces.csv", dtype={c: str for c in TRACE_TEXT}),
            "events": pd.DataFrame(events)}


@pytest.mark.parametrize("table", ["timeseries", "capacity", "tasks", "traces", "events"])
def test_each_table_equals_its_file(cluster, table):
    result, out = cluster
    ours, parsed = getattr(result, table), _from_files(out)[table]
    assert len(ours) > 0
    assert list(ours.columns) == list(parsed.columns)
    pd.testing.assert_frame_equal(ours, parsed, check_dtype=False)
    # The same dtypes, except where the text parse guessed int64 for a measure whose every value
    # happened to be whole (time_s at 60 s intervals, an age that stayed 0): those are float64.
    for column in ours.columns:
        if ours[column].dtype != parsed[column].dtype:
            assert (ours[column].dtype, parsed[column].dtype) == (np.float64, np.int64), column
            assert column.endswith(("_s", "_ms", "_pct")), column
            assert (parsed[column] == ours[column]).all()


def test_the_tables_have_the_test_scenarios_contents(cluster):
    # Guard the comparison above against a scenario that would make it trivial.
    result, _ = cluster
    assert set(result.capacity["kind"]) == {"subnet", "zone", "capacity_provider"}
    assert set(result.timeseries["replication"]) == {0, 1}
    assert (result.tasks["stop_code"] == "ServiceSchedulerInitiated").any() and (result.tasks["stop_code"] == "").any()
    assert result.tasks["stopped_s"].isna().any() and result.tasks["stopped_s"].notna().any()
    assert len(result.traces) > 100
    assert {"run_start", "task_state", "run_end"} <= set(result.events["kind"])
    assert result.events["stop_code"].isna().any() and result.events["stop_code"].notna().any()


def test_dtypes_are_declared_not_guessed(cluster):
    result, _ = cluster
    ts = result.timeseries
    counts = ["replication", "requests", "ok", "timeouts", "rejected", "no_capacity", "resets", "in_flight", "queued",
              "desired_count", "tasks_provisioning", "tasks_pending", "tasks_activating", "tasks_running",
              "tasks_stopping", "tasks_in_service", "dependency_errors", "unreachable", "queue_visible",
              "queue_in_flight"]
    measures = ["time_s", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "cpu_utilization_pct",
                "queue_oldest_age_s"]
    assert list(ts.columns) == ["replication", "time_s", "service"] + counts[1:7] + measures[1:4] + counts[7:10] + \
        counts[10:16] + ["cpu_utilization_pct"] + counts[16:] + ["queue_oldest_age_s"]
    assert all(ts[c].dtype == np.int64 for c in counts) and all(ts[c].dtype == np.float64 for c in measures)
    assert pd.api.types.is_string_dtype(ts["service"])
    # Every capacity value is float64: each row kind fills its own columns, NaN in the others.
    cap = result.capacity
    values = list(cap.columns[4:])
    assert all(cap[c].dtype == np.float64 for c in ["time_s"] + values)
    assert cap.loc[cap["kind"] == "subnet", "hosts_in_use"].isna().all()
    assert cap.loc[cap["kind"] == "zone", "addresses_in_use"].isna().all()
    tasks = result.tasks
    assert tasks["replication"].dtype == np.int64
    assert all(tasks[c].dtype == np.float64 for c in tasks.columns[9:])  # created_s ... the launch phases
    assert all(pd.api.types.is_string_dtype(tasks[c]) for c in tasks.columns[1:9])
    traces = result.traces
    assert all(traces[c].dtype == np.int64 for c in ["replication", "trace_id", "span_id", "parent_span_id", "task"])
    assert all(traces[c].dtype == np.float64 for c in ["start_s", "end_s", "duration_ms"])
    ev = result.events
    assert list(ev.columns[:4]) == ["replication", "t", "kind", "entity"]
    assert ev["replication"].dtype == np.int64 and ev["t"].dtype == np.float64
    # A field only some records have: NaN elsewhere (a number: float64; text: missing).
    assert ev["kernel_events"].dtype == np.float64 and ev["kernel_events"].notna().sum() == 2  # run_end, per replication
    assert (ev["kind"] == "task_state").eq(ev["state"].notna()).all()


def test_empty_tables_keep_their_columns_and_dtypes():
    # A Lambda function has no ECS tasks; no trace is sampled; no event log.
    scenario = fl.Scenario.default({"duration": "2m", "services.api.platform": "lambda",
                                    "output.trace_sample_rate": 0, "output.event_log": False})
    result = fl.run(scenario)
    tasks, traces, events = result.tasks, result.traces, result.events
    assert len(tasks) == len(traces) == len(events) == 0
    assert list(tasks.columns[:3]) == ["replication", "task", "group"] and tasks["replication"].dtype == np.int64
    assert tasks["started_s"].dtype == np.float64 and pd.api.types.is_string_dtype(tasks["stop_code"])
    assert traces["trace_id"].dtype == np.int64 and traces["duration_ms"].dtype == np.float64
    assert list(events.columns) == ["replication", "t", "kind", "entity"]
    assert events["t"].dtype == np.float64 and pd.api.types.is_string_dtype(events["kind"])
    # launch_breakdown works on no tasks at all.
    assert len(result.launch_breakdown()) == 7
