// Line searches along a direction p from x: phi(alpha) = f(x + alpha p).
// Armijo backtracking (sufficient decrease only, with safeguarded quadratic
// interpolation) and the Moré–Thuente search for the strong Wolfe conditions
//   phi(alpha) <= phi(0) + c1 alpha phi'(0),   |phi'(alpha)| <= c2 |phi'(0)|
// (J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed
// sufficient decrease", ACM TOMS 20(3), 1994), written from the paper: the
// auxiliary function psi until a point with psi <= 0 and phi' >= c1 phi'(0)
// is found, then phi; trial steps by the four cases of cubic, quadratic and
// secant interpolation, safeguarded by extrapolation limits and bisection.
// A non-finite phi at a trial step shrinks the step instead of failing. With
// an interval tolerance xtol (MINPACK-2's; L-BFGS-B uses 0.1) the search also
// ends at its best end once the bracket is narrow, if that gives sufficient
// decrease.
#pragma once

#include <functional>

namespace nabla::optim {

/// phi(alpha) and phi'(alpha) at a trial step; returns false when no
/// evaluation is left in the budget (the search then stops).
using LineFunction = std::function<bool(double alpha, double& phi, double& dphi)>;

/// Constants of a line search.
struct LineSearchParameters {
  double c1 = 1e-4;  ///< sufficient decrease
  double c2 = 0.9;   ///< curvature (strong Wolfe only)
  double alpha_min = 1e-20;
  /// The largest step. Moré–Thuente accepts a trial there that gives
  /// sufficient decrease with phi still falling (phi' <= c1 phi'(0)).
  double alpha_max = 1e20;
  int max_evaluations = 40;
  /// > 0: Moré–Thuente also accepts the best step seen, when it satisfies
  /// sufficient decrease, once the bracket [stmin, stmax] around the minimizer
  /// is narrower than xtol stmax (MINPACK-2's relative interval tolerance;
  /// L-BFGS-B uses 0.1). The result is then not the last point evaluated.
  double xtol = 0;
};

/// How a line search ended.
enum class LineSearchStatus { Converged, Failed, OutOfBudget };

/// The accepted step (Converged: the last point evaluated, or with xtol the
/// best one), or the best one seen otherwise.
struct LineSearchResult {
  LineSearchStatus status = LineSearchStatus::Failed;
  double alpha = 0, phi = 0, dphi = 0;
  int evaluations = 0;
};

/// Moré–Thuente strong Wolfe search from phi(0) = phi0, phi'(0) = dphi0 < 0,
/// first trial alpha0.
LineSearchResult more_thuente(const LineFunction& phi, double phi0, double dphi0, double alpha0,
                              const LineSearchParameters& parameters = {});

/// Armijo backtracking from alpha0 (phi' is only read at 0).
LineSearchResult armijo(const LineFunction& phi, double phi0, double dphi0, double alpha0,
                        const LineSearchParameters& parameters = {});

}  // namespace nabla::optim
