"""The compiled module fargatelab._core: its stub is complete, and the constants the package
shares with C++ come from it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import fargatelab as fl
from fargatelab import _core

HERE = Path(__file__).resolve().parent
STUB = HERE.parents[1] / "bindings" / "fargatelab" / "_core.pyi"


def stubtest(tmp_path: Path, stub_text: str) -> subprocess.CompletedProcess:
    """mypy's stubtest of the installed fargatelab._core against `stub_text` (laid out as a
    stub-only package first on MYPYPATH, so the repository's stub is the one checked)."""
    stubs = tmp_path / "stubs" / "fargatelab"
    stubs.mkdir(parents=True)
    (stubs / "__init__.pyi").write_text("")
    (stubs / "_core.pyi").write_text(stub_text)
    env = dict(os.environ, MYPYPATH=str(tmp_path / "stubs"))
    return subprocess.run([sys.executable, "-m", "mypy.stubtest", "fargatelab._core", "--allowlist",
                           str(HERE / "core_stubtest_allowlist.txt")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)


def test_the_stub_lists_exactly_what_the_compiled_module_exports(tmp_path):
    r = stubtest(tmp_path, STUB.read_text())
    assert r.returncode == 0, r.stdout + r.stderr


def test_stubtest_catches_a_name_missing_from_the_stub_and_one_the_module_lacks(tmp_path):
    # The check above proves something only if stubtest sees both directions: drop a function the
    # package calls from the stub and add one the module does not have.
    text = STUB.read_text()
    assert "def comparison_row(" in text
    broken = "\n".join(line for line in text.splitlines() if not line.startswith("def comparison_row("))
    broken += "\ndef not_exported() -> None: ...\n"
    r = stubtest(tmp_path, broken)
    assert r.returncode == 1
    assert "fargatelab._core.comparison_row is not present in stub" in r.stdout
    assert "fargatelab._core.not_exported is not present at runtime" in r.stdout


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
