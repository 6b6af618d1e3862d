// The losses and smooth relaxations of nn/losses.hpp. Cross-entropy is one
// fused tape entry (its reverse rule softmax - onehot needs no extra pass);
// Huber and the smooth |x| are elementwise entries defined here; the others
// are compositions of tensor ops, differentiated by their rules.
#include "nabla/nn/losses.hpp"

#include <cmath>
#include <string>

#include "elementwise.hpp"

namespace nabla::nn {
namespace {

/// Huber's h(r; delta), with h' = clamp(r, -delta, delta).
struct Huber {
  template <class T>
  static T value(const T& r, double delta) {
    const double a = std::fabs(double(r));
    return T(a <= delta ? 0.5 * double(r) * double(r) : delta * (a - 0.5 * delta));
  }
  template <class T>
  static T derivative(const T& r, const T&, double delta) {
    return T(std::fmax(-delta, std::fmin(delta, double(r))));
  }
};

/// sqrt(x^2 + eps^2), with derivative x / y.
struct SmoothAbs {
  template <class T>
  static T value(const T& x, double eps) {
    return T(std::hypot(double(x), eps));
  }
  template <class T>
  static T derivative(const T& x, const T& y, double) {
    return x / y;
  }
};

template <class T>
void require_same_shape(Tensor<T> a, Tensor<T> b, const char* name) {
  require_dimension(a.rows() == b.rows() && a.cols() == b.cols(),
                    std::string("nn::") + name + ": outputs are " + std::to_string(a.rows()) + "x" +
                        std::to_string(a.cols()) + " but targets " + std::to_string(b.rows()) + "x" +
                        std::to_string(b.cols()));
}

/// The signs s = 2 y - 1 of binary targets, checked to be labels 0 or 1.
template <class T>
Tensor<T> signs(Tensor<T> scores, Tensor<T> targets, const char* name) {
  require_same_shape(scores, targets, name);
  require_dimension(scores.cols() == 1,
                    std::string("nn::") + name + ": a binary loss takes one score per row");
  for (Eigen::Index k = 0; k < targets.size(); ++k) {
    const T y = targets.value().data()[k];
    if (y != T(0) && y != T(1))
      throw DomainError(std::string("nn::") + name + ": target " + std::to_string(double(y)) + " in row " +
                        std::to_string(k) + " (counted from 0) is not a label 0 or 1");
  }
  return shift(scale(targets, T(2)), T(-1));
}

// L = mean_i lse(z_i) - z_i[y_i]; dL/dz_i = (softmax(z_i) - onehot(y_i)) / n
template <class T>
void cross_entropy_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nz = tape.node(n.a);
  if (!nz.adjoint) return;
  const auto& labels = tape.node(n.b);
  const T g = n.adjoint[0] / T(nz.rows);
  for (Eigen::Index i = 0; i < nz.rows; ++i) {
    const T* z = nz.value + i * nz.cols;
    T* gz = nz.adjoint + i * nz.cols;
    T m = z[0];
    for (Eigen::Index j = 1; j < nz.cols; ++j) m = std::max(m, z[j]);
    T s = 0;
    for (Eigen::Index j = 0; j < nz.cols; ++j) s += std::exp(z[j] - m);
    const T inv = g / s;
    for (Eigen::Index j = 0; j < nz.cols; ++j) gz[j] += std::exp(z[j] - m) * inv;
    gz[static_cast<Eigen::Index>(labels.value[i])] -= g;
  }
}

}  // namespace

template <class T>
Tensor<T> mse_loss(Tensor<T> outputs, Tensor<T> targets) {
  require_same_shape(outputs, targets, "mse_loss");
  return mean(square(outputs - targets));
}

template <class T>
Tensor<T> mae_loss(Tensor<T> outputs, Tensor<T> targets) {
  require_same_shape(outputs, targets, "mae_loss");
  return mean(abs(outputs - targets));
}

template <class T>
Tensor<T> huber_loss(Tensor<T> outputs, Tensor<T> targets, double delta) {
  require_same_shape(outputs, targets, "huber_loss");
  if (!(delta > 0)) throw DomainError("nn::huber_loss: delta must be positive");
  return mean(detail::unary<T, Huber>(outputs - targets, delta));
}

template <class T>
Tensor<T> binary_cross_entropy_with_logits(Tensor<T> logits, Tensor<T> targets) {
  require_same_shape(logits, targets, "binary_cross_entropy_with_logits");
  for (Eigen::Index k = 0; k < targets.size(); ++k) {  // labels 0 or 1, or probabilities between
    const T y = targets.value().data()[k];
    if (!(y >= T(0) && y <= T(1)))
      throw DomainError("nn::binary_cross_entropy_with_logits: target " + std::to_string(double(y)) +
                        " in row " + std::to_string(k) + " (counted from 0) is not a probability in [0, 1]");
  }
  return mean(softplus(logits) - targets * logits);
}

template <class T>
Tensor<T> cross_entropy(Tensor<T> logits, Tensor<T> labels) {
  // The fused entry reads the labels' node on the logits' tape: another tape's id there is another node.
  detail::require_same_tape(logits, labels, "cross_entropy");
  require_dimension(labels.rows() == logits.rows() && labels.cols() == 1,
                    "nn::cross_entropy: labels must be one class index per row of the logits");
  require_dimension(logits.rows() > 0 && logits.cols() > 0, "nn::cross_entropy: no logits");
  Tensor<T> out = logits.tape().make(1, 1, logits.requires_grad(), &cross_entropy_backward<T>);
  auto& n = logits.tape().node_mut(out.id());
  n.a = logits.id();
  n.b = labels.id();
  const ConstMatrixMap<T> z(logits.value().data(), logits.rows(), logits.cols());
  double total = 0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const T label = labels.value()(i, 0);
    if (!(label >= 0 && label < T(z.cols()) && label == std::floor(label)))
      throw DomainError("nn::cross_entropy: label " + std::to_string(double(label)) + " in row " +
                        std::to_string(i) + " (counted from 0) is not a class index 0.." +
                        std::to_string(z.cols() - 1));
    const T m = z.row(i).maxCoeff();
    const T lse = m + std::log((z.row(i).array() - m).exp().sum());
    total += double(lse - z(i, static_cast<Eigen::Index>(label)));
  }
  n.value[0] = T(total / double(z.rows()));
  return out;
}

template <class T>
Tensor<T> hinge_loss(Tensor<T> scores, Tensor<T> targets) {
  Tensor<T> s = signs(scores, targets, "hinge_loss");
  return mean(relu(T(1) - s * scores));
}

template <class T>
Tensor<T> squared_hinge_loss(Tensor<T> scores, Tensor<T> targets) {
  Tensor<T> s = signs(scores, targets, "squared_hinge_loss");
  return mean(square(relu(T(1) - s * scores)));
}

template <class T>
Tensor<T> smoothed_zero_one_loss(Tensor<T> scores, Tensor<T> targets, double temperature) {
  Tensor<T> s = signs(scores, targets, "smoothed_zero_one_loss");
  return mean(smooth_step(-(s * scores), temperature));
}

template <class T>
Tensor<T> smooth_relu(Tensor<T> x, double temperature) {
  return softplus(x, temperature);
}

template <class T>
Tensor<T> smooth_abs(Tensor<T> x, double eps) {
  if (!(eps > 0)) throw DomainError("nn::smooth_abs: eps must be positive");
  return detail::unary<T, SmoothAbs>(x, eps);
}

template <class T>
Tensor<T> smooth_max(Tensor<T> x, double temperature, int axis) {
  if (!(temperature > 0)) throw DomainError("nn::smooth_max: the temperature must be positive");
  return scale(logsumexp(scale(x, T(1 / temperature)), axis), T(temperature));
}

template <class T>
Tensor<T> smooth_step(Tensor<T> x, double temperature) {
  if (!(temperature > 0)) throw DomainError("nn::smooth_step: the temperature must be positive");
  return sigmoid(scale(x, T(1 / temperature)));
}

template <class T>
Tensor<T> loss(Tensor<T> outputs, Tensor<T> targets, const LossOptions& options) {
  switch (options.kind) {
    case Loss::mse:
      return mse_loss(outputs, targets);
    case Loss::mae:
      return mae_loss(outputs, targets);
    case Loss::huber:
      return huber_loss(outputs, targets, options.delta);
    case Loss::binary_cross_entropy:
      return binary_cross_entropy_with_logits(outputs, targets);
    case Loss::cross_entropy:
      return cross_entropy(outputs, targets);
    case Loss::hinge:
      return hinge_loss(outputs, targets);
    case Loss::squared_hinge:
      return squared_hinge_loss(outputs, targets);
    case Loss::smoothed_zero_one:
      return smoothed_zero_one_loss(outputs, targets, options.temperature);
  }
  throw DomainError("nn::loss: unknown loss");
}

namespace {
struct LossName {
  Loss loss;
  const char* name;
};
constexpr LossName loss_names[] = {{Loss::mse, "mse"},
                                   {Loss::mae, "mae"},
                                   {Loss::huber, "huber"},
                                   {Loss::binary_cross_entropy, "bce"},
                                   {Loss::cross_entropy, "cross_entropy"},
                                   {Loss::hinge, "hinge"},
                                   {Loss::squared_hinge, "squared_hinge"},
                                   {Loss::smoothed_zero_one, "smoothed_01"}};
}  // namespace

Loss parse_loss(const std::string& name) {
  for (const LossName& l : loss_names)
    if (name == l.name) return l.loss;
  throw DomainError("nn: unknown loss '" + name +
                    "' (choose mse, mae, huber, bce, cross_entropy, hinge, squared_hinge or smoothed_01)");
}

const char* to_string(Loss loss) {
  for (const LossName& l : loss_names)
    if (loss == l.loss) return l.name;
  return "unknown";
}

bool is_classification(Loss loss) { return !(loss == Loss::mse || loss == Loss::mae || loss == Loss::huber); }

#define NABLA_NN_LOSSES(T)                                                   \
  template Tensor<T> loss(Tensor<T>, Tensor<T>, const LossOptions&);         \
  template Tensor<T> mse_loss(Tensor<T>, Tensor<T>);                         \
  template Tensor<T> mae_loss(Tensor<T>, Tensor<T>);                         \
  template Tensor<T> huber_loss(Tensor<T>, Tensor<T>, double);               \
  template Tensor<T> binary_cross_entropy_with_logits(Tensor<T>, Tensor<T>); \
  template Tensor<T> cross_entropy(Tensor<T>, Tensor<T>);                    \
  template Tensor<T> hinge_loss(Tensor<T>, Tensor<T>);                       \
  template Tensor<T> squared_hinge_loss(Tensor<T>, Tensor<T>);               \
  template Tensor<T> smoothed_zero_one_loss(Tensor<T>, Tensor<T>, double);   \
  template Tensor<T> smooth_relu(Tensor<T>, double);                         \
  template Tensor<T> smooth_abs(Tensor<T>, double);                          \
  template Tensor<T> smooth_max(Tensor<T>, double, int);                     \
  template Tensor<T> smooth_step(Tensor<T>, double);
NABLA_NN_LOSSES(float)
NABLA_NN_LOSSES(double)
#undef NABLA_NN_LOSSES

}  // namespace nabla::nn
