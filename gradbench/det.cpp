// The det module: primal (det A) and gradient (d det / dA, row-major).
#include "det.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Det::Det(std::vector<double> a, std::size_t ell)
    : a_(std::move(a)), g_(a_.size()), ell_(ell), r_(ell + 1), c_(ell + 1), ad_(a_.size()) {
  if (ell_ == 0 || a_.size() != ell_ * ell_)
    throw DimensionError("det: A must have ell * ell entries (ell = " + std::to_string(ell_) + ", A has " +
                         std::to_string(a_.size()) + ")");
}

double Det::primal() { return det_objective(a_.data(), ell_, r_.data(), c_.data()); }

const std::vector<double>& Det::forward_gradient() {
  using D = Dual<double, 16>;
  const std::size_t n = a_.size();
  for (std::size_t first = 0; first < n; first += 16) {
    for (std::size_t i = 0; i < n; ++i)
      ad_[i] = i >= first && i < first + 16 ? D::variable(a_[i], i - first) : D(a_[i]);
    const D y = det_objective(ad_.data(), ell_, r_.data(), c_.data());
    for (std::size_t i = first; i < std::min(n, first + 16); ++i) g_[i] = y.tangent(i - first);
  }
  return g_;
}

const std::vector<double>& Det::gradient() {
  if (ell_ > kDetReverseMax) return forward_gradient();
  std::fill(g_.begin(), g_.end(), 0.0);
  reverse_.accumulate(a_.data(), a_.size(), g_.data(),
                      [&](const Var* a) { return det_objective(a, ell_, r_.data(), c_.data()); });
  return g_;
}

namespace {

Det make(const Json& input) {
  const auto ell = static_cast<std::size_t>(read_int(input, "ell", 1, 16));
  return Det(read_vector(input, "A", ell * ell), ell);
}

Evaluation run_primal(const Json& input) {
  Det det = make(input);
  double y = 0;
  auto times = repeat(read_runs(input), [&] { y = det.primal(); });
  return {y, std::move(times)};
}

Evaluation run_gradient(const Json& input) {
  Det det = make(input);
  const std::vector<double>* g = nullptr;
  auto times = repeat(read_runs(input), [&] { g = &det.gradient(); });
  return {*g, std::move(times)};
}

}  // namespace

Module det_module() { return Module{{{"primal", run_primal}, {"gradient", run_gradient}}}; }

}  // namespace nabla::gradbench
