// The registry of elementary functions itself (core/primitives.hpp and the
// passive path core/functions.hpp): names, sample ranges inside the domain,
// every value and derivative formula against an independent reference
// written here with <cmath> only (a test fails if a primitive has none),
// the passive functions on double and float, integer_power and is_integer,
// and evaluation without overflow at extreme arguments.
#include "nabla/core/primitives.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nabla/core/functions.hpp"

namespace nabla::core {
namespace {

/// An independent formula for a unary primitive: value and derivative at (x; p).
struct UnaryReference {
  std::function<double(double, double)> value;
  std::function<double(double, double)> derivative;
};
/// ... and for a binary one: value and both partials at (a, b).
struct BinaryReference {
  std::function<double(double, double)> value;
  std::function<double(double, double)> d_first;
  std::function<double(double, double)> d_second;
};

double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }

const std::map<std::string, UnaryReference>& unary_references() {
  static const std::map<std::string, UnaryReference> table = {
      {"sqrt",
       {[](double x, double) { return std::sqrt(x); }, [](double x, double) { return 0.5 / std::sqrt(x); }}},
      {"cbrt",
       {[](double x, double) { return std::cbrt(x); },
        [](double x, double) { return 1.0 / (3.0 * std::pow(std::cbrt(x), 2)); }}},
      {"exp", {[](double x, double) { return std::exp(x); }, [](double x, double) { return std::exp(x); }}},
      {"expm1",
       {[](double x, double) { return std::exp(x) - 1.0; }, [](double x, double) { return std::exp(x); }}},
      {"log", {[](double x, double) { return std::log(x); }, [](double x, double) { return 1.0 / x; }}},
      {"log1p",
       {[](double x, double) { return std::log(1.0 + x); },
        [](double x, double) { return 1.0 / (1.0 + x); }}},
      {"log2",
       {[](double x, double) { return std::log(x) / std::log(2.0); },
        [](double x, double) { return 1.0 / (x * std::log(2.0)); }}},
      {"log10",
       {[](double x, double) { return std::log(x) / std::log(10.0); },
        [](double x, double) { return 1.0 / (x * std::log(10.0)); }}},
      {"sin", {[](double x, double) { return std::sin(x); }, [](double x, double) { return std::cos(x); }}},
      {"cos", {[](double x, double) { return std::cos(x); }, [](double x, double) { return -std::sin(x); }}},
      {"tan",
       {[](double x, double) { return std::sin(x) / std::cos(x); },
        [](double x, double) { return 1.0 / (std::cos(x) * std::cos(x)); }}},
      {"asin",
       {[](double x, double) { return std::asin(x); },
        [](double x, double) { return 1.0 / std::sqrt(1 - x * x); }}},
      {"acos",
       {[](double x, double) { return std::acos(x); },
        [](double x, double) { return -1.0 / std::sqrt(1 - x * x); }}},
      {"atan",
       {[](double x, double) { return std::atan(x); }, [](double x, double) { return 1.0 / (1 + x * x); }}},
      {"sinh",
       {[](double x, double) { return (std::exp(x) - std::exp(-x)) / 2; },
        [](double x, double) { return (std::exp(x) + std::exp(-x)) / 2; }}},
      {"cosh",
       {[](double x, double) { return (std::exp(x) + std::exp(-x)) / 2; },
        [](double x, double) { return (std::exp(x) - std::exp(-x)) / 2; }}},
      {"tanh",
       {[](double x, double) { return std::tanh(x); },
        [](double x, double) { return 1.0 / (std::cosh(x) * std::cosh(x)); }}},
      {"asinh",
       {[](double x, double) { return std::log(x + std::sqrt(x * x + 1)); },
        [](double x, double) { return 1.0 / std::sqrt(x * x + 1); }}},
      {"acosh",
       {[](double x, double) { return std::log(x + std::sqrt(x * x - 1)); },
        [](double x, double) { return 1.0 / std::sqrt(x * x - 1); }}},
      {"atanh",
       {[](double x, double) { return 0.5 * std::log((1 + x) / (1 - x)); },
        [](double x, double) { return 1.0 / (1 - x * x); }}},
      {"abs",
       {[](double x, double) { return std::fabs(x); }, [](double x, double) { return x > 0 ? 1.0 : -1.0; }}},
      {"sign", {[](double x, double) { return x > 0 ? 1.0 : -1.0; }, [](double, double) { return 0.0; }}},
      {"erf",
       {[](double x, double) { return std::erf(x); },
        [](double x, double) { return 2.0 / std::sqrt(std::numbers::pi) * std::exp(-x * x); }}},
      {"erfc",
       {[](double x, double) { return 1.0 - std::erf(x); },
        [](double x, double) { return -2.0 / std::sqrt(std::numbers::pi) * std::exp(-x * x); }}},
      {"sigmoid",
       {[](double x, double) { return sigmoid_ref(x); },
        [](double x, double) { return std::exp(-x) / std::pow(1 + std::exp(-x), 2); }}},
      {"relu",
       {[](double x, double) { return x > 0 ? x : 0.0; },
        [](double x, double) { return x > 0 ? 1.0 : 0.0; }}},
      {"leaky_relu",
       {[](double x, double a) { return x > 0 ? x : a * x; },
        [](double x, double a) { return x > 0 ? 1.0 : a; }}},
      {"softplus",
       {[](double x, double t) { return t * std::log(1 + std::exp(x / t)); },
        [](double x, double t) { return sigmoid_ref(x / t); }}},
      {"pow",
       {[](double x, double n) { return std::pow(x, n); },
        [](double x, double n) { return n * std::pow(x, n - 1); }}},
      {"neg", {[](double x, double) { return -x; }, [](double, double) { return -1.0; }}},
  };
  return table;
}

const std::map<std::string, BinaryReference>& binary_references() {
  static const std::map<std::string, BinaryReference> table = {
      {"pow",
       {[](double a, double b) { return std::exp(b * std::log(a)); },
        [](double a, double b) { return b * std::exp((b - 1) * std::log(a)); },
        [](double a, double b) { return std::exp(b * std::log(a)) * std::log(a); }}},
      {"atan2",
       {[](double y, double x) { return std::atan2(y, x); },
        [](double y, double x) { return x / (x * x + y * y); },
        [](double y, double x) { return -y / (x * x + y * y); }}},
      {"hypot",
       {[](double a, double b) { return std::sqrt(a * a + b * b); },
        [](double a, double b) { return a / std::sqrt(a * a + b * b); },
        [](double a, double b) { return b / std::sqrt(a * a + b * b); }}},
      {"min",
       {[](double a, double b) { return std::fmin(a, b); },
        [](double a, double b) { return a < b ? 1.0 : 0.0; },
        [](double a, double b) { return b < a ? 1.0 : 0.0; }}},
      {"max",
       {[](double a, double b) { return std::fmax(a, b); },
        [](double a, double b) { return a > b ? 1.0 : 0.0; },
        [](double a, double b) { return b > a ? 1.0 : 0.0; }}},
      {"logsumexp",
       {[](double a, double b) { return std::log(std::exp(a) + std::exp(b)); },
        [](double a, double b) { return std::exp(a) / (std::exp(a) + std::exp(b)); },
        [](double a, double b) { return std::exp(b) / (std::exp(a) + std::exp(b)); }}},
      {"xlogy",  // sampled where x log y is not 0 * inf
       {[](double x, double y) { return x * std::log(y); }, [](double, double y) { return std::log(y); },
        [](double x, double y) { return x / y; }}},
      {"xdivy",
       {[](double x, double y) { return x / y; }, [](double, double y) { return 1.0 / y; },
        [](double x, double y) { return -x / (y * y); }}},
      {"add",
       {[](double a, double b) { return a + b; }, [](double, double) { return 1.0; },
        [](double, double) { return 1.0; }}},
      {"sub",
       {[](double a, double b) { return a - b; }, [](double, double) { return 1.0; },
        [](double, double) { return -1.0; }}},
      {"mul",
       {[](double a, double b) { return a * b; }, [](double, double b) { return b; },
        [](double a, double) { return a; }}},
      {"div",
       {[](double a, double b) { return a / b; }, [](double, double b) { return 1.0 / b; },
        [](double a, double b) { return -a / (b * b); }}},
  };
  return table;
}

/// |a - b| / max(1, |b|)
double distance(double a, double b) { return std::fabs(a - b) / std::max(1.0, std::fabs(b)); }

template <class... Ops>
std::vector<std::string> names(PrimitiveList<Ops...>) {
  return {Ops::name...};
}

TEST(Registry, NamesAreUniqueAndNonEmpty) {
  for (const auto& list : {names(UnaryPrimitives{}), names(BinaryPrimitives{})}) {
    std::set<std::string> seen;
    for (const std::string& n : list) {
      EXPECT_FALSE(n.empty());
      EXPECT_TRUE(seen.insert(n).second) << "duplicate name " << n;
    }
  }
  [&]<class... Ops>(PrimitiveList<Ops...>) {
    ([] { EXPECT_GT(std::string(Ops::latex).size(), 0U) << Ops::name; }(), ...);
  }(UnaryPrimitives{});
}

/// Points of the sample range, its ends included.
template <class Op>
std::vector<double> range_points(int count) {
  std::vector<double> xs;
  for (int i = 0; i <= count; ++i) xs.push_back(Op::sample_lo + (Op::sample_hi - Op::sample_lo) * i / count);
  return xs;
}

/// The parameters a primitive is checked at.
template <class Op>
std::vector<double> parameters() {
  if constexpr (!Op::has_parameter) {
    return {0.0};
  } else if constexpr (std::is_same_v<Op, PowInt>) {
    return {Op::default_parameter, -3, -1, 0, 1, 5};
  } else {
    return {Op::default_parameter, 0.3, 2.5};
  }
}

template <class Op>
void check_unary_against_reference() {
  const auto& table = unary_references();
  const auto it = table.find(Op::name);
  ASSERT_NE(it, table.end()) << "no reference formula for the unary primitive " << Op::name
                             << " in tests/core/primitives_test.cpp";
  for (double p : parameters<Op>()) {
    for (double x : range_points<Op>(97)) {
      if (x == 0 && (std::is_same_v<Op, PowInt> || std::is_same_v<Op, Abs> || std::is_same_v<Op, Sign>))
        continue;
      ASSERT_TRUE(Op::in_domain(x, p)) << Op::name << " samples " << x << " outside its domain";
      const double y = Op::value(x, p);
      EXPECT_LE(distance(y, it->second.value(x, p)), 1e-13) << Op::name << "(" << x << "; " << p << ")";
      EXPECT_LE(distance(Op::derivative(x, y, p), it->second.derivative(x, p)), 1e-12)
          << Op::name << "'(" << x << "; " << p << ")";
    }
  }
}

template <class Op>
void check_binary_against_reference() {
  const auto& table = binary_references();
  const auto it = table.find(Op::name);
  ASSERT_NE(it, table.end()) << "no reference formula for the binary primitive " << Op::name
                             << " in tests/core/primitives_test.cpp";
  for (double a : range_points<Op>(23)) {
    for (double b : range_points<Op>(19)) {
      if (std::is_same_v<Op, Div> && b == 0) continue;
      if ((std::is_same_v<Op, Atan2> || std::is_same_v<Op, Hypot>)&&a == 0 && b == 0) continue;
      if ((std::is_same_v<Op, Min> || std::is_same_v<Op, Max>)&&a == b) continue;
      ASSERT_TRUE(Op::in_domain(a, b))
          << Op::name << " samples (" << a << ", " << b << ") outside its domain";
      const double y = Op::value(a, b);
      const std::string at = std::string(Op::name) + "(" + std::to_string(a) + ", " + std::to_string(b) + ")";
      EXPECT_LE(distance(y, it->second.value(a, b)), 1e-13) << at;
      EXPECT_LE(distance(Op::d_first(a, b, y), it->second.d_first(a, b)), 1e-12) << "d/da " << at;
      EXPECT_LE(distance(Op::d_second(a, b, y), it->second.d_second(a, b)), 1e-12) << "d/db " << at;
    }
  }
}

TEST(Registry, EveryUnaryFormulaMatchesAnIndependentReference) {
  [&]<class... Ops>(PrimitiveList<Ops...>) {
    (check_unary_against_reference<Ops>(), ...);
  }(UnaryPrimitives{});
}

TEST(Registry, EveryBinaryFormulaMatchesAnIndependentReference) {
  [&]<class... Ops>(PrimitiveList<Ops...>) {
    (check_binary_against_reference<Ops>(), ...);
  }(BinaryPrimitives{});
}

TEST(Registry, PassiveFunctionsAreTheRegistryOnDoubleAndFloat) {
#define NABLA_TEST_PASSIVE(fn, Op)                                            \
  for (double x : range_points<Op>(11)) {                                     \
    EXPECT_EQ(nabla::fn(x), Op::value(x, 0.0)) << #fn << "(" << x << ")";     \
    const float xf = static_cast<float>(x);                                   \
    static_assert(std::is_same_v<decltype(nabla::fn(xf)), float>);            \
    EXPECT_EQ(nabla::fn(xf), Op::value(xf, 0.0)) << #fn << "(" << xf << "f)"; \
  }
  NABLA_UNARY_FUNCTIONS(NABLA_TEST_PASSIVE)
#undef NABLA_TEST_PASSIVE
  EXPECT_EQ(nabla::pow(1.5, 2.5), Pow::value(1.5, 2.5));
  EXPECT_EQ(nabla::atan2(1.0, -2.0), Atan2::value(1.0, -2.0));
  EXPECT_EQ(nabla::hypot(3.0, 4.0), 5.0);
  EXPECT_EQ(nabla::min(3.0, 4.0), 3.0);
  EXPECT_EQ(nabla::max(3.0, 4.0), 4.0);
  EXPECT_EQ(nabla::logsumexp(0.5, 0.5), 0.5 + std::log(2.0));
  EXPECT_EQ(nabla::pow(-2.0, 3), -8.0);
  EXPECT_EQ(nabla::softplus(0.3, 0.5), Softplus::value(0.3, 0.5));
  EXPECT_EQ(nabla::leaky_relu(-2.0, 0.1), -0.2);
  EXPECT_EQ(nabla::leaky_relu(-2.0), -2.0 * LeakyRelu::default_parameter);
}

TEST(Registry, IntegerPowerIsExact) {
  EXPECT_EQ(integer_power(3.0, 5), 243.0);
  EXPECT_EQ(integer_power(-1.5, 3), -3.375);
  EXPECT_EQ(integer_power(2.0, -3), 0.125);
  EXPECT_EQ(integer_power(7.0, 0), 1.0);
  EXPECT_EQ(integer_power(0.0, 0), 1.0);
  EXPECT_EQ(integer_power(2.0, 62), 4611686018427387904.0);
  EXPECT_EQ(integer_power(0.0, -1), infinity);
  EXPECT_NEAR(integer_power(1.0000001, 1000), std::pow(1.0000001, 1000), 1e-14);
}

TEST(Registry, IsInteger) {
  EXPECT_TRUE(is_integer(3.0));
  EXPECT_TRUE(is_integer(-0.0));
  EXPECT_TRUE(is_integer(1e300));
  EXPECT_FALSE(is_integer(3.5));
  EXPECT_FALSE(is_integer(1.0 / 3.0));
  EXPECT_FALSE(is_integer(infinity));
  EXPECT_FALSE(is_integer(nan));
}

TEST(Registry, NoOverflowAtExtremeArguments) {
  EXPECT_EQ(Sigmoid::value(800.0, 0), 1.0);
  EXPECT_EQ(Sigmoid::value(-800.0, 0), 0.0);
  EXPECT_EQ(Sigmoid::derivative(-800.0, Sigmoid::value(-800.0, 0), 0), 0.0);
  EXPECT_EQ(Softplus::value(800.0, 1.0), 800.0);
  EXPECT_EQ(Softplus::value(-800.0, 1.0), 0.0);
  EXPECT_NEAR(Softplus::value(1.0, 0.01), 1.0, 1e-15);  // t -> 0: relu
  EXPECT_EQ(Softplus::derivative(800.0, 800.0, 1.0), 1.0);
  EXPECT_EQ(LogSumExp::value(1000.0, 1000.0), 1000.0 + std::log(2.0));
  EXPECT_NEAR(LogSumExp::value(-1000.0, -1001.0), -1000.0 + std::log1p(std::exp(-1.0)), 1e-12);
  // Regression: the partials were e^{a - y}, which loses the digits of y
  // where |y| is large (relative error 1e-8 at 1e8); sigmoid(a - b) does not.
  for (double a : {1000.0, -1e8, 1e8, 1e15}) {
    const double y = LogSumExp::value(a, a - 1.0);
    EXPECT_NEAR(LogSumExp::d_first(a, a - 1.0, y), sigmoid_ref(1.0), 1e-15) << a;
    EXPECT_NEAR(LogSumExp::d_second(a, a - 1.0, y), sigmoid_ref(-1.0), 1e-15) << a;
  }
  EXPECT_DOUBLE_EQ(Hypot::value(3e300, 4e300), 5e300);
  EXPECT_EQ(Expm1::value(1e-20, 0), 1e-20);
  EXPECT_EQ(Log1p::value(1e-20, 0), 1e-20);
}

}  // namespace
}  // namespace nabla::core

// Regression: abs(-0.0) was -0.0 (the value passed through unchanged).
TEST(Registry, AbsOfNegativeZeroIsPositiveZero) {
  EXPECT_FALSE(std::signbit(nabla::core::Abs::value(-0.0, 0.0)));
  EXPECT_FALSE(std::signbit(nabla::abs(-0.0)));
  EXPECT_EQ(nabla::core::Abs::value(-2.5, 0.0), 2.5);
  EXPECT_TRUE(std::isnan(nabla::core::Abs::value(std::nan(""), 0.0)));
}

// Regression: hypot's partials at an infinite argument were inf/inf = NaN;
// they are the limits of a/h (checked against the quotient at a huge but
// finite argument, where it is exact).
TEST(Registry, HypotPartialsAtInfinityAreTheirLimits) {
  using H = nabla::core::Hypot;
  const double inf = std::numeric_limits<double>::infinity();
  const double h = H::value(inf, 3.0);
  EXPECT_EQ(H::d_first(inf, 3.0, h), 1e300 / H::value(1e300, 3.0));
  EXPECT_EQ(H::d_first(-inf, 3.0, h), -1.0);
  EXPECT_EQ(H::d_second(inf, 3.0, h), 0.0);
  EXPECT_NEAR(H::d_first(inf, inf, h), 1e300 / H::value(1e300, 1e300), 1e-15);
  EXPECT_EQ(H::d_first(0.0, 0.0, 0.0), 0.0);
  EXPECT_EQ(H::d_first(3.0, 4.0, 5.0), 0.6);
}

namespace nabla::core {
namespace {

/// |a - b| / |b|, for references that are far from 1 in magnitude.
double relative(double a, long double b) {
  return static_cast<double>(std::fabs(static_cast<long double>(a) - b) / std::fabs(b));
}

// Regression: tanh' was 1 - tanh^2, which loses digits as tanh rounds towards
// +-1 (relative error 1e-8 at x = 10, and 0 instead of 1.7e-17 at x = 20).
TEST(Registry, TanhDerivativeIsAccurateForEveryX) {
  for (double x : {0.0, 0.3, -0.99, 1.0, -1.5, 3.0, 10.0, -20.0, 50.0, 300.0}) {
    const long double c = std::cosh(static_cast<long double>(x));
    EXPECT_LE(relative(Tanh::derivative(x, Tanh::value(x, 0), 0), 1 / (c * c)), 1e-15) << x;
  }
  EXPECT_EQ(Tanh::derivative(infinity, 1.0, 0), 0.0);
}

// Regression: sigmoid' was s (1 - s), which loses digits for x > 0 as s
// rounds towards 1 (relative error 1e-3 at x = 30, and 0 at x = 50).
TEST(Registry, SigmoidDerivativeIsAccurateAndSymmetric) {
  for (double x : {0.0, 0.5, 1.0, 2.0, 30.0, 50.0, 700.0}) {
    const long double e = std::exp(-static_cast<long double>(x));
    const long double reference = e / ((1 + e) * (1 + e));  // s(x) s(-x)
    EXPECT_LE(relative(Sigmoid::derivative(x, Sigmoid::value(x, 0), 0), reference), 1e-15) << x;
    EXPECT_LE(relative(Sigmoid::derivative(-x, Sigmoid::value(-x, 0), 0), reference), 1e-15) << -x;
  }
}

// Regression: asin', acos', atanh' used 1 - x^2 and acosh' x^2 - 1, which
// lose digits near +-1 (relative error 5e-13 at 1 - 2^-40).
TEST(Registry, InverseFunctionDerivativesAreAccurateNearOne) {
  for (int k : {10, 20, 30, 40, 50}) {
    for (double x : {1.0 - std::ldexp(1.0, -k), -1.0 + std::ldexp(1.0, -k)}) {
      const long double xl = x;
      const long double w = (1 - xl) * (1 + xl);  // exact in long double
      EXPECT_LE(relative(Asin::derivative(x, Asin::value(x, 0), 0), 1 / std::sqrt(w)), 4e-16) << x;
      EXPECT_LE(relative(Acos::derivative(x, Acos::value(x, 0), 0), -1 / std::sqrt(w)), 4e-16) << x;
      EXPECT_LE(relative(Atanh::derivative(x, Atanh::value(x, 0), 0), 1 / w), 4e-16) << x;
    }
    const double x = 1.0 + std::ldexp(1.0, -k);
    const long double xl = x;
    EXPECT_LE(relative(Acosh::derivative(x, Acosh::value(x, 0), 0), 1 / std::sqrt((xl - 1) * (xl + 1))),
              4e-16)
        << x;
  }
}

// Regression: asinh' and acosh' were 0 beyond |x| = 1.3e154, where x^2
// overflows (asinh'(1e155) is 1e-155).
TEST(Registry, InverseHyperbolicDerivativesDoNotOverflow) {
  for (double x : {1.5, 3.0, 1e10, 1e155, -1e155, 1e300, -1.7e308}) {
    const long double xl = x;
    EXPECT_LE(relative(Asinh::derivative(x, Asinh::value(x, 0), 0), 1 / std::sqrt(xl * xl + 1)), 1e-15) << x;
    if (x > 1) {
      EXPECT_LE(relative(Acosh::derivative(x, Acosh::value(x, 0), 0), 1 / std::sqrt(xl * xl - 1)), 1e-15)
          << x;
    }
  }
  EXPECT_EQ(Asinh::derivative(-infinity, -infinity, 0), 0.0);
  EXPECT_EQ(Acosh::derivative(infinity, infinity, 0), 0.0);
}

// Regression: atan2's partials formed x^2 + y^2, which underflows or
// overflows where the partials do not: d/dy atan2(y, 1e-200) at y = 1e-200
// was 0, not 5e199.
TEST(Registry, Atan2PartialsDoNotOverflowOrUnderflow) {
  const std::vector<std::pair<double, double>> points = {{1e-200, 1e-200}, {1e200, 1e200}, {-3e-300, 1e-301},
                                                         {1e300, -2e300},  {0.5, 1e-170},  {2.0, 3.0}};
  for (auto [y, x] : points) {
    const long double r2 = static_cast<long double>(x) * x + static_cast<long double>(y) * y;
    const double v = Atan2::value(y, x);
    EXPECT_LE(relative(Atan2::d_first(y, x, v), x / r2), 1e-15) << y << ", " << x;
    EXPECT_LE(relative(Atan2::d_second(y, x, v), -y / r2), 1e-15) << y << ", " << x;
  }
  EXPECT_EQ(Atan2::d_first(0.0, 0.0, 0.0), 0.0);  // documented: 0 at the origin
  EXPECT_EQ(Atan2::d_second(0.0, 0.0, 0.0), 0.0);
}

// Regression: integer_power negated n, which overflows for INT_MIN and
// recursed until the stack ran out; the derivative's n - 1 did so for
// INT_MIN + 1.
TEST(Registry, IntegerPowerOfIntMin) {
  const int n = std::numeric_limits<int>::min();
  for (double x : {2.0, 0.5, 1.0, -1.0, -2.0}) {
    EXPECT_EQ(nabla::pow(x, n), std::pow(x, static_cast<double>(n))) << x;
    EXPECT_EQ(nabla::pow(x, n + 1), std::pow(x, static_cast<double>(n + 1))) << x;
  }
  EXPECT_EQ(PowInt::derivative(2.0, 0.0, n), 0.0);             // n 2^(n-1) underflows
  EXPECT_EQ(PowInt::derivative(0.5, infinity, n), -infinity);  // n 2^(1-n) overflows
  EXPECT_EQ(PowInt::derivative(1.0, 1.0, n + 1), n + 1.0);     // n 1^(n-1) = n
  EXPECT_EQ(PowInt::derivative(1.0, 1.0, n), static_cast<double>(n));
}

// Regression: a negative integer power was 1 / x^|n|, so x^-1074 was 0 where
// x^1074 overflows although the result (2^-1074) is representable.
TEST(Registry, NegativeIntegerPowersStayRepresentable) {
  EXPECT_EQ(nabla::pow(2.0, -1074), std::pow(2.0, -1074.0));
  EXPECT_EQ(nabla::pow(2.0, -1074), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(nabla::pow(0.5, -1023), std::ldexp(1.0, 1023));
  EXPECT_EQ(nabla::pow(1e-200, -1), 1e200);
  EXPECT_EQ(nabla::pow(0.0, -3), infinity);
  EXPECT_EQ(nabla::pow(-0.0, -3), -infinity);  // as std::pow
}

// Regression: at -0.0 (inside the domain, equal to 0) these derivatives were
// -inf; the documented value at 0 is +inf.
TEST(Registry, DerivativesAtNegativeZeroAreTheDocumentedOnes) {
  EXPECT_EQ(Sqrt::derivative(-0.0, Sqrt::value(-0.0, 0), 0), infinity);
  EXPECT_EQ(Log::derivative(-0.0, Log::value(-0.0, 0), 0), infinity);
  EXPECT_EQ(Log2::derivative(-0.0, Log2::value(-0.0, 0), 0), infinity);
  EXPECT_EQ(Log10::derivative(-0.0, Log10::value(-0.0, 0), 0), infinity);
}

}  // namespace
}  // namespace nabla::core
