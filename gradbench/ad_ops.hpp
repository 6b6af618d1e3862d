// The n-ary reductions the GradBench objectives are written with: sum, dot
// products, squared norm, log-sum-exp and sum of exponentials over raw
// arrays. On double and Dual they are the plain loops; on Var each records
// ONE tape statement whose partials are the reduction's own derivative rule
// (d sum / d x_i = 1, d (a.b) / d a_i = b_i, d |x|^2 / d x_i = 2 x_i,
// d lse / d x_i = softmax_i, d sum e^x / d x_i = e^{x_i}), as
// nabla/ad/reductions.hpp does for Eigen vectors. Pointers, not vectors, so
// that an objective allocates nothing while it is recorded.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "nabla/ad/var.hpp"

namespace nabla::gradbench {

/// The double inside a double or an AD scalar (for decisions such as the
/// shift of a log-sum-exp, which carry no derivative).
inline double value_of(double x) { return x; }
template <class X>
double value_of(const X& x) {
  return passive_value(x);
}

/// sum_i x_i.
template <class T>
T sum_of(const T* x, std::size_t n) {
  T s(0.0);
  for (std::size_t i = 0; i < n; ++i) s += x[i];
  return s;
}

/// offset + sum_i c_i x_i with passive coefficients c and offset.
template <class T>
T affine(double offset, const T* x, const double* c, std::size_t n) {
  T s(offset);
  for (std::size_t i = 0; i < n; ++i) s += c[i] * x[i];
  return s;
}

/// sum_i a_i b_i.
template <class T>
T dot(const T* a, const T* b, std::size_t n) {
  T s(0.0);
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

/// sum_i x_i^2.
template <class T>
T sqnorm(const T* x, std::size_t n) {
  T s(0.0);
  for (std::size_t i = 0; i < n; ++i) s += x[i] * x[i];
  return s;
}

/// sum_i e^{x_i} (no shift: callers keep x moderate).
template <class T>
T sum_exp(const T* x, std::size_t n) {
  using std::exp;
  T s(0.0);
  for (std::size_t i = 0; i < n; ++i) s += exp(x[i]);
  return s;
}

/// log sum_i e^{x_i} = m + log sum_i e^{x_i - m}, m = max_i x_i (n > 0).
template <class T>
T logsumexp(const T* x, std::size_t n) {
  using std::exp;
  using std::log;
  double m = value_of(x[0]);
  for (std::size_t i = 1; i < n; ++i) m = std::max(m, value_of(x[i]));
  T s(0.0);
  for (std::size_t i = 0; i < n; ++i) s += exp(x[i] - m);
  return m + log(s);
}

// ---------------------------------------------------------------- Var ---

/// sum_i x_i as one statement: partials 1.
inline Var sum_of(const Var* x, std::size_t n) {
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    s += x[i].value();
    if (x[i].is_active()) w.push(1.0, x[i].index());
  }
  return Var(s, tape.end_statement(w));
}

/// offset + sum_i c_i x_i as one statement: partials c_i.
inline Var affine(double offset, const Var* x, const double* c, std::size_t n) {
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(n);
  double s = offset;
  for (std::size_t i = 0; i < n; ++i) {
    s += c[i] * x[i].value();
    if (x[i].is_active()) w.push(c[i], x[i].index());
  }
  return Var(s, tape.end_statement(w));
}

/// sum_i a_i b_i as one statement: d/da_i = b_i, d/db_i = a_i.
inline Var dot(const Var* a, const Var* b, std::size_t n) {
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(2 * n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double av = a[i].value();
    const double bv = b[i].value();
    s += av * bv;
    if (a[i].is_active()) w.push(bv, a[i].index());
    if (b[i].is_active()) w.push(av, b[i].index());
  }
  return Var(s, tape.end_statement(w));
}

/// sum_i x_i^2 as one statement: partials 2 x_i.
inline Var sqnorm(const Var* x, std::size_t n) {
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i].value();
    s += v * v;
    if (x[i].is_active()) w.push(2 * v, x[i].index());
  }
  return Var(s, tape.end_statement(w));
}

/// sum_i e^{x_i} as one statement: partials e^{x_i}.
inline Var sum_exp(const Var* x, std::size_t n) {
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = std::exp(x[i].value());
    s += e;
    if (x[i].is_active()) w.push(e, x[i].index());
  }
  return Var(s, tape.end_statement(w));
}

/// log-sum-exp as one statement: partials e^{x_i - m} / s, written once s is known.
inline Var logsumexp(const Var* x, std::size_t n) {
  double m = x[0].value();
  for (std::size_t i = 1; i < n; ++i) m = std::max(m, x[i].value());
  Tape& tape = Tape::active();
  auto w = tape.begin_statement(n);
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double e = std::exp(x[i].value() - m);
    s += e;
    if (x[i].is_active()) w.push(e, x[i].index());
  }
  const double inverse = 1.0 / s;
  for (std::size_t k = 0; k < w.count; ++k) w.partial[k] *= inverse;
  return Var(m + std::log(s), tape.end_statement(w));
}

}  // namespace nabla::gradbench
