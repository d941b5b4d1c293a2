"""compare_deployments(): the deployment scorecard from Python, the same figures as
`fargatelab deployments` (one C++ scorer behind both)."""

import json
import math
import subprocess

import fargatelab as fl
import pytest

CB = "rolling(circuit_breaker=true, rollback=true)"


def test_compare_deployments_matches_the_cli(cli, root):
    example = root / "scenarios/examples/deployments/bad_release.json"
    bench = fl.compare_deployments(example, strategies=["rolling", CB])
    t = bench.table()
    assert bench.strategies == ["rolling", CB]
    assert list(t.index) == [("rolling", "api", "v2"), ("rolling", "api", "v3"), (CB, "api", "v2"), (CB, "api", "v3")]
    # The crashing v3: without the breaker its rollout never ends; with it, the threshold is
    # max(3, ceil(0.5 x 6)) = 3 failed tasks, then the rollback to v2.
    assert t.loc[("rolling", "api", "v3"), "in_progress"] == 1 and math.isnan(t.loc[("rolling", "api", "v3"), "duration_s"])
    cb = t.loc[(CB, "api", "v3")]
    assert cb["rolled_back"] == 1
    assert cb["duration_s"] == pytest.approx(cb["detect_s"] + cb["rollback_s"])
    # The events of every run are there: the breaker's failure names its threshold.
    ev = bench.results[CB].events
    failed = ev[(ev["kind"] == "deployment") & (ev["event"] == "deployment_failed")]
    assert len(failed) == 1
    # The CLI's deployments.json has the same rows, figure for figure (NaN there is null).
    r = subprocess.run([cli, "deployments", str(example), "--strategy", "rolling", "--strategy", CB,
                        "--format", "json", "--quiet"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for row in json.loads(r.stdout)["rows"]:
        mine = t.loc[(row["strategy"], row["service"], row["revision"])]
        for k, v in row.items():
            if k in ("strategy", "service", "revision"):
                continue
            assert (math.isnan(mine[k]) if v is None else mine[k] == pytest.approx(v, rel=1e-12)), k
    assert bench.text() == subprocess.run([cli, "deployments", str(example), "--strategy", "rolling", "--strategy", CB,
                                           "--quiet"], capture_output=True, text=True, timeout=300).stdout


def test_compare_deployments_takes_a_deployment_configuration(root):
    # ECS's own deploymentConfiguration JSON, as a dict: the same as the short form.
    doc = {"minimumHealthyPercent": 100, "maximumPercent": 200,
           "deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    bench = fl.compare_deployments(root / "scenarios/examples/deployments/bad_release.json", strategies=[doc, CB])
    t = bench.table().reset_index("strategy")
    a, b = t[t["strategy"] == json.dumps(doc)], t[t["strategy"] == CB]
    assert a.drop(columns="strategy").equals(b.drop(columns="strategy"))


def test_compare_deployments_refuses_a_bad_strategy_before_running(root):
    with pytest.raises(fl.ScenarioError) as e:
        fl.compare_deployments(root / "scenarios/examples/deployments/bad_release.json",
                               strategies=["rolling", "canary(percent=10)"])
    assert any(path == "/services/0/deployments/0/strategy" for path, _ in e.value.errors)
