"""Scenario loading, overrides and validation from Python."""

import json

import jsonschema
import pytest

import fargatelab as fl


def test_default_scenario_loads_and_describes_itself():
    s = fl.Scenario.default()
    assert s.name == "http-api"
    assert "1 service(s)" in repr(s)
    assert s.document["services"][0]["task"]["cpu"] == 1024


def test_dict_json_and_file_give_the_same_document(minimal, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(minimal))
    a = fl.Scenario.from_dict(minimal).document
    b = fl.Scenario.from_json(json.dumps(minimal)).document
    c = fl.Scenario.from_file(path).document
    assert a == b == c
    assert a["region"] == "us-east-1"  # filled from the schema's defaults


def test_overrides_as_mapping_and_as_strings(minimal):
    s = fl.Scenario.from_dict(minimal, {"services.api.task.cpu": 1024, "services.api.task.memory": 2048})
    assert s.document["services"][0]["task"] == {**s.document["services"][0]["task"], "cpu": 1024, "memory": 2048}
    t = s.with_overrides(["duration=1h", "workloads.users.arrival=poisson(rate=5)"])
    assert t.document["duration"] == "1h"
    assert t.document["workloads"][0]["arrival"] == "poisson(rate=5)"
    assert s.document["duration"] == "5m"  # the original is unchanged


def test_every_error_is_reported_with_its_pointer(minimal):
    minimal["services"][0]["desird_count"] = 3
    minimal["services"][0]["task"]["cpu"] = 300
    minimal["workloads"][0]["target"] = "apj"
    with pytest.raises(fl.ScenarioError) as info:
        fl.Scenario.from_dict(minimal)
    pointers = sorted(p for p, _ in info.value.errors)
    assert pointers == ["/services/0/desird_count", "/services/0/task/cpu", "/workloads/0/target"]
    messages = dict(info.value.errors)
    assert messages["/services/0/task/cpu"].startswith("300 is not a valid Fargate CPU value (valid: 256, 512, 1024")
    assert 'did you mean "api"' in messages["/workloads/0/target"]
    assert isinstance(info.value, ValueError)


def test_a_bad_override_is_a_scenario_error(minimal):
    with pytest.raises(fl.ScenarioError) as info:
        fl.Scenario.from_dict(minimal, {"services.nope.desired_count": 1})
    assert info.value.errors[0][0] == "/services"
    assert 'no element of /services has name "nope"' in info.value.errors[0][1]


def test_the_schema_is_valid_json_schema_and_accepts_every_shipped_scenario(root):
    schema = fl.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((root / "scenarios").rglob("*.json"))
    files = [f for f in files if not {"schema", "data", "pricing"} & set(f.parts)]  # scenarios, not prices or usage files
    assert files, "no scenario files found"
    for f in files:
        doc = json.loads(f.read_text())
        errors = list(validator.iter_errors(doc))
        assert not errors, f"{f}: {errors[0].message}"
        # ... and the documents after defaults, as fargatelab resolves them, too.
        assert not list(validator.iter_errors(fl.Scenario.from_file(f).document)), f
