"""fargatelab: a discrete-event simulator and learning lab for serverless container platforms.

>>> import fargatelab as fl
>>> scenario = fl.Scenario.default().with_overrides({"duration": "10m"})
>>> result = fl.run(scenario, seed=7)
>>> result.summary["results"]["services"]["api"]["latency_ms"]["p99"]  # doctest: +SKIP
"""

from __future__ import annotations

from ._errors import ScenarioError
from ._core import RunCancelled, version as _version
from .scenario import Scenario, schema
from .result import Comparison, PolicyComparison, Result, compare, compare_options, compare_policies, load_comparison, run
from .pricing import Bill, price
from .deployments import DeploymentComparison, compare_deployments

__version__ = _version()
__all__ = ["Scenario", "ScenarioError", "Result", "Comparison", "PolicyComparison", "compare_policies", "DeploymentComparison", "compare_deployments", "RunCancelled", "run", "compare", "compare_options", "load_comparison", "schema", "Bill", "price",
           "__version__"]
