#!/usr/bin/env bash
# Runs the symbolic benchmarks (issue 3): bench_sym (nabla::sym beside GiNaC,
# one binary), then sympy_bench.py (SymPy, Debian's /usr/bin/python3) on the
# same problems, which reads bench_sym's medians and values from a JSON file
# of this run and prints the SymPy / nabla ratios. Two processes, one
# invocation: the ratios to SymPy compare figures measured minutes apart.
# Usage: bash bench/sym/run.sh [DIR]   (DIR holds bench_sym; default
# build/release/bench/sym). BENCH_SYM_ARGS and SYMPY_BENCH_ARGS pass options
# to each (e.g. BENCH_SYM_ARGS=--repetitions=15, SYMPY_BENCH_ARGS=--skip-sizes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(realpath -m "${1:-$here/../../build/release/bench/sym}")
python=/usr/bin/python3

echo
echo "==== bench_sym (nabla::sym, GiNaC)"
if [ ! -x "$dir/bench_sym" ]; then
  echo "bench/sym/run.sh: $dir/bench_sym is missing (GiNaC not found at configure time, or not built): skipped" >&2
  exit 0
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')," \
  "$(g++ --version | head -1), $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
json=$(mktemp)
trap 'rm -f "$json"' EXIT
# shellcheck disable=SC2086
"$dir/bench_sym" --json="$json" ${BENCH_SYM_ARGS:-}

echo
echo "==== bench_compile (a compiled expression's value beside C++)"
if [ -x "$dir/bench_compile" ]; then "$dir/bench_compile"; fi

echo
echo "==== sympy_bench.py (SymPy)"
if ! "$python" -c 'import sympy' 2>/dev/null; then
  echo "bench/sym/run.sh: $python has no sympy (python3-sympy): SymPy's rows are left out" >&2
  exit 0
fi
# shellcheck disable=SC2086
"$python" "$here/sympy_bench.py" --cxx-json="$json" ${SYMPY_BENCH_ARGS:-}
echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg))"
