// Reverse mode: nabla::Var, a double recorded on the thread's active Tape.
// Arithmetic and every primitive of the registry build expression templates
// (ad/expression.hpp); a Var made from one records a single statement. A Var
// made from a plain number is passive (index 0) and costs nothing on the tape.
// BasicVar<T> records on BasicTape<T>: with T = Dual it is the tape of dual
// numbers that forward-over-reverse Hessians use.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <ostream>
#include <type_traits>

#include "nabla/ad/expression.hpp"
#include "nabla/ad/tape.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

template <class T>
class BasicVar;

/// The reverse-mode scalar of double precision.
using Var = BasicVar<double>;
/// The tape Vars record on.
using Tape = BasicTape<double>;

template <class X>
struct is_var : std::false_type {};
template <class T>
struct is_var<BasicVar<T>> : std::true_type {};

namespace detail {

/// A Var or a node of an expression on Vars.
template <class X>
concept Active = is_var<X>::value || Node<X>;

template <class X>
struct scalar_of {
  using type = typename X::scalar;
};
template <class T>
struct scalar_of<BasicVar<T>> {
  using type = T;
};
template <class X>
using scalar_t = typename scalar_of<X>::type;

/// A passive operand next to active ones of scalar T: a number or a T.
template <class S, class T>
concept PassiveFor = std::is_arithmetic_v<S> || std::is_same_v<S, T>;

template <class T>
NABLA_INLINE Leaf<T> as_node(const BasicVar<T>& v) {
  v.share();  // the leaf may be recorded after v += ...
  return Leaf<T>(v.value(), v.index(), v.epoch());
}
template <Node E>
const E& as_node(const E& e) {
  return e;
}
template <class X>
using node_t = std::remove_cvref_t<decltype(as_node(std::declval<const X&>()))>;

}  // namespace detail

template <class T>
class BasicVar {
 public:
  using scalar = T;
  using Index = typename BasicTape<T>::Index;
  using Epoch = typename BasicTape<T>::Epoch;

  /// A passive zero.
  BasicVar() : value_(0), index_(0) {}
  /// A passive constant.
  template <class S>
  requires detail::PassiveFor<S, T> BasicVar(const S& value)
      : value_(T(value)), index_(0) {}  // NOLINT: implicit by design
  /// A recorded value at an index of the recording of the given epoch (as
  /// Tape::input makes).
  BasicVar(const T& value, Index index, Epoch epoch) : value_(value), index_(index), epoch_(epoch) {}
  /// A recorded value at an index of the active tape's current recording.
  BasicVar(const T& value, Index index) : BasicVar(value, index, BasicTape<T>::active().epoch()) {}
  /// Records the expression as one statement.
  template <detail::Node E>
  requires std::is_same_v<typename E::scalar, T> BasicVar(const E& e) {  // NOLINT: implicit by design
    record(e);
  }
  /// A copy holds the same tape index, so `x += e` may no longer extend
  /// the statement of x in place (see operator+=).
  BasicVar(const BasicVar& other) noexcept
      : value_(other.value_), index_(other.index_), epoch_(other.epoch_) {
    other.share();
  }
  BasicVar& operator=(const BasicVar& other) noexcept {
    other.share();
    value_ = other.value_;
    index_ = other.index_;
    epoch_ = other.epoch_;
    extendable_ = false;
    return *this;
  }

  template <detail::Node E>
  requires std::is_same_v<typename E::scalar, T> BasicVar& operator=(const E& e) {
    record(e);
    return *this;
  }
  template <class S>
  requires detail::PassiveFor<S, T> BasicVar& operator=(const S& value) {
    value_ = T(value);
    index_ = 0;
    extendable_ = false;
    return *this;
  }

  /// x += e and x -= e extend the statement of x in place when x made it
  /// with += or -=, nothing was recorded since, and its index was not
  /// shared (copied, or made a leaf of an expression, which may be recorded
  /// later and must mean the value it was made from): a loop of `x += ...`
  /// is then one statement, and the reverse sweep passes no adjoint down a
  /// chain of partial sums (BasicTape::end_accumulation). Otherwise it
  /// records x_new = x + e. Adding a passive number records nothing (the
  /// index stays: d x_new / d x = 1).
  template <class E>
  NABLA_INLINE BasicVar& operator+=(const E& e) {
    add<true>(e);
    return *this;
  }
  template <class E>
  NABLA_INLINE BasicVar& operator-=(const E& e) {
    add<false>(e);
    return *this;
  }
  template <class E>
  BasicVar& operator*=(const E& e) {
    return *this = *this * e;
  }
  template <class E>
  BasicVar& operator/=(const E& e) {
    return *this = *this / e;
  }

  const T& value() const { return value_; }
  /// The tape index; 0 for a passive value.
  Index index() const { return index_; }
  /// Whether derivatives flow into this value.
  bool is_active() const { return index_ != 0; }
  /// The epoch of the recording that made this value (tape.hpp); only
  /// meaningful for an active value.
  Epoch epoch() const { return epoch_; }

 private:
  template <class E>
  NABLA_INLINE void record(const E& e) {
    const T value = e.value();
    BasicTape<T>& tape = BasicTape<T>::active_with_room(E::max_args);
    auto writer = tape.reserved_statement();
    e.accumulate(T(1), writer);
    value_ = value;
    index_ = tape.template end_reserved_statement<E::max_args>(writer);
    epoch_ = tape.epoch();
    extendable_ = false;  // a statement made by assignment is never extended
  }

  template <bool Plus, class E>
  NABLA_INLINE void add(const E& e) {
    if constexpr (detail::Active<E>) {
      const auto& node = detail::as_node(e);  // e itself, or the leaf of a Var
      using N = std::remove_cvref_t<decltype(node)>;
      constexpr std::size_t max_args = N::max_args + 1;  // with the pair of *this
      const T v = node.value();
      BasicTape<T>& tape = BasicTape<T>::active_with_room(max_args);
      auto writer = tape.reserved_statement();
      node.accumulate(Plus ? T(1) : T(-1), writer);
      index_ = tape.template end_accumulation<max_args>(index_, epoch_, extendable_, writer);
      epoch_ = tape.epoch();
      extendable_ = index_ != 0;
      value_ = Plus ? value_ + v : value_ - v;
    } else {
      value_ = Plus ? value_ + T(e) : value_ - T(e);
    }
  }

  /// Ends this Var's sole hold on its index. Written only when set, so that
  /// a Var that is only read (a constant shared between threads) is never
  /// written to.
  NABLA_INLINE void share() const {
    if (extendable_) extendable_ = false;
  }

  template <class U>
  friend detail::Leaf<U> detail::as_node(const BasicVar<U>&);

  T value_;
  Index index_;
  /// Whether this Var alone holds a statement it made by += or -= (see
  /// operator+=): set there, cleared by copies, leaves and assignments.
  mutable bool extendable_ = false;
  /// The epoch of the recording of index_ (tape.hpp), in what was padding.
  Epoch epoch_ = 0;
};
static_assert(sizeof(BasicVar<double>) == 16, "a Var is a double, an index and two flags' worth of padding");

/// The double inside a Var or an expression on Vars.
template <detail::Active X>
double passive_value(const X& x) {
  using core::passive_value;
  return passive_value(x.value());
}

// Arithmetic: active op active, active op passive, passive op active.
#define NABLA_VAR_BINARY(fn, Op)                                                                        \
  template <detail::Active A, detail::Active B>                                                         \
  requires std::is_same_v<detail::scalar_t<A>, detail::scalar_t<B>> NABLA_INLINE auto fn(const A& a,    \
                                                                                         const B& b) {  \
    return detail::Binary<core::Op, detail::node_t<A>, detail::node_t<B>>(detail::as_node(a),           \
                                                                          detail::as_node(b));          \
  }                                                                                                     \
  template <detail::Active A, class S>                                                                  \
  requires detail::PassiveFor<S, detail::scalar_t<A>> NABLA_INLINE auto fn(const A& a, const S& b) {    \
    using T = detail::scalar_t<A>;                                                                      \
    return detail::Binary<core::Op, detail::node_t<A>, detail::Constant<T>>(detail::as_node(a),         \
                                                                            detail::Constant<T>(T(b))); \
  }                                                                                                     \
  template <class S, detail::Active B>                                                                  \
  requires detail::PassiveFor<S, detail::scalar_t<B>> NABLA_INLINE auto fn(const S& a, const B& b) {    \
    using T = detail::scalar_t<B>;                                                                      \
    return detail::Binary<core::Op, detail::Constant<T>, detail::node_t<B>>(detail::Constant<T>(T(a)),  \
                                                                            detail::as_node(b));        \
  }
#define NABLA_VAR_OPERATOR(token, Op) NABLA_VAR_BINARY(operator token, Op)
NABLA_ARITHMETIC_OPERATORS(NABLA_VAR_OPERATOR)
NABLA_BINARY_FUNCTIONS(NABLA_VAR_BINARY)
#undef NABLA_VAR_OPERATOR
#undef NABLA_VAR_BINARY

template <detail::Active A>
auto operator-(const A& a) {
  return detail::Unary<core::Neg, detail::node_t<A>>(detail::as_node(a), 0.0);
}
template <detail::Active A>
const A& operator+(const A& a) {
  return a;
}

#define NABLA_VAR_UNARY(fn, Op)                                                 \
  template <detail::Active A>                                                   \
  NABLA_INLINE auto fn(const A& a) {                                            \
    return detail::Unary<core::Op, detail::node_t<A>>(detail::as_node(a), 0.0); \
  }
NABLA_UNARY_FUNCTIONS(NABLA_VAR_UNARY)
#undef NABLA_VAR_UNARY

/// x^n for an integer n.
template <detail::Active A>
auto pow(const A& a, int n) {
  return detail::Unary<core::PowInt, detail::node_t<A>>(detail::as_node(a), n);
}
/// softplus(x, t) = t log(1 + e^{x/t}).
template <detail::Active A>
auto softplus(const A& a, double temperature = 1.0) {
  return detail::Unary<core::Softplus, detail::node_t<A>>(detail::as_node(a), temperature);
}
/// leaky_relu(x, alpha).
template <detail::Active A>
auto leaky_relu(const A& a, double alpha = core::LeakyRelu::default_parameter) {
  return detail::Unary<core::LeakyRelu, detail::node_t<A>>(detail::as_node(a), alpha);
}

// Comparisons look at the value only, so that user code can branch.
template <class A, class B>
concept VarComparison = (detail::Active<A> || detail::Active<B>)&&(
    detail::Active<A> || std::is_arithmetic_v<A>)&&(detail::Active<B> || std::is_arithmetic_v<B>);

#define NABLA_VAR_COMPARISON(token)                 \
  template <class A, class B>                       \
  requires VarComparison<A, B>                      \
  bool operator token(const A& a, const B& b) {     \
    using core::passive_value;                      \
    return passive_value(a) token passive_value(b); \
  }
NABLA_VAR_COMPARISON(<)
NABLA_VAR_COMPARISON(<=)
NABLA_VAR_COMPARISON(>)
NABLA_VAR_COMPARISON(>=)
NABLA_VAR_COMPARISON(==)
NABLA_VAR_COMPARISON(!=)
#undef NABLA_VAR_COMPARISON

template <class T>
std::ostream& operator<<(std::ostream& os, const BasicVar<T>& x) {
  return os << x.value();
}

}  // namespace nabla

namespace Eigen {
template <class T>
struct NumTraits<nabla::BasicVar<T>> : NumTraits<double> {
  using Real = nabla::BasicVar<T>;
  using NonInteger = nabla::BasicVar<T>;
  using Nested = nabla::BasicVar<T>;
  using Literal = nabla::BasicVar<T>;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 1,
    AddCost = 4,
    MulCost = 4
  };
};
template <class T, class BinaryOp>
struct ScalarBinaryOpTraits<nabla::BasicVar<T>, double, BinaryOp> {
  using ReturnType = nabla::BasicVar<T>;
};
template <class T, class BinaryOp>
struct ScalarBinaryOpTraits<double, nabla::BasicVar<T>, BinaryOp> {
  using ReturnType = nabla::BasicVar<T>;
};
}  // namespace Eigen
