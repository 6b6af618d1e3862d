// Stepper: THE implementation of every first-order update in nabla -- plain
// gradient descent, momentum, Nesterov, AdaGrad, RMSProp, Adam and AdamW --
// with gradient clipping, learning-rate schedules and weight decay. minimize()
// and minimize_minibatch() loop over it, and so does the training code of
// nabla::nn: one implementation of each optimizer in the project.
//
// Step k (k = 0, 1, ... counts the steps already taken) at x with gradient g:
//   1. clip: g_i <- clamp(g_i, -clip_value, clip_value) if clip_value > 0;
//            then g <- g * clip_norm / |g| if clip_norm > 0 and |g| > clip_norm;
//   2. rate: lr_k from the schedule (see Schedule);
//   3. weight decay wd: AdamW multiplies x by (1 - lr_k wd) (decoupled,
//      Loshchilov & Hutter 2019); every other method adds wd x to g (L2);
//   4. the update, elementwise, with state b, s, m, v starting at 0 and t = k + 1:
//      GradientDescent  x -= lr g
//      Momentum         b = mu b + g;                 x -= lr b        (Polyak 1964; PyTorch's form)
//      Nesterov         b = mu b + g;                 x -= lr (g + mu b)
//      AdaGrad          s += g^2;                     x -= lr g / (sqrt(s) + eps)   (Duchi et al. 2011)
//      RMSProp          s = rho s + (1 - rho) g^2;    x -= lr g / (sqrt(s) + eps)   (Tieleman & Hinton 2012)
//      Adam, AdamW      m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
//                       x -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)     (Kingma & Ba 2015)
// AdaGrad, RMSProp and Adam keep s or v itself until a gradient entry passes
// 2^496 (2^48 for float), where g^2 would overflow (and g / sqrt(inf) make a
// silent zero step); from then on they keep its square root, updated as a
// scaled hypot, so that any finite gradient gives a finite step.
// Nesterov is the reformulation of Sutskever, Martens, Dahl & Hinton (2013)
// that PyTorch uses: the gradient is taken at the current x (not at a
// look-ahead point), and the step adds mu times the updated velocity to g,
// which is Nesterov's (1983) accelerated gradient with the variable shifted
// by the look-ahead.
#pragma once

#include <Eigen/Core>

#include "nabla/core/eigen.hpp"
#include "nabla/optim/options.hpp"

namespace nabla::optim {

/// One first-order optimizer with its state, for x of n entries of T
/// (double or float).
template <class T>
class Stepper {
 public:
  /// Throws DomainError for a method that is not first-order (Newton, BFGS,
  /// L-BFGS) or invalid rates.
  Stepper(const Options& options, Eigen::Index n);

  /// One update of x from the gradient g at x: clipping, schedule, (decoupled)
  /// weight decay, momentum/Nesterov/AdaGrad/RMSProp/Adam/AdamW state.
  /// Throws DimensionError when x or g does not have n entries.
  void step(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g);

  /// The rate the next step() will use, after the schedule.
  double learning_rate() const;
  /// The number of steps taken.
  long steps() const { return steps_; }

 private:
  /// The method's rule with the gradient as it stands (clipped, with L2).
  void update(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g, double rate);
  /// AdaGrad, RMSProp and Adam with second_ holding the root of s or v.
  void update_rooted(Eigen::Ref<VectorX<T>> x, Eigen::Ref<const VectorX<T>> g, T lr, T eps);

  Method method_;
  double lr_, momentum_, beta1_, beta2_, rho_, epsilon_, weight_decay_;
  Schedule schedule_;
  double gamma_;
  long step_size_, period_;
  double min_lr_, clip_value_, clip_norm_;
  Eigen::Index n_;
  VectorX<T> g_;       // the gradient when clipping or L2 changes it
  VectorX<T> first_;   // b (momentum), m (Adam)
  VectorX<T> second_;  // s (AdaGrad, RMSProp), v (Adam); their square roots once rooted_
  long steps_ = 0;
  bool rooted_ = false;  // second_ holds sqrt(s) or sqrt(v): a gradient's squares would overflow
  double beta1_power_ = 1, beta2_power_ = 1;
};

extern template class Stepper<double>;
extern template class Stepper<float>;

/// The learning rate of step k (k steps already taken) under the options' schedule.
double scheduled_learning_rate(const Options& options, long k);

}  // namespace nabla::optim
