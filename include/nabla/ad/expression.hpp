// The expression templates of reverse mode. An arithmetic expression on Vars,
// `exp(x) * sin(y) + x / (1 + y * y)`, builds a tree of nodes on the stack;
// assigning it to a Var records ONE statement whose arguments are the leaves,
// with partials accumulated through the tree by the chain rule (statement-level
// pre-accumulation, as in Adept and CoDiPack). The two sides of a binary node
// that each reach one leaf through arithmetic only (x * x, (100 * t) * t,
// (1 + x) / x) are checked for being the same leaf and then recorded as one
// argument: a shorter tape, and no read-after-write of one adjoint within a
// statement in the reverse sweep. Every node computes its value
// when it is made (a unary one its derivative too, next to the value, which
// lets the compiler compute sin and cos of one argument in one call) and
// holds its children by value, so `auto y = a * b;` is a complete, safe
// expression and never refers to a temporary that has gone.
#pragma once

#include <cstddef>
#include <type_traits>

#include "nabla/ad/tape.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

/// The base of every expression node: brings nabla's operators and functions
/// into argument-dependent lookup for nodes of nabla::detail.
struct ExpressionNode {};

}  // namespace nabla

namespace nabla::detail {

/// A node of an expression tree: value(), max_args (an upper bound on its
/// active leaves), is_constant, and accumulate(m, writer), which offers
/// (m * d node / d leaf, leaf index, leaf epoch) for every leaf to
/// writer.push_active, which keeps the pairs of active leaves (index != 0)
/// and checks that they are of the recording written to (tape.hpp). The writers keep
/// them without a branch: the pair is always written and the count advanced
/// by (index != 0), within the max_args pairs reserved, so that recording
/// code has one path whatever leaves are passive (measured: 10% less
/// recording time on bench (d); bench/README.md).
template <class E>
concept Node = requires {
  typename E::node_tag;
};

/// A writer that sums what is pushed: the partial of one leaf reached twice.
/// The leaf's epoch is checked by the writer W of the statement.
template <class T, class W>
struct Capture {
  explicit Capture(W& writer) : w(writer) {}
  W& w;
  T p = T(0);
  /// Whether the leaf is active is decided once, on the summed pair.
  template <class I, class E>
  NABLA_INLINE void push_active(const T& v, I i, E e) {
    p += v;
    w.check(i, e);
  }
};

/// A recorded Var inside an expression: its value, tape index and epoch.
template <class T>
struct Leaf : ExpressionNode {
  using node_tag = void;
  using scalar = T;
  static constexpr std::size_t max_args = 1;
  static constexpr bool is_constant = false;
  static constexpr bool has_unary = false;

  T v;
  typename BasicTape<T>::Index index;
  typename BasicTape<T>::Epoch epoch;

  Leaf(const T& value, typename BasicTape<T>::Index i, typename BasicTape<T>::Epoch e)
      : v(value), index(i), epoch(e) {}

  const T& value() const { return v; }
  /// The index of the one leaf of a node with max_args == 1.
  NABLA_INLINE typename BasicTape<T>::Index leaf_index() const { return index; }
  template <class W>
  NABLA_INLINE void accumulate(const T& m, W& w) const {
    w.push_active(m, index, epoch);
  }
};

/// A passive number inside an expression: no derivative flows into it.
template <class T>
struct Constant : ExpressionNode {
  using node_tag = void;
  using scalar = T;
  static constexpr std::size_t max_args = 0;
  static constexpr bool is_constant = true;
  static constexpr bool has_unary = false;

  T v;

  explicit Constant(const T& value) : v(value) {}
  const T& value() const { return v; }
  template <class W>
  NABLA_INLINE void accumulate(const T&, W&) const {}
};

/// Op(a; p) for a unary primitive of the registry.
template <class Op, class A>
struct Unary : ExpressionNode {
  using node_tag = void;
  using scalar = typename A::scalar;
  static constexpr std::size_t max_args = A::max_args;
  static constexpr bool is_constant = false;
  static constexpr bool has_unary = true;

  A a;
  scalar y;
  scalar dy;  // Op'(a)

  NABLA_INLINE Unary(const A& arg, double parameter)
      : a(arg),
        y(Op::value(arg.value(), parameter)),
        dy(core::unary_partial<Op>(arg.value(), y, parameter)) {}
  const scalar& value() const { return y; }
  NABLA_INLINE auto leaf_index() const requires(max_args == 1) { return a.leaf_index(); }
  // d/dleaf Op(a) = Op'(a) * d a / d leaf
  template <class W>
  NABLA_INLINE void accumulate(const scalar& m, W& w) const {
    a.accumulate(m * dy, w);
  }
};

/// Op(a, b) for a binary primitive of the registry; a constant side gets no
/// partial computed at all.
template <class Op, class A, class B>
struct Binary : ExpressionNode {
  using node_tag = void;
  using scalar = typename A::scalar;
  static_assert(std::is_same_v<scalar, typename B::scalar>, "operands of different scalar types");
  static constexpr std::size_t max_args = A::max_args + B::max_args;
  static constexpr bool is_constant = false;
  static constexpr bool has_unary = A::has_unary || B::has_unary;

  A a;
  B b;
  scalar y;

  NABLA_INLINE Binary(const A& left, const B& right)
      : a(left), b(right), y(Op::value(left.value(), right.value())) {}
  const scalar& value() const { return y; }
  NABLA_INLINE auto leaf_index() const requires(max_args == 1) {
    if constexpr (A::is_constant)
      return b.leaf_index();
    else
      return a.leaf_index();
  }
  // d/dleaf Op(a, b) = Op_a * d a / d leaf + Op_b * d b / d leaf
  template <class W>
  NABLA_INLINE void accumulate(const scalar& m, W& w) const {
    if constexpr (A::max_args == 1 && B::max_args == 1 && !A::has_unary && !B::has_unary) {
      const auto i = a.leaf_index();
      if (i == b.leaf_index()) {
        Capture<scalar, W> c(w);
        a.accumulate(m * core::binary_partial_first<Op>(a.value(), b.value(), y), c);
        b.accumulate(m * core::binary_partial_second<Op>(a.value(), b.value(), y), c);
        if (i != 0) w.push(c.p, i);
        return;
      }
    }
    if constexpr (!A::is_constant)
      a.accumulate(m * core::binary_partial_first<Op>(a.value(), b.value(), y), w);
    if constexpr (!B::is_constant)
      b.accumulate(m * core::binary_partial_second<Op>(a.value(), b.value(), y), w);
  }
};

}  // namespace nabla::detail
