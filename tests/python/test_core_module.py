"""The compiled module fargatelab._core: the constants the package shares with C++ come from it."""

import pytest

import fargatelab as fl
from fargatelab import _core


def test_compare_options_are_the_cores():
    # Defined once, in C++ (fargatelab/constants.hpp): the package's default options, the
    # described options and the report's colours all follow the exported tuple.
    assert isinstance(_core.COMPARE_OPTIONS, tuple) and len(_core.COMPARE_OPTIONS) == 6
    assert fl.result.OPTIONS == _core.COMPARE_OPTIONS
    assert tuple(fl.compare_options().index) == _core.COMPARE_OPTIONS
    from fargatelab.report import _OPTION_COLOURS, _option_colours

    colours = _option_colours(list(_core.COMPARE_OPTIONS))
    assert colours == _OPTION_COLOURS and len(set(colours.values())) == 6


def test_an_unknown_option_names_the_cores_options():
    with pytest.raises(fl.ScenarioError, match="options: " + ", ".join(_core.COMPARE_OPTIONS)):
        fl.compare(fl.Scenario.default({"duration": "1m"}), options=["fargate_graviton"])


def test_the_month_is_730_hours_and_bills_scale_to_it():
    # 365 days x 24 h / 12 = 730 h, AWS's pricing month (fargatelab/constants.hpp).
    assert _core.MONTH_HOURS == 365 * 24 / 12 == 730.0
    # 10 minutes of 3 Fargate tasks (1 vCPU, 2 GB) scale by 730 h / (1/6 h) = 4380 to the month:
    # the comparison's monthly bill is the simulated one times 4380.
    cmp = fl.compare(fl.Scenario.default({"duration": "10m"}), options=["fargate"])
    simulated = cmp.results["fargate"].summary["per_replication"][0]["bill"]
    assert simulated["period_hours"] == pytest.approx(1 / 6)
    monthly = cmp.bill("fargate")
    assert monthly.amount_usd.sum() == pytest.approx(4380 * sum(i["amount_usd"] for i in simulated["items"]))
