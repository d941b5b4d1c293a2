"""Calculator mode from Python and the CLI: hand-computed bills, errors with JSON pointers."""

import json
import subprocess
from pathlib import Path

import pytest

import fargatelab as fl

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "scenarios/examples/pricing").glob("*.json"))


def test_price_a_dict_by_hand():
    bill = fl.price({"fargate": [{"name": "api", "tasks": 2, "vcpu": 0.5, "memory_gb": 1}],
                     "nat_gateways": [{"name": "egress", "gb_processed": 500}]})
    # 730 vCPU-h x $0.04048 + 1,460 GB-h x $0.004445 + 730 h x $0.045 + 500 GB x $0.045
    assert bill.total == pytest.approx(29.5504 + 6.4897 + 32.85 + 22.50)
    assert bill.region == "us-east-1"
    assert bill.period_hours == pytest.approx(730)
    assert bill.monthly_total is None
    assert list(bill.items.columns) == ["service", "item", "quantity", "unit", "rate_usd", "amount_usd", "arithmetic",
                                        "savings_plan_discount"]
    vcpu = bill.items[bill.items["item"] == "Linux/x86_64 vCPU (api)"].iloc[0]
    assert vcpu["quantity"] == pytest.approx(730)
    assert vcpu["arithmetic"].endswith("= $29.55")
    assert bill.by_service()["Amazon VPC"] == pytest.approx(55.35)
    assert "Total" in bill.table() and "$91.39" in bill.table()
    assert "<table>" in bill._repr_html_()


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_prices(path):
    bill = fl.price(path)
    assert bill.total > 0
    assert (bill.items["arithmetic"].str.len() > 0).all()
    assert bill.total == pytest.approx(bill.items["amount_usd"].sum())


def test_free_tier_on_and_off():
    usage = {"lambda": [{"memory_mb": 512, "invocations": 3_000_000, "duration_ms": 120}]}
    # Off: 3 M requests x $0.20/1M + 180,000 GB-s x $0.0000166667.
    assert fl.price(usage).total == pytest.approx(0.60 + 3.000006)
    # On: (3 M - 1 M free) requests; 180,000 GB-s within the 400,000 free.
    assert fl.price(usage, free_tier=True).total == pytest.approx(0.40)


def test_other_region_and_unknown_region():
    bill = fl.price({"fargate": [{"vcpu": 1, "memory_gb": 2}]}, region="ap-northeast-1")
    assert bill.total == pytest.approx(730 * (0.05056 + 2 * 0.005536))
    with pytest.raises(fl.ScenarioError) as e:
        fl.price({}, region="mars-1")
    assert "us-east-1" in str(e.value)


def test_invalid_usage_lists_every_error_with_its_pointer():
    with pytest.raises(fl.ScenarioError) as e:
        fl.price({"fargate": [{"vcpu": "big"}], "lambda": [{"memory_mb": 64, "invocations": 1, "duration_ms": 1}],
                  "ec2": [{"count": 1}]})
    pointers = [p for p, _ in e.value.errors]
    assert pointers == ["/fargate/0/vcpu", "/fargate/0/memory_gb", "/lambda/0/memory_mb", "/ec2/0/instance_type"]


def run_cli(cli, *args):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=120)


def test_cli_prices_an_example_with_its_arithmetic(cli):
    r = run_cli(cli, "price", str(ROOT / "scenarios/examples/pricing/fargate.json"))
    assert r.returncode == 0, r.stderr
    assert "AWS Fargate" in r.stdout and "x $0.04048/vCPU-h = $29.55" in r.stdout
    j = run_cli(cli, "price", str(ROOT / "scenarios/examples/pricing/fargate.json"), "--json")
    assert j.returncode == 0
    data = json.loads(j.stdout)
    assert data["total_usd"] == pytest.approx(fl.price(ROOT / "scenarios/examples/pricing/fargate.json").total)


def test_cli_exits_2_listing_every_error_of_a_bad_usage_file(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"fargate": [{"vcpu": -1, "memory_gb": 2, "os": "macos"}],
                               "nat_gateways": [{"gb_processed": "lots"}], "frobnicate": 1}))
    r = run_cli(cli, "price", str(bad))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = [line.strip() for line in r.stderr.splitlines() if line.startswith("  /")]
    assert len(lines) == 4, r.stderr
    assert any(line.startswith("/fargate/0/vcpu:") for line in lines)
    assert any(line.startswith("/fargate/0/os:") for line in lines)
    assert any(line.startswith("/nat_gateways/0/gb_processed:") for line in lines)
    assert any(line.startswith("/frobnicate:") for line in lines)
    assert run_cli(cli, "price").returncode == 2
    assert run_cli(cli, "price", str(bad), "--bogus").returncode == 2
