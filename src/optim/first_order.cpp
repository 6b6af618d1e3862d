// The first-order methods in minimize(): one Stepper step per gradient,
// each iterate projected onto the box when there are bounds.
#include "nabla/optim/stepper.hpp"
#include "search_loop.hpp"

namespace nabla::optim::detail {

Result first_order(Run& run, Eigen::VectorXd x) {
  const Options& o = run.options();
  const Eigen::Index n = x.size();
  const bool bounded = o.lower.size() > 0;
  Stepper<double> stepper(o, n);
  // Coupled weight decay (the Stepper adds decay x to the clipped gradient,
  // as PyTorch) is a descent on f + decay |x|^2 / 2: the stopping tests, the
  // trace and the Result are of that function. AdamW's decoupled decay
  // minimizes no such function; its tests see f.
  const double decay = o.method == Method::AdamW ? 0.0 : o.weight_decay;
  Eigen::VectorXd g(n), x_prev(n), g_prev(n);
  double f;
  std::optional<StopReason> stop = start(run, x, g, f, decay);
  while (!stop) {
    x_prev = x;
    g_prev = g;
    stepper.step(x, g);
    if (bounded) x = x.cwiseMax(o.lower).cwiseMin(o.upper);
    const double f_prev = f;
    f = run.evaluate(x, g);
    const double step = safe_norm(x - x_prev);
    double gradient_norm;
    if (decay > 0) {
      f += 0.5 * decay * x.squaredNorm();
      run.note_curvature(step > 0 ? safe_norm(g - g_prev + decay * (x - x_prev)) / step : 0.0);
      gradient_norm = projected_gradient_norm(o, x, g + decay * x);
    } else {
      run.note_curvature(step > 0 ? safe_norm(g - g_prev) / step : 0.0);
      gradient_norm = projected_gradient_norm(o, x, g);
    }
    stop = run.accept(x, f, gradient_norm, step, f_prev);
    // A stall the schedule made (its rate below the starting one) is not
    // convergence, whether or not the run was near a minimum.
    if ((stop == StopReason::FStalled || stop == StopReason::NoProgress) &&
        stepper.learning_rate() < o.learning_rate)
      stop = StopReason::ScheduleDecayed;
  }
  return run.finish(*stop);
}

}  // namespace nabla::optim::detail
