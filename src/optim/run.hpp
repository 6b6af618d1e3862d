// The bookkeeping every method shares (private to src/optim): counting
// evaluations against the budget, the stopping tests in one order, the best
// finite iterate, the trace, the callback and the clock, and the Result.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "nabla/optim/objective.hpp"
#include "nabla/optim/options.hpp"
#include "nabla/optim/result.hpp"

namespace nabla::optim::detail {

/// The steps in a row whose f changes by less than f_tolerance that stop a
/// first-order method: without a monotone line search its f may stay level
/// for a step (a momentum step across the valley, gradient descent zigzagging
/// over a kink) while the run is far from done.
inline constexpr long kFirstOrderFWindow = 10;

/// How far above f's tolerance (f_tolerance max(|f_prev|, |f|)) the decrease
/// one more well-sized gradient step would make, |g|^2 / (2 L), may be for
/// a first-order stall to count as convergence (FStalled) rather than as
/// steps that go nowhere (NoProgress): a rate well below 1/L stalls f while
/// that decrease is still up to 1/(2 rate L) times f's change per step.
inline constexpr double kStallLeeway = 1e3;

/// One run of one method.
class Run {
 public:
  Run(Objective& objective, const Options& options);

  /// Whether one more evaluation fits in max_evaluations.
  bool budget_left() const { return budget_left(1); }
  /// Whether `count` more evaluations fit in max_evaluations.
  bool budget_left(long count) const {
    return options_.max_evaluations <= 0 || function_evaluations_ + count <= options_.max_evaluations;
  }
  /// f(x) and g = grad f(x), counted (one function and one gradient
  /// evaluation); DimensionError when the objective's gradient does not
  /// have x's size.
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& g);
  /// The exact Hessian when the objective has one, else central differences
  /// of the gradient (2n gradient evaluations, counted); DimensionError when
  /// the objective's Hessian is not n x n.
  void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h);
  /// The evaluations hessian() makes at a point of n variables.
  long hessian_evaluations(Eigen::Index n) const {
    return objective_.has_hessian() ? 0 : 2 * static_cast<long>(n);
  }

  /// Records the accepted iterate (x, f, gradient norm, step norm) and runs
  /// the stopping tests in the order of StopReason: non-finite, callback,
  /// gradient, f (FStalled, or NoProgress), step, iterations, evaluations,
  /// time. f_prev is the previous accepted value (ignored for the first
  /// iterate); the f test must hold for kFirstOrderFWindow steps in a row for
  /// a first-order method, for one step after a line search. A stall is
  /// NoProgress unless what was noted over it puts the run near a minimum:
  /// the curvature for a first-order method (note_curvature), the model's
  /// predicted decrease after a line search (note_model_decrease).
  std::optional<StopReason> accept(const Eigen::VectorXd& x, double f, double gradient_norm, double step,
                                   double f_prev);
  /// Notes the curvature along the step a first-order method is about to
  /// accept, |g - g_prev| / |x - x_prev| (0 for a step of length 0): over a
  /// window where f is level, its largest value L tells a stall near a
  /// minimum (|g|^2 / (2 L) within kStallLeeway times f's tolerance) from
  /// steps that go nowhere (a rate that bounces across a valley, or one so
  /// small that f does not see the steps).
  void note_curvature(double curvature) { step_curvature_ = curvature; }
  /// Notes the decrease the method's quadratic model predicts for the step
  /// it is searching along, -alpha0 g'p / 2 (Newton's, with its shifted
  /// Hessian, or the quasi-Newton B); a steepest-descent step keeps the last
  /// model's (0 before any model). A step that leaves f level when its model
  /// promised more than kStallLeeway times f's tolerance did not stop at a
  /// minimizer: the search cut it short, as at a kink of f (Newton on
  /// |x| + y^2 sees a zero second derivative in x and steps by 1/shift
  /// across the kink).
  void note_model_decrease(double decrease) { model_decrease_ = decrease; }
  /// The tests that do not need a new iterate (evaluations, time), for loops
  /// that stop between iterates.
  std::optional<StopReason> limits() const;

  /// The Result: the last accepted iterate, or the best finite one for NonFinite.
  Result finish(StopReason reason);

  const Options& options() const { return options_; }
  long iterations() const { return iterations_; }

 private:
  Objective& objective_;
  const Options& options_;
  std::chrono::steady_clock::time_point start_;
  long iterations_ = -1;  // the first accepted iterate is iteration 0
  long function_evaluations_ = 0, gradient_evaluations_ = 0;
  long f_window_;        // consecutive steps the f test must hold for (kFirstOrderFWindow or 1)
  long flat_steps_ = 0;  // consecutive steps so far that changed f by less than f_tolerance
  // the curvature of the step being accepted, and the largest over those steps
  double step_curvature_ = 0, window_curvature_ = 0;
  double model_decrease_ = 0;  // the last search's predicted decrease (see note_model_decrease)
  Eigen::VectorXd last_x_, best_x_;
  double last_f_ = 0, last_gnorm_ = 0, best_f_ = 0, best_gnorm_ = 0;
  bool have_best_ = false, best_is_last_ = false;
  std::vector<Iterate> trace_;
};

/// The Euclidean norm of v without overflow or underflow of its squares
/// (a gradient of entries near 1e160 has a finite norm): inf or NaN only
/// when v has such an entry or its norm is beyond the largest double.
double safe_norm(const Eigen::VectorXd& v);

/// The Euclidean norm of the projected gradient (the gradient itself when
/// there are no bounds): per component, g_i, limited to the distance to
/// the bound that -g_i points at when that bound is finite (x_i - u_i when
/// g_i < 0, x_i - l_i when g_i > 0), as L-BFGS-B's projgr. Not formed as
/// P(x - g) - x, in which x - g rounds to x once |x| >> |g|.
double projected_gradient_norm(const Options& options, const Eigen::VectorXd& x, const Eigen::VectorXd& g);

/// Whether every entry of v is finite.
inline bool all_finite(const Eigen::VectorXd& v) { return v.allFinite(); }

}  // namespace nabla::optim::detail
