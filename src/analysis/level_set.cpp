// The tangent space of a level set: an orthonormal basis of the complement
// of the gradient, from a Householder QR of the gradient as one column.
#include "nabla/analysis/level_set.hpp"

#include <Eigen/QR>

namespace nabla::analysis {

Eigen::MatrixXd orthogonal_complement(const Eigen::VectorXd& g) {
  const Eigen::Index n = g.size();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr{Eigen::MatrixXd(g)};
  const Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(n, n);
  return q.rightCols(n - 1);
}

}  // namespace nabla::analysis
