#!/usr/bin/env bash
# Runs nabla's benchmark programs, already built into build/release/bench
# (`make bench` builds them first), and prints their figures: Google
# Benchmark's lines, then one table of medians and ratios per problem.
# It builds nothing. Arguments are passed to every program, e.g.
#   bash bench/run.sh --benchmark_repetitions=9
# and BENCH_DIR names another build's bench directory.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(cd "$root" && realpath -m "${BENCH_DIR:-build/release/bench}")
programs=(bench_a_expsin bench_b_logsumexp bench_c_rosenbrock bench_d_tanh_net)

if [ ! -d "$dir" ]; then
  echo "bench/run.sh: $dir does not exist; build first (make build)" >&2
  exit 1
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

# ADOL-C would write tape files to the working directory if a tape outgrew
# its buffers: run where that litters nothing.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for program in "${programs[@]}"; do
  echo
  echo "==== $program"
  if [ ! -x "$dir/$program" ]; then
    echo "bench/run.sh: $dir/$program is missing" >&2
    status=1
    continue
  fi
  (cd "$work" && "$dir/$program" --benchmark_color=false "$@") || status=1
done
bash "$root/bench/sym/run.sh" "$dir/sym" || status=1  # the symbolic benchmarks: bench_sym, then SymPy
exit $status
