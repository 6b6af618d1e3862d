// The vocabulary of nabla::numdiff: the difference methods, the Options that
// tune a numerical derivative (method, first step, step ratio, Richardson
// levels, number of steps), and the Estimate types that pair every numerical
// result with a bound on its error.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <optional>
#include <ostream>

#include "nabla/core/errors.hpp"

namespace nabla::numdiff {

/// How a derivative is sampled.
enum class Method {
  central,      ///< (f(x+h) - f(x-h)) / 2h, error O(h^2)
  forward,      ///< (f(x+h) - f(x)) / h, error O(h)
  backward,     ///< (f(x) - f(x-h)) / h, error O(h)
  five_point,   ///< (f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)) / 12h, error O(h^4)
  complex_step  ///< Im f(x+ih) / h, error O(h^2) and no cancellation; f must accept std::complex<double>
};

/// The name of a method, as written in this header.
inline const char* to_string(Method method) {
  switch (method) {
    case Method::central:
      return "central";
    case Method::forward:
      return "forward";
    case Method::backward:
      return "backward";
    case Method::five_point:
      return "five_point";
    case Method::complex_step:
      return "complex_step";
  }
  return "unknown";
}

/// Tuning of a numerical derivative. The defaults reach about 1e-13 relative
/// accuracy on smooth functions; changing them is rarely needed.
struct Options {
  /// The difference formula sampled at each step. Where a two-sided one
  /// (central, five_point) finds f NaN on one side of x at every step (x on
  /// the edge of f's domain), the one-sided formula on the other side is
  /// used, when it converges.
  Method method = Method::central;
  /// The largest step, relative to max(|x|, 1) for differences (or the
  /// largest step whose points stay in f's domain, for an estimate without
  /// a bound where f is NaN beyond an edge near x, as log(x) at 1e-20) and to
  /// min(|x|, 1) (1 at x = 0) for the complex step; unset means the
  /// method's default (0.25 for differences, 1e-20 for the complex step,
  /// 1e-8 where 1e-20 min(|x|, 1) is below 1e-290).
  std::optional<double> initial_step;
  /// Each step is the previous one divided by this ratio (>= 1.01: closer
  /// to 1, rows differ by little more than rounding). Not 2 or
  /// another simple fraction: steps h_0 / 2^i of a periodic f (sin at x = 6458,
  /// whose first step 1615 is about 257 periods) can all land near multiples
  /// of its half period and agree on a wrong slope. With 1.9, no such run
  /// appeared in 20000 points of sin at |x| from 1e-8 to 1e8; with 2, 460 did.
  double step_ratio = 1.9;
  /// Columns of the Richardson table beyond the raw differences (0 = none).
  int richardson_levels = 8;
  /// The most steps tried; sampling stops earlier once roundoff at the
  /// current step exceeds a settled estimate, or when the steps fall below
  /// what x can resolve. 60 steps from the default first step, each 1.9
  /// times smaller, reach 9e-18 max(|x|, 1): close enough to find the
  /// derivative of log or 1/x at x = 1e-15, or of sin at x = 1e8.
  int max_steps = 60;
};

/// A numerical value and a bound on its absolute error: |value - exact| <= error
/// for functions smooth near the point, also where their computed values are
/// noisy (the bound reads that noise: noise.hpp). A NaN value comes with an
/// infinite error.
struct Estimate {
  double value = std::numeric_limits<double>::quiet_NaN();
  double error = std::numeric_limits<double>::infinity();
};

/// A numerical vector (a gradient) and per-component error bounds.
struct VectorEstimate {
  Eigen::VectorXd value;
  Eigen::VectorXd error;
};

/// A numerical matrix (a Jacobian, a Hessian) and per-entry error bounds.
struct MatrixEstimate {
  Eigen::MatrixXd value;
  Eigen::MatrixXd error;
};

/// Prints "value +/- error".
inline std::ostream& operator<<(std::ostream& out, const Estimate& e) {
  return out << e.value << " +/- " << e.error;
}

namespace detail {

/// The default largest relative step of a method.
inline double default_initial_step(Method method) { return method == Method::complex_step ? 1e-20 : 0.25; }

/// Throws DomainError for options no derivative can be computed with.
inline void validate(const Options& options) {
  const double h = options.initial_step.value_or(default_initial_step(options.method));
  if (!(std::isfinite(h) && h > 0)) throw DomainError("numdiff: initial_step must be finite and positive");
  if (!(std::isfinite(options.step_ratio) && options.step_ratio >= 1.01))
    throw DomainError("numdiff: step_ratio must be finite and at least 1.01");
  if (options.richardson_levels < 0) throw DomainError("numdiff: richardson_levels must be non-negative");
  if (options.max_steps < 1) throw DomainError("numdiff: max_steps must be at least 1");
}

/// The scale a step is relative to: max(|x|, 1).
inline double step_scale(double x) { return std::fmax(std::fabs(x), 1.0); }

}  // namespace detail
}  // namespace nabla::numdiff
