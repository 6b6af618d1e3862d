// L-BFGS with box bounds, in the style of L-BFGS-B (Byrd, Lu, Nocedal & Zhu,
// SIAM J. Sci. Comput. 16, 1995): every iterate stays in the box, convergence
// is measured by the projected gradient P(x - g) - x, variables held at a
// bound by the gradient are fixed for the step, and the search runs along the
// projected path x(alpha) = P(x + alpha p). The fixed set is the eps-active
// set of Bertsekas' projected Newton method (SIAM J. Control Optim. 20, 1982),
// eps = min(1e-3, |P(x - g) - x|): x_i within eps of a bound with the
// gradient pushing it out. The free variables move along the two-loop
// L-BFGS direction of the masked gradient; the search is Armijo backtracking
// on the projected arc, f(x(alpha)) <= f(x) + c1 g'(x(alpha) - x).
#include <algorithm>
#include <cmath>

#include "lbfgs_memory.hpp"
#include "nabla/optim/line_search.hpp"
#include "search_loop.hpp"

namespace nabla::optim::detail {
namespace {

/// Zeroes the entries of v whose variables are held at a bound.
void mask_active(const Options& o, const Eigen::VectorXd& x, const Eigen::VectorXd& g, double eps,
                 Eigen::VectorXd& v) {
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if ((x[i] - o.lower[i] <= eps && g[i] > 0) || (o.upper[i] - x[i] <= eps && g[i] < 0)) v[i] = 0;
}

struct ArcResult {
  LineSearchStatus status;
  double f;
};

/// Armijo backtracking along the projected arc; x_new and g_new hold the accepted point.
ArcResult projected_search(Run& run, const Eigen::VectorXd& x, const Eigen::VectorXd& g, double f,
                           const Eigen::VectorXd& p, double alpha, Eigen::VectorXd& x_new,
                           Eigen::VectorXd& g_new) {
  const Options& o = run.options();
  for (int k = 0; k < o.max_line_search_evaluations && alpha > 1e-20; ++k) {
    if (!run.budget_left()) return {LineSearchStatus::OutOfBudget, f};
    x_new = (x + alpha * p).cwiseMax(o.lower).cwiseMin(o.upper);
    const double decrease = g.dot(x_new - x);
    const double f_new = run.evaluate(x_new, g_new);
    if (std::isfinite(f_new) && g_new.allFinite() &&
        f_new <= f + o.sufficient_decrease * std::min(decrease, 0.0) && (f_new < f || decrease == 0))
      return {LineSearchStatus::Converged, f_new};
    alpha *= 0.5;
  }
  return {LineSearchStatus::Failed, f};
}

}  // namespace

Result lbfgsb(Run& run, Eigen::VectorXd x) {
  const Options& o = run.options();
  const Eigen::Index n = x.size();
  x = x.cwiseMax(o.lower).cwiseMin(o.upper);
  Eigen::VectorXd g(n), q(n), p(n), x_new(n), g_new(n), s(n), y(n);
  LbfgsMemory memory(n, o.lbfgs_memory);
  double f;
  std::optional<StopReason> stop = start(run, x, g, f);
  while (!stop) {
    const double eps = std::min(1e-3, projected_gradient_norm(o, x, g));
    q = g;
    mask_active(o, x, g, eps, q);
    memory.apply(q, p);
    mask_active(o, x, g, eps, p);
    if (!(g.dot(p) < 0) || !p.allFinite()) {
      if (memory.size() > 0) {
        memory.clear();
        continue;
      }
      stop = StopReason::LineSearchFailed;
      break;
    }
    const double alpha0 = memory.size() == 0 ? std::min(1.0, 1 / q.norm()) : 1.0;
    const ArcResult ls = projected_search(run, x, g, f, p, alpha0, x_new, g_new);
    if (ls.status == LineSearchStatus::OutOfBudget) {
      stop = StopReason::MaxEvaluations;
      break;
    }
    if (ls.status == LineSearchStatus::Failed || x_new == x) {
      if (memory.size() > 0) {
        memory.clear();
        continue;
      }
      stop = StopReason::LineSearchFailed;
      break;
    }
    s = x_new - x;
    y = g_new - g;
    memory.push(s, y);
    const double f_prev = f;
    x.swap(x_new);
    g.swap(g_new);
    f = ls.f;
    stop = run.accept(x, f, projected_gradient_norm(o, x, g), s.norm(), f_prev);
  }
  return run.finish(*stop);
}

}  // namespace nabla::optim::detail
