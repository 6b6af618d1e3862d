// Behaviour outside the domain and at non-finite arguments, for every
// primitive of the registry and in every AD mode of modes.hpp (first and
// second order): outside Op::in_domain the value and every derivative are
// NaN, without a throw or a crash; a NaN argument is outside every domain
// (NaN value, NaN derivatives), except that the arithmetic operators
// (Op::total) keep their exact partials (d(a + b)/db = 1 at a = NaN) and
// x^0 = 1 as IEEE's pow(NaN, 0); infinite arguments give the documented IEEE
// limits (exp(-inf) = 0, sigmoid'(inf) = 0, ...).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <type_traits>
#include <utility>
#include <vector>

#include "modes.hpp"

namespace nabla::test {
namespace {

using core::infinity;
using core::nan;

/// The grid the domain is probed on: [-12, 12] by 1/8, and a few edges.
std::vector<double> grid() {
  std::vector<double> xs;
  for (int i = -96; i <= 96; ++i) xs.push_back(i / 8.0);
  for (double x : {-1.0 - 1e-12, 1.0 + 1e-12, -1e-300, 1e-300, -1e300, 1e300}) xs.push_back(x);
  return xs;
}

/// The parameters the domain is probed at: those of the cross-check and,
/// for a primitive with a parameter, also 0 and negative ones.
template <class Op>
std::vector<double> probe_parameters() {
  std::vector<double> ps = parameters_of<Op>();
  if constexpr (Op::has_parameter) ps.insert(ps.end(), {0.0, -1.0, -0.25});
  return ps;
}

/// Every mode, first and second order, gives NaN for the value and every
/// derivative of Op(x; p).
template <class Op>
void expect_all_nan_unary(double x, double p) {
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    Unary1 r{};
    ASSERT_NO_THROW(r = Mode::template unary<Op>(x, p)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(std::isnan(r.value)) << Op::name << "(" << x << "; " << p << ") = " << r.value << " in "
                                     << Mode::name;
    EXPECT_TRUE(std::isnan(r.d)) << Op::name << "'(" << x << "; " << p << ") = " << r.d << " in "
                                 << Mode::name;
  });
  for_each_mode<std::tuple<NestedForwardMode, HessianDriverMode, HvpDriverMode>>([&](auto mode) {
    using Mode = decltype(mode);
    Hessian h;
    ASSERT_NO_THROW(h = Mode::template unary<Op>(x, p)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(std::isnan(h(0, 0))) << Op::name << "''(" << x << "; " << p << ") = " << h(0, 0) << " in "
                                     << Mode::name;
  });
}

/// Every mode gives NaN for the value and both partials of Op(a, b), and for
/// the second derivatives.
template <class Op>
void expect_all_nan_binary(double a, double b) {
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    Binary1 r{};
    ASSERT_NO_THROW(r = Mode::template binary<Op>(a, b)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(std::isnan(r.value) && std::isnan(r.da) && std::isnan(r.db))
        << Op::name << "(" << a << ", " << b << ") in " << Mode::name << ": value " << r.value
        << ", partials " << r.da << ", " << r.db;
  });
  for_each_mode<std::tuple<NestedForwardMode, HessianDriverMode, HvpDriverMode>>([&](auto mode) {
    using Mode = decltype(mode);
    Hessian h;
    ASSERT_NO_THROW(h = Mode::template binary<Op>(a, b)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(h.array().isNaN().all())
        << Op::name << "(" << a << ", " << b << ") in " << Mode::name << ":\n"
        << h;
  });
}

template <class Op>
class UnaryDomain : public ::testing::Test {};
TYPED_TEST_SUITE(UnaryDomain, AsTestTypes<core::UnaryPrimitives>::type, PrimitiveName);

template <class Op>
class BinaryDomain : public ::testing::Test {};
TYPED_TEST_SUITE(BinaryDomain, AsTestTypes<core::BinaryPrimitives>::type, PrimitiveName);

TYPED_TEST(UnaryDomain, OutsideTheDomainEverythingIsNaN) {
  using Op = TypeParam;
  for (double p : probe_parameters<Op>())
    for (double x : grid())
      if (!Op::in_domain(x, p)) expect_all_nan_unary<Op>(x, p);
}

TYPED_TEST(UnaryDomain, InsideTheDomainNothingThrows) {
  using Op = TypeParam;
  for (double p : probe_parameters<Op>())
    for (double x : grid())
      if (Op::in_domain(x, p))
        for_each_mode<AdModes>([&](auto mode) { EXPECT_NO_THROW(decltype(mode)::template unary<Op>(x, p)); });
}

TYPED_TEST(UnaryDomain, NaNArgumentGivesNaNEverywhere) {
  using Op = TypeParam;
  for (double p : probe_parameters<Op>()) {
    if (std::is_same_v<Op, core::PowInt> && static_cast<int>(p) == 0) {
      // The one exception, as IEEE's pow(NaN, 0) = 1: x^0 = 1, but its derivative is NaN.
      for_each_mode<AdModes>([p](auto mode) {
        const Unary1 r = decltype(mode)::template unary<core::PowInt>(nan, p);
        EXPECT_EQ(r.value, 1.0) << decltype(mode)::name;
        EXPECT_TRUE(std::isnan(r.d)) << decltype(mode)::name;
      });
      continue;
    }
    expect_all_nan_unary<Op>(nan, p);
  }
}

TYPED_TEST(BinaryDomain, OutsideTheDomainEverythingIsNaN) {
  using Op = TypeParam;
  const std::vector<double> xs = grid();
  for (std::size_t i = 0; i < xs.size(); i += 3)
    for (std::size_t j = 0; j < xs.size(); j += 3)
      if (!Op::in_domain(xs[i], xs[j])) expect_all_nan_binary<Op>(xs[i], xs[j]);
}

/// The arithmetic operators (Op::total) keep their exact partials at a NaN:
/// the value is NaN, and a partial is NaN only where its formula reads the
/// NaN (d(a b)/db = a, but d(a + b)/db = 1).
template <class Op>
void expect_total_at_nan(double a, double b) {
  const double y = Op::value(a, b);
  const double da = Op::d_first(a, b, y);
  const double db = Op::d_second(a, b, y);
  auto same = [](double u, double v) { return (std::isnan(u) && std::isnan(v)) || u == v; };
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    Binary1 r{};
    ASSERT_NO_THROW(r = Mode::template binary<Op>(a, b)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(std::isnan(r.value)) << Op::name << " in " << Mode::name;
    EXPECT_TRUE(same(r.da, da)) << "d/da " << Op::name << "(" << a << ", " << b << ") in " << Mode::name
                                << ": " << r.da << " vs " << da;
    EXPECT_TRUE(same(r.db, db)) << "d/db " << Op::name << "(" << a << ", " << b << ") in " << Mode::name
                                << ": " << r.db << " vs " << db;
  });
}

TYPED_TEST(BinaryDomain, NaNArgumentGivesNaNEverywhere) {
  // 1.5 as the other argument avoids IEEE's pow(1, NaN) = pow(NaN, 0) = 1.
  using Op = TypeParam;
  for (auto [a, b] : {std::pair{nan, 1.5}, std::pair{1.5, nan}, std::pair{nan, nan}}) {
    if constexpr (Op::total)
      expect_total_at_nan<Op>(a, b);
    else
      expect_all_nan_binary<Op>(a, b);
  }
}

TEST(Domain, ArithmeticPartialsAtNaNAreTheirFormulas) {
  // the documented consequence, spelt out
  const Binary1 add = ReverseMode::binary<core::Add>(nan, 1.5);
  EXPECT_EQ(add.da, 1.0);
  EXPECT_EQ(add.db, 1.0);
  const Binary1 mul = ForwardMode::binary<core::Mul>(nan, 1.5);
  EXPECT_EQ(mul.da, 1.5);
  EXPECT_TRUE(std::isnan(mul.db));
}

TEST(Domain, NamedOutOfDomainCases) {
  expect_all_nan_unary<core::Log>(-1.0, 0);
  expect_all_nan_unary<core::Log2>(-1.0, 0);
  expect_all_nan_unary<core::Log10>(-1.0, 0);
  expect_all_nan_unary<core::Sqrt>(-1.0, 0);
  expect_all_nan_unary<core::Asin>(2.0, 0);
  expect_all_nan_unary<core::Acos>(-2.0, 0);
  expect_all_nan_unary<core::Acosh>(0.5, 0);
  expect_all_nan_unary<core::Atanh>(2.0, 0);
  expect_all_nan_unary<core::Log1p>(-2.0, 0);
  expect_all_nan_binary<core::Pow>(-8.0, 1.0 / 3.0);
  // softplus with a temperature t <= 0 (regression: the value was max(x, 0)
  // or t log(1 + e^{x/t}) with t < 0, a number, not NaN)
  expect_all_nan_unary<core::Softplus>(1.0, 0.0);
  expect_all_nan_unary<core::Softplus>(-1.0, 0.0);
  expect_all_nan_unary<core::Softplus>(1.0, -1.0);
}

TEST(Domain, NaNDoesNotTurnIntoANumber) {
  // Regressions: relu(NaN) was 0, max(1, NaN) and min(1, NaN) were 1.
  EXPECT_TRUE(std::isnan(nabla::relu(nan)));
  EXPECT_TRUE(std::isnan(nabla::max(1.0, nan)));
  EXPECT_TRUE(std::isnan(nabla::min(1.0, nan)));
  EXPECT_TRUE(std::isnan(nabla::max(nan, 1.0)));
  EXPECT_TRUE(std::isnan(nabla::min(nan, 1.0)));
  // relu'(NaN), abs'(NaN) were 0 and leaky_relu'(NaN) was alpha: now NaN.
  EXPECT_TRUE(std::isnan(nabla::derivative([](auto x) { return nabla::relu(x); }, nan)));
  EXPECT_TRUE(std::isnan(nabla::derivative([](auto x) { return nabla::abs(x); }, nan)));
  EXPECT_TRUE(std::isnan(nabla::derivative([](auto x) { return nabla::leaky_relu(x); }, nan)));
}

/// Op(x) and Op'(x) at an infinite x are the given limits in every AD mode.
template <class Op>
void expect_limit(double x, double value, double d) {
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    const Unary1 r = Mode::template unary<Op>(x, Op::default_parameter);
    EXPECT_EQ(r.value, value) << Op::name << "(" << x << ") in " << Mode::name;
    EXPECT_EQ(r.d, d) << Op::name << "'(" << x << ") in " << Mode::name;
  });
}

TEST(Domain, InfiniteArgumentsGiveTheLimits) {
  const double half_pi = std::numbers::pi / 2;
  expect_limit<core::Exp>(infinity, infinity, infinity);
  expect_limit<core::Exp>(-infinity, 0.0, 0.0);
  expect_limit<core::Expm1>(-infinity, -1.0, 0.0);
  expect_limit<core::Log>(infinity, infinity, 0.0);
  expect_limit<core::Sqrt>(infinity, infinity, 0.0);
  expect_limit<core::Sigmoid>(infinity, 1.0, 0.0);
  expect_limit<core::Sigmoid>(-infinity, 0.0, 0.0);
  expect_limit<core::Tanh>(infinity, 1.0, 0.0);
  expect_limit<core::Tanh>(-infinity, -1.0, 0.0);
  expect_limit<core::Atan>(infinity, half_pi, 0.0);
  expect_limit<core::Atan>(-infinity, -half_pi, 0.0);
  expect_limit<core::Erf>(infinity, 1.0, 0.0);
  expect_limit<core::Erfc>(infinity, 0.0, 0.0);
  expect_limit<core::Softplus>(infinity, infinity, 1.0);
  expect_limit<core::Softplus>(-infinity, 0.0, 0.0);
  expect_limit<core::Relu>(infinity, infinity, 1.0);
  expect_limit<core::Relu>(-infinity, 0.0, 0.0);
  expect_limit<core::Abs>(-infinity, infinity, -1.0);
  // periodic functions have no limit: NaN, never a throw
  for_each_mode<AdModes>([](auto mode) {
    const Unary1 r = decltype(mode)::template unary<core::Sin>(infinity, 0);
    EXPECT_TRUE(std::isnan(r.value) && std::isnan(r.d)) << decltype(mode)::name;
  });
}

TEST(Domain, PowAtSubnormalBases) {
  // Regression: d/da a^b = b a^(b-1) overflowed for a small b below about
  // 1e-308 (a^(b-1) near 1/a), where b a^(b-1) = (b / a) a^b is finite: +inf
  // in every mode for pow(1e-310, 1e-300), whose partial is 1e10.
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{
           {1e-310, 1e-300}, {5e-324, 1e-320}, {1e-315, 1e-310}, {1e-310, 0.5}}) {
    const long double expected = static_cast<long double>(b) / a * std::pow(static_cast<long double>(a), b);
    for_each_mode<AdModes>([&, a = a, b = b](auto mode) {
      const Binary1 r = decltype(mode)::template binary<core::Pow>(a, b);
      EXPECT_NEAR(r.da / static_cast<double>(expected), 1.0, 1e-14)
          << "d/da pow(" << a << ", " << b << ") = " << r.da << " in " << decltype(mode)::name;
    });
  }
  // (x^x)' = x^x (1 + log x), -712.8 at 1e-310: it was +inf
  for (const double x : {1e-310, 5e-324, 1e-308}) {
    const long double xl = x;
    const auto expected = static_cast<double>(std::pow(xl, xl) * (1 + std::log(xl)));
    auto f = [](const auto& v) { return nabla::pow(v, v); };
    EXPECT_NEAR(nabla::derivative(f, x) / expected, 1.0, 1e-14) << x;
    auto g = [](const auto& v) { return nabla::pow(v[0], v[0]); };
    EXPECT_NEAR(nabla::gradient(g, Eigen::VectorXd::Constant(1, x))[0] / expected, 1.0, 1e-14) << x;
  }
}

TEST(Domain, PowOfANegativeBaseBeyondTwoToThe53) {
  // Regression: d/da a^b = b a^(b-1) with b - 1 rounded to an even number
  // beyond 2^53 lost the sign of (-1)^(b-1): +2^53 + 2 for a = -1.
  const double b = 0x1p53 + 2, c = 0x1p54;
  const double a2 = -1.0000000000000002;  // -(1 + 2^-52)
  const auto expected2 =
      static_cast<double>(c * -std::pow(-static_cast<long double>(a2), static_cast<long double>(c) - 1));
  for_each_mode<AdModes>([&](auto mode) {
    EXPECT_EQ(decltype(mode)::template binary<core::Pow>(-1.0, b).da, -b) << decltype(mode)::name;
    EXPECT_NEAR(decltype(mode)::template binary<core::Pow>(a2, c).da / expected2, 1.0, 1e-13)
        << decltype(mode)::name;
  });
}

TEST(Domain, XLogYAtMinusZeroAsLog) {
  // Regression: d/dy xlogy(x, y) at y = -0.0 was -inf sign(x), where log'
  // and xlogy's own partial at +0.0 give +inf sign(x).
  for (const double x : {1.0, -2.0}) {
    for_each_mode<AdModes>([x](auto mode) {
      const Binary1 r = decltype(mode)::template binary<core::XLogY>(x, -0.0);
      EXPECT_EQ(r.db, std::copysign(infinity, x)) << "x = " << x << " in " << decltype(mode)::name;
    });
  }
}

}  // namespace
}  // namespace nabla::test
