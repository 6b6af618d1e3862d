// The kind of a critical point whose Hessian test is inconclusive, isolated
// or standing for a set, decided from f's values around it (private to
// src/analysis; see degenerate.cpp and critical_points.hpp).
#pragma once

#include <Eigen/Core>

#include "nabla/analysis/critical_points.hpp"

namespace nabla::analysis::detail {

/// An isolated critical point with a singular Hessian.
struct DegeneratePoint {
  Eigen::VectorXd x;
  double f = 0;                ///< f(x)
  Eigen::VectorXd curvatures;  ///< the Hessian's eigenvalues, 0 where they count as zero
  Eigen::MatrixXd directions;  ///< its eigenvectors (columns)
  double uncertainty = 0;      ///< how far the true critical point may be from x
  double radius = 0;           ///< the largest radius to sample f at
};

/// Saddle when values clearly below and clearly above f(x) occur at each of
/// four radii (radius, radius/2, /4, /8), shrinking with the radius;
/// Minimum when, with no negative curvature, f restricted to the Hessian's
/// null space (minimized over the other directions) is clearly above f(x)
/// at each of them, and no value anywhere down to radius/128 is clearly
/// below; Maximum likewise; otherwise Inconclusive (also when the radii
/// would not be well beyond the point's uncertainty).
CriticalKind classify_by_values(const SecondOrder& f, const DegeneratePoint& point);

/// The kind of a point that stands for a connected set of critical points
/// (where f is constant along the set, so the reduced function above says
/// nothing): Saddle as for a point (neither a minimum nor a maximum, as on
/// x^3 y's line x = 0); Minimum when, with no negative curvature, values clearly above
/// f(x) occur at each of the four largest radii and none clearly below at
/// any radius down to radius/128 (a local minimum, not a strict one: the
/// set's other points are as low); Maximum likewise; otherwise Inconclusive.
CriticalKind classify_set_point_by_values(const SecondOrder& f, const DegeneratePoint& point);

}  // namespace nabla::analysis::detail
