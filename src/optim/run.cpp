// Counting, stopping tests, best point, trace and callback of one run.
#include "run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nabla::optim::detail {

Run::Run(Objective& objective, const Options& options)
    : objective_(objective), options_(options), start_(std::chrono::steady_clock::now()) {}

double Run::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
  ++function_evaluations_;
  ++gradient_evaluations_;
  if (g.size() != x.size()) g.resize(x.size());
  return objective_.value_and_gradient(x, g);
}

void Run::hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) {
  const Eigen::Index n = x.size();
  h.resize(n, n);
  if (objective_.has_hessian()) {
    objective_.hessian(x, h);
    return;
  }
  Eigen::VectorXd xp = x, gp(n), gm(n);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double step = std::cbrt(std::numeric_limits<double>::epsilon()) * std::max(1.0, std::abs(x[j]));
    xp[j] = x[j] + step;
    evaluate(xp, gp);
    xp[j] = x[j] - step;
    evaluate(xp, gm);
    xp[j] = x[j];
    h.col(j) = (gp - gm) / (2 * step);
  }
  h = (0.5 * (h + h.transpose())).eval();
}

std::optional<StopReason> Run::limits() const {
  if (options_.max_evaluations > 0 && function_evaluations_ >= options_.max_evaluations)
    return StopReason::MaxEvaluations;
  if (options_.time_limit_seconds > 0) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    if (elapsed.count() >= options_.time_limit_seconds) return StopReason::TimeLimit;
  }
  return std::nullopt;
}

std::optional<StopReason> Run::accept(const Eigen::VectorXd& x, double f, double gnorm, double step,
                                      double f_prev) {
  if (!std::isfinite(f) || !std::isfinite(gnorm) || !all_finite(x)) return StopReason::NonFinite;
  ++iterations_;
  // The best iterate is copied only when it is about to be overwritten by a
  // worse one: monotone methods never copy it.
  const bool improves = !have_best_ || f < best_f_;
  if (!improves && best_is_last_) best_x_ = last_x_;
  last_x_ = x;
  last_f_ = f;
  last_gnorm_ = gnorm;
  if (improves) {
    best_f_ = f;
    best_gnorm_ = gnorm;
    have_best_ = true;
  }
  best_is_last_ = improves;
  if (options_.keep_trace || options_.callback) {
    Iterate it{iterations_, x, f, gnorm, step};
    if (options_.callback && !options_.callback(it)) {
      if (options_.keep_trace) trace_.push_back(std::move(it));
      return StopReason::Callback;
    }
    if (options_.keep_trace) trace_.push_back(std::move(it));
  }
  if (gnorm <= options_.gradient_tolerance) return StopReason::GradientSmall;
  if (iterations_ > 0) {
    const double scale = std::max(std::abs(f_prev), std::abs(f));
    if (options_.f_tolerance > 0 && std::abs(f_prev - f) <= options_.f_tolerance * scale)
      return StopReason::FStalled;
    if (options_.x_tolerance > 0 && step <= options_.x_tolerance * (1 + x.norm()))
      return StopReason::StepSmall;
  }
  if (iterations_ >= options_.max_iterations) return StopReason::MaxIterations;
  return limits();
}

Result Run::finish(StopReason reason) {
  Result r;
  const bool best = reason == StopReason::NonFinite;
  r.x = best && !best_is_last_ ? best_x_ : last_x_;
  r.f = best ? best_f_ : last_f_;
  r.gradient_norm = best ? best_gnorm_ : last_gnorm_;
  r.iterations = std::max(iterations_, 0L);
  r.function_evaluations = function_evaluations_;
  r.gradient_evaluations = gradient_evaluations_;
  r.stop_reason = reason;
  r.trace = std::move(trace_);
  return r;
}

double projected_gradient_norm(const Options& o, const Eigen::VectorXd& x, const Eigen::VectorXd& g) {
  if (o.lower.size() == 0) return g.norm();
  return ((x - g).cwiseMax(o.lower).cwiseMin(o.upper) - x).norm();
}

}  // namespace nabla::optim::detail
