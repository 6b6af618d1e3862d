// RunningSum: a sum built term by term must have the value of the plain
// chain s = s + e, bit for bit, and its gradient and Hessian (checked against
// the plain chain and numdiff) while recording one statement per read; terms
// recorded in between, passive and repeated leaves, sums longer than the
// inline capacity, reads before more terms, and the passive paths.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <type_traits>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

/// sum_j +-(x_j x_{j+1}) + sin(x_j) / 3 - 2 over `terms` terms (x read
/// cyclically), each product's second factor recorded just before it is
/// added; by RunningSum or by the plain chain s = s + e.
template <class T>
T alternating(const VectorX<T>& x, int terms, bool running) {
  using std::sin;
  const Eigen::Index n = x.size();
  RunningSum<T> sum;
  T chain(0.0);
  for (int j = 0; j < terms; ++j) {
    const T& a = x[j % n];
    const T b = x[(j + 1) % n] * 1.5;  // recorded between two terms
    if (running) {
      if (j % 2 == 0)
        sum += a * b;
      else
        sum -= a * b;
      sum += sin(a) / 3.0;
      sum -= 2.0;
    } else {
      if (j % 2 == 0)
        chain = chain + a * b;
      else
        chain = chain - a * b;
      chain = chain + sin(a) / 3.0;
      chain = chain - 2.0;
    }
  }
  return running ? T(sum) : chain;
}

Eigen::VectorXd point() {
  Eigen::VectorXd x(5);
  x << 0.3, -1.2, 0.8, 2.1, -0.4;
  return x;
}

TEST(RunningSum, ValueGradientAndHessianOfThePlainChain) {
  for (int terms : {1, 4, 10, 40}) {  // 40 terms: 120 arguments, past the inline 32
    auto running = [terms](const auto& x) { return alternating(x, terms, true); };
    auto plain = [terms](const auto& x) { return alternating(x, terms, false); };
    EXPECT_EQ(running(point()), plain(point())) << terms;  // the same order of additions
    const Eigen::VectorXd g = gradient(running, point());
    const Eigen::VectorXd expected = gradient(plain, point());
    const Eigen::VectorXd numeric =
        numdiff::gradient([&](const Eigen::VectorXd& v) { return plain(v); }, point());
    EXPECT_LE((g - expected).cwiseAbs().maxCoeff(), 1e-13 * (1 + expected.cwiseAbs().maxCoeff())) << terms;
    EXPECT_LE((g - numeric).cwiseAbs().maxCoeff(), 1e-8 * (1 + numeric.cwiseAbs().maxCoeff())) << terms;
    const Eigen::MatrixXd h = hessian(running, point());
    const Eigen::MatrixXd h_expected = hessian(plain, point());
    EXPECT_LE((h - h_expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + h_expected.cwiseAbs().maxCoeff()))
        << terms;
    auto along = [](auto t) { return VectorX<decltype(t)>(VectorX<decltype(t)>::Constant(5, t)); };
    EXPECT_EQ(derivative([&](auto t) { return running(along(t)); }, 0.7),
              derivative([&](auto t) { return plain(along(t)); }, 0.7));
  }
}

TEST(RunningSum, OneStatementPerReadAndRepeatedLeaves) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(1.5), y = tape.input(-0.5);
  RunningSum<Var> s;
  s += x * y;
  s -= x * x;  // one leaf twice in a term: one argument
  s += x;      // and again in another term: a second argument
  s += 4.0;
  const std::size_t before = tape.statements();
  const Var first = s;
  EXPECT_EQ(tape.statements(), before + 1);
  EXPECT_EQ(tape.arguments(), 4u);  // y and x of x * y, x of x * x, x
  EXPECT_EQ(first.value(), 1.5 * -0.5 - 1.5 * 1.5 + 1.5 + 4.0);
  const Var again = s;  // nothing added since: the same statement
  EXPECT_EQ(again.index(), first.index());
  EXPECT_EQ(tape.statements(), before + 1);
  s += y;  // goes on from the recorded sum
  const Var second = s;
  EXPECT_EQ(tape.statements(), before + 2);
  tape.clear_adjoints();
  tape.adjoint(second) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(x), -0.5 - 2 * 1.5 + 1.0);
  EXPECT_EQ(tape.adjoint(y), 1.5 + 1.0);
}

TEST(RunningSum, ReadTwiceOnATapeOfDuals) {
  // A Dual partial's value may be 1 with a tangent, so a read always records;
  // a second read with nothing added must reuse that statement.
  using D = Dual<double, 1>;
  TapeScope<D> scope;
  BasicTape<D>& tape = scope.tape();
  const BasicVar<D> x = tape.input(D::variable(2.0, 0));
  RunningSum<BasicVar<D>> s;
  s += x * x;
  const BasicVar<D> first = s;
  const BasicVar<D> again = s;
  EXPECT_EQ(again.index(), first.index());
  EXPECT_EQ(tape.statements(), 2u);
}

TEST(RunningSum, PassiveAndSingleLeafSums) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(2.0);
  RunningSum<Var> empty;
  EXPECT_FALSE(Var(empty).is_active());
  EXPECT_EQ(Var(empty).value(), 0.0);
  RunningSum<Var> constants;
  constants += 3.0;
  constants -= Var(1.0);  // a passive Var
  EXPECT_FALSE(Var(constants).is_active());
  EXPECT_EQ(Var(constants).value(), 2.0);
  const std::size_t before = tape.statements();
  RunningSum<Var> one;
  one += x;
  EXPECT_EQ(Var(one).index(), x.index());  // x itself: no statement
  EXPECT_EQ(tape.statements(), before);
}

// nabla::sum of a vector of Vars: one statement with a unit partial per
// active entry (passive entries add their value only), the value the double
// sum gives in the same order, bit for bit; its gradient is all ones.
TEST(RunningSum, SumOfAVectorIsOneStatementWithTheDoubleValue) {
  Eigen::VectorXd x(1000);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    x[i] = std::sin(0.37 * double(i)) * std::pow(10.0, double(i % 7) - 3);
  const double expected = nabla::sum(VectorX<double>(x));
  const auto [value, g] = value_and_gradient([](const auto& v) { return nabla::sum(v); }, x);
  EXPECT_EQ(value, expected);
  EXPECT_TRUE((g.array() == 1.0).all());

  TapeScope<double> scope;
  Tape& tape = scope.tape();
  VectorX<Var> v(4);
  v << Var(2.0), Var(0.5), Var(-1.0), Var(4.0);
  const auto first = tape.inputs(2);
  v[1] = Var(0.5, first, tape.epoch());
  v[3] = Var(4.0, first + 1, tape.epoch());
  const std::size_t before = tape.statements();
  const Var s = nabla::sum(v);
  EXPECT_EQ(tape.statements(), before + 1);
  EXPECT_EQ(s.value(), 5.5);
  tape.clear_adjoints();
  tape.adjoint(s.index()) = 3.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(v[1].index()), 3.0);
  EXPECT_EQ(tape.adjoint(v[3].index()), 3.0);
}

TEST(RunningSum, OnDoubleAndDualItIsTheRunningSum) {
  RunningSum<double> d;
  d += 0.1;
  d += 0.2;
  d -= 0.3;
  EXPECT_EQ(double(d), 0.1 + 0.2 - 0.3);
  static_assert(std::is_same_v<decltype(alternating(VectorX<Dual<double>>(point()), 3, true)), Dual<double>>);
}

}  // namespace
}  // namespace nabla
