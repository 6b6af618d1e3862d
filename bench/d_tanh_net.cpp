// Benchmark (d): the squared loss of a 20-32-1 tanh network written in scalar
// code, on a fixed batch of 16, differentiated w.r.t. its 705 weights.
#include "harness.hpp"

int main(int argc, char** argv) {
  using nabla_bench::Function;
  nabla_bench::register_all(nabla_bench::make_problem("d_tanh_net_705", Function::TanhNet, 0));
  return nabla_bench::run(argc, argv);
}
