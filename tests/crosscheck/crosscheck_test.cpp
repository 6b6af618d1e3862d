// The registry-wide cross-check: for every primitive of core::UnaryPrimitives
// and core::BinaryPrimitives (iterated as type lists, so a new primitive is
// picked up without touching this file), at many seeded random points of
// [Op::sample_lo, Op::sample_hi], the value and first derivatives agree in
// every column of modes.hpp (forward, reverse by hand and inside expression
// templates, the gradient driver, finite differences), and the second
// derivatives agree between nested forward mode, forward-over-reverse
// (hessian and hvp) and finite differences of the forward derivative.
// Agreement is distance(a, b) = |a - b| / max(1, |b|) <= 1e-10.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "modes.hpp"

namespace nabla::test {
namespace {

constexpr double kTolerance = 1e-10;
constexpr std::size_t kPoints = 150;

/// A seed per primitive and parameter, so that each draws its own points.
std::uint64_t seed_for(const char* name, double p) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char* c = name; *c != 0; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 1099511628211ULL;
  return h ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(p * 1000));
}

std::string where(const char* op, const char* mode, double p, double x) {
  return std::string(op) + " in mode '" + mode + "' at x = " + std::to_string(x) +
         " (p = " + std::to_string(p) + ")";
}
std::string where(const char* op, const char* mode, double a, double b, int) {
  return std::string(op) + " in mode '" + mode + "' at (a, b) = (" + std::to_string(a) + ", " +
         std::to_string(b) + ")";
}

template <class Op>
class UnaryCrossCheck : public ::testing::Test {};
TYPED_TEST_SUITE(UnaryCrossCheck, AsTestTypes<core::UnaryPrimitives>::type, PrimitiveName);

template <class Op>
class BinaryCrossCheck : public ::testing::Test {};
TYPED_TEST_SUITE(BinaryCrossCheck, AsTestTypes<core::BinaryPrimitives>::type, PrimitiveName);

TYPED_TEST(UnaryCrossCheck, SampleRangeIsInsideTheDomain) {
  using Op = TypeParam;
  ASSERT_LT(Op::sample_lo, Op::sample_hi) << Op::name;
  for (double p : parameters_of<Op>())
    for (double x : sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, p)))
      ASSERT_TRUE(Op::in_domain(x, p)) << Op::name << " at " << x;
}

TYPED_TEST(UnaryCrossCheck, FirstDerivativeAgreesInEveryMode) {
  using Op = TypeParam;
  for (double p : parameters_of<Op>()) {
    for (double x : sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, p))) {
      const Unary1 ref = ForwardMode::unary<Op>(x, p);
      // The registry's own value is the reference value.
      ASSERT_LE(distance(ref.value, Op::value(x, p)), 1e-15) << where(Op::name, ForwardMode::name, p, x);
      ASSERT_TRUE(std::isfinite(ref.d)) << where(Op::name, ForwardMode::name, p, x);
      for_each_mode<FirstOrderModes>([&](auto mode) {
        using Mode = decltype(mode);
        const Unary1 r = Mode::template unary<Op>(x, p);
        EXPECT_LE(distance(r.value, ref.value), kTolerance)
            << "value of " << where(Op::name, Mode::name, p, x) << ": " << r.value << " vs " << ref.value;
        EXPECT_LE(distance(r.d, ref.d), kTolerance)
            << "derivative of " << where(Op::name, Mode::name, p, x) << ": " << r.d << " vs " << ref.d;
      });
    }
  }
}

TYPED_TEST(UnaryCrossCheck, SecondDerivativeAgreesInEveryMode) {
  using Op = TypeParam;
  for (double p : parameters_of<Op>()) {
    for (double x : sample(Op::sample_lo, Op::sample_hi, kPoints / 3, seed_for(Op::name, p) + 1)) {
      const Hessian ref = NestedForwardMode::unary<Op>(x, p);
      for_each_mode<SecondOrderModes>([&](auto mode) {
        using Mode = decltype(mode);
        const Hessian h = Mode::template unary<Op>(x, p);
        ASSERT_EQ(h.rows(), 1);
        EXPECT_LE(distance(h(0, 0), ref(0, 0)), kTolerance)
            << "second derivative of " << where(Op::name, Mode::name, p, x) << ": " << h(0, 0) << " vs "
            << ref(0, 0);
      });
    }
  }
}

TYPED_TEST(BinaryCrossCheck, SampleRangeIsInsideTheDomain) {
  using Op = TypeParam;
  ASSERT_LT(Op::sample_lo, Op::sample_hi) << Op::name;
  const auto as = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, 0));
  const auto bs = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, 1));
  for (std::size_t i = 0; i < kPoints; ++i) ASSERT_TRUE(Op::in_domain(as[i], bs[i])) << Op::name;
}

TYPED_TEST(BinaryCrossCheck, FirstDerivativesAgreeInEveryMode) {
  using Op = TypeParam;
  const auto as = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, 0));
  const auto bs = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_for(Op::name, 1));
  for (std::size_t i = 0; i < kPoints; ++i) {
    const double a = as[i];
    const double b = bs[i];
    const Binary1 ref = ForwardMode::binary<Op>(a, b);
    ASSERT_LE(distance(ref.value, Op::value(a, b)), 1e-15) << where(Op::name, ForwardMode::name, a, b, 0);
    ASSERT_TRUE(std::isfinite(ref.da) && std::isfinite(ref.db))
        << where(Op::name, ForwardMode::name, a, b, 0);
    for_each_mode<FirstOrderModes>([&](auto mode) {
      using Mode = decltype(mode);
      const Binary1 r = Mode::template binary<Op>(a, b);
      EXPECT_LE(distance(r.value, ref.value), kTolerance)
          << "value of " << where(Op::name, Mode::name, a, b, 0) << ": " << r.value << " vs " << ref.value;
      EXPECT_LE(distance(r.da, ref.da), kTolerance)
          << "d/da of " << where(Op::name, Mode::name, a, b, 0) << ": " << r.da << " vs " << ref.da;
      EXPECT_LE(distance(r.db, ref.db), kTolerance)
          << "d/db of " << where(Op::name, Mode::name, a, b, 0) << ": " << r.db << " vs " << ref.db;
    });
  }
}

TYPED_TEST(BinaryCrossCheck, SecondDerivativesAgreeInEveryMode) {
  using Op = TypeParam;
  const auto as = sample(Op::sample_lo, Op::sample_hi, kPoints / 3, seed_for(Op::name, 2));
  const auto bs = sample(Op::sample_lo, Op::sample_hi, kPoints / 3, seed_for(Op::name, 3));
  for (std::size_t i = 0; i < as.size(); ++i) {
    const Hessian ref = NestedForwardMode::binary<Op>(as[i], bs[i]);
    EXPECT_LE(distance(ref(0, 1), ref(1, 0)), kTolerance) << "asymmetric Hessian of " << Op::name;
    for_each_mode<SecondOrderModes>([&](auto mode) {
      using Mode = decltype(mode);
      const Hessian h = Mode::template binary<Op>(as[i], bs[i]);
      ASSERT_EQ(h.rows(), 2);
      for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c)
          EXPECT_LE(distance(h(r, c), ref(r, c)), kTolerance)
              << "H(" << r << ", " << c << ") of " << where(Op::name, Mode::name, as[i], bs[i], 0) << ": "
              << h(r, c) << " vs " << ref(r, c);
    });
  }
}

}  // namespace
}  // namespace nabla::test
