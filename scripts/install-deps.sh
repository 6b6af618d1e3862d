#!/usr/bin/env bash
# Installs every Debian package nabla needs to build, test and benchmark.
# Idempotent: packages already present are skipped, and nothing is fetched
# from anywhere but Debian's own archive.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake make ninja-build pkg-config git
  # library dependencies
  libeigen3-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # peers measured beside nabla in bench/
  libadolc-dev libtrilinos-sacado-dev libceres-dev libginac-dev python3-sympy
  # lint
  clang-format clang-tidy
  # the Python package and its tests
  pybind11-dev python3-dev python3-numpy python3-pytest
  # optimizer peers (bench/optim)
  python3-scipy liblbfgs-dev
  # neural-network peer (bench/nn)
  python3-torch
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
