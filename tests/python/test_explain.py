"""`fargatelab explain` and Result.stopped_tasks(): the chain of causes of tasks that never start
(issue 13's Done-when: explain names the cause chain for the small-subnet and registry-failure
examples)."""

import json

import pytest

import fargatelab as fl
from test_cli import run_cli

ARROW = " \u2192 "


def explain_json(cli, path, *args):
    r = run_cli(cli, "explain", str(path), "--format", "json", "--quiet", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_explain_names_the_small_subnet_chain(cli, root):
    doc = explain_json(cli, root / "scenarios/examples/fargate/small_subnet.json")
    groups = [g for g in doc["groups"] if g["stop_code"] == "TaskFailedToStart"]
    assert len(groups) == 1
    g = groups[0]
    assert g["stopped_reason"].startswith("InsufficientFreeAddressesInSubnet")
    assert g["services"] == ["api"]
    # Two /27 subnets, 32 - 5 = 27 usable addresses each, both full.
    assert g["chain"][:3] == ["subnets small-a (27 usable) and small-b (27 usable) have 0 free addresses",
                              "InsufficientFreeAddressesInSubnet", "TaskFailedToStart"]
    # The scale-out to 40 at 05:00 finds 54 - 10 - 30 = 14 free addresses: 16 of its 30 launches
    # fail at once, and after 16 consecutive failures the backoff is min(10 s x 2^15, 15 min) =
    # 15 min; at 20:00 the 16 relaunches fail again (the batch job holds its 30 addresses for an
    # hour), backing off past the run's end: 32 failures.
    assert g["tasks"] == 32
    assert g["chain"][3] == "32 tasks"
    assert g["chain"][4].startswith("the service backs off (next attempt in 10 s to 15 min")
    assert g["first_s"] == pytest.approx(300, abs=1) and g["last_s"] == pytest.approx(1200, abs=2)


def test_explain_names_the_registry_failure_chain(cli, root):
    doc = explain_json(cli, root / "scenarios/examples/faults/registry_failure.json")
    assert [g["stop_code"] for g in doc["groups"]] == ["TaskFailedToStart"]
    g = doc["groups"][0]
    assert g["stopped_reason"].startswith("CannotPullContainerError")
    # The scale-out 4 -> 10 at 05:00 launches 6 tasks into the outage (05:00-15:00); each fails
    # after its 5 pull attempts (~15 s). After the 6th failure the backoff is 10 s x 2^5 = 320 s:
    # the 6 relaunches at ~10:50 fail too, and after the 12th it is min(10 s x 2^11, 15 min) =
    # 15 min, past the outage, where the scale-out succeeds: 12 tasks fail.
    assert g["tasks"] == 12
    assert g["chain"] == [
        "registry failing 05:00\u201315:00 (faults/0: 503 Service Unavailable)",
        "every pull attempt refused (5 attempts with the agent's backoff)",
        "CannotPullContainerError",
        "TaskFailedToStart",
        "12 tasks",
        "the service backs off (next attempt in 10 s to 15 min, after up to 12 consecutive failures)",
    ]


def test_explain_text_is_deterministic_and_lists_each_chain(cli, root):
    path = root / "scenarios/examples/faults/registry_failure.json"
    a = run_cli(cli, "explain", str(path), "--quiet")
    b = run_cli(cli, "explain", str(path), "--quiet")
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert "1. TaskFailedToStart: CannotPullContainerError" in a.stdout
    assert "\u2192 CannotPullContainerError" in a.stdout and "\u2192 12 tasks" in a.stdout


def test_explain_rejects_bad_faults_all_at_once_with_exit_code_2(cli, minimal, tmp_path):
    minimal["faults"] = [{"type": "registry", "start": "15m", "end": "5m"},
                         {"type": "registry", "start": "1m", "end": "2m", "mode": "flaky"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(minimal))
    r = run_cli(cli, "explain", str(path))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = [l.strip() for l in r.stderr.splitlines() if l.startswith("  /")]
    assert any(l.startswith("/faults/0/end:") for l in lines), r.stderr
    assert any(l.startswith("/faults/1/mode:") for l in lines), r.stderr
    assert len(lines) == 2, r.stderr


def test_stopped_tasks_frame_equals_the_explanation(root):
    result = fl.run(root / "scenarios/examples/faults/registry_failure.json")
    frame = result.stopped_tasks()
    assert list(frame.columns) == ["stop_code", "stopped_reason", "last_state", "tasks", "first_s", "last_s", "services",
                                   "revisions", "cause"]
    assert frame.tasks.tolist() == [12]
    assert str(frame.tasks.dtype) == "int64"
    assert frame.cause[0].split(ARROW)[2:5] == ["CannotPullContainerError", "TaskFailedToStart", "12 tasks"]
    assert frame.revisions[0] == "initial"
    assert "CannotPullContainerError" in result.explain()


def test_out_writes_the_stopped_tasks_table(root, tmp_path):
    # --out DIR (Result.write) keeps the explanation as stopped_tasks.csv, row for row.
    import pandas as pd

    result = fl.run(root / "scenarios/examples/fargate/small_subnet.json")
    result.write(tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "stopped_tasks.csv", keep_default_na=False)
    frame = result.stopped_tasks()
    assert written.tasks.tolist() == frame.tasks.tolist() == [32]
    assert written.cause.tolist() == frame.cause.tolist()
    assert written.stopped_reason[0].startswith("InsufficientFreeAddressesInSubnet")


def test_tasks_not_started_by_the_end_are_listed_with_what_they_wait_for(minimal):
    # A scale-out to 40 at 4:50 of a 5-minute run: the 38 new tasks are still starting at 5:00.
    minimal["services"][0]["schedule"] = [{"at": "290s", "desired_count": 40}]
    result = fl.run(fl.Scenario.from_dict(minimal))
    frame = result.stopped_tasks()
    waiting = frame[frame.stop_code == ""]
    assert waiting.tasks.sum() == 38
    assert set(waiting.last_state) <= {"PROVISIONING", "PENDING", "ACTIVATING"}
    assert all(c.startswith("still ") for c in waiting.cause)
