// minimize(f, x0, options): the one entry point of nabla::optim. The
// template only wraps f in an Objective (objective.hpp); the methods run in
// compiled code (src/optim/): first-order methods loop over Stepper, Newton
// shifts the exact Hessian until Cholesky succeeds, BFGS keeps a dense inverse
// Hessian, L-BFGS uses the two-loop recursion, and L-BFGS with bounds is
// L-BFGS-B (generalized Cauchy point, subspace step). Newton, BFGS and L-BFGS search along their direction
// with Options::line_search (Armijo backtracking or the Moré–Thuente strong Wolfe search).
#pragma once

#include <Eigen/Core>

#include "nabla/optim/objective.hpp"
#include "nabla/optim/options.hpp"
#include "nabla/optim/result.hpp"

namespace nabla::optim {

/// Minimizes the type-erased objective from x0. Throws DimensionError for an
/// empty x0 or bounds of the wrong size, DomainError for invalid options or a
/// non-finite x0 or f(x0); everything else (divergence, NaN later on, limits)
/// is reported in Result::stop_reason.
Result minimize(Objective& objective, const Eigen::VectorXd& x0, const Options& options = {});

/// Minimizes f -- a generic callable f(const VectorX<T>&) -> T, or an object
/// with value(x) and gradient(x) (see objective.hpp) -- from x0.
template <class F>
requires(!std::derived_from<std::remove_cvref_t<F>, Objective>) Result
    minimize(F&& f, const Eigen::VectorXd& x0, const Options& options = {}) {
  auto objective = detail::make_objective(f);
  return minimize(static_cast<Objective&>(objective), x0, options);
}

}  // namespace nabla::optim
