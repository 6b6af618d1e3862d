// Reverse mode, nabla::Var and its expression templates: an expression kept
// in an `auto` and used later (also after its operands are gone or
// reassigned), aliasing (x = x * x), compound assignment, one statement per
// assignment, passive constants that record nothing, comparisons for
// branching, and Eigen vectors and matrices of Var (dot, squaredNorm, sum,
// matrix-vector products). Derivatives are checked against closed forms.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <initializer_list>
#include <sstream>
#include <type_traits>
#include <vector>

#include "adjoints.hpp"
#include "nabla/nabla.hpp"

namespace nabla {
namespace {

TEST(Var, InputsAreRecordedAndConstantsArePassive) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(2.0);
  EXPECT_TRUE(x.is_active());
  EXPECT_EQ(x.value(), 2.0);
  const Var c = 3.0;
  EXPECT_FALSE(c.is_active());
  EXPECT_EQ(c.index(), 0U);
  const Var d;
  EXPECT_FALSE(d.is_active());
  EXPECT_EQ(d.value(), 0.0);
}

TEST(Var, AutoExpressionUsedLaterGivesTheRightDerivative) {
  // out = (sin(ab) + ab) * a at (a, b) = (3, 4):
  // d/da = (b cos(ab) + b) a + sin(ab) + ab, d/db = (a cos(ab) + a) a
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(3.0);
  const Var b = tape.input(4.0);
  auto y = a * b;         // an expression, not recorded yet
  auto z = sin(y) + y;    // y used twice
  const Var out = z * a;  // recorded here
  const double ab = 12.0;
  EXPECT_DOUBLE_EQ(out.value(), (std::sin(ab) + ab) * 3.0);
  const auto g = adjoints(tape, out, {a, b});
  EXPECT_DOUBLE_EQ(g[0], (4.0 * std::cos(ab) + 4.0) * 3.0 + std::sin(ab) + ab);
  EXPECT_DOUBLE_EQ(g[1], (3.0 * std::cos(ab) + 3.0) * 3.0);
}

TEST(Var, AutoExpressionOutlivesItsOperands) {
  // The nodes hold copies: an expression made from temporaries, or whose
  // Vars are reassigned afterwards, still means what it meant when made.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(0.5);
  auto make = [](const Var& v) { return v * 2.0 + exp(v); };
  auto e = make(Var(x * 1.0));  // the argument Var is a temporary that is gone after this line
  Var a = x;
  auto f = (a + 1.0) * (a - 1.0);  // a^2 - 1 in a = x
  a = 100.0;                       // a is now a passive 100; f must not change
  const Var y = e + f;             // 2x + e^x + x^2 - 1: dy/dx = 2 + e^x + 2x
  EXPECT_DOUBLE_EQ(y.value(), 1.0 + std::exp(0.5) + 0.25 - 1.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, y, {x})[0], 2.0 + std::exp(0.5) + 1.0);
}

TEST(Var, AliasingAssignment) {
  // x = x * x twice: x^4, then x += x: 2 x^4; d/dx0 = 8 x0^3 at x0 = 3
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x0 = tape.input(3.0);
  Var x = x0;
  x = x * x;
  x = x * x;
  x += x;
  EXPECT_EQ(x.value(), 162.0);
  EXPECT_EQ(adjoints(tape, x, {x0})[0], 216.0);
  // the same in one expression that reads x on both sides of the assignment
  Var y = x0;
  y = y * y + sin(y) * y;  // y0^2 + y0 sin y0: derivative 2y0 + sin y0 + y0 cos y0
  EXPECT_DOUBLE_EQ(adjoints(tape, y, {x0})[0], 6.0 + std::sin(3.0) + 3.0 * std::cos(3.0));
}

TEST(Var, CompoundAssignment) {
  // u = (((x + y) * x - 2) / y + 1) * 3 at (x, y) = (3, 2):
  // u = 3 (x^2 + xy - 2) / y + 3; du/dx = 3 (2x + y) / y = 12; du/dy = 3 (2 - x^2) / y^2 = -21/4
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(3.0);
  const Var y = tape.input(2.0);
  Var u = x;
  u += y;
  u *= x;
  u -= 2.0;
  u /= y;
  u += 1.0;
  u *= 3.0;
  EXPECT_DOUBLE_EQ(u.value(), 22.5);
  const auto g = adjoints(tape, u, {x, y});
  EXPECT_DOUBLE_EQ(g[0], 12.0);
  EXPECT_DOUBLE_EQ(g[1], -5.25);
}

TEST(Var, OneStatementPerAssignment) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.0);
  const Var y = tape.input(2.0);
  const std::size_t statements = tape.statements();
  const std::size_t arguments = tape.arguments();
  const Var z = exp(x) * sin(y) + x / (1.0 + y * y);  // leaves x, y, x, y (y * y is one)
  EXPECT_EQ(tape.statements(), statements + 1);
  EXPECT_EQ(tape.arguments(), arguments + 4);
  // dz/dx = e^x sin y + 1/(1 + y^2); dz/dy = e^x cos y - 2 x y / (1 + y^2)^2
  const auto g = adjoints(tape, z, {x, y});
  EXPECT_DOUBLE_EQ(g[0], std::exp(1.0) * std::sin(2.0) + 1.0 / 5.0);
  EXPECT_DOUBLE_EQ(g[1], std::exp(1.0) * std::cos(2.0) - 4.0 / 25.0);
}

TEST(Var, ALeafRepeatedInOneProductIsOneArgument) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.5);
  const Var y = tape.input(-0.5);
  const std::size_t arguments = tape.arguments();
  const Var square = x * x;                             // d/dx = 2x
  const Var scaled = (3.0 * x) * x;                     // d/dx = 6x
  const Var t = y - x * x;                              // leaves y, x
  const Var zero = x - x;                               // one argument, partial 0
  const Var ratio = (x + 1.0) / x;                      // d/dx = -1/x^2
  const Var u = 100.0 * t * t + (1.0 - x) * (1.0 - x);  // leaves t, x
  EXPECT_EQ(tape.arguments(), arguments + 1 + 1 + 2 + 1 + 1 + 2);
  EXPECT_DOUBLE_EQ(adjoints(tape, square, {x})[0], 3.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, scaled, {x})[0], 9.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, zero, {x})[0], 0.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, ratio, {x})[0], -1.0 / 2.25);
  // u = 100 (y - x^2)^2 + (1 - x)^2: du/dx = -400 x t - 2 (1 - x), du/dy = 200 t
  const double tv = -0.5 - 2.25;
  const auto g = adjoints(tape, u, {x, y});
  EXPECT_DOUBLE_EQ(g[0], -400.0 * 1.5 * tv - 2.0 * (1.0 - 1.5));
  EXPECT_DOUBLE_EQ(g[1], 200.0 * tv);
  // different leaves are never merged, passive ones add nothing
  const Var c = 2.0;
  const std::size_t before = tape.arguments();
  const Var p = x * y + c * c + x * c;
  EXPECT_EQ(tape.arguments(), before + 3);
  const auto gp = adjoints(tape, p, {x, y});
  EXPECT_DOUBLE_EQ(gp[0], -0.5 + 2.0);
  EXPECT_DOUBLE_EQ(gp[1], 1.5);
}

TEST(Var, PassiveConstantsRecordNothing) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.0);
  const std::size_t statements = tape.statements();
  const std::size_t arguments = tape.arguments();
  const Var c = 2.0;
  const Var d = c * 3.0 + exp(c) - nabla::pow(c, 2) + nabla::max(c, 1.0);
  Var e = d;
  e *= 4.0;
  e += c;
  EXPECT_FALSE(d.is_active());
  EXPECT_FALSE(e.is_active());
  EXPECT_DOUBLE_EQ(d.value(), 6.0 + std::exp(2.0) - 4.0 + 2.0);
  EXPECT_EQ(tape.statements(), statements);
  EXPECT_EQ(tape.arguments(), arguments);
  // mixed with an active value, a constant adds no argument
  const Var y = x * c + d;
  EXPECT_EQ(tape.statements(), statements + 1);
  EXPECT_EQ(tape.arguments(), arguments + 1);
  EXPECT_EQ(adjoints(tape, y, {x})[0], 2.0);
  // passive leaves before the active one: their pairs are written, then
  // overwritten by the active leaf's (the writer keeps active pairs only)
  const Var z = d * c + c / d + x * 5.0;
  EXPECT_EQ(tape.statements(), statements + 2);
  EXPECT_EQ(tape.arguments(), arguments + 2);
  EXPECT_EQ(adjoints(tape, z, {x})[0], 5.0);
}

TEST(Var, ComparisonsForBranching) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(3.0);
  const Var b = tape.input(4.0);
  EXPECT_TRUE(a < b);
  EXPECT_TRUE(a < 4.0);
  EXPECT_TRUE(2.0 < a);
  EXPECT_TRUE(a * b > 11.0);  // an expression compares by its value
  EXPECT_TRUE(a == 3.0);
  EXPECT_TRUE(a != b);
  EXPECT_TRUE(b >= a + 1.0);
  EXPECT_TRUE(a + 1.0 <= b);
  // f(x) = -x^3 for x < 0, 2x^2 otherwise: f'(-1) = -3, f'(2) = 8
  auto f = [](const auto& v) {
    using T = std::decay_t<decltype(v[0])>;
    const T& x = v[0];
    if (x < 0.0) return T(-(x * x * x));
    return T(2.0 * x * x);
  };
  EXPECT_EQ(nabla::gradient(f, Eigen::VectorXd::Constant(1, -1.0))[0], -3.0);
  EXPECT_EQ(nabla::gradient(f, Eigen::VectorXd::Constant(1, 2.0))[0], 8.0);
}

TEST(Var, PrintsItsValue) {
  std::ostringstream out;
  out << Var(2.5);
  EXPECT_EQ(out.str(), "2.5");
}

TEST(Var, EigenVectorsOfVar) {
  // x = (1, 2, 3): d(x.x)/dx = 2x, d(|x|^2)/dx = 2x, d(sum x)/dx = 1,
  // d(w.(Mx))/dx = M^T w, d|x|/dx = x/|x|
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  VectorX<Var> x(3);
  for (int i = 0; i < 3; ++i) x[i] = tape.input(i + 1.0);
  Eigen::Matrix3d M;
  M << 1, 2, 3, 4, 5, 6, 7, 8, 10;
  const Eigen::Vector3d w(1.0, -2.0, 0.5);

  auto gradient_of = [&](const Var& y) {
    tape.clear_adjoints();
    tape.adjoint(y) = 1.0;
    tape.reverse();
    Eigen::Vector3d g;
    for (int i = 0; i < 3; ++i) g[i] = tape.adjoint(x[i]);
    return g;
  };
  const Eigen::Vector3d xv(1.0, 2.0, 3.0);

  const Var dot = x.dot(x);
  EXPECT_EQ(dot.value(), 14.0);
  EXPECT_TRUE(gradient_of(dot).isApprox(2.0 * xv));

  const Var sq = x.squaredNorm();
  EXPECT_EQ(sq.value(), 14.0);
  EXPECT_TRUE(gradient_of(sq).isApprox(2.0 * xv));

  const Var s = x.sum();
  EXPECT_EQ(s.value(), 6.0);
  EXPECT_TRUE(gradient_of(s).isApprox(Eigen::Vector3d::Ones()));

  const Var n = x.norm();
  EXPECT_DOUBLE_EQ(n.value(), std::sqrt(14.0));
  EXPECT_TRUE(gradient_of(n).isApprox(xv / std::sqrt(14.0)));

  const VectorX<Var> Mx = M.cast<Var>() * x;
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(Mx[i].value(), (M * xv)[i]);
  const Var wMx = w.cast<Var>().dot(Mx);
  EXPECT_TRUE(gradient_of(wMx).isApprox(M.transpose() * w));

  // a matrix of Vars times a vector of doubles: d/dA_ij of w.(A v) = w_i v_j
  MatrixX<Var> A(2, 2);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) A(i, j) = tape.input(1.0 + i + 2 * j);
  const Eigen::Vector2d v(3.0, -1.0);
  const VectorX<Var> Av = A * v.cast<Var>();
  const Var y = Av[0] + 2.0 * Av[1];
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) EXPECT_EQ(tape.adjoint(A(i, j)), (i == 0 ? 1.0 : 2.0) * v[j]);
}

TEST(Var, EigenThroughTheGradientDriver) {
  // f(x) = x.x + sum(x) + (M x)_1 + |x|: gradient 2x + 1 + M^T e_1 + x/|x|
  Eigen::Matrix3d M;
  M << 1, 2, 3, 4, 5, 6, 7, 8, 10;
  auto f = [&M](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    const VectorX<T> Mx = M.cast<T>() * x;
    return T(x.dot(x) + x.sum() + Mx[1] + x.norm());
  };
  const Eigen::Vector3d x(0.5, -1.0, 2.0);
  const Eigen::Vector3d expected = 2.0 * x + Eigen::Vector3d::Ones() + M.transpose().col(1) + x / x.norm();
  EXPECT_TRUE(nabla::gradient(f, x).isApprox(expected, 1e-14));
  EXPECT_DOUBLE_EQ(nabla::value_and_gradient(f, x).value, f(Eigen::VectorXd(x)));
}

}  // namespace
}  // namespace nabla
