import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def cli() -> str:
    """The installed `fargatelab` command (next to this interpreter, as pip installs it)."""
    candidate = Path(sys.executable).parent / "fargatelab"
    path = str(candidate) if candidate.exists() else shutil.which("fargatelab")
    assert path, "the fargatelab command is not installed (pip install .)"
    return path


@pytest.fixture
def minimal() -> dict:
    return {
        "schema_version": 1,
        "duration": "5m",
        "services": [{"name": "api", "desired_count": 2, "task": {"cpu": 512, "memory": 1024}}],
        "workloads": [{"name": "users", "target": "api", "arrival": "poisson(rate=20)"}],
    }


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium driven by Selenium (see browser.py); fails if it is not installed."""
    from browser import headless_chromium

    with headless_chromium() as driver:
        yield driver
