"""The HTML report of a platform comparison: one self-contained file.

>>> import fargatelab as fl
>>> from fargatelab.report import write_report
>>> comparison = fl.compare(fl.Scenario.default(), options=("fargate", "lambda"))  # doctest: +SKIP
>>> write_report(comparison, "comparison.html")  # doctest: +SKIP

The report shows one scenario run on several options (fargate, lambda, ecs_ec2, ...):

- a title, the scenario name, the simulated duration, replications and the latency SLO;
- the comparison table, one row per option: monthly cost (± the 95% confidence half-width),
  p50/p95/p99 latency (p99 ± CI), cold-start share, errors, error rate, throttles, share of
  requests under the SLO, utilization, idle paid capacity and mean capacity;
- four plots, each a ``<figure class="plot">`` holding an inline SVG drawn by matplotlib:
  ``cost-vs-p99`` (monthly cost against p99 latency, one labelled point per option, CI error
  bars), ``capacity-over-time`` (running tasks, or Lambda execution environments, summed over
  services and averaged over replications; EC2 container instances dashed),
  ``p99-over-time`` (the worst service's p99 per interval, averaged over replications) and
  ``bill-by-service`` (the monthly bill per option, stacked by AWS service);
- the itemised monthly bill of each option, every line with its arithmetic, in ``<details>``.

The comparison is what fargatelab.compare() returns: ``options``, ``results`` (option -> Result:
``timeseries`` and ``capacity`` for the plots over time), ``table()`` (the typed rows: one row per
option, columns such as ``monthly_cost_usd`` and ``monthly_cost_usd_ci``), ``bill(option)``,
``scenario_name``, ``slo_ms``, ``duration_s``, ``replications`` and ``fargatelab_version``.

Each option keeps one colour in every plot. The file needs nothing else: no scripts, no
external stylesheets or fonts (plot text is drawn as SVG paths), no network. The CSS is scoped
to ``.fl-report``, so ``comparison_html()`` can be displayed inside a notebook. The drawn data
series in each plot carry the ids ``<figure id>-series-<n>``.
"""

from __future__ import annotations

import html
import io
import math
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Union

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import _core

__all__ = ["comparison_html", "write_report"]

# Okabe-Ito colours (colour-blind safe), one per option of _core.COMPARE_OPTIONS in its order
# (fargate, fargate_spot, ecs_ec2, ecs_ec2_spot, lambda, app_runner): a Spot option is the
# lighter shade of its on-demand one.
# (An option without a colour here would take a spare one; tests/python/test_core_module.py checks there is none.)
_OPTION_COLOURS = dict(zip(_core.COMPARE_OPTIONS, ["#0072B2", "#56B4E9", "#D55E00", "#E69F00", "#009E73", "#CC79A7"]))
_SPARE_COLOURS = ["#7F3C8D", "#3B3B3B", "#A0522D", "#B8A000", "#2F4B7C", "#E73F74"]
# Bill segments are AWS services, not options: a muted palette of their own.
_SERVICE_COLOURS = ["#52667F", "#93A8C0", "#C9A66B", "#8C6D8C", "#7FA38A", "#C47F6B", "#B5B5B5"]

_PLOT_STYLE = {
    "svg.fonttype": "path",  # glyphs as paths: the SVG needs no font
    "svg.hashsalt": "fargatelab-report",  # deterministic ids, so the same input gives the same file
    "text.parse_math": False,  # "$" in labels is a dollar sign
    "font.family": "DejaVu Sans", "font.size": 9,
    "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#9ca3af",
    "axes.grid": True, "axes.axisbelow": True, "grid.color": "#e5e7eb", "grid.linewidth": 0.8,
    "axes.labelcolor": "#374151", "xtick.color": "#4b5563", "ytick.color": "#4b5563",
    "legend.frameon": False,
}

# The comparison table: header, table column, value format, CI column, tooltip.
_TABLE_COLUMNS = [
    ("Monthly cost", "monthly_cost_usd", "${:,.2f}", "monthly_cost_usd_ci", f"USD per {_core.MONTH_HOURS:g}-hour month"),
    ("p50 (ms)", "latency_p50_ms", "{:,.1f}", None, "median latency"),
    ("p95 (ms)", "latency_p95_ms", "{:,.1f}", None, "95th percentile latency"),
    ("p99 (ms)", "latency_p99_ms", "{:,.1f}", "latency_p99_ms_ci", "99th percentile latency"),
    ("Cold starts", "cold_start_share", "{:.1%}", None, "share of requests that met a cold start"),
    ("Errors", "errors", "{:,.0f}", None, "failed requests"),
    ("Error rate", "error_rate", "{:.2%}", None, "failed requests / requests"),
    ("Throttles", "throttles", "{:,.0f}", None, "requests throttled"),
    ("Under SLO", "slo_attainment", "{:.2%}", None, "share of requests faster than the SLO"),
    ("Utilization", "utilization_pct", "{:.1f}%", None, "CPU utilization of paid capacity"),
    ("Idle paid", "idle_paid_pct", "{:.1f}%", None, "share of paid capacity left idle"),
    ("Mean capacity", "mean_capacity", "{:,.1f}", None, "mean tasks, environments or instances"),
]
# Columns whose best value is highlighted, and whether best is the smallest.
_BEST_IS_SMALLEST = {"monthly_cost_usd": True, "latency_p99_ms": True, "slo_attainment": False}


def comparison_html(comparison: Any, title: Optional[str] = None) -> str:
    """The report (see the module docstring) as one HTML document."""
    options = list(comparison.options)
    table = comparison.table()
    bills = {option: comparison.bill(option) for option in options}
    colours = _option_colours(options)
    title = title or f"Platform comparison: {comparison.scenario_name}"
    slo_ms = float(comparison.slo_ms)
    figures = [  # id, heading, caption, drawing, size in inches
        ("cost-vs-p99", "Monthly cost vs p99 latency",
         "One point per option; error bars are 95% confidence half-widths across replications.",
         lambda ax: _draw_cost_vs_p99(ax, table, options, colours, slo_ms), (6.4, 3.8)),
        ("capacity-over-time", "Capacity over time",
         "Running tasks (Lambda: execution environments), summed over services and averaged over "
         "replications; dashed: EC2 container instances.",
         lambda ax: _draw_capacity(ax, comparison.results, options, colours), (6.4, 3.8)),
        ("p99-over-time", "p99 latency over time",
         "Per metrics interval, the worst service's p99, averaged over replications.",
         lambda ax: _draw_p99(ax, comparison.results, options, colours, slo_ms), (6.4, 3.8)),
        ("bill-by-service", "Monthly bill by service",
         "Monthly cost of each option, stacked by AWS service; the itemised bills are below.",
         lambda ax: _draw_bills(ax, bills, options, colours), (6.4, max(2.6, 1.6 + 0.5 * len(options)))),
    ]
    plots = "\n".join(_figure_html(*spec) for spec in figures)
    bills_html = "\n".join(_bill_html(option, bills[option], colours[option]) for option in options)
    body = _COMPARISON_BODY.format(table=_table_html(table, options, colours, slo_ms), plots=plots, bills=bills_html)
    return page_html(title, _meta_html(comparison, options, slo_ms), body)


def write_report(comparison: Any, path: Union[str, os.PathLike], title: Optional[str] = None) -> Path:
    """Writes the report to path atomically (a temporary file, then a rename): a failure leaves
    no partial file. Returns the path."""
    return write_atomically(path, lambda: comparison_html(comparison, title))


def write_atomically(path: Union[str, os.PathLike], render: Callable[[], str]) -> Path:
    """Writes render()'s text to path through a temporary file in the same directory and a
    rename: when render() or the write fails, no file (and no temporary) is left. Returns the path."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(render())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is for reading
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def page_html(title: str, meta: str, body: str) -> str:
    """A report page: the title, a line of facts (HTML) and the body (HTML), in the report style."""
    return _PAGE.format(title=_e(title), css=_CSS, meta=meta, body=body)


# --- plots -------------------------------------------------------------------------------------

def _option_colours(options: list) -> dict:
    spare = iter(c for c in _SPARE_COLOURS if c not in _OPTION_COLOURS.values())
    return {o: _OPTION_COLOURS.get(o) or next(spare, "#777777") for o in options}


def _figure_html(figure_id: str, heading: str, caption: str, draw: Callable[[Any], None],
                 size: tuple, rows: int = 1, heights: Optional[list] = None) -> str:
    """One ``<figure class="plot">`` with an inline SVG: draw gets the axes (a list of `rows`
    stacked axes sharing x, of relative `heights`, when rows > 1)."""
    with matplotlib.rc_context(_PLOT_STYLE):
        fig = Figure(figsize=size, layout="constrained")
        fig.suptitle(heading, x=0.01, ha="left", fontsize=11, fontweight="bold", color="#111827")
        if rows == 1:
            draw(fig.add_subplot())
        else:
            draw(list(fig.subplots(rows, 1, sharex=True, height_ratios=heights)))
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prolog and doctype
    # Several SVGs share one HTML document: prefix their ids and the references to them.
    svg = re.sub(r'(\bid="|href="#|url\(#)', rf"\g<1>{figure_id}-", svg)
    return (f'<figure class="plot" id="{figure_id}">\n{svg}\n'
            f"<figcaption>{_e(caption)}</figcaption>\n</figure>")


def _per_interval(frame: pd.DataFrame, column: str, across: str) -> pd.Series:
    """column aggregated (across: "sum" or "max") per replication and interval, then averaged
    over replications; indexed by minutes."""
    per_replication = frame.groupby(["replication", "time_s"])[column].agg(across)
    series = per_replication.groupby(level="time_s").mean()
    series.index = series.index / 60.0
    return series


def _line(ax: Axes, series: pd.Series, colour: str, label: str, n: int, **style) -> None:
    marker = "o" if len(series) <= 30 else None
    # Later lines are thinner, so that an earlier one they overlap still shows around them.
    (line,) = ax.plot(series.index, series.to_numpy(), color=colour, label=label,
                      linewidth=max(1.2, 3.6 - 0.6 * n), marker=marker, markersize=3, **style)
    line.set_gid(f"series-{n}")


def _log_if_wide(ax: Axes, values: list) -> None:
    """A log y axis when positive values span more than a factor of 20, labelled 1, 2, 5, 10, ..."""
    positive = [v for v in values if v > 0 and math.isfinite(v)]
    if positive and max(positive) > 20 * min(positive):
        ax.set_yscale("log")
        label = FuncFormatter(lambda v, _: f"{v:,.6g}" if round(v / 10 ** math.floor(math.log10(v)), 6)
                              in (1, 2, 5) else "")
        ax.yaxis.set_major_formatter(label)
        ax.yaxis.set_minor_formatter(label)


def _legend_above(ax: Axes) -> None:
    labels = ax.get_legend_handles_labels()[1]
    if not labels:
        return
    # About 75 characters of 8-point text, with the legend's handles, fit across the plot.
    columns = max(1, min(len(labels), 75 // (max(map(len, labels)) + 6)))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=columns, fontsize=8,
              handlelength=1.8, borderaxespad=0.2)


def _draw_cost_vs_p99(ax: Axes, table: pd.DataFrame, options: list, colours: dict, slo_ms: float) -> None:
    latencies = [slo_ms]
    for n, option in enumerate(options):
        row = table.loc[option]
        cost, p99 = _finite(row.get("monthly_cost_usd")), _finite(row.get("latency_p99_ms"))
        if cost is None or p99 is None:
            continue
        drawn = ax.errorbar(cost, p99, xerr=_finite(row.get("monthly_cost_usd_ci")),
                            yerr=_finite(row.get("latency_p99_ms_ci")), fmt="o", markersize=9,
                            color=colours[option], markeredgecolor="white", markeredgewidth=1.2,
                            elinewidth=1.2, capsize=3, zorder=3)
        drawn.lines[0].set_gid(f"series-{n}")
        ax.annotate(option, (cost, p99), xytext=(8, 6), textcoords="offset points",
                    color=colours[option], fontweight="bold")
        latencies.append(p99)
    ax.axhline(slo_ms, color="#6b7280", linestyle=":", linewidth=1.2)
    ax.annotate(f"SLO {slo_ms:,.0f} ms", (0, slo_ms), xycoords=("axes fraction", "data"),
                xytext=(4, 3), textcoords="offset points", color="#6b7280", fontsize=8)
    _log_if_wide(ax, latencies)
    ax.margins(x=0.25, y=0.2)
    ax.xaxis.set_major_formatter(FuncFormatter(_dollars))
    ax.set_xlabel("monthly cost (USD)")
    ax.set_ylabel("p99 latency (ms)")


def _draw_capacity(ax: Axes, results: dict, options: list, colours: dict) -> None:
    n = 0
    for option in options:
        result = results[option]
        _line(ax, _per_interval(result.timeseries, "tasks_running", "sum"), colours[option], option, n)
        n += 1
        capacity = result.capacity
        hosts = capacity[capacity["kind"] == "capacity_provider"]
        if len(hosts):
            _line(ax, _per_interval(hosts, "hosts_in_use", "sum"), colours[option],
                  f"{option}: EC2 instances", n, linestyle="--")
            n += 1
    ax.set_ylim(bottom=0)
    ax.margins(y=0.15)
    ax.set_xlabel("time (minutes)")
    ax.set_ylabel("tasks / environments")
    _legend_above(ax)


def _draw_p99(ax: Axes, results: dict, options: list, colours: dict, slo_ms: float) -> None:
    latencies = [slo_ms]
    for n, option in enumerate(options):
        series = _per_interval(results[option].timeseries, "latency_p99_ms", "max")
        _line(ax, series, colours[option], option, n)
        latencies += series.dropna().tolist()
    ax.axhline(slo_ms, color="#6b7280", linestyle=":", linewidth=1.2, label=f"SLO {slo_ms:,.0f} ms")
    _log_if_wide(ax, latencies)
    ax.set_xlabel("time (minutes)")
    ax.set_ylabel("p99 latency (ms)")
    _legend_above(ax)


def _draw_bills(ax: Axes, bills: dict, options: list, colours: dict) -> None:
    # Rows: options; columns: AWS services, the most expensive first.
    amounts = pd.DataFrame({o: bills[o].groupby("service", sort=False)["amount_usd"].sum() for o in options})
    amounts = amounts.T.reindex(options).fillna(0.0)
    amounts = amounts[amounts.sum().sort_values(ascending=False).index]
    rows = np.arange(len(options))
    left = np.zeros(len(options))
    n = 0
    for k, service in enumerate(amounts.columns):
        widths = amounts[service].to_numpy()
        billed = widths > 0
        bars = ax.barh(rows[billed], widths[billed], left=left[billed], height=0.6, label=service,
                       color=_SERVICE_COLOURS[k % len(_SERVICE_COLOURS)], edgecolor="white", linewidth=0.8)
        for bar in bars:
            bar.set_gid(f"series-{n}")
            n += 1
        left += widths
    for row, total in zip(rows, left):
        ax.annotate(_dollars(total), (total, row), xytext=(4, 0), textcoords="offset points",
                    va="center", color="#111827")
    ax.set_yticks(rows, options)
    for label, option in zip(ax.get_yticklabels(), options):
        label.set_color(colours[option])
        label.set_fontweight("bold")
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.margins(x=0.15)
    ax.xaxis.set_major_formatter(FuncFormatter(_dollars))
    ax.set_xlabel("monthly cost (USD)")
    _legend_above(ax)


# --- tables and page -----------------------------------------------------------------------------

def _meta_html(comparison: Any, options: list, slo_ms: float) -> str:
    facts = [f"Scenario <b>{_e(comparison.scenario_name)}</b>"]
    duration_s = _finite(comparison.duration_s)
    if duration_s:
        facts.append(f"{duration_s / 60:,.0f} minutes simulated")
    if comparison.replications:
        count = comparison.replications
        facts.append(f"{count} replication{'s' if count != 1 else ''}")
    facts.append(f"SLO {slo_ms:,.0f} ms")
    if comparison.fargatelab_version:
        facts.append(f"fargatelab {_e(comparison.fargatelab_version)}")
    table = comparison.table()
    scaled = [o for o in options if o in table.index and table.loc[o].get("scaled_services", 0) > 0]
    facts.append(f"auto scaled: {_e(', '.join(scaled))} (Application Auto Scaling policies; compare's default: "
                 f"target tracking on CPU at 60 %)" if scaled else "ECS capacity: the scenario's desired counts")
    return " · ".join(facts)


def _table_html(table: pd.DataFrame, options: list, colours: dict, slo_ms: float,
                columns: Optional[list] = None, best_is_smallest: Optional[dict] = None,
                first_header: str = "Option") -> str:
    """The table of rows `options` of `table`: `columns` as _TABLE_COLUMNS (header, column, format,
    CI column, tooltip), the best of each column of `best_is_smallest` highlighted."""
    columns = [c for c in (columns or _TABLE_COLUMNS) if c[1] in table.columns]
    best = {}
    for column, smallest in (best_is_smallest or _BEST_IS_SMALLEST).items():
        values = table.reindex(options)[column].dropna() if column in table.columns else pd.Series(dtype=float)
        if len(values) > 1 and values.nunique() > 1:
            best[column] = values.idxmin() if smallest else values.idxmax()
    slo = f"{slo_ms:,.0f} ms"
    head = "".join(f'<th title="{_e(tip.replace("the SLO", slo))}">{_e(header.replace("SLO", slo))}</th>'
                   for header, _, _, _, tip in columns)
    body = []
    for option in options:
        row = table.loc[option]
        cells = [f'<th scope="row">{_swatch(colours[option])}{_e(option)}</th>']
        for _, column, fmt, ci_column, _ in columns:
            text = _format(fmt, row.get(column))
            ci = _finite(row.get(ci_column)) if ci_column else None
            if ci is not None:
                text += f' <span class="ci">± {_format(fmt.replace("$", ""), ci)}</span>'
            mark = ' class="best"' if best.get(column) == option else ""
            cells.append(f"<td{mark}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (f'<table class="comparison"><thead><tr><th>{_e(first_header)}</th>{head}</tr></thead>\n'
            f"<tbody>\n{chr(10).join(body)}\n</tbody></table>")


def _bill_html(option: str, bill: pd.DataFrame, colour: str) -> str:
    total = float(bill["amount_usd"].sum())
    rows = "\n".join(
        f"<tr><td>{_e(item.service)}</td><td>{_e(item.item)}</td><td>{_quantity(item.quantity)}</td>"
        f"<td>{_e(item.unit)}</td><td>{_rate(item.rate_usd)}</td><td>{_dollars(item.amount_usd)}</td>"
        f'<td class="arithmetic">{_e(item.arithmetic)}</td></tr>'
        for item in bill.itertuples(index=False))
    return (f"<details><summary>{_swatch(colour)}<b>{_e(option)}</b>"
            f'<span class="amount">{_dollars(total)} / month</span></summary>\n'
            '<table class="bill"><thead><tr><th>Service</th><th>Item</th><th>Quantity</th><th>Unit</th>'
            "<th>Rate (USD)</th><th>Amount</th><th>Arithmetic</th></tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n"
            f'<tfoot><tr><td colspan="5">Total</td><td>{_dollars(total)}</td><td></td></tr></tfoot>'
            "</table></details>")


def _e(value: Any) -> str:
    return html.escape(str(value))


def _swatch(colour: str) -> str:
    return f'<span class="swatch" style="background:{colour}"></span>'


def _finite(value: Any) -> Optional[float]:
    """value as a float, or None when missing or not finite."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _format(fmt: str, value: Any) -> str:
    number = _finite(value)
    return "—" if number is None else _e(fmt.format(number))


def _dollars(value: float, _position: Any = None) -> str:
    return f"${value:,.2f}" if abs(value) < 1000 else f"${value:,.0f}"


def _quantity(value: Any) -> str:
    number = _finite(value)
    return "—" if number is None else f"{number:,.4f}".rstrip("0").rstrip(".")


def _rate(value: Any) -> str:
    number = _finite(value)
    return "—" if number is None else "$" + np.format_float_positional(number, trim="-")


_CSS = """
body { margin: 0; background: #f3f4f6; }
.fl-report { --ink: #111827; --muted: #6b7280; --line: #e5e7eb;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); line-height: 1.45; max-width: 1240px; margin: 0 auto; padding: 28px 24px 48px; }
.fl-report h1 { font-size: 1.6rem; margin: 0 0 4px; letter-spacing: -0.01em; }
.fl-report h2 { font-size: 1.1rem; margin: 32px 0 12px; }
.fl-report .meta { color: var(--muted); margin: 0 0 20px; }
.fl-report .meta b { color: var(--ink); }
.fl-report .card { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.04); }
.fl-report .scroll { overflow-x: auto; }
.fl-report table { border-collapse: collapse; font-variant-numeric: tabular-nums; width: 100%; }
.fl-report th, .fl-report td { padding: 6px 8px; border-bottom: 1px solid var(--line);
  text-align: right; white-space: nowrap; }
.fl-report table.comparison { font-size: .92rem; }
.fl-report thead th { color: var(--muted); font-weight: 600; font-size: .8rem; white-space: normal;
  vertical-align: bottom; }
.fl-report th[scope=row], .fl-report thead th:first-child, .fl-report table.bill td:nth-child(-n+2), .fl-report table.bill th:nth-child(-n+2),
.fl-report table.bill td.arithmetic, .fl-report table.bill th:last-child { text-align: left; }
.fl-report tbody tr:hover { background: #f9fafb; }
.fl-report td.best { font-weight: 700; background: #ecfdf5; }
.fl-report .ci { color: var(--muted); font-size: .85em; }
.fl-report .swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-right: .45em; vertical-align: -0.05em; }
.fl-report .plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 16px; }
.fl-report figure.plot { margin: 0; }
.fl-report figure.plot svg { display: block; width: 100%; height: auto; }
.fl-report figcaption { color: var(--muted); font-size: .85rem; margin-top: 6px; }
.fl-report details { margin: 0 0 10px; }
.fl-report summary { cursor: pointer; padding: 4px 0; }
.fl-report summary .amount { color: var(--muted); margin-left: .8em; }
.fl-report table.bill { margin-top: 8px; font-size: .85rem; }
.fl-report table.bill td.arithmetic { color: var(--muted); white-space: normal; min-width: 24em; }
.fl-report table.bill tfoot td { font-weight: 700; border-bottom: none; }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<div class="fl-report">
<h1>{title}</h1>
<p class="meta">{meta}</p>
{body}</div>
</body>
</html>
"""

_COMPARISON_BODY = """<section class="card scroll">
{table}
</section>
<h2>Plots</h2>
<section class="plots">
{plots}
</section>
<h2>Monthly bills</h2>
<section class="card">
{bills}
</section>
"""


def report_command(argv: Optional[list], module: str, what: str, load: Callable[[str], Any],
                   write: Callable[[Any, str], Any]) -> int:
    """`python -m <module> DIR OUT.html`: write(load(DIR), OUT.html); 2 on a usage error."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write(f"usage: python -m {module} {what} OUT.html\n")
        return 2
    write(load(args[0]), args[1])
    return 0


def main(argv: Optional[list] = None) -> int:
    """`python -m fargatelab.report DIR OUT.html`: the report of what `fargatelab compare --out DIR` wrote."""
    from .result import load_comparison

    return report_command(argv, "fargatelab.report", "COMPARISON_DIR", load_comparison, write_report)


if __name__ == "__main__":
    raise SystemExit(main())
