// Accuracy, MSE and R^2 (see nn/metrics.hpp).
#include "nabla/nn/metrics.hpp"

#include <cmath>
#include <limits>

#include "nabla/core/errors.hpp"

namespace nabla::nn {

Eigen::VectorXd predicted_classes(const Eigen::MatrixXd& outputs) {
  require_dimension(outputs.cols() > 0, "nn::predicted_classes: outputs with no columns predict no class");
  Eigen::VectorXd classes(outputs.rows());
  for (Eigen::Index i = 0; i < outputs.rows(); ++i) {
    if (outputs.row(i).hasNaN()) {  // no class: a NaN compares false, so it would pass for class 0
      classes(i) = std::numeric_limits<double>::quiet_NaN();
    } else if (outputs.cols() == 1) {
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
  require_dimension(outputs.rows() == labels.size() && labels.size() > 0 && outputs.cols() > 0,
                    "nn::accuracy: one label per row of outputs, and at least one row and column");
  // A NaN class equals no label: a row the model gave a NaN is never counted right.
  return (predicted_classes(outputs).array() == labels.array()).cast<double>().mean();
}

double mean_squared_error(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets) {
  require_dimension(
      outputs.rows() == targets.rows() && outputs.cols() == targets.cols() && outputs.size() > 0,
      "nn::mean_squared_error: outputs and targets of the same, non-empty, shape");
  return (outputs - targets).squaredNorm() / double(outputs.size());
}

double r2_score(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets) {
  require_dimension(outputs.rows() == targets.rows() && outputs.cols() == targets.cols() &&
                        outputs.rows() > 0 && outputs.cols() > 0,
                    "nn::r2_score: outputs and targets of the same, non-empty, shape");
  double total = 0;
  for (Eigen::Index j = 0; j < targets.cols(); ++j) {
    const auto t = targets.col(j).array();
    // A constant column is told by its values, not by SST == 0: its mean
    // rounds ({0.1, 0.1, 0.1} has SST 1e-33), and 1 - SSE / SST was -1e31.
    if ((t == t(0)).all()) {
      total += (outputs.col(j).array() == t).all() ? 1.0 : 0.0;
      continue;
    }
    // First in units of a power of 2 near the largest |target| (exact
    // scaling), so that neither their sum (the mean) nor a deviation from
    // the mean overflows: {1.5e308, 1.5e308, -1e308} had an infinite mean.
    // Then in units of the largest deviation (positive, as the values
    // differ): SST is then at least 1, and tiny or huge targets neither
    // underflow nor overflow it.
    const double scale = std::ldexp(1.0, std::ilogb(t.abs().maxCoeff()));
    const Eigen::ArrayXd scaled = t / scale;
    const Eigen::ArrayXd deviation = scaled - scaled.mean();
    const double unit = deviation.abs().maxCoeff();
    const double sst = (deviation / unit).square().sum();
    const double sse = ((outputs.col(j).array() / scale - scaled) / unit).square().sum();
    total += 1 - sse / sst;
  }
  return total / double(targets.cols());
}

}  // namespace nabla::nn
