// Property tests on random expressions over every function of the registry
// (seeded, so a failure is reproducible), sampled inside their domains:
// simplify keeps the value; the symbolic derivative (diff and the reverse-
// accumulated gradient) equals forward mode (Dual), reverse mode
// (nabla::gradient), numerical differentiation (nabla::numdiff) and the
// compiled Program; print -> parse is the identity (when the parser is built).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <unordered_map>

#include "../crosscheck/modes.hpp"
#include "nabla/nabla.hpp"

namespace nabla::sym {
namespace {

/// Random expressions in x and y; arguments of functions with a restricted
/// domain are mapped into it (log(u^2 + 1), asin(tanh(u)/2), ...).
class RandomExpr {
 public:
  explicit RandomExpr(std::uint64_t seed) : rng_(seed) {}

  Expr operator()(int depth) {
    if (depth == 0 || pick(4) == 0) return leaf();
    const Expr u = (*this)(depth - 1);
    switch (pick(9)) {
      case 0:
        return u + (*this)(depth - 1);
      case 1:
        return u * (*this)(depth - 1);
      case 2:
        return u - (*this)(depth - 1);
      case 3:
        return u / (pow((*this)(depth - 1), Expr(2)) + Expr(1));
      case 4:
        return pow(u, Expr(static_cast<int>(pick(5)) - 2));
      case 5:
        return pow(pow(u, Expr(2)) + Expr(1), (*this)(depth - 1) / Expr(3));
      case 6:
        return binary(u, (*this)(depth - 1));
      default:
        return unary(u);
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  Expr leaf() {
    static const Expr x = symbol("x");
    static const Expr y = symbol("y");
    switch (pick(6)) {
      case 0:
      case 1:
        return x;
      case 2:
        return y;
      case 3:
        return Expr(static_cast<int>(pick(7)) - 3);
      case 4:
        return rational(static_cast<std::int64_t>(pick(5)) + 1, 3);
      default:
        return Expr(0.25 + 0.5 * static_cast<double>(pick(4)));
    }
  }

  Expr unary(const Expr& u) {
    const auto names = function_names();
    std::string_view name;
    Function f{};
    do {
      name = names[pick(names.size())];
      find_function(name, f);
    } while (name == "pow" || name == "atan2" || name == "hypot" || name == "min" || name == "max" ||
             name == "logsumexp" || name == "xlogy" || name == "xdivy");
    const Expr positive = pow(u, Expr(2)) + Expr(1);
    const Expr unit = tanh(u) / Expr(2);
    switch (f) {
      case Function::sqrt:
      case Function::log:
      case Function::log2:
      case Function::log10:
        return call(name, std::vector<Expr>{positive});
      case Function::log1p:
        return log1p(pow(u, Expr(2)));
      case Function::acosh:
        return acosh(positive + Expr(1));
      case Function::asin:
      case Function::acos:
      case Function::atanh:
        return call(name, std::vector<Expr>{unit});
      case Function::tan:
        return tan(tanh(u));
      case Function::exp:
      case Function::sinh:
      case Function::cosh:
      case Function::expm1:
        return call(name, std::vector<Expr>{tanh(u) * Expr(3)});
      case Function::softplus:
        return softplus(u, pick(2) ? 1.0 : 0.5);
      case Function::leaky_relu:
        return leaky_relu(u, pick(2) ? 0.01 : 0.3);
      default:
        return call(name, std::vector<Expr>{u});
    }
  }

  Expr binary(const Expr& a, const Expr& b) {
    switch (pick(7)) {
      case 5:
        return xlogy(a, pow(b, Expr(2)) + Expr(1));
      case 6:
        return xdivy(a, pow(b, Expr(2)) + Expr(1));
      case 0:
        return atan2(a, b);
      case 1:
        return hypot(a, b);
      case 2:
        return min(a, b);
      case 3:
        return max(a, b);
      default:
        return logsumexp(a, b);
    }
  }

  std::mt19937_64 rng_;
};

/// e evaluated on any scalar the AD modes use, through the registry's public
/// spellings (test::Call), each node once.
template <class T>
T eval_as(const Expr& e, const T& x, const T& y, std::unordered_map<const Node*, T>& memo) {
  if (auto it = memo.find(e.node()); it != memo.end()) return it->second;
  auto arg = [&](std::size_t i) { return eval_as(e.args()[i], x, y, memo); };
  T r;
  switch (e.kind()) {
    case Kind::Symbol:
      r = e.name() == "x" ? x : y;
      break;
    case Kind::Add:
      r = arg(0);
      for (std::size_t i = 1; i < e.args().size(); ++i) r = T(r + arg(i));
      break;
    case Kind::Mul:
      r = arg(0);
      for (std::size_t i = 1; i < e.args().size(); ++i) r = T(r * arg(i));
      break;
    case Kind::Pow:
      if (e.args()[1].kind() == Kind::Integer)
        r = T(test::Call<core::PowInt>::apply(arg(0), e.args()[1].to_double()));
      else
        r = T(test::Call<core::Pow>::apply(arg(0), arg(1)));
      break;
    case Kind::Call:
      r = detail_call(e, arg);
      break;
    default:
      r = T(e.to_double());
  }
  memo.emplace(e.node(), r);
  return r;
}

template <class Arg>
auto detail_call(const Expr& e, Arg&& arg) -> decltype(arg(0)) {
  using T = decltype(arg(0));
  switch (e.function()) {
#define NABLA_TEST_UNARY(fn, Op) \
  case Function::fn:             \
    return T(test::Call<core::Op>::apply(arg(0), e.parameter()));
    NABLA_UNARY_FUNCTIONS(NABLA_TEST_UNARY)
    NABLA_TEST_UNARY(softplus, Softplus)
    NABLA_TEST_UNARY(leaky_relu, LeakyRelu)
#undef NABLA_TEST_UNARY
#define NABLA_TEST_BINARY(fn, Op) \
  case Function::fn:              \
    return T(test::Call<core::Op>::apply(arg(0), arg(1)));
    NABLA_BINARY_FUNCTIONS(NABLA_TEST_BINARY)
#undef NABLA_TEST_BINARY
  }
  return T(core::nan);
}

/// The structure of e, with doubles in hexadecimal: for failure messages.
std::string dump(const Expr& e) {
  char buf[64];
  switch (e.kind()) {
    case Kind::Real:
      std::snprintf(buf, sizeof(buf), "Real(%a)", e.to_double());
      return buf;
    case Kind::Integer:
    case Kind::Rational:
    case Kind::Constant:
    case Kind::Symbol:
      return to_string(e);
    default:
      break;
  }
  std::string s = e.kind() == Kind::Add   ? "Add("
                  : e.kind() == Kind::Mul ? "Mul("
                  : e.kind() == Kind::Pow ? "Pow("
                                          : std::string(function_name(e.function())) + "(";
  for (std::size_t i = 0; i < e.args().size(); ++i) s += (i ? ", " : "") + dump(e.args()[i]);
  return s + ")";
}

double distance(double a, double b) { return std::fabs(a - b) / std::max(1.0, std::fabs(b)); }

TEST(Property, RandomExpressionsAgreeInEveryMode) {
  const Expr x = symbol("x");
  const Expr y = symbol("y");
  // the seed: --gtest_random_seed=N explores other expressions
  RandomExpr random(GTEST_FLAG_GET(random_seed) ? GTEST_FLAG_GET(random_seed) : 20240611);
  std::mt19937_64 points(7);
  std::uniform_real_distribution<double> draw(-2.0, 2.0);
  int checked = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Expr e = random(4);
    const Expr s = simplify(e);
    const auto g = gradient(e, {x, y});
    const Expr dx = diff(e, x);
    const Program p = compile(e, {x, y});
    for (int k = 0; k < 3; ++k) {
      const Eigen::Vector2d at(draw(points), draw(points));
      const Bindings b{{"x", at[0]}, {"y", at[1]}};
      const double v = evaluate(e, b);
      const double gx = evaluate(g[0], b);
      const double gy = evaluate(g[1], b);
      if (!std::isfinite(v) || !(std::fabs(gx) + std::fabs(gy) < 1e6)) continue;
      ++checked;
      const std::string what =
          to_string(e) + " at (" + std::to_string(at[0]) + ", " + std::to_string(at[1]) + ")";
      EXPECT_LE(distance(evaluate(s, b), v), 1e-9) << "simplify: " << what << " -> " << to_string(s);
      EXPECT_LE(distance(evaluate(dx, b), gx), 1e-9) << "diff vs gradient: " << what;
      // forward mode
      using D = Dual<double, 2>;
      std::unordered_map<const Node*, D> memo_d;
      const D fd = eval_as(e, D::variable(at[0], 0), D::variable(at[1], 1), memo_d);
      EXPECT_LE(distance(gx, fd.tangent(0)), 1e-9) << "forward d/dx: " << what;
      EXPECT_LE(distance(gy, fd.tangent(1)), 1e-9) << "forward d/dy: " << what;
      // reverse mode through the driver
      auto f = [&](const auto& xv) {
        using T = std::decay_t<decltype(xv[0])>;
        std::unordered_map<const Node*, T> memo;
        return eval_as(e, T(xv[0]), T(xv[1]), memo);
      };
      const Eigen::VectorXd gr = nabla::gradient(f, Eigen::VectorXd(at));
      EXPECT_LE(distance(gx, gr[0]), 1e-9) << "reverse d/dx: " << what;
      EXPECT_LE(distance(gy, gr[1]), 1e-9) << "reverse d/dy: " << what;
      // numerical
      const Eigen::VectorXd gn = numdiff::gradient(f, Eigen::VectorXd(at));
      EXPECT_LE(distance(gx, gn[0]), 1e-5) << "numeric d/dx: " << what;
      EXPECT_LE(distance(gy, gn[1]), 1e-5) << "numeric d/dy: " << what;
      // the compiled Program
      EXPECT_LE(distance(p(at), v), 1e-12) << "compiled value: " << what;
      const Eigen::VectorXd gp = p.gradient(at);
      EXPECT_LE(distance(gp[0], gx), 1e-9) << "compiled d/dx: " << what;
    }
#if __has_include("nabla/sym/parse.hpp")
    EXPECT_EQ(parse(to_string(e)), e)
        << dump(e) << " printed " << to_string(e) << " read " << dump(parse(to_string(e)));
    EXPECT_EQ(parse(to_string(s)), s) << to_string(s);
#endif
  }
  EXPECT_GT(checked, 600);
}

}  // namespace
}  // namespace nabla::sym
