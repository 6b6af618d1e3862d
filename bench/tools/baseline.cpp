// The baselines of every table: the function itself on double (the f of
// J/f) and its hand-written analytic gradient. The f benchmark also checks
// the hand count of elementary operations by running f on a counting scalar.
#include "../harness.hpp"
#include "../op_count.hpp"

namespace nabla_bench {

void register_baseline(const Problem& p) {
  visit(p.function, [&](auto fn) {
    add_benchmark(p, "f_double", [p, fn](benchmark::State& state) {
      Eigen::VectorXd x = p.x;
      if (!check_value(state, p, fn(x))) return;
      const std::size_t counted = count_operations(p);
      if (counted != p.operations) {
        state.SkipWithError("the hand count of operations differs from the counted one");
        return;
      }
      for (auto _ : state) {
        benchmark::DoNotOptimize(x.data());
        double y = fn(x);
        benchmark::DoNotOptimize(y);
      }
      state.counters["ops"] = static_cast<double>(counted);
    });
    add_benchmark(p, "manual", [p](benchmark::State& state) {
      Eigen::VectorXd g;
      if (!check_value(state, p, manual_gradient(p, g)) || !check_gradient(state, p, g)) return;
      for (auto _ : state) {
        double y = manual_gradient(p, g);
        benchmark::DoNotOptimize(y);
        benchmark::DoNotOptimize(g.data());
      }
    });
  });
}

}  // namespace nabla_bench
