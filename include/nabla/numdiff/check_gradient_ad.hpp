// The gradient check of reverse mode: check_gradient(f, x) records f (a
// generic callable over VectorX<T>) with nabla::gradient and compares the
// result with the numerical gradient of the same f run on doubles.
#pragma once

#include <Eigen/Core>
#include <utility>

#include "nabla/ad/drivers.hpp"
#include "nabla/numdiff/check_gradient.hpp"
#include "nabla/numdiff/multivariate.hpp"
#include "nabla/numdiff/options.hpp"

namespace nabla::numdiff {

/// Checks nabla::gradient(f, x) (reverse mode) against the numerical gradient
/// of f at x; f is generic, f(const VectorX<T>&) -> T for T = double and Var.
template <class F>
GradientCheck check_gradient(F&& f, const Eigen::VectorXd& x, double tolerance = 1e-6,
                             const Options& options = {}) {
  detail::require_checkable(x, tolerance);
  Eigen::VectorXd tested = nabla::gradient(f, x);
  return detail::compare_gradients(std::move(tested), numdiff::gradient_estimate(f, x, options), tolerance);
}

}  // namespace nabla::numdiff
