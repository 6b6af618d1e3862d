// Local preaccumulation: a function recorded with pieces preaccumulated must
// give the gradient, Jacobian and Hessian of the same function recorded
// plainly (which numdiff checks independently), while its outer tape holds
// one statement per piece output; passive and repeated inputs, passive
// outputs, outputs that are inputs, nesting and an exception inside a piece
// are covered, and the passive paths (double, Dual) just call the piece.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

/// Many operations on three inputs: the kind of piece preaccumulation is for.
template <class T>
T piece(std::span<const T> x) {
  using std::cos;
  using std::sin;
  T y = x[0] * sin(x[1]);
  for (int k = 0; k < 40; ++k) y = y * cos(x[1]) + x[2] / (1.0 + y * y);
  return y;
}

/// Uses piece three ways: on an intermediate, on a repeated input with a
/// passive one, and (when `nested`) inside another preaccumulated piece.
template <class T>
T outer(const VectorX<T>& x, bool preaccumulated, bool nested = false) {
  using std::sin;
  auto run = [preaccumulated](const std::vector<T>& in) {
    const std::span<const T> s(in);
    return preaccumulated ? preaccumulate(s, [](std::span<const T> v) { return piece(v); }) : piece(s);
  };
  const T a = x[0] * x[1];
  const T r = run({a, x[2], x[3]});
  const T repeated = run({x[3], x[3], T(2.0)});
  T result = r * x[4] + sin(a) + repeated;
  if (nested) {
    auto two_pieces = [&](std::span<const T> v) { return run({v[0], v[1], v[0]}) * run({v[1], v[0], v[1]}); };
    const std::vector<T> in{x[4], x[2]};
    const std::span<const T> s(in);
    result += preaccumulated ? preaccumulate(s, two_pieces) : two_pieces(s);
  }
  return result;
}

Eigen::VectorXd point() {
  Eigen::VectorXd x(5);
  x << 0.7, -0.4, 1.3, 0.25, -0.9;
  return x;
}

TEST(Preaccumulate, GradientMatchesThePlainRecordingAndNumdiff) {
  for (bool nested : {false, true}) {
    auto pre = [nested](const auto& x) { return outer(x, true, nested); };
    auto plain = [nested](const auto& x) { return outer(x, false, nested); };
    const Eigen::VectorXd g = gradient(pre, point());
    const Eigen::VectorXd expected = gradient(plain, point());
    const Eigen::VectorXd numeric =
        numdiff::gradient([&](const Eigen::VectorXd& x) { return plain(x); }, point());
    for (Eigen::Index i = 0; i < g.size(); ++i) {
      EXPECT_NEAR(g[i], expected[i], 1e-13 * (1 + std::abs(expected[i]))) << i << " nested " << nested;
      EXPECT_NEAR(g[i], numeric[i], 1e-8 * (1 + std::abs(numeric[i]))) << i << " nested " << nested;
    }
  }
}

TEST(Preaccumulate, TheOuterTapeHoldsOneStatementPerPiece) {
  std::size_t statements[2];
  double values[2];
  for (bool preaccumulated : {false, true}) {
    TapeScope<double> scope;
    Tape& tape = scope.tape();
    VectorX<Var> x(5);
    for (Eigen::Index i = 0; i < 5; ++i) x[i] = tape.input(point()[i]);
    values[preaccumulated] = outer(x, preaccumulated).value();
    statements[preaccumulated] = tape.statements();
  }
  EXPECT_EQ(values[0], values[1]);
  // 5 inputs, a, the result, and each piece: 41 statements plainly, 1 preaccumulated
  EXPECT_EQ(statements[0], 7u + 2 * 41);
  EXPECT_EQ(statements[1], 7u + 2);
}

/// A piece with four outputs: a sum, a product, a constant and an input.
template <class T>
void four_outputs(std::span<const T> in, std::span<T> out) {
  using std::exp;
  out[0] = in[0] + exp(in[1] * in[2]);
  out[1] = in[0] * in[1] * in[2];
  out[2] = T(3.0);
  out[3] = in[1];
}

template <class T>
VectorX<T> vector_outer(const VectorX<T>& x, bool preaccumulated) {
  const std::vector<T> in{x[0], x[1] * x[2], x[0]};
  std::vector<T> out(4);
  if (preaccumulated)
    preaccumulate(std::span<const T>(in), std::span<T>(out),
                  [](std::span<const T> i, std::span<T> o) { four_outputs(i, o); });
  else
    four_outputs(std::span<const T>(in), std::span<T>(out));
  VectorX<T> y(4);
  for (Eigen::Index k = 0; k < 4; ++k) y[k] = out[static_cast<std::size_t>(k)] * x[3];
  return y;
}

TEST(Preaccumulate, JacobianOfAPieceWithSeveralOutputs) {
  Eigen::VectorXd x(4);
  x << 0.3, 1.1, -0.6, 2.0;
  auto pre = [](const auto& v) { return vector_outer(v, true); };
  auto plain = [](const auto& v) { return vector_outer(v, false); };
  // 4 outputs of 4 inputs: jacobian() may choose either mode; both are checked
  const Eigen::MatrixXd j = jacobian(pre, x);
  const Eigen::MatrixXd expected = jacobian(plain, x);
  const Eigen::MatrixXd numeric = numdiff::jacobian([&](const Eigen::VectorXd& v) { return plain(v); }, x);
  ASSERT_EQ(j.rows(), 4);
  EXPECT_LE((j - expected).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_LE((j - numeric).cwiseAbs().maxCoeff(), 1e-8);
  for (Eigen::Index k = 0; k < 4; ++k) {
    const Eigen::VectorXd row = gradient([&](const auto& v) { return vector_outer(v, true)[k]; }, x);
    EXPECT_LE((row.transpose() - expected.row(k)).cwiseAbs().maxCoeff(), 1e-14) << k;
  }
}

TEST(Preaccumulate, PassiveOutputsStayPassive) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const std::vector<Var> in{tape.input(1.5), Var(2.0)};
  std::vector<Var> out(3);
  preaccumulate(std::span<const Var>(in), std::span<Var>(out), [](std::span<const Var> i, std::span<Var> o) {
    o[0] = i[1] * 4.0;  // of the passive input only
    o[1] = i[0] * i[1];
    // o[2] left as the piece found it
  });
  EXPECT_FALSE(out[0].is_active());
  EXPECT_EQ(out[0].value(), 8.0);
  EXPECT_TRUE(out[1].is_active());
  EXPECT_FALSE(out[2].is_active());
  EXPECT_EQ(out[2].value(), 0.0);
  tape.clear_adjoints();
  tape.adjoint(out[1]) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(in[0]), 2.0);
}

TEST(Preaccumulate, HessianThroughATapeOfDuals) {
  auto pre = [](const auto& x) { return outer(x, true, true); };
  auto plain = [](const auto& x) { return outer(x, false, true); };
  const Eigen::MatrixXd h = hessian(pre, point());
  const Eigen::MatrixXd expected = hessian(plain, point());
  const Eigen::MatrixXd numeric =
      numdiff::hessian([&](const Eigen::VectorXd& x) { return plain(x); }, point());
  EXPECT_LE((h - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + expected.cwiseAbs().maxCoeff()));
  EXPECT_LE((h - numeric).cwiseAbs().maxCoeff(), 1e-5 * (1 + numeric.cwiseAbs().maxCoeff()));
}

TEST(Preaccumulate, AZeroPartialKeepsItsTangent) {
  // d(x0 x1)/dx0 = x1 is 0 at x1 = 0, but its tangent along x1 is 1: the
  // Hessian's off-diagonal entry lives only in that tangent.
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    const std::vector<T> in{x[0], x[1]};
    return preaccumulate(std::span<const T>(in), [](std::span<const T> v) { return v[0] * v[1]; });
  };
  const Eigen::MatrixXd h = hessian(f, Eigen::Vector2d(2.0, 0.0));
  EXPECT_EQ(h, Eigen::Matrix2d({{0.0, 1.0}, {1.0, 0.0}}));
}

TEST(Preaccumulate, PassivePathsCallThePiece) {
  const Eigen::VectorXd x = point();
  EXPECT_EQ(outer<double>(x, true, true), outer<double>(x, false, true));
  // along the curve t -> (t, t^2, 1.3, t, -0.9), by forward mode
  const auto along = [](bool preaccumulated) {
    return derivative(
        [preaccumulated](auto t) {
          VectorX<decltype(t)> v(5);
          v << t, t * t, 1.3, t, -0.9;
          return outer(v, preaccumulated, true);
        },
        0.7);
  };
  const double d = along(true), expected = along(false);
  EXPECT_NEAR(d, expected, 1e-13 * (1 + std::abs(expected)));
}

TEST(Preaccumulate, BadUseIsAnErrorAndTheTapesStayUsable) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(0.5);
  const std::vector<Var> in{x};
  std::vector<Var> none;
  EXPECT_THROW(preaccumulate(std::span<const Var>(in), std::span<Var>(none), [](auto, auto) {}),
               DimensionError);
  EXPECT_THROW(
      preaccumulate(std::span<const Var>(in),
                    [](std::span<const Var>) -> Var { throw std::runtime_error("inside the piece"); }),
      std::runtime_error);
  EXPECT_EQ(&Tape::active(), &tape);
  // Resetting the piece's tape would drop what the outer statement is built
  // from: it is refused, like resetting a driver's tape.
  EXPECT_THROW(preaccumulate(std::span<const Var>(in),
                             [](std::span<const Var> v) {
                               Tape::active().reset();
                               return v[0];
                             }),
               DomainError);
  EXPECT_EQ(&Tape::active(), &tape);
  const Var y =
      x * preaccumulate(std::span<const Var>(in), [](std::span<const Var> v) { return v[0] * v[0]; });
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(x), 3 * 0.5 * 0.5);
}

}  // namespace
}  // namespace nabla
