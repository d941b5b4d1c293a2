"""Off-CPU time is wall time: Lambda bills it as duration and App Runner as active time
(hand arithmetic on the monthly bill)."""

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


def app_runner_active_vcpu(off_cpu):
    request = {"cpu_time": "constant(value=0.01)", "timeout": "300s"}
    if off_cpu:
        request["off_cpu_time"] = off_cpu
    scenario = fl.Scenario.from_dict({
        "schema_version": 1, "name": "io", "duration": "1h",
        "services": [{"name": "web", "platform": "app_runner"}],
        "workloads": [{"name": "w", "target": "web", "arrival": f"deterministic(rate={1 / 300!r})", "request": request}]})
    bill = fl.compare(scenario, options=["app_runner"]).bill("app_runner")
    return bill[bill["item"].str.startswith("Active vCPU")].iloc[0]


def test_app_runner_bills_the_off_cpu_wait_as_active_time():
    # One request every 5 minutes (at 300, 600, ..., 3600 s: 12, the last at the very end) on one
    # 0.25 vCPU instance: 0.01 CPU s = 0.04 s of wall time. Each request makes the instance active,
    # billed at least 1 minute: 12 x 60 s = 720 s. Waiting 90 s off-CPU keeps it active: 11 x
    # 90.04 s + 0 s (the last) = 990.44 s, 82.537 s per activation rounded up to 83 s: 996 s. At
    # 0.25 vCPU, x 730 h in a month per simulated hour:
    cpu_only, waiting = app_runner_active_vcpu(None), app_runner_active_vcpu("constant(value=90)")
    assert cpu_only.quantity == pytest.approx(720 * 0.25 / 3600 * 730, rel=1e-9)
    assert waiting.quantity == pytest.approx(996 * 0.25 / 3600 * 730, rel=1e-9)
