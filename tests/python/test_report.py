"""The HTML report of a platform comparison (fargatelab.report): its content, the atomic write,
and how it renders in a real browser (headless Chromium, see browser.py)."""

import inspect
import io
import math
import os
import re
from collections import Counter

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

import fargatelab as fl
from fargatelab.report import comparison_html, write_report

FIGURE_IDS = ("cost-vs-p99", "capacity-over-time", "p99-over-time", "bill-by-service")
BILL_COLUMNS = ["service", "item", "quantity", "unit", "rate_usd", "amount_usd", "arithmetic"]
TEN_MINUTES = {"duration": "10m"}


class StandInComparison:
    """What fargatelab.compare() returns (see the report's contract), assembled by hand."""

    def __init__(self, results, table, bills, scenario_name="http-api", slo_ms=500.0):
        self.options = list(results)
        self.results = results
        self._table = table
        self._bills = bills
        self.scenario_name = scenario_name
        self.slo_ms = slo_ms
        self.duration_s = 600.0
        self.replications = 3
        self.fargatelab_version = "9.9.9"

    def table(self):
        return self._table

    def bill(self, option):
        return self._bills[option]


def _table(rows):
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("option")


@pytest.fixture(scope="module")
def comparison():
    scenario = fl.Scenario.default().with_overrides(TEN_MINUTES)
    results = {"fargate": fl.run(scenario, seed=5),
               "lambda": fl.run(scenario.with_overrides({"services.0.platform": "lambda"}), seed=5)}
    nan = math.nan
    table = _table({
        "fargate": dict(monthly_cost_usd=124.55, monthly_cost_usd_ci=1.2, latency_p50_ms=58.7, latency_p95_ms=290.8,
                        latency_p99_ms=540.3, latency_p99_ms_ci=12.5, cold_start_share=nan, errors=0,
                        error_rate=0.0, throttles=0, slo_attainment=0.995, utilization_pct=65.6,
                        idle_paid_pct=34.4, mean_capacity=3.0),
        "lambda": dict(monthly_cost_usd=141.09, monthly_cost_usd_ci=nan, latency_p50_ms=700.1, latency_p95_ms=1800.0,
                       latency_p99_ms=2374.9, latency_p99_ms_ci=nan, cold_start_share=0.012, errors=3,
                       error_rate=0.0001, throttles=0, slo_attainment=0.62, utilization_pct=100.0,
                       idle_paid_pct=0.0, mean_capacity=18.2),
    })
    bills = {
        "fargate": pd.DataFrame([
            ("AWS Fargate", "Linux/x86_64 vCPU (api)", 2190, "vCPU-h", 0.04048, 88.65, "3 tasks x 730 h x 1 vCPU"),
            ("AWS Fargate", "Linux/x86_64 memory (api)", 4380, "GB-h", 0.004445, 19.47, "3 tasks x 730 h x 2 GB"),
            ("Elastic Load Balancing", "ALB hours", 730, "h", 0.0225, 16.43, "730 h x $0.0225/h"),
        ], columns=BILL_COLUMNS),
        "lambda": pd.DataFrame([
            ("AWS Lambda", "requests", 103.68, "million", 0.2, 20.74, "103.68 M x $0.20/M"),
            ("AWS Lambda", "duration", 1e6, "GB-s", 0.0000166667, 16.67, "1,000,000 GB-s x $0.0000166667"),
            ("Amazon API Gateway", "HTTP API requests", 103.68, "million", 1.0, 103.68, "103.68 M x $1.00/M"),
        ], columns=BILL_COLUMNS),
    }
    return StandInComparison(results, table, bills)


def _figure(html, figure_id):
    match = re.search(rf'<figure class="plot" id="{figure_id}">(.*?)</figure>', html, re.S)
    assert match, f"no figure {figure_id}"
    return match.group(1)


def test_html_holds_title_table_plots_and_bills(comparison):
    backend, rc = matplotlib.get_backend(), dict(matplotlib.rcParams)
    html = comparison_html(comparison, title="Fargate or Lambda?")
    assert matplotlib.get_backend() == backend and dict(matplotlib.rcParams) == rc

    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Fargate or Lambda?</title>" in html and "http-api" in html
    # How the options were measured: the comparison's own attributes (not its results' summaries).
    assert "10 minutes simulated · 3 replications · SLO 500 ms · fargatelab 9.9.9" in html
    assert html.count("<svg") == len(FIGURE_IDS)
    for figure_id in FIGURE_IDS:
        figure = _figure(html, figure_id)
        assert figure.count("<svg") == 1 and "<figcaption>" in figure
        assert f'id="{figure_id}-series-0"' in figure  # data drawn, not only axes
    for option in comparison.options:
        assert f"<b>{option}</b>" in html  # its bill
        assert f"{option}</th>" in html  # its table row
    # Formatting: dollars with 2 decimals, ms with 1, shares as percentages, CIs as ±, NaN as a dash.
    for text in ("$124.55", "± 1.20", "540.3", "± 12.5", "2,374.9", "99.50%", "1.2%", "0.01%", "—", "18.2"):
        assert text in html, text
    assert "± nan" not in html.lower() and "nan%" not in html.lower()
    assert html.count("<details>") == 2 and "$0.0000166667" in html and "$141.09 / month" in html
    # Self-contained: no scripts, no stylesheets or images from elsewhere.
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    # Four inline SVGs in one document: their ids must not collide.
    duplicates = [i for i, n in Counter(re.findall(r'\bid="([^"]+)"', html)).items() if n > 1]
    assert not duplicates


def test_ec2_instances_are_a_dashed_line():
    scenario = fl.Scenario.default().with_overrides({**TEN_MINUTES, "services.0.platform": "ecs_ec2"})
    table = _table({"ecs_ec2": dict(monthly_cost_usd=156.59, latency_p99_ms=560.0)})
    bill = pd.DataFrame([("Amazon EC2", "m5.large", 1460, "h", 0.096, 140.16, "2 x 730 h")], columns=BILL_COLUMNS)
    html = comparison_html(StandInComparison({"ecs_ec2": fl.run(scenario, seed=5)}, table, {"ecs_ec2": bill}))
    capacity = _figure(html, "capacity-over-time")
    instances = re.search(r'<g id="capacity-over-time-series-1">(.*?)</g>', capacity, re.S)
    assert instances and "stroke-dasharray" in instances.group(1)
    assert "stroke-dasharray" not in re.search(r'<g id="capacity-over-time-series-0">(.*?)</g>', capacity, re.S).group(1)


def test_write_report_is_atomic(comparison, tmp_path, monkeypatch):
    path = write_report(comparison, tmp_path / "report.html")
    assert path == tmp_path / "report.html"
    assert os.listdir(tmp_path) == ["report.html"]  # no temporary file left
    assert path.read_text(encoding="utf-8") == comparison_html(comparison)

    missing = tmp_path / "missing" / "report.html"
    with pytest.raises(FileNotFoundError):
        write_report(comparison, missing)
    assert not missing.parent.exists()

    # A failure while writing leaves neither the report nor a temporary file behind.
    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_report(comparison, tmp_path / "other.html")
    assert os.listdir(tmp_path) == ["report.html"]


# Per figure: its size, and the drawn elements (non-zero size, inside the plot) of its data series.
_MEASURE_PLOTS = """
return Array.from(document.querySelectorAll('figure.plot')).map(figure => {
  const svgs = figure.querySelectorAll('svg'), svg = svgs[0], box = svg.getBoundingClientRect();
  const inside = r => (r.width > 0 || r.height > 0) && r.right >= box.left && r.left <= box.right
                      && r.bottom >= box.top && r.top <= box.bottom;
  const drawn = {};
  let areas = 0;  // elements with both a width and a height (markers, bars)
  for (const series of svg.querySelectorAll('[id^="' + figure.id + '-series-"]'))
    for (const e of [series, ...series.querySelectorAll('*')]) {
      const r = e.getBoundingClientRect();
      if (!e.matches('path, line, use, rect, polyline, polygon, circle') || !inside(r)) continue;
      drawn[e.tagName] = (drawn[e.tagName] || 0) + 1;
      if (r.width > 0 && r.height > 0) areas += 1;
    }
  return {id: figure.id, svgs: svgs.length, width: box.width, height: box.height, drawn: drawn, areas: areas};
});
"""
_OPTION_COLOURS = """
return Object.fromEntries(Array.from(document.querySelectorAll('table.comparison th[scope=row]'))
  .map(th => [th.textContent.trim(), getComputedStyle(th.querySelector('.swatch')).backgroundColor]));
"""


def test_report_renders_in_a_browser(comparison, browser, tmp_path):
    path = write_report(comparison, tmp_path / "report.html")
    browser.get(path.as_uri())
    options = comparison.options
    plots = {plot["id"]: plot for plot in browser.execute_script(_MEASURE_PLOTS)}
    assert sorted(plots) == sorted(FIGURE_IDS)
    least_drawn = {"cost-vs-p99": len(options),  # a marker per option
                   "capacity-over-time": len(options),  # a line per option
                   "p99-over-time": len(options),
                   "bill-by-service": len(options) * 2}  # two or more services per bill
    for figure_id, plot in plots.items():
        assert plot["svgs"] == 1
        assert plot["width"] >= 200 and plot["height"] >= 150, plot
        assert sum(plot["drawn"].values()) >= least_drawn[figure_id], plot
    assert plots["cost-vs-p99"]["drawn"].get("use", 0) == len(options), plots["cost-vs-p99"]
    assert plots["bill-by-service"]["areas"] >= least_drawn["bill-by-service"], plots["bill-by-service"]

    # What is on screen: every plot has ink, and the line plots show each option in the colour
    # of its swatch in the table.
    colours = {option: tuple(int(c) for c in re.findall(r"\d+", rgb))
               for option, rgb in browser.execute_script(_OPTION_COLOURS).items()}
    assert sorted(colours) == sorted(options) and len(set(colours.values())) == len(options)
    for figure_id in FIGURE_IDS:
        svg = browser.find_element("css selector", f"figure#{figure_id} svg")
        pixels = np.asarray(Image.open(io.BytesIO(svg.screenshot_as_png)).convert("RGB")).astype(int)
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 1, f"{figure_id} is blank"
        ink = (pixels.sum(axis=2) < 3 * 230).mean()
        assert ink > 0.01, f"{figure_id}: only {ink:.2%} of its pixels are drawn"
        if figure_id == "bill-by-service":
            continue  # its segments are services; options are only its tick labels
        for option, rgb in colours.items():
            near = (np.abs(pixels - rgb).sum(axis=2) < 40).sum()
            assert near >= 20, f"{figure_id}: {option}'s colour {rgb} is hardly visible ({near} pixels)"


def test_report_of_a_real_comparison(tmp_path):
    """Against fargatelab.compare itself (issue 6): passes once compare() follows the contract."""
    assert hasattr(fl, "compare"), "fargatelab.compare does not exist yet (issue 6)"
    if "options" not in inspect.signature(fl.compare).parameters:
        pytest.fail("fargatelab.compare(scenario, options=...) of issue 6 has not landed yet", pytrace=False)
    scenario = fl.Scenario.default().with_overrides(TEN_MINUTES)
    comparison = fl.compare(scenario, options=("fargate", "lambda"))
    table = comparison.table()
    assert "monthly_cost_usd" in table.columns, "Comparison.table() lacks the contract's columns yet"
    assert list(comparison.options) == ["fargate", "lambda"]
    path = write_report(comparison, tmp_path / "comparison.html")
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") == len(FIGURE_IDS)
    for figure_id in FIGURE_IDS:
        assert _figure(html, figure_id).count("<svg") == 1
    for option in comparison.options:
        assert f"<b>{option}</b>" in html and f"${table.loc[option, 'monthly_cost_usd']:,.2f}" in html
