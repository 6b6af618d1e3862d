#!/usr/bin/env bash
# The optimizer benchmark: per MGH problem, final f and evaluations of
# nabla's BFGS and L-BFGS, SciPy's BFGS and L-BFGS-B and liblbfgs; then the
# time per L-BFGS iteration spent outside the evaluations, nabla against
# liblbfgs, on extended Rosenbrock with n = 10^4; table.py adds the like-for-like
# counts (evaluations to a common f and to the known minimum) from the traces
# of accepted iterates. Needs optim_bench built
# (in BENCH_DIR, default build/release/bench/optim) and Debian's python3 with
# SciPy. Builds nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(cd "$root" && realpath -m "${BENCH_DIR:-build/release/bench/optim}")
program="$dir/optim_bench"
if [ ! -x "$program" ]; then
  echo "bench/optim/run.sh: $program is missing; build the target optim_bench first" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$program" mgh > "$work/ours.csv"
"$program" starts > "$work/starts.txt"
/usr/bin/python3 "$root/bench/optim/scipy_mgh.py" "$program" "$work/starts.txt" < "$work/ours.csv" > "$work/scipy.csv"
echo
cat "$work/ours.csv" "$work/scipy.csv" | /usr/bin/python3 "$root/bench/optim/table.py"
echo
"$program" bounded | /usr/bin/python3 "$root/bench/optim/scipy_bounded.py" "$program"
echo
"$program" overhead "${N:-10000}" "${ITERATIONS:-200}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
