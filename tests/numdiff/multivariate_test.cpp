// Numerical gradients, Jacobians and Hessians against closed forms, with
// honest per-entry error bounds, the complex-step gradient, and bad input.
#include "nabla/numdiff/multivariate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <utility>

#include "nabla/numdiff/complex_step.hpp"

namespace {

namespace nd = nabla::numdiff;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// f(x, y) = x^2 y + e^{xy}.
double poly_exp(const VectorXd& v) { return v(0) * v(0) * v(1) + std::exp(v(0) * v(1)); }

// Rosenbrock's function (1 - x)^2 + 100 (y - x^2)^2.
double rosenbrock(const VectorXd& v) {
  const double a = 1 - v(0), b = v(1) - v(0) * v(0);
  return a * a + 100 * b * b;
}

MatrixXd rosenbrock_hessian(const VectorXd& v) {
  MatrixXd h(2, 2);
  h << 2 - 400 * (v(1) - v(0) * v(0)) + 800 * v(0) * v(0), -400 * v(0), -400 * v(0), 200;
  return h;
}

// Every entry within its bound, and the bound within `relative` of the largest entry.
void expect_estimate(const MatrixXd& value, const MatrixXd& error, const MatrixXd& exact, double relative) {
  ASSERT_EQ(value.rows(), exact.rows());
  ASSERT_EQ(value.cols(), exact.cols());
  const double scale = exact.cwiseAbs().maxCoeff();
  for (Eigen::Index i = 0; i < exact.rows(); ++i)
    for (Eigen::Index j = 0; j < exact.cols(); ++j) {
      const double err = std::fabs(value(i, j) - exact(i, j));
      EXPECT_LE(err, error(i, j)) << "entry (" << i << ", " << j << ")";
      EXPECT_LE(err, relative * std::max(std::fabs(exact(i, j)), 1e-3 * scale))
          << "entry (" << i << ", " << j << ")";
    }
}

TEST(Gradient, MatchesTheClosedFormOfX2YPlusExpXY) {
  const VectorXd x = (VectorXd(2) << 1, 2).finished();
  const double e2 = std::exp(2.0);
  const VectorXd exact = (VectorXd(2) << 2 * 1 * 2 + 2 * e2, 1 + e2).finished();
  const nd::VectorEstimate g = nd::gradient_estimate(poly_exp, x);
  expect_estimate(g.value, g.error, exact, 1e-12);
  EXPECT_EQ(nd::gradient(poly_exp, x), g.value);
}

TEST(Gradient, RosenbrockAtSeveralPointsAndMethods) {
  for (nd::Method method : {nd::Method::central, nd::Method::five_point, nd::Method::forward}) {
    nd::Options options;
    options.method = method;
    for (const VectorXd& x :
         {VectorXd((VectorXd(2) << -1.2, 1).finished()), VectorXd((VectorXd(2) << 1, 1).finished()),
          VectorXd((VectorXd(2) << 0.3, -2).finished())}) {
      const double b = x(1) - x(0) * x(0);
      const VectorXd exact = (VectorXd(2) << -2 * (1 - x(0)) - 400 * x(0) * b, 200 * b).finished();
      const nd::VectorEstimate g = nd::gradient_estimate(rosenbrock, x, options);
      for (int i = 0; i < 2; ++i) {
        EXPECT_LE(std::fabs(g.value(i) - exact(i)), g.error(i)) << to_string(method);
        EXPECT_LE(std::fabs(g.value(i) - exact(i)), 1e-10 * std::fmax(1, std::fabs(exact(i))))
            << to_string(method);
      }
    }
  }
}

TEST(Gradient, GenericLambdasAndManyComponents) {
  const int n = 12;
  VectorXd x(n);
  for (int i = 0; i < n; ++i) x(i) = 0.1 * i - 0.4;
  // f = sum_i sin(i x_i) + (sum_i x_i)^2.
  auto f = [](const auto& v) {
    double s = 0, t = 0;
    for (Eigen::Index i = 0; i < v.size(); ++i) s += std::sin(static_cast<double>(i + 1) * v(i)), t += v(i);
    return s + t * t;
  };
  VectorXd exact(n);
  for (int i = 0; i < n; ++i) exact(i) = (i + 1) * std::cos((i + 1) * x(i)) + 2 * x.sum();
  const nd::VectorEstimate g = nd::gradient_estimate(f, x);
  expect_estimate(g.value, g.error, exact, 1e-11);
}

TEST(Jacobian, NonSquareMatchesTheClosedForm) {
  // f(x, y) = (x y, sin x + y^2, e^{x - y}).
  auto f = [](const VectorXd& v) {
    VectorXd y(3);
    y << v(0) * v(1), std::sin(v(0)) + v(1) * v(1), std::exp(v(0) - v(1));
    return y;
  };
  const VectorXd x = (VectorXd(2) << 0.7, -1.3).finished();
  MatrixXd exact(3, 2);
  exact << x(1), x(0), std::cos(x(0)), 2 * x(1), std::exp(x(0) - x(1)), -std::exp(x(0) - x(1));
  const nd::MatrixEstimate j = nd::jacobian_estimate(f, x);
  EXPECT_EQ(j.value.rows(), 3);
  EXPECT_EQ(j.value.cols(), 2);
  expect_estimate(j.value, j.error, exact, 1e-12);
  EXPECT_EQ(nd::jacobian(f, x), j.value);
}

TEST(Jacobian, EigenExpressionsAreAccepted) {
  auto f = [](const VectorXd& v) { return (2 * v.array().exp()).matrix(); };
  const VectorXd x = (VectorXd(3) << -1, 0, 1).finished();
  const MatrixXd exact = (2 * x.array().exp()).matrix().asDiagonal();
  const nd::MatrixEstimate j = nd::jacobian_estimate(f, x);
  expect_estimate(j.value, j.error, exact, 1e-12);
}

TEST(Hessian, MatchesTheClosedFormOfX2YPlusExpXY) {
  const VectorXd x = (VectorXd(2) << 1, 2).finished();
  const double e2 = std::exp(2.0);
  MatrixXd exact(2, 2);
  exact << 2 * 2 + 4 * e2, 2 + 3 * e2, 2 + 3 * e2, e2;
  const nd::MatrixEstimate h = nd::hessian_estimate(poly_exp, x);
  expect_estimate(h.value, h.error, exact, 1e-10);
  EXPECT_EQ(h.value, h.value.transpose());
}

TEST(Hessian, Rosenbrock) {
  for (const VectorXd& x :
       {VectorXd((VectorXd(2) << -1.2, 1).finished()), VectorXd((VectorXd(2) << 1, 1).finished()),
        VectorXd((VectorXd(2) << 0.5, 3).finished())}) {
    const nd::MatrixEstimate h = nd::hessian_estimate(rosenbrock, x);
    expect_estimate(h.value, h.error, rosenbrock_hessian(x), 1e-10);
    EXPECT_EQ(h.value, h.value.transpose());
    EXPECT_EQ(nd::hessian(rosenbrock, x), h.value);
  }
}

TEST(Hessian, DenseTenDimensionalFunction) {
  // f = 1/2 x'Ax + sin(c'x): H = A - sin(c'x) c c'.
  const int n = 10;
  MatrixXd a(n, n);
  VectorXd c(n), x(n);
  for (int i = 0; i < n; ++i) {
    c(i) = 0.3 + 0.1 * i;
    x(i) = std::cos(1.0 + i);
    for (int j = 0; j < n; ++j) a(i, j) = 1.0 / (1 + i + j);
  }
  auto f = [&](const VectorXd& v) { return 0.5 * v.dot(a * v) + std::sin(c.dot(v)); };
  const MatrixXd exact = a - std::sin(c.dot(x)) * c * c.transpose();
  const nd::MatrixEstimate h = nd::hessian_estimate(f, x);
  expect_estimate(h.value, h.error, exact, 1e-10);
}

TEST(Hessian, FivePointDiagonal) {
  nd::Options options;
  options.method = nd::Method::five_point;
  const VectorXd x = (VectorXd(2) << -1.2, 1).finished();
  const nd::MatrixEstimate h = nd::hessian_estimate(rosenbrock, x, options);
  expect_estimate(h.value, h.error, rosenbrock_hessian(x), 1e-10);
}

// (1 - cos x) / x^2 + (sqrt(1 + y) - 1) / y + x y: both quotients cancel
// near 0 and are wrong by far more than a few rounding units (see
// derivative_test's CancellationInsideFIsBoundedByItsMeasuredNoise). The
// derivatives in long double, by their series where the closed forms cancel.
double cancelling(const VectorXd& v) {
  return (1 - std::cos(v(0))) / (v(0) * v(0)) + (std::sqrt(1 + v(1)) - 1) / v(1) + v(0) * v(1);
}

TEST(Gradient, CancellationInsideFIsBoundedByItsMeasuredNoise) {
  for (const auto& [x, y] :
       {std::pair{1e-5, 1e-4}, std::pair{1e-3, 3e-6}, std::pair{2e-2, 1e-3}, std::pair{3e-6, 0.1}}) {
    const long double t = x, s = y, r = sqrtl(1 + s);
    const long double da =
        t < 1e-3L ? -t / 12 + t * t * t / 180 : (t * sinl(t) - 2 * (1 - cosl(t))) / (t * t * t);
    const long double dda = t < 1e-2L
                                ? -1.0L / 12 + t * t / 60 - t * t * t * t / 1344
                                : (t * t * cosl(t) - 4 * t * sinl(t) + 6 * (1 - cosl(t))) / (t * t * t * t);
    const long double db = s < 1e-3L ? -0.125L + s / 8 - s * s * 15 / 128 + s * s * s * 28 / 256
                                     : (s / (2 * r) - (r - 1)) / (s * s);
    const long double ddb = s < 1e-2L ? 0.125L - s * 30 / 128 + s * s * 84 / 256 - s * s * s * 420 / 1024
                                      : (-s * s / (4 * r * r * r) - s / r + 2 * (r - 1)) / (s * s * s);
    VectorXd point(2), gradient(2);
    point << x, y;
    gradient << static_cast<double>(da + s), static_cast<double>(db + t);
    MatrixXd hessian(2, 2);
    hessian << static_cast<double>(dda), 1, 1, static_cast<double>(ddb);
    const nd::VectorEstimate g = nd::gradient_estimate(cancelling, point);
    const nd::MatrixEstimate j = nd::jacobian_estimate(
        [](const VectorXd& v) {
          VectorXd out(2);
          out << cancelling(v), 2 * cancelling(v);
          return out;
        },
        point);
    const nd::MatrixEstimate h = nd::hessian_estimate(cancelling, point);
    for (Eigen::Index i = 0; i < 2; ++i) {
      EXPECT_LE(std::fabs(g.value(i) - gradient(i)), g.error(i))
          << "gradient " << i << " at " << x << ", " << y;
      EXPECT_LE(std::fabs(j.value(1, i) - 2 * gradient(i)), j.error(1, i))
          << "jacobian " << i << " at " << x << ", " << y;
      for (Eigen::Index k = 0; k < 2; ++k)
        EXPECT_LE(std::fabs(h.value(i, k) - hessian(i, k)), h.error(i, k))
            << "hessian " << i << k << " at " << x << ", " << y;
    }
  }
}

TEST(ComplexStepGradient, IsExactToRounding) {
  auto f = [](const auto& v) { return v(0) * v(0) * v(1) + exp(v(0) * v(1)); };
  const VectorXd x = (VectorXd(2) << 1, 2).finished();
  const double e2 = std::exp(2.0);
  const nd::VectorEstimate g = nd::complex_step_gradient(f, x);
  EXPECT_NEAR(g.value(0), 4 + 2 * e2, 4e-15 * (4 + 2 * e2));
  EXPECT_NEAR(g.value(1), 1 + e2, 4e-15 * (1 + e2));
  EXPECT_LE(std::fabs(g.value(0) - (4 + 2 * e2)), g.error(0));
}

// x y e^(x + y) for x, y >= 0, NaN where either is negative (sqrt(t)^2 is t
// only for t >= 0): the quadrant's corner and edges are its domain's edge.
double quadrant(const VectorXd& v) {
  return std::sqrt(v(0)) * std::sqrt(v(0)) * std::sqrt(v(1)) * std::sqrt(v(1)) * std::exp(v(0) + v(1));
}

MatrixXd quadrant_hessian(double x, double y) {
  MatrixXd h(2, 2);
  h << y * (2 + x), (1 + x) * (1 + y), (1 + x) * (1 + y), x * (2 + y);
  return h * std::exp(x + y);
}

TEST(Hessian, AtTheEdgeOfTheDomainTheOneSidedStencilsAreUsed) {
  // On the edge x = 0 (one-sided along x, central along y) and at the corner
  // (one-sided along both): every entry from inside the quadrant, within its
  // bound, where the central stencils had only NaNs.
  for (const auto& [x, y] : {std::pair{0.0, 1.0}, std::pair{0.0, 0.0}, std::pair{1.0, 0.0}}) {
    const VectorXd at = (VectorXd(2) << x, y).finished();
    const nd::VectorEstimate g = nd::gradient_estimate(quadrant, at);
    const VectorXd exact_gradient = (VectorXd(2) << y * (1 + x), x * (1 + y)).finished() * std::exp(x + y);
    expect_estimate(g.value, g.error, exact_gradient, 1e-8);
    const nd::MatrixEstimate h = nd::hessian_estimate(quadrant, at);
    expect_estimate(h.value, h.error, quadrant_hessian(x, y), 1e-5);
    EXPECT_EQ(h.value(0, 1), h.value(1, 0));
  }
  // A Jacobian column likewise, per output: x e^y has one at x = 0, log(x - 1) none.
  auto two = [](const VectorXd& v) {
    return VectorXd(
        (VectorXd(2) << std::sqrt(v(0)) * std::sqrt(v(0)) * std::exp(v(1)), std::log(v(0) - 1)).finished());
  };
  const nd::MatrixEstimate j = nd::jacobian_estimate(two, VectorXd::Zero(2));
  EXPECT_NEAR(j.value(0, 0), 1.0, j.error(0, 0));
  EXPECT_LE(j.error(0, 0), 1e-8);
  EXPECT_TRUE(std::isnan(j.value(1, 0)));
}

TEST(MultivariateBadInput, EmptyVectorsThrow) {
  const VectorXd empty;
  auto f = [](const VectorXd& v) { return v.sum(); };
  auto vf = [](const VectorXd& v) { return v; };
  EXPECT_THROW(nd::gradient(f, empty), nabla::DimensionError);
  EXPECT_THROW(nd::hessian(f, empty), nabla::DimensionError);
  EXPECT_THROW(nd::jacobian(vf, empty), nabla::DimensionError);
  EXPECT_THROW(nd::complex_step_gradient([](const auto& v) { return v.sum(); }, empty),
               nabla::DimensionError);
  const VectorXd x = VectorXd::Ones(2);
  EXPECT_THROW(nd::jacobian([](const VectorXd&) { return VectorXd(); }, x), nabla::DimensionError);
}

TEST(MultivariateBadInput, OutputsThatChangeSizeThrow) {
  int calls = 0;
  auto f = [&](const VectorXd& v) { return VectorXd(++calls > 3 ? 2 : 1).setConstant(v.sum()); };
  EXPECT_THROW(nd::jacobian(f, VectorXd::Ones(2)), nabla::DimensionError);
}

TEST(MultivariateBadInput, NanInputGivesNanWithInfiniteError) {
  VectorXd x = VectorXd::Ones(3);
  x(1) = std::numeric_limits<double>::quiet_NaN();
  auto f = [](const VectorXd& v) { return v.squaredNorm(); };
  const nd::VectorEstimate g = nd::gradient_estimate(f, x);
  EXPECT_TRUE(g.value.array().isNaN().all());
  EXPECT_TRUE(g.error.array().isInf().all());
  const nd::MatrixEstimate h = nd::hessian_estimate(f, x);
  EXPECT_TRUE(h.value.array().isNaN().all());
  const nd::MatrixEstimate j = nd::jacobian_estimate([](const VectorXd& v) { return VectorXd(2 * v); }, x);
  EXPECT_EQ(j.value.rows(), 3);
  EXPECT_TRUE(j.value.array().isNaN().all());
}

TEST(MultivariateBadInput, NanValuesGiveNanNotGarbage) {
  auto f = [](const VectorXd& v) { return std::log(v(0) - 2) + v(1); };  // NaN near x0 = 1
  const nd::VectorEstimate g = nd::gradient_estimate(f, VectorXd::Ones(2));
  EXPECT_TRUE(std::isnan(g.value(0)));
  EXPECT_TRUE(std::isinf(g.error(0)));
}

TEST(MultivariateBadInput, ComplexStepMethodPointsToComplexStepGradient) {
  nd::Options options;
  options.method = nd::Method::complex_step;
  EXPECT_THROW(nd::gradient([](const VectorXd& v) { return v.sum(); }, VectorXd::Ones(2), options),
               nabla::DomainError);
}

}  // namespace
