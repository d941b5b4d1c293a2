"""Scenarios: load, override, validate."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Mapping, Union

from . import _core

Overrides = Union[Mapping[str, Any], Iterable[str], None]


def _override_strings(overrides: Overrides) -> list[str]:
    """{"services.api.desired_count": 4} or ["services.api.desired_count=4"] -> ["path=json"]."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{path}={json.dumps(value)}" for path, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(o) for o in overrides]


class Scenario:
    """A validated scenario. Construct with from_file, from_dict, from_json or default.

    Every constructor validates fully and raises ScenarioError listing every problem, each with
    its JSON pointer. ``overrides`` work like the CLI's --set: a mapping from dotted paths or JSON
    pointers to values, e.g. {"services.api.task.cpu": 512, "duration": "10m"}.
    """

    def __init__(self, core: _core.Scenario) -> None:
        self._core = core

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike], overrides: Overrides = None) -> "Scenario":
        return cls(_core.Scenario.from_file(os.fspath(path), _override_strings(overrides)))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], overrides: Overrides = None) -> "Scenario":
        return cls(_core.Scenario.from_text(json.dumps(data), _override_strings(overrides), "<dict>"))

    @classmethod
    def from_json(cls, text: str, overrides: Overrides = None) -> "Scenario":
        return cls(_core.Scenario.from_text(text, _override_strings(overrides), "<string>"))

    @classmethod
    def default(cls, overrides: Overrides = None) -> "Scenario":
        """The embedded default scenario (the one `fargatelab run` uses without a file)."""
        return cls(_core.Scenario.builtin_default(_override_strings(overrides)))

    @classmethod
    def comparison_default(cls, overrides: Overrides = None) -> "Scenario":
        """The embedded default of `fargatelab compare`: an HTTP API over one day with a diurnal
        load and a flash crowd at 19:00 (scenarios/comparison_default.json)."""
        return cls(_core.Scenario.builtin_comparison(_override_strings(overrides)))

    def with_overrides(self, overrides: Overrides) -> "Scenario":
        """A new scenario: this one's input with further overrides applied, validated again."""
        return Scenario(self._core.with_overrides(_override_strings(overrides)))

    @property
    def name(self) -> str:
        return self._core.name

    @property
    def notes(self) -> list[str]:
        """Things worth knowing that are not errors, e.g. task definition fields the model ignores."""
        return list(self._core.notes)

    @property
    def document(self) -> dict:
        """The full scenario after defaults: exactly what is simulated."""
        return json.loads(self._core.document_json())

    @property
    def input(self) -> dict:
        """The scenario as given (after overrides, before defaults)."""
        return json.loads(self._core.input_json())

    def __repr__(self) -> str:
        doc = self.document
        return (f"Scenario({self.name!r}: {len(doc['services'])} service(s), "
                f"{len(doc['workloads'])} workload(s), duration {doc['duration']!r}, seed {doc['seed']})")


def schema() -> dict:
    """The JSON Schema of scenario files."""
    return json.loads(_core.scenario_schema())
