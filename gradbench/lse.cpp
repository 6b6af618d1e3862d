// The lse module: primal (LSE(x)) and gradient (by reverse mode: nn tensors,
// or the scalar tape).
#include "lse.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/nn/ops.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Lse::Lse(std::vector<double> x, LseMethod method)
    : x_(std::move(x)), e_(x_.size()), g_(x_.size()), method_(method) {
  if (x_.empty()) throw DimensionError("lse: x is empty");
  if (method_ == LseMethod::scalar_tape) ev_.resize(x_.size());
}

double Lse::primal() { return lse_objective(x_.data(), x_.size(), e_.data()); }

const std::vector<double>& Lse::gradient() {
  if (method_ == LseMethod::tensor) {
    // The same elements as lse_objective: a passive shift a, n exponentials, a sum, a log.
    double a = x_[0];
    for (double v : x_) a = std::max(a, v);
    tape_.clear();
    const auto x = tape_.parameter(x_.data(), g_.data(), 1, static_cast<Eigen::Index>(x_.size()),
                                   nn::ParameterGradient::overwrite);
    tape_.backward(nn::log(nn::sum(nn::exp(x - a))) + a);
    return g_;
  }
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
