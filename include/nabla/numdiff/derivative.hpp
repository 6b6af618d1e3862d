// Numerical derivatives of scalar functions f: double -> double: the first
// derivative by any difference method and the second derivative, each
// extrapolated to step zero and returned with an error bound.
#pragma once

#include <Eigen/Core>
#include <type_traits>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/differences.hpp"
#include "nabla/numdiff/options.hpp"
#include "nabla/numdiff/richardson.hpp"

namespace nabla::numdiff {

namespace detail {

/// The extrapolated derivative of the given order of a scalar f at x.
template <class F>
Estimate scalar_derivative(F& f, double x, int order, const Options& options) {
  if (options.method == Method::complex_step)
    throw DomainError(
        "numdiff: Method::complex_step needs f(std::complex<double>); call numdiff::complex_step(f, x)");
  auto g = [&f](double t) {
    Eigen::ArrayXd y(1);
    y(0) = static_cast<double>(f(t));
    return y;
  };
  const ArrayEstimate e = extrapolated_difference(g, x, stencil_for(options.method, order), options, 1);
  return {e.value(0), e.error(0)};
}

}  // namespace detail

/// f'(x) with an error bound, by Richardson extrapolation of `options.method`
/// (central differences by default) over steps from 0.25 max(|x|, 1) down
/// (and from 0.25 |x| as well where |x| is below all of those, near 1e-17):
/// about 1e-13 relative on smooth functions. Where f itself is noisier than
/// a few rounding units (cancellation inside f), the bound takes that noise,
/// read from 8 more values of f near x (up to 56: noise.hpp), and is as
/// large as the noise makes the error. Method::complex_step throws
/// DomainError here: asking whether a generic f accepts std::complex<double>
/// would compile its body for complex numbers and break every f that cannot
/// (one using abs, max or comparisons), so the complex step has its own entry,
/// complex_step(f, x).
template <class F>
Estimate derivative(F&& f, double x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, double>,
                "numdiff::derivative: f must be callable as f(double) -> double");
  return detail::scalar_derivative(f, x, 1, options);
}

/// f''(x) with an error bound, by extrapolated second differences (central
/// by default): about 1e-11 relative on smooth functions.
template <class F>
Estimate second_derivative(F&& f, double x, const Options& options = {}) {
  static_assert(std::is_invocable_v<F&, double>,
                "numdiff::second_derivative: f must be callable as f(double) -> double");
  return detail::scalar_derivative(f, x, 2, options);
}

}  // namespace nabla::numdiff
