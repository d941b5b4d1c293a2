#!/usr/bin/env bash
# Installs whatever is missing, idempotently, on a fresh Debian 12 machine (as root, or with
# sudo available). Quick when everything is already there.
#   .ci/setup.sh system   Debian packages: compiler, C++ libraries, Python headers and venv
#   .ci/setup.sh python   .venv with the Python dependencies and fargatelab itself (pip install .)
#   .ci/setup.sh dev      the developer build (Catch2 tests, benchmarks) in build/dev
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_packages=(g++ make git libboost-graph-dev libeigen3-dev nlohmann-json3-dev libfmt-dev catch2
              python3 python3-dev python3-venv chromium chromium-driver fonts-dejavu-core)

setup_system() {
  local missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # A Python from elsewhere (pyenv) brings its own headers and venv; Debian's python3 packages
  # are then not needed.
  if python3 -c 'import sysconfig, os, venv; assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' 2>/dev/null; then
    local keep=()
    for p in "${missing[@]}"; do [[ $p == python3* ]] || keep+=("$p"); done
    missing=("${keep[@]}")
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

source_hash() {
  # Everything that goes into the wheel.
  { git ls-files -co --exclude-standard CMakeLists.txt pyproject.toml sim bindings scenarios 2>/dev/null \
      || find CMakeLists.txt pyproject.toml sim bindings scenarios -type f; } | while read -r f; do [ ! -f "$f" ] || echo "$f"; done \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16
}

setup_python() {
  setup_system
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp=$VENV/.deps-stamp want
  want=$(sha256sum pyproject.toml .ci/setup.sh | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python dependencies into .venv"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q "scikit-build-core>=0.10" "pybind11>=2.12" cmake ninja \
      numpy pandas matplotlib pytest nbclient nbformat ipykernel "jsonschema>=4.18" selenium mypy
    echo "$want" > "$stamp"
  fi
  local built=$VENV/.fargatelab-stamp hash
  hash=$(source_hash)
  if [ "$(cat "$built" 2>/dev/null)" != "$hash" ] || ! "$VENV/bin/python" -c 'import fargatelab' 2>/dev/null; then
    say "building and installing fargatelab into .venv (pip install .)"
    "$VENV/bin/python" -m pip install -q --no-build-isolation --no-deps .
    echo "$hash" > "$built"
  fi
}

setup_dev() {
  setup_python
  export PATH=$VENV/bin:$PATH
  if [ ! -f build/dev/build.ninja ]; then
    say "configuring the developer build in build/dev"
    cmake -S . -B build/dev -G Ninja -DFARGATELAB_DEV=ON -DCMAKE_BUILD_TYPE=Release \
      -DPython_EXECUTABLE="$VENV/bin/python" >/dev/null
  fi
  say "building tests and benchmarks (build/dev)"
  cmake --build build/dev -j"$(nproc)" | grep -v '^\[' || true
  test -x build/dev/tests/fargatelab_tests
}

case "${1:-}" in
  system) setup_system ;;
  python) setup_python ;;
  dev) setup_dev ;;
  *) echo "usage: $0 system|python|dev" >&2; exit 2 ;;
esac
