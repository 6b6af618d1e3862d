// Counting, stopping tests, best point, trace and callback of one run.
#include "run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::optim::detail {
namespace {

/// "minimize: the objective's <what> <got> at a point of <n> variables"
/// (appended piece by piece: GCC 12 warns falsely on chains of + here).
std::string size_mismatch(const char* what, const std::string& got, Eigen::Index n) {
  std::string message("minimize: the objective's ");
  message.append(what).append(" ").append(got).append(" at a point of ");
  message.append(std::to_string(n)).append(" variables");
  return message;
}

}  // namespace

Run::Run(Objective& objective, const Options& options)
    : objective_(objective),
      options_(options),
      start_(std::chrono::steady_clock::now()),
      f_window_(is_first_order(options.method) ? kFirstOrderFWindow : 1) {}

double Run::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
  ++function_evaluations_;
  ++gradient_evaluations_;
  if (g.size() != x.size()) g.resize(x.size());
  const double f = objective_.value_and_gradient(x, g);
  if (g.size() != x.size())
    throw DimensionError(size_mismatch("gradient has", std::to_string(g.size()) + " entries", x.size()));
  return f;
}

void Run::hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) {
  const Eigen::Index n = x.size();
  h.resize(n, n);
  if (objective_.has_hessian()) {
    objective_.hessian(x, h);
    if (h.rows() != n || h.cols() != n)
      throw DimensionError(
          size_mismatch("Hessian is", std::to_string(h.rows()) + " x " + std::to_string(h.cols()), n));
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
    const bool level = options_.f_tolerance > 0 && std::abs(f_prev - f) <= options_.f_tolerance * scale;
    flat_steps_ = level ? flat_steps_ + 1 : 0;
    window_curvature_ = flat_steps_ == 1 ? step_curvature_ : std::max(window_curvature_, step_curvature_);
    if (flat_steps_ >= f_window_) {
      // First order: the decrease a step of 1/L along -g would still make;
      // with no curvature seen (steps of length 0, or a linear f) there is
      // no bound. After a line search: what the model promised for the step.
      double still_to_gain = model_decrease_;
      if (f_window_ > 1)
        still_to_gain = window_curvature_ > 0 ? gnorm * (gnorm / (2 * window_curvature_))
                                              : std::numeric_limits<double>::infinity();
      const bool near_minimum = still_to_gain <= kStallLeeway * options_.f_tolerance * scale;
      return near_minimum ? StopReason::FStalled : StopReason::NoProgress;
    }
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

double safe_norm(const Eigen::VectorXd& v) {
  const double norm = v.norm();
  if (std::isfinite(norm) && norm > 0) return norm;
  return v.stableNorm();  // rare: squares that overflowed or underflowed, or no norm at all
}

double projected_gradient_norm(const Options& o, const Eigen::VectorXd& x, const Eigen::VectorXd& g) {
  if (o.lower.size() == 0) return safe_norm(g);
  Eigen::VectorXd projected = g;
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    if (g[i] < 0 && std::isfinite(o.upper[i]))
      projected[i] = std::max(x[i] - o.upper[i], g[i]);
    else if (g[i] > 0 && std::isfinite(o.lower[i]))
      projected[i] = std::min(x[i] - o.lower[i], g[i]);
  }
  return safe_norm(projected);
}

}  // namespace nabla::optim::detail
