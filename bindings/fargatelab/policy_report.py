"""The HTML report of a policy bench (`fargatelab policies --report`, PolicyComparison.report()).

>>> import fargatelab as fl
>>> bench = fl.compare_policies("flash_crowd.json", policies=["fixed", "hpa(metric=cpu, target=60)"])  # doctest: +SKIP
>>> bench.report("policies.html")  # doctest: +SKIP

One self-contained file in the comparison report's style and machinery (fargatelab.report):

- the facts: scenario, simulated minutes, replications, seed, SLO, the CloudWatch publication
  delay, and the assumptions (common random numbers; replication 0 in the plots);
- the bench table, one row per policy: share of requests under the SLO, minutes in breach, p99,
  errors, monthly cost, task-hours paid and needed (each "± the 95 % half-width" across
  replications when there are some), scaling actions, first scale-out, time to first response
  after zero;
- per policy a ``<figure class="plot" id="policy-<n>">`` (n from 1, in bench order) of three
  stacked plots over time, replication 0: desired capacity (a step line from the
  ``scaling_activity`` events) against running tasks (the time series), summed over services;
  the CloudWatch datapoints of the metric the policy reads with its target line; and its
  alarms' states as bands (OK / ALARM / INSUFFICIENT_DATA).

The bench is what fargatelab.compare_policies() returns, or load_policy_bench(DIR) reads back
from `fargatelab policies --out DIR` (``policies``, ``results`` (policy -> something with
``timeseries``, ``events`` and ``cloudwatch`` frames), ``table()``, ``scenario_name`` and the
``bench`` facts: replications, seed, duration_s, warmup_s, slo_ms, publication_delay_s).
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .report import (_OPTION_COLOURS, _SPARE_COLOURS, _e, _figure_html, _finite, _legend_above, _table_html,
                     page_html, report_command, write_atomically)

__all__ = ["policy_bench_html", "write_policy_report", "load_policy_bench"]

# The bench table: header, table column, value format, CI column, tooltip (as report._TABLE_COLUMNS).
_BENCH_COLUMNS = [
    ("Under SLO", "slo_attainment", "{:.2%}", "slo_attainment_ci", "share of requests answered within the SLO"),
    ("Breach (min)", "minutes_in_breach", "{:,.1f}", "minutes_in_breach_ci",
     "minutes in which a client-facing service's p99 was above the SLO or a request failed"),
    ("p99 (ms)", "latency_p99_ms", "{:,.1f}", "latency_p99_ms_ci", "99th percentile latency of the clients"),
    ("Errors", "errors", "{:,.0f}", None, "failed requests"),
    ("Monthly cost", "monthly_cost_usd", "${:,.2f}", "monthly_cost_usd_ci", "USD per 730-hour month"),
    ("Task-h paid", "task_hours_paid", "{:,.2f}", "task_hours_paid_ci", "task-hours held in the measured period"),
    ("Task-h needed", "task_hours_needed", "{:,.2f}", "task_hours_needed_ci",
     "held task-hours x CPU utilisation: the work at 100 % CPU"),
    ("Actions", "scaling_actions", "{:,.1f}", None, "scale-outs and scale-ins per replication"),
    ("1st scale-out (s)", "first_scale_out_s", "{:,.0f}", None, "replication 0: when capacity was first added"),
    ("From zero (s)", "first_response_after_zero_s", "{:,.1f}", None,
     "from the first request at zero running tasks to the service's first answer"),
]
_BEST = {"slo_attainment": False, "minutes_in_breach": True, "monthly_cost_usd": True}

# What a short-form policy reads: its metric= parameter -> (CloudWatch metric name, period in s);
# keda_sqs reads the queue's visible messages against queue_length. Others (fixed, an AWS JSON
# document, a Python policy) are shown against the service's CPUUtilization, without a target.
_METRICS = {
    "cpu": ("CPUUtilization", 60), "memory": ("MemoryUtilization", 60),
    "cpu_high_resolution": ("CPUUtilization", 20), "memory_high_resolution": ("MemoryUtilization", 20),
    "alb_request_count_per_target": ("RequestCountPerTarget", 60),
    "provisioned_concurrency": ("ProvisionedConcurrencyUtilization", 60),
}
# One colour per policy, in bench order: the comparison report's palette, then its spares; the
# desired line is near-black and dashed, so no policy colour is.
_POLICY_COLOURS = list(_OPTION_COLOURS.values()) + [c for c in _SPARE_COLOURS if c != "#3B3B3B"]
_STATE_COLOURS = {"OK": "#7FA38A", "ALARM": "#D55E00", "INSUFFICIENT_DATA": "#B5B5B5"}


def policy_bench_html(bench: Any, title: Optional[str] = None) -> str:
    """The report (see the module docstring) as one HTML document."""
    policies = list(bench.policies)
    table = bench.table()
    facts = dict(bench.bench)
    colours = {p: _POLICY_COLOURS[n % len(_POLICY_COLOURS)] for n, p in enumerate(policies)}
    slo_ms = float(facts.get("slo_ms", float("nan")))
    # The simulated end: the warm-up, then the measured duration.
    end_min = ((_finite(facts.get("warmup_s")) or 0) + (_finite(facts.get("duration_s")) or 0)) / 60.0
    figures = []
    for n, policy in enumerate(policies, start=1):
        result = bench.results[policy]
        metric, period_s, target = policy_metric(policy)
        figures.append(_figure_html(
            f"policy-{n}", policy,
            f"Replication 0. Top: desired capacity (step, from the scaling activities) and running tasks, summed "
            f"over services. Middle: the CloudWatch {metric} datapoints ({period_s:g} s) by the end of their "
            f"period" + (f", target {target:g}" if target is not None else "") + ". Bottom: the alarms' states.",
            functools.partial(_draw_policy, result=result, metric=metric, period_s=period_s, target=target,
                              colour=colours[policy], end_min=end_min),
            (6.4, 5.6), rows=3, heights=[3, 2, 1.2]))
    body = _BODY.format(assumptions=_assumptions_html(facts),
                        table=_table_html(table, policies, colours, slo_ms, _BENCH_COLUMNS, _BEST, "Policy"),
                        plots="\n".join(figures))
    return page_html(title or f"Policy bench: {bench.scenario_name}", _meta_html(bench.scenario_name, facts, len(policies)), body)


def write_policy_report(bench: Any, path: Union[str, os.PathLike], title: Optional[str] = None) -> Path:
    """Writes the report atomically (no partial file on any failure) and returns its path."""
    return write_atomically(path, lambda: policy_bench_html(bench, title))


def policy_metric(policy: str) -> tuple:
    """(CloudWatch metric name, period in s, target or None) of what a short-form policy reads."""
    params = dict(re.findall(r"(\w+)\s*=\s*([\w.]+)", policy))
    if policy.startswith("keda_sqs"):
        return "ApproximateNumberOfMessagesVisible", 60.0, _finite(params.get("queue_length"))
    name, period = _METRICS.get(params.get("metric", ""), ("CPUUtilization", 60))
    known = "metric" in params and params["metric"] in _METRICS
    return name, float(period), _finite(params.get("target")) if known else None


# --- plots -------------------------------------------------------------------------------------

def _draw_policy(axes: list, result: Any, metric: str, period_s: float, target: Optional[float],
                 colour: str, end_min: float) -> None:
    capacity, metric_ax, alarm_ax = axes
    _draw_capacity(capacity, result, colour, end_min)
    _draw_metric(metric_ax, result, metric, period_s, target, colour)
    _draw_alarms(alarm_ax, result, end_min)
    alarm_ax.set_xlabel("time (minutes)")


def _replication0(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["replication"] == 0] if "replication" in frame.columns else frame


def _events(result: Any, kind: str) -> pd.DataFrame:
    events = result.events
    if len(events) == 0 or "kind" not in events.columns:
        return pd.DataFrame()
    return _replication0(events[events["kind"] == kind]).sort_values("t", kind="stable")


def _draw_capacity(ax: Axes, result: Any, colour: str, end_min: float) -> None:
    ts = _replication0(result.timeseries)
    running = ts.groupby("time_s")["tasks_running"].sum()
    (line,) = ax.plot(running.index / 60.0, running.to_numpy(), color=colour, linewidth=1.6, label="running tasks")
    line.set_gid("series-running")
    # Desired: each service's step function, starting at its first interval's desired count (or its
    # first activity's "from"), summed over services.
    activities = _events(result, "scaling_activity")
    steps = []
    for service, rows in ts.groupby("service", sort=False):
        own = activities[activities["resource_id"].astype(str).str.endswith("/" + str(service))] if len(activities) else activities
        start = float(own["from"].iloc[0]) if len(own) else float(rows["desired_count"].iloc[0])
        times = [0.0] + (own["t"].astype(float).tolist() if len(own) else [])
        values = [start] + (own["to"].astype(float).tolist() if len(own) else [])
        steps.append(pd.Series(values, index=times).groupby(level=0).last())
    if steps:
        desired = pd.concat(steps, axis=1).sort_index().ffill().fillna(0.0).sum(axis=1)
        x = np.append(desired.index.to_numpy() / 60.0, max(end_min, desired.index.max() / 60.0))
        y = np.append(desired.to_numpy(), desired.to_numpy()[-1])
        (step,) = ax.step(x, y, where="post", color="#111827", linewidth=1.2, linestyle="--", label="desired")
        step.set_gid("series-desired")
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    ax.set_ylabel("tasks")
    _legend_above(ax)


def _draw_metric(ax: Axes, result: Any, metric: str, period_s: float, target: Optional[float], colour: str) -> None:
    cw = result.cloudwatch
    points = pd.DataFrame()
    if len(cw) and "metric" in cw.columns:
        points = _replication0(cw[(cw["metric"] == metric) & (cw["period_s"] == period_s)])
    if len(points):
        # One series per dimension set (service, target group, queue), by the end of the period.
        for k, (_, rows) in enumerate(points.groupby("dimensions", sort=True)):
            (line,) = ax.plot((rows["time_s"] + period_s) / 60.0, rows["value"], color=colour, linewidth=1.2,
                              marker="o" if len(rows) <= 30 else None, markersize=3)
            line.set_gid(f"series-metric-{k}")
    else:
        ax.annotate("no datapoints", (0.5, 0.5), xycoords="axes fraction", ha="center", color="#6b7280")
    if target is not None:
        ax.axhline(target, color="#6b7280", linestyle=":", linewidth=1.2)
        ax.annotate(f"target {target:g}", (0, target), xycoords=("axes fraction", "data"), xytext=(4, 3),
                    textcoords="offset points", color="#6b7280", fontsize=8)
    ax.set_ylabel(metric if len(metric) <= 16 else metric[:14] + "…", fontsize=8)


def _draw_alarms(ax: Axes, result: Any, end_min: float) -> None:
    changes = _events(result, "alarm_state")
    names = list(dict.fromkeys(changes["alarm"].astype(str))) if len(changes) else []
    for row, name in enumerate(names):
        own = changes[changes["alarm"].astype(str) == name]
        times = [0.0] + (own["t"].astype(float) / 60.0).tolist() + [end_min]
        states = [str(own["from"].iloc[0])] + own["to"].astype(str).tolist()
        for k, state in enumerate(states):
            if times[k + 1] > times[k]:
                ax.broken_barh([(times[k], times[k + 1] - times[k])], (row - 0.4, 0.8),
                               facecolors=_STATE_COLOURS.get(state, "#777777"))
    ax.set_yticks(range(len(names)), [_short_alarm(n) for n in names], fontsize=7)
    ax.set_ylim(-0.6, max(len(names), 1) - 0.4)
    ax.grid(axis="y", visible=False)
    for state, c in _STATE_COLOURS.items():
        ax.bar(0, 0, color=c, label=state)
    if not names:
        ax.annotate("no alarms", (0.5, 0.5), xycoords="axes fraction", ha="center", color="#6b7280")
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), fontsize=7, ncols=3, handlelength=1.0, borderaxespad=0.1)


def _short_alarm(name: str) -> str:
    """TargetTracking-service/.../AlarmHigh-<uuid> -> AlarmHigh; others cut to 24 characters."""
    for word in ("AlarmHigh", "AlarmLow"):
        if word in name:
            return word
    return name if len(name) <= 24 else name[:23] + "…"


# --- page ----------------------------------------------------------------------------------------

def _meta_html(scenario: str, facts: dict, count: int) -> str:
    parts = [f"Scenario <b>{_e(scenario)}</b>", f"{count} polic{'y' if count == 1 else 'ies'}"]
    duration = _finite(facts.get("duration_s"))
    if duration:
        parts.append(f"{duration / 60:,.0f} minutes simulated")
    replications = int(facts.get("replications") or 0)
    parts.append(f"{replications} replication{'s' if replications != 1 else ''}")
    parts.append(f"seed {_e(facts.get('seed'))}")
    slo = _finite(facts.get("slo_ms"))
    if slo is not None:
        parts.append(f"SLO {slo:,.0f} ms")
    if facts.get("fargatelab_version"):
        parts.append(f"fargatelab {_e(facts['fargatelab_version'])}")
    return " · ".join(parts)


def _assumptions_html(facts: dict) -> str:
    replications = int(facts.get("replications") or 0)
    delay = _finite(facts.get("publication_delay_s"))
    warmup = _finite(facts.get("warmup_s")) or 0
    items = [
        "Common random numbers: every policy sees the same seed "
        f"({_e(facts.get('seed'))}) and the same workload streams, so differences come from the policies.",
        f"{replications} replication{'s' if replications != 1 else ''}; "
        + ("± is the 95 % confidence half-width of the mean across them (Student t, n − 1 degrees of freedom)."
           if replications > 1 else "one replication gives no confidence interval (use --runs / runs=)."),
        "CloudWatch datapoints are readable " + (f"{delay:g} s" if delay is not None else "a delay")
        + " after their period ends (cloudwatch.publication_delay); the policies see nothing sooner.",
        f"Figures are of the measured period (after {warmup:g} s of warm-up); the SLO is "
        f"{_e(format(_finite(facts.get('slo_ms')) or float('nan'), ',.0f'))} ms at p99 per minute for breach "
        "minutes, per request for the share under it.",
        "\"fixed\" is the scenario's own desired counts, without a policy. The plots show replication 0.",
    ]
    return "<ul class=\"assumptions\">" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


_BODY = """<section class="card">
<h2>Assumptions</h2>
{assumptions}
</section>
<h2>Bench</h2>
<section class="card scroll">
{table}
</section>
<h2>Policies over time</h2>
<section class="plots">
{plots}
</section>
"""


# --- read back -------------------------------------------------------------------------------------

class SavedRun:
    """One policy's outputs from `fargatelab policies --out DIR` (DIR/<n>/): timeseries, events,
    cloudwatch (empty without output.cloudwatch_metrics)."""

    def __init__(self, directory: Union[str, os.PathLike]) -> None:
        d = Path(directory)
        self.timeseries = pd.read_csv(d / "timeseries.csv")
        lines = [json.loads(line) for line in (d / "events.jsonl").read_text().splitlines() if line.strip()]
        self.events = pd.DataFrame(lines)
        cw = d / "cloudwatch.csv"
        self.cloudwatch = pd.read_csv(cw) if cw.exists() else pd.DataFrame()


class SavedPolicyBench:
    """A policy bench read back from DIR/policies.json and DIR/<n>/ (see load_policy_bench)."""

    def __init__(self, directory: Union[str, os.PathLike]) -> None:
        d = Path(directory)
        doc = json.loads((d / "policies.json").read_text())
        self.scenario_name = doc["scenario"]
        self.bench = dict(doc.get("bench", {}), fargatelab_version=doc.get("fargatelab_version"))
        self._table = pd.DataFrame(doc["rows"]).set_index("policy").astype(float)
        self.policies = list(self._table.index)
        self.results = {p: SavedRun(d / str(n)) for n, p in enumerate(self.policies, start=1)}

    def table(self) -> pd.DataFrame:
        return self._table


def load_policy_bench(directory: Union[str, os.PathLike]) -> SavedPolicyBench:
    """The bench `fargatelab policies --out DIR` wrote."""
    return SavedPolicyBench(directory)


def main(argv: Optional[list] = None) -> int:
    """`python -m fargatelab.policy_report DIR OUT.html`: the report of what `fargatelab policies --out DIR` wrote."""
    return report_command(argv, "fargatelab.policy_report", "POLICIES_DIR", load_policy_bench, write_policy_report)


if __name__ == "__main__":
    raise SystemExit(main())
