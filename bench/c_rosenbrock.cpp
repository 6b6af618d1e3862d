// Benchmark (c): the extended Rosenbrock function (pairs) at n = 10^4, every
// tool beside nabla.
#include "harness.hpp"

int main(int argc, char** argv) {
  using nabla_bench::Function;
  nabla_bench::register_all(nabla_bench::make_problem("c_rosenbrock_n10000", Function::Rosenbrock, 10000));
  return nabla_bench::run(argc, argv);
}
