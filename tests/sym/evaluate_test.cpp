// Evaluation, compilation to a Program (against the AD drivers on the same
// formula written in C++), and simplify's rewrites.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <tuple>

#include "nabla/nabla.hpp"
#include "sample_function.hpp"

namespace nabla::sym {
namespace {

const Expr x = symbol("x");
const Expr y = symbol("y");

Expr n(long long v) { return Expr(v); }

TEST(Evaluate, ValuesAndErrors) {
  EXPECT_DOUBLE_EQ(evaluate(pow(x, n(2)) * y + exp(x * y), {{"x", 1.0}, {"y", 2.0}}), 2 + std::exp(2.0));
  EXPECT_DOUBLE_EQ(evaluate(rational(1, 3) * pi(), {}), std::numbers::pi / 3);
  try {
    evaluate(x + y, {{"x", 1.0}});
    FAIL() << "expected DomainError";
  } catch (const DomainError& err) {
    EXPECT_NE(std::string(err.what()).find("'y'"), std::string::npos) << err.what();
  }
  EXPECT_TRUE(std::isnan(evaluate(log(x), {{"x", -1.0}})));  // outside the domain: NaN
  EXPECT_TRUE(std::isnan(evaluate(sqrt(x), {{"x", -1.0}})));
  EXPECT_EQ(evaluate(log(x), {{"x", 0.0}}), -std::numeric_limits<double>::infinity());
  const auto both = evaluate(std::vector<Expr>{x + y, x * y}, {{"x", 2.0}, {"y", 3.0}});
  EXPECT_EQ(both, (std::vector<double>{5.0, 6.0}));
}

TEST(Evaluate, OddExponentsBeyondDoublesKeepTheirSign) {
  // 2^53 + 1 is odd, but as a double it is 2^53, even: (-1)^n came out 1
  const double inf = std::numeric_limits<double>::infinity();
  for (const auto& [text, at, expected] :
       {std::tuple{"x^9007199254740993", -1.0, -1.0}, std::tuple{"x^9007199254740993", -1.001, -inf},
        std::tuple{"x^(-9007199254740993)", -1.0, -1.0}, std::tuple{"x^9223372036854775807", -1.0, -1.0},
        std::tuple{"x^9007199254740994", -1.0, 1.0}}) {
    const Expr e = parse(text);
    EXPECT_EQ(evaluate(e, {{"x", at}}), expected) << text;
    EXPECT_EQ(compile(e, {"x"})(Eigen::VectorXd::Constant(1, at)), expected) << text;
  }
  EXPECT_EQ(evaluate(diff(parse("x^9007199254740994"), x), {{"x", -1.0}}), -9007199254740994.0);
}

using testing::f_cpp;
using testing::f_symbolic;

TEST(Evaluate, QuotientsRoundOnceAndZeroKeepsItsSign) {
  // x / y is x * y^-1 in canonical form; it must still be one division:
  // 49 * (1/49) is 0.99999999999999989, and (-2)^that is NaN
  const Bindings at{{"x", 49.0}, {"y", 49.0}};
  for (int k = 1; k <= 1000; ++k) {
    const Bindings same{{"x", double(k)}, {"y", double(k)}};
    ASSERT_EQ(evaluate(parse("x/y"), same), 1.0) << k;
  }
  EXPECT_EQ(evaluate(parse("(-2)^(x/y)"), at), -2.0);
  EXPECT_EQ(compile(parse("(-2)^(x/y)"), {"x", "y"})(Eigen::Vector2d(49.0, 49.0)), -2.0);
  EXPECT_EQ(evaluate(parse("3*x/(y*z)"), {{"x", 1.0}, {"y", 3.0}, {"z", 7.0}}), 3.0 / 21.0);
  // a sum of negative zeros is -0.0 (the sum started from +0.0 made it +0.0)
  const Bindings zero{{"x", 0.0}, {"y", 0.0}};
  EXPECT_EQ(evaluate(parse("1/(-x - y)"), zero), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(compile(parse("1/(-x - y)"), {"x", "y"})(Eigen::Vector2d(0.0, 0.0)),
            -std::numeric_limits<double>::infinity());
}

TEST(Compile, AgreesWithTheAdDrivers) {
  const Program p = compile(f_symbolic(), {"x", "y"});
  auto f = [](const auto& v) { return f_cpp(v); };
  for (const Eigen::Vector2d& at : {Eigen::Vector2d(0.7, -1.3), Eigen::Vector2d(-2.0, 0.4)}) {
    EXPECT_NEAR(p(at), f_cpp(at), 1e-12 * std::fabs(f_cpp(at)));
    const Eigen::VectorXd g = p.gradient(at);
    const Eigen::VectorXd g_ad = nabla::gradient(f, Eigen::VectorXd(at));
    EXPECT_LE((g - g_ad).norm(), 1e-12 * std::max(1.0, g_ad.norm()));
    const Eigen::MatrixXd h = p.hessian(at);
    const Eigen::MatrixXd h_ad = nabla::hessian(f, Eigen::VectorXd(at));
    EXPECT_LE((h - h_ad).norm(), 1e-12 * std::max(1.0, h_ad.norm()));
    // and the symbolic gradient, evaluated, agrees too
    const auto gs = gradient(f_symbolic(), {"x", "y"});
    const Bindings b{{"x", at[0]}, {"y", at[1]}};
    EXPECT_NEAR(evaluate(gs[0], b), g_ad[0], 1e-12 * std::max(1.0, std::fabs(g_ad[0])));
    EXPECT_NEAR(evaluate(gs[1], b), g_ad[1], 1e-12 * std::max(1.0, std::fabs(g_ad[1])));
  }
}

TEST(Compile, DerivativesAtThePoleOfANegativePower) {
  // At x = 0 the derivatives of c x^-n are infinities; the Program must give
  // those of symbolic diff (evaluated), not 0 * inf = NaN from c / x^n.
  const Bindings at{{"x", 0.0}, {"y", 1.0}};
  const Eigen::Vector2d point(0.0, 1.0);
  for (const char* text : {"x^-3 + y", "x^-2 + y", "2*x^-3 + y", "-x^-2 + y", "x^-1*3 + y"}) {
    const Expr e = parse(text);
    const Program p = compile(e, {"x", "y"});
    const Expr dx = diff(e, x);
    const double g = evaluate(dx, at), h = evaluate(diff(dx, x), at);
    ASSERT_TRUE(std::isinf(g) && std::isinf(h)) << text;
    EXPECT_EQ(p.gradient(point)[0], g) << text;
    EXPECT_EQ(p.gradient(point)[1], 1.0) << text;
    EXPECT_EQ(p.hessian(point)(0, 0), h) << text;
  }
  // inside a product too (y / x^3 gave 0 * inf = NaN for d/dx)
  for (const char* text : {"y*x^-3", "-2*y*x^-2", "y^2*x^-1", "(y + 1)*x^-4"}) {
    const Expr e = parse(text);
    const Program p = compile(e, {"x", "y"});
    const Eigen::VectorXd g = p.gradient(point);
    EXPECT_EQ(g[0], evaluate(diff(e, x), at)) << text;
    EXPECT_EQ(g[1], evaluate(diff(e, y), at)) << text;
    EXPECT_TRUE(std::isinf(g[0])) << text;
  }
  // and the AD drivers on the same formula agree
  auto f = [](const auto& v) {
    using std::pow;
    return pow(v[0], -3) + v[1];
  };
  EXPECT_EQ(compile(parse("x^-3 + y"), {"x", "y"}).gradient(point)[0],
            nabla::gradient(f, Eigen::VectorXd(point))[0]);
  EXPECT_EQ(compile(parse("x^-3 + y"), {"x", "y"}).hessian(point)(0, 0),
            nabla::hessian(f, Eigen::VectorXd(point))(0, 0));
}

TEST(Compile, SharesCommonSubexpressions) {
  Expr e = x;
  for (int i = 0; i < 6; ++i) e = sin(e) * cos(e) + pow(e, n(2));
  const Program p = compile(e, {x});
  EXPECT_LE(p.size(), dag_size(e));  // each node at most one instruction here
  double v = 0.3;
  for (int i = 0; i < 6; ++i) v = std::sin(v) * std::cos(v) + v * v;
  EXPECT_NEAR(p(Eigen::VectorXd::Constant(1, 0.3)), v, 1e-14);
  // several outputs, one program
  const Program q = compile(std::vector<Expr>{x * y, x + y, x / y - n(2) * y}, {"x", "y"});
  EXPECT_EQ(q.outputs(), 3u);
  const Eigen::VectorXd vals = q.values(Eigen::Vector2d(3.0, 2.0));
  EXPECT_DOUBLE_EQ(vals[0], 6.0);
  EXPECT_DOUBLE_EQ(vals[1], 5.0);
  EXPECT_DOUBLE_EQ(vals[2], -2.5);
  EXPECT_THROW(compile(x + y, {"x"}), DomainError);
}

TEST(Compile, PiecewiseAndParameters) {
  const Expr e = relu(x) + leaky_relu(y, 0.2) + softplus(x * y, 2.0) + min(x, y) + abs(x - y);
  const Program p = compile(e, {"x", "y"});
  const Eigen::Vector2d at(0.8, -0.6);
  const Bindings b{{"x", at[0]}, {"y", at[1]}};
  EXPECT_NEAR(p(at), evaluate(e, b), 1e-14);
  const auto g = gradient(e, {"x", "y"});
  EXPECT_NEAR(p.gradient(at)[0], evaluate(g[0], b), 1e-14);
  EXPECT_NEAR(p.gradient(at)[1], evaluate(g[1], b), 1e-14);
}

TEST(Simplify, ExactValuesAndIdentities) {
  EXPECT_EQ(simplify(sin(n(0))), n(0));
  EXPECT_EQ(simplify(cos(n(0)) + exp(n(0)) + log(n(1))), n(2));
  EXPECT_EQ(simplify(log(e())), n(1));
  EXPECT_EQ(simplify(sqrt(n(4)) * x), n(2) * x);
  EXPECT_EQ(simplify(sqrt(rational(9, 4))), rational(3, 2));
  EXPECT_EQ(simplify(cbrt(n(-8))), n(-2));
  EXPECT_EQ(simplify(log2(n(8))), n(3));
  EXPECT_EQ(simplify(log10(n(1000))), n(3));
  EXPECT_EQ(simplify(sigmoid(n(0))), rational(1, 2));
  EXPECT_EQ(simplify(sin(pi()) + cos(pi())), n(-1));
  EXPECT_EQ(simplify(sqrt(pow(x, n(2)))), abs(x));
  EXPECT_EQ(simplify(pow(sqrt(x), n(2))), x);
  EXPECT_EQ(simplify(exp(log(x))), x);
  EXPECT_EQ(simplify(abs(abs(x))), abs(x));
  EXPECT_EQ(simplify(abs(n(-3)) + sign(n(-2)) + relu(n(-5)) + max(n(2), n(7))), n(9));
  EXPECT_EQ(simplify(sin(x * n(0) + x)), sin(x));
  EXPECT_EQ(simplify(sqrt(n(2))), sqrt(n(2)));  // irrational: stays
  EXPECT_EQ(simplify(sin(pow(x, n(0)) * n(0))), n(0));
  // exact coefficients distribute so that like terms meet (Rosenbrock's Hessian)
  const Expr a = symbol("a"), b = symbol("b");
  const Expr rosenbrock = n(100) * pow(b - pow(a, n(2)), n(2)) + pow(n(1) - a, n(2));
  EXPECT_EQ(to_string(simplify(hessian(rosenbrock, {a, b})[0][0])), "1200*a^2 - 400*b + 2");
  // simplify of a derivative
  EXPECT_EQ(simplify(diff(sin(x) * exp(x), x)), exp(x) * sin(x) + exp(x) * cos(x));
}

TEST(Evaluate, AHalfPowerIsTheSquareRootCompileTakes) {
  // log(x)^(1/2) at 0: evaluate's pow(-inf, 0.5) was +inf, compile's and the
  // C output's sqrt(-inf) NaN
  const Expr f = pow(log(x), rational(1, 2));
  EXPECT_TRUE(std::isnan(evaluate(f, {{"x", 0.0}})));
  EXPECT_TRUE(std::isnan(compile(f, {"x"})(Eigen::VectorXd::Zero(1))));
  EXPECT_EQ(evaluate(f, {{"x", std::exp(4.0)}}), 2.0);
}

TEST(Evaluate, ChainedDivisionsDivideOneAfterAnother) {
  // x/y/z was x/(y*z): inf at (1e-300, 1e-200, 1e-200) where it is 1e100
  // (y z underflows), 0 at (1e300, 1e300, 1e300) where it is 1e-300
  const Expr z = symbol("z");
  const Expr f = x / y / z;
  const Program p = compile(f, {"x", "y", "z"});
  for (const auto& [at, expected] : {std::pair{Eigen::Vector3d(1e-300, 1e-200, 1e-200), 1e100},
                                     std::pair{Eigen::Vector3d(1e300, 1e300, 1e300), 1e-300}}) {
    const double value = evaluate(f, {{"x", at[0]}, {"y", at[1]}, {"z", at[2]}});
    EXPECT_NEAR(value, expected, 1e-15 * expected) << at.transpose();
    EXPECT_EQ(p(at), value) << at.transpose();
  }
}

TEST(Compile, LargeIntegerPowersKeepTheirDigits) {
  // x^n by repeated squaring doubles the relative error at each squaring:
  // x^536870911 at 1.000000001 was 4e-9 off, x^360 at 1.005 by 70 ulps.
  for (const auto& [n, at] : {std::pair{536870911LL, 1.000000001}, std::pair{360LL, 1.005},
                              std::pair{-360LL, 1.005}, std::pair{7LL, -1.1}}) {
    const Expr f = pow(x, Expr(n));
    const long double exact = std::pow(static_cast<long double>(at), static_cast<long double>(n));
    const double compiled = compile(f, {"x"})(Eigen::VectorXd::Constant(1, at));
    EXPECT_NEAR(compiled, static_cast<double>(exact), 4e-16 * std::fabs(static_cast<double>(exact))) << n;
    EXPECT_EQ(compiled, evaluate(f, {{"x", at}})) << n;
  }
}

TEST(Simplify, DistributesOnlyWhereTheProductsOfNumbersExist) {
  // 2 * (1e308 x + y) would need 2e308: simplify refused the input ("number
  // out of range"), which evaluate takes; likewise 1e-308 from (3e-308 x + y)/3.
  const Expr big = n(2) * (Expr(1e308) * x + y);
  EXPECT_EQ(simplify(big), big);
  const Expr small = (Expr(3e-308) * x + y) / n(3);
  EXPECT_EQ(simplify(small), small);
  EXPECT_DOUBLE_EQ(evaluate(simplify(big), {{"x", 1e-300}, {"y", 1.0}}), 2 * (1e8 + 1));
  EXPECT_EQ(to_string(simplify(n(2) * (Expr(1e307) * x + y))), "2e+307*x + 2*y");  // exists: distributed
}

}  // namespace
}  // namespace nabla::sym
