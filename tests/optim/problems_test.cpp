// The test problems themselves: the 35 MGH problems in the paper's order;
// f(x*) = f* where a minimizer is given (the paper's f* to its 6 printed
// digits); f(x0) of problems whose starting value is easy to work by hand or
// was computed apart (mpmath); the minimizers of problems 29, 33 and 34; the
// AD gradient and Hessian against finite differences (nabla::numdiff) at x0;
// lookup by name.
#include "nabla/optim/problems.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/numdiff.hpp"

namespace nabla::optim {
namespace {

TEST(Problems, AtLeastTwentyMghProblemsWithDistinctNames) {
  EXPECT_GE(problems::mgh().size(), 20u);
  std::set<std::string> names;
  for (const auto& p : problems::all()) EXPECT_TRUE(names.insert(p.name).second) << p.name;
}

TEST(Problems, AllThirtyFiveMghProblemsInThePapersOrder) {
  ASSERT_EQ(problems::mgh().size(), 35u);
  for (std::size_t i = 0; i < problems::mgh().size(); ++i) {
    const std::string& title = problems::mgh()[i].title;
    const std::string number = "(MGH " + std::to_string(i + 1);
    EXPECT_TRUE(title.find(number + ")") != std::string::npos ||
                title.find(number + ",") != std::string::npos)
        << title;
  }
}

TEST(Problems, ValueAtTheMinimizerIsTheKnownMinimum) {
  for (const auto& p : problems::all()) {
    if (p.x_star.size() == 0) continue;
    ASSERT_EQ(p.x_star.size(), p.size()) << p.name;
    EXPECT_NEAR(p.value(p.x_star), p.f_star, 1e-5 * std::abs(p.f_star) + 1e-12) << p.name;
  }
}

TEST(Problems, StartingValuesWorkedByHand) {
  // Rosenbrock at (-1.2, 1): 100 (1 - 1.44)^2 + 2.2^2 = 19.36 + 4.84.
  EXPECT_NEAR(problems::find("rosenbrock").value(problems::find("rosenbrock").x0), 24.2, 1e-12);
  // Brown badly scaled at (1, 1): (1 - 1e6)^2 + (1 - 2e-6)^2 + 1.
  EXPECT_NEAR(problems::find("brown_badly_scaled").value(Eigen::Vector2d(1, 1)),
              std::pow(1 - 1e6, 2) + std::pow(1 - 2e-6, 2) + 1, 1e-3);
  // Helical valley at (-1, 0, 0): theta = 1/2, so f1 = -50 and f = 2500.
  EXPECT_NEAR(problems::find("helical_valley").value(problems::find("helical_valley").x0), 2500, 1e-9);
  // Wood at (-3, -1, -3, -1): 2 (100 * 100 + 16) + 90 * 100 + 16 - ... worked term by term:
  // 100 (-1 - 9)^2 + 16 + 90 (-1 - 9)^2 + 16 + 10 (-4)^2 + 0 = 10000 + 16 + 9000 + 16 + 160.
  EXPECT_NEAR(problems::find("wood").value(problems::find("wood").x0), 19192, 1e-9);
  // Linear full rank at x = 1 (n = 10, m = 20): 10 (1 - 1 - 1)^2 + 10 (-1 - 1)^2 = 10 + 40.
  EXPECT_NEAR(problems::find("linear_full_rank").value(problems::find("linear_full_rank").x0), 50, 1e-12);
}

// MGH 29, 33 and 34 at x0 (n = 10, m = 20), against mpmath at 50 digits
// from the paper's formulas (a script outside the repository, in the commit
// message): 29's f(x0) = 0.063416841579452641025...; 33's and 34's are
// also worked by hand below.
TEST(Problems, StartingValuesOfTheIntegralEquationAndRankOneLinearFunctions) {
  const problems::Problem& integral = problems::find("discrete_integral_equation");
  EXPECT_NEAR(integral.value(integral.x0), 0.063416841579452641, 1e-15);
  // 33: sum_j j x_j = 55 at x = 1, so f = sum_{i=1}^{20} (55 i - 1)^2
  // = 3025 * 2870 - 110 * 210 + 20.
  const problems::Problem& rank1 = problems::find("linear_rank_1");
  EXPECT_EQ(rank1.value(rank1.x0), 8658670);
  // 34: sum_{j=2}^{9} j x_j = 44, so f = 2 + sum_{k=1}^{18} (44 k - 1)^2
  // = 2 + 1936 * 2109 - 88 * 171 + 18.
  const problems::Problem& zero = problems::find("linear_rank_1_zero_columns_rows");
  EXPECT_EQ(zero.value(zero.x0), 4067996);
}

// MGH 29: f* = 0 at the solution of the 10 equations f_i = 0, found by
// mpmath's findroot from x0 at 50 digits (the same script), where mpmath's
// f is 8e-103.
TEST(Problems, IntegralEquationIsZeroAtTheRootOfItsEquations) {
  const problems::Problem& p = problems::find("discrete_integral_equation");
  Eigen::VectorXd root(10);
  root << -0.043164982518764870577, -0.081577156535386881534, -0.11448571438052928724,
      -0.14097357686259667963, -0.15990869618198312233, -0.16987720231277491898, -0.16908998378120835184,
      -0.15524953522183182195, -0.1253558916789349894, -0.075416533685892083955;
  EXPECT_EQ(p.f_star, 0);
  EXPECT_LE(p.value(root), 1e-30);
  EXPECT_LE(p.gradient(root).norm(), 1e-14);
  EXPECT_GE(p.value(root + 1e-3 * Eigen::VectorXd::Ones(10)), 1e-7);
  // The same point solves the discrete boundary value problem (MGH 28): its
  // integral form, with the second difference's Green's function, which is
  // exact at the grid points (funconstrain's disc_ie notes the same minimum).
  EXPECT_LE(problems::find("discrete_boundary_value").value(root), 1e-30);
}

// MGH 33 and 34: f* (the paper's formulas at m = 20) is reached anywhere on
// the hyperplane sum j x_j = 3 / (2m + 1), resp. sum_{j=2}^{n-1} j x_j =
// 3 / (2m - 3) whatever x_1 and x_n; x_star is one point of it, and a point
// off it is worse.
TEST(Problems, RankOneLinearFunctionsReachTheirMinimumOnAHyperplane) {
  const problems::Problem& rank1 = problems::find("linear_rank_1");
  EXPECT_DOUBLE_EQ(rank1.f_star, 380.0 / 82);  // m (m - 1) / (2 (2m + 1))
  const Eigen::VectorXd j = Eigen::VectorXd::LinSpaced(10, 1, 10);
  ASSERT_EQ(rank1.x_star.size(), 10);
  EXPECT_NEAR(j.dot(rank1.x_star), 3.0 / 41, 1e-13);  // terms near 1 cancel to 0.07
  EXPECT_NEAR(rank1.value(rank1.x_star), rank1.f_star, 1e-12);
  Eigen::VectorXd other = Eigen::VectorXd::Zero(10);
  other[0] = 3.0 / 41;  // the paper's plane through a point other than x_star
  EXPECT_NEAR(rank1.value(other), rank1.f_star, 1e-12);
  other[9] = 1e-3;
  EXPECT_GT(rank1.value(other), rank1.f_star + 1e-3);

  const problems::Problem& zero = problems::find("linear_rank_1_zero_columns_rows");
  EXPECT_DOUBLE_EQ(zero.f_star, 454.0 / 74);  // (m^2 + 3m - 6) / (2 (2m - 3))
  ASSERT_EQ(zero.x_star.size(), 10);
  EXPECT_NEAR(j.segment(1, 8).dot(zero.x_star.segment(1, 8)), 3.0 / 37, 1e-13);
  EXPECT_NEAR(zero.value(zero.x_star), zero.f_star, 1e-12);
  Eigen::VectorXd free_ends = Eigen::VectorXd::Zero(10);
  free_ends << -7, 1.5 / 37, 0, 0, 0, 0, 0, 0, 0, 5;  // x_1 and x_10 appear nowhere
  EXPECT_NEAR(zero.value(free_ends), zero.f_star, 1e-12);
  EXPECT_DOUBLE_EQ(zero.gradient(free_ends)[0], 0);
  EXPECT_DOUBLE_EQ(zero.gradient(free_ends)[9], 0);
  free_ends[4] = 1e-3;
  EXPECT_GT(zero.value(free_ends), zero.f_star + 1e-3);
}

TEST(Problems, AdDerivativesAgreeWithFiniteDifferences) {
  for (const auto& p : problems::all()) {
    auto f = [&p](const Eigen::VectorXd& x) { return p.value(x); };
    const Eigen::VectorXd x = p.x0 + 0.01 * Eigen::VectorXd::LinSpaced(p.size(), 1, 2);
    const Eigen::VectorXd g = p.gradient(x);
    const Eigen::VectorXd numeric = numdiff::gradient(f, x);
    EXPECT_LE((g - numeric).norm(), 1e-6 * std::max(1.0, g.norm())) << p.name;
    const Eigen::MatrixXd h = p.hessian(x);
    Eigen::MatrixXd hn(p.size(), p.size());
    for (Eigen::Index j = 0; j < p.size(); ++j) {
      const double step = 1e-6 * std::max(1.0, std::abs(x[j]));
      Eigen::VectorXd xp = x, xm = x;
      xp[j] += step;
      xm[j] -= step;
      hn.col(j) = (p.gradient(xp) - p.gradient(xm)) / (2 * step);
    }
    EXPECT_LE((h - hn).norm(), 1e-4 * std::max(1.0, h.norm())) << p.name;
  }
}

TEST(Problems, FindByName) {
  EXPECT_EQ(problems::find("meyer").size(), 3);
  EXPECT_EQ(problems::find("bowl").title, "x^2 + 2y^2 (seed)");
  EXPECT_THROW(problems::find("no_such_problem"), DomainError);
}

}  // namespace
}  // namespace nabla::optim
