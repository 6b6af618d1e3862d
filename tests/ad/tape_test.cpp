// The reverse-mode tape: growth across many chunks (more than 10^6
// statements), statements with 255 or more arguments through Tape::push (also
// at chunk boundaries and larger than a chunk), inputs made at once across
// chunks (Tape::inputs), passive arguments skipped,
// reset and reuse giving identical results, nested recordings (a gradient
// computed inside a function that an outer gradient is recording, and after
// an exception), and thread-local tapes giving the same gradients in several
// threads at once.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <thread>
#include <vector>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

using Index = Tape::Index;

TEST(Tape, MoreThanAMillionStatementsAcrossManyChunks) {
  // y_0 = x, y_{k+1} = y_k + h x with h = 2^-20, n = 2^20 steps: y = 2x and
  // dy/dx = 1 + n h = 2, exactly (every partial sum is a multiple of 2^-20).
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(0.75);
  constexpr int n = 1 << 20;
  const double h = 1.0 / n;
  Var y = x;
  for (int k = 0; k < n; ++k) y = y + x * h;
  EXPECT_EQ(tape.statements(), std::size_t{n} + 1);
  // two arguments per step but the first, x + x h: one leaf, one argument
  EXPECT_EQ(tape.arguments(), 2 * std::size_t{n} - 1);
  EXPECT_EQ(y.value(), 1.5);
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(x), 2.0);
}

TEST(Tape, ManyChunksWithVaryingPartials) {
  // s = sum_k c_k x_{k mod 7} with c_k = 1/(k+1): ds/dx_j = sum_{k = j mod 7} c_k,
  // summed here in plain doubles.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  std::vector<Var> x;
  for (int j = 0; j < 7; ++j) x.push_back(tape.input(j * 0.1));
  std::vector<double> expected(7, 0.0);
  Var s = 0.0;
  constexpr int n = 300000;
  for (int k = 0; k < n; ++k) {
    const double c = 1.0 / (k + 1);
    s += c * x[k % 7];
    expected[k % 7] += c;
  }
  tape.clear_adjoints();
  tape.adjoint(s) = 1.0;
  tape.reverse();
  for (int j = 0; j < 7; ++j) EXPECT_NEAR(tape.adjoint(x[j]), expected[j], 1e-12 * expected[j]);
}

/// Records y = sum_i p_i x_i as one statement by Tape::push, then z = y^2 and
/// checks dz/dx_i = 2 y p_i.
void check_long_statement(Tape& tape, std::size_t n) {
  std::vector<Var> x;
  std::vector<double> partials;
  std::vector<Index> indices;
  double y_value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    x.push_back(tape.input(1.0 + 0.001 * static_cast<double>(i)));
    partials.push_back(0.5 + static_cast<double>(i % 13));
    indices.push_back(x.back().index());
    y_value += partials.back() * x.back().value();
  }
  const Var before = x[0] * 3.0;  // a short statement before the long one
  partials.push_back(1.0);
  indices.push_back(before.index());
  y_value += before.value();
  const Var y(y_value, tape.push(partials, indices));
  ASSERT_TRUE(y.is_active());
  const Var z = y * y;  // and one after
  tape.clear_adjoints();
  tape.adjoint(z) = 1.0;
  tape.reverse();
  for (std::size_t i = 0; i < n; ++i) {
    const double expected = 2.0 * y_value * (partials[i] + (i == 0 ? 3.0 : 0.0));
    ASSERT_DOUBLE_EQ(tape.adjoint(x[i]), expected) << "argument " << i << " of " << n + 1;
  }
}

TEST(Tape, StatementsWith255OrMoreArguments) {
  for (std::size_t n : {1U, 200U, 253U, 254U, 255U, 256U, 300U, 1000U, 5000U, 20000U}) {
    TapeScope<double> scope;
    SCOPED_TRACE(n);
    check_long_statement(scope.tape(), n);
  }
}

TEST(Tape, LongStatementsAtChunkBoundaries) {
  // Fill the first chunk to just below its end with short statements, then
  // record a long one that does not fit and must open a new chunk.
  for (std::size_t filler = 1990; filler < 2060; filler += 3) {
    TapeScope<double> scope;
    Tape& tape = scope.tape();
    SCOPED_TRACE(filler);
    const Var a = tape.input(1.0);
    Var s = a;
    for (std::size_t k = 0; k < filler; ++k) s = s * 1.0 + a;  // 2 arguments each
    check_long_statement(tape, 300);
    // and the short statements before it still propagate: ds/da = filler + 1
    tape.clear_adjoints();
    tape.adjoint(s) = 1.0;
    tape.reverse();
    EXPECT_EQ(tape.adjoint(a), static_cast<double>(filler + 1));
  }
}

TEST(Tape, PushSkipsPassiveArgumentsAndChecksSizes) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(2.0);
  const std::vector<double> partials{5.0, 7.0, 11.0};
  const std::vector<Index> indices{0, a.index(), 0};
  const std::size_t arguments = tape.arguments();
  const Var y(14.0, tape.push(partials, indices));
  EXPECT_EQ(tape.arguments(), arguments + 1);
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(a), 7.0);
  // no active argument: a passive result, nothing recorded
  const std::size_t statements = tape.statements();
  EXPECT_EQ(tape.push(partials, std::vector<Index>{0, 0, 0}), 0U);
  EXPECT_EQ(tape.statements(), statements);
  EXPECT_THROW(tape.push(partials, std::vector<Index>{a.index()}), DimensionError);
}

/// A recording of f(x) = sum_i sin(x_i x_{i+1}) + long statements, and its gradient.
std::vector<double> record_and_differentiate(Tape& tape, int n, std::size_t long_args) {
  std::vector<Var> x;
  for (int i = 0; i < n; ++i) x.push_back(tape.input(0.01 * i - 0.3));
  Var f = 0.0;
  for (int i = 0; i + 1 < n; ++i) f += sin(x[i] * x[i + 1]);
  std::vector<double> partials(long_args, 0.25);
  std::vector<Index> indices;
  for (std::size_t k = 0; k < long_args; ++k) indices.push_back(x[k % x.size()].index());
  if (long_args > 0) f += Var(1.0, tape.push(partials, indices));
  tape.clear_adjoints();
  tape.adjoint(f) = 1.0;
  tape.reverse();
  std::vector<double> g;
  for (const Var& v : x) g.push_back(tape.adjoint(v));
  g.push_back(f.value());
  g.push_back(static_cast<double>(tape.statements()));
  return g;
}

TEST(Tape, ResetAndReuseGiveIdenticalResults) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const std::vector<double> first = record_and_differentiate(tape, 50, 0);
  const std::vector<double> first_long = [&] {
    tape.reset();
    return record_and_differentiate(tape, 50, 700);
  }();
  for (int round = 0; round < 3; ++round) {
    tape.reset();
    EXPECT_EQ(tape.statements(), 0U);
    EXPECT_EQ(tape.arguments(), 0U);
    EXPECT_EQ(record_and_differentiate(tape, 50, 0), first);
    // a large recording over many chunks, then the small ones again
    tape.reset();
    record_and_differentiate(tape, 20000, 0);
    tape.reset();
    EXPECT_EQ(record_and_differentiate(tape, 50, 700), first_long);
    // a statement larger than the reused first chunk
    tape.reset();
    const std::vector<double> huge = record_and_differentiate(tape, 50, 9000);
    EXPECT_DOUBLE_EQ(huge[0], first[0] + 0.25 * (9000 / 50));
  }
}

TEST(Tape, InputsAtOnceAreConsecutiveAcrossChunks) {
  // Blocks of inputs made at once, between statements, each block larger
  // than the first chunk (4096 statements) or crossing a chunk's end; each
  // input's adjoint must come back at its own index, and the indices must
  // be those that one input at a time would have had.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  {
    // Leave every chunk that the test reuses full of statements with
    // arguments, so that an input left with a stale length shows.
    const Var z = tape.input(1.0);
    Var w = z;
    for (int k = 0; k < 60000; ++k) w = w * z + z;
    tape.reset();
  }
  std::vector<Var> x;
  Var sum = 0.0;
  Index expected = 1;
  for (const std::size_t block : {std::size_t{3}, std::size_t{4093}, std::size_t{1}, std::size_t{9000},
                                  std::size_t{0}, std::size_t{20000}}) {
    const Index first = tape.inputs(block);
    EXPECT_EQ(first, expected);
    for (std::size_t i = 0; i < block; ++i) {
      x.emplace_back(static_cast<double>(x.size() % 7), first + static_cast<Index>(i));
      sum = sum + x.back() * x.back() * 0.5;  // d/dx_i = x_i (not +=, which would extend one statement)
    }
    expected += 2 * static_cast<Index>(block);  // the inputs, and one statement per addition
    Var one_at_a_time = tape.input(2.0);
    EXPECT_EQ(one_at_a_time.index(), expected);
    sum = sum + one_at_a_time * 3.0;
    expected += 2;
  }
  EXPECT_EQ(tape.statements(), static_cast<std::size_t>(expected - 1));
  tape.clear_adjoints();
  tape.adjoint(sum) = 1.0;
  tape.reverse();
  for (std::size_t i = 0; i < x.size(); ++i) ASSERT_EQ(tape.adjoint(x[i]), x[i].value()) << i;
}

TEST(Tape, GradientInsideARecordedFunction) {
  // Outer f(v) = v0 v1 + c v0 + sin(v1), where c = d/du0 of h(u) = u0^2 u1 at
  // the values of v, computed by an inner nabla::gradient while the outer one
  // records. c = 2 v0 v1 is a constant to the outer recording, so
  // df/dv0 = v1 + c and df/dv1 = v0 + cos(v1).
  auto h = [](const auto& u) { return u[0] * u[0] * u[1]; };
  auto f = [&h](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    using core::passive_value;
    const T before = v[0] * v[1];  // recorded on the outer tape before the inner gradient
    Eigen::Vector2d u(passive_value(v[0]), passive_value(v[1]));
    const double c = nabla::gradient(h, u)[0];
    return T(before + c * v[0] + sin(v[1]));
  };
  const Eigen::Vector2d x(1.5, -0.5);
  const double c = 2 * 1.5 * -0.5;
  const Eigen::VectorXd g = nabla::gradient(f, x);
  EXPECT_DOUBLE_EQ(g[0], -0.5 + c);
  EXPECT_DOUBLE_EQ(g[1], 1.5 + std::cos(-0.5));
  // three levels deep, and a Hessian (a tape of another scalar) in between
  auto outer = [&f, &h](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    using core::passive_value;
    Eigen::Vector2d u(passive_value(v[0]), passive_value(v[1]));
    const double k = nabla::gradient(f, u)[1] + nabla::hessian(h, u)(0, 1);  // + d2h/du0du1 = 2 u0
    return T(k * v[0] * v[1]);
  };
  const double k = 1.5 + std::cos(-0.5) + 2 * 1.5;
  const Eigen::VectorXd go = nabla::gradient(outer, x);
  EXPECT_DOUBLE_EQ(go[0], k * -0.5);
  EXPECT_DOUBLE_EQ(go[1], k * 1.5);
}

TEST(Tape, ManualRecordingSurvivesANestedGradient) {
  // A recording on the thread's active tape, by hand, interrupted by a driver.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var x = tape.input(2.0);
  const Var y = x * x;
  EXPECT_EQ(&Tape::active(), &tape);
  const Eigen::VectorXd inner =
      nabla::gradient([](const auto& v) { return v[0] * v[0] * v[0]; }, Eigen::VectorXd::Constant(1, 2.0));
  EXPECT_EQ(inner[0], 12.0);
  EXPECT_EQ(&Tape::active(), &tape);   // restored
  const Var z = y * x + inner[0] * x;  // x^3 + 12 x: dz/dx = 3x^2 + 12 = 24
  tape.clear_adjoints();
  tape.adjoint(z) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(x), 24.0);
}

TEST(Tape, AnExceptionInsideARecordingRestoresTheTape) {
  Tape* const before = &Tape::active();
  auto throws = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::Scalar;
    const T y = v[0] * v[1];
    if (y > 0.0) throw std::runtime_error("user function failed");
    return y;
  };
  EXPECT_THROW(nabla::gradient(throws, Eigen::Vector2d(1.0, 2.0)), std::runtime_error);
  EXPECT_THROW(nabla::hessian(throws, Eigen::Vector2d(1.0, 2.0)), std::runtime_error);
  EXPECT_EQ(&Tape::active(), before);
  const Eigen::VectorXd g = nabla::gradient(throws, Eigen::Vector2d(-1.0, 2.0));
  EXPECT_EQ(g[0], 2.0);
  EXPECT_EQ(g[1], -1.0);
  const Eigen::MatrixXd h = nabla::hessian(throws, Eigen::Vector2d(-1.0, 2.0));
  EXPECT_EQ(h, (Eigen::Matrix2d() << 0.0, 1.0, 1.0, 0.0).finished());
}

TEST(Tape, AnExpressionIsTheFirstThingANewThreadRecords) {
  // The recording hot path finds no active tape yet on a new thread.
  bool passive = false;
  double derivative = 0.0;
  std::thread worker([&] {
    const Var c = 2.0;
    const Var d = c * 3.0 + exp(c);
    passive = !d.is_active();
    derivative = nabla::gradient([](const auto& v) { return v[0] * v[0] * v[0]; },
                                 Eigen::VectorXd::Constant(1, 2.0))[0];
  });
  worker.join();
  EXPECT_TRUE(passive);
  EXPECT_DOUBLE_EQ(derivative, 12.0);
}

TEST(Tape, ThreadsHaveTheirOwnTapes) {
  // f(x) = sum_i exp(sin(x_i) x_{i+1}) / (1 + x_i^2), 40 inputs; each thread
  // computes gradients at its own points many times, interleaved with the others.
  auto f = [](const auto& x) {
    using T = typename std::decay_t<decltype(x)>::Scalar;
    T s = 0.0;
    for (Eigen::Index i = 0; i + 1 < x.size(); ++i) s += exp(sin(x[i]) * x[i + 1]) / (1.0 + x[i] * x[i]);
    return s;
  };
  constexpr int kThreads = 4;
  constexpr int kRounds = 150;
  std::vector<Eigen::VectorXd> points;
  std::vector<Eigen::VectorXd> reference;
  for (int t = 0; t < kThreads; ++t) {
    points.push_back(Eigen::VectorXd::LinSpaced(40, -1.0 + 0.1 * t, 1.0 + 0.2 * t));
    reference.push_back(nabla::gradient(f, points.back()));
  }
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        // alternate between the driver and a recording by hand on this thread's tape
        if (r % 2 == 0) {
          if (nabla::gradient(f, points[t]) != reference[t]) ++mismatches[t];
        } else {
          TapeScope<double> scope;
          VectorX<Var> x(points[t].size());
          for (Eigen::Index i = 0; i < x.size(); ++i) x[i] = scope.tape().input(points[t][i]);
          const Var y = f(x);
          scope.tape().clear_adjoints();
          scope.tape().adjoint(y) = 1.0;
          scope.tape().reverse();
          for (Eigen::Index i = 0; i < x.size(); ++i)
            if (scope.tape().adjoint(x[i]) != reference[t][i]) ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace nabla
