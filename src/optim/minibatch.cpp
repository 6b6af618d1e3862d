// The mini-batch loop: per epoch a seeded shuffle, then one Stepper step per
// batch; per epoch one full evaluation for the iterate the trace, the
// callback and the stopping tests see.
#include "nabla/optim/minibatch.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/optim/stepper.hpp"
#include "run.hpp"

namespace nabla::optim {
namespace {

/// Bookkeeping of the epochs: best epoch, counts, trace, callback.
struct EpochLog {
  explicit EpochLog(const Options& o) : options(o) {}
  const Options& options;
  Result result;
  Eigen::VectorXd best_x;
  double best_f = 0, best_gnorm = 0;
  bool have_best = false;

  /// Records epoch k's full evaluation; returns a stop reason if one applies.
  std::optional<StopReason> record(long k, const Eigen::VectorXd& x, double f, double gnorm, double step) {
    if (!std::isfinite(f) || !std::isfinite(gnorm)) return StopReason::NonFinite;
    result.iterations = k;
    result.x = x, result.f = f, result.gradient_norm = gnorm;
    if (!have_best || f < best_f) best_x = x, best_f = f, best_gnorm = gnorm, have_best = true;
    Iterate it{k, x, f, gnorm, step};
    const bool go_on = !options.callback || options.callback(it);
    if (options.keep_trace) result.trace.push_back(std::move(it));
    if (!go_on) return StopReason::Callback;
    if (gnorm <= options.gradient_tolerance) return StopReason::GradientSmall;
    return std::nullopt;
  }
};

}  // namespace

Result minimize_minibatch(SampleObjective& objective, const Eigen::VectorXd& x0, const Options& options,
                          const MiniBatch& batch) {
  if (!is_first_order(options.method)) {
    std::string message("minimize_minibatch: ");
    message.append(name(options.method));
    message.append(" is not a first-order method (gd, momentum, nesterov, adagrad, rmsprop, adam, adamw)");
    throw DomainError(message);
  }
  if (batch.batch_size < 1) throw DomainError("minimize_minibatch: batch_size must be >= 1");
  if (batch.epochs < 0) throw DomainError("minimize_minibatch: epochs must be >= 0");
  const Eigen::Index samples = objective.samples();
  if (samples < 1) throw DomainError("minimize_minibatch: the objective has no samples");
  if (x0.size() == 0) throw DimensionError("minimize_minibatch: x0 is empty");
  if (!x0.allFinite()) throw DomainError("minimize_minibatch: x0 has a NaN or infinite entry");
  validate(options, x0.size());
  const auto start = std::chrono::steady_clock::now();
  const Eigen::Index n = x0.size();
  Stepper<double> stepper(options, n);
  std::vector<Eigen::Index> order(static_cast<std::size_t>(samples));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(batch.seed);
  const bool bounded = options.lower.size() > 0;
  Eigen::VectorXd x = bounded ? Eigen::VectorXd(x0.cwiseMax(options.lower).cwiseMin(options.upper)) : x0;
  Eigen::VectorXd g(n), x_epoch(n);
  EpochLog log(options);
  auto full = [&](const Eigen::VectorXd& at, Eigen::VectorXd& grad) {
    ++log.result.function_evaluations, ++log.result.gradient_evaluations;
    return objective.value_and_gradient(at, std::span<const Eigen::Index>(order), grad);
  };
  double f = full(x, g);
  if (!std::isfinite(f) || !g.allFinite()) throw DomainError("minimize_minibatch: f is not finite at x0");
  const double gradient_norm0 = detail::projected_gradient_norm(options, x, g);
  if (!std::isfinite(gradient_norm0))
    throw DomainError("minimize_minibatch: the gradient's norm at x0 is beyond the largest double");
  std::optional<StopReason> stop = log.record(0, x, f, gradient_norm0, 0);
  bool budget_spent = false;
  for (long epoch = 1; !stop && epoch <= batch.epochs; ++epoch) {
    x_epoch = x;
    std::shuffle(order.begin(), order.end(), rng);
    for (Eigen::Index first = 0; first < samples && !stop; first += batch.batch_size) {
      const Eigen::Index size = std::min(batch.batch_size, samples - first);
      // One evaluation is kept for the full pass that reports where this
      // epoch's batches led (without any, x is where the last one was).
      if (options.max_evaluations > 0 && log.result.function_evaluations + 1 >= options.max_evaluations) {
        if (first == 0)
          stop = StopReason::MaxEvaluations;
        else
          budget_spent = true;
        break;
      }
      ++log.result.function_evaluations, ++log.result.gradient_evaluations;
      const double fb =
          objective.value_and_gradient(x,
                                       std::span<const Eigen::Index>(order).subspan(
                                           static_cast<std::size_t>(first), static_cast<std::size_t>(size)),
                                       g);
      if (!std::isfinite(fb) || !g.allFinite()) {
        stop = StopReason::NonFinite;
      } else {
        stepper.step(x, g);
        if (bounded) x = x.cwiseMax(options.lower).cwiseMin(options.upper);
      }
    }
    if (stop) break;
    f = full(x, g);
    stop = log.record(epoch, x, f, detail::projected_gradient_norm(options, x, g), (x - x_epoch).norm());
    if (!stop && budget_spent) stop = StopReason::MaxEvaluations;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    if (!stop && options.time_limit_seconds > 0 && elapsed.count() >= options.time_limit_seconds)
      stop = StopReason::TimeLimit;
  }
  Result r = std::move(log.result);
  r.stop_reason = stop.value_or(StopReason::MaxIterations);
  if (r.stop_reason == StopReason::NonFinite)
    r.x = log.best_x, r.f = log.best_f, r.gradient_norm = log.best_gnorm;
  return r;
}

}  // namespace nabla::optim
