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
  Eigen::VectorXd g(n), x_prev(n);
  double f;
  std::optional<StopReason> stop = start(run, x, g, f);
  while (!stop) {
    x_prev = x;
    stepper.step(x, g);
    if (bounded) x = x.cwiseMax(o.lower).cwiseMin(o.upper);
    const double f_prev = f;
    f = run.evaluate(x, g);
    stop = run.accept(x, f, projected_gradient_norm(o, x, g), (x - x_prev).norm(), f_prev);
    // A stall the schedule made (its rate below the starting one) is not convergence.
    if (stop == StopReason::FStalled && stepper.learning_rate() < o.learning_rate)
      stop = StopReason::ScheduleDecayed;
  }
  return run.finish(*stop);
}

}  // namespace nabla::optim::detail
