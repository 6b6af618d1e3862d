// Reductions over vectors that record as ONE statement in reverse mode
// instead of a chain of n binary ones: logsumexp and sum. On double and Dual
// they are the plain formulas; on Var the partials are computed directly
// (d logsumexp / d x_i = softmax_i, d sum / d x_i = 1).
#pragma once

#include <cmath>
#include <vector>

#include "nabla/ad/var.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

/// log(sum_i e^{x_i}) without overflow: m + log(sum_i e^{x_i - m}), m = max x_i.
/// An empty vector is a DimensionError; all entries -inf give -inf.
template <class T>
T logsumexp(const VectorX<T>& x) {
  using std::exp;
  using std::log;
  require_dimension(x.size() > 0, "logsumexp: empty vector");
  T m = x[0];
  for (Eigen::Index i = 1; i < x.size(); ++i)
    if (x[i] > m) m = x[i];
  if (m == -core::infinity) return m;
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
  if (m == -core::infinity) return BasicVar<T>(m);
  BasicTape<T>& tape = BasicTape<T>::active();
  auto writer = tape.begin_statement(static_cast<std::size_t>(n));
  T s = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const T e = exp(x[i].value() - m);
    s += e;
    if (x[i].is_active()) writer.push(e, x[i].index());
  }
  const T inverse = 1.0 / s;
  for (std::size_t k = 0; k < writer.count; ++k) writer.partial[k] = writer.partial[k] * inverse;
  return BasicVar<T>(m + log(s), tape.end_statement(writer));
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
  T s = 0;
  BasicTape<T>& tape = BasicTape<T>::active();
  auto writer = tape.begin_statement(static_cast<std::size_t>(x.size()));
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    s += x[i].value();
    if (x[i].is_active()) writer.push(T(1), x[i].index());
  }
  return BasicVar<T>(s, tape.end_statement(writer));
}

}  // namespace nabla
