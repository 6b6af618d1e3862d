// The tensor operations of nabla::nn, each one tape entry whose reverse rule
// sits beside its forward in src/nn/ops_*.cpp. Elementwise operations
// broadcast 2-D shapes as NumPy does (each dimension equal, or 1); the
// elementwise functions take their value and derivative from the registry
// of core/primitives.hpp. Axes follow NumPy: axis 0 reduces over rows (the
// result is 1 x cols), axis 1 over columns (rows x 1), axis -1 over all (1x1).
#pragma once

#include <type_traits>
#include <vector>

#include "nabla/nn/tape.hpp"

namespace nabla::nn {

/// Reduce over every entry (the result is 1x1).
inline constexpr int all_axes = -1;

// ------------------------------------------------------------ products ---
/// a b (m x k times k x n).
template <class T>
Tensor<T> matmul(Tensor<T> a, Tensor<T> b);
/// x W + b with the 1 x n bias b added to every row: a Linear layer in one entry.
template <class T>
Tensor<T> affine(Tensor<T> x, Tensor<T> w, Tensor<T> b);

// ---------------------------------------------------------- arithmetic ---
template <class T>
Tensor<T> add(Tensor<T> a, Tensor<T> b);
/// a + alpha b in one entry (PyTorch's add with alpha), alpha passive.
template <class T>
Tensor<T> add(Tensor<T> a, Tensor<T> b, std::type_identity_t<T> alpha);
template <class T>
Tensor<T> sub(Tensor<T> a, Tensor<T> b);
template <class T>
Tensor<T> mul(Tensor<T> a, Tensor<T> b);
template <class T>
Tensor<T> div(Tensor<T> a, Tensor<T> b);
/// s x for a passive scalar s.
template <class T>
Tensor<T> scale(Tensor<T> x, T s);
/// x + s for a passive scalar s.
template <class T>
Tensor<T> shift(Tensor<T> x, T s);

template <class T>
Tensor<T> operator+(Tensor<T> a, Tensor<T> b) {
  return add(a, b);
}
template <class T>
Tensor<T> operator-(Tensor<T> a, Tensor<T> b) {
  return sub(a, b);
}
template <class T>
Tensor<T> operator*(Tensor<T> a, Tensor<T> b) {
  return mul(a, b);
}
template <class T>
Tensor<T> operator/(Tensor<T> a, Tensor<T> b) {
  return div(a, b);
}
template <class T>
Tensor<T> operator-(Tensor<T> a) {
  return scale(a, T(-1));
}
template <class T>
Tensor<T> operator*(Tensor<T> a, std::type_identity_t<T> s) {
  return scale(a, s);
}
template <class T>
Tensor<T> operator*(std::type_identity_t<T> s, Tensor<T> a) {
  return scale(a, s);
}
template <class T>
Tensor<T> operator/(Tensor<T> a, std::type_identity_t<T> s) {
  return scale(a, T(1) / s);
}
template <class T>
Tensor<T> operator+(Tensor<T> a, std::type_identity_t<T> s) {
  return shift(a, s);
}
template <class T>
Tensor<T> operator+(std::type_identity_t<T> s, Tensor<T> a) {
  return shift(a, s);
}
template <class T>
Tensor<T> operator-(Tensor<T> a, std::type_identity_t<T> s) {
  return shift(a, -s);
}
template <class T>
Tensor<T> operator-(std::type_identity_t<T> s, Tensor<T> a) {
  return shift(scale(a, T(-1)), s);
}

// --------------------------------------------------------- elementwise ---
template <class T>
Tensor<T> exp(Tensor<T> x);
template <class T>
Tensor<T> log(Tensor<T> x);
template <class T>
Tensor<T> tanh(Tensor<T> x);
template <class T>
Tensor<T> sigmoid(Tensor<T> x);
/// max(x, 0), with relu'(0) = 0.
template <class T>
Tensor<T> relu(Tensor<T> x);
/// t log(1 + e^{x/t}): the smooth relu of temperature t.
template <class T>
Tensor<T> softplus(Tensor<T> x, double temperature = 1.0);
/// x Phi(x) with Phi the standard normal CDF (the exact GELU, as PyTorch's default).
template <class T>
Tensor<T> gelu(Tensor<T> x);
/// |x|, with the subgradient 0 at 0.
template <class T>
Tensor<T> abs(Tensor<T> x);
template <class T>
Tensor<T> sqrt(Tensor<T> x);
template <class T>
Tensor<T> square(Tensor<T> x);

// ---------------------------------------------------------- reductions ---
template <class T>
Tensor<T> sum(Tensor<T> x, int axis = all_axes);
template <class T>
Tensor<T> mean(Tensor<T> x, int axis = all_axes);
/// log sum exp over an axis, evaluated without overflow.
template <class T>
Tensor<T> logsumexp(Tensor<T> x, int axis = all_axes);
/// e^{x_i} / sum_j e^{x_j} along an axis (default: each row).
template <class T>
Tensor<T> softmax(Tensor<T> x, int axis = 1);
/// x - logsumexp(x) along an axis (default: each row).
template <class T>
Tensor<T> log_softmax(Tensor<T> x, int axis = 1);

// --------------------------------------------------------------- shape ---
/// The same entries in row-major order, as rows x cols (shares memory).
template <class T>
Tensor<T> reshape(Tensor<T> x, Eigen::Index rows, Eigen::Index cols);
template <class T>
Tensor<T> transpose(Tensor<T> x);
/// The block of `rows` x `cols` entries starting at (row, col).
template <class T>
Tensor<T> slice(Tensor<T> x, Eigen::Index row, Eigen::Index rows, Eigen::Index col, Eigen::Index cols);
/// The rows moved down by k (up for k < 0): row i is x's row i - k, or
/// `fill` in every entry where there is no such row (a lag, like pandas'
/// shift). Reading a sequence's previous element is x * shift_rows(y, 1, 1).
template <class T>
Tensor<T> shift_rows(Tensor<T> x, Eigen::Index k, std::type_identity_t<T> fill);
/// The tensors stacked along axis 0 (one under another) or 1 (side by side).
template <class T>
Tensor<T> concat(const std::vector<Tensor<T>>& parts, int axis);
/// A rows x cols tensor whose entry e (row-major) is x's entry index[e]
/// (x read row-major), or 0 where index[e] is -1: picks, repeats and places
/// entries, e.g. a parameter vector into a triangular matrix. The reverse
/// rule adds each entry's adjoint back into its source. The indices are
/// copied onto the tape.
template <class T>
Tensor<T> gather(Tensor<T> x, const std::vector<int>& index, Eigen::Index rows, Eigen::Index cols);

/// The number of threads matmul and affine may use (1 by default); 0 means
/// all hardware threads. Shared by every tape of the process, except on a
/// thread running nn::train, where the training's own TrainOptions::threads
/// holds until it returns.
void set_threads(int threads);
int threads();

}  // namespace nabla::nn
