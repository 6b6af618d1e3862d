// Reductions that record as ONE statement in reverse mode instead of a chain
// of n binary ones: logsumexp and sum of a vector, and RunningSum, a sum
// built term by term in a loop. On double and Dual they are the plain
// formulas; on Var the partials are computed directly (d logsumexp / d x_i =
// softmax_i, d sum / d x_i = 1) or, for RunningSum, by each term's
// expression template.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "nabla/ad/var.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

/// log(sum_i e^{x_i}) without overflow: m + log(sum_i e^{x_i - m}), m = max x_i.
/// An empty vector is a DimensionError. Where m is infinite (an entry +inf,
/// or every entry -inf) the result is m, and the entries equal to m share
/// the weight equally, as in the binary logsumexp: partials 1/k for the k
/// of them, 0 for the rest (not inf - inf = NaN).
template <class T>
T logsumexp(const VectorX<T>& x) {
  using std::exp;
  using std::log;
  require_dimension(x.size() > 0, "logsumexp: empty vector");
  T m = x[0];
  for (Eigen::Index i = 1; i < x.size(); ++i)
    if (x[i] > m) m = x[i];
  if (m == core::infinity || m == -core::infinity) {
    T total = 0;
    double k = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i)
      if (x[i] == m) {
        total += x[i];
        ++k;
      }
    return total / k;  // m, with the mean of their tangents in forward mode
  }
  T s = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += exp(x[i] - m);
  return m + log(s);
}

/// logsumexp of Vars as one statement: y = m + log(s), s = sum e^{x_i - m};
/// dy/dx_i = e^{x_i - m} / s, so each exponential is computed once and the
/// partials are scaled in place on the tape once s is known.
template <class T>
BasicVar<T> logsumexp(const VectorX<BasicVar<T>>& x) {
  using std::exp;
  using std::log;
  require_dimension(x.size() > 0, "logsumexp: empty vector");
  const Eigen::Index n = x.size();
  T m = x[0].value();
  for (Eigen::Index i = 1; i < n; ++i)
    if (x[i].value() > m) m = x[i].value();
  BasicTape<T>& tape = BasicTape<T>::active();
  auto writer = tape.begin_statement(static_cast<std::size_t>(n));
  if (m == core::infinity || m == -core::infinity) {  // see logsumexp above
    std::size_t k = 0;
    for (Eigen::Index i = 0; i < n; ++i) k += x[i].value() == m;
    for (Eigen::Index i = 0; i < n; ++i)
      if (x[i].value() == m && x[i].is_active()) {
        writer.push(T(1.0 / static_cast<double>(k)), x[i].index());
        writer.check(x[i].index(), x[i].epoch());
      }
    return BasicVar<T>(m, tape.end_statement(writer), tape.epoch());
  }
  T s = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const T e = exp(x[i].value() - m);
    s += e;
    if (x[i].is_active()) {
      writer.push(e, x[i].index());
      writer.check(x[i].index(), x[i].epoch());
    }
  }
  const T inverse = 1.0 / s;
  for (std::size_t k = 0; k < writer.count; ++k) writer.partial[k] = writer.partial[k] * inverse;
  return BasicVar<T>(m + log(s), tape.end_statement(writer), tape.epoch());
}

/// The sum of the entries (0 for an empty vector).
template <class T>
T sum(const VectorX<T>& x) {
  T s = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += x[i];
  return s;
}

/// The sum of Vars as one statement with unit partials.
template <class T>
BasicVar<T> sum(const VectorX<BasicVar<T>>& x) {
  BasicTape<T>& tape = BasicTape<T>::active();
  auto writer = tape.begin_statement(static_cast<std::size_t>(x.size()));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    if (x[i].is_active()) {
      writer.push(T(1), x[i].index());
      writer.check(x[i].index(), x[i].epoch());
    }
  }
  const auto index = tape.end_statement(writer);
  // Summed after that call: a sum live across it is kept in memory by GCC
  // for the whole function, a store and a reload per term (3x slower).
  T s = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i) s += x[i].value();
  return BasicVar<T>(s, index, tape.epoch());
}

/// A sum built term by term, s += e or s -= e, then read as a T. On double
/// and Dual it is the running sum, computed in the order written, as
/// `s = s + e` would be.
template <class T>
class RunningSum {
 public:
  template <class E>
  RunningSum& operator+=(const E& e) {
    value_ = value_ + e;
    return *this;
  }
  template <class E>
  RunningSum& operator-=(const E& e) {
    value_ = value_ - e;
    return *this;
  }
  operator T() const { return value_; }  // NOLINT: read as the scalar it sums

 private:
  T value_ = T(0);
};

/// On Vars, each term's leaves (with their partials, from its expression
/// template, negated for -=) are gathered as the term is added, and reading
/// the sum records ONE statement of all of them: sum_j a_j b_j over a loop
/// is one statement of 2m arguments instead of m statements of three, and
/// the reverse sweep passes no adjoint down a chain of partial sums. The
/// value is the same running sum as on double. Terms may be recorded in
/// between (a term may be a Var computed after the previous one was added).
/// Up to 32 arguments are kept (on the stack, no allocation); a longer sum
/// records those as one statement and goes on from its result.
template <class T>
// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init): partial_, index_ are read only below count_
class RunningSum<BasicVar<T>> {
 public:
  using Index = typename BasicTape<T>::Index;
  using Epoch = typename BasicTape<T>::Epoch;

  template <class E>
  NABLA_INLINE RunningSum& operator+=(const E& e) {
    add(e, true);
    return *this;
  }
  template <class E>
  NABLA_INLINE RunningSum& operator-=(const E& e) {
    add(e, false);
    return *this;
  }
  /// Records the sum's statement on the active tape (once: later reads
  /// reuse it until another term is added).
  operator BasicVar<T>() {  // NOLINT: read as the scalar it sums
    if (count_ == 0) return BasicVar<T>(value_);
    bool one_leaf = settled_;  // the sum is one recorded value, as it is
    if constexpr (std::is_arithmetic_v<T>) one_leaf = one_leaf || (count_ == 1 && partial_[0] == 1);
    if (!one_leaf) flush();  // leaves (1, the statement's index) as the only pair
    settled_ = true;
    return BasicVar<T>(value_, index_[0], epoch_);
  }

 private:
  static constexpr std::size_t kCapacity = 32;

  /// Where accumulate() pushes a term's pairs: the tape's writer, into this sum's arrays.
  using Writer = typename BasicTape<T>::Writer;

  template <class E>
  NABLA_INLINE void add(const E& e, bool plus) {
    settled_ = false;
    if constexpr (detail::Active<E>) {
      const auto node = detail::as_node(e);
      using Node = std::remove_cvref_t<decltype(node)>;
      if constexpr (Node::max_args >= kCapacity) {
        add(BasicVar<T>(node), plus);  // a term too long to gather: its own statement first
      } else {
        if (count_ + Node::max_args > kCapacity) [[unlikely]]
          flush();
        if (count_ == 0) epoch_ = BasicTape<T>::active().epoch();  // the pairs gathered are of one recording
        Writer w{partial_.data(), index_.data(), count_, epoch_};
        node.accumulate(plus ? T(1) : T(-1), w);  // throws on a term of another recording
        count_ = w.count;
        const T v = node.value();
        value_ = plus ? value_ + v : value_ - v;
      }
    } else {
      value_ = plus ? value_ + T(e) : value_ - T(e);
    }
  }

  /// Records the pairs so far as one statement, which becomes the only pair.
  void flush() {
    BasicTape<T>& tape = BasicTape<T>::active();
    auto writer = tape.begin_statement(count_);
    for (std::size_t k = 0; k < count_; ++k) {
      writer.push(partial_[k], index_[k]);
      writer.check(index_[k], epoch_);
    }
    const Index recorded = tape.end_statement(writer);
    epoch_ = tape.epoch();
    count_ = 0;
    if (recorded != 0) {
      partial_[0] = T(1);
      index_[0] = recorded;
      count_ = 1;
    }
  }

  T value_ = T(0);
  std::size_t count_ = 0;
  bool settled_ = false;  ///< the one pair is the statement the last read recorded
  Epoch epoch_ = 0;       ///< the recording of the pairs gathered
  std::array<T, kCapacity> partial_;
  std::array<Index, kCapacity> index_;
};

}  // namespace nabla
