// The llsq eval (cmpad's llsq_obj): y(x) = 1/2 sum_{i<n} (s_i - sum_j x_j t_i^j)^2
// with t_i = -1 + 2 i / (n - 1) and s_i = sign(t_i). The objective is written
// once on the scalar type; each residual is one affine statement of x. The
// gradient is by default taken with nn tensors, chunk of samples by chunk.
#pragma once

#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/nn/tape.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// llsq's input: the coefficients x (m of them) and the number of samples n (>= 2).
struct LlsqInput {
  std::vector<double> x;
  std::size_t n = 2;
};

/// Sample i of n: writes -t_i^j into powers[0..m) and returns s_i, so that
/// the residual is s_i + sum_j powers_j x_j.
inline double llsq_sample(std::size_t i, std::size_t n, std::size_t m, double* powers) {
  const double t = -1.0 + static_cast<double>(i) * 2.0 / static_cast<double>(n - 1);
  double p = -1.0;
  for (std::size_t j = 0; j < m; ++j) {
    powers[j] = p;
    p *= t;
  }
  return static_cast<double>((0.0 < t) - (t < 0.0));
}

/// y(x); `powers` holds m doubles, `r` n scalars (workspace).
template <class T>
T llsq_objective(const T* x, std::size_t m, std::size_t n, double* powers, T* r) {
  for (std::size_t i = 0; i < n; ++i) {
    const double s = llsq_sample(i, n, m, powers);
    r[i] = affine(s, x, powers, m);
  }
  return 0.5 * sqnorm(r, n);
}

/// How the gradient is taken: one scalar-tape statement per residual, or nn
/// tensors (per chunk of samples, r = s + P x as one matrix product, so the
/// reverse sweep is P^T dr).
enum class LlsqMethod { scalar_tape, tensor };

/// Primal and gradient of llsq with their workspaces kept between runs.
class Llsq {
 public:
  explicit Llsq(LlsqInput input, LlsqMethod method = LlsqMethod::tensor);
  /// y(x) on doubles.
  double primal();
  /// dy/dx by reverse mode.
  const std::vector<double>& gradient();

 private:
  void tensor_gradient();

  LlsqInput in_;
  LlsqMethod method_;
  std::vector<double> powers_, r_, g_;
  std::vector<Var> rv_;
  ReverseGradient reverse_;
  std::vector<double> chunk_powers_, chunk_signs_;  ///< P and s of one chunk (tensor method)
  nn::Tape<double> tape_;
};

}  // namespace nabla::gradbench
