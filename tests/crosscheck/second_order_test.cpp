// Second derivatives where the registry's formulas are special (kinks, ties,
// infinities, extreme arguments), in every second-order AD mode: nested
// forward mode, forward-over-reverse (hessian and hvp) and a recorded
// Program. Nested modes differentiate the value formula and the first
// derivative formula themselves, so a branch or a constant in either shows
// here only; each case is a regression, checked against a closed form.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "modes.hpp"

namespace nabla::test {
namespace {

using core::infinity;

/// Equal within `tolerance` relative to |b| (absolute where b is 0).
bool close(double a, double b, double tolerance) {
  if (a == b) return true;
  return std::fabs(a - b) <= tolerance * std::fabs(b);
}

/// The Hessian of f: R^2 -> R at x in nested forward mode (Dual<Dual<double, 2>, 2>).
template <class F>
Eigen::Matrix2d nested_forward_hessian(F f, const Eigen::Vector2d& x) {
  using D = Dual<double, 2>;
  using DD = Dual<D, 2>;
  std::array<DD, 2> v;
  for (int i = 0; i < 2; ++i) {
    typename DD::Tangent t{D(0.0), D(0.0)};
    t[static_cast<std::size_t>(i)] = D(1.0);
    v[static_cast<std::size_t>(i)] = DD(D::variable(x[i], static_cast<std::size_t>(i)), t);
  }
  const DD y = f(v);
  Eigen::Matrix2d h;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      h(i, j) = y.tangent(static_cast<std::size_t>(i)).tangent(static_cast<std::size_t>(j));
  return h;
}

/// f's Hessian at x is `expected` (within `tolerance`) in every second-order mode.
template <class F>
void expect_hessian(const std::string& label, F f, const Eigen::Vector2d& x, const Eigen::Matrix2d& expected,
                    double tolerance = 1e-14) {
  Eigen::Matrix2d hvp_columns;
  hvp_columns.col(0) = nabla::hvp(f, x, Eigen::Vector2d(1, 0));
  hvp_columns.col(1) = nabla::hvp(f, x, Eigen::Vector2d(0, 1));
  const std::vector<std::pair<std::string, Eigen::MatrixXd>> modes = {
      {"nested forward", nested_forward_hessian(f, x)},
      {"nabla::hessian", nabla::hessian(f, x)},
      {"nabla::hvp", hvp_columns},
      {"Program::hessian", nabla::record(f, x).hessian(x)},
  };
  for (const auto& [mode, h] : modes)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        EXPECT_PRED3(close, h(i, j), expected(i, j), tolerance)
            << label << ": H(" << i << ", " << j << ") in " << mode << "\n"
            << h;
}

TEST(SecondOrder, SoftplusAtZero) {
  // Regression: softplus's value chose |x| and max(x, 0) by different tests,
  // so at x = 0 nested modes differentiated it to -1/2 instead of 1/2.
  // softplus(0; t) = t log 2, softplus' = 1/2, softplus'' = 1/(4t).
  for (double t : {1.0, 0.25, 3.0}) {
    const std::string at = "t = " + testing::PrintToString(t);
    Eigen::Matrix2d h;
    h << 0.25 / t, 0.5, 0.5, 0.0;
    expect_hessian(
        "softplus(x) y, " + at, [t](const auto& v) { return nabla::softplus(v[0], t) * v[1]; },
        Eigen::Vector2d(0, 1), h);
    // (s^2)'' = 2 s'^2 + 2 s s'' = 1/2 + log(2)/2
    h << 0.5 + 0.5 * std::numbers::ln2, 0.0, 0.0, 0.0;
    expect_hessian(
        "softplus(x)^2, " + at,
        [t](const auto& v) { return nabla::softplus(v[0], t) * nabla::softplus(v[0], t) + 0.0 * v[1]; },
        Eigen::Vector2d(0, 1), h);
  }
}

TEST(SecondOrder, PowMixedPartialAtExponentZero) {
  // Regression: d/da a^b was the constant 0 wherever b = 0, which dropped its
  // derivative along b: d2/da db a^b = a^(b-1) (1 + b log a) = 1/a at b = 0.
  auto f = [](const auto& v) { return nabla::pow(v[0], v[1]); };
  for (double a : {3.0, 0.5, 7.25}) {
    const double l = std::log(a);
    Eigen::Matrix2d h;
    h << 0.0, 1.0 / a, 1.0 / a, l * l;
    expect_hessian("pow(a, b) at b = 0, a = " + testing::PrintToString(a), f, Eigen::Vector2d(a, 0), h);
  }
  // the documented value at a = b = 0 stays: d/da 0^0 = 0
  for_each_mode<AdModes>(
      [](auto mode) { EXPECT_EQ(decltype(mode)::template binary<core::Pow>(0.0, 0.0).da, 0.0); });
}

TEST(SecondOrder, PowNearZeroWhereAnIntermediatePowerOverflows) {
  // Regression: nested modes differentiate d/da a^b = b a^(b-1) into
  // b (b - 1) a^(b-2), whose a^(b-2) overflows below 1e-154 where the
  // product does not: NaN (0 * inf) for b = 0, -inf for x^x.
  auto f = [](const auto& v) { return nabla::pow(v[0], v[1]); };
  const double a = 1e-300, l = std::log(a);
  Eigen::Matrix2d h;
  h << 0.0, 1.0 / a, 1.0 / a, l * l;  // a^b at b = 0: 0, a^(b-1) (1 + b log a), a^b log^2 a
  expect_hessian("pow(a, b) at (1e-300, 0)", f, Eigen::Vector2d(a, 0), h, 1e-13);
  // where b / a^2 overflows the textbook form stays: a^1 at 1e-300
  h << 0.0, 1 + l, 1 + l, a * l * l;
  expect_hessian("pow(a, b) at (1e-300, 1)", f, Eigen::Vector2d(a, 1), h, 1e-13);
  // where a^b itself underflows: d/da (a^b log a) keeps a^b / a = a^(b-1)
  // (it was half lost: 2 a log a + a / 2 after symmetrizing)
  h << 2.0, a * (1 + 2 * l), a * (1 + 2 * l), 0.0;  // a^2 log^2 a underflows
  expect_hessian("pow(a, b) at (1e-300, 2)", f, Eigen::Vector2d(a, 2), h, 1e-13);
  for (const double x : {1e-160, 1e-300, 1e-100}) {
    const double lx = std::log(x) + 1;
    h << std::pow(x, x) * (lx * lx + 1 / x), 0.0, 0.0, 0.0;  // (x^x)'' = x^x ((log x + 1)^2 + 1/x)
    expect_hessian(
        "x^x at " + testing::PrintToString(x),
        [](const auto& v) { return nabla::pow(v[0], v[0]) + 0.0 * v[1]; }, Eigen::Vector2d(x, 1), h, 1e-13);
  }
}

TEST(SecondOrder, XLogYAndXDivYMixedPartialsAtAZeroFirstArgument) {
  // Regression: d/dy was the constant 0 wherever x = 0, which dropped its
  // derivative along x: the mixed entries are 1/y for x log y and -1/y^2
  // for x / y (the Hessian came out half of that, an HVP asymmetric).
  for (double y : {0.5, 2.0, 7.25}) {
    Eigen::Matrix2d h;
    h << 0.0, 1.0 / y, 1.0 / y, 0.0;
    expect_hessian(
        "xlogy(x, y) at x = 0, y = " + testing::PrintToString(y),
        [](const auto& v) { return nabla::xlogy(v[0], v[1]); }, Eigen::Vector2d(0, y), h);
    h << 0.0, -1.0 / (y * y), -1.0 / (y * y), 0.0;
    expect_hessian(
        "xdivy(x, y) at x = 0, y = " + testing::PrintToString(y),
        [](const auto& v) { return nabla::xdivy(v[0], v[1]); }, Eigen::Vector2d(0, y), h);
  }
}

TEST(SecondOrder, NegativeIntegerPowersAtExtremeArguments) {
  // Regression: x^-6 was 1 / x^6, whose quotient rule overflowed or
  // underflowed in nested modes (inf at 1e-30, 0 at 1e25): (x^-6)'' = 42 x^-8.
  for (double x : {1e-30, 1e25, 0.5}) {
    Eigen::Matrix2d h;
    h << 42.0 * std::pow(x, -8.0), 0.0, 0.0, 0.0;
    expect_hessian(
        "x^-6 at " + testing::PrintToString(x),
        [](const auto& v) { return nabla::pow(v[0], -6) + 0.0 * v[1]; }, Eigen::Vector2d(x, 1), h, 1e-13);
  }
}

TEST(SecondOrder, MinAndMaxAtATieSplitEvenly) {
  // Regression: at a tie the value formula picked one argument, so nested
  // modes gave the partials 1 and 0 in the inner lane (and a Hessian that
  // depended on the order of the arguments). With the documented 1/2 and
  // 1/2, m = max(x, y) has (m^2)'' = 2 grad(m) grad(m)^T, every entry 1/2.
  Eigen::Matrix2d h;
  h << 0.5, 0.5, 0.5, 0.5;
  const Eigen::Vector2d tie(1.0, 1.0);
  expect_hessian(
      "max(x, y)^2", [](const auto& v) { return nabla::pow(nabla::max(v[0], v[1]), 2); }, tie, h);
  expect_hessian(
      "max(y, x)^2", [](const auto& v) { return nabla::pow(nabla::max(v[1], v[0]), 2); }, tie, h);
  expect_hessian(
      "min(x, y)^2", [](const auto& v) { return nabla::pow(nabla::min(v[0], v[1]), 2); }, tie, h);
  expect_hessian(
      "min(y, x)^2", [](const auto& v) { return nabla::pow(nabla::min(v[1], v[0]), 2); }, tie, h);
  // (x - y) max(x, y): d2/dx2 = 2 dm/dx = 1, d2/dy2 = -2 dm/dy = -1, mixed 0
  h << 1.0, 0.0, 0.0, -1.0;
  expect_hessian(
      "(x - y) max(x, y)", [](const auto& v) { return (v[0] - v[1]) * nabla::max(v[0], v[1]); }, tie, h);
  // the inner lanes of a nested Dual at a tie: the value exactly (also where
  // a + b overflows, and -0.0), each partial 1/2
  using D = Dual<double, 2>;
  using DD = Dual<D, 2>;
  for (double a : {1.5, 1.7e308, -1.7e308, -0.0, infinity, -infinity}) {
    const DD x(D::variable(a, 0));
    const DD y(D::variable(a, 1));
    for (const DD& m : {nabla::max(x, y), nabla::min(x, y)}) {
      EXPECT_EQ(m.value().value(), a);
      EXPECT_EQ(std::signbit(m.value().value()), std::signbit(a)) << a;
      EXPECT_EQ(m.value().tangent(0), 0.5) << a;
      EXPECT_EQ(m.value().tangent(1), 0.5) << a;
    }
  }
}

TEST(SecondOrder, LogSumExpOfTwoInfinitiesSplitsEvenly) {
  // Regression: logsumexp(inf, inf) returned its first argument, so the
  // inner lane of a nested Dual had the partials 1 and 0, not 1/2 and 1/2.
  using D = Dual<double, 2>;
  using DD = Dual<D, 2>;
  for (double s : {infinity, -infinity}) {
    const DD a(D::variable(s, 0), DD::Tangent{D(1.0), D(0.0)});
    const DD b(D::variable(s, 1), DD::Tangent{D(0.0), D(1.0)});
    const DD y = nabla::logsumexp(a, b);
    EXPECT_EQ(y.value().value(), s);
    for (std::size_t i = 0; i < 2; ++i) {
      EXPECT_EQ(y.value().tangent(i), 0.5) << s << ", inner lane " << i;
      EXPECT_EQ(y.tangent(i).value(), 0.5) << s << ", outer lane " << i;
    }
  }
}

/// Op''(x; p) is `expected` (within `tolerance`) in every second-order AD mode.
template <class Op>
void expect_second_derivative(double x, double p, double expected, double tolerance = 0.0) {
  for_each_mode<std::tuple<NestedForwardMode, HessianDriverMode, HvpDriverMode>>([&](auto mode) {
    using Mode = decltype(mode);
    const double h = Mode::template unary<Op>(x, p)(0, 0);
    EXPECT_PRED3(close, h, expected, tolerance) << Op::name << "''(" << x << ") in " << Mode::name;
  });
}

TEST(SecondOrder, AtInfinityTheLimitIsZero) {
  // Regression: atan'', erf'' and erfc'' were 0 * inf = NaN at +-inf.
  for (double x : {infinity, -infinity}) {
    expect_second_derivative<core::Atan>(x, 0, 0.0);
    expect_second_derivative<core::Erf>(x, 0, 0.0);
    expect_second_derivative<core::Erfc>(x, 0, 0.0);
    expect_second_derivative<core::Tanh>(x, 0, 0.0);
    expect_second_derivative<core::Sigmoid>(x, 0, 0.0);
    expect_second_derivative<core::Softplus>(x, 1.0, 0.0);
  }
}

TEST(SecondOrder, AccurateWhereTheFirstDerivativeWasNot) {
  // Regression: tanh' = 1 - tanh^2 and sigmoid' = s (1 - s) lost every digit
  // for large x, and so did the second derivatives nested modes take of them.
  for (double x : {20.0, -20.0, 5.0, 0.25}) {  // tanh'' = -2 tanh sech^2
    const long double c = std::cosh(static_cast<long double>(x));
    const auto expected = static_cast<double>(-2 * std::tanh(static_cast<long double>(x)) / (c * c));
    expect_second_derivative<core::Tanh>(x, 0, expected, 1e-14);
  }
  for (double x : {50.0, -50.0, 30.0, 2.0, -0.5}) {  // sigmoid'' = s'(x) (1 - 2 s(x))
    const long double e = std::exp(-std::fabs(static_cast<long double>(x)));
    const long double ds = e / ((1 + e) * (1 + e));
    const long double one_minus_2s = (x > 0 ? -1 : 1) * (1 - e) / (1 + e);
    expect_second_derivative<core::Sigmoid>(x, 0, static_cast<double>(ds * one_minus_2s), 1e-14);
  }
  // atan'' = -2x / (1 + x^2)^2 and asinh'' = -x / (1 + x^2)^(3/2), where
  // their first derivatives are now taken in 1/x
  for (double x : {3.0, -1e100, 1e50}) {
    const long double xl = x;
    const long double q = 1 + xl * xl;
    expect_second_derivative<core::Atan>(x, 0, static_cast<double>(-2 * xl / (q * q)), 1e-14);
    expect_second_derivative<core::Asinh>(x, 0, static_cast<double>(-xl / (q * std::sqrt(q))), 1e-14);
  }
}

TEST(SecondOrder, AccurateNearZeroWhereOneMinusXSquaredCancelled) {
  // Regression: 1 - x^2 as (1 - x)(1 + x) has the tangent (1 + x) - (1 - x)
  // (times -x'), which cancels near 0: asin'' at 1e-12 was 3e-5 off, at
  // 1e-300 it was 0. asin'' = x / (1 - x^2)^(3/2), acos'' = -asin'',
  // atanh'' = 2x / (1 - x^2)^2.
  for (double x : {1e-12, -1e-8, 1e-300, 0.3, -0.45, 0.55, 0.9}) {
    const long double xl = x;
    const long double q = (1 - xl) * (1 + xl);
    const auto asin2 = static_cast<double>(xl / (q * std::sqrt(q)));
    expect_second_derivative<core::Asin>(x, 0, asin2, 1e-14);
    expect_second_derivative<core::Acos>(x, 0, -asin2, 1e-14);
    expect_second_derivative<core::Atanh>(x, 0, static_cast<double>(2 * xl / (q * q)), 1e-14);
  }
}

TEST(SecondOrder, SigmoidNearZeroWhereSTimesOneMinusSCancelled) {
  // Regression: nested modes differentiated s (1 - s) into s' (1 - s) - s s',
  // two terms near 1/8 that cancel: sigmoid'' at 1e-12 was 9e-5 off, at
  // 1e-16 it was 0. sigmoid'' = -tanh(x/2) (1 - tanh^2(x/2)) / 4.
  for (double x : {1e-16, -1e-12, 1e-8, 1e-300, 0.3, -0.7, 0.99, -0.99}) {
    const long double t = std::tanh(static_cast<long double>(x) / 2);
    expect_second_derivative<core::Sigmoid>(x, 0, static_cast<double>(-t * (1 - t * t) / 4), 1e-14);
  }
}

TEST(SecondOrder, HypotFarFromTheDiagonalWhereAOverHCancelled) {
  // Regression: nested modes differentiated a / h into 1 / h - a^2 / h^3,
  // which cancels where |a| >> |b|: d2/da2 hypot(a, 1) at 1e8 was 0, not
  // 1e-24. The Hessian is [[b^2, -a b], [-a b, a^2]] / h^3.
  auto f = [](const auto& v) { return nabla::hypot(v[0], v[1]); };
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1e8, 1.0}, {1e6, -1.0}, {-1e4, 2.0}, {1.0, 1e8}, {3.0, -4.0}, {1e-3, 1e5}}) {
    const long double al = a, bl = b, h = std::hypot(al, bl), h3 = h * h * h;
    Eigen::Matrix2d expected;
    expected << static_cast<double>(bl * bl / h3), static_cast<double>(-al * bl / h3),
        static_cast<double>(-al * bl / h3), static_cast<double>(al * al / h3);
    expect_hessian("hypot at (" + testing::PrintToString(a) + ", " + testing::PrintToString(b) + ")", f,
                   Eigen::Vector2d(a, b), expected, 1e-13);
  }
}

TEST(SecondOrder, WhereAnIntermediateOverflowedBeforeTheResult) {
  // Regression: log2' = 1 / (ln 2 x), squared in nested modes, overflowed
  // before log2'' = -1 / (ln 2 x^2) near 1e-154.
  for (const double x : {1e-154, 9e-155, 1.07e-154, 3e-150}) {
    const long double xl = x;
    expect_second_derivative<core::Log2>(
        x, 0, static_cast<double>(-1 / (std::numbers::ln2_v<long double> * xl * xl)), 1e-14);
  }
  // d2/da2 a^b = b (b - 1) a^(b-2): the a^(b-2) of the textbook form
  // overflows below 1e-154 where b / a^2 does not (it was -inf).
  auto f = [](const auto& v) { return nabla::pow(v[0], v[1]); };
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1.37e-160, 1.37e-16}, {1.7992e-161, 7.82e-16}, {1e-155, 1e-6}, {1e-156, 1e-10}}) {
    const long double al = a, bl = b, la = std::log(al), y = std::pow(al, bl);
    Eigen::Matrix2d h;
    h << static_cast<double>(bl * (bl - 1) * y / (al * al)), static_cast<double>(y / al * (1 + bl * la)),
        static_cast<double>(y / al * (1 + bl * la)), static_cast<double>(y * la * la);
    expect_hessian("pow(a, b) at (" + testing::PrintToString(a) + ", " + testing::PrintToString(b) + ")", f,
                   Eigen::Vector2d(a, b), h, 1e-13);
  }
}

TEST(SecondOrder, PowMixedPartialWhereThePowerOverflows) {
  // Regression: d/db a^b = a^b log a was taken from y = a^b, +inf where it
  // overflows, and so was its derivative along a, the mixed partial
  // a^(b-1) (1 + b log a), which is finite for a large base: 2.2e301 at
  // (1e10, 30.85). d2/db2 a^b = a^b log^2 a overflows there too (+inf).
  auto f = [](const auto& v) { return nabla::pow(v[0], v[1]); };
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1e10, 30.85}, {1e20, 15.42}, {1e100, 3.09}, {3e15, 20.5}, {2.5e7, 41.7}}) {
    const long double al = a, bl = b, la = std::log(al), y = std::pow(al, bl);
    ASSERT_TRUE(std::isinf(std::pow(a, b)));
    Eigen::Matrix2d h;
    h << static_cast<double>(bl * (bl - 1) * y / (al * al)), static_cast<double>(y / al * (1 + bl * la)),
        static_cast<double>(y / al * (1 + bl * la)), static_cast<double>(y * la * la);
    ASSERT_TRUE(std::isfinite(h(0, 1)));
    expect_hessian("pow(a, b) at (" + testing::PrintToString(a) + ", " + testing::PrintToString(b) + ")", f,
                   Eigen::Vector2d(a, b), h, 1e-13);
  }
}

TEST(SecondOrder, WhereAFirstPartialIsNaNSoAreItsDerivatives) {
  // (-2)^y is real at y = 3 but not near it: d/dy is NaN, and the partial
  // was a NaN constant, whose derivative nested modes took as 0 (a finite
  // Hessian beside a NaN gradient)
  auto f = [](const auto& v) { return pow(v[0], v[1]); };
  const Eigen::Vector2d at(-2.0, 3.0);
  EXPECT_TRUE(std::isnan(nabla::gradient(f, at)[1]));
  const std::vector<std::pair<std::string, Eigen::MatrixXd>> modes = {
      {"nested forward", nested_forward_hessian(f, at)},
      {"nabla::hessian", nabla::hessian(f, at)},
      {"Program::hessian", nabla::record(f, at).hessian(at)},
  };
  for (const auto& [mode, h] : modes) {
    EXPECT_TRUE(std::isnan(h(1, 1)) && std::isnan(h(0, 1)) && std::isnan(h(1, 0))) << mode << "\n" << h;
    EXPECT_EQ(h(0, 0), -12.0) << mode;  // d^2/dx^2 x^3 = 6x, a real power in x
  }
  EXPECT_TRUE(std::isnan(nabla::hvp(f, at, Eigen::Vector2d(0, 1))[1]));
  // 0^y for y < 0 is the pole +inf: NaN along y as well
  auto zero_base = [](const auto& v) { return pow(0.0 * v[0], v[1]); };
  EXPECT_TRUE(std::isnan(nabla::hessian(zero_base, Eigen::Vector2d(1.0, -2.0))(1, 1)));
}

}  // namespace
}  // namespace nabla::test
