// bench_compile: the value of a compiled expression (sym::compile ->
// Program) beside the same formula written as C++ on doubles, per point, on
// the problems of bench/sym: Program::value one point at a time (the
// interpreter's dispatch per instruction) and Program::values_batch over all
// points (one dispatch per instruction and block of points), and the native
// code of sym::compile_native (C from the expression, compiled by the system
// C compiler and loaded; its compile time, into an empty cache, is shown
// too). Every figure is the median of 11 timed sweeps, each over all points
// repeated until it lasts at least 20 ms; the results of the four are checked
// to agree first.
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "nabla/sym/sym.hpp"
#include "problems.hpp"

namespace {

using nabla::sym::Expr;
namespace bench = nabla_sym_bench;

struct SymOps {
  static Expr rational(long p, long q) { return nabla::sym::rational(p, q); }
  static Expr sum(const std::vector<Expr>& terms) { return nabla::sym::add(terms); }
};

/// The same formulas on doubles, written as a C++ programmer would.
double nest_native(const double* x) {
  double e = x[0];
  for (int level = 0; level < bench::kNestDepth; ++level) e = std::sin(e) * std::cos(e) + e * e;
  return e;
}

double rosenbrock_native(const double* x) {
  double s = 0.0;
  for (int i = 0; i + 1 < bench::kRosenbrockN; ++i) {
    const double a = x[i + 1] - x[i] * x[i];
    const double b = 1.0 - x[i];
    s += 100.0 * a * a + b * b;
  }
  return s;
}

double net_native(const double* w) {
  using bench::kNetBatch, bench::kNetHidden, bench::kNetInputs;
  const double* b1 = w + kNetHidden * kNetInputs;
  const double* w2 = b1 + kNetHidden;
  const double b2 = w[bench::kNetWeights - 1];
  double loss = 0.0;
  for (int s = 0; s < kNetBatch; ++s) {
    double out = b2 - (((7 * s) % 5) - 2) / 2.0;
    for (int j = 0; j < kNetHidden; ++j) {
      double pre = b1[j];
      for (int k = 0; k < kNetInputs; ++k) pre += ((5 * s + 3 * k) % 9 - 4) / 4.0 * w[j * kNetInputs + k];
      out += w2[j] * std::tanh(pre);
    }
    loss += out * out;
  }
  return loss;
}

double seed_native(const double* x) { return x[0] * x[0] * x[1] + std::exp(x[0] * x[1]); }

struct Problem {
  std::string name;
  Expr f;
  std::vector<Expr> vars;
  double (*native)(const double*);
  Eigen::Index points;
};

std::vector<Problem> problems() {
  std::vector<Problem> out;
  const Expr x = nabla::sym::symbol("x"), y = nabla::sym::symbol("y");
  out.push_back({"seed x^2 y + e^(xy)", x * x * y + nabla::sym::exp(x * y), {x, y}, seed_native, 4096});
  out.push_back({"nest, depth 6", bench::nest(x, bench::kNestDepth), {x}, nest_native, 4096});
  std::vector<Expr> xs;
  // Names appended, not "x" + std::to_string(i): GCC 12 warns falsely (-Wrestrict, bug 105329).
  for (int i = 0; i < bench::kRosenbrockN; ++i)
    xs.push_back(nabla::sym::symbol(std::string("x").append(std::to_string(i))));
  out.push_back({"chained Rosenbrock, n = 100", bench::rosenbrock<SymOps>(xs), xs, rosenbrock_native, 1024});
  std::vector<Expr> ws;
  for (int i = 0; i < bench::kNetWeights; ++i)
    ws.push_back(nabla::sym::symbol(std::string("w").append(std::to_string(i))));
  out.push_back({"tanh network loss, 49 weights", bench::net_loss<SymOps>(ws), ws, net_native, 1024});
  return out;
}

/// Seconds per call of `sweep`, the median of 11 timings of enough calls.
double seconds_per_sweep(const std::function<double()>& sweep, double& sink) {
  using clock = std::chrono::steady_clock;
  int reps = 1;
  for (;;) {
    const auto t0 = clock::now();
    for (int r = 0; r < reps; ++r) sink += sweep();
    if (std::chrono::duration<double>(clock::now() - t0).count() >= 0.02) break;
    reps *= 2;
  }
  std::vector<double> times;
  for (int k = 0; k < 11; ++k) {
    const auto t0 = clock::now();
    for (int r = 0; r < reps; ++r) sink += sweep();
    times.push_back(std::chrono::duration<double>(clock::now() - t0).count() / reps);
  }
  std::nth_element(times.begin(), times.begin() + 5, times.end());
  return times[5];
}

void run(const Problem& problem, const nabla::sym::NativeOptions& options, double& sink) {
  const nabla::Program program = nabla::sym::compile(problem.f, problem.vars);
  const auto t0 = std::chrono::steady_clock::now();
  const nabla::sym::NativeFunction compiled = nabla::sym::compile_native(problem.f, problem.vars, options);
  const double compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto n = static_cast<Eigen::Index>(problem.vars.size());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-0.9, 0.9);
  Eigen::MatrixXd points(n, problem.points);
  for (Eigen::Index j = 0; j < points.cols(); ++j)
    for (Eigen::Index i = 0; i < n; ++i) points(i, j) = u(rng);
  std::vector<Eigen::VectorXd> columns;
  for (Eigen::Index j = 0; j < points.cols(); ++j) columns.emplace_back(points.col(j));

  const Eigen::MatrixXd batch = program.values_batch(points);
  double worst = 0.0;
  for (Eigen::Index j = 0; j < points.cols(); ++j) {
    const double native = problem.native(points.col(j).data());
    const double scale = std::max(1.0, std::abs(native));
    worst = std::max({worst, std::abs(batch(0, j) - native) / scale,
                      std::abs(compiled.value(points.col(j).data()) - native) / scale,
                      std::abs(program.value(columns[static_cast<std::size_t>(j)]) - native) / scale});
  }

  const double count = static_cast<double>(points.cols());
  // A sweep that evaluates one point at a time, value_at(j) for every column j.
  const auto point_by_point = [&](auto value_at) {
    return seconds_per_sweep(
        [&] {
          double s = 0.0;
          for (Eigen::Index j = 0; j < points.cols(); ++j) s += value_at(j);
          return s;
        },
        sink);
  };
  const double native = point_by_point([&](Eigen::Index j) { return problem.native(points.col(j).data()); });
  const double one_by_one =
      point_by_point([&](Eigen::Index j) { return program.value(columns[static_cast<std::size_t>(j)]); });
  const double batched = seconds_per_sweep([&] { return program.values_batch(points).sum(); }, sink);
  const double generated =
      point_by_point([&](Eigen::Index j) { return compiled.value(points.col(j).data()); });
  std::printf(
      "| %-30s | %5zu | %6ld | %9.1f | %9.1f (%5.2fx) | %9.1f (%5.2fx) | %9.1f (%5.2fx) | %6.0f | %.1e |\n",
      problem.name.c_str(), program.size(), static_cast<long>(points.cols()), 1e9 * native / count,
      1e9 * one_by_one / count, one_by_one / native, 1e9 * batched / count, batched / native,
      1e9 * generated / count, generated / native, 1e3 * compile_seconds, worst);
}

}  // namespace

int main() {
  double sink = 0.0;
  // an empty cache of its own, so that the compile time is a compilation's
  nabla::sym::NativeOptions options;
  options.gradient = false;
  options.cache_dir = (std::filesystem::temp_directory_path() /
                       ("nabla-bench-compile-" + std::to_string(std::random_device{}())))
                          .string();
  std::printf(
      "| problem | instructions | points | C++ ns/point | Program::value ns/point (x C++) | "
      "values_batch ns/point (x C++) | native ns/point (x C++) | native compile ms | max rel. difference |\n"
      "|---|---|---|---|---|---|---|---|---|\n");
  for (const Problem& p : problems()) run(p, options, sink);
  std::filesystem::remove_all(options.cache_dir);
  std::printf("(checksum %g)\n", sink);
  return 0;
}
