// Layers and models of nabla::nn: Linear (x W + b), and Model, a stack of
// Linear layers with one activation between them, whose parameters share
// one buffer. MLP, LinearRegression and LogisticRegression are Models with
// the shapes their names say; LinearRegression also solves least squares
// in closed form, for checking what gradient descent reaches.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nabla/nn/ops.hpp"
#include "nabla/nn/parameters.hpp"

namespace nabla::nn {

/// The nonlinearity between layers (none after the last).
enum class Activation { identity, relu, tanh, sigmoid, gelu, softplus };

/// "relu", "tanh", ...; throws DomainError naming the choices otherwise.
Activation parse_activation(const std::string& name);
const char* to_string(Activation activation);
/// The activation applied to a tensor.
template <class T>
Tensor<T> activate(Tensor<T> x, Activation activation);

/// Weight initialization: Xavier/Glorot uniform U(+-sqrt(6 / (in + out))),
/// He normal N(0, 2 / in); automatic picks He for relu and gelu, Xavier
/// otherwise. Biases start at zero.
enum class Init { automatic, xavier, he };

/// A fully connected layer y = x W + b (W in x out, b 1 x out), a view of
/// two blocks of its model's Parameters.
template <class T>
class Linear {
 public:
  Linear(Parameters<T>& parameters, Eigen::Index in, Eigen::Index out, const std::string& name);
  Tensor<T> forward(Tape<T>& tape, Parameters<T>& parameters, Tensor<T> x) const;
  /// Fills W from the seeded generator (the bias to zero).
  void initialize(Parameters<T>& parameters, Init init, std::uint64_t seed) const;
  Eigen::Index in() const { return in_; }
  Eigen::Index out() const { return out_; }
  int weight() const { return weight_; }
  int bias() const { return bias_; }

 private:
  Eigen::Index in_, out_;
  int weight_, bias_;
};

/// Layers of the given widths (inputs, hidden..., outputs) with `activation`
/// between them; forward gives the raw outputs (the logits of a classifier).
template <class T>
class Model {
 public:
  Model(std::vector<Eigen::Index> widths, Activation activation, std::uint64_t seed = 0,
        Init init = Init::automatic);
  virtual ~Model() = default;
  Model(const Model&) = default;
  Model& operator=(const Model&) = default;

  /// The outputs for a batch x (rows are examples).
  Tensor<T> forward(Tape<T>& tape, Tensor<T> x);
  /// The outputs for a batch, without a tape of the caller's.
  Matrix<T> predict(const Eigen::Ref<const Matrix<T>>& x);

  Parameters<T>& parameters() { return parameters_; }
  const Parameters<T>& parameters() const { return parameters_; }
  const std::vector<Linear<T>>& layers() const { return layers_; }
  const std::vector<Eigen::Index>& widths() const { return widths_; }
  Activation activation() const { return activation_; }
  Eigen::Index inputs() const { return widths_.front(); }
  Eigen::Index outputs() const { return widths_.back(); }
  /// Re-draws every weight from the seed.
  void initialize(std::uint64_t seed, Init init = Init::automatic);

 private:
  std::vector<Eigen::Index> widths_;
  Activation activation_;
  Parameters<T> parameters_;
  std::vector<Linear<T>> layers_;
};

/// A multilayer perceptron: widths {in, hidden..., out}.
template <class T>
class MLP : public Model<T> {
 public:
  MLP(std::vector<Eigen::Index> widths, Activation activation = Activation::relu, std::uint64_t seed = 0)
      : Model<T>(std::move(widths), activation, seed) {}
};

/// y = x w + b for `outputs` targets; closed_form gives least squares.
template <class T>
class LinearRegression : public Model<T> {
 public:
  explicit LinearRegression(Eigen::Index features, Eigen::Index outputs = 1, std::uint64_t seed = 0)
      : Model<T>({features, outputs}, Activation::identity, seed) {}
  /// argmin ||x w + 1 b - y||^2 by a QR factorization (column-pivoted, so a
  /// rank-deficient x gets a solution too): rows 0..d-1 are w, row d is b.
  static Eigen::MatrixXd closed_form(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
  /// Sets the parameters to the closed-form solution.
  void fit_closed_form(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y);
};

/// A linear classifier: one logit for two classes (binary cross-entropy),
/// one per class for three or more (softmax cross-entropy).
template <class T>
class LogisticRegression : public Model<T> {
 public:
  LogisticRegression(Eigen::Index features, Eigen::Index classes = 2, std::uint64_t seed = 0)
      : Model<T>({features, classes == 2 ? 1 : classes}, Activation::identity, seed) {
    require_dimension(classes >= 2, "nn::LogisticRegression: needs at least two classes");
  }
  /// P(class | x): n x 1 (of class 1) for a binary model, n x classes otherwise.
  Matrix<T> predict_proba(const Eigen::Ref<const Matrix<T>>& x);
};

extern template class Linear<float>;
extern template class Linear<double>;
extern template class Model<float>;
extern template class Model<double>;
extern template class LinearRegression<float>;
extern template class LinearRegression<double>;
extern template class LogisticRegression<float>;
extern template class LogisticRegression<double>;

}  // namespace nabla::nn
