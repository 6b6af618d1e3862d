// Benchmark (a): sum exp(x_i) sin(x_{i+1}) + x_i / (1 + x_{i+1}^2) at
// n = 10^4 and n = 10^5, every tool beside nabla.
#include "harness.hpp"

int main(int argc, char** argv) {
  using nabla_bench::Function;
  nabla_bench::register_all(nabla_bench::make_problem("a_expsin_n10000", Function::ExpSin, 10000));
  nabla_bench::register_all(nabla_bench::make_problem("a_expsin_n100000", Function::ExpSin, 100000));
  return nabla_bench::run(argc, argv);
}
