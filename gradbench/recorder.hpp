// Reverse-mode gradients of objectives over a flat parameter vector, with the
// tape and the array of input Vars kept from one call to the next: every
// recording starts from a reset tape (its chunks reused, nothing reallocated).
// accumulate() ADDS the gradient into g, so that an objective that is a sum
// of parts (points of a data set, steps of a loop) can be differentiated
// part by part, each part on a short tape that stays in cache.
#pragma once

#include <cstddef>
#include <vector>

#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"

namespace nabla::gradbench {

/// Records f(theta) on Vars, reverses the tape, and accumulates the gradient.
class ReverseGradient {
 public:
  /// f(const Var* theta) -> Var. Adds df/dtheta into g[0..n) and returns f(theta).
  template <class F>
  double accumulate(const double* theta, std::size_t n, double* g, F&& f) {
    TapeScope<double> scope;
    Tape& tape = scope.tape();
    vars_.resize(n);
    for (std::size_t i = 0; i < n; ++i) vars_[i] = tape.input(theta[i]);
    const Var y = f(static_cast<const Var*>(vars_.data()));
    tape.clear_adjoints();
    if (y.is_active()) {
      tape.adjoint(y.index()) = 1.0;
      tape.reverse();
      for (std::size_t i = 0; i < n; ++i) g[i] += tape.adjoint(vars_[i].index());
    }
    return y.value();
  }

 private:
  std::vector<Var> vars_;
};

}  // namespace nabla::gradbench
