// Metrics of nabla::nn on a model's raw outputs: accuracy (one logit: class 1
// when positive; several: the arg max), mean squared error, and R^2 (1 -
// SSE / SST, SST about the targets' mean).
#pragma once

#include <Eigen/Core>

namespace nabla::nn {

/// The fraction of rows whose predicted class is the label.
double accuracy(const Eigen::MatrixXd& outputs, const Eigen::VectorXd& labels);
/// The predicted class of each row.
Eigen::VectorXd predicted_classes(const Eigen::MatrixXd& outputs);
/// mean (o - t)^2 over every entry.
double mean_squared_error(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets);
/// 1 - sum (o - t)^2 / sum (t - mean t)^2 (per column, then averaged).
double r2_score(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets);

}  // namespace nabla::nn
