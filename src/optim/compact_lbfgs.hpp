// The compact representation of the L-BFGS matrix (Byrd, Nocedal & Schnabel,
// Math. Programming 63, 1994) that L-BFGS-B works with:
//   B = theta I - W M W',  W = [Y, theta S]  (n x 2k),
//   M = [[-D, L'], [L, theta S'S]]^-1        (2k x 2k),
// S and Y the k newest correction pairs, oldest first, D = diag(s_i'y_i), L
// the strictly lower triangle of S'Y, theta = y'y / s'y of the newest pair.
// Unlike the two-loop recursion (lbfgs_memory.hpp) it gives B itself, whose
// products along a piecewise-linear path and on a subspace the bounded method
// needs. Private to src/optim.
#pragma once

#include <Eigen/Core>

namespace nabla::optim::detail {

class CompactLbfgs {
 public:
  /// n variables, at most m pairs (and at most n).
  CompactLbfgs(Eigen::Index n, int m);

  /// Stores (s, y) when s'y > eps y'y (usable curvature), dropping the oldest
  /// pair when full, and rebuilds W and M; returns whether it stored the pair.
  /// A pair that would make the middle matrix singular is not kept either.
  bool push(const Eigen::VectorXd& s, const Eigen::VectorXd& y);
  void clear();

  /// Pairs held (k); with none, B = I.
  int size() const { return k_; }
  double theta() const { return theta_; }
  /// W (n x 2k) and M (2k x 2k).
  const Eigen::MatrixXd& w() const { return w_; }
  const Eigen::MatrixXd& m() const { return m_; }

 private:
  /// Forms W and M from the stored pairs; false when M does not exist.
  bool rebuild();
  /// More columns for pairs (doubling up to the memory): storage comes as
  /// pairs do, so a memory larger than the run ever fills costs nothing.
  void grow();

  Eigen::MatrixXd s_, y_;    // n x columns allocated, columns 0..k-1 oldest first
  Eigen::MatrixXd sy_, ss_;  // S'Y and S'S of those columns
  int memory_;               // the most pairs kept (m)
  Eigen::MatrixXd w_, m_;
  int k_ = 0;
  double theta_ = 1;
};

}  // namespace nabla::optim::detail
