// The direction / line search / update loop of Newton, BFGS and L-BFGS.
#include "search_loop.hpp"

#include <algorithm>

#include "nabla/core/errors.hpp"
#include "nabla/optim/line_search.hpp"

namespace nabla::optim::detail {

std::optional<StopReason> start(Run& run, const Eigen::VectorXd& x, Eigen::VectorXd& g, double& f) {
  f = run.evaluate(x, g);
  if (!std::isfinite(f) || !g.allFinite())
    throw DomainError("minimize: f or its gradient is not finite at the starting point");
  return run.accept(x, f, projected_gradient_norm(run.options(), x, g), 0, f);
}

Result search_loop(Run& run, DirectionModel& model, Eigen::VectorXd x) {
  const Options& o = run.options();
  const Eigen::Index n = x.size();
  Eigen::VectorXd g(n), p(n), x_new(n), g_new(n), s(n), y(n);
  double f;
  std::optional<StopReason> stop = start(run, x, g, f);
  const LineSearchParameters parameters{o.sufficient_decrease, o.curvature, 1e-20, 1e20,
                                        o.max_line_search_evaluations};
  const LineFunction phi = [&](double alpha, double& value, double& slope) {
    if (!run.budget_left()) return false;
    x_new = x + alpha * p;
    value = run.evaluate(x_new, g_new);
    slope = g_new.dot(p);
    return true;
  };
  while (!stop) {
    model.direction(x, g, p);
    const double d0 = g.dot(p);
    if (!(d0 < 0) || !p.allFinite()) {
      if (model.reset()) continue;
      stop = p.allFinite() ? StopReason::LineSearchFailed : StopReason::NonFinite;
      break;
    }
    const double alpha0 = model.unscaled() ? std::min(1.0, 1 / g.norm()) : 1.0;
    const LineSearchResult ls = o.line_search == LineSearch::StrongWolfe
                                    ? more_thuente(phi, f, d0, alpha0, parameters)
                                    : armijo(phi, f, d0, alpha0, parameters);
    if (ls.status == LineSearchStatus::OutOfBudget) {
      stop = StopReason::MaxEvaluations;
      break;
    }
    // A step too small to change x (Armijo accepts one when f's rounding
    // hides an increase) is a failed search too.
    if (ls.status == LineSearchStatus::Failed || x_new == x) {
      if (model.reset()) continue;
      stop = StopReason::LineSearchFailed;
      break;
    }
    s = x_new - x;
    y = g_new - g;
    model.update(s, y);
    const double f_prev = f;
    x.swap(x_new);
    g.swap(g_new);
    f = ls.phi;
    stop = run.accept(x, f, g.norm(), s.norm(), f_prev);
  }
  return run.finish(*stop);
}

}  // namespace nabla::optim::detail
