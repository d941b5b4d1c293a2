"""The golden runs reproduce their committed summaries exactly (fingerprints included)."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "golden"))
import golden  # noqa: E402


@pytest.mark.parametrize("name", sorted(golden.CASES))
def test_golden_summary_is_unchanged(name):
    expected = json.loads(golden.golden_path(name).read_text())
    actual = json.loads(json.dumps(golden.summary(name), sort_keys=True))
    assert actual["fingerprint"] == expected["fingerprint"], (
        f"{name}: behaviour changed; if intended, run tests/golden/golden.py --regenerate and review the diff")
    assert actual == expected
