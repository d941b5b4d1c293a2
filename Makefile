# The two Quickstart commands (README): `make run` and `make test`. Both install whatever is
# missing first (Debian packages, a .venv, the package itself) and are quick when all is there.
# `make run` is the main job: the platform comparison on the embedded default scenario, with
# the HTML report in report.html (SCENARIO=file.json to compare another, ARGS to add options).
VENV := .venv
BIN := $(VENV)/bin
SCENARIO ?=
ARGS ?=

.PHONY: run test test-cpp test-python bench clean help

help:
	@echo "make run    compare Fargate, Fargate Spot, ECS on EC2 (+Spot), Lambda and App Runner on the embedded"
	@echo "            default scenario; writes report.html (SCENARIO=file.json ARGS='--runs 5' to vary)"
	@echo "make test   run every test: C++ (Catch2), Python (pytest), notebooks"
	@echo "make bench  benchmarks: kernel hold model against SimPy, 100,000 Fargate task launches, 100 million requests"

run:
	@bash .ci/setup.sh python
	$(BIN)/fargatelab compare $(SCENARIO) --report report.html $(ARGS)

test:
	@bash .ci/setup.sh dev
	cd build/dev && ctest --output-on-failure
	$(BIN)/python -m pytest

bench:
	@bash .ci/setup.sh dev
	$(BIN)/python tests/perf/run_benchmarks.py --hold-bench build/dev/tests/hold_bench
	$(BIN)/python tests/perf/requests_bench.py

clean:
	rm -rf build $(VENV)
