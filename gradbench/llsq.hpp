// The llsq eval (cmpad's llsq_obj): y(x) = 1/2 sum_{i<n} (s_i - sum_j x_j t_i^j)^2
// with t_i = -1 + 2 i / (n - 1) and s_i = sign(t_i). The objective is written
// once on the scalar type; each residual is one affine statement of x.
#pragma once

#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// llsq's input: the coefficients x (m of them) and the number of samples n (>= 2).
struct LlsqInput {
  std::vector<double> x;
  std::size_t n = 2;
};

/// y(x); `powers` holds m doubles, `r` n scalars (workspace).
template <class T>
T llsq_objective(const T* x, std::size_t m, std::size_t n, double* powers, T* r) {
  for (std::size_t i = 0; i < n; ++i) {
    const double t = -1.0 + static_cast<double>(i) * 2.0 / static_cast<double>(n - 1);
    const double s = static_cast<double>((0.0 < t) - (t < 0.0));
    double p = -1.0;
    for (std::size_t j = 0; j < m; ++j) {
      powers[j] = p;  // -t^j: the residual is s + sum_j (-t^j) x_j
      p *= t;
    }
    r[i] = affine(s, x, powers, m);
  }
  return 0.5 * sqnorm(r, n);
}

/// Primal and gradient of llsq with their workspaces kept between runs.
class Llsq {
 public:
  explicit Llsq(LlsqInput input);
  /// y(x) on doubles.
  double primal();
  /// dy/dx by reverse mode.
  const std::vector<double>& gradient();

 private:
  LlsqInput in_;
  std::vector<double> powers_, r_, g_;
  std::vector<Var> rv_;
  ReverseGradient reverse_;
};

}  // namespace nabla::gradbench
