// Tracing: nabla::TraceVar, the scalar that records a generic function into a
// Program, and nabla::record(f, x), which runs f once on TraceVars. Every
// operation on an active TraceVar computes its value and appends one
// instruction to the thread's active ProgramBuilder; operations on passive
// values (plain numbers) are computed on the spot and never recorded, so
// constant subexpressions fold while tracing. A comparison involving an
// active TraceVar -- `if (x < 0.0)` in user code -- returns the value's answer
// and is recorded as a guard, which the replay checks. A decision taken on
// passive_value(x) instead is invisible to the Program.
#pragma once

#include <Eigen/Core>
#include <concepts>
#include <cstdint>
#include <ostream>
#include <type_traits>
#include <utility>

#include "nabla/ad/drivers.hpp"
#include "nabla/ad/program.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

/// The tracing scalar: a double and, when active, the slot of the recording
/// it lives in. A TraceVar made from a number is passive.
class TraceVar {
 public:
  /// The slot of a passive value.
  static constexpr std::uint32_t kPassive = ~std::uint32_t{0};

  /// A passive zero.
  TraceVar() = default;
  /// A passive constant.
  template <class S>
  requires std::is_arithmetic_v<S> TraceVar(S value)
      : value_(static_cast<double>(value)) {}  // NOLINT: implicit by design
  /// An active value at a slot of the builder `recording`.
  TraceVar(double value, ProgramBuilder::Slot slot, std::uint32_t recording)
      : value_(value), slot_(slot.id), recording_(recording) {}

  double value() const { return value_; }
  /// Whether the value is recorded (depends on an input).
  bool is_active() const { return slot_ != kPassive; }
  /// Its slot in the recording (meaningful when active).
  ProgramBuilder::Slot slot() const { return {slot_}; }
  /// The id of the ProgramBuilder it was recorded on.
  std::uint32_t recording() const { return recording_; }

  template <class E>
  TraceVar& operator+=(const E& e) {
    return *this = *this + e;
  }
  template <class E>
  TraceVar& operator-=(const E& e) {
    return *this = *this - e;
  }
  template <class E>
  TraceVar& operator*=(const E& e) {
    return *this = *this * e;
  }
  template <class E>
  TraceVar& operator/=(const E& e) {
    return *this = *this / e;
  }

 private:
  double value_ = 0.0;
  std::uint32_t slot_ = kPassive;
  std::uint32_t recording_ = 0;
};

}  // namespace nabla

namespace Eigen {
template <>
struct NumTraits<nabla::TraceVar> : NumTraits<double> {
  using Real = nabla::TraceVar;
  using NonInteger = nabla::TraceVar;
  using Nested = nabla::TraceVar;
  using Literal = nabla::TraceVar;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 1,
    AddCost = 8,
    MulCost = 8
  };
};
template <class BinaryOp>
struct ScalarBinaryOpTraits<nabla::TraceVar, double, BinaryOp> {
  using ReturnType = nabla::TraceVar;
};
template <class BinaryOp>
struct ScalarBinaryOpTraits<double, nabla::TraceVar, BinaryOp> {
  using ReturnType = nabla::TraceVar;
};
}  // namespace Eigen

namespace nabla {

/// The double inside a TraceVar.
inline double passive_value(const TraceVar& x) { return x.value(); }

namespace detail {

/// The builder recording on this thread (nullptr outside nabla::record).
inline thread_local ProgramBuilder* active_builder = nullptr;

/// Makes `builder` the one TraceVars record on, for the scope's lifetime.
class TraceScope {
 public:
  explicit TraceScope(ProgramBuilder& builder) : previous_(active_builder) { active_builder = &builder; }
  ~TraceScope() { active_builder = previous_; }
  TraceScope(const TraceScope&) = delete;
  TraceScope& operator=(const TraceScope&) = delete;

 private:
  ProgramBuilder* previous_;
};

/// The builder that records an operation on the active TraceVars given.
ProgramBuilder& tracing_builder(const TraceVar& a, const TraceVar& b);

/// x's slot in `builder`: its own when active, a constant slot otherwise.
/// (A TraceVar of another recording, kept by f and returned, became this
/// Program's output: its slot number meant another value here.)
inline ProgramBuilder::Slot slot_in(ProgramBuilder& builder, const TraceVar& x) {
  if (!x.is_active()) return builder.constant(x.value());
  if (x.recording() != builder.id())
    throw Error("TraceVar: a value recorded by another nabla::record used in this one");
  return x.slot();
}

template <class Op>
TraceVar trace_unary(const TraceVar& x, double p) {
  const double y = Op::value(x.value(), p);
  if (!x.is_active()) return TraceVar(y);
  ProgramBuilder& builder = tracing_builder(x, x);
  return TraceVar(y, builder.unary(opcode_of<Op>, x.slot(), p), builder.id());
}

template <class Op>
TraceVar trace_binary(const TraceVar& a, const TraceVar& b) {
  const double y = Op::value(a.value(), b.value());
  if (!a.is_active() && !b.is_active()) return TraceVar(y);
  ProgramBuilder& builder = tracing_builder(a, b);
  const ProgramBuilder::Slot sa = slot_in(builder, a);
  const ProgramBuilder::Slot sb = slot_in(builder, b);
  return TraceVar(y, builder.binary(opcode_of<Op>, sa, sb), builder.id());
}

inline bool trace_compare(Comparison c, const TraceVar& a, const TraceVar& b) {
  const bool outcome = comparison_holds(c, a.value(), b.value());
  if (a.is_active() || b.is_active()) {
    ProgramBuilder& builder = tracing_builder(a, b);
    const ProgramBuilder::Slot sa = slot_in(builder, a);
    builder.guard(c, sa, slot_in(builder, b), outcome);
  }
  return outcome;
}

/// Operands of a traced operation: at least one TraceVar, the other a
/// TraceVar or a number.
template <class A, class B>
concept TraceOperands = (std::same_as<A, TraceVar> ||
                         std::same_as<B, TraceVar>)&&(std::same_as<A, TraceVar> ||
                                                      std::is_arithmetic_v<A>)&&(std::same_as<B, TraceVar> ||
                                                                                 std::is_arithmetic_v<B>);

}  // namespace detail

// Arithmetic and the binary functions: TraceVar op TraceVar, TraceVar op number, number op TraceVar.
#define NABLA_TRACE_BINARY(fn, Op)                                           \
  template <class A, class B>                                                \
  requires detail::TraceOperands<A, B> TraceVar fn(const A& a, const B& b) { \
    return detail::trace_binary<core::Op>(TraceVar(a), TraceVar(b));         \
  }
#define NABLA_TRACE_OPERATOR(token, Op) NABLA_TRACE_BINARY(operator token, Op)
NABLA_ARITHMETIC_OPERATORS(NABLA_TRACE_OPERATOR)
NABLA_BINARY_FUNCTIONS(NABLA_TRACE_BINARY)
#undef NABLA_TRACE_OPERATOR
#undef NABLA_TRACE_BINARY

template <std::same_as<TraceVar> X>
TraceVar operator-(const X& x) {
  return detail::trace_unary<core::Neg>(x, 0.0);
}
template <std::same_as<TraceVar> X>
const TraceVar& operator+(const X& x) {
  return x;
}

#define NABLA_TRACE_UNARY(fn, Op)                 \
  template <std::same_as<TraceVar> X>             \
  TraceVar fn(const X& x) {                       \
    return detail::trace_unary<core::Op>(x, 0.0); \
  }
NABLA_UNARY_FUNCTIONS(NABLA_TRACE_UNARY)
#undef NABLA_TRACE_UNARY

/// x^n for an integer n.
template <std::same_as<TraceVar> X>
TraceVar pow(const X& x, int n) {
  return detail::trace_unary<core::PowInt>(x, n);
}
/// softplus(x, t) = t log(1 + e^{x/t}).
template <std::same_as<TraceVar> X>
TraceVar softplus(const X& x, double temperature = 1.0) {
  return detail::trace_unary<core::Softplus>(x, temperature);
}
/// leaky_relu(x, alpha).
template <std::same_as<TraceVar> X>
TraceVar leaky_relu(const X& x, double alpha = core::LeakyRelu::default_parameter) {
  return detail::trace_unary<core::LeakyRelu>(x, alpha);
}

/// log(sum_i e^{x_i}) as a chain of the binary logsumexp primitive: unlike
/// the generic formula (which looks for the maximum by comparisons, each a
/// guard), it records no guard, so its replay holds at every x.
inline TraceVar logsumexp(const VectorX<TraceVar>& x) {
  if (x.size() == 0) throw DimensionError("logsumexp: empty vector");
  TraceVar y = x[0];
  for (Eigen::Index i = 1; i < x.size(); ++i) y = logsumexp(y, x[i]);
  return y;
}

// Comparisons answer from the value and record a guard when a side is active.
#define NABLA_TRACE_COMPARISON(token, kind)                                   \
  template <class A, class B>                                                 \
  requires detail::TraceOperands<A, B>                                        \
  bool operator token(const A& a, const B& b) {                               \
    return detail::trace_compare(Comparison::kind, TraceVar(a), TraceVar(b)); \
  }
NABLA_TRACE_COMPARISON(<, Less)
NABLA_TRACE_COMPARISON(<=, LessEqual)
NABLA_TRACE_COMPARISON(>, Greater)
NABLA_TRACE_COMPARISON(>=, GreaterEqual)
NABLA_TRACE_COMPARISON(==, Equal)
NABLA_TRACE_COMPARISON(!=, NotEqual)
#undef NABLA_TRACE_COMPARISON

inline std::ostream& operator<<(std::ostream& os, const TraceVar& x) { return os << x.value(); }

/// Records f at x into a Program: f is the generic callable the drivers take,
/// f(const VectorX<T>&) -> T or -> VectorX<T>, run once with T = TraceVar.
/// The Program replays f at any x where f's comparisons come out as they did
/// here (elsewhere it throws DomainError; see Program::guards_hold).
template <class F>
Program record(F&& f, const Eigen::VectorXd& x, const ProgramOptions& options = {}) {
  detail::require_nonempty(x, "record");
  ProgramBuilder builder(options);
  {
    detail::TraceScope scope(builder);
    VectorX<TraceVar> xs(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) xs[i] = TraceVar(x[i], builder.input(), builder.id());
    const VectorX<TraceVar> y = detail::as_vector<TraceVar>(f(std::as_const(xs)));
    for (Eigen::Index j = 0; j < y.size(); ++j) builder.output(detail::slot_in(builder, y[j]));
  }
  return std::move(builder).build();
}

}  // namespace nabla
