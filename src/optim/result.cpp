// Sentences and short names for the stop reasons.
#include "nabla/optim/result.hpp"

namespace nabla::optim {

std::string_view describe(StopReason reason) {
  switch (reason) {
    case StopReason::GradientSmall:
      return "the gradient norm fell below the tolerance";
    case StopReason::FStalled:
      return "f stopped decreasing (relative change below the tolerance)";
    case StopReason::StepSmall:
      return "the step fell below the tolerance";
    case StopReason::MaxIterations:
      return "the iteration limit was reached";
    case StopReason::MaxEvaluations:
      return "the function evaluation limit was reached";
    case StopReason::TimeLimit:
      return "the time limit was reached";
    case StopReason::LineSearchFailed:
      return "the line search found no acceptable step";
    case StopReason::NonFinite:
      return "f or its gradient became NaN or infinite; the best finite point is returned";
    case StopReason::Callback:
      return "the callback asked to stop";
    case StopReason::ScheduleDecayed:
      return "f stopped changing after the learning-rate schedule lowered the rate; x need not be a "
             "minimizer";
    case StopReason::NoProgress:
      return "f stopped changing while it could still go down by far more (by its gradient and the curvature "
             "along the steps, or by the method's quadratic model): the steps go nowhere (a learning rate "
             "too large or too small, or a kink of f that cuts a Newton step short); x is not a minimizer";
  }
  return "unknown";
}

std::string_view name(StopReason reason) {
  switch (reason) {
    case StopReason::GradientSmall:
      return "gradient_small";
    case StopReason::FStalled:
      return "f_stalled";
    case StopReason::StepSmall:
      return "step_small";
    case StopReason::MaxIterations:
      return "max_iterations";
    case StopReason::MaxEvaluations:
      return "max_evaluations";
    case StopReason::TimeLimit:
      return "time_limit";
    case StopReason::LineSearchFailed:
      return "line_search_failed";
    case StopReason::NonFinite:
      return "non_finite";
    case StopReason::Callback:
      return "callback";
    case StopReason::ScheduleDecayed:
      return "schedule_decayed";
    case StopReason::NoProgress:
      return "no_progress";
  }
  return "unknown";
}

}  // namespace nabla::optim
