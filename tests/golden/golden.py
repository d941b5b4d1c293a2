"""Golden runs (architecture practice 12): small scenarios whose whole summary is committed.

A change that alters any simulated number shows up as a diff of these files; a reviewer reads
it and, if the change is intended, regenerates them:

    .venv/bin/python tests/golden/golden.py --regenerate
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# name -> (scenario file, overrides): kept short so the check is quick.
CASES = {
    "mm1_queue": ("scenarios/examples/mm1_queue.json", {"duration": "2h", "warmup": "10m", "replications": 2}),
    "small_subnet": ("scenarios/examples/fargate/small_subnet.json", {"duration": "15m"}),
    "spot_heavy": ("scenarios/examples/fargate/spot_heavy.json", {"duration": "1h", "replications": 2}),
    "ec2_cluster": ("scenarios/examples/ecs_ec2/cluster_autoscaling.json", {"duration": "1h"}),
}


def summary(name: str) -> dict:
    import fargatelab as fl

    path, overrides = CASES[name]
    result = fl.run(fl.Scenario.from_file(ROOT / path, overrides))
    s = result.summary
    s.pop("fargatelab_version", None)  # a version bump alone is not a behaviour change
    return s


def golden_path(name: str) -> Path:
    return HERE / f"{name}.summary.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regenerate", action="store_true", help="rewrite the committed summaries")
    args = parser.parse_args()
    changed = 0
    for name in CASES:
        text = json.dumps(summary(name), indent=2, sort_keys=True) + "\n"
        path = golden_path(name)
        if args.regenerate:
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
        elif not path.exists() or path.read_text() != text:
            changed += 1
            print(f"{name}: differs from {path.relative_to(ROOT)}")
    return 1 if changed and not args.regenerate else 0


if __name__ == "__main__":
    sys.exit(main())
