// The direction / line search / update loop of Newton, BFGS and L-BFGS, and
// the trial points of its line searches.
#include "search_loop.hpp"

#include <algorithm>

#include "nabla/core/errors.hpp"
#include "nabla/optim/line_search.hpp"

namespace nabla::optim::detail {
namespace {

/// The trial points of a line search along p from x: the last one in x_new,
/// g_new and, when the search may accept an earlier trial (xtol > 0), the
/// lowest one seen, swapped into x_best, g_best (no copies: x_new and g_new
/// are overwritten by the next trial anyway).
class Trials {
 public:
  Trials(Eigen::Index n, bool keep_best)
      : x_new(n), g_new(n), x_best_(keep_best ? n : 0), g_best_(keep_best ? n : 0), keep_best_(keep_best) {}

  /// Forgets the trials of the previous search.
  void restart() { alpha_best_ = 0; }

  /// phi(alpha) and phi'(alpha); false when the evaluation budget is spent.
  bool evaluate(Run& run, const Eigen::VectorXd& x, const Eigen::VectorXd& p, double alpha, double& value,
                double& slope) {
    if (!run.budget_left()) return false;
    step(run, x, p, alpha);
    value = run.evaluate(x_new, g_new);
    slope = g_new.dot(p);
    alpha_last_ = alpha, f_last_ = value;
    if (keep_best_ && std::isfinite(value) && (alpha_best_ == 0 || value < f_best_)) {
      alpha_best_ = alpha, f_best_ = value;
      x_new.swap(x_best_);
      g_new.swap(g_best_);
    }
    return true;
  }

  /// Leaves the accepted trial alpha in x_new, g_new and its f, as evaluated,
  /// in f (evaluated again when the trial is neither the best nor the last, as
  /// a search with xtol can end at its best end, which in its first stage need
  /// not have the lowest f). False when that evaluation does not fit in the
  /// budget.
  bool accept(Run& run, const Eigen::VectorXd& x, const Eigen::VectorXd& p, double alpha, double& f) {
    if (keep_best_ && alpha_best_ != 0 && alpha == alpha_best_) {
      x_new.swap(x_best_);
      g_new.swap(g_best_);
      f = f_best_;
      return true;
    }
    if (alpha == alpha_last_) {
      f = f_last_;
      return true;
    }
    if (!run.budget_left()) return false;
    step(run, x, p, alpha);
    f = run.evaluate(x_new, g_new);
    return true;
  }

  Eigen::VectorXd x_new, g_new;

 private:
  /// x_new = x + alpha p, inside the box if there is one: a variable whose
  /// step reaches its bound (by the test that gives the search its largest
  /// step) lands on the bound exactly, not an ulp inside or outside it.
  void step(const Run& run, const Eigen::VectorXd& x, const Eigen::VectorXd& p, double alpha) {
    x_new = x + alpha * p;
    const Options& o = run.options();
    if (o.lower.size() == 0) return;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      if (p[i] < 0 && alpha >= (o.lower[i] - x[i]) / p[i])
        x_new[i] = o.lower[i];
      else if (p[i] > 0 && alpha >= (o.upper[i] - x[i]) / p[i])
        x_new[i] = o.upper[i];
      else
        x_new[i] = std::clamp(x_new[i], o.lower[i], o.upper[i]);
    }
  }

  Eigen::VectorXd x_best_, g_best_;
  bool keep_best_;
  double alpha_last_ = 0, f_last_ = 0, alpha_best_ = 0, f_best_ = 0;
};

/// Whether the loop takes the search's step: a Converged one, or the best
/// trial of a Failed one when it gives sufficient decrease. Moré–Thuente fails
/// so when it runs out of trials while extrapolating toward a far minimum
/// (5x per trial), or closes in on the edge of f's domain where no step meets
/// the curvature condition: the progress is kept, and the model learns from it.
bool takes_step(const LineSearchResult& ls, double f, double d0, double c1) {
  if (ls.status == LineSearchStatus::Converged) return true;
  return ls.status == LineSearchStatus::Failed && ls.alpha > 0 && ls.phi < f &&
         ls.phi <= f + c1 * ls.alpha * d0;
}

/// The slope g'p of the search along p. When |g| |p| is beyond the largest
/// double (f = 1e300 sin x: g'p = -1e600 was -inf, and no step gave
/// sufficient decrease), p is scaled to unit length and the first trial
/// alpha0 by its length: the same first step, a finite slope.
double slope(const Eigen::VectorXd& g, Eigen::VectorXd& p, double& alpha0) {
  const double d0 = g.dot(p);
  if (!std::isinf(d0) || !p.allFinite()) return d0;
  const double length = safe_norm(p);
  p /= length;
  alpha0 *= length;
  return g.dot(p);
}

}  // namespace

std::optional<StopReason> start(Run& run, const Eigen::VectorXd& x, Eigen::VectorXd& g, double& f,
                                double decay) {
  f = run.evaluate(x, g);
  if (!std::isfinite(f) || !g.allFinite())
    throw DomainError("minimize: f or its gradient is not finite at the starting point");
  if (decay > 0) f += 0.5 * decay * x.squaredNorm();
  const double gradient_norm = decay > 0 ? projected_gradient_norm(run.options(), x, g + decay * x)
                                         : projected_gradient_norm(run.options(), x, g);
  if (!std::isfinite(gradient_norm))
    throw DomainError("minimize: the gradient's norm at the starting point is beyond the largest double");
  return run.accept(x, f, gradient_norm, 0, f);
}

Result search_loop(Run& run, DirectionModel& model, Eigen::VectorXd x) {
  const Options& o = run.options();
  const Eigen::Index n = x.size();
  Eigen::VectorXd g(n), p(n), s(n), y(n);
  double f;
  std::optional<StopReason> stop = start(run, x, g, f);
  const bool wolfe = o.line_search == LineSearch::StrongWolfe;
  LineSearchParameters parameters{
      o.sufficient_decrease,         o.curvature, 1e-20, 1e20, o.max_line_search_evaluations,
      wolfe ? o.line_search_xtol : 0};
  Trials trials(n, parameters.xtol > 0);
  const LineFunction phi = [&](double alpha, double& value, double& slope) {
    return trials.evaluate(run, x, p, alpha, value, slope);
  };
  while (!stop) {
    // The line search needs at least one evaluation after the direction's own.
    if (!run.budget_left(model.direction_evaluations(run, n) + 1)) {
      stop = StopReason::MaxEvaluations;
      break;
    }
    model.direction(x, g, p);
    double alpha0 = model.initial_step(g, p);
    const double d0 = slope(g, p, alpha0);
    if (!(d0 < 0) || !p.allFinite()) {
      if (model.reset()) continue;
      stop = p.allFinite() ? StopReason::LineSearchFailed : StopReason::NonFinite;
      break;
    }
    parameters.alpha_max = std::min(1e20, model.max_step(x, p));
    alpha0 = std::min(alpha0, parameters.alpha_max);
    // A steepest-descent step has no model: a stall after one (the fallback
    // from a failed search) is judged by the last model's promise.
    if (!model.unscaled()) run.note_model_decrease(-0.5 * alpha0 * d0);
    // The smallest step is relative to the first trial, which for steepest
    // descent is 1/|g| (a gradient of 1e30 asks for trials below 1e-20).
    parameters.alpha_min = 1e-20 * alpha0;
    trials.restart();
    const LineSearchResult ls =
        wolfe ? more_thuente(phi, f, d0, alpha0, parameters) : armijo(phi, f, d0, alpha0, parameters);
    if (ls.status == LineSearchStatus::OutOfBudget) {
      stop = StopReason::MaxEvaluations;
      break;
    }
    const bool step = takes_step(ls, f, d0, o.sufficient_decrease);
    double f_new = f;
    if (step && !trials.accept(run, x, p, ls.alpha, f_new)) {
      stop = StopReason::MaxEvaluations;  // the accepted step needs one more evaluation
      break;
    }
    // A step too small to change x (Armijo accepts one when f's rounding
    // hides an increase) is a failed search too.
    if (!step || trials.x_new == x) {
      if (model.reset()) continue;
      stop = StopReason::LineSearchFailed;
      break;
    }
    s = trials.x_new - x;
    y = trials.g_new - g;
    model.update(s, y);
    const double f_prev = f;
    x.swap(trials.x_new);
    g.swap(trials.g_new);
    f = f_new;
    stop = run.accept(x, f, projected_gradient_norm(o, x, g), s.norm(), f_prev);
  }
  return run.finish(*stop);
}

}  // namespace nabla::optim::detail
