// Gradient checks: a correct gradient passes (also with zero components), a
// wrong one fails at the right component, the report prints, sizes are
// checked, and the reverse-mode overload checks nabla::gradient itself.
#include "nabla/numdiff/check_gradient.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "nabla/numdiff/check_gradient_ad.hpp"

namespace {

namespace nd = nabla::numdiff;
using Eigen::VectorXd;

double poly_exp(const VectorXd& v) { return v(0) * v(0) * v(1) + std::exp(v(0) * v(1)); }

VectorXd poly_exp_gradient(const VectorXd& v) {
  const double e = std::exp(v(0) * v(1));
  return (VectorXd(2) << 2 * v(0) * v(1) + v(1) * e, v(0) * v(0) + v(0) * e).finished();
}

const VectorXd kPoint = (VectorXd(2) << 1, 2).finished();

TEST(CheckGradient, ACorrectGradientPasses) {
  const nd::GradientCheck check = nd::check_gradient(poly_exp, poly_exp_gradient, kPoint);
  EXPECT_TRUE(check.ok);
  EXPECT_TRUE(check.passed(1e-12));
  EXPECT_LT(check.max_abs_error, 1e-11);
  EXPECT_EQ(check.ad_gradient, poly_exp_gradient(kPoint));
  EXPECT_EQ(check.numeric_gradient.size(), 2);
  EXPECT_TRUE((check.numeric_error.array() > 0).all());
}

TEST(CheckGradient, ZeroComponentsDoNotFailACorrectGradient) {
  // At (-0.1, 2), df/dx0 = -3 sin(3 x0 + 0.3) e^x1 is zero but for rounding,
  // and its numerical estimate is rounding noise of another size.
  auto f = [](const VectorXd& v) { return std::cos(3 * v(0) + 0.3) * std::exp(v(1)); };
  auto grad = [](const VectorXd& v) {
    const double a = 3 * v(0) + 0.3;
    return (VectorXd(2) << -3 * std::sin(a) * std::exp(v(1)), std::cos(a) * std::exp(v(1))).finished();
  };
  const VectorXd x = (VectorXd(2) << -0.1, 2).finished();
  const nd::GradientCheck check = nd::check_gradient(f, grad, x, 1e-12);
  EXPECT_LT(std::fabs(check.numeric_gradient(0)), 1e-12);
  EXPECT_NE(check.numeric_gradient(0), check.ad_gradient(0));
  EXPECT_TRUE(check.ok) << check;
}

TEST(CheckGradient, AWrongComponentFailsAndIsNamed) {
  auto wrong = [](const VectorXd& v) {
    VectorXd g = poly_exp_gradient(v);
    g(1) *= 1 + 1e-5;
    return g;
  };
  const nd::GradientCheck check = nd::check_gradient(poly_exp, wrong, kPoint);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.worst_index, 1);
  EXPECT_NEAR(check.max_rel_error, 1e-5, 1e-7);
  EXPECT_NEAR(check.max_abs_error, 1e-5 * (1 + std::exp(2.0)), 1e-9);
  EXPECT_TRUE(check.passed(1e-4));
}

TEST(CheckGradient, ASmallWrongComponentBesideLargeOnesFails) {
  // The true gradient is (200, 0); reporting 1e-7 for the zero component is
  // wrong, though tiny against the gradient's size.
  auto f = [](const VectorXd& v) { return 100 * v(0) * v(0) + v(1) * v(1); };
  auto wrong = [](const VectorXd& v) { return (VectorXd(2) << 200 * v(0), 2 * v(1) + 1e-7).finished(); };
  const nd::GradientCheck check = nd::check_gradient(f, wrong, (VectorXd(2) << 1, 0).finished());
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.worst_index, 1);
}

TEST(CheckGradient, NanGradientsFail) {
  auto nan_grad = [](const VectorXd& v) {
    VectorXd g = poly_exp_gradient(v);
    g(0) = std::numeric_limits<double>::quiet_NaN();
    return g;
  };
  const nd::GradientCheck check = nd::check_gradient(poly_exp, nan_grad, kPoint);
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.worst_index, 0);
  EXPECT_TRUE(std::isinf(check.max_abs_error));
}

TEST(CheckGradient, AnInfiniteComponentFails) {
  // inf against a precise finite estimate: inf / inf made the relative error
  // NaN, which no comparison counted, and the check passed conclusively
  auto f = [](const Eigen::VectorXd& v) { return v[0] * v[0] + v[1]; };
  const Eigen::Vector2d x(1.0, 2.0);
  for (double bad : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}) {
    const auto grad = [bad](const Eigen::VectorXd&) { return Eigen::VectorXd(Eigen::Vector2d(bad, 1.0)); };
    const nd::GradientCheck c = nd::check_gradient(f, grad, Eigen::VectorXd(x));
    EXPECT_FALSE(c.ok);
    EXPECT_TRUE(c.conclusive);  // the numerical reference is precise: a wrong gradient
    EXPECT_TRUE(std::isinf(c.max_rel_error));
    EXPECT_EQ(c.worst_index, 0);
  }
}

TEST(CheckGradient, ALooseNumericalReferenceIsInconclusiveNotAPass) {
  // Two large steps cannot show the differences converging: the numerical
  // derivative of sin at 1 has no bound, and would hide a 10% error in the
  // gradient under test.
  auto f = [](const VectorXd& v) { return std::sin(v(0)) + v(1); };
  auto off = [](const VectorXd& v) { return VectorXd{{1.1 * std::cos(v(0)), 1.0}}; };
  nd::Options coarse;
  coarse.initial_step = 1.0;
  coarse.max_steps = 2;
  const nd::GradientCheck loose = nd::check_gradient(f, off, VectorXd{{1.0, 2.0}}, 1e-6, coarse);
  EXPECT_TRUE(loose.passed(loose.tolerance));  // nothing shows above the bound...
  EXPECT_GT(loose.resolution, 0.1);
  EXPECT_FALSE(loose.conclusive);  // ...so the check cannot tell
  EXPECT_FALSE(loose.ok);
  std::ostringstream out;
  out << loose;
  EXPECT_NE(out.str().find("INCONCLUSIVE"), std::string::npos) << out.str();
  // With the default steps the reference is tight, and the same gradient fails.
  const nd::GradientCheck tight = nd::check_gradient(f, off, VectorXd{{1.0, 2.0}});
  EXPECT_TRUE(tight.conclusive);
  EXPECT_FALSE(tight.ok);
  EXPECT_EQ(tight.worst_index, 0);
}

TEST(CheckGradient, ReportPrintsTheVerdictAndTheWorstComponent) {
  auto wrong = [](const VectorXd& v) { return VectorXd(poly_exp_gradient(v) * 1.01); };
  std::ostringstream out;
  out << nd::check_gradient(poly_exp, wrong, kPoint);
  EXPECT_NE(out.str().find("FAILED"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("<- worst"), std::string::npos) << out.str();
  std::ostringstream good;
  good << nd::check_gradient(poly_exp, poly_exp_gradient, kPoint);
  EXPECT_NE(good.str().find("passed"), std::string::npos) << good.str();
}

TEST(CheckGradient, SizesAreChecked) {
  auto short_grad = [](const VectorXd&) { return VectorXd::Zero(1).eval(); };
  EXPECT_THROW(nd::check_gradient(poly_exp, short_grad, kPoint), nabla::DimensionError);
  EXPECT_THROW(nd::check_gradient(poly_exp, poly_exp_gradient, VectorXd()), nabla::DimensionError);
}

TEST(CheckGradient, AToleranceNoCheckCanMeetIsRefused) {
  // At NaN or -1 the correct gradient "FAILED" with a relative error of 0;
  // at inf nothing could fail. 0 asks for exact agreement (up to the bound).
  for (const double tolerance : {std::nan(""), -1.0, std::numeric_limits<double>::infinity()}) {
    EXPECT_THROW(nd::check_gradient(poly_exp, poly_exp_gradient, kPoint, tolerance), nabla::DomainError)
        << tolerance;
    auto f = [](const auto& v) { return v(0) * v(1); };
    EXPECT_THROW(nd::check_gradient(f, kPoint, tolerance), nabla::DomainError) << tolerance;
  }
  EXPECT_TRUE(nd::check_gradient(poly_exp, poly_exp_gradient, kPoint, 0.0).ok);
}

TEST(CheckGradientAd, ReverseModePassesOnSmoothFunctions) {
  auto f = [](const auto& v) {
    using std::exp;
    return v(0) * v(0) * v(1) + exp(v(0) * v(1));
  };
  const nd::GradientCheck check = nd::check_gradient(f, kPoint);
  EXPECT_TRUE(check.ok) << check;
  EXPECT_LT((check.ad_gradient - poly_exp_gradient(kPoint)).norm(), 1e-12);
  EXPECT_TRUE(check.passed(1e-12)) << check;
}

TEST(CheckGradientAd, RosenbrockInTenDimensions) {
  auto rosenbrock = [](const auto& v) {
    using T = std::decay_t<decltype(v(0))>;
    T sum(0.0);
    for (Eigen::Index i = 0; i + 1 < v.size(); ++i) {
      const T a = 1.0 - v(i), b = v(i + 1) - v(i) * v(i);
      sum = sum + a * a + 100.0 * b * b;
    }
    return sum;
  };
  VectorXd x(10);
  for (int i = 0; i < 10; ++i) x(i) = std::sin(i + 0.5);
  const nd::GradientCheck check = nd::check_gradient(rosenbrock, x, 1e-10);
  EXPECT_TRUE(check.ok) << check;
  EXPECT_THROW(nd::check_gradient(rosenbrock, VectorXd()), nabla::DimensionError);
}

}  // namespace
