// bench_phases: where nabla's gradient spends its time on the benchmark
// problems (a)-(d), phase by phase: f on double, recording (the tape reset,
// the inputs made, f run on Vars), the reverse sweep alone (adjoints cleared,
// seeded and propagated over the recorded tape) and the whole
// nabla::gradient. Each phase is timed on its own, repeated, and reported as
// the least and the median time: compare two builds by running them
// alternately (bench/README.md, "Phases"). Not a Google Benchmark program:
// it measures pieces that the gradient does not expose one by one.
//
//   bench_phases [repetitions]   (default 101; (b) and (a) at n = 10^5 a quarter)
#include <cstdio>
#include <cstdlib>
#include <nabla/nabla.hpp>
#include <string>
#include <utility>
#include <vector>

#include "phase_timing.hpp"
#include "problems.hpp"
#include "tools/nabla_passive.hpp"

namespace nabla_bench {
namespace {

volatile double sink;  // keeps every phase's result alive

template <class F>
void report(const Problem& p, F fn, int repetitions) {
  const Eigen::VectorXd& x = p.x;
  const Times f = time_us([&] { sink = fn(x); }, repetitions);

  nabla::TapeScope<double> scope;
  nabla::Tape& tape = scope.tape();
  nabla::VectorX<nabla::Var> xs(x.size());
  nabla::Var y;
  // What nabla::detail::record does, except that xs is made once: this
  // times the tape alone; allocating xs shows in the gradient column.
  auto record = [&] {
    tape.reset();
    const auto first = tape.inputs(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i)
      xs[i] = nabla::Var(x[i], first + static_cast<nabla::Tape::Index>(i));
    y = fn(std::as_const(xs));
  };
  const Times recording = time_us(record, repetitions);
  record();
  const Times sweep = time_us(
      [&] {
        tape.clear_adjoints();
        tape.adjoint(y) = 1.0;
        tape.reverse();
        sink = tape.adjoint(xs[0]);
      },
      repetitions);
  const Times gradient = time_us([&] { sink = nabla::gradient(fn, x)[0]; }, repetitions);

  std::printf("%-22s %9.1f %9.1f | %9.1f %9.1f | %9.1f %9.1f | %9.1f %9.1f | %6.2f\n", p.name.c_str(),
              f.least, f.median, recording.least, recording.median, sweep.least, sweep.median, gradient.least,
              gradient.median, gradient.median / f.median);
}

}  // namespace
}  // namespace nabla_bench

int main(int argc, char** argv) {
  using nabla_bench::Function;
  using nabla_bench::make_problem;
  const int repetitions = argc > 1 ? std::atoi(argv[1]) : 101;
  if (repetitions < 1) {
    std::fprintf(stderr, "usage: bench_phases [repetitions >= 1]\n");
    return 2;
  }
  const int fewer = repetitions / 4 + 1;  // for the problems of 10^5 variables
  std::printf("times in us, least and median of %d repetitions (%d for n = 10^5)\n", repetitions, fewer);
  std::printf("%-22s %19s | %19s | %19s | %19s | %6s\n", "problem", "f on double", "recording",
              "reverse sweep", "nabla::gradient", "J/f");
  const std::vector<std::pair<nabla_bench::Problem, int>> problems{
      {make_problem("a_expsin_n10000", Function::ExpSin, 10000), repetitions},
      {make_problem("a_expsin_n100000", Function::ExpSin, 100000), fewer},
      {make_problem("b_logsumexp_n100000", Function::LogSumExp, 100000), fewer},
      {make_problem("c_rosenbrock_n10000", Function::Rosenbrock, 10000), repetitions},
      {make_problem("d_tanh_net_705", Function::TanhNet, 705), repetitions},
  };
  for (const auto& [p, n] : problems)
    nabla_bench::visit(p.function, [&](auto fn) { nabla_bench::report(p, fn, n); });
  return 0;
}
