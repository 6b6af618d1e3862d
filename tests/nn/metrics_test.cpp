// Metrics against values worked out by hand: accuracy with a NaN output
// (never right), R^2 of a constant target (0 unless predicted exactly, as
// scikit-learn and the Python front end) and of large or tiny targets, and outputs without
// columns refused.
#include "nabla/nn/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nabla/core/errors.hpp"

namespace {

using namespace nabla::nn;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(Metrics, ANaNOutputIsNeverTheRightClass) {
  // One logit: NaN > 0 is false, which made the row class 0 and right.
  Eigen::MatrixXd logit(2, 1);
  logit << nan, 0;
  EXPECT_DOUBLE_EQ(accuracy(logit, Eigen::Vector2d(0, 0)), 0.5);
  EXPECT_TRUE(std::isnan(predicted_classes(logit)(0)));
  EXPECT_EQ(predicted_classes(logit)(1), 0);
  // Several outputs: a NaN anywhere in the row, first or not, gives no class.
  Eigen::MatrixXd scores(3, 3);
  scores << nan, 0, 0, 0, 1, nan, 0, 1, 0;
  EXPECT_DOUBLE_EQ(accuracy(scores, Eigen::Vector3d(0, 1, 1)), 1.0 / 3);
  EXPECT_TRUE(std::isnan(predicted_classes(scores)(1)));
}

TEST(Metrics, OutputsWithoutColumnsAreRefused) {
  EXPECT_THROW(accuracy(Eigen::MatrixXd(3, 0), Eigen::Vector3d(0, 0, 0)), nabla::DimensionError);
  EXPECT_THROW(predicted_classes(Eigen::MatrixXd(3, 0)), nabla::DimensionError);
  EXPECT_THROW(r2_score(Eigen::MatrixXd(3, 0), Eigen::MatrixXd(3, 0)), nabla::DimensionError);
}

TEST(Metrics, RSquaredOfAConstantTargetIsExact) {
  // {0.1, 0.1, 0.1}: the mean rounds, so SST was 1e-33 and R^2 -8.65e31;
  // then -infinity, while Python's score gave 0 for the same model.
  const Eigen::Vector3d t(0.1, 0.1, 0.1);
  EXPECT_EQ(r2_score(Eigen::Vector3d::Zero(), t), 0.0);
  EXPECT_EQ(r2_score(t, t), 1.0);
}

TEST(Metrics, RSquaredKnownValues) {
  // t = {1, 2, 3}, o = {1, 2, 4}: SST 2, SSE 1, R^2 1/2, at any offset or scale.
  EXPECT_DOUBLE_EQ(r2_score(Eigen::Vector3d(1, 2, 4), Eigen::Vector3d(1, 2, 3)), 0.5);
  EXPECT_DOUBLE_EQ(
      r2_score(Eigen::Vector3d(1e12 + 1, 1e12 + 2, 1e12 + 4), Eigen::Vector3d(1e12 + 1, 1e12 + 2, 1e12 + 3)),
      0.5);
  EXPECT_DOUBLE_EQ(r2_score(Eigen::Vector3d(1e-300, 2e-300, 4e-300), Eigen::Vector3d(1e-300, 2e-300, 3e-300)),
                   0.5);
  // Huge finite targets whose sum (or a deviation from their mean)
  // overflows: in units of 1e308, t = {1.5, 1.5, -1}, mean 2/3, SST 25/6;
  // a residual of 5/6 on the last row gives SSE 25/36 and R^2 5/6.
  const Eigen::Vector3d huge(1.5e308, 1.5e308, -1e308);
  EXPECT_EQ(r2_score(huge, huge), 1.0);
  EXPECT_NEAR(r2_score(Eigen::Vector3d(1.5e308, 1.5e308, -1e308 / 6), huge), 5.0 / 6, 1e-14);
  const Eigen::Vector3d apart(1.7e308, -1.7e308, 1.7e308);  // the last deviation was 2.3e308
  EXPECT_EQ(r2_score(apart, apart), 1.0);
  // Two columns are averaged: 1/2 and 1.
  Eigen::MatrixXd o(3, 2), y(3, 2);
  o << 1, 5, 2, 6, 4, 7;
  y << 1, 5, 2, 6, 3, 7;
  EXPECT_DOUBLE_EQ(r2_score(o, y), 0.75);
}

}  // namespace
