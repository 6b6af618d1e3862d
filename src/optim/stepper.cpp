// The first-order updates (see stepper.hpp for the formulas and the papers),
// compiled once for double and once for float.
#include "nabla/optim/stepper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::optim {
namespace {

double schedule_rate(Schedule schedule, double lr, double gamma, long step_size, long period, double min_lr,
                     long k) {
  switch (schedule) {
    case Schedule::None:
      return lr;
    case Schedule::Step: {
      const long steps_done = k / step_size;  // whole steps: the rate drops by gamma at each
      return lr * std::pow(gamma, static_cast<double>(steps_done));
    }
    case Schedule::Exponential:
      return lr * std::pow(gamma, static_cast<double>(k));
    case Schedule::Cosine: {
      const double progress = static_cast<double>(std::min(k, period)) / static_cast<double>(period);
      return min_lr + (lr - min_lr) * 0.5 * (1 + std::cos(std::numbers::pi * progress));
    }
  }
  return lr;
}

/// r = sqrt(keep r^2 + add g^2) elementwise, without forming the squares:
/// with a = max(r, |g|), r = a sqrt(keep (r/a)^2 + add (g/a)^2) (0 where a = 0).
template <class T>
void update_root(VectorX<T>& r, Eigen::Ref<const VectorX<T>> g, T keep, T add) {
  const auto a = r.array().max(g.array().abs());
  r = (a > T(0)).select(a * (keep * (r.array() / a).square() + add * (g.array() / a).square()).sqrt(), T(0));
}

/// The largest gradient entry whose square (summed over many steps) stays finite: 2^496 for double, 2^48 for
/// float.
template <class T>
T largest_squarable() {
  return std::ldexp(T(1), std::numeric_limits<T>::max_exponent / 2 - 16);
}

}  // namespace

double scheduled_learning_rate(const Options& o, long k) {
  return schedule_rate(o.schedule, o.learning_rate, o.schedule_gamma, o.schedule_step_size, o.schedule_period,
                       o.min_learning_rate, k);
}

template <class T>
Stepper<T>::Stepper(const Options& o, Eigen::Index n)
    : method_(o.method),
      lr_(o.learning_rate),
      momentum_(o.momentum),
      beta1_(o.beta1),
      beta2_(o.beta2),
      rho_(o.rmsprop_decay),
      epsilon_(o.epsilon),
      weight_decay_(o.weight_decay),
      schedule_(o.schedule),
      gamma_(o.schedule_gamma),
      step_size_(o.schedule_step_size),
      period_(o.schedule_period),
      min_lr_(o.min_learning_rate),
      clip_value_(o.clip_value),
      clip_norm_(o.clip_norm),
      n_(n) {
  if (!is_first_order(o.method)) {
    std::string message("Stepper: ");
    message.append(name(o.method));
    message.append(" is not a first-order method (use nabla::optim::minimize)");
    throw DomainError(message);
  }
  if (n < 0) throw DimensionError("Stepper: negative size");
  Options checked = o;
  checked.lower.resize(0);
  checked.upper.resize(0);
  validate(checked, n);
  g_.setZero(n);
  first_.setZero(n);
  second_.setZero(n);
}

template <class T>
double Stepper<T>::learning_rate() const {
  return schedule_rate(schedule_, lr_, gamma_, step_size_, period_, min_lr_, steps_);
}

template <class T>
void Stepper<T>::step(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g) {
  require_dimension(x.size() == n_ && g.size() == n_, "Stepper::step: x and g must have the Stepper's size");
  const double rate = learning_rate();
  if (weight_decay_ > 0 && method_ == Method::AdamW) x *= static_cast<T>(1 - rate * weight_decay_);
  // The gradient is copied only when something changes it (clipping, L2):
  // in plain training the copy was a tenth of an epoch.
  const bool changed = clip_value_ > 0 || clip_norm_ > 0 || (weight_decay_ > 0 && method_ != Method::AdamW);
  if (!changed) {
    update(x, g, rate);
  } else {
    g_ = g;
    if (clip_value_ > 0) g_ = g_.cwiseMax(static_cast<T>(-clip_value_)).cwiseMin(static_cast<T>(clip_value_));
    if (clip_norm_ > 0) {
      double norm = static_cast<double>(g_.norm());
      if (!std::isfinite(norm)) norm = static_cast<double>(g_.stableNorm());  // squares that overflowed
      if (norm > clip_norm_) g_ *= static_cast<T>(clip_norm_ / norm);
    }
    if (weight_decay_ > 0 && method_ != Method::AdamW) g_ += static_cast<T>(weight_decay_) * x;
    update(x, g_, rate);
  }
  ++steps_;
}

template <class T>
void Stepper<T>::update(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g, double rate) {
  const T lr = static_cast<T>(rate);
  const T mu = static_cast<T>(momentum_);
  const T eps = static_cast<T>(epsilon_);
  const bool adaptive = method_ == Method::AdaGrad || method_ == Method::RMSProp || method_ == Method::Adam ||
                        method_ == Method::AdamW;
  if (adaptive && !rooted_ && !(g.cwiseAbs().maxCoeff() <= largest_squarable<T>())) {
    rooted_ = true;
    second_ = second_.cwiseSqrt().eval();
  }
  if (rooted_) {
    update_rooted(x, g, lr, eps);
    return;
  }
  switch (method_) {
    case Method::GradientDescent:
      x -= lr * g;
      break;
    case Method::Momentum:
      first_ = mu * first_ + g;
      x -= lr * first_;
      break;
    case Method::Nesterov:
      first_ = mu * first_ + g;
      x -= lr * (g + mu * first_);
      break;
    case Method::AdaGrad:
      second_ += g.cwiseAbs2();
      x.array() -= lr * g.array() / (second_.array().sqrt() + eps);
      break;
    case Method::RMSProp: {
      const T rho = static_cast<T>(rho_);
      second_ = rho * second_ + (T(1) - rho) * g.cwiseAbs2();
      x.array() -= lr * g.array() / (second_.array().sqrt() + eps);
      break;
    }
    case Method::Adam:
    case Method::AdamW: {
      const T b1 = static_cast<T>(beta1_), b2 = static_cast<T>(beta2_);
      beta1_power_ *= beta1_;
      beta2_power_ *= beta2_;
      first_ = b1 * first_ + (T(1) - b1) * g;
      second_ = b2 * second_ + (T(1) - b2) * g.cwiseAbs2();
      const T c1 = static_cast<T>(1 / (1 - beta1_power_));
      const T c2 = static_cast<T>(1 / (1 - beta2_power_));
      x.array() -= lr * (c1 * first_.array()) / ((c2 * second_.array()).sqrt() + eps);
      break;
    }
    default:
      break;  // excluded by the constructor
  }
}

template <class T>
void Stepper<T>::update_rooted(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g, T lr, T eps) {
  if (method_ == Method::AdaGrad) {
    update_root<T>(second_, g, T(1), T(1));
    x.array() -= lr * g.array() / (second_.array() + eps);
  } else if (method_ == Method::RMSProp) {
    const T rho = static_cast<T>(rho_);
    update_root<T>(second_, g, rho, T(1) - rho);
    x.array() -= lr * g.array() / (second_.array() + eps);
  } else {
    const T b1 = static_cast<T>(beta1_), b2 = static_cast<T>(beta2_);
    beta1_power_ *= beta1_;
    beta2_power_ *= beta2_;
    first_ = b1 * first_ + (T(1) - b1) * g;
    update_root<T>(second_, g, b2, T(1) - b2);
    const T c1 = static_cast<T>(1 / (1 - beta1_power_));
    const T root_c2 = static_cast<T>(std::sqrt(1 / (1 - beta2_power_)));
    x.array() -= lr * (c1 * first_.array()) / (root_c2 * second_.array() + eps);
  }
}

template class Stepper<double>;
template class Stepper<float>;

}  // namespace nabla::optim
