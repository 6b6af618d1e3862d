// The line searches on one-dimensional functions: the Moré–Thuente step
// satisfies both strong Wolfe conditions (checked here, not read from its
// status) from short and long first trials, including functions that demand
// extrapolation and a region where phi is NaN; Armijo satisfies sufficient
// decrease; with xtol, the search may end at its best trial, which still gives
// sufficient decrease; a direction of ascent is refused.
#include "nabla/optim/line_search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace nabla::optim {
namespace {

struct Curve {
  std::function<double(double)> f, d;
};

void expect_strong_wolfe(const Curve& c, double alpha0, const LineSearchParameters& prm) {
  const double f0 = c.f(0), d0 = c.d(0);
  int calls = 0;
  const LineSearchResult r = more_thuente(
      [&](double a, double& f, double& d) {
        ++calls;
        f = c.f(a), d = c.d(a);
        return true;
      },
      f0, d0, alpha0, prm);
  ASSERT_EQ(r.status, LineSearchStatus::Converged) << "alpha0 = " << alpha0;
  EXPECT_LE(c.f(r.alpha), f0 + prm.c1 * r.alpha * d0);
  EXPECT_LE(std::abs(c.d(r.alpha)), prm.c2 * std::abs(d0));
  EXPECT_EQ(r.evaluations, calls);
}

TEST(MoreThuente, StrongWolfeOnSeveralCurves) {
  const Curve quadratic{[](double a) { return (a - 3) * (a - 3); }, [](double a) { return 2 * (a - 3); }};
  // Moré and Thuente's first test function: phi(a) = -a / (a^2 + beta), beta = 2.
  const Curve rational{[](double a) { return -a / (a * a + 2); },
                       [](double a) { return (a * a - 2) / ((a * a + 2) * (a * a + 2)); }};
  const Curve wiggly{[](double a) { return std::pow(a - 1, 4) + 0.1 * std::sin(10 * a) - 2 * a; },
                     [](double a) { return 4 * std::pow(a - 1, 3) + std::cos(10 * a) - 2; }};
  for (const Curve* c : {&quadratic, &rational, &wiggly})
    for (double alpha0 : {1e-3, 0.1, 1.0, 10.0, 1000.0}) {
      expect_strong_wolfe(*c, alpha0, {});
      expect_strong_wolfe(*c, alpha0, {1e-3, 0.1, 1e-20, 1e20, 60});  // a tight curvature condition
    }
}

TEST(MoreThuente, ShrinksOutOfANanRegion) {
  const Curve c{[](double a) { return a > 2 ? std::nan("") : (a - 1) * (a - 1); },
                [](double a) { return a > 2 ? std::nan("") : 2 * (a - 1); }};
  expect_strong_wolfe(c, 100, {});
}

// With xtol, the search may also end at its best trial once the bracket is
// narrow: that step still gives sufficient decrease, is one of the trials,
// and its phi and phi' are the curve's there.
TEST(MoreThuente, XtolEndsAtABestTrialWithSufficientDecrease) {
  const Curve wiggly{[](double a) { return std::pow(a - 1, 4) + 0.1 * std::sin(10 * a) - 2 * a; },
                     [](double a) { return 4 * std::pow(a - 1, 3) + std::cos(10 * a) - 2; }};
  const Curve rational{[](double a) { return -a / (a * a + 2); },
                       [](double a) { return (a * a - 2) / ((a * a + 2) * (a * a + 2)); }};
  int ended_early = 0;
  for (const Curve* c : {&wiggly, &rational})
    for (double alpha0 : {1e-3, 0.1, 1.0, 10.0, 1000.0}) {
      std::vector<double> trials;
      const LineSearchParameters prm{1e-4, 0.01, 1e-20, 1e20, 60, 0.5};
      const double f0 = c->f(0), d0 = c->d(0);
      const LineSearchResult r = more_thuente(
          [&](double a, double& f, double& d) {
            trials.push_back(a);
            f = c->f(a), d = c->d(a);
            return true;
          },
          f0, d0, alpha0, prm);
      ASSERT_EQ(r.status, LineSearchStatus::Converged) << alpha0;
      EXPECT_NE(std::find(trials.begin(), trials.end(), r.alpha), trials.end()) << alpha0;
      EXPECT_LE(c->f(r.alpha), f0 + prm.c1 * r.alpha * d0) << alpha0;
      EXPECT_DOUBLE_EQ(r.phi, c->f(r.alpha));
      EXPECT_DOUBLE_EQ(r.dphi, c->d(r.alpha));
      if (std::abs(r.dphi) > prm.c2 * std::abs(d0)) ++ended_early;
    }
  EXPECT_GT(ended_early, 0);  // the tolerance did end some searches before strong Wolfe
}

TEST(MoreThuente, AFirstTrialBelowTheSmallestStepStillExtrapolates) {
  // The first trial is raised to alpha_min; the extrapolation limits were
  // those of the trial as given, behind the one made, and the search went nowhere.
  const Curve c{[](double a) { return (a - 1e-10) * (a - 1e-10); }, [](double a) { return 2 * (a - 1e-10); }};
  expect_strong_wolfe(c, 1e-30, {});
}

TEST(LineSearches, ArmijoWantsAnActualDecrease) {
  // At f = 1e60 a decrease of 2e26 is below f's rounding: the sufficient
  // decrease test holds with equality, but f did not fall.
  auto phi = [](double a, double& f, double& d) {
    const double x = 2e30 * a;
    f = (x - 1e30) * (x - 1e30), d = 2 * (x - 1e30) * 2e30;
    return true;
  };
  const double f0 = 1e30 * 1e30;
  const LineSearchResult r = armijo(phi, f0, -4e60, 5e-31, {1e-4, 0.9, 1e-60, 1e20, 40});
  EXPECT_TRUE(r.status == LineSearchStatus::Failed || r.phi < f0);
}

TEST(LineSearches, AscentIsRefusedAndArmijoDecreases) {
  auto phi = [](double a, double& f, double& d) {
    f = (a - 3) * (a - 3);
    d = 2 * (a - 3);
    return true;
  };
  EXPECT_EQ(more_thuente(phi, 9, 6, 1).status, LineSearchStatus::Failed);
  EXPECT_EQ(armijo(phi, 9, 6, 1).status, LineSearchStatus::Failed);
  const LineSearchResult r = armijo(phi, 9, -6, 100);
  ASSERT_EQ(r.status, LineSearchStatus::Converged);
  EXPECT_LE(r.phi, 9 - 1e-4 * r.alpha * 6);
  EXPECT_LT(r.alpha, 6);
}

TEST(LineSearches, OutOfBudget) {
  int calls = 0;
  auto phi = [&](double a, double& f, double& d) {
    if (calls == 2) return false;
    ++calls;
    f = -a / (a * a + 2), d = (a * a - 2) / ((a * a + 2) * (a * a + 2));
    return true;
  };
  EXPECT_EQ(more_thuente(phi, 0, -0.5, 1e-6).status, LineSearchStatus::OutOfBudget);
}

}  // namespace
}  // namespace nabla::optim
