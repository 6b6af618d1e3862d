// Vars of another recording: each recorded Var carries its recording's
// epoch (tape.hpp); the drivers and preaccumulate refuse a result of another
// epoch (DomainError), and in builds that check every argument
// (NABLA_CHECK_RECORDINGS: without NDEBUG, as the sanitizer pass of CI) so
// does a statement that takes one. Without the mark, a Var captured from an enclosing
// recording, kept from an earlier one or made on another thread was read as
// whatever this recording had put at its index (a wrong gradient, silently),
// or, past the end of the recording, made the reverse sweep write outside the
// adjoints (a heap overflow under ASan). Legitimate nesting -- the enclosing
// recording going on after a nested gradient -- must keep working.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

const Eigen::Vector2d kX(1.0, 2.0);

/// Skips a test of the checks of every argument in a build without them.
#define NABLA_REQUIRE_ARGUMENT_CHECKS() \
  if (!detail::kCheckRecordings) GTEST_SKIP() << "built without NABLA_CHECK_RECORDINGS"

TEST(OtherRecording, ACapturedVarWithAnIndexBeyondTheInnerRecordingThrows) {
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  TapeScope<double> scope;
  Var outer = scope.tape().input(3.0);
  for (int k = 0; k < 1000; ++k) outer = outer * 1.0;  // index ~1001: the sweep wrote there
  auto uses_outer = [&](const VectorX<Var>& v) {
    Var r = v[0] * outer;
    return r;
  };
  EXPECT_THROW(nabla::gradient(uses_outer, kX), DomainError);
}

TEST(OtherRecording, ACapturedVarWithAnIndexTheInnerRecordingReachedThrows) {
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  // outer's index is 1, which the inner recording gives to v[0]: the
  // gradient of v[0] * v[1] * outer was (3 v[1] + v[0] v[1], 3) = (8, 3),
  // not (6, 3).
  TapeScope<double> scope;
  const Var outer = scope.tape().input(3.0);
  ASSERT_EQ(outer.index(), 1u);
  auto uses_outer = [&](const VectorX<Var>& v) {
    Var r = v[0] * v[1] * outer;
    return r;
  };
  EXPECT_THROW(nabla::gradient(uses_outer, kX), DomainError);
  auto vector_uses_outer = [&](const VectorX<Var>& v) {
    VectorX<Var> y(1);
    y[0] = v[0] * outer;
    return y;
  };
  EXPECT_THROW(nabla::vjp(vector_uses_outer, kX, Eigen::VectorXd::Ones(1)), DomainError);
}

TEST(OtherRecording, AVarKeptFromAnEarlierGradientAndReturnedThrows) {
  Var kept;
  auto keeps = [&](const VectorX<Var>& v) {
    kept = v[0] * v[1];
    return kept;
  };
  EXPECT_EQ(nabla::gradient(keeps, kX), Eigen::Vector2d(2.0, 1.0));
  // Its index (3) is that of the next recording's first statement, which
  // holds() alone could not tell from it.
  auto returns_kept = [&](const VectorX<Var>& v) {
    const Var p = v[0] * v[0];
    (void)p;
    return kept;
  };
  EXPECT_THROW(nabla::gradient(returns_kept, kX), DomainError);
}

TEST(OtherRecording, AVarKeptFromAnEarlierGradientThrows) {
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  Var kept;
  auto keeps = [&](const VectorX<Var>& v) {
    kept = v[0] * v[1];
    return kept;
  };
  EXPECT_EQ(nabla::gradient(keeps, kX), Eigen::Vector2d(2.0, 1.0));
  ASSERT_TRUE(kept.is_active());
  // kept's index (3) is p's in the next recording, so p + kept was read as
  // 2 p: the gradient at (5, 7) was (20, 0), not (10, 0).
  auto adds_kept = [&](const VectorX<Var>& v) {
    const Var p = v[0] * v[0];
    return Var(p + kept);
  };
  EXPECT_THROW(nabla::gradient(adds_kept, Eigen::Vector2d(5.0, 7.0)), DomainError);
  EXPECT_THROW(nabla::gradient([&](const VectorX<Var>&) { return kept; }, kX), DomainError);
}

TEST(OtherRecording, AVarFromBeforeAResetThrows) {
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(2.0);
  const Var b = a * a;
  tape.reset();
  const Var c = tape.input(5.0);
  EXPECT_THROW(Var(b * c), DomainError);
  EXPECT_THROW(Var(sin(b)), DomainError);
  Var sum = c;
  sum += c * c;  // a statement that `+= b` could extend in place
  EXPECT_THROW(sum += b, DomainError);
  Var stale = b;
  EXPECT_THROW(stale += c, DomainError);  // the target of the accumulation is stale
  EXPECT_THROW(Var(b * b), DomainError);  // one leaf reached twice
  // The tape is still usable.
  const Var d = c * c;
  tape.clear_adjoints();
  tape.adjoint(d) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(c), 10.0);
}

// Checked in every build: Tape::adjoint returns a reference, and one
// beyond the adjoints was a heap overflow (ASan) for the caller to write to.
TEST(OtherRecording, TheAdjointOfAVarOfAnotherRecordingThrows) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(1.0);
  const Var b = tape.input(1.0);
  const Var c = a * b;
  const Var d = c * c;  // index 4: beyond the adjoints of the recording below
  tape.reset();
  const Var x = tape.input(1.0);
  EXPECT_THROW(tape.adjoint(d), DomainError);
  EXPECT_THROW(tape.adjoint(d.index()), DomainError);
  EXPECT_THROW(tape.adjoint(a), DomainError);  // within the adjoints, but another recording's
  tape.clear_adjoints();
  EXPECT_EQ(tape.adjoint(x), 0.0);
}

TEST(OtherRecording, ReductionsAndRunningSumsCheckTheirTerms) {
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var old = tape.input(1.0);
  tape.reset();
  const Var x = tape.input(2.0);
  VectorX<Var> v(2);
  v << x, old;
  EXPECT_THROW(nabla::sum(v), DomainError);
  EXPECT_THROW(nabla::logsumexp(v), DomainError);
  RunningSum<Var> s;
  s += x * x;
  EXPECT_THROW(s += old * x, DomainError);
  RunningSum<Var> kept;
  kept += x * x;  // gathered in this recording, read after the next reset
  tape.reset();
  const Var y = tape.input(3.0);
  EXPECT_THROW(kept += y, DomainError);
  RunningSum<Var> fresh;
  fresh += y * y;
  fresh += 2.0 * y;
  const Var total = fresh;
  tape.clear_adjoints();
  tape.adjoint(total) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(y), 8.0);
}

TEST(OtherRecording, APiecePreaccumulatedFromAnOuterVarThrows) {
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(2.0);
  Var outer = tape.input(3.0);
  for (int k = 0; k < 100; ++k) outer = outer * 1.0;
  const std::vector<Var> in = {a};
  // Returned as the piece's output, its adjoint was looked up in the
  // piece's tape, beyond its end.
  EXPECT_THROW(preaccumulate(std::span<const Var>(in), [&](std::span<const Var>) { return outer; }),
               DomainError);
  EXPECT_EQ(&Tape::active(), &tape);
  // Inside the piece, outer is of the enclosing recording.
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  EXPECT_THROW(
      preaccumulate(std::span<const Var>(in), [&](std::span<const Var> v) { return Var(v[0] * outer); }),
      DomainError);
  EXPECT_EQ(&Tape::active(), &tape);
}

TEST(OtherRecording, AVarMadeOnAnotherThreadThrows) {
  Var foreign;
  std::thread worker([&] {
    TapeScope<double> scope;
    foreign = scope.tape().input(1.0);
  });
  worker.join();
  ASSERT_EQ(foreign.index(), 1u);  // the index the driver gives to v[0]
  EXPECT_THROW(nabla::gradient([&](const VectorX<Var>&) { return foreign; }, kX), DomainError);
  NABLA_REQUIRE_ARGUMENT_CHECKS();
  EXPECT_THROW(nabla::gradient([&](const VectorX<Var>& v) { return Var(v[1] * foreign); }, kX), DomainError);
}

TEST(OtherRecording, TheEnclosingRecordingGoesOnAfterANestedGradient) {
  // f = a * b * g(a) where g's gradient is computed on a nested tape in the
  // middle of the outer recording: a and b, recorded before it, stay valid.
  TapeScope<double> scope;
  Tape& tape = scope.tape();
  const Var a = tape.input(2.0);
  const Var b = tape.input(5.0);
  const Var ab = a * b;
  const double inner = nabla::gradient([](const VectorX<Var>& v) { return Var(v[0] * v[0]); },
                                       Eigen::VectorXd::Constant(1, 3.0))[0];
  const Var y = ab * inner + a;
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  EXPECT_EQ(tape.adjoint(a), 5.0 * 6.0 + 1.0);
  EXPECT_EQ(tape.adjoint(b), 2.0 * 6.0);
  // A gradient inside a gradient, each computing from its own arguments.
  auto outer_f = [](const VectorX<Var>& v) {
    const double g =
        nabla::gradient([](const VectorX<Var>& w) { return Var(w[0] * w[1]); }, Eigen::Vector2d(3.0, 4.0))[1];
    return Var(v[0] * v[1] * g);
  };
  EXPECT_EQ(nabla::gradient(outer_f, kX), Eigen::Vector2d(6.0, 3.0));
}

}  // namespace
}  // namespace nabla
