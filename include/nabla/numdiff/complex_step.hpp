// The complex-step derivative, f'(x) = Im f(x + ih) / h + O(h^2): no
// subtraction, hence no cancellation, so a tiny step gives f' to rounding.
// It needs f to accept std::complex<double> (a generic lambda over
// std::exp, std::sin, +, *, / does) and to be analytic: no abs, max,
// comparisons or conjugates on the argument.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <complex>
#include <limits>
#include <type_traits>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/options.hpp"

namespace nabla::numdiff {

namespace detail {

/// The default complex step is relative to min(|x|, 1) (to 1 at x = 0):
/// there is no cancellation to keep it away from, so it need not grow with
/// |x| (at x = 1e25 a step of 1e5 would overflow cosh in sin's imaginary
/// part), but it must shrink with |x| (log at 1e-25 varies on that scale,
/// and at 1e-305 a step floored at 1e-300 gave log' = 3e300 +/- 2e300).
inline double complex_step_scale(double x) { return x == 0 ? 1.0 : std::fmin(std::fabs(x), 1.0); }

/// The first step: initial_step (default 1e-20) times `scale`. Where the
/// default would fall below 1e-290 (|x| < 1e-270), whose imaginary parts
/// come near the subnormals and lose digits, it is 1e-8 |x| instead: the
/// truncation, (h/x)^2 relative, stays at rounding.
inline double complex_first_step(const Options& options, double scale) {
  if (options.initial_step) return *options.initial_step * scale;
  const double h = default_initial_step(Method::complex_step) * scale;
  return h < 1e-290 ? 1e-8 * scale : h;
}

/// Whether f(x + 0i), computed as `at_x`, is a finite real number: a pole, a
/// point outside f's real domain, or a branch cut (log(-1 + 0i) = i pi) has
/// no complex-step derivative.
inline bool real_and_finite(std::complex<double> at_x) {
  return std::isfinite(at_x.real()) && std::isfinite(at_x.imag()) &&
         std::fabs(at_x.imag()) <=
             std::sqrt(std::numeric_limits<double>::epsilon()) * std::fmax(std::fabs(at_x.real()), 1.0);
}

/// Im g(h) / h at two steps, h and h/2, and the error bound: their difference
/// plus a few rounding units of the derivative and of the value per unit of x
/// (per max(|x|, 1): `x_size`), and the absolute rounding of imaginary parts
/// that are subnormal (a subnormal step). NaN with an infinite error when
/// g(0) = f(x) is not a finite real number.
template <class G>
Estimate complex_step_along(G& g, double x_size, double step_scale, const Options& options) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double h = complex_first_step(options, step_scale);
  if (!(std::isfinite(h) && h > 0)) throw DomainError("numdiff: initial_step must be finite and positive");
  if (!real_and_finite(g(0.0))) return {};
  const std::complex<double> y1 = g(h);
  const std::complex<double> y2 = g(h / 2);
  const double d1 = y1.imag() / h;
  const double d2 = y2.imag() / (h / 2);
  const double subnormal = 4 * std::numeric_limits<double>::denorm_min() / (h / 2);
  Estimate e{d2, std::fabs(d2 - d1) + 4 * eps * (std::fabs(d2) + std::fabs(y2.real()) / x_size) + subnormal};
  if (!std::isfinite(e.value) || !std::isfinite(e.error)) return {};
  return e;
}

}  // namespace detail

/// f'(x) by the complex step, with an error bound; f maps std::complex<double>
/// to std::complex<double>. The default step is 1e-20 min(|x|, 1) (1e-20 at
/// x = 0, and 1e-8 |x| where that is below 1e-290), for which the result is
/// exact to rounding (~1e-16 relative) on functions that vary on the scale of
/// min(|x|, 1) or slower. NaN with an
/// infinite error where f(x) is not a finite real number.
template <class F>
Estimate complex_step(F&& f, double x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, std::complex<double>>,
                "numdiff::complex_step: f must be callable as f(std::complex<double>)");
  if (!std::isfinite(x)) return {};
  auto g = [&](double h) { return std::complex<double>(f(std::complex<double>(x, h))); };
  return detail::complex_step_along(g, detail::step_scale(x), detail::complex_step_scale(x), options);
}

/// The gradient of f: VectorX<std::complex<double>> -> std::complex<double>
/// by one complex step per component, with error bounds.
template <class F>
VectorEstimate complex_step_gradient(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  using VectorXc = Eigen::Matrix<std::complex<double>, Eigen::Dynamic, 1>;
  static_assert(std::is_invocable_v<F&, const VectorXc&>,
                "numdiff::complex_step_gradient: f must be callable as f(VectorX<std::complex<double>>)");
  require_dimension(x.size() > 0, "numdiff::complex_step_gradient: x is empty");
  VectorEstimate result{Eigen::VectorXd(x.size()), Eigen::VectorXd(x.size())};
  VectorXc z = x.cast<std::complex<double>>();
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    Estimate e;
    if (std::isfinite(x(i)) && x.allFinite()) {
      auto g = [&](double h) {
        z(i) = std::complex<double>(x(i), h);
        const std::complex<double> y(f(static_cast<const VectorXc&>(z)));
        z(i) = x(i);
        return y;
      };
      e = detail::complex_step_along(g, detail::step_scale(x(i)), detail::complex_step_scale(x(i)), options);
    }
    result.value(i) = e.value;
    result.error(i) = e.error;
  }
  return result;
}

}  // namespace nabla::numdiff
