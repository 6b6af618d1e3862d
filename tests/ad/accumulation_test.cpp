// `x += e` on a Var extends x's statement in place when x made it with += and
// alone holds its index (BasicTape::end_accumulation): a loop of += is one
// statement. These tests hold the shape (statements and arguments counted)
// and, above all, the derivatives wherever the index is shared: copies,
// leaves of a kept expression, x += x, a reduction reading the sum between
// two +=, nested tapes, chunk boundaries, statements too long to extend and
// terms recorded in between. Every derivative is checked against a closed
// form or, for the long sums, the same sum recorded as a chain of separate
// statements (x = x + e, which never extends anything).
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "adjoints.hpp"
#include "nabla/nabla.hpp"

namespace nabla {
namespace {

TEST(Accumulation, ALoopOfPlusEqualsIsOneStatement) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(0.5);
  const Var y = tape.input(-2.0);
  const std::size_t statements = tape.statements();
  const std::size_t arguments = tape.arguments();
  Var s = 0.0;
  s += x * 3.0;  // a new statement (s was passive): one argument
  s += x * y;    // extended: two more
  s -= exp(y);   // one more, partial -e^y
  s += 4.0;      // a constant: nothing recorded
  s -= 2.0 * x;  // one more, partial -2
  EXPECT_EQ(tape.statements(), statements + 1);
  EXPECT_EQ(tape.arguments(), arguments + 5);
  EXPECT_DOUBLE_EQ(s.value(), 1.5 - 1.0 - std::exp(-2.0) + 4.0 - 1.0);
  // ds/dx = 3 + y - 2 = -1, ds/dy = x - e^y
  const auto g = adjoints(tape, s, {x, y});
  EXPECT_DOUBLE_EQ(g[0], -1.0);
  EXPECT_DOUBLE_EQ(g[1], 0.5 - std::exp(-2.0));
}

TEST(Accumulation, AnActiveStartIsKeptAsAnArgument) {
  // z starts as a copy of an input, as a neuron's bias: z += w_k u_k then
  // makes one statement holding the bias and every weight.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var b = tape.input(0.25);
  const Var w0 = tape.input(2.0);
  const Var w1 = tape.input(-3.0);
  const std::size_t statements = tape.statements();
  Var z = b;
  z += w0 * 1.5;
  z += w1 * -0.5;
  EXPECT_EQ(tape.statements(), statements + 1);
  EXPECT_DOUBLE_EQ(z.value(), 0.25 + 3.0 + 1.5);
  const auto g = adjoints(tape, z, {b, w0, w1});
  EXPECT_DOUBLE_EQ(g[0], 1.0);
  EXPECT_DOUBLE_EQ(g[1], 1.5);
  EXPECT_DOUBLE_EQ(g[2], -0.5);
  // b still means the input (z's first += recorded a new statement)
  EXPECT_DOUBLE_EQ(adjoints(tape, b, {b, w0})[0], 1.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, b, {b, w0})[1], 0.0);
}

/// s = x0, a = hold(s), s += x1, y = a s = x0 (x0 + x1): dy/dx0 = 2 x0 + x1,
/// dy/dx1 = x0. Were s's statement extended after the copy that hold makes,
/// a would mean x0 + x1.
template <class Hold>
void expect_the_copy_keeps_its_value(Hold hold) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x0 = tape.input(3.0);
  const Var x1 = tape.input(5.0);
  Var s = 0.0;
  s += 1.0 * x0;
  const Var a = hold(s);
  s += x1;
  const Var y = a * s;
  EXPECT_DOUBLE_EQ(y.value(), 24.0);
  const auto g = adjoints(tape, y, {x0, x1});
  EXPECT_DOUBLE_EQ(g[0], 11.0);
  EXPECT_DOUBLE_EQ(g[1], 3.0);
}

TEST(Accumulation, ACopyKeepsTheValueItWasMadeFrom) {
  expect_the_copy_keeps_its_value([](const Var& s) {
    return Var(s);  // copy construction
  });
  expect_the_copy_keeps_its_value([](const Var& s) {
    Var a;
    a = s;  // copy assignment
    return a;
  });
  expect_the_copy_keeps_its_value([](const Var& s) {
    Eigen::Matrix<Var, Eigen::Dynamic, 1> v(2);
    v.setConstant(s);  // Eigen's own copies
    return v[1];
  });
  expect_the_copy_keeps_its_value([](const Var& s) {
    Var a;
    // copied while a nested tape records (a gradient inside the recording)
    const Eigen::VectorXd inner = gradient(
        [&](const auto& v) {
          a = s;
          return v[0] * v[0];
        },
        Eigen::VectorXd::Constant(1, 2.0));
    EXPECT_DOUBLE_EQ(inner[0], 4.0);
    return a;
  });
}

TEST(Accumulation, AKeptExpressionKeepsTheValueItWasMadeFrom) {
  // e = 2 s holds a leaf of s; s += x1 afterwards must not change what it means:
  // y = e + s = 2 x0 + (x0 + x1): dy/dx0 = 3, dy/dx1 = 1.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x0 = tape.input(3.0);
  const Var x1 = tape.input(5.0);
  Var s = 0.0;
  s += x0;
  const auto e = s * 2.0;
  s += x1;
  const Var y = e + s;
  EXPECT_DOUBLE_EQ(y.value(), 14.0);
  const auto g = adjoints(tape, y, {x0, x1});
  EXPECT_DOUBLE_EQ(g[0], 3.0);
  EXPECT_DOUBLE_EQ(g[1], 1.0);
}

TEST(Accumulation, ASumAddedToItself) {
  // s = x, s += s, s += x s: s = 2x + 2x^2 = 2 (x + x^2); ds/dx = 2 + 4x
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.5);
  Var s = 0.0;
  s += x;
  s += s;
  s += x * s;  // adds x (2x)
  EXPECT_DOUBLE_EQ(s.value(), 3.0 + 4.5);
  EXPECT_DOUBLE_EQ(adjoints(tape, s, {x})[0], 2.0 + 4.0 * 1.5);
  Var t = 0.0;
  t += x;
  const Var& same = t;
  t -= same;  // zero, with derivative zero
  EXPECT_DOUBLE_EQ(t.value(), 0.0);
  EXPECT_DOUBLE_EQ(adjoints(tape, t, {x})[0], 0.0);
}

TEST(Accumulation, SomethingRecordedInBetweenStartsANewStatement) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(2.0);
  const std::size_t statements = tape.statements();
  Var s = 0.0;
  s += x;
  const Var t = x * x;  // recorded after s's statement
  s += t;
  s += 3.0 * x;
  EXPECT_EQ(tape.statements(), statements + 3);  // s, t, s + t + 3x
  EXPECT_DOUBLE_EQ(adjoints(tape, s, {x})[0], 1.0 + 4.0 + 3.0);
}

TEST(Accumulation, AValueReadBetweenTwoPlusEqualsMeansTheSumThen) {
  // v0 accumulates; a reduction reads v0's index directly (no copy, no
  // leaf) between two += with statements recorded before each:
  // z = v0_a + v1 with v0_a = x + x^2, then v0_b = v0_a + 3x, y = z v0_b.
  // dy/dx = (dv0_a/dx) v0_b + z (dv0_a/dx + 3), dy/dv1 = v0_b.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.5);
  const Var v1_input = tape.input(-0.5);
  VectorX<Var> v(2);
  v[0] = 0.0;
  v[1] = v1_input;
  v[0] += x;
  const Var square = x * x;
  v[0] += square;
  const Var z = sum(v);
  const Var thrice = 3.0 * x;
  v[0] += thrice;
  const Var y = z * v[0];
  const double v0_a = 1.5 + 2.25;
  const double v0_b = v0_a + 4.5;
  const double zv = v0_a - 0.5;
  EXPECT_DOUBLE_EQ(y.value(), zv * v0_b);
  const auto g = adjoints(tape, y, {x, v1_input});
  EXPECT_DOUBLE_EQ(g[0], (1.0 + 3.0) * v0_b + zv * (1.0 + 3.0 + 3.0));
  EXPECT_DOUBLE_EQ(g[1], v0_b);
}

/// sum_k c_k x_{k mod n} x_{(k+1) mod n} with c_k = 1 + k mod 7, by += or
/// as the chain s = s + e (one statement per term). Every `recorded`-th term
/// (none for 0) is recorded as a Var of its own before it is added, so that
/// the next += cannot extend the statement before it.
Var long_sum(const std::vector<Var>& x, int terms, bool plus_equals, int recorded) {
  Var s = 0.0;
  const std::size_t n = x.size();
  for (int k = 0; k < terms; ++k) {
    const double c = 1.0 + k % 7;
    const Var& a = x[static_cast<std::size_t>(k) % n];
    const Var& b = x[static_cast<std::size_t>(k + 1) % n];
    if (recorded != 0 && k % recorded == 0) {
      const Var term = c * a * b;
      if (plus_equals)
        s += term;
      else
        s = s + term;
    } else if (plus_equals) {
      s += c * a * b;
    } else {
      s = s + c * a * b;
    }
  }
  return s;
}

TEST(Accumulation, LongSumsAcrossStatementAndChunkLimits) {
  // 254 arguments fit in one statement; beyond that a new one starts from
  // the last. 20000 terms cross the first chunks (4096) of both arrays.
  // With a term recorded apart every 1, 2, 50 or 63 terms, the sum's
  // statement is extended until the next recorded term, which starts a new
  // one.
  for (const int recorded : {0, 1, 2, 50, 63}) {
    for (const int terms : {1, 62, 63, 64, 126, 127, 128, 300, 20000}) {
      std::vector<double> chain_gradient;
      for (const bool plus_equals : {false, true}) {
        TapeScope<double> scope;
        Tape& tape = scope.tape();
        std::vector<Var> x;
        x.reserve(11);
        for (int i = 0; i < 11; ++i) x.push_back(tape.input(0.1 * i - 0.4));
        const std::size_t statements = tape.statements();
        const Var s = long_sum(x, terms, plus_equals, recorded);
        tape.clear_adjoints();
        tape.adjoint(s) = 1.0;
        tape.reverse();
        std::vector<double> g;
        g.reserve(x.size());
        for (const Var& v : x) g.push_back(tape.adjoint(v));
        if (!plus_equals) {
          chain_gradient = g;
          continue;
        }
        if (recorded == 0) {
          // 2 arguments per term, 254 per statement at most
          const std::size_t pairs = 2 * static_cast<std::size_t>(terms);
          EXPECT_LE(tape.statements() - statements, pairs / 200 + 2) << terms;
        }
        for (std::size_t i = 0; i < g.size(); ++i)
          EXPECT_NEAR(g[i], chain_gradient[i], 1e-12 * (1.0 + std::abs(g[i])))
              << recorded << " " << terms << " " << i;
      }
    }
  }
}

TEST(Accumulation, DualTapeGivesTheHessianOfASum) {
  // f = sum_i (i + 1) x_i^2 x_{i+1}, accumulated with +=, with each x_i^2
  // recorded in between (a statement per term) or not (one statement): the
  // Hessian by forward-over-reverse against the closed form.
  for (const bool apart : {false, true}) {
    const auto f = [apart](const auto& x) {
      using T = std::remove_cvref_t<decltype(x[0])>;
      T s = 0.0;
      for (Eigen::Index i = 0; i + 1 < x.size(); ++i) {
        const double c = static_cast<double>(i) + 1.0;
        if (apart) {
          const T square = x[i] * x[i];
          s += c * square * x[i + 1];
        } else {
          s += c * x[i] * x[i] * x[i + 1];
        }
      }
      return s;
    };
    Eigen::VectorXd x(4);
    x << 0.5, -1.0, 2.0, 1.5;
    const Eigen::MatrixXd h = hessian(f, x);
    Eigen::MatrixXd expected = Eigen::MatrixXd::Zero(4, 4);
    for (Eigen::Index i = 0; i + 1 < 4; ++i) {
      const double c = static_cast<double>(i) + 1.0;
      expected(i, i) += 2.0 * c * x[i + 1];
      expected(i, i + 1) += 2.0 * c * x[i];
      expected(i + 1, i) += 2.0 * c * x[i];
    }
    for (Eigen::Index r = 0; r < 4; ++r)
      for (Eigen::Index c = 0; c < 4; ++c)
        EXPECT_NEAR(h(r, c), expected(r, c), 1e-12) << apart << " " << r << "," << c;
  }
}

TEST(Accumulation, JacobianRowsOfTwoSumsWithTermsRecordedApart) {
  // Two outputs swept together (reverse_lanes): y0 = sum_i x_i^2 and
  // y1 = sum_i i x_i P_i, P_i the running y0 read through a copy after its
  // i-th term, so that neither sum's statement can be extended.
  Eigen::VectorXd x(6);
  x << 0.3, -1.2, 2.0, 0.7, -0.4, 1.1;
  const auto f = [](const auto& v) {
    using T = std::remove_cvref_t<decltype(v[0])>;
    T y0 = 0.0;
    T y1 = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      const T square = v[i] * v[i];
      y0 += square;
      const T so_far = y0;  // a copy: y0's next += records a new statement
      y1 += static_cast<double>(i) * v[i] * so_far;
    }
    VectorX<T> y(2);
    y << y0, y1;
    return y;
  };
  const Eigen::MatrixXd jac = jacobian(f, x);
  // y1 = sum_i i x_i P_i with P_i = sum_{k<=i} x_k^2:
  // dy1/dx_j = j P_j + 2 x_j sum_{i>=j} i x_i
  for (Eigen::Index j = 0; j < 6; ++j) {
    double prefix = 0.0;
    for (Eigen::Index k = 0; k <= j; ++k) prefix += x[k] * x[k];
    double tail = 0.0;
    for (Eigen::Index i = j; i < 6; ++i) tail += static_cast<double>(i) * x[i];
    EXPECT_NEAR(jac(0, j), 2.0 * x[j], 1e-14) << j;
    EXPECT_NEAR(jac(1, j), static_cast<double>(j) * prefix + 2.0 * x[j] * tail, 1e-12) << j;
  }
}

}  // namespace
}  // namespace nabla
