// The correction pairs of L-BFGS and the two-loop recursion (Nocedal 1980;
// Liu & Nocedal 1989), in preallocated column storage: no allocation per
// iteration. L-BFGS-B uses the compact form instead (compact_lbfgs.hpp).
// Private to src/optim.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace nabla::optim::detail {

/// Up to m pairs (s, y) with s'y > 0, oldest overwritten first. The
/// columns are allocated as pairs come (doubling up to m), so that a memory
/// larger than the run ever fills costs nothing.
class LbfgsMemory {
 public:
  LbfgsMemory(Eigen::Index n, int m) : s_(n, 0), y_(n, 0), m_(m) {}

  /// Stores (s, y) when s'y > eps y'y (the curvature is usable); returns whether it did.
  bool push(const Eigen::VectorXd& s, const Eigen::VectorXd& y) {
    const double sy = s.dot(y), yy = y.squaredNorm();
    if (!(sy > 2.2e-16 * yy) || !std::isfinite(sy)) return false;
    if (count_ == capacity() && capacity() < m_) grow();
    head_ = (head_ + 1) % capacity();
    s_.col(head_) = s;
    y_.col(head_) = y;
    rho_[head_] = 1 / sy;
    gamma_ = sy / yy;
    if (count_ < capacity()) ++count_;
    return true;
  }

  /// p = -H q, H the L-BFGS inverse Hessian with H0 = gamma I, gamma = s'y / y'y of the newest pair.
  void apply(const Eigen::VectorXd& q, Eigen::VectorXd& p) {
    p = -q;
    if (count_ == 0) return;  // steepest descent (and no columns yet to index)
    int k = head_;
    for (int i = 0; i < count_; ++i, k = (k + capacity() - 1) % capacity()) {
      alpha_[k] = rho_[k] * s_.col(k).dot(p);
      p.noalias() -= alpha_[k] * y_.col(k);
    }
    p *= gamma_;
    k = (head_ + capacity() - count_ + 1) % capacity();
    for (int i = 0; i < count_; ++i, k = (k + 1) % capacity()) {
      const double beta = rho_[k] * y_.col(k).dot(p);
      p.noalias() += (alpha_[k] - beta) * s_.col(k);
    }
  }

  int size() const { return count_; }
  /// Forgets the pairs (the next is stored in column 0, so the columns in
  /// use stay 0..count-1 until the memory is full).
  void clear() { count_ = 0, head_ = -1; }

 private:
  int capacity() const { return static_cast<int>(rho_.size()); }
  /// Room for more columns; only called while columns 0..count-1 are the
  /// pairs in order (the ring has not wrapped), so they keep their places.
  void grow() {
    const int columns = std::min(m_, std::max(4, 2 * capacity()));
    s_.conservativeResize(Eigen::NoChange, columns);
    y_.conservativeResize(Eigen::NoChange, columns);
    rho_.conservativeResize(columns);
    alpha_.conservativeResize(columns);
  }
  Eigen::MatrixXd s_, y_;
  Eigen::VectorXd rho_, alpha_;
  int m_;
  int head_ = -1, count_ = 0;
  double gamma_ = 1;
};

}  // namespace nabla::optim::detail
