// Standardization (population deviation), label encoding, permutations and
// the seeded stratified split: class proportions kept, parts disjoint and
// covering, the same seed giving the same split.
#include "nabla/data/dataset.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "nabla/core/errors.hpp"

namespace {

using namespace nabla::data;

Dataset classes(int n0, int n1, int n2) {
  Dataset d;
  const int n = n0 + n1 + n2;
  d.features.resize(n, 1);
  d.targets.resize(n);
  for (int i = 0; i < n; ++i) {
    d.features(i, 0) = i;
    d.targets(i) = i < n0 ? 0 : (i < n0 + n1 ? 1 : 2);
  }
  return d;
}

TEST(Dataset, StandardizeWithPopulationDeviation) {
  Eigen::MatrixXd x(4, 2);
  x << 1, 5, 2, 5, 3, 5, 4, 5;
  const Standardizer s = Standardizer::fit(x);
  EXPECT_DOUBLE_EQ(s.mean(0), 2.5);
  EXPECT_DOUBLE_EQ(s.scale(0), std::sqrt(1.25));  // sqrt(mean of squared deviations), not n - 1
  EXPECT_DOUBLE_EQ(s.scale(1), 1);                // a constant column is left unscaled
  const Eigen::MatrixXd z = s.apply(x);
  EXPECT_NEAR(z.col(0).mean(), 0, 1e-15);
  EXPECT_NEAR(z.col(0).squaredNorm() / 4, 1, 1e-15);
  EXPECT_THROW(s.apply(Eigen::MatrixXd(2, 3)), nabla::DimensionError);
  // Values whose squares overflow (1e400) still standardize: mean 2e200,
  // deviation 1e200, so the column becomes -1, 1.
  Eigen::MatrixXd big(2, 1);
  big << 1e200, 3e200;
  const Standardizer b = Standardizer::fit(big);
  EXPECT_DOUBLE_EQ(b.mean(0), 2e200);
  EXPECT_DOUBLE_EQ(b.scale(0), 1e200);
  EXPECT_NEAR(b.apply(big)(0, 0), -1, 1e-15);
  EXPECT_NEAR(b.apply(big)(1, 0), 1, 1e-15);
}

// A large common offset costs no digits of the deviation: 1e12 + {1, 2, 3}
// has mean 1e12 + 2 and deviation sqrt(2/3) exactly (dividing by the largest
// value first lost 5 digits of it).
TEST(Dataset, StandardizeKeepsPrecisionUnderALargeOffset) {
  Eigen::MatrixXd x(3, 2);
  x << 1e12 + 1, -1e-300, 1e12 + 2, 0, 1e12 + 3, 1e-300;
  const Standardizer s = Standardizer::fit(x);
  EXPECT_EQ(s.mean(0), 1e12 + 2);
  EXPECT_NEAR(s.scale(0) / std::sqrt(2.0 / 3.0), 1, 4e-16);
  EXPECT_EQ(s.mean(1), 0);  // tiny values are scaled up, not lost
  EXPECT_NEAR(s.scale(1) / (std::sqrt(2.0 / 3.0) * 1e-300), 1, 4e-16);
}

// A NaN is refused wherever it is (it gave a NaN mean in one row and was
// silently dropped in another), and so is an infinity.
// A column constant but for rounding (0.1 and one 0.09999999999999998) is
// constant: its scale was 1e-17, and a new 0.1000001 became 1e10.
TEST(Dataset, StandardizeTreatsARoundingSpreadAsConstant) {
  Eigen::MatrixXd x(8, 2);
  x.col(0) << 1, 2, 3, 4, 5, 6, 7, 8;
  x.col(1).setConstant(0.1);
  x(6, 1) = 0.09999999999999998;
  const Standardizer s = Standardizer::fit(x);
  EXPECT_EQ(s.scale(1), 1);
  EXPECT_NEAR(s.mean(1), 0.1, 1e-16);
  // A small spread that is no rounding is kept.
  x.col(1) << 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 + 1e-12, 0.1;
  EXPECT_NE(Standardizer::fit(x).scale(1), 1);
  EXPECT_LT(Standardizer::fit(x).scale(1), 1e-11);
}

TEST(Dataset, StandardizeRefusesNaNAndInfinityByPlace) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int row = 0; row < 3; ++row) {
    Eigen::MatrixXd x(3, 2);
    x << 1, 5, 2, 6, 3, 7;
    x(row, 1) = nan;
    try {
      Standardizer::fit(x);
      FAIL() << "a NaN in row " << row + 1 << " was accepted";
    } catch (const nabla::DomainError& e) {
      const std::string place = "row " + std::to_string(row + 1) + ", column 2 is NaN";
      EXPECT_NE(std::string(e.what()).find(place), std::string::npos) << e.what();
    }
  }
  Eigen::MatrixXd inf(2, 1);
  inf << 1, std::numeric_limits<double>::infinity();
  EXPECT_THROW(Standardizer::fit(inf), nabla::DomainError);
}

TEST(Dataset, LabelsAndPermutations) {
  Dataset d = classes(2, 2, 2);
  d.targets << 5, 7, 5, 9, 9, 7;
  EXPECT_EQ(encode_labels(d), (std::vector<double>{5, 7, 9}));
  EXPECT_EQ(d.targets, (Eigen::VectorXd(6) << 0, 1, 0, 2, 2, 1).finished());
  EXPECT_EQ(class_count(d.targets), 3);
  EXPECT_TRUE(is_categorical(d.targets));
  EXPECT_FALSE(is_categorical((Eigen::VectorXd(2) << 0.5, 1).finished()));
  EXPECT_THROW(class_count((Eigen::VectorXd(2) << -1, 1).finished()), nabla::DomainError);
  const auto p = permutation(100, 3);
  EXPECT_EQ(std::set<Eigen::Index>(p.begin(), p.end()).size(), 100u);
  EXPECT_EQ(p, permutation(100, 3));
  EXPECT_NE(p, permutation(100, 4));
}

TEST(Dataset, StratifiedSplitKeepsProportions) {
  const Dataset d = classes(40, 80, 120);
  const Split s = split(d, 0.25, 11, true);
  EXPECT_EQ(s.test.rows(), 60);
  EXPECT_EQ(s.train.rows(), 180);
  EXPECT_EQ((s.test.targets.array() == 0).count(), 10);
  EXPECT_EQ((s.test.targets.array() == 1).count(), 20);
  EXPECT_EQ((s.test.targets.array() == 2).count(), 30);
  std::set<double> rows;
  for (Eigen::Index i = 0; i < s.train.rows(); ++i) rows.insert(s.train.features(i, 0));
  for (Eigen::Index i = 0; i < s.test.rows(); ++i) rows.insert(s.test.features(i, 0));
  EXPECT_EQ(rows.size(), 240u);
  EXPECT_EQ(split(d, 0.25, 11, true).test.features, s.test.features);
  EXPECT_NE(split(d, 0.25, 12, true).test.features, s.test.features);
  EXPECT_THROW(split(d, 1.5, 0, true), nabla::DomainError);
}

// A dataset whose targets are not one per row, or a row index outside the
// rows, is refused before any row is copied (these read and wrote past the
// end of the targets and features).
TEST(Dataset, SplitAndSubsetRefuseBadShapesAndIndices) {
  Dataset no_targets = classes(2, 2, 0);
  no_targets.targets.resize(0);
  EXPECT_THROW(split(no_targets, 0.5, 1, true), nabla::DimensionError);
  EXPECT_EQ(split(no_targets, 0.5, 1, false).test.rows(), 2);  // unstratified needs no targets
  Dataset short_targets = classes(2, 2, 0);
  short_targets.targets.resize(3);
  short_targets.targets << 0, 1, 0;
  EXPECT_THROW(split(short_targets, 0.5, 1, false), nabla::DimensionError);
  EXPECT_THROW(split(short_targets, 0.5, 1, true), nabla::DimensionError);
  EXPECT_THROW(short_targets.subset({0, 1}), nabla::DimensionError);
  const Dataset three = classes(1, 1, 1);
  EXPECT_THROW(three.subset({0, 5}), nabla::DimensionError);
  EXPECT_THROW(three.subset({-1}), nabla::DimensionError);
  EXPECT_EQ(three.subset({2, 0}).targets, (Eigen::VectorXd(2) << 2, 0).finished());
}

}  // namespace
