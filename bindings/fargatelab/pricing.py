"""Calculator mode: price a usage description without simulating.

>>> import fargatelab as fl
>>> bill = fl.price({"fargate": [{"name": "api", "tasks": 2, "vcpu": 0.5, "memory_gb": 1}]})
>>> round(bill.total, 2)
36.04
>>> print(bill.table())  # doctest: +SKIP

The usage format is described in sim/src/pricing/calculator.hpp and shown by the files in
scenarios/examples/pricing/. Prices come from the embedded catalogs in scenarios/data/prices/,
every rate with its source. Amounts are unrounded; only ``table()`` and the HTML view round to
cents.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Mapping, Optional, Union

import pandas as pd

from . import _core

Usage = Union[Mapping[str, Any], str, "os.PathLike[str]"]

_COLUMNS = ["service", "item", "quantity", "unit", "rate_usd", "amount_usd", "arithmetic", "savings_plan_discount"]


class Bill:
    """A priced bill: line items grouped by service, each with its arithmetic.

    total          -- the total in USD, unrounded
    monthly_total  -- the same usage re-priced over a 730-hour month, when the period differs
    items          -- a pandas DataFrame, one row per line item (columns: service, item, quantity,
                      unit, rate_usd, amount_usd, arithmetic, savings_plan_discount)
    notes          -- assumptions and per-function derivations
    data           -- the bill as the CLI's ``price --json`` prints it
    """

    def __init__(self, bill_json: str, table: str) -> None:
        self.data: dict = json.loads(bill_json)
        self._table = table
        self.region: str = self.data["region"]
        self.title: str = self.data["title"]
        self.period_hours: Optional[float] = self.data["period_hours"]
        self.total: float = self.data["total_usd"]
        self.monthly_total: Optional[float] = self.data["monthly_total_usd"]
        self.notes: list[str] = list(self.data["notes"])
        self.items: pd.DataFrame = pd.DataFrame(self.data["items"], columns=_COLUMNS)

    def by_service(self) -> pd.Series:
        """Total per service, in the order services appear on the bill."""
        return pd.Series({s["service"]: s["total_usd"] for s in self.data["services"]}, name="total_usd", dtype=float)

    def table(self) -> str:
        """The bill as text, grouped by service, with every line's arithmetic (as the CLI prints it)."""
        return self._table

    def __str__(self) -> str:
        return self._table

    def __repr__(self) -> str:
        return f"Bill({self.title or 'usage'!r}, {self.region}: {len(self.items)} line items, total ${self.total:,.2f})"

    def _repr_html_(self) -> str:
        rows = []
        for s in self.data["services"]:
            rows.append(f"<tr><th colspan='3' style='text-align:left'>{html.escape(s['service'])}</th>"
                        f"<th style='text-align:right'>${s['total_usd']:,.2f}</th></tr>")
            for i in s["items"]:
                rows.append(f"<tr><td style='padding-left:1.5em'>{html.escape(i['item'])}</td>"
                            f"<td style='text-align:left'><code>{html.escape(i['arithmetic'])}</code></td><td></td>"
                            f"<td style='text-align:right'>${i['amount_usd']:,.2f}</td></tr>")
        rows.append(f"<tr><th colspan='3' style='text-align:left'>Total</th>"
                    f"<th style='text-align:right'>${self.total:,.2f}</th></tr>")
        if self.monthly_total is not None:
            rows.append(f"<tr><td colspan='3'>Monthly view ({_core.MONTH_HOURS:g} h, re-priced)</td>"
                        f"<td style='text-align:right'>${self.monthly_total:,.2f}</td></tr>")
        caption = html.escape(f"{self.title} — {self.region}" if self.title else self.region)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<table><caption>{caption}</caption>{''.join(rows)}</table>"
                + (f"<ul style='font-size:smaller'>{notes}</ul>" if notes else ""))


def price(usage: Usage, region: Optional[str] = None, free_tier: bool = False) -> Bill:
    """Prices a usage description (a dict, or the path of a usage JSON file).

    region     -- the price catalog; default: the usage's "region", else "us-east-1"
    free_tier  -- True applies the perpetual free tiers (Lambda, CloudWatch) even if the usage
                  does not ask for them
    Raises fargatelab.ScenarioError listing every invalid field with its JSON pointer.
    """
    if isinstance(usage, Mapping):
        text, source = json.dumps(usage), "<dict>"
    else:
        path = os.fspath(usage)
        with open(path, encoding="utf-8") as f:
            text, source = f.read(), path
    bill_json, table = _core.price_usage(text, region, free_tier, source)
    return Bill(bill_json, table)


def regions() -> list[str]:
    """Regions with an embedded price catalog."""
    return list(_core.price_regions())
