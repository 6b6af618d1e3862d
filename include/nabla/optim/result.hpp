// What an optimizer hands back: the final point and value, the counts, why it
// stopped (StopReason, with a sentence from describe()), and on request the
// trace of every iterate. A run that does not converge is not an exception:
// the Result says why it stopped, and it never carries a NaN or an Inf (a
// non-finite value stops the run at the best finite point seen).
#pragma once

#include <Eigen/Core>
#include <string_view>
#include <vector>

namespace nabla::optim {

/// Why a run stopped.
enum class StopReason {
  GradientSmall,     ///< |gradient| <= gradient_tolerance (projected gradient with bounds)
  FStalled,          ///< relative change of f <= f_tolerance (10 steps in a row for first-order methods)
  StepSmall,         ///< |step| <= x_tolerance (1 + |x|)
  MaxIterations,     ///< iterations reached max_iterations
  MaxEvaluations,    ///< function evaluations reached max_evaluations
  TimeLimit,         ///< time_limit_seconds elapsed
  LineSearchFailed,  ///< no step along the search direction satisfied the line search
  NonFinite,         ///< f or its gradient became NaN or Inf; x is the best finite point seen
  Callback,          ///< the callback returned false
  /// f stopped changing (as FStalled) after the learning-rate schedule had
  /// lowered the rate: the steps shrank, so x need not be near a minimizer
  ScheduleDecayed,
  /// f stopped changing (as FStalled), but could still go down by more than
  /// 1000 times its tolerance: x is stuck away from a minimizer. In a
  /// first-order method, a step of 1/L along the gradient (L the largest
  /// curvature |g - g_prev| / |x - x_prev| seen over those steps) would still
  /// lower f by that much (a rate too large bounces x across a valley, x -> -x
  /// on x'x; one too small moves it by less than f can see, or not at all).
  /// In Newton, BFGS and L-BFGS(-B), the step's quadratic model promised that
  /// much (-g'p / 2) and the line search cut it short (a kink of f, as |x|)
  NoProgress,
};

/// One sentence on a stop reason, for people ("the gradient is small", ...).
std::string_view describe(StopReason reason);
/// The reason's short name ("gradient_small", ...), for machines (JSON, CSV).
std::string_view name(StopReason reason);

/// One iterate of a run: iteration 0 is the starting point.
struct Iterate {
  long iteration = 0;
  Eigen::VectorXd x;
  double f = 0;
  double gradient_norm = 0;  ///< Euclidean norm (of the projected gradient with bounds)
  double step = 0;           ///< Euclidean norm of the step that led here (0 at the start)
};

/// The outcome of minimize() and minimize_minibatch().
struct Result {
  Eigen::VectorXd x;         ///< the final (or best finite) point
  double f = 0;              ///< f(x)
  double gradient_norm = 0;  ///< |grad f(x)| (projected gradient with bounds)
  long iterations = 0;
  long function_evaluations = 0;
  long gradient_evaluations = 0;
  StopReason stop_reason = StopReason::MaxIterations;
  std::vector<Iterate> trace;  ///< every iterate, when Options::keep_trace is set
};

}  // namespace nabla::optim
