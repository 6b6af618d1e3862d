// The det module: primal (det A) and gradient (d det / dA, row-major).
#include "det.hpp"

#include <algorithm>

#include "json_io.hpp"
#include "module.hpp"
#include "nabla/ad/preaccumulate.hpp"
#include "nabla/core/errors.hpp"
#include "runs.hpp"

namespace nabla::gradbench {

Det::Det(std::vector<double> a, std::size_t ell, std::size_t local_minor)
    : a_(std::move(a)),
      g_(a_.size()),
      ell_(ell),
      local_minor_(local_minor),
      r_(ell + 1),
      c_(ell + 1),
      local_r_(local_minor + 1),
      local_c_(local_minor + 1),
      ad_(a_.size()) {
  if (local_minor_ == 0) throw DimensionError("det: the preaccumulated minors must have at least one entry");
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
  reverse_.accumulate(a_.data(), a_.size(), g_.data(), [&](const Var* a) {
    for (std::size_t i = 0; i < ell_; ++i) r_[i] = c_[i] = i + 1;
    r_[ell_] = c_[ell_] = 0;
    return preaccumulated_minor(a, ell_);
  });
  return g_;
}

Var Det::preaccumulated_minor(const Var* a, std::size_t m) {
  const std::size_t n = ell_;
  if (m > local_minor_)
    return expand_first_row(a, n, m, r_.data(), c_.data(), [&] { return preaccumulated_minor(a, m - 1); });
  if (m == n) return det_of_minor(a, n, m, r_.data(), c_.data());
  local_.resize(m * m);
  std::size_t k = 0;
  for (std::size_t row = r_[n]; row != n; row = r_[row])
    for (std::size_t col = c_[n]; col != n; col = c_[col]) local_[k++] = a[row * n + col];
  return preaccumulate(std::span<const Var>(local_), [&](std::span<const Var> x) {
    return det_objective(x.data(), m, local_r_.data(), local_c_.data());
  });
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
