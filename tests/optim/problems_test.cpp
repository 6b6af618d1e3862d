// The test problems themselves: at least 20 MGH problems; f(x*) = f* where a
// minimizer is given (the paper's f* to its 6 printed digits); f(x0) of
// problems whose starting value is easy to work by hand; the AD gradient and
// Hessian against finite differences (nabla::numdiff) at x0; lookup by name.
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
