// gmm's sum over points by tensor-level reverse mode (nabla::nn), for the
// larger d where the scalar tape records one multiply-add per primal one:
// per chunk of points X (rows x d), all k components at once as
// Z = X W - b with W = [Q_1^T ... Q_k^T] (d x kd, gathered from exp(q) and
// l) and b = [Q_1 mu_1 ... Q_k mu_k], so that row i's block c of Z is
// Q_c (x_i - mu_c); then the row sums of squares per block, the mixture
// terms and one log-sum-exp per point. The reverse sweep is one matrix
// product X^T dZ plus passes over Z: no derivative is written by hand.
#pragma once

#include <cstddef>
#include <vector>

#include "nabla/nn/tape.hpp"

namespace nabla::gradbench {

struct GmmInput;

/// Adds d/dtheta of sum_i log sum_k exp(alpha_k + sum q_k - |Q_k (x_i - mu_k)|^2 / 2) into g.
class GmmTensorPoints {
 public:
  /// `chunk`: points per tape (0: about 2^18 entries of Z per tape, at least 256 points).
  GmmTensorPoints(const GmmInput& in, std::size_t chunk = 0);
  /// theta is read through in.theta (the tape's parameter leaves view it; nothing is written).
  void accumulate(GmmInput& in, double* g);

 private:
  std::size_t chunk_;
  std::vector<int> w_index_;   ///< W's entries in [exp(q) (k x d), l (k x d(d-1)/2)], -1 for zeros
  std::vector<int> mu_index_;  ///< mu_c repeated along block c's columns (d x kd)
  nn::Tape<double> tape_;
};

}  // namespace nabla::gradbench
