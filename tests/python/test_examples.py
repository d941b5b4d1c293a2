"""Every shipped scenario runs from Python (shortened), and its headline numbers are sane."""

from pathlib import Path

import pytest

import fargatelab as fl

ROOT = Path(__file__).resolve().parents[2]
# Scenario files only: not the schema, the data files (prices) or usage descriptions for `price`.
SCENARIOS = sorted(p for p in (ROOT / "scenarios").rglob("*.json") if not {"schema", "data", "pricing"} & set(p.parts))


@pytest.mark.parametrize("path", SCENARIOS, ids=[str(p.relative_to(ROOT / "scenarios")) for p in SCENARIOS])
def test_example_scenario_runs(path):
    scenario = fl.Scenario.from_file(path, {"replications": 1})
    doc = scenario.document
    # Keep the suite quick: at most 30 simulated minutes, but past every scheduled change.
    scheduled = [a["at"] for s in doc["services"] for a in s["schedule"]]
    result = fl.run(scenario.with_overrides({"duration": "30m"}) if not scheduled else scenario)
    services = result.summary["results"]["services"]
    assert set(services) == {s["name"] for s in doc["services"]}
    for name, s in services.items():
        assert s["requests"] == s["ok"] + sum(s["errors"].values()) + s["in_flight_at_end"], name
    if result.tasks.shape[0]:
        assert set(result.tasks["last_state"]) <= {"PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING",
                                                   "STOPPING", "DEPROVISIONING", "STOPPED"}


def test_small_subnet_scenario_runs_out_of_addresses():
    result = fl.run(ROOT / "scenarios/examples/fargate/small_subnet.json")
    launch = result.summary["results"]["services"]["api"]["tasks_launch"]
    # Two /27 subnets: 2 x (32 - 5) = 54 addresses; 10 service tasks + 30 batch tasks leave 14
    # for the 30 more the service wants at minute 5, so at least 16 launches fail, and every
    # failure is for want of an address.
    assert launch["failed_to_start"] >= 16
    assert list(launch["failure_reasons"]) == [
        "InsufficientFreeAddressesInSubnet: the subnet has no free IP address for the task's ENI"]
    assert result.summary["results"]["network"]["subnets"]["small-a"]["peak_in_use"] == 27


def test_scale_to_1000_reaches_1000_running_tasks():
    result = fl.run(ROOT / "scenarios/examples/fargate/scale_0_to_1000.json")
    tasks = result.tasks
    assert len(tasks) == 1000 and tasks.started_s.notna().all()
    # The service's 500-per-minute limit binds: the last token is granted 60 s after the change.
    assert tasks.throttled_s.max() == pytest.approx(60.0, abs=1e-6)


def test_bad_release_rolls_back_after_three_failed_tasks():
    # 6 tasks: the breaker's threshold is max(3, ceil(0.5 x 6)) = 3; v2 completed first, so the
    # rollback goes to v2, and min 100 % kept all 6 of its tasks serving meanwhile.
    result = fl.run(ROOT / "scenarios/examples/deployments/bad_release.json")
    ev = result.events[result.events.kind == "deployment"]
    assert list(ev.event) == ["deployment_started", "deployment_completed", "deployment_started", "deployment_failed",
                              "rollback_started", "deployment_completed"]
    failed = ev[ev.event == "deployment_failed"].iloc[0]
    assert failed.failed_tasks == 3 and failed.threshold == 3
    assert list(ev.revision) == ["v2", "v2", "v3", "v3", "v2", "v2"]
    d = result.summary["per_replication"][0]["services"]["api"]["deployments"]
    assert (d["started"], d["completed"], d["failed"], d["rollbacks"]) == (2, 2, 1, 1)
