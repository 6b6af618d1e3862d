// Linear layers, the Model stack, activations and seeded initialization
// (see nn/layers.hpp).
#include "nabla/nn/layers.hpp"

#include <Eigen/QR>
#include <cmath>
#include <random>

namespace nabla::nn {

Activation parse_activation(const std::string& name) {
  for (Activation a : {Activation::identity, Activation::relu, Activation::tanh, Activation::sigmoid,
                       Activation::gelu, Activation::softplus})
    if (name == to_string(a)) return a;
  throw DomainError("nn: unknown activation '" + name +
                    "' (choose identity, relu, tanh, sigmoid, gelu or softplus)");
}

const char* to_string(Activation activation) {
  switch (activation) {
    case Activation::identity:
      return "identity";
    case Activation::relu:
      return "relu";
    case Activation::tanh:
      return "tanh";
    case Activation::sigmoid:
      return "sigmoid";
    case Activation::gelu:
      return "gelu";
    case Activation::softplus:
      return "softplus";
  }
  return "unknown";
}

template <class T>
Tensor<T> activate(Tensor<T> x, Activation activation) {
  switch (activation) {
    case Activation::identity:
      return x;
    case Activation::relu:
      return relu(x);
    case Activation::tanh:
      return tanh(x);
    case Activation::sigmoid:
      return sigmoid(x);
    case Activation::gelu:
      return gelu(x);
    case Activation::softplus:
      return softplus(x);
  }
  return x;
}

template <class T>
Linear<T>::Linear(Parameters<T>& parameters, Eigen::Index in, Eigen::Index out, const std::string& name)
    : in_(in),
      out_(out),
      weight_(parameters.add(name + ".weight", in, out)),
      bias_(parameters.add(name + ".bias", 1, out)) {}

template <class T>
Tensor<T> Linear<T>::forward(Tape<T>& tape, Parameters<T>& parameters, Tensor<T> x) const {
  return affine(x, parameters.on(tape, weight_), parameters.on(tape, bias_));
}

template <class T>
void Linear<T>::initialize(Parameters<T>& parameters, Init init, std::uint64_t seed) const {
  std::mt19937_64 gen(seed);
  auto w = parameters.value(weight_);
  if (init == Init::he) {
    std::normal_distribution<double> normal(0.0, std::sqrt(2.0 / double(in_)));
    for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = T(normal(gen));
  } else {
    const double a = std::sqrt(6.0 / double(in_ + out_));
    std::uniform_real_distribution<double> uniform(-a, a);
    for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] = T(uniform(gen));
  }
  parameters.value(bias_).setZero();
}

template <class T>
Model<T>::Model(std::vector<Eigen::Index> widths, Activation activation, std::uint64_t seed, Init init)
    : widths_(std::move(widths)), activation_(activation) {
  require_dimension(widths_.size() >= 2, "nn::Model: needs at least the input and output widths");
  for (Eigen::Index w : widths_) require_dimension(w > 0, "nn::Model: every width must be positive");
  for (std::size_t k = 0; k + 1 < widths_.size(); ++k)
    layers_.emplace_back(parameters_, widths_[k], widths_[k + 1], "layer" + std::to_string(k));
  initialize(seed, init);
}

template <class T>
void Model<T>::initialize(std::uint64_t seed, Init init) {
  if (init == Init::automatic)
    init = activation_ == Activation::relu || activation_ == Activation::gelu ? Init::he : Init::xavier;
  for (std::size_t k = 0; k < layers_.size(); ++k)
    layers_[k].initialize(parameters_, init, seed * 1000003ULL + k);
}

template <class T>
Tensor<T> Model<T>::forward(Tape<T>& tape, Tensor<T> x) {
  require_dimension(x.cols() == inputs(), "nn::Model::forward: the model takes " + std::to_string(inputs()) +
                                              " features, the batch has " + std::to_string(x.cols()));
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    x = layers_[k].forward(tape, parameters_, x);
    if (k + 1 < layers_.size()) x = activate(x, activation_);
  }
  return x;
}

template <class T>
Matrix<T> Model<T>::predict(const Eigen::Ref<const Matrix<T>>& x) {
  Tape<T> tape;
  const Matrix<T> copy = x;
  return forward(tape, tape.constant_view(copy.data(), copy.rows(), copy.cols())).value();
}

template <class T>
Eigen::MatrixXd LinearRegression<T>::closed_form(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  require_dimension(x.rows() == y.rows() && x.rows() > 0,
                    "nn::LinearRegression::closed_form: x and y need the same, positive, number of rows");
  Eigen::MatrixXd design(x.rows(), x.cols() + 1);
  design << x, Eigen::VectorXd::Ones(x.rows());
  return design.colPivHouseholderQr().solve(y);
}

template <class T>
void LinearRegression<T>::fit_closed_form(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  const Eigen::MatrixXd solution = closed_form(x, y);
  require_dimension(solution.rows() == this->inputs() + 1 && solution.cols() == this->outputs(),
                    "nn::LinearRegression::fit_closed_form: x or y does not fit the model");
  const Linear<T>& layer = this->layers().front();
  this->parameters().value(layer.weight()) = solution.topRows(this->inputs()).template cast<T>();
  this->parameters().value(layer.bias()) = solution.bottomRows(1).template cast<T>();
}

template <class T>
Matrix<T> LogisticRegression<T>::predict_proba(const Eigen::Ref<const Matrix<T>>& x) {
  Tape<T> tape;
  const Matrix<T> copy = x;
  Tensor<T> logits = this->forward(tape, tape.constant_view(copy.data(), copy.rows(), copy.cols()));
  return (this->outputs() == 1 ? sigmoid(logits) : softmax(logits)).value();
}

template Tensor<float> activate(Tensor<float>, Activation);
template Tensor<double> activate(Tensor<double>, Activation);
template class Linear<float>;
template class Linear<double>;
template class Model<float>;
template class Model<double>;
template class LinearRegression<float>;
template class LinearRegression<double>;
template class LogisticRegression<float>;
template class LogisticRegression<double>;

}  // namespace nabla::nn
