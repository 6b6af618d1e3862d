// nabla's rows: the reverse-mode gradient (nabla::gradient, which records
// the function anew on every call), its tape bytes per elementary operation,
// the Hessian-vector product by forward-over-reverse, and one 16-lane pass
// of forward mode with nabla::Dual.
#include <nabla/nabla.hpp>

#include "../harness.hpp"
#include "nabla_passive.hpp"

namespace nabla_bench {
namespace {

/// Records p's function once on a fresh tape and reports the tape's size.
template <class F>
void tape_counters(benchmark::State& state, const Problem& p, F fn) {
  nabla::TapeScope<double> scope;
  nabla::Tape& tape = scope.tape();
  nabla::VectorX<nabla::Var> xs(p.x.size());
  for (Eigen::Index i = 0; i < p.x.size(); ++i) xs[i] = tape.input(p.x[i]);
  const nabla::Var y = fn(xs);
  benchmark::DoNotOptimize(y);
  state.counters["tape_bytes"] = static_cast<double>(tape.bytes());
  state.counters["statements"] = static_cast<double>(tape.statements());
  state.counters["arguments"] = static_cast<double>(tape.arguments());
  state.counters["bytes_per_op"] = static_cast<double>(tape.bytes()) / static_cast<double>(p.operations);
}

}  // namespace

void register_nabla(const Problem& p) {
  visit(p.function, [&](auto fn) {
    auto f = [fn](const auto& x) { return fn(x); };
    add_benchmark(p, "nabla_gradient", [p, f, fn](benchmark::State& state) {
      const auto [value, g] = nabla::value_and_gradient(f, p.x);
      if (!check_value(state, p, value) || !check_gradient(state, p, g)) return;
      for (auto _ : state) {
        Eigen::VectorXd grad = nabla::gradient(f, p.x);
        benchmark::DoNotOptimize(grad.data());
      }
      tape_counters(state, p, fn);
    });
    add_benchmark(p, "nabla_hvp", [p, f](benchmark::State& state) {
      if (!check_hvp(state, p, nabla::hvp(f, p.x, p.v))) return;
      for (auto _ : state) {
        Eigen::VectorXd hv = nabla::hvp(f, p.x, p.v);
        benchmark::DoNotOptimize(hv.data());
      }
    });
    using D = nabla::Dual<double, kLanes>;
    add_forward_pass<nabla::VectorX<D>>(
        p, "nabla_dual", fn,
        [](int i, double x) { return i < kLanes ? D::variable(x, static_cast<std::size_t>(i)) : D(x); },
        [](const D& y, int k) { return y.tangent(static_cast<std::size_t>(k)); });
  });
}

}  // namespace nabla_bench
