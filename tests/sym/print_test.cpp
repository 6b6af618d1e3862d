// Printing: the issue's exact derivative outputs, minimal parentheses, human
// order, numbers, LaTeX and C; and print -> parse is the identity when the
// parser is there.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "nabla/sym/sym.hpp"

namespace nabla::sym {
namespace {

const Expr x = symbol("x");
const Expr y = symbol("y");

Expr n(long long v) { return Expr(v); }

TEST(Print, IssueDerivatives) {
  EXPECT_EQ(to_string(diff(pow(x, n(4)) - n(4) * pow(x, n(3)) + n(4) * pow(x, n(2)), "x")),
            "4*x^3 - 12*x^2 + 8*x");
  EXPECT_EQ(to_string(diff(sin(n(3) * pow(x, n(2)) + n(2)), "x")), "6*x*cos(3*x^2 + 2)");
  EXPECT_EQ(to_string(diff(pow(pow(x, n(2)) + n(1), n(3)), "x")), "6*x*(x^2 + 1)^2");
}

TEST(Print, MinimalParentheses) {
  EXPECT_EQ(to_string(-pow(x, n(2))), "-x^2");
  EXPECT_EQ(to_string(pow(-x, n(3))), "-x^3");
  EXPECT_EQ(to_string(pow(x + y, n(2))), "(x + y)^2");
  EXPECT_EQ(to_string(pow(x, pow(y, n(2)))), "x^y^2");
  EXPECT_EQ(to_string(pow(pow(x, y), rational(1, 2))), "(x^y)^(1/2)");
  EXPECT_EQ(to_string(pow(x, rational(1, 3))), "x^(1/3)");
  EXPECT_EQ(to_string(pow(x, n(-1))), "1/x");
  EXPECT_EQ(to_string(n(2) * x / (n(3) * y)), "2*x/(3*y)");
  EXPECT_EQ(to_string(x / (x + y)), "x/(x + y)");
  EXPECT_EQ(to_string(n(2) * (x + n(1))), "2*(x + 1)");
  EXPECT_EQ(to_string(n(1) / (n(3) * (x + n(1)))), "1/(3*(x + 1))");
  EXPECT_EQ(to_string(x - y), "x - y");
  EXPECT_EQ(to_string(x - n(2) * y), "x - 2*y");
  EXPECT_EQ(to_string(y - x), "-x + y");
  EXPECT_EQ(to_string(x * (y + n(1))), "x*(y + 1)");
  EXPECT_EQ(to_string(x - rational(1, 3)), "x - 1/3");
  EXPECT_EQ(to_string(x * rational(-1, 3)), "-x/3");
  EXPECT_EQ(to_string(sin(x) / pow(x, n(2))), "sin(x)/x^2");
  EXPECT_EQ(to_string(pow(n(2), x)), "2^x");
  EXPECT_EQ(to_string(pow(rational(1, 2), x)), "(1/2)^x");
  EXPECT_EQ(to_string(pow(pi(), x) + e()), "pi^x + e");
  EXPECT_EQ(to_string(atan2(y, x - n(1))), "atan2(y, x - 1)");
}

TEST(Print, PolynomialsByDescendingDegree) {
  EXPECT_EQ(to_string(n(1) + x + pow(x, n(3)) + pow(x, n(2))), "x^3 + x^2 + x + 1");
  EXPECT_EQ(to_string(pow(y, n(2)) + x * y + pow(x, n(2))), "x^2 + x*y + y^2");
  EXPECT_EQ(to_string(n(5) - pow(x, n(2))), "-x^2 + 5");
  EXPECT_EQ(to_string(sin(x) + x), "x + sin(x)");
}

TEST(Print, Numbers) {
  EXPECT_EQ(to_string(Expr(2.0)), "2.0");
  EXPECT_EQ(to_string(Expr(0.1)), "0.1");
  EXPECT_EQ(to_string(Expr(1e100)), "1e+100");
  EXPECT_EQ(to_string(Expr(-2.5) * x), "-2.5*x");
  EXPECT_EQ(to_string(Expr(1.0 / 3.0)), "0.3333333333333333");
  EXPECT_EQ(to_string(rational(-7, 2)), "-7/2");
  EXPECT_EQ(to_string(Expr(2.5) * x / y), "2.5*x/y");
  EXPECT_EQ(to_string(pow(x, Expr(-2.5))), "x^(-2.5)");
  EXPECT_EQ(format_double(std::nan("")), "nan");
}

TEST(Print, Parameters) {
  EXPECT_EQ(to_string(softplus(x)), "softplus(x)");
  EXPECT_EQ(to_string(softplus(x, 2.0)), "softplus(x, 2.0)");
  EXPECT_EQ(to_string(leaky_relu(x, 0.2)), "leaky_relu(x, 0.2)");
}

TEST(Print, Latex) {
  EXPECT_EQ(to_latex(sin(x) / pow(x, n(2))), "\\frac{\\sin\\left(x\\right)}{x^{2}}");
  EXPECT_EQ(to_latex(sqrt(x + n(1))), "\\sqrt{x + 1}");
  EXPECT_EQ(to_latex(n(4) * pow(x, n(3)) - n(12) * pow(x, n(2))), "4 x^{3} - 12 x^{2}");
  EXPECT_EQ(to_latex(pow(x + n(1), n(2))), "\\left(x + 1\\right)^{2}");
  EXPECT_EQ(to_latex(rational(1, 3) * pi()), "\\frac{\\pi}{3}");
  // a fraction as a base is grouped, as a negative one was (2/3^x read as \frac{2}{3}^{x})
  EXPECT_EQ(to_latex(pow(rational(2, 3), x)), "\\left(\\frac{2}{3}\\right)^{x}");
  EXPECT_EQ(to_latex(pow(rational(-1, 2), x)), "\\left(-\\frac{1}{2}\\right)^{x}");
  EXPECT_EQ(to_latex(abs(x)), "\\left|x\\right|");
  // Doubles in powers of ten, not C's 1e-20 (which renders as a subtraction).
  EXPECT_EQ(to_latex(Expr(1e-20) * x), "10^{-20} x");
  EXPECT_EQ(to_latex(Expr(2.5e100) * x), "2.5 \\cdot 10^{100} x");
  EXPECT_EQ(to_latex(pow(Expr(1e-5), x)), "\\left(10^{-5}\\right)^{x}");
  EXPECT_EQ(to_latex(Expr(0.5) * x), "0.5 x");
}

TEST(Print, LatexSymbolNames) {
  auto tex = [](const char* name) { return to_latex(symbol(name)); };
  EXPECT_EQ(tex("x"), "x");
  EXPECT_EQ(tex("rate"), "\\mathrm{rate}");
  EXPECT_EQ(tex("alpha"), "\\alpha");
  EXPECT_EQ(tex("Omega"), "\\Omega");
  EXPECT_EQ(tex("w_1"), "w_{1}");
  EXPECT_EQ(tex("x12"), "x_{12}");
  EXPECT_EQ(tex("alpha_t"), "\\alpha_{t}");
  EXPECT_EQ(tex("theta_max"), "\\theta_{\\mathrm{max}}");
  EXPECT_EQ(tex("lr0_beta"), "\\mathrm{lr0}_{\\beta}");
  // Two subscripts in a row are a LaTeX error (a_b_c printed as \mathrm{a_b_c}).
  EXPECT_EQ(tex("a_b_c"), "a_{b,c}");
  // An underscore that starts no subscript is one.
  EXPECT_EQ(tex("x_"), "\\mathrm{x\\_}");
  EXPECT_EQ(tex("_"), "\\mathrm{\\_}");
  EXPECT_EQ(tex("__a"), "\\mathrm{\\_\\_a}");
  EXPECT_EQ(tex("a__b"), "\\mathrm{a\\_\\_b}");
  EXPECT_EQ(to_latex(pow(symbol("w_1"), n(2)) * symbol("alpha")), "\\alpha w_{1}^{2}");
  // Regression: x1 and x_1 were both x_{1}, x1 + x_1 read as 2 x_1. Beside a
  // symbol its subscript would read as, a name's digits stay in the name.
  EXPECT_EQ(to_latex(symbol("x1") + symbol("x_1")), "\\mathrm{x1} + x_{1}");
  EXPECT_EQ(to_latex(symbol("alpha2") * symbol("alpha_2") + symbol("x3")),
            "\\mathrm{alpha2} \\alpha_{2} + x_{3}");
  EXPECT_EQ(to_latex(pow(symbol("w12"), symbol("w_12"))), "\\mathrm{w12}^{w_{12}}");
  // sigma times (x + 1) beside the sigmoid of x + 1: both printed \sigma (x + 1)
  const Expr sigma = symbol("sigma");
  EXPECT_EQ(to_latex(sigma * (x + n(1))), "\\sigma \\left(x + 1\\right)");
  EXPECT_EQ(to_latex(sigma * (x + n(1)) + sigmoid(x + n(1))),
            "\\mathrm{sigma} \\left(x + 1\\right) + \\sigma\\left(x + 1\\right)");
}

TEST(Print, CWithCommonSubexpressions) {
  const Expr u = x + y;
  const Expr f = sin(u) * cos(u) + pow(u, n(2));
  const std::string c = to_c(f);
  EXPECT_EQ(c, "const double t0 = x + y;\nreturn t0*t0 + sin(t0)*cos(t0);\n");
  EXPECT_EQ(to_c(x / n(3)), "return x/3.0;\n");
  EXPECT_EQ(to_c(rational(1, 3) + pi() * x), "return 3.141592653589793*x + 1.0/3.0;\n");
  // divisors one after another, as evaluate and compile divide: x/(y*z)
  // overflowed in y*z where the quotient exists
  const Expr z = symbol("z");
  EXPECT_EQ(to_c(x / y / z), "return x/y/z;\n");
  EXPECT_EQ(to_c(x / (n(2) * pow(y, n(2)))), "return x/(2.0*y*y);\n");
  EXPECT_EQ(to_c(x / (n(3) * y * z)), "return x/(3.0*y)/z;\n");
  EXPECT_EQ(to_string(x / y / z), "x/(y*z)");  // the text keeps the usual form
}

TEST(Print, CNamesNeverCollide) {
  // A temporary skips the names of the symbols and of the parameters.
  const Expr t0 = symbol("t0"), t1 = symbol("t1");
  const Expr u = t0 * x;
  EXPECT_EQ(to_c(exp(u) * sin(u) + exp(u) * cos(u)).find("const double t0"), std::string::npos);
  EXPECT_EQ(to_c(pow(sin(x), n(2)), {"t0", "x"}), "const double t1 = sin(x);\nreturn t1*t1;\n");
  EXPECT_EQ(to_c(pow(sin(t1), n(2)), {"t0"}), "const double t2 = sin(t1);\nreturn t2*t2;\n");
  // Keywords and <math.h> names get a '_': C could not declare them.
  EXPECT_EQ(to_c(abs(symbol("fabs")) + symbol("double") * symbol("NAN")),
            "return NAN_*double_ + fabs(fabs_);\n");
  EXPECT_EQ(c_identifier("x"), "x");
  EXPECT_EQ(c_identifier("errno"), "errno_");
  // and the compiler's macros: GNU C's unix, the names reserved to it
  EXPECT_EQ(c_identifier("unix"), "unix_");
  EXPECT_EQ(c_identifier("__STDC__"), "__STDC___");
  EXPECT_EQ(c_identifier("_Float64"), "_Float64_");
  // ... and so does a reserved name already followed by '_', so that two
  // symbols never share a spelling
  EXPECT_EQ(to_c(symbol("double") - symbol("double_")), "return double_ - double__;\n");
  EXPECT_EQ(c_identifier("double__"), "double___");
  EXPECT_EQ(c_identifier("x_"), "x_");
  EXPECT_EQ(c_identifier("_"), "_");
  std::set<std::string> spellings;
  for (const char* name : {"sin", "sin_", "sin__", "sin___", "sin_x", "_sin", "x", "x_"})
    EXPECT_TRUE(spellings.insert(c_identifier(name)).second) << name;
}

TEST(Print, CMultipliesInTheOrderEvaluateDoes) {
  // y^2 as y*y after another factor is parenthesized: 2*y*y is (2 y) y in C,
  // which rounds (and overflows) differently from evaluate's 2 (y^2).
  EXPECT_EQ(to_c(n(2) * pow(y, n(2))), "return 2.0*(y*y);\n");
  EXPECT_EQ(to_c(pow(y, n(2))), "return y*y;\n");
}

TEST(Print, CComputesARepeatedArgumentOnce) {
  // The C forms of relu, sign, softplus, logsumexp and ^2 name their argument
  // more than once; a compound argument becomes one temporary.
  EXPECT_EQ(to_c(relu(x + y)), "const double t0 = x + y;\nreturn ((t0) > 0 || (t0) != (t0) ? (t0) : 0.0);\n");
  EXPECT_EQ(to_c(pow(sin(x), n(2))), "const double t0 = sin(x);\nreturn t0*t0;\n");
  EXPECT_EQ(to_c(relu(x)), "return ((x) > 0 || (x) != (x) ? (x) : 0.0);\n");
  // sign(-0) is +0, as the registry's (0.0*x gave -0: 1/sign(x) was -inf in C)
  EXPECT_EQ(to_c(sign(x)), "return ((x) > 0 ? 1.0 : ((x) < 0 ? -1.0 : ((x) == 0 ? 0.0 : (x))));\n");
  // min and max as the registry: a NaN argument wins (fmin/fmax would drop it)
  EXPECT_EQ(to_c(min(x, y)), "return ((y) < (x) || (y) != (y) ? (y) : (x));\n");
  EXPECT_EQ(to_c(max(x, y)), "return ((x) < (y) || (y) != (y) ? (y) : (x));\n");
  for (const Expr& f : {sign(x * y), softplus(exp(x), 2.0), logsumexp(x * y, y), leaky_relu(x - y, 0.1),
                        min(x * y, y), max(y, x * y)}) {
    const std::string c = to_c(f);
    EXPECT_EQ(c.find("const double t1"), std::string::npos) << c;
    EXPECT_NE(c.find("const double t0"), std::string::npos) << c;
  }
}

#if __has_include("nabla/sym/parse.hpp")
TEST(Print, NonFiniteNumbersNeverPrintAsSymbols) {
  // 10^400 overflows a double: kept as a power (as parse refuses 1e400), so
  // it prints as itself and still evaluates to inf
  const Expr big = parse("10^400");
  EXPECT_EQ(big.kind(), Kind::Pow);
  EXPECT_EQ(to_string(big), "10^400");
  EXPECT_EQ(parse(to_string(big)), big);
  EXPECT_EQ(evaluate(big, {}), std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse(to_string(parse("(1/10)^(-400)"))), parse("(1/10)^(-400)"));
  EXPECT_EQ(to_string(parse("4^(1/2)")), "2");  // what fits still folds
  // a sum or product of finite numbers that overflows is refused
  EXPECT_THROW(Expr(1e200) * Expr(1e200), DomainError);
  EXPECT_THROW(Expr(1.5e308) + Expr(1.5e308), DomainError);
  EXPECT_THROW(parse("1e200*1e200*x"), Error);
  // NaN prints as 0/0, which reads back as NaN; an infinity has no spelling
  const Expr nan_x = Expr(std::numeric_limits<double>::quiet_NaN()) * x;
  const Expr back = parse(to_string(nan_x));
  EXPECT_TRUE(free_symbols(back) == std::vector<Expr>{x}) << to_string(nan_x);
  EXPECT_TRUE(std::isnan(evaluate(back, {{"x", 1.0}}))) << to_string(nan_x);
  EXPECT_THROW(to_string(Expr(std::numeric_limits<double>::infinity())), DomainError);
  EXPECT_THROW(to_string(x + Expr(-std::numeric_limits<double>::infinity())), DomainError);
  // for display it is spelled (not read back: inf is a symbol to the parser)
  EXPECT_EQ(to_display_string(Expr(std::numeric_limits<double>::infinity())), "inf");
  EXPECT_EQ(to_display_string(x + Expr(std::numeric_limits<double>::infinity())), "x + inf");
  EXPECT_EQ(to_display_string(x + Expr(-std::numeric_limits<double>::infinity())), "x - inf");
  EXPECT_EQ(to_display_string(nan_x), to_string(nan_x));
}

TEST(Print, DeepExpressionsAreRefusedNotAStackOverflow) {
  // sin(sin(...sin(x))) 20000 deep, built through the API (the parser stops
  // at 512): the recursive printers refuse it with a DomainError
  Expr deep = x;
  for (int i = 0; i < 20000; ++i) deep = sin(deep);
  EXPECT_THROW(to_string(deep), DomainError);
  EXPECT_THROW(to_latex(deep), DomainError);
  EXPECT_THROW(to_c(deep), DomainError);
  // up to the limit they print, every level once (beyond 500 levels on a
  // thread with a deep stack)
  for (int levels : {999, 19999}) {
    Expr ok = x;
    for (int i = 0; i < levels; ++i) ok = sin(ok);
    const std::string text = to_string(ok);
    std::size_t count = 0;
    for (std::size_t at = text.find("sin("); at != std::string::npos; at = text.find("sin(", at + 1)) ++count;
    EXPECT_EQ(count, static_cast<std::size_t>(levels));
    EXPECT_NO_THROW(to_latex(ok));
    EXPECT_NO_THROW(to_c(ok));
  }
  // whatever the parser reads prints, and so do its derivatives: 334 levels
  // of sin(x*(...) + 1) are 1002 nodes deep, which the printers refused
  std::string text = "x";
  for (int i = 0; i < 334; ++i) text = "sin(x*" + text + " + 1)";
  const Expr parsed = parse(text);
  EXPECT_EQ(parse(to_string(parsed)), parsed);
  EXPECT_NO_THROW(to_latex(parsed));
  EXPECT_NO_THROW(to_c(parsed));
  std::string logs = "x";
  for (int i = 0; i < 500; ++i) logs = "log(" + logs + " + x)";
  const Expr derivative = diff(parse(logs), x);
  const std::string printed = to_string(derivative);  // deeper than the parser reads back
  EXPECT_NE(printed.find("log("), std::string::npos);
  EXPECT_NO_THROW(to_c(derivative));
  // an error thrown on the deep thread reaches the caller
  Expr too_deep_for_c = x;
  for (int i = 0; i < 25000; ++i) too_deep_for_c = sin(too_deep_for_c);
  EXPECT_THROW(to_c(too_deep_for_c), DomainError);
  // to_c prints a node used twice as a temporary, so it counts the depth
  // between temporaries: a chain whose every level is used twice prints
  Expr shared = x;
  for (int i = 0; i < 20000; ++i) shared = hypot(shared, shared);
  const std::string c = to_c(shared);
  EXPECT_NE(c.find("const double t19998 = "), std::string::npos);
}

TEST(Print, RoundTripsThroughTheParser) {
  const std::vector<Expr> cases = {
      pow(x, n(4)) - n(4) * pow(x, n(3)),
      -pow(x, n(2)),
      pow(pow(x, y), rational(1, 2)),
      pow(x, pow(y, n(2))),
      n(2) * x / (n(3) * y),
      x - rational(1, 3),
      Expr(-2.5) * x / y,
      pow(x, Expr(-2.5)),
      Expr(1e100) + Expr(0.1) * x,
      softplus(x, 2.0) + leaky_relu(y, 0.2) + softplus(y),
      atan2(y, x - n(1)) * hypot(x, y) / logsumexp(x, y),
      pow(pi(), x) + e(),
      pow(rational(1, 2), x),
      pow(n(0), n(-1)),
      pow(n(0), n(-2)) * x,
      rational(4, 3) / (pow(x, n(2)) + n(1)),
      -(x + n(1)) * y,
      pow(rational(34, 9), -(rational(4, 3) - x) * (-y - n(1)) / n(3)),
      x / (n(3) * (y + n(1))),
      pow(n(2), rational(1, 2)) * n(3),
      exp(-pow(x, n(2))) / sqrt(pi()),
  };
  for (const Expr& e : cases) EXPECT_EQ(parse(to_string(e)), e) << to_string(e);
}
#endif

}  // namespace
}  // namespace nabla::sym
