// Benchmark (b): the stable log-sum-exp at n = 10^5, every tool beside nabla.
#include "harness.hpp"

int main(int argc, char** argv) {
  using nabla_bench::Function;
  nabla_bench::register_all(nabla_bench::make_problem("b_logsumexp_n100000", Function::LogSumExp, 100000));
  return nabla_bench::run(argc, argv);
}
