// Accuracy, MSE and R^2 (see nn/metrics.hpp).
#include "nabla/nn/metrics.hpp"

#include <limits>

#include "nabla/core/errors.hpp"

namespace nabla::nn {

Eigen::VectorXd predicted_classes(const Eigen::MatrixXd& outputs) {
  Eigen::VectorXd classes(outputs.rows());
  for (Eigen::Index i = 0; i < outputs.rows(); ++i) {
    if (outputs.cols() == 1) {
      classes(i) = outputs(i, 0) > 0 ? 1 : 0;
    } else {
      Eigen::Index best = 0;
      outputs.row(i).maxCoeff(&best);
      classes(i) = double(best);
    }
  }
  return classes;
}

double accuracy(const Eigen::MatrixXd& outputs, const Eigen::VectorXd& labels) {
  require_dimension(outputs.rows() == labels.size() && labels.size() > 0,
                    "nn::accuracy: one label per row of outputs, and at least one row");
  return (predicted_classes(outputs).array() == labels.array()).cast<double>().mean();
}

double mean_squared_error(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets) {
  require_dimension(
      outputs.rows() == targets.rows() && outputs.cols() == targets.cols() && outputs.size() > 0,
      "nn::mean_squared_error: outputs and targets of the same, non-empty, shape");
  return (outputs - targets).squaredNorm() / double(outputs.size());
}

double r2_score(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets) {
  require_dimension(
      outputs.rows() == targets.rows() && outputs.cols() == targets.cols() && outputs.rows() > 0,
      "nn::r2_score: outputs and targets of the same, non-empty, shape");
  double total = 0;
  for (Eigen::Index j = 0; j < targets.cols(); ++j) {
    const double sse = (outputs.col(j) - targets.col(j)).squaredNorm();
    const double sst = (targets.col(j).array() - targets.col(j).mean()).square().sum();
    total += sst > 0 ? 1 - sse / sst : (sse == 0 ? 1.0 : -std::numeric_limits<double>::infinity());
  }
  return total / double(targets.cols());
}

}  // namespace nabla::nn
