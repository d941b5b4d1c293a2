"""Running scenarios and reading results."""

from __future__ import annotations

import json
import os
from typing import Callable, Optional, Tuple, Union

import pandas as pd

from . import _core
from .scenario import Scenario


class Result:
    """The outcome of run(): a summary dict and pandas DataFrames.

    summary     -- the same document `fargatelab run --out` writes as summary.json
    The DataFrames have the columns of the CSV files `--out` writes, typed: int64 counts and ids,
    float64 times and measures (NaN where the CSV field is empty), str text:
    timeseries  -- one row per replication, service and metrics interval
    capacity    -- one row per replication, interval and subnet (addresses) or zone (hosts, tasks)
    tasks       -- one row per task: placement, launch phases (seconds), how it ended
    traces      -- sampled requests (output.trace_sample_rate): one span per service visited
    forecasts   -- every predictive scaling forecast (hourly load and capacity, and when made)
    cloudwatch  -- every CloudWatch datapoint published (output.cloudwatch_metrics): the metrics
                   alarms and scaling policies read, stamped with the period's start (time_s) and
                   the time they became readable (published_s)
    events      -- the event log (task state changes, run start and end, ...), a column per field
                   (NaN where a record has none)
    """

    def __init__(self, core: _core.RunResult, scenario: Scenario) -> None:
        self._core = core
        self.scenario = scenario
        self.summary: dict = json.loads(core.summary_json)
        self.events_processed: int = core.events_processed
        self.wall_seconds: float = core.wall_seconds
        self._timeseries: Optional[pd.DataFrame] = None
        self._capacity: Optional[pd.DataFrame] = None
        self._tasks: Optional[pd.DataFrame] = None
        self._events: Optional[pd.DataFrame] = None
        self._traces: Optional[pd.DataFrame] = None
        self._cloudwatch: Optional[pd.DataFrame] = None

    @property
    def timeseries(self) -> pd.DataFrame:
        if self._timeseries is None:
            self._timeseries = _frame(self._core.timeseries)
        return self._timeseries

    @property
    def capacity(self) -> pd.DataFrame:
        if self._capacity is None:
            self._capacity = _frame(self._core.capacity)
        return self._capacity

    @property
    def tasks(self) -> pd.DataFrame:
        if self._tasks is None:
            self._tasks = _frame(self._core.tasks)
        return self._tasks

    @property
    def traces(self) -> pd.DataFrame:
        if self._traces is None:
            self._traces = _frame(self._core.traces)
        return self._traces

    @property
    def cloudwatch(self) -> pd.DataFrame:
        if self._cloudwatch is None:
            self._cloudwatch = _frame(self._core.cloudwatch)
        return self._cloudwatch

    @property
    def forecasts(self) -> pd.DataFrame:
        """Every predictive scaling forecast: made_at_s, the hour (hour_s), load and capacity."""
        return _frame(self._core.forecasts)

    def workloads(self) -> pd.DataFrame:
        """One row per workload and request class: end-to-end results (means across replications).

        Columns: requests, ok, errors_<cause>, latency_<stat>_ms; read from the typed results in C++
        (_core.RunResult.workloads), int64 while every value is a count (one replication)."""
        return _frame(self._core.workloads).set_index(["workload", "request_class"])

    def launch_breakdown(self) -> pd.DataFrame:
        """Seconds in each launch phase for the tasks that reached RUNNING: count, mean and percentiles."""
        t = self.tasks
        phases = [c for c in t.columns if c.endswith("_s") and c not in _TASK_NUMERIC]
        started = t[t["started_s"].notna()]
        q = started[phases].describe(percentiles=[0.5, 0.9, 0.99]).T
        return q[["count", "mean", "50%", "90%", "99%", "max"]].rename(columns={"50%": "p50", "90%": "p90", "99%": "p99"})

    @property
    def events(self) -> pd.DataFrame:
        if self._events is None:
            self._events = _frame(self._core.events)
        return self._events

    def stopped_tasks(self) -> pd.DataFrame:
        """The stopped tasks grouped by stop code and stopped reason, then the tasks not started by
        the end grouped by what they waited for: what `fargatelab explain` prints.

        Columns: stop_code ("" when not started), stopped_reason (or what it waited for),
        last_state, tasks (over every replication), first_s and last_s (when they stopped; not
        started: when created), services and revisions (", "-separated), cause (the chain of
        causes, steps separated by " → ", built in C++ from the facts the model recorded: the
        subnets that were full, the fault that refused the pull, the scheduler's backoff, the
        circuit breaker)."""
        return _frame(self._core.stopped_tasks)

    def explain(self) -> str:
        """`fargatelab explain`'s text: the stopped-task groups and each one's chain of causes."""
        return self._core.explanation

    def services(self) -> pd.DataFrame:
        """One row per service: the headline results (means across replications).

        Columns: requests, ok, each error cause, throughput_rps, cpu_utilization_pct, tasks,
        task_load_max_over_mean, latency_<stat>_ms; read from the typed results in C++
        (_core.RunResult.services), int64 while every value is a count (one replication)."""
        return _frame(self._core.services).set_index("service")

    def table(self) -> str:
        """The summary table `fargatelab run` prints."""
        return self._core.table

    def write(self, directory: Union[str, os.PathLike]) -> None:
        """Writes summary.json, timeseries.csv, capacity.csv, tasks.csv, traces.csv, events.jsonl and
        scenario.json atomically (all or nothing)."""
        self._core.write(self.scenario._core, os.fspath(directory))

    def _repr_html_(self) -> str:
        return "<pre>" + self.table().replace("&", "&amp;").replace("<", "&lt;") + "</pre>"

    def __repr__(self) -> str:
        return self.table()


_TASK_NUMERIC = ["created_s", "started_s", "in_service_s", "stopped_s"]


def _frame(columns: dict) -> pd.DataFrame:
    """A DataFrame of the column arrays _core hands over (name -> numpy array, in order): int64
    counts and ids, float64 measures (NaN where undefined), arrays of str for text, which pandas
    makes its string dtype (object before pandas 3), also when there are no rows."""
    frame = pd.DataFrame(columns, copy=False)
    if frame.empty:
        text = [c for c, a in columns.items() if a.dtype == object]
        frame[text] = frame[text].astype(str)
    return frame


def _as_scenario(scenario: Union[Scenario, str, os.PathLike, dict, None]) -> Scenario:
    """A Scenario from a Scenario, a file path, a dict, or None (the embedded default)."""
    if scenario is None:
        return Scenario.default()
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.from_file(scenario)
    if isinstance(scenario, dict):
        return Scenario.from_dict(scenario)
    return scenario


def run(scenario: Union[Scenario, str, os.PathLike, dict, None] = None, seed: Optional[int] = None,
        runs: Optional[int] = None, progress: Union[bool, Callable[[float], object], None] = None,
        policies: Optional[dict] = None) -> Result:
    """Runs a scenario (a Scenario, a file path, a dict, or None for the default).

    seed and runs override the scenario's seed and replications. progress=True shows a text
    progress bar on stderr; a callable receives the fraction done (return False to stop).
    policies maps an ECS service's name to your own scaling policy: a callable called once a
    minute with {"time_s", "desired", "running", "min_capacity", "max_capacity", "metrics":
    {metric name: newest published value}} that returns the desired count or None (no change);
    it joins the service's scaling section (default limits 1 .. 10 x desired count).
    The GIL is released while the simulation runs; Ctrl-C raises KeyboardInterrupt promptly.
    """
    scenario = _as_scenario(scenario)
    callback = _text_progress() if progress is True else (progress or None)
    core = _core.run(scenario._core, seed, runs, callback, policies)
    return Result(core, scenario)


def _text_progress() -> Callable[[float], None]:
    import sys

    def show(fraction: float) -> None:
        filled = int(fraction * 40 + 0.5)
        end = "\n" if fraction >= 1.0 else ""
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (40 - filled)}] {100 * fraction:5.1f}%{end}")
        sys.stderr.flush()

    return show


# The options compare() runs by default, in order (defined once, in C++: fargatelab/constants.hpp).
OPTIONS: Tuple[str, ...] = tuple(_core.COMPARE_OPTIONS)


def compare_options() -> "pd.DataFrame":
    """The options compare() can run, with what each sets."""
    return pd.DataFrame(_core.compare_options(), columns=["option", "description"]).set_index("option")


def compare(scenario: Union[Scenario, str, os.PathLike, dict, None] = None, options=None, seed: Optional[int] = None,
            runs: Optional[int] = None, progress: Union[bool, Callable[[float], object], None] = None,
            platforms=None, fixed_capacity: bool = False) -> "Comparison":
    """Runs one workload on several AWS options with common random numbers and returns them side by side.

    scenario -- a Scenario, a file, a dict, or None for the embedded comparison default (an HTTP
                API over a day with a diurnal load and a burst, Scenario.comparison_default()).
    options  -- any of "fargate", "fargate_spot", "ecs_ec2", "ecs_ec2_spot", "lambda",
                "app_runner" (default: all six); every service moves to the option. `platforms`
                is accepted as another name for it.
    runs     -- replications per option (confidence intervals from 2 on); seed as in run().
    fixed_capacity -- keep the ECS options' desired counts and schedules; by default a service
                without scaling policies scales with target tracking on CPU at 60 % on them.
    Every option's scenario is validated before the first run.
    """
    scenario = Scenario.comparison_default() if scenario is None else _as_scenario(scenario)
    chosen = list(options if options is not None else platforms if platforms is not None else OPTIONS)
    variants = {o: Scenario(_core.scenario_for_option(scenario._core, o, fixed_capacity)) for o in chosen}
    results = {}
    for i, (o, v) in enumerate(variants.items()):
        step = None
        if progress:
            show = _text_progress() if progress is True else progress
            step = (lambda f, i=i: show((i + f) / len(variants)))
        results[o] = run(v, seed=seed, runs=runs, progress=step)
    return Comparison(results, scenario_name=scenario.document["name"])


DEFAULT_POLICIES = (_core.FIXED_CAPACITY, "target_tracking(metric=cpu, target=60)",
                    "target_tracking(metric=cpu_high_resolution, target=60)", "hpa(metric=cpu, target=60)")


def compare_policies(scenario: Union[Scenario, str, os.PathLike, dict, None] = None, policies=None, services=None,
                     seed: Optional[int] = None, runs: Optional[int] = None, progress=None) -> "PolicyComparison":
    """The policy bench (`fargatelab policies`): the scenario under each scaling policy, with the
    same seed and workload streams (common random numbers).

    policies -- short forms ("target_tracking(metric=cpu, target=60)"), AWS put-scaling-policy
                documents (dicts or JSON text), "fixed" (the scenario's own desired counts), or
                your own callables (see run(policies=...); named by their __name__);
                default: fixed, target tracking on CPU at 60 % (60 s and 20 s metrics), HPA at 60 %.
    services -- the services the policy scales (default: every service).
    Every policy's scenario is validated before the first run. The runs keep their CloudWatch
    datapoints (output.cloudwatch_metrics, an output only: the figures are the same without), so
    each Result's cloudwatch table holds what its policy read and report() can plot it.
    """
    scenario = Scenario.default() if scenario is None else _as_scenario(scenario)
    targets = list(services or [s["name"] for s in scenario.document["services"]])
    variants = []  # (name, scenario, custom policies)
    for p in (policies if policies is not None else DEFAULT_POLICIES):
        if callable(p):  # your own: on the scenario without its policies, once a minute per service
            name = getattr(p, "__name__", "custom")
            fixed = _core.scenario_for_policy(scenario._core, _core.FIXED_CAPACITY, list(services or []))
            variants.append((name, Scenario(fixed), {s: p for s in targets}))
        else:
            text = p if isinstance(p, str) else json.dumps(p)
            variants.append((text, Scenario(_core.scenario_for_policy(scenario._core, text, list(services or []))), None))
    variants = [(p, v.with_overrides({"output.cloudwatch_metrics": True}), custom) for p, v, custom in variants]
    results = {}
    rows = []
    for i, (p, v, custom) in enumerate(variants):
        step = None
        if progress:
            show = _text_progress() if progress is True else progress
            step = (lambda f, i=i: show((i + f) / len(variants)))
        r = run(v, seed=seed, runs=runs, progress=step, policies=custom)
        results[p] = r
        rows.append(_core.policy_bench_row(r._core, v._core, p))
    return PolicyComparison(results, rows, scenario.document["name"])


class PolicyComparison:
    """Results of compare_policies(), one per policy.

    policies  -- the policies in run order
    results   -- policy -> Result (its time series hold desired and running tasks; with
                 output.cloudwatch_metrics its cloudwatch table holds what the policy saw)
    table()   -- one row per policy: minutes in breach of the SLO, task-hours paid and needed,
                 scaling actions, first scale-out, first response after zero, then compare()'s
                 figures (cost, latency, SLO, ...); "<column>_ci" is the 95 % half-width across
                 replications (NaN with one)
    report(path) -- a self-contained HTML report (fargatelab.policy_report)
    bench     -- how it was measured: replications, seed, duration_s, warmup_s, slo_ms,
                 publication_delay_s, fargatelab_version
    """

    def __init__(self, results: dict, rows: list, scenario_name: str) -> None:
        self.results = dict(results)
        self.policies = list(self.results)
        self._rows = list(rows)
        self.scenario_name = scenario_name
        head = self._rows[0] if self._rows else None
        f = head.figures if head else None
        self.bench: dict = {"replications": f.replications if f else 0, "seed": f.seed if f else None,
                            "duration_s": f.duration_s if f else float("nan"),
                            "warmup_s": f.warmup_s if f else float("nan"), "slo_ms": f.slo_ms if f else float("nan"),
                            "publication_delay_s": head.publication_delay_s if head else float("nan"),
                            "fargatelab_version": _core.version()}

    def report(self, path, title: Optional[str] = None):
        """Writes the HTML report (see fargatelab.policy_report) atomically and returns its path."""
        from .policy_report import write_policy_report
        return write_policy_report(self, path, title=title)

    def table(self) -> pd.DataFrame:
        return _frame(_core.policy_bench_table(self._rows)).set_index("policy")

    def text(self) -> str:
        return _core.policy_bench_text(self.scenario_name, self._rows)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()


class Comparison:
    """Results of compare(), one per option.

    options        -- the options in run order
    results        -- option -> Result (summary, timeseries, capacity, tasks, ...)
    table()        -- one row per option: monthly cost, latency, SLO attainment, requests, errors,
                      throttles, cold starts, launches, CPU used and paid-but-idle capacity, with
                      "<column>_ci" 95 % half-widths when there are replications
    bill(option)   -- that option's monthly bill, line by line
    services()     -- per option and service: requests, errors, latency, launches, capacity
    report(path)   -- a self-contained HTML report with plots
    slo_ms, replications, duration_s, fargatelab_version -- how the options were measured

    The figures are computed once, in C++, as one typed row per option (_core.ComparisonRow):
    from each Result, or read back from comparison.json (load_comparison).
    """

    def __init__(self, results: dict, scenario_name: Optional[str] = None, rows: Optional[list] = None,
                 fargatelab_version: Optional[str] = None) -> None:
        self.results = dict(results)
        self.options = list(self.results)
        first = next(iter(self.results.values()))
        self.scenario_name = scenario_name or first.scenario.name
        computed = rows is None
        if computed:
            rows = [_core.comparison_row(r._core, option) for option, r in self.results.items()]
        self._rows = list(rows)
        head = self._rows[0] if self._rows else None
        self.slo_ms: float = head.slo_ms if head else float("nan")
        self.replications: int = head.replications if head else 0
        self.duration_s: float = head.duration_s if head else float("nan")
        self.fargatelab_version: Optional[str] = fargatelab_version or (_core.version() if computed else None)

    def table(self) -> pd.DataFrame:
        return _frame(_core.comparison_table(self._rows)).set_index("option")

    def bill(self, option: str) -> pd.DataFrame:
        """The monthly bill of replication 0: the simulated period's items scaled to a month (730 h, MONTH_HOURS)."""
        return _frame(_core.bill_table(self._rows[self.options.index(option)]))

    def services(self) -> pd.DataFrame:
        return _frame(_core.service_comparison_table(self._rows)).set_index(["option", "service"])

    def report(self, path, title: Optional[str] = None):
        """Writes the HTML report (see fargatelab.report) and returns its path."""
        from .report import write_report
        return write_report(self, path, title=title)

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()


class SavedResult:
    """A Result read back from a directory `fargatelab run --out` wrote: summary, timeseries, capacity."""

    def __init__(self, directory: Union[str, os.PathLike]) -> None:
        from pathlib import Path

        d = Path(directory)
        self.summary: dict = json.loads((d / "summary.json").read_text())
        self.timeseries = pd.read_csv(d / "timeseries.csv")
        self.capacity = pd.read_csv(d / "capacity.csv")


def load_comparison(directory: Union[str, os.PathLike]) -> Comparison:
    """The Comparison `fargatelab compare --out DIR` wrote: its rows from DIR/comparison.json, each
    option's outputs from DIR/<option>/."""
    from pathlib import Path

    d = Path(directory)
    text = (d / "comparison.json").read_text()
    doc = json.loads(text)
    rows = _core.comparison_rows_from_json(text)
    return Comparison({row.option: SavedResult(d / row.option) for row in rows}, scenario_name=doc["scenario"],
                      rows=rows, fargatelab_version=doc.get("fargatelab_version"))
