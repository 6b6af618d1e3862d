// The raw difference stencils: each method's order of accuracy measured from
// its error at h and h/2, the exactness of the rounded steps, and the complex
// step's order and rounding-level accuracy.
#include "nabla/numdiff/differences.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <complex>
#include <limits>

#include "nabla/numdiff/complex_step.hpp"

namespace {

using nabla::numdiff::finite_difference;
using nabla::numdiff::Method;

struct OrderCase {
  Method method;
  int derivative;
  int expected_order;
  double h;
};

// log2 of err(h) / err(h/2) for f = exp at x = 0.7, where f^(k) = exp.
double measured_order(const OrderCase& c) {
  const double x = 0.7;
  auto f = [](double t) { return std::exp(t); };
  const double exact = std::exp(x);
  const double e1 = std::fabs(finite_difference(f, x, c.h, c.method, c.derivative) - exact);
  const double e2 = std::fabs(finite_difference(f, x, c.h / 2, c.method, c.derivative) - exact);
  return std::log2(e1 / e2);
}

TEST(Differences, EachMethodHasItsOrder) {
  const OrderCase cases[] = {{Method::forward, 1, 1, 1e-3}, {Method::backward, 1, 1, 1e-3},
                             {Method::central, 1, 2, 1e-3}, {Method::five_point, 1, 4, 5e-2},
                             {Method::forward, 2, 1, 1e-3}, {Method::backward, 2, 1, 1e-3},
                             {Method::central, 2, 2, 1e-2}, {Method::five_point, 2, 4, 1e-1}};
  for (const OrderCase& c : cases)
    EXPECT_NEAR(measured_order(c), c.expected_order, 0.1)
        << to_string(c.method) << " difference for derivative " << c.derivative;
}

TEST(Differences, ForwardAndBackwardErrorsHaveOppositeSigns) {
  auto f = [](double t) { return std::exp(t); };
  const double exact = std::exp(0.3);
  EXPECT_GT(finite_difference(f, 0.3, 1e-3, Method::forward) - exact, 0);
  EXPECT_LT(finite_difference(f, 0.3, 1e-3, Method::backward) - exact, 0);
}

TEST(Differences, CentralIsExactOnQuadratics) {
  auto f = [](double t) { return 3 * t * t - 2 * t + 1; };
  EXPECT_NEAR(finite_difference(f, 1.5, 0.25), 6 * 1.5 - 2, 1e-14);
}

TEST(Differences, WeightsReproduceTheClassicalFormulas) {
  using nabla::numdiff::difference_weights;
  const auto central = difference_weights(std::array<double, 2>{-1, 1}, 1);
  EXPECT_DOUBLE_EQ(central[0], -0.5);
  EXPECT_DOUBLE_EQ(central[1], 0.5);
  const auto five = difference_weights(std::array<double, 4>{-2, -1, 1, 2}, 1);
  const double expected_five[] = {1.0 / 12, -8.0 / 12, 8.0 / 12, -1.0 / 12};
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(five[k], expected_five[k], 1e-15);
  const auto second = difference_weights(std::array<double, 3>{-1, 0, 1}, 2);
  EXPECT_DOUBLE_EQ(second[0], 1);
  EXPECT_DOUBLE_EQ(second[1], -2);
  EXPECT_DOUBLE_EQ(second[2], 1);
  const auto second_five = difference_weights(std::array<double, 5>{-2, -1, 0, 1, 2}, 2);
  const double expected_second_five[] = {-1.0 / 12, 16.0 / 12, -30.0 / 12, 16.0 / 12, -1.0 / 12};
  for (int k = 0; k < 5; ++k) EXPECT_NEAR(second_five[k], expected_second_five[k], 1e-14);
  EXPECT_THROW(difference_weights(std::array<double, 2>{0, 1}, 2), nabla::DomainError);
}

TEST(Differences, WeightsOnUnevenNodesAreExactForPolynomials) {
  // Four uneven nodes: exact for cubics, for the first and second derivative.
  const std::array<double, 4> nodes{-0.7, -0.1, 0.4, 1.3};
  auto p = [](double t) { return ((0.5 * t - 2) * t + 3) * t - 1; };  // p'(0) = 3, p''(0) = -4
  const auto d1 = nabla::numdiff::difference_weights(nodes, 1);
  const auto d2 = nabla::numdiff::difference_weights(nodes, 2);
  double s1 = 0, s2 = 0;
  for (int k = 0; k < 4; ++k) s1 += d1[k] * p(nodes[k]), s2 += d2[k] * p(nodes[k]);
  EXPECT_NEAR(s1, 3, 1e-13);
  EXPECT_NEAR(s2, -4, 1e-13);
}

// Whether a + b is a double (Knuth's two-sum leaves no rounding error).
bool sum_is_exact(double a, double b) {
  const double s = a + b, bb = s - a;
  return (a - (s - bb)) + (b - bb) == 0;
}

TEST(Differences, RoundedStepsMakeStencilPointsExact) {
  for (double x : {0.1, 1.0 / 3, 7.77, -123.456, 3e5 + 0.1}) {
    for (double h : {0.01, 1e-3, 1.234567e-6}) {
      const double nominal = h * std::fmax(std::fabs(x), 1);
      EXPECT_FALSE(sum_is_exact(x, nominal) && sum_is_exact(x, -nominal) && sum_is_exact(x, 2 * nominal) &&
                   sum_is_exact(x, -2 * nominal))
          << "x = " << x << ", h = " << h << ": nothing to test";
      const double step = nabla::numdiff::representable_step(x, nominal, 2);
      EXPECT_NEAR(step / nominal, 1, 1e-9);
      for (int m : {-2, -1, 1, 2}) EXPECT_TRUE(sum_is_exact(x, m * step)) << "x = " << x << ", h = " << h;
    }
  }
  EXPECT_EQ(nabla::numdiff::representable_step(1e308, 1e308, 2), 1e308);  // x + 2h overflows
  EXPECT_EQ(nabla::numdiff::representable_step(1.0, 0.0, 1), 0.0);
}

TEST(Differences, RoundedPointsDoNotCostAccuracy) {
  // x = 1/3 has low bits that x + h cannot keep; the weights follow the points.
  auto f = [](double t) { return std::exp(t); };
  const double x = 1.0 / 3;
  for (Method method : {Method::central, Method::five_point}) {
    const double d = finite_difference(f, x, 1e-2 / 3, method);
    const double truncation = method == Method::central ? 1e-5 * 2 / 9 : 1e-9;
    EXPECT_NEAR(d, std::exp(x), truncation * std::exp(x)) << to_string(method);
  }
}

TEST(Differences, UnusableStepsGiveNan) {
  auto f = [](double t) { return t * t; };
  EXPECT_TRUE(std::isfinite(finite_difference(f, 1e10, 1e-30)));  // rounded up to a step x + h can hold
  EXPECT_TRUE(std::isnan(finite_difference(f, 1.0, 0.0)));
  EXPECT_TRUE(std::isnan(finite_difference(f, 1.0, std::nan(""))));
}

TEST(Differences, ComplexStepIsSecondOrderWithLargeSteps) {
  auto f = [](auto z) { return std::exp(z) * std::sin(z); };
  const double x = 0.8, exact = std::exp(x) * (std::sin(x) + std::cos(x));
  auto raw = [&](double h) { return f(std::complex<double>(x, h)).imag() / h; };
  const double order = std::log2(std::fabs(raw(0.02) - exact) / std::fabs(raw(0.01) - exact));
  EXPECT_NEAR(order, 2, 0.05);
}

TEST(Differences, ComplexStepIsExactToRounding) {
  struct Case {
    double x;
    double exact;
  };
  auto f = [](auto z) {
    return std::exp(z) / std::sqrt(std::sin(z) * std::sin(z) + std::cos(z) * std::cos(z) * z);
  };
  // f = e^z / sqrt(g), g = sin^2 + z cos^2; f' = f (1 - g' / (2g)).
  auto exact = [](double x) {
    const double s = std::sin(x), c = std::cos(x);
    const double g = s * s + x * c * c, dg = 2 * s * c + c * c - 2 * x * c * s;
    return std::exp(x) / std::sqrt(g) * (1 - dg / (2 * g));
  };
  for (double x : {0.2, 0.9, 1.5, 2.5, 7.0}) {
    const nabla::numdiff::Estimate e = nabla::numdiff::complex_step(f, x);
    EXPECT_LE(std::fabs(e.value - exact(x)), 4e-15 * std::fabs(exact(x))) << "x = " << x;
    EXPECT_LE(std::fabs(e.value - exact(x)), e.error) << "x = " << x;
  }
  auto atan_f = [](auto z) { return std::atan(z); };
  for (double x : {-3.0, 0.0, 0.5, 10.0})
    EXPECT_LE(std::fabs(nabla::numdiff::complex_step(atan_f, x).value - 1 / (1 + x * x)),
              1e-15 / (1 + x * x));
}

TEST(Differences, ComplexStepErrorBoundCoversLargeSteps) {
  nabla::numdiff::Options options;
  options.initial_step = 0.05;
  auto f = [](auto z) { return std::sin(z); };
  const nabla::numdiff::Estimate e = nabla::numdiff::complex_step(f, 1.0, options);
  const double error = std::fabs(e.value - std::cos(1.0));
  EXPECT_GT(error, 1e-6);
  EXPECT_LE(error, e.error);
  EXPECT_LE(e.error, 10 * error);
}

TEST(Differences, ComplexStepOfNanIsNan) {
  auto f = [](auto z) { return std::exp(z); };
  const auto e = nabla::numdiff::complex_step(f, std::nan(""));
  EXPECT_TRUE(std::isnan(e.value));
  EXPECT_TRUE(std::isinf(e.error));
  auto log_f = [](auto z) { return std::log(z) * 0.0 + std::numeric_limits<double>::quiet_NaN(); };
  EXPECT_TRUE(std::isnan(nabla::numdiff::complex_step(log_f, 1.0).value));
}

TEST(Differences, ComplexStepAtTheEndsOfTheRange) {
  namespace nd = nabla::numdiff;
  auto sin = [](auto z) { return std::sin(z); };
  auto log = [](auto z) { return std::log(z); };
  // A step relative to |x| would be 1e5 at 1e25 and overflow cosh in
  // sin's imaginary part; the step does not grow past 1e-20.
  for (const double x : {1e16, 1e25, 1e100}) {
    const nd::Estimate e = nd::complex_step(sin, x);
    EXPECT_LE(std::fabs(e.value - std::cos(x)), 1e-15) << x;
    EXPECT_LE(std::fabs(e.value - std::cos(x)), e.error) << x;
  }
  // log varies on the scale of x: the step shrinks with |x|, down to the
  // smallest doubles (a step floored at 1e-300 gave log'(1e-305) = 3.1e300
  // +/- 1.6e300)
  for (const double x : {1e-15, 1e-21, 1e-25, 1e-285, 1e-300, 1e-305, 1e-307}) {
    const nd::Estimate e = nd::complex_step(log, x);
    EXPECT_LE(std::fabs(e.value - 1 / x), e.error) << x;
    if (x >= 1e-300) {
      EXPECT_LE(std::fabs(e.value * x - 1), 1e-15) << x;
    }
  }
  // a subnormal step rounds Im f to the subnormal grid: the bound says so
  // (sin'(1) was 0.540514 +/- 1.2e-15)
  nd::Options subnormal;
  subnormal.initial_step = 1e-320;
  const nd::Estimate s = nd::complex_step(sin, 1.0, subnormal);
  EXPECT_LE(std::fabs(s.value - std::cos(1.0)), s.error) << s;
}

TEST(Differences, ComplexStepWhereFIsNotARealNumberIsNan) {
  namespace nd = nabla::numdiff;
  // A pole, and log on its branch cut (log(-1 + 0i) = i pi): f(x) is not a
  // finite real number, and Im f(x + ih) / h is not f'(x).
  const nd::Estimate pole = nd::complex_step([](auto z) { return 1.0 / z; }, 0.0);
  const nd::Estimate cut = nd::complex_step([](auto z) { return std::log(z); }, -1.0);
  const nd::Estimate root = nd::complex_step([](auto z) { return std::sqrt(z); }, -4.0);
  for (const nd::Estimate& e : {pole, cut, root}) {
    EXPECT_TRUE(std::isnan(e.value));
    EXPECT_TRUE(std::isinf(e.error));
  }
}

}  // namespace
