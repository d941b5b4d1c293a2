"""Errors raised by fargatelab."""

from __future__ import annotations

from typing import List, Tuple


class ScenarioError(ValueError):
    """A scenario is invalid. ``errors`` lists every problem as (JSON pointer, message)."""

    def __init__(self, message: str, errors: List[Tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.errors: List[Tuple[str, str]] = [tuple(e) for e in (errors or [])]  # type: ignore[misc]

    def __reduce__(self):  # picklable, e.g. across multiprocessing
        return (type(self), (str(self), self.errors))
