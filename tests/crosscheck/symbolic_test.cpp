// The symbolic column of the registry-wide cross-check: for every primitive
// of core/primitives.hpp, the symbolic derivative (nabla::sym::diff, then
// evaluated) and the symbolic gradient of the binary ones agree with forward
// mode at the sample points, for every parameter the cross-check uses.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "modes.hpp"
#include "nabla/sym/sym.hpp"

namespace nabla::test {
namespace {

namespace sym = nabla::sym;

constexpr std::size_t kPoints = 16;
constexpr double kTolerance = 1e-12;

/// SymbolicOf<Op>::apply: the primitive Op on expressions.
template <class Op>
struct SymbolicOf;
#define NABLA_SYMBOLIC_UNARY(fn, Op)                                          \
  template <>                                                                 \
  struct SymbolicOf<core::Op> {                                               \
    static sym::Expr apply(const sym::Expr& x, double) { return sym::fn(x); } \
  };
NABLA_UNARY_FUNCTIONS(NABLA_SYMBOLIC_UNARY)
#undef NABLA_SYMBOLIC_UNARY
#define NABLA_SYMBOLIC_BINARY(fn, Op)                                                        \
  template <>                                                                                \
  struct SymbolicOf<core::Op> {                                                              \
    static sym::Expr apply(const sym::Expr& a, const sym::Expr& b) { return sym::fn(a, b); } \
  };
NABLA_BINARY_FUNCTIONS(NABLA_SYMBOLIC_BINARY)
#undef NABLA_SYMBOLIC_BINARY
#define NABLA_SYMBOLIC_OPERATOR(token, Op)                                               \
  template <>                                                                            \
  struct SymbolicOf<core::Op> {                                                          \
    static sym::Expr apply(const sym::Expr& a, const sym::Expr& b) { return a token b; } \
  };
NABLA_ARITHMETIC_OPERATORS(NABLA_SYMBOLIC_OPERATOR)
#undef NABLA_SYMBOLIC_OPERATOR
template <>
struct SymbolicOf<core::Softplus> {
  static sym::Expr apply(const sym::Expr& x, double t) { return sym::softplus(x, t); }
};
template <>
struct SymbolicOf<core::LeakyRelu> {
  static sym::Expr apply(const sym::Expr& x, double alpha) { return sym::leaky_relu(x, alpha); }
};
template <>
struct SymbolicOf<core::PowInt> {
  static sym::Expr apply(const sym::Expr& x, double n) { return sym::pow(x, sym::Expr(static_cast<int>(n))); }
};
template <>
struct SymbolicOf<core::Neg> {
  static sym::Expr apply(const sym::Expr& x, double) { return -x; }
};

std::uint64_t seed_of(const char* name, double p) {
  return std::hash<std::string>{}(name) ^ std::hash<double>{}(p);
}

template <class Op>
class UnarySymbolic : public ::testing::Test {};
TYPED_TEST_SUITE(UnarySymbolic, AsTestTypes<core::UnaryPrimitives>::type, PrimitiveName);

template <class Op>
class BinarySymbolic : public ::testing::Test {};
TYPED_TEST_SUITE(BinarySymbolic, AsTestTypes<core::BinaryPrimitives>::type, PrimitiveName);

TYPED_TEST(UnarySymbolic, DerivativeAgreesWithForwardMode) {
  using Op = TypeParam;
  const sym::Expr x = sym::symbol("x");
  for (double p : parameters_of<Op>()) {
    const sym::Expr f = SymbolicOf<Op>::apply(x, p);
    const sym::Expr d = sym::diff(f, x);
    for (double at : sample(Op::sample_lo, Op::sample_hi, kPoints, seed_of(Op::name, p))) {
      const Unary1 ref = ForwardMode::unary<Op>(at, p);
      const sym::Bindings b{{"x", at}};
      EXPECT_LE(distance(sym::evaluate(f, b), ref.value), kTolerance)
          << Op::name << " p=" << p << " at " << at;
      EXPECT_LE(distance(sym::evaluate(d, b), ref.d), kTolerance)
          << Op::name << " p=" << p << " at " << at << ": " << sym::to_string(d);
    }
  }
}

TYPED_TEST(BinarySymbolic, PartialsAgreeWithForwardMode) {
  using Op = TypeParam;
  const sym::Expr a = sym::symbol("a");
  const sym::Expr b = sym::symbol("b");
  const sym::Expr f = SymbolicOf<Op>::apply(a, b);
  const auto g = sym::gradient(f, {a, b});
  const auto as = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_of(Op::name, 1.0));
  const auto bs = sample(Op::sample_lo, Op::sample_hi, kPoints, seed_of(Op::name, 2.0));
  for (std::size_t i = 0; i < kPoints; ++i) {
    const Binary1 ref = ForwardMode::binary<Op>(as[i], bs[i]);
    const sym::Bindings at{{"a", as[i]}, {"b", bs[i]}};
    const std::string where =
        std::string(Op::name) + " at (" + std::to_string(as[i]) + ", " + std::to_string(bs[i]) + ")";
    EXPECT_LE(distance(sym::evaluate(f, at), ref.value), kTolerance) << where;
    EXPECT_LE(distance(sym::evaluate(g[0], at), ref.da), kTolerance) << where << ": " << sym::to_string(g[0]);
    EXPECT_LE(distance(sym::evaluate(g[1], at), ref.db), kTolerance) << where << ": " << sym::to_string(g[1]);
  }
}

}  // namespace
}  // namespace nabla::test
