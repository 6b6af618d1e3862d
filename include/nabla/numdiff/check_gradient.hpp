// Gradient checks: a gradient from elsewhere (reverse mode, a hand-written
// formula) compared component by component with the extrapolated numerical
// gradient, in a GradientCheck report. A discrepancy counts only beyond what
// the numerical estimate's own error bound explains, so a correct gradient
// passes at any tolerance and a wrong one fails as soon as its error is
// visible above the numerical noise. The overload taking only f and x, which
// gets the gradient from reverse mode, is in check_gradient_ad.hpp.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <concepts>
#include <iomanip>
#include <limits>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/multivariate.hpp"
#include "nabla/numdiff/options.hpp"

namespace nabla::numdiff {

/// The report of a gradient check.
struct GradientCheck {
  /// The gradient under test (reverse mode's in check_gradient(f, x)).
  Eigen::VectorXd ad_gradient;
  /// The extrapolated numerical gradient and its per-component error bounds.
  Eigen::VectorXd numeric_gradient;
  Eigen::VectorXd numeric_error;
  /// max_i |ad_i - numeric_i| (0 for equal values, infinities too; infinite
  /// when anything else is NaN or infinite).
  double max_abs_error = 0;
  /// max_i of max(0, |ad_i - numeric_i| - 4 numeric_error_i) / max(|ad_i|,
  /// |numeric_i|, sqrt(eps) max_k |numeric_k|): the discrepancy that the
  /// numerical error does not explain, relative to the component (or, for a
  /// component far below the others, to the gradient's size). Infinite when a
  /// component under test is NaN or infinite against a finite estimate, or
  /// when the numerical value is NaN or infinite and the two differ; 0 for a
  /// finite estimate without a bound, which leaves the check inconclusive.
  double max_rel_error = 0;
  /// The component with the largest relative error (the largest absolute one on a tie).
  Eigen::Index worst_index = 0;
  /// max_i 4 numeric_error_i / max(|ad_i|, |numeric_i|, sqrt(eps) max_k |numeric_k|):
  /// the relative discrepancy that the numerical error bound could hide.
  /// Infinite when a numerical value or error is unknown.
  double resolution = 0;
  /// Whether the numerical gradient is precise enough to judge every
  /// component: resolution <= kConclusiveResolution, so that a 1% error in
  /// any component shows. Near a singularity or a kink it may not be.
  bool conclusive = false;
  /// The tolerance `ok` was decided with.
  double tolerance = 0;
  /// passed(tolerance) and conclusive: a check whose numerical reference is
  /// too loose to see a wrong gradient does not pass.
  bool ok = false;

  /// The largest resolution of a conclusive check.
  static constexpr double kConclusiveResolution = 0.01;

  /// Whether every component agrees within `tol` in the sense of max_rel_error.
  bool passed(double tol) const { return max_rel_error <= tol; }
};

namespace detail {

/// Throws DimensionError for an empty x and DomainError for a tolerance that
/// is negative or NaN (every check, a correct one too, "FAILED" at one) or
/// infinite (none could fail), before any evaluation.
inline void require_checkable(const Eigen::VectorXd& x, double tolerance) {
  require_dimension(x.size() > 0, "numdiff::check_gradient: x is empty");
  if (!(tolerance >= 0 && tolerance < std::numeric_limits<double>::infinity()))
    throw DomainError("numdiff::check_gradient: the tolerance must be finite and not negative, not " +
                      std::to_string(tolerance));
}

/// Fills a GradientCheck from a gradient under test and a numerical estimate.
inline GradientCheck compare_gradients(Eigen::VectorXd tested, VectorEstimate numeric, double tolerance) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  require_dimension(tested.size() == numeric.value.size(),
                    "numdiff::check_gradient: the gradient has " + std::to_string(tested.size()) +
                        " components, x has " + std::to_string(numeric.value.size()));
  GradientCheck report;
  report.tolerance = tolerance;
  const double size = numeric.value.array().isFinite().select(numeric.value.array().abs(), 0.0).maxCoeff();
  const double floor = std::sqrt(std::numeric_limits<double>::epsilon()) * size;
  double worst_abs_at_worst = -1;
  for (Eigen::Index i = 0; i < tested.size(); ++i) {
    const double a = tested(i), v = numeric.value(i), e = numeric.error(i);
    const double abs_error = a == v ? 0.0 : (std::isnan(a - v) ? inf : std::fabs(a - v));
    double rel_error;
    if (!std::isfinite(v)) {  // no derivative there (a pole, outside the domain)
      rel_error = a == v ? 0.0 : inf;
      report.resolution = inf;
    } else if (!std::isfinite(a)) {  // NaN or an infinity against a finite estimate: wrong
      rel_error = inf;
    } else if (!(e < inf)) {  // a value with no bound cannot show a discrepancy
      rel_error = 0;
      report.resolution = inf;
    } else {
      const double excess = std::max(0.0, abs_error - 4 * e);
      const double scale = std::max({std::fabs(a), std::fabs(v), floor});
      rel_error = excess == 0 ? 0.0 : (scale > 0 ? excess / scale : inf);
      if (e > 0) report.resolution = std::max(report.resolution, scale > 0 ? 4 * e / scale : inf);
    }
    report.max_abs_error = std::max(report.max_abs_error, abs_error);
    if (rel_error > report.max_rel_error ||
        (rel_error == report.max_rel_error && abs_error > worst_abs_at_worst)) {
      report.max_rel_error = rel_error;
      report.worst_index = i;
      worst_abs_at_worst = abs_error;
    }
  }
  report.ad_gradient = std::move(tested);
  report.numeric_gradient = std::move(numeric.value);
  report.numeric_error = std::move(numeric.error);
  report.conclusive = report.resolution <= GradientCheck::kConclusiveResolution;
  report.ok = report.passed(tolerance) && report.conclusive;
  return report;
}

}  // namespace detail

/// Checks grad(x) (a callable returning Eigen::VectorXd) against the numerical
/// gradient of f: Eigen::VectorXd -> double at x. Throws DimensionError for an
/// empty x or a gradient of the wrong size, DomainError for a tolerance that
/// is negative, infinite or NaN.
template <class F, class G>
requires std::is_invocable_v<G&, const Eigen::VectorXd&> GradientCheck check_gradient(
    F&& f, G&& grad, const Eigen::VectorXd& x, double tolerance = 1e-6, const Options& options = {}) {
  detail::require_checkable(x, tolerance);
  Eigen::VectorXd tested = grad(x);
  return detail::compare_gradients(std::move(tested), numdiff::gradient_estimate(f, x, options), tolerance);
}

/// Prints the verdict (passed, FAILED, or INCONCLUSIVE when no discrepancy
/// shows but the numerical reference is too loose to see one), the worst component and, for up to 20
/// components, the gradient under test beside the numerical one and its error bound.
inline std::ostream& operator<<(std::ostream& out, const GradientCheck& check) {
  const auto flags = out.flags();
  const auto precision = out.precision();
  const bool passed = check.passed(check.tolerance);
  out << "gradient check "
      << (!passed            ? "FAILED"
          : check.conclusive ? "passed"
                             : "INCONCLUSIVE")
      << " (tolerance " << check.tolerance << "): worst component " << check.worst_index
      << ", |ad - numeric| = " << check.max_abs_error << ", relative " << check.max_rel_error << '\n';
  if (passed && !check.conclusive)
    out << "the numerical gradient's error bounds could hide a relative error of " << check.resolution
        << " (a conclusive check needs at most " << GradientCheck::kConclusiveResolution << ")\n";
  const Eigen::Index n = check.ad_gradient.size();
  const Eigen::Index shown = std::min<Eigen::Index>(n, 20);
  out << std::setw(6) << "i" << std::setw(24) << "ad" << std::setw(24) << "numeric" << std::setw(14)
      << "error" << '\n';
  out << std::setprecision(16);
  for (Eigen::Index i = 0; i < shown; ++i)
    out << std::setw(6) << i << std::setw(24) << check.ad_gradient(i) << std::setw(24)
        << check.numeric_gradient(i) << std::setprecision(3) << std::setw(14) << check.numeric_error(i)
        << std::setprecision(16) << (i == check.worst_index ? "  <- worst" : "") << '\n';
  if (shown < n) out << "  ... " << (n - shown) << " more components\n";
  out.flags(flags);
  out.precision(precision);
  return out;
}

}  // namespace nabla::numdiff
