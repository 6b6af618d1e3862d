// Losses of nabla::nn, each a mean over the batch and one or a few tape
// entries: regression (MSE, MAE with its subgradient, Huber), classification
// from raw scores (binary cross-entropy from logits, softmax cross-entropy,
// hinge, squared hinge, the sigmoid-smoothed 0-1 loss), and the smooth
// relaxations of non-smooth functions with their temperature.
//
// Targets: regression, n x k values; binary losses, n x 1 labels in {0, 1}
// (BCE also takes probabilities) against n x 1 scores; cross-entropy, n x 1
// class indices 0..k-1 against n x k logits.
#pragma once

#include <string>

#include "nabla/nn/ops.hpp"

namespace nabla::nn {

enum class Loss {
  mse,
  mae,
  huber,
  binary_cross_entropy,
  cross_entropy,
  hinge,
  squared_hinge,
  smoothed_zero_one
};

/// "mse", "mae", "huber", "bce", "cross_entropy", "hinge", "squared_hinge", "smoothed_01".
Loss parse_loss(const std::string& name);
const char* to_string(Loss loss);
/// Whether the targets are class labels.
bool is_classification(Loss loss);

/// A loss and its parameters.
struct LossOptions {
  Loss kind = Loss::mse;
  double delta = 1.0;        ///< Huber: where the square turns linear
  double temperature = 0.1;  ///< smoothed 0-1 loss: the sigmoid's temperature
};

/// The loss chosen by `options`.
template <class T>
Tensor<T> loss(Tensor<T> outputs, Tensor<T> targets, const LossOptions& options);

/// mean (o - t)^2
template <class T>
Tensor<T> mse_loss(Tensor<T> outputs, Tensor<T> targets);
/// mean |o - t|, with the subgradient 0 where o = t
template <class T>
Tensor<T> mae_loss(Tensor<T> outputs, Tensor<T> targets);
/// mean h(o - t), h(r) = r^2 / 2 for |r| <= delta, delta (|r| - delta / 2) beyond
template <class T>
Tensor<T> huber_loss(Tensor<T> outputs, Tensor<T> targets, double delta = 1.0);
/// mean softplus(z) - y z = -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)), stable for any z;
/// a target outside [0, 1] is a DomainError
template <class T>
Tensor<T> binary_cross_entropy_with_logits(Tensor<T> logits, Tensor<T> targets);
/// mean over rows of logsumexp(z_i) - z_i[label_i]: one fused tape entry
template <class T>
Tensor<T> cross_entropy(Tensor<T> logits, Tensor<T> labels);
/// mean max(0, 1 - s f) with s = 2 y - 1 in {-1, +1}
template <class T>
Tensor<T> hinge_loss(Tensor<T> scores, Tensor<T> targets);
/// mean max(0, 1 - s f)^2
template <class T>
Tensor<T> squared_hinge_loss(Tensor<T> scores, Tensor<T> targets);
/// mean sigmoid(-s f / tau): the 0-1 loss [s f < 0] smoothed; tau -> 0 gives it back
template <class T>
Tensor<T> smoothed_zero_one_loss(Tensor<T> scores, Tensor<T> targets, double temperature);

// ------------------------------------------------- smooth relaxations ---
/// relu(x) ~ tau log(1 + e^{x/tau}) (softplus); error at most tau log 2.
template <class T>
Tensor<T> smooth_relu(Tensor<T> x, double temperature);
/// |x| ~ sqrt(x^2 + eps^2); error at most eps.
template <class T>
Tensor<T> smooth_abs(Tensor<T> x, double eps);
/// max(x) along an axis ~ tau logsumexp(x / tau); error at most tau log n.
template <class T>
Tensor<T> smooth_max(Tensor<T> x, double temperature, int axis = all_axes);
/// the step [x > 0] ~ sigmoid(x / tau).
template <class T>
Tensor<T> smooth_step(Tensor<T> x, double temperature);

}  // namespace nabla::nn
