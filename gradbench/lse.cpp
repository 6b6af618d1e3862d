// The lse module: primal (LSE(x)) and gradient (by reverse mode).
#include "lse.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Lse::Lse(std::vector<double> x) : x_(std::move(x)), e_(x_.size()), g_(x_.size()), ev_(x_.size()) {
  if (x_.empty()) throw DimensionError("lse: x is empty");
}

double Lse::primal() { return lse_objective(x_.data(), x_.size(), e_.data()); }

const std::vector<double>& Lse::gradient() {
  std::fill(g_.begin(), g_.end(), 0.0);
  reverse_.accumulate(x_.data(), x_.size(), g_.data(),
                      [&](const Var* x) { return lse_objective(x, x_.size(), ev_.data()); });
  return g_;
}

namespace {

Evaluation run_primal(const Json& input) {
  Lse lse(read_vector(input, "x"));
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = lse.primal(); });
  return {y, std::move(times)};
}

Evaluation run_gradient(const Json& input) {
  Lse lse(read_vector(input, "x"));
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &lse.gradient(); });
  return {*g, std::move(times)};
}

}  // namespace

Module lse_module() { return Module{{{"primal", run_primal}, {"gradient", run_gradient}}}; }

}  // namespace nabla::gradbench
