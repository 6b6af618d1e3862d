// The lse eval: LSE(x) = a + log sum_i e^{x_i - a}, a = max_i x, written from
// its primitive elements as the eval asks (a maximum, n exponentials, a sum,
// a log), not with a built-in log-sum-exp. The shift a is a passive number:
// the result does not depend on it, so no derivative flows through it.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "ad_ops.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/nn/tape.hpp"
#include "recorder.hpp"

namespace nabla::gradbench {

/// LSE(x) for n > 0 entries; `e` holds n scalars (workspace).
template <class T>
T lse_objective(const T* x, std::size_t n, T* e) {
  using std::exp;
  using std::log;
  double a = value_of(x[0]);
  for (std::size_t i = 1; i < n; ++i) a = std::max(a, value_of(x[i]));
  for (std::size_t i = 0; i < n; ++i) e[i] = exp(x[i] - a);
  return a + log(sum_of(e, n));
}

/// How the gradient is taken: the scalar tape (a statement per exponential)
/// or nn tensors (x as one tensor: shift, exp, sum, log, each one tape entry).
enum class LseMethod { scalar_tape, tensor };

/// Primal and gradient of LSE with their workspaces kept between runs.
class Lse {
 public:
  explicit Lse(std::vector<double> x, LseMethod method = LseMethod::tensor);
  double primal();
  const std::vector<double>& gradient();

 private:
  std::vector<double> x_, e_, g_;
  LseMethod method_;
  std::vector<Var> ev_;
  ReverseGradient reverse_;
  nn::Tape<double> tape_;
};

}  // namespace nabla::gradbench
