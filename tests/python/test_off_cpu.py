"""Off-CPU time is wall time: Lambda bills it as duration (hand arithmetic on the monthly bill)."""

import fargatelab as fl
import pytest


def lambda_bill(off_cpu):
    request = {"cpu_time": "constant(value=0.01)", "timeout": "30s"}
    if off_cpu:
        request["off_cpu_time"] = off_cpu
    scenario = fl.Scenario.from_dict({
        "schema_version": 1, "name": "io", "duration": "10m",
        "services": [{"name": "fn", "platform": "lambda", "lambda": {"memory": 1024}}],
        "workloads": [{"name": "w", "target": "fn", "arrival": "deterministic(rate=1)", "request": request}]})
    bill = fl.compare(scenario, options=["lambda"]).bill("lambda")
    return bill[bill["item"].str.startswith("Duration")].iloc[0]


def test_lambda_bills_the_off_cpu_wait_as_duration():
    # The same invocations, one a second, each waiting 200 ms more: the 599 that end within the 10
    # minutes (the 600th arrives at the end) x 0.2 s x 1 GB = 119.8 GB-s more, x 730 h / (1/6 h) =
    # 4380 in the month: 524,724 GB-s.
    cpu_only, waiting = lambda_bill(None), lambda_bill("constant(value=0.2)")
    assert waiting.quantity - cpu_only.quantity == pytest.approx(599 * 0.2 * 1.0 * 4380, rel=1e-9)
