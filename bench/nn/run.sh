#!/usr/bin/env bash
# bench/nn: nabla beside PyTorch on the same data, the same threads, in the
# same run (see README.md). Usage: bash bench/nn/run.sh [BUILD_DIR] [MNIST_EPOCHS]
# BUILD_DIR holds bench/nn/nn_bench (default build/release); PyTorch runs on
# Debian's /usr/bin/python3 (python3-torch).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
mnist_epochs=${2:-3}
bench=$build/bench/nn/nn_bench
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# torch $($python -c 'import torch; print(torch.__version__)')"
"$bench" prepare "$work" "$root/data"

run() {  # task threads epochs batch method lr widths
  "$bench" train "$work" "$@"
  "$python" "$root/bench/nn/torch_bench.py" "$work" "$@"
}
for threads in 1 2; do
  run digits "$threads" 50 32 adam 0.001 64-128-10
  run mnist "$threads" "$mnist_epochs" 32 sgd 0.05 784-128-10
  run mnist "$threads" "$mnist_epochs" 32 sgd 0.05 784-256-256-10
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
