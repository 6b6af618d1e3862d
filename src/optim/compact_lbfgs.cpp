// The compact L-BFGS matrix of compact_lbfgs.hpp: the pairs oldest first,
// their inner products kept up to date one row and column per new pair, W
// and M formed anew after each change (M by a pivoted LU of its 2k x 2k
// inverse, k at most the memory, so this is O(k^3) next to W's O(nk)).
#include "compact_lbfgs.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <cmath>

namespace nabla::optim::detail {

// At most n pairs: more are linearly dependent, S'S is singular, and the
// middle matrix's inverse, though invertible in exact arithmetic, is
// ill-conditioned enough in rounding that B came out wrong (on a 2-variable
// quadratic in a box, L-BFGS-B's third pair gave a direction of 1e-14 and
// the run stopped as stalled, f -0.124 against -0.615).
CompactLbfgs::CompactLbfgs(Eigen::Index n, int m)
    : s_(n, 0), y_(n, 0), memory_(static_cast<int>(std::min<Eigen::Index>(m, std::max<Eigen::Index>(n, 1)))) {
  clear();
}

void CompactLbfgs::grow() {
  const auto columns =
      static_cast<Eigen::Index>(std::min(memory_, std::max(4, 2 * static_cast<int>(s_.cols()))));
  s_.conservativeResize(Eigen::NoChange, columns);
  y_.conservativeResize(Eigen::NoChange, columns);
  sy_.conservativeResize(columns, columns);
  ss_.conservativeResize(columns, columns);
}

void CompactLbfgs::clear() {
  k_ = 0;
  theta_ = 1;
  w_.resize(s_.rows(), 0);
  m_.resize(0, 0);
}

bool CompactLbfgs::push(const Eigen::VectorXd& s, const Eigen::VectorXd& y) {
  const double sy = s.dot(y), yy = y.squaredNorm();
  if (!(sy > 2.2e-16 * yy) || !std::isfinite(sy) || !std::isfinite(yy)) return false;
  if (k_ == s_.cols() && k_ < memory_) grow();
  const int capacity = memory_;
  if (k_ == capacity) {  // drop the oldest pair
    for (int j = 0; j + 1 < capacity; ++j) {
      s_.col(j) = s_.col(j + 1);
      y_.col(j) = y_.col(j + 1);
    }
    sy_.topLeftCorner(capacity - 1, capacity - 1) = sy_.bottomRightCorner(capacity - 1, capacity - 1).eval();
    ss_.topLeftCorner(capacity - 1, capacity - 1) = ss_.bottomRightCorner(capacity - 1, capacity - 1).eval();
    --k_;
  }
  s_.col(k_) = s;
  y_.col(k_) = y;
  for (int j = 0; j <= k_; ++j) {
    sy_(k_, j) = s.dot(y_.col(j));
    sy_(j, k_) = s_.col(j).dot(y);
    ss_(k_, j) = ss_(j, k_) = s.dot(s_.col(j));
  }
  ++k_;
  theta_ = yy / sy;
  if (rebuild()) return true;
  clear();  // as L-BFGS-B does when its factorization fails: start the memory afresh
  return false;
}

bool CompactLbfgs::rebuild() {
  const Eigen::Index k = k_;
  w_.resize(s_.rows(), 2 * k);
  w_.leftCols(k) = y_.leftCols(k);
  w_.rightCols(k) = theta_ * s_.leftCols(k);
  Eigen::MatrixXd inverse = Eigen::MatrixXd::Zero(2 * k, 2 * k);
  for (Eigen::Index i = 0; i < k; ++i) {
    inverse(i, i) = -sy_(i, i);                                                              // -D
    for (Eigen::Index j = 0; j < i; ++j) inverse(k + i, j) = inverse(j, k + i) = sy_(i, j);  // L and L'
  }
  inverse.bottomRightCorner(k, k) = theta_ * ss_.topLeftCorner(k, k);
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(inverse);
  if (!lu.isInvertible()) return false;
  m_ = lu.inverse();
  return m_.allFinite();
}

}  // namespace nabla::optim::detail
