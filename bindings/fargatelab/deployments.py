"""The deployment scorecard from Python (`fargatelab deployments`): every release of a scenario
under each deployment strategy, with the same seed and workload streams (common random numbers),
scored against the same scenario without the releases."""

from __future__ import annotations

import json
import os
from typing import Optional, Union

import pandas as pd

from . import _core
from .result import Result, _as_scenario, _text_progress, run
from .scenario import Scenario

AS_GIVEN = "(as given)"  # the scenario's own strategies, as `fargatelab deployments` without --strategy

# DeploymentScore's fields in the table's column order (deployment_bench.hpp documents each).
COLUMNS = ("strategy", "service", "revision", "at_s", "replications", "completed", "rolled_back", "failed",
           "in_progress", "duration_s", "detect_s", "rollback_s", "peak_tasks", "peak_extra_tasks",
           "extra_task_hours", "release_cost_usd", "requests", "errors", "breach_minutes", "p99_max_ms",
           "served_by_revision")


def compare_deployments(scenario: Union[Scenario, str, os.PathLike, dict, None] = None, strategies=None,
                        services=None, seed: Optional[int] = None, runs: Optional[int] = None,
                        progress=None) -> "DeploymentComparison":
    """Scores every release (deployment action "deploy") of the services named in `services`
    (default: every service with deployments) under each strategy.

    strategies -- short forms ("rolling(circuit_breaker=true, rollback=true)",
                  "canary(percent=10, bake=5m)", "blue_green(bake=5m)", "linear(...)"), ECS
                  deploymentConfiguration documents (dicts or JSON text), or AS_GIVEN (the
                  scenario's own); default: [AS_GIVEN]. Each replaces the strategy of every release.
    Every strategy's scenario is validated before the first run; the baseline (the scenario
    without those services' deployments) prices what the releases cost.
    """
    scenario = _as_scenario(scenario)
    names = list(services or [])
    variants = []  # (strategy text, scenario)
    for s in (strategies if strategies is not None else [AS_GIVEN]):
        text = s if isinstance(s, str) else json.dumps(s)
        if text == AS_GIVEN:
            variants.append((text, scenario.with_overrides({"output.event_log": True})))
        else:
            variants.append((text, Scenario(_core.scenario_for_strategy(scenario._core, text, names))))
    baseline_scenario = Scenario(_core.scenario_without_deployments(scenario._core, names))
    show = (_text_progress() if progress is True else progress) if progress else None
    total = len(variants) + 1

    def step(i: int):
        return None if show is None else (lambda f: show((i + f) / total))

    baseline = run(baseline_scenario, seed=seed, runs=runs, progress=step(0))
    results, rows = {}, []
    for i, (text, v) in enumerate(variants, start=1):
        r = run(v, seed=seed, runs=runs, progress=step(i))
        results[text] = r
        rows += _core.deployment_scores(r._core, v._core, text, baseline._core, names)
    return DeploymentComparison(results, baseline, rows, scenario.document["name"])


class DeploymentComparison:
    """Results of compare_deployments().

    strategies -- the strategies in run order
    results    -- strategy -> Result (with the event log: events() holds every deployment step)
    baseline   -- the Result of the scenario without the releases
    table()    -- one row per strategy and release: how the replications ended (completed,
                  rolled_back, failed, in_progress), duration_s, detect_s, rollback_s, peak and
                  extra tasks, extra_task_hours, release_cost_usd (the run's bill minus the
                  baseline's), requests, errors, breach_minutes, p99_max_ms, served_by_revision;
                  means across replications, NaN where no replication has the figure
    text()     -- the table `fargatelab deployments` prints
    """

    def __init__(self, results: dict, baseline: Result, rows: list, scenario_name: str) -> None:
        self.results = dict(results)
        self.strategies = list(self.results)
        self.baseline = baseline
        self._rows = list(rows)
        self.scenario_name = scenario_name

    def table(self) -> pd.DataFrame:
        frame = pd.DataFrame([{c: getattr(r, c) for c in COLUMNS} for r in self._rows], columns=list(COLUMNS))
        return frame.set_index(["strategy", "service", "revision"])

    def text(self) -> str:
        return _core.deployment_scores_text(self.scenario_name, self._rows)

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()
