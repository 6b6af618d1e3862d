// The shared machinery of nabla's benchmark programs: registering one
// benchmark per (problem, tool), checking every tool's gradient against the
// hand-written one before timing it, and main(), which runs Google Benchmark
// with repetitions and prints, per problem, a table of median times and
// ratios computed within the same run (J/f, the forward-mode extrapolation,
// the Hessian-vector product in gradients, the tape bytes per operation).
#pragma once

#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <utility>

#include "problems.hpp"

namespace nabla_bench {

/// Lanes of every forward-mode tool: one pass differentiates 16 inputs.
inline constexpr int kLanes = 16;

/// Forward passes of kLanes lanes that a full gradient of n inputs needs.
inline double forward_passes(Eigen::Index n) { return static_cast<double>((n + kLanes - 1) / kLanes); }

/// Registers `body(state)` as the benchmark "<problem>/<tool>".
template <class Body>
void add_benchmark(const Problem& p, const std::string& tool, Body body) {
  benchmark::RegisterBenchmark((p.name + "/" + tool).c_str(), std::move(body))->Unit(benchmark::kMicrosecond);
}

/// Whether g matches the analytic gradient of p (its first `lanes` entries
/// when lanes > 0); if not, marks the benchmark as failed and says why.
bool check_gradient(benchmark::State& state, const Problem& p, const Eigen::VectorXd& g,
                    Eigen::Index lanes = 0);

/// Registers "<problem>/<tool>": one pass of forward mode with kLanes lanes.
/// Inputs are stored in a Container of n scalars made by seed(i, x_i): every
/// input carries kLanes lanes, lane i set for i < kLanes, zeros otherwise (as
/// in any pass of a blocked forward gradient); lane(y, k) reads lane k of the
/// result. The table multiplies the time of a pass by the passes a full
/// gradient needs (every pass costs the same).
template <class Container, class F, class Seed, class Lane>
void add_forward_pass(const Problem& p, const std::string& tool, F fn, Seed seed, Lane lane) {
  add_benchmark(p, tool, [p, fn, seed, lane](benchmark::State& state) {
    const Eigen::Index n = p.x.size();
    Container xs(static_cast<std::size_t>(n));
    Eigen::VectorXd g(kLanes);
    auto pass = [&] {
      for (Eigen::Index i = 0; i < n; ++i) xs[i] = seed(static_cast<int>(i), p.x[i]);
      const auto y = fn(xs);
      for (int k = 0; k < kLanes; ++k) g[k] = lane(y, k);
    };
    pass();
    if (!check_gradient(state, p, g, kLanes)) return;
    for (auto _ : state) {
      pass();
      benchmark::DoNotOptimize(g.data());
    }
    state.counters["passes"] = forward_passes(n);
  });
}

/// Whether value matches p's function value; if not, marks the benchmark failed.
bool check_value(benchmark::State& state, const Problem& p, double value);

/// Whether hv matches H(x) v of p (central differences of the analytic gradient).
bool check_hvp(benchmark::State& state, const Problem& p, const Eigen::VectorXd& hv);

// One function per tool registers its benchmarks of a problem (bench/tools/).
void register_baseline(const Problem& p);
void register_nabla(const Problem& p);
void register_adolc(const Problem& p);
void register_sacado(const Problem& p);
void register_ceres_jet(const Problem& p);
void register_eigen_autodiff(const Problem& p);

/// Registers every tool that was found at configure time.
void register_all(const Problem& p);

/// Runs the registered benchmarks (unless the command line says otherwise: 9
/// repetitions of >= 0.1 s each, randomly interleaved) and prints the
/// summary tables.
int run(int argc, char** argv);

}  // namespace nabla_bench
