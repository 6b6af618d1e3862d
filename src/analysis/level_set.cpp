// The tangent space of a level set: an orthonormal basis of the complement
// of the gradient, from a Householder QR of the gradient as one column.
#include "nabla/analysis/level_set.hpp"

#include <Eigen/QR>

namespace nabla::analysis {

Eigen::MatrixXd orthogonal_complement(const Eigen::VectorXd& g) {
  const Eigen::Index n = g.size();
  // Scaled to a largest entry of 1: Householder reflections square the
  // entries, and a gradient of 1e-154 or 1e160 must not underflow or overflow.
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr{Eigen::MatrixXd(g / g.cwiseAbs().maxCoeff())};
  const Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(n, n);
  return q.rightCols(n - 1);
}

}  // namespace nabla::analysis
