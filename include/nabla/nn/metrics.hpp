// Metrics of nabla::nn on a model's raw outputs: accuracy (one logit: class 1
// when positive; several: the arg max), mean squared error, and R^2 (1 -
// SSE / SST, SST about the targets' mean).
#pragma once

#include <Eigen/Core>

namespace nabla::nn {

/// The fraction of rows whose predicted class is the label; a row with a
/// NaN output has no class and is never counted right. Outputs without
/// rows or columns are a DimensionError.
double accuracy(const Eigen::MatrixXd& outputs, const Eigen::VectorXd& labels);
/// The predicted class of each row: NaN for a row with a NaN output (it
/// equals no label).
Eigen::VectorXd predicted_classes(const Eigen::MatrixXd& outputs);
/// mean (o - t)^2 over every entry.
double mean_squared_error(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets);
/// 1 - sum (o - t)^2 / sum (t - mean t)^2 (per column, then averaged). A
/// constant target column (all values equal), where the ratio is x / 0,
/// scores 1 when predicted exactly, else 0 (scikit-learn's convention, and
/// the Python front end's: a finite score that no fit beats by chance).
double r2_score(const Eigen::MatrixXd& outputs, const Eigen::MatrixXd& targets);

}  // namespace nabla::nn
