// Numerical gradients, Jacobians and Hessians of functions of Eigen vectors,
// each entry extrapolated to step zero like a scalar derivative (steps
// relative to max(|x_i|, 1)), with per-entry error bounds in the *_estimate
// variants. Accuracy on smooth functions: gradients and Jacobians about
// 1e-13 relative, Hessians about 1e-11 relative to their largest entry
// (second differences lose more digits to roundoff than first ones).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/differences.hpp"
#include "nabla/numdiff/options.hpp"
#include "nabla/numdiff/richardson.hpp"

namespace nabla::numdiff {

namespace detail {

/// f(x) as a one-entry array, for a scalar-valued f of a vector.
template <class F>
Eigen::ArrayXd scalar_value(F& f, const Eigen::VectorXd& x) {
  Eigen::ArrayXd y(1);
  y(0) = static_cast<double>(f(x));
  return y;
}

/// Throws for what a vector derivative cannot take: no inputs, invalid options,
/// the complex step (see complex_step_gradient).
inline void require_vector_input(const Eigen::VectorXd& x, const Options& options, const char* what) {
  require_dimension(x.size() > 0, std::string("numdiff::") + what + ": x is empty");
  validate(options);
  if (options.method == Method::complex_step)
    throw DomainError(std::string("numdiff::") + what +
                      ": Method::complex_step needs a complex-valued f; call numdiff::complex_step_gradient");
}

/// The mixed second derivative d2f/dx_i dx_j (i != j) by the cross stencil
/// (f(u_i, u_j) - f(u_i, l_j) - f(l_i, u_j) + f(l_i, l_j)) / (w_i w_j) with,
/// along each of x_i and x_j, the lower and upper offsets l = -h, u = h
/// (central, Side::both), l = 0, u = h (Side::right) or l = -h, u = 0
/// (Side::left), w = u - l, extrapolated over steps h_i, h_j that shrink
/// together: the central cross's error is a series in even powers, a
/// one-sided one's in all powers. `value_noise` bounds f's noise near x
/// beyond the roundoff model (see noise.hpp; the diagonal entries read it
/// along x_i and x_j).
template <class F>
Estimate mixed_partial(F& f, const Eigen::VectorXd& x, Eigen::Index i, Eigen::Index j, const Options& options,
                       double value_noise = 0, Side side_i = Side::both, Side side_j = Side::both) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  const double h0 = options.initial_step.value_or(default_initial_step(options.method));
  Eigen::VectorXd point = x;
  auto at = [&](double di, double dj) {
    point(i) = x(i) + di;
    point(j) = x(j) + dj;
    const double y = static_cast<double>(f(static_cast<const Eigen::VectorXd&>(point)));
    point(i) = x(i);
    point(j) = x(j);
    return y;
  };
  // The offsets as rounded (x + h - x need not be h), lower and upper.
  auto offsets = [](double xk, double h, Side side) {
    const double up = side == Side::left ? 0 : (xk + h) - xk;
    const double down = side == Side::right ? 0 : (xk - h) - xk;
    return std::pair{down, up};
  };
  double previous_hi = 0, previous_hj = 0;
  auto sample = [&](int k) {
    const double shrink = std::pow(options.step_ratio, -k);
    const double hi = representable_step(x(i), h0 * step_scale(x(i)) * shrink, 1);
    const double hj = representable_step(x(j), h0 * step_scale(x(j)) * shrink, 1);
    // steps that round to the previous ones repeat its row (see extrapolated_difference)
    const bool repeated = hi == previous_hi && hj == previous_hj;
    previous_hi = hi;
    previous_hj = hj;
    const auto [li, ui] = offsets(x(i), hi, side_i);
    const auto [lj, uj] = offsets(x(j), hj, side_j);
    const double wi = ui - li, wj = uj - lj;
    // (w_i w_j itself may overflow: steps of 1e199 at x = 1e200; divide by each)
    if (repeated || !(wi > 0 && wj > 0 && std::isfinite(wi) && std::isfinite(wj)))
      return Sample{Eigen::ArrayXd::Constant(1, std::numeric_limits<double>::quiet_NaN()),
                    Eigen::ArrayXd::Constant(1, std::numeric_limits<double>::quiet_NaN())};
    const double fuu = at(ui, uj), ful = at(ui, lj), flu = at(li, uj), fll = at(li, lj);
    // Roundoff: each value wrong by eps (|f| + |x_i df/dx_i| + |x_j df/dx_j|)
    // (and by half the smallest subnormal at least), the slopes taken from the
    // same four samples; quarters and eps first, so that values near the
    // largest double do not overflow the bound.
    const double slope_i = std::fabs(fuu / 4 + ful / 4 - flu / 4 - fll / 4) / (wi / 2);
    const double slope_j = std::fabs(fuu / 4 - ful / 4 + flu / 4 - fll / 4) / (wj / 2);
    const double values = eps * std::fabs(fuu) + eps * std::fabs(ful) + eps * std::fabs(flu) +
                          eps * std::fabs(fll) + 4 * std::numeric_limits<double>::denorm_min();
    const double arguments =
        (4 * eps * (std::fabs(x(i)) + hi)) * slope_i + (4 * eps * (std::fabs(x(j)) + hj)) * slope_j;
    const double area = wi * wj;
    auto per_area = [&](double v) { return std::isfinite(area) ? v / area : v / wi / wj; };
    const double model = per_area(values + arguments);
    return Sample{Eigen::ArrayXd::Constant(1, per_area(fuu - ful - flu + fll)),
                  Eigen::ArrayXd::Constant(1, model + per_area(4 * value_noise)),
                  Eigen::ArrayXd::Constant(1, model)};
  };
  const int steps = std::min(useful_steps(x(i), h0 * step_scale(x(i)), options),
                             useful_steps(x(j), h0 * step_scale(x(j)), options));
  const int power = side_i == Side::both && side_j == Side::both ? 2 : 1;
  const ArrayEstimate e =
      extrapolate(sample, Schedule{options.step_ratio, power, power, options.richardson_levels, steps});
  return {e.value(0), e.error(0)};
}

/// mixed_partial by the central cross, or where that leaves f's domain (the
/// entry NaN; f(x) is finite here) by the first cross that stays inside and
/// converges, one-sided along x_i, along x_j, then along both (see
/// extrapolated_difference).
template <class F>
Estimate mixed_partial_in_domain(F& f, const Eigen::VectorXd& x, Eigen::Index i, Eigen::Index j,
                                 const Options& options, double value_noise) {
  const Estimate central = mixed_partial(f, x, i, j, options, value_noise);
  if (!std::isnan(central.value)) return central;
  constexpr std::array<std::pair<Side, Side>, 8> kOneSided{{{Side::right, Side::both},
                                                            {Side::left, Side::both},
                                                            {Side::both, Side::right},
                                                            {Side::both, Side::left},
                                                            {Side::right, Side::right},
                                                            {Side::right, Side::left},
                                                            {Side::left, Side::right},
                                                            {Side::left, Side::left}}};
  for (const auto& [side_i, side_j] : kOneSided) {
    const Estimate e = mixed_partial(f, x, i, j, options, value_noise, side_i, side_j);
    if (e.error < std::numeric_limits<double>::infinity()) return e;
  }
  return central;
}

}  // namespace detail

/// The gradient of f: Eigen::VectorXd -> double at x with per-component error
/// bounds; one extrapolated difference (options.method) per component, each
/// with its own reading of f's noise along x_i (see derivative).
template <class F>
VectorEstimate gradient_estimate(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, const Eigen::VectorXd&>,
                "numdiff::gradient: f must be callable as f(const Eigen::VectorXd&) -> double");
  detail::require_vector_input(x, options, "gradient");
  const Eigen::Index n = x.size();
  VectorEstimate result{Eigen::VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN()),
                        Eigen::VectorXd::Constant(n, std::numeric_limits<double>::infinity())};
  if (!x.allFinite()) return result;
  const Stencil stencil = stencil_for(options.method, 1);
  // f(x) also for the central stencil, which does not sample it: where f(x)
  // is not finite there is no gradient (extrapolated_difference).
  const Eigen::ArrayXd center = detail::scalar_value(f, x);
  Eigen::VectorXd point = x;
  for (Eigen::Index i = 0; i < n; ++i) {
    auto g = [&](double t) {
      point(i) = t;
      Eigen::ArrayXd y = detail::scalar_value(f, point);
      point(i) = x(i);
      return y;
    };
    const ArrayEstimate e = detail::extrapolated_difference(g, x(i), stencil, options, 1, &center);
    result.value(i) = e.value(0);
    result.error(i) = e.error(0);
  }
  return result;
}

/// The gradient of f: Eigen::VectorXd -> double at x (see gradient_estimate).
template <class F>
Eigen::VectorXd gradient(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  return numdiff::gradient_estimate(f, x, options).value;
}

/// The m×n Jacobian of f: Eigen::VectorXd -> Eigen::VectorXd (m outputs) at x
/// with per-entry error bounds; one extrapolated difference per column.
template <class F>
MatrixEstimate jacobian_estimate(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, const Eigen::VectorXd&>,
                "numdiff::jacobian: f must be callable as f(const Eigen::VectorXd&) -> Eigen::VectorXd");
  detail::require_vector_input(x, options, "jacobian");
  auto g_at = [&f](const Eigen::VectorXd& p) -> Eigen::ArrayXd {
    const Eigen::VectorXd y = f(p);
    return y.array();
  };
  const Eigen::ArrayXd center = g_at(x);
  const Eigen::Index m = center.size(), n = x.size();
  require_dimension(m > 0, "numdiff::jacobian: f returned an empty vector");
  MatrixEstimate result{Eigen::MatrixXd::Constant(m, n, std::numeric_limits<double>::quiet_NaN()),
                        Eigen::MatrixXd::Constant(m, n, std::numeric_limits<double>::infinity())};
  if (!x.allFinite()) return result;
  const Stencil stencil = stencil_for(options.method, 1);
  Eigen::VectorXd point = x;
  for (Eigen::Index i = 0; i < n; ++i) {
    auto g = [&](double t) {
      point(i) = t;
      Eigen::ArrayXd y = g_at(point);
      point(i) = x(i);
      return y;
    };
    const ArrayEstimate e = detail::extrapolated_difference(g, x(i), stencil, options, m, &center);
    result.value.col(i) = e.value.matrix();
    result.error.col(i) = e.error.matrix();
  }
  return result;
}

/// The m×n Jacobian of f: Eigen::VectorXd -> Eigen::VectorXd at x (see jacobian_estimate).
template <class F>
Eigen::MatrixXd jacobian(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  return numdiff::jacobian_estimate(f, x, options).value;
}

/// The n×n Hessian of f: Eigen::VectorXd -> double at x with per-entry error
/// bounds. The diagonal uses the second-difference stencil of options.method
/// (central by default), the off-diagonal entries the central cross stencil,
/// all extrapolated; the result is exactly symmetric. About 1e-11 relative to
/// the largest entry on smooth functions, at 2n + 4 n(n-1)/2 evaluations per
/// step, and 8 per x_i (up to 24) that read f's noise along x_i; a mixed
/// entry's bound takes the larger noise of its two directions.
template <class F>
MatrixEstimate hessian_estimate(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, const Eigen::VectorXd&>,
                "numdiff::hessian: f must be callable as f(const Eigen::VectorXd&) -> double");
  detail::require_vector_input(x, options, "hessian");
  const Eigen::Index n = x.size();
  MatrixEstimate result{Eigen::MatrixXd::Constant(n, n, std::numeric_limits<double>::quiet_NaN()),
                        Eigen::MatrixXd::Constant(n, n, std::numeric_limits<double>::infinity())};
  if (!x.allFinite()) return result;
  const Stencil stencil = stencil_for(options.method, 2);
  const Eigen::ArrayXd center = detail::scalar_value(f, x);
  if (!center.allFinite()) return result;  // a pole or outside f's domain: no Hessian
  Eigen::VectorXd point = x;
  // f's noise beyond the roundoff model, read along each x_i for the
  // diagonal; a mixed entry takes the larger of its two directions'.
  Eigen::VectorXd noise(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    auto g = [&](double t) {
      point(i) = t;
      Eigen::ArrayXd y = detail::scalar_value(f, point);
      point(i) = x(i);
      return y;
    };
    const Eigen::ArrayXd noise_i = detail::value_noise(g, x(i), detail::stencil_side(stencil), center, 1);
    noise(i) = noise_i(0);
    const ArrayEstimate e = detail::extrapolated_difference(g, x(i), stencil, options, 1, &center, &noise_i);
    result.value(i, i) = e.value(0);
    result.error(i, i) = e.error(0);
    for (Eigen::Index j = 0; j < i; ++j) {
      const Estimate mixed =
          detail::mixed_partial_in_domain(f, x, i, j, options, std::fmax(noise(i), noise(j)));
      result.value(i, j) = result.value(j, i) = mixed.value;
      result.error(i, j) = result.error(j, i) = mixed.error;
    }
  }
  return result;
}

/// The n×n Hessian of f: Eigen::VectorXd -> double at x (see hessian_estimate).
template <class F>
Eigen::MatrixXd hessian(F&& f, const Eigen::VectorXd& x, const Options& options = {}) {
  return numdiff::hessian_estimate(f, x, options).value;
}

}  // namespace nabla::numdiff
