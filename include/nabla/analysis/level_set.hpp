// Whether the gradient is orthogonal to the level set through x: the
// derivative of f along every direction orthogonal to grad f (an orthonormal
// basis of the tangent space of the level set) should vanish. The gradient
// comes from reverse mode, the tangential derivatives from forward mode
// (jvp), so the check compares two independent computations.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <utility>

#include "nabla/ad/drivers.hpp"
#include "nabla/core/errors.hpp"

namespace nabla::analysis {

/// What gradient_orthogonal_to_level_set() found.
struct LevelSetCheck {
  bool orthogonal = false;        ///< largest_tangential <= tolerance * |grad f|
  double gradient_norm = 0;       ///< |grad f(x)|
  double largest_tangential = 0;  ///< max |D_u f(x)| over the tangent basis u
  Eigen::MatrixXd tangent_basis;  ///< n x (n-1), orthonormal, orthogonal to grad f
};

/// An orthonormal basis (n x (n-1)) of the complement of g != 0.
Eigen::MatrixXd orthogonal_complement(const Eigen::VectorXd& g);

/// Checks grad f(x) against the level set through x, for a generic callable
/// f(const VectorX<T>&) -> T. Throws DomainError where the gradient is zero or
/// not finite (no level set through x is a smooth hypersurface there).
template <class F>
LevelSetCheck gradient_orthogonal_to_level_set(F&& f, const Eigen::VectorXd& x, double tolerance = 1e-10) {
  LevelSetCheck check;
  const Eigen::VectorXd g = nabla::gradient(f, x);
  check.gradient_norm = g.stableNorm();
  if (!(check.gradient_norm > 0) || !std::isfinite(check.gradient_norm))
    throw DomainError("gradient_orthogonal_to_level_set: the gradient is zero or not finite at x");
  check.tangent_basis = orthogonal_complement(g);
  for (Eigen::Index k = 0; k < check.tangent_basis.cols(); ++k) {
    const double d = nabla::jvp(f, x, check.tangent_basis.col(k))[0];
    check.largest_tangential = std::fmax(check.largest_tangential, std::fabs(d));
  }
  check.orthogonal = check.largest_tangential <= tolerance * check.gradient_norm;
  return check;
}

}  // namespace nabla::analysis
