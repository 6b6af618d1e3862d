// The documented choices at kinks, poles and edges of the domain (each
// primitive's `kink` string in core/primitives.hpp), asserted in every AD mode
// of modes.hpp: forward with fixed and run-time lanes, reverse by hand and
// inside expression templates, and the gradient driver. Another test walks
// the registry and fails for a primitive whose `kink` string has no case
// here; the rest are regressions of bugs found at kinks and infinities.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "modes.hpp"

namespace nabla::test {
namespace {

using core::infinity;
using core::nan;

/// Exactly equal (infinities with their sign), both NaN, or within 1e-15.
bool matches(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= 1e-15 * std::max(1.0, std::fabs(b));
}

/// Op(x; p) has the given value and derivative in every AD mode.
template <class Op>
void expect_unary(double x, double p, double value, double d) {
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    Unary1 r{};
    ASSERT_NO_THROW(r = Mode::template unary<Op>(x, p)) << Op::name << " in " << Mode::name;
    EXPECT_PRED2(matches, r.value, value) << Op::name << "(" << x << "; " << p << ") in " << Mode::name;
    EXPECT_PRED2(matches, r.d, d) << Op::name << "'(" << x << "; " << p << ") in " << Mode::name;
  });
}

/// Op(a, b) has the given value and partials in every AD mode.
template <class Op>
void expect_binary(double a, double b, double value, double da, double db) {
  for_each_mode<AdModes>([&](auto mode) {
    using Mode = decltype(mode);
    Binary1 r{};
    ASSERT_NO_THROW(r = Mode::template binary<Op>(a, b)) << Op::name << " in " << Mode::name;
    const std::string at =
        std::string(Op::name) + "(" + std::to_string(a) + ", " + std::to_string(b) + ") in " + Mode::name;
    EXPECT_PRED2(matches, r.value, value) << at;
    EXPECT_PRED2(matches, r.da, da) << "d/da of " << at;
    EXPECT_PRED2(matches, r.db, db) << "d/db of " << at;
  });
}

/// One documented choice: a name for the test, the primitive, the check.
struct KinkCase {
  std::string label;
  int arity;
  std::string primitive;
  std::function<void()> check;
};

template <class Op>
KinkCase unary(std::string label, double x, double p, double value, double d) {
  return {std::move(label), 1, Op::name, [=] { expect_unary<Op>(x, p, value, d); }};
}
template <class Op>
KinkCase binary(std::string label, double a, double b, double value, double da, double db) {
  return {std::move(label), 2, Op::name, [=] { expect_binary<Op>(a, b, value, da, db); }};
}

const std::vector<KinkCase>& kink_cases() {
  using namespace core;
  const double half_pi = std::numbers::pi / 2;
  const double alpha = LeakyRelu::default_parameter;
  static const std::vector<KinkCase> cases = {
      unary<Sqrt>("sqrt_at_0", 0.0, 0, 0.0, infinity),      // sqrt'(0) = +inf
      unary<Cbrt>("cbrt_at_0", 0.0, 0, 0.0, infinity),      // cbrt'(0) = +inf
      unary<Log>("log_at_0", 0.0, 0, -infinity, infinity),  // log(0) = -inf, log'(0) = +inf
      unary<Log2>("log2_at_0", 0.0, 0, -infinity, infinity),
      unary<Log10>("log10_at_0", 0.0, 0, -infinity, infinity),
      unary<Log1p>("log1p_at_minus_1", -1.0, 0, -infinity, infinity),
      // -0.0 is 0: the same derivatives (regression: these were -inf)
      unary<Sqrt>("sqrt_at_minus_0", -0.0, 0, 0.0, infinity),
      unary<Log>("log_at_minus_0", -0.0, 0, -infinity, infinity),
      unary<Log2>("log2_at_minus_0", -0.0, 0, -infinity, infinity),
      unary<Log10>("log10_at_minus_0", -0.0, 0, -infinity, infinity),
      unary<Asin>("asin_at_1", 1.0, 0, half_pi, infinity),  // asin'(+-1) = +inf
      unary<Asin>("asin_at_minus_1", -1.0, 0, -half_pi, infinity),
      unary<Acos>("acos_at_1", 1.0, 0, 0.0, -infinity),  // acos'(+-1) = -inf
      unary<Acos>("acos_at_minus_1", -1.0, 0, std::numbers::pi, -infinity),
      unary<Acosh>("acosh_at_1", 1.0, 0, 0.0, infinity),       // acosh'(1) = +inf
      unary<Atanh>("atanh_at_1", 1.0, 0, infinity, infinity),  // atanh(+-1) = +-inf, atanh'(+-1) = +inf
      unary<Atanh>("atanh_at_minus_1", -1.0, 0, -infinity, infinity),
      unary<Abs>("abs_at_0", 0.0, 0, 0.0, 0.0),  // abs'(0) = 0
      unary<Abs>("abs_left", -2.5, 0, 2.5, -1.0),
      unary<Relu>("relu_at_0", 0.0, 0, 0.0, 0.0),  // relu'(0) = 0
      unary<Relu>("relu_left", -2.0, 0, 0.0, 0.0),
      unary<Relu>("relu_right", 2.0, 0, 2.0, 1.0),
      unary<LeakyRelu>("leaky_relu_at_0", 0.0, alpha, 0.0, alpha),  // leaky_relu'(0) = alpha
      unary<LeakyRelu>("leaky_relu_at_0_alpha_0_2", 0.0, 0.2, 0.0, 0.2),
      unary<LeakyRelu>("leaky_relu_left", -3.0, 0.25, -0.75, 0.25),
      unary<Sign>("sign_at_0", 0.0, 0, 0.0, 0.0),  // sign' = 0 everywhere, also at the jump
      unary<Sign>("sign_left", -0.5, 0, -1.0, 0.0),
      unary<Sign>("sign_right", 7.0, 0, 1.0, 0.0),
      // x^n at 0 with n < 0 is +inf; its derivative n x^(n-1) is infinite (-inf from the right)
      unary<PowInt>("pow_int_minus_1_at_0", 0.0, -1, infinity, -infinity),
      unary<PowInt>("pow_int_minus_2_at_0", 0.0, -2, infinity, -infinity),
      unary<PowInt>("pow_int_0_at_0", 0.0, 0, 1.0, 0.0),  // n >= 0: the polynomial, exact
      unary<PowInt>("pow_int_1_at_0", 0.0, 1, 0.0, 1.0),
      unary<PowInt>("pow_int_3_at_0", 0.0, 3, 0.0, 0.0),
      unary<PowInt>("pow_int_3_at_minus_2", -2.0, 3, -8.0, 12.0),
      // d/db a^b at a = 0 is 0 for b > 0; d/da = b 0^(b-1): 0, 1 or +inf
      binary<Pow>("pow_0_2", 0.0, 2.0, 0.0, 0.0, 0.0),
      binary<Pow>("pow_0_1", 0.0, 1.0, 0.0, 1.0, 0.0),
      binary<Pow>("pow_0_half", 0.0, 0.5, 0.0, infinity, 0.0),
      // a < 0 with an integer b: real value and d/da, but d/db is NaN
      binary<Pow>("pow_minus_2_3", -2.0, 3.0, -8.0, 12.0, nan),
      // 0^b for b < 0 is the pole +inf, integer b or not (regression: a
      // non-integer b was outside the domain, yet the value was +inf)
      binary<Pow>("pow_0_minus_half", 0.0, -0.5, infinity, -infinity, nan),
      binary<Pow>("pow_0_minus_2", 0.0, -2.0, infinity, -infinity, nan),
      binary<Atan2>("atan2_at_origin", 0.0, 0.0, 0.0, 0.0, 0.0),  // both partials are 0 at the origin
      // and their limit 0 where an argument is infinite (regression: NaN, from inf / inf)
      binary<Atan2>("atan2_x_inf", 1.0, infinity, 0.0, 0.0, 0.0),
      binary<Atan2>("atan2_x_minus_inf", 1.0, -infinity, std::numbers::pi, 0.0, 0.0),
      binary<Atan2>("atan2_y_inf", infinity, 1.0, std::numbers::pi / 2, 0.0, 0.0),
      binary<Atan2>("atan2_both_inf", infinity, infinity, std::numbers::pi / 4, 0.0, 0.0),
      binary<Atan2>("atan2_nan_and_inf", nan, infinity, nan, nan, nan),
      binary<Hypot>("hypot_at_origin", 0.0, 0.0, 0.0, 0.0, 0.0),
      // xlogy(0, y) = 0 also where log y is infinite, and constant along y
      binary<XLogY>("xlogy_0_0", 0.0, 0.0, 0.0, -infinity, 0.0),
      binary<XLogY>("xlogy_0_inf", 0.0, infinity, 0.0, infinity, 0.0),
      binary<XLogY>("xlogy_0_2", 0.0, 2.0, 0.0, std::numbers::ln2, 0.0),
      binary<XLogY>("xlogy_0_minus_1", 0.0, -1.0, nan, nan, nan),  // outside log's domain
      binary<XLogY>("xlogy_2_0", 2.0, 0.0, -infinity, -infinity, infinity),
      // xdivy(0, 0) = 0, not 0/0, and constant along y
      binary<XDivY>("xdivy_0_0", 0.0, 0.0, 0.0, infinity, 0.0),
      binary<XDivY>("xdivy_0_2", 0.0, 2.0, 0.0, 0.5, 0.0),
      binary<XDivY>("xdivy_3_0", 3.0, 0.0, infinity, infinity, -infinity),
      binary<Max>("max_tie", 1.5, 1.5, 1.5, 0.5, 0.5),  // at a tie each partial is 1/2
      binary<Min>("min_tie", 1.5, 1.5, 1.5, 0.5, 0.5),
      binary<Max>("max_no_tie", 1.0, 2.0, 2.0, 0.0, 1.0),
      binary<Min>("min_no_tie", 1.0, 2.0, 1.0, 1.0, 0.0),
      // logsumexp(-inf, -inf) = -inf with partials 1/2
      binary<LogSumExp>("logsumexp_both_minus_inf", -infinity, -infinity, -infinity, 0.5, 0.5),
      binary<LogSumExp>("logsumexp_one_minus_inf", -infinity, 2.0, 2.0, 0.0, 1.0),
      // +inf: the value is +inf, the infinite argument takes the whole weight,
      // split evenly at a tie (regression: these were NaN, from inf - inf)
      binary<LogSumExp>("logsumexp_first_plus_inf", infinity, 2.0, infinity, 1.0, 0.0),
      binary<LogSumExp>("logsumexp_second_plus_inf", 2.0, infinity, infinity, 0.0, 1.0),
      binary<LogSumExp>("logsumexp_both_plus_inf", infinity, infinity, infinity, 0.5, 0.5),
  };
  return cases;
}

void PrintTo(const KinkCase& c, std::ostream* os) { *os << c.label; }

class Kink : public ::testing::TestWithParam<KinkCase> {};

TEST_P(Kink, HoldsInEveryAdMode) { GetParam().check(); }

INSTANTIATE_TEST_SUITE_P(Documented, Kink, ::testing::ValuesIn(kink_cases()),
                         [](const ::testing::TestParamInfo<KinkCase>& kink) { return kink.param.label; });

TEST(Kinks, EveryDocumentedKinkIsTested) {
  std::set<std::pair<int, std::string>> covered;
  for (const KinkCase& c : kink_cases()) covered.insert({c.arity, c.primitive});
  auto check = [&](auto list, int arity) {
    [&]<class... Ops>(core::PrimitiveList<Ops...>) {
      (
          [&] {
            if (std::string(Ops::kink).empty()) return;
            EXPECT_TRUE(covered.count({arity, Ops::name}))
                << Ops::name << " documents a kink (\"" << Ops::kink << "\") that no case of "
                << "kink_cases() in tests/crosscheck/kinks_test.cpp asserts";
          }(),
          ...);
    }(list);
  };
  check(core::UnaryPrimitives{}, 1);
  check(core::BinaryPrimitives{}, 2);
}

TEST(Kinks, TiesOfOneVariableAddUp) {
  // max(x, x) and min(x, x) of ONE variable: the two halves add up to 1
  auto g = [](const auto& v) { return nabla::max(v[0], v[0]) + 2.0 * nabla::min(v[0], v[0]); };
  EXPECT_EQ(nabla::gradient(g, Eigen::VectorXd::Constant(1, 0.3))[0], 3.0);
  EXPECT_EQ(nabla::derivative([](auto x) { return nabla::max(x, x); }, 0.3), 1.0);
}

TEST(Kinks, InfinitePartialDoesNotPoisonOtherLanes) {
  // Regression: forward mode multiplied every lane by the partial, so an
  // infinite partial (sqrt'(0), d/da 0^0.5) turned a zero lane into 0 * inf =
  // NaN, and d/dy of sqrt(x) + y at x = 0 was NaN in forward mode but 1 in
  // reverse mode. Zero lanes now stay zero, as zero adjoints do in reverse().
  auto f = [](const auto& v) { return nabla::sqrt(v[0]) + v[1]; };
  const Eigen::Vector2d x(0.0, 1.0);
  const Eigen::MatrixXd jf = nabla::jacobian(f, x);  // n = 2 > m = 1: reverse
  const Eigen::VectorXd g = nabla::gradient(f, x);
  const Eigen::VectorXd jv = nabla::jvp(f, x, Eigen::Vector2d(0.0, 1.0));
  EXPECT_EQ(g[0], infinity);
  EXPECT_EQ(g[1], 1.0);
  EXPECT_EQ(jf(0, 1), 1.0);
  EXPECT_EQ(jv[0], 1.0);
  using D = Dual<double, 2>;
  const D y = nabla::sqrt(D::variable(0.0, 0)) + D::variable(1.0, 1);
  EXPECT_EQ(y.tangent(0), infinity);
  EXPECT_EQ(y.tangent(1), 1.0);
}

/// The gradient of f at x by forward mode with N lanes, ceil(n / N) passes.
template <int N, class F>
Eigen::VectorXd forward_gradient(F f, const Eigen::VectorXd& x) {
  using D = Dual<double, N>;
  const Eigen::Index n = x.size();
  Eigen::VectorXd g(n);
  for (Eigen::Index first = 0; first < n; first += N) {
    VectorX<D> xs(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index lane = i - first;
      xs[i] = lane >= 0 && lane < N ? D::variable(x[i], static_cast<std::size_t>(lane)) : D(x[i]);
    }
    const D y = f(xs);
    for (Eigen::Index k = 0; k < N && first + k < n; ++k)
      g[first + k] = y.tangent(static_cast<std::size_t>(k));
  }
  return g;
}

TEST(Kinks, InfinitePartialsLeaveZeroLanesZeroForEveryLaneCount) {
  // Forward mode works on pairs of lanes (and one lane left over for an odd
  // count), with the careful path for infinite partials in each: sqrt'(0) =
  // inf (unary), and for v1 / v2 at v2 = 0 both partials are infinite
  // (binary). The reverse gradient is the reference: a zero adjoint is skipped.
  auto f = [](const auto& v) {
    using T = std::decay_t<decltype(v[0])>;
    T s = nabla::sqrt(v[0]) + v[1] / v[2] + nabla::log(v[5]) * v[6];
    for (Eigen::Index k = 0; k < v.size(); ++k) s += static_cast<double>(k) * v[k];
    return s;
  };
  Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(17, 0.5, 2.5);
  x[0] = 0.0;  // sqrt'(0) = inf
  x[2] = 0.0;  // 1 / v2 and -v1 / v2^2 infinite
  x[5] = 0.0;  // log(0) = -inf: the partial of v5 * v6 in v6 is infinite
  const Eigen::VectorXd reference = nabla::gradient(f, x);
  EXPECT_EQ(reference[0], infinity);
  EXPECT_EQ(reference[3], 3.0);  // a lane that none of the infinities touches
  const std::vector<std::pair<std::string, Eigen::VectorXd>> forward = {
      {"1 lane", forward_gradient<1>(f, x)},
      {"2 lanes", forward_gradient<2>(f, x)},
      {"3 lanes", forward_gradient<3>(f, x)},
      {"8 lanes", forward_gradient<8>(f, x)},
      {"16 lanes", forward_gradient<16>(f, x)}};
  for (const auto& [label, g] : forward)
    for (Eigen::Index i = 0; i < x.size(); ++i)
      EXPECT_PRED2(matches, g[i], reference[i]) << label << ", component " << i;
}

TEST(Kinks, InfinitePartialDoesNotPoisonOtherLanesWhenNested) {
  // Regression: the same for Dual<Dual<double>>, where the zero lane is a
  // Dual(0) and an infinite partial a Dual(inf): their product was NaN, so
  // d/dy of f(x) + y at x where f' is infinite was NaN instead of 1.
  using I = Dual<double, 1>;
  using DD = Dual<I, 1>;
  const DD x(I::variable(0.0, 0));  // moves in the inner lane only
  const DD y(I(1.0), DD::Tangent{I(1.0)});
  const std::vector<std::pair<std::string, DD>> cases = {
      {"sqrt", nabla::sqrt(x) + y},
      {"log", nabla::log(x) + y},
      {"pow(x, 0.5)", nabla::pow(x, 0.5) + y},
      {"asin(x + 1)", nabla::asin(x + 1.0) + y},
      {"1 / x", 1.0 / x + y},
      {"x^-1", nabla::pow(x, -1) + y},
  };
  for (const auto& [label, r] : cases) {
    EXPECT_EQ(r.tangent(0).value(), 1.0) << label;
    EXPECT_EQ(r.tangent(0).tangent(0), 0.0) << label;
  }
}

TEST(Kinks, NanArgumentsAreNanInEveryLaneWhenNested) {
  // Regression: Dual<Dual<double>> at NaN gave the inner lane of the value a
  // finite derivative where a primitive branches and returns its argument
  // (1 for relu, sign, max, min; 0.1 for leaky_relu), while every other mode
  // gives NaN.
  using I = Dual<double, 1>;
  using DD = Dual<I, 1>;
  const DD x(I::variable(nan, 0), DD::Tangent{I(1.0)});
  const std::vector<std::pair<std::string, DD>> cases = {
      {"abs", nabla::abs(x)},
      {"relu", nabla::relu(x)},
      {"sign", nabla::sign(x)},
      {"leaky_relu", nabla::leaky_relu(x, 0.1)},
      {"max(x, 1)", nabla::max(x, 1.0)},
      {"min(x, 1)", nabla::min(x, 1.0)},
      {"max(1, x)", nabla::max(1.0, x)},
      {"max(x, x)", nabla::max(x, x)},
  };
  for (const auto& [label, r] : cases) {
    EXPECT_TRUE(std::isnan(r.value().value())) << label;
    EXPECT_TRUE(std::isnan(r.value().tangent(0))) << label;
    EXPECT_TRUE(std::isnan(r.tangent(0).value())) << label;
  }
}

}  // namespace
}  // namespace nabla::test
