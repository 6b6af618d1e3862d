// The derivative drivers of nabla: derivative, gradient, value_and_gradient,
// jacobian, hessian, hvp, jvp, vjp and directional_derivative. Each takes a
// generic callable f -- f(T) -> T for a scalar argument, f(const VectorX<T>&)
// -> T (or -> VectorX<T>) for a vector one -- and runs it on the AD scalar
// that suits the request: Dual for forward mode, Var for reverse mode, a Var
// over Duals for second derivatives (forward-over-reverse).
//
// f must compute from its argument on the calling thread. A Var captured
// from an enclosing recording, kept from an earlier one or made on another
// thread belongs to another recording: returning it is a DomainError, and
// so is using it inside f in builds that check every argument (without
// NDEBUG, or with NABLA_CHECK_RECORDINGS=1; see tape.hpp) -- elsewhere that
// is a wrong gradient or a write outside the adjoints. Within f, a recording
// of its own needs a TapeScope; resetting the driver's tape is a DomainError.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "nabla/ad/dual.hpp"
#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"

namespace nabla {

/// The value of f and its gradient, from one recording.
struct ValueAndGradient {
  double value;
  Eigen::VectorXd gradient;
};

namespace detail {

/// Lanes of a Dual used to sweep many directions at once.
inline constexpr int kLanes = 8;

inline void require_nonempty(const Eigen::VectorXd& x, const char* who) {
  if (x.size() == 0) throw DimensionError(std::string(who) + ": x is empty");
}

inline void require_same_size(const Eigen::VectorXd& x, const Eigen::VectorXd& v, const char* who,
                              const char* name) {
  if (x.size() != v.size())
    throw DimensionError(std::string(who) + ": x has " + std::to_string(x.size()) + " entries but " + name +
                         " has " + std::to_string(v.size()));
}

/// f's result as a vector of S, whether f returns a scalar or a vector.
template <class S, class Y>
VectorX<S> as_vector(const Y& y) {
  if constexpr (std::is_convertible_v<const Y&, S>) {
    VectorX<S> v(1);
    v[0] = S(y);
    return v;
  } else {
    return VectorX<S>(y);
  }
}

/// Records f on the active tape of T with the n inputs xs (whose values,
/// and tangents for a tape of duals, make_input gives) and returns f's
/// result. The inputs get consecutive indices (Tape::inputs), from
/// xs[0].index(). xs belongs to the caller and must outlive the result: f
/// may return an Eigen expression that refers to it (`2.0 * v`).
template <class T, class F, class MakeInput>
auto record(F& f, VectorX<BasicVar<T>>& xs, Eigen::Index n, MakeInput make_input) {
  BasicTape<T>& tape = BasicTape<T>::active();
  xs.resize(n);
  const auto first = tape.inputs(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i)
    xs[i] = BasicVar<T>(make_input(i), first + static_cast<decltype(first)>(i), tape.epoch());
  return f(std::as_const(xs));
}

/// Throws unless y (a result of f) was recorded on `tape`: a Var captured
/// from an enclosing recording, kept from an earlier one or made on another
/// thread would have the driver's sweep read and write out of bounds.
template <class T>
void require_recorded_on(const BasicTape<T>& tape, const BasicVar<T>& y, const char* who) {
  if (!tape.holds(y))
    throw DomainError(std::string(who) +
                      ": f's result was not recorded in this call (a Var captured from an enclosing "
                      "recording, kept from an earlier one, or made on another thread?)");
}

/// The adjoints of record's inputs, read after a reverse sweep: one
/// contiguous run of the tape's adjoints, as their indices are consecutive.
template <class T>
Eigen::Map<const VectorX<T>> input_adjoints(BasicTape<T>& tape, const VectorX<BasicVar<T>>& xs) {
  if (xs.size() == 0) return {nullptr, 0};
  return {&tape.adjoint(xs[0].index()), xs.size()};
}

/// The gradient of scalar f at x on a tape of T (T = double, or a Dual whose
/// input tangents `make_input` sets for forward-over-reverse).
template <class T, class F, class MakeInput>
std::pair<T, VectorX<T>> reverse_gradient(F& f, Eigen::Index n, MakeInput make_input) {
  TapeScope<T> scope("nabla::gradient (or hessian, hvp)");
  BasicTape<T>& tape = scope.tape();
  VectorX<BasicVar<T>> xs;
  const BasicVar<T> y = record<T>(f, xs, n, make_input);
  require_recorded_on(tape, y, "gradient");
  tape.clear_adjoints();
  if (y.is_active()) {
    tape.adjoint(y.index()) = T(1);
    tape.reverse();
  }
  return {y.value(), VectorX<T>(input_adjoints(tape, xs))};
}

/// Columns [first, first + L) of the Hessian by one forward-over-reverse pass.
template <int L, class F>
void hessian_columns(F& f, const Eigen::VectorXd& x, Eigen::Index first, Eigen::MatrixXd& h) {
  using D = Dual<double, L>;
  const Eigen::Index n = x.size();
  auto make_input = [&](Eigen::Index i) {
    const Eigen::Index lane = i - first;
    return lane >= 0 && lane < L ? D::variable(x[i], static_cast<std::size_t>(lane)) : D(x[i]);
  };
  auto [value, g] = reverse_gradient<D>(f, n, make_input);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index k = 0; k < L && first + k < n; ++k)
      h(i, first + k) = g[i].tangent(static_cast<std::size_t>(k));
}

template <int L, class F>
Eigen::MatrixXd forward_jacobian(F& f, const Eigen::VectorXd& x, Eigen::Index m) {
  using D = Dual<double, L>;
  const Eigen::Index n = x.size();
  Eigen::MatrixXd jac(m, n);
  for (Eigen::Index first = 0; first < n; first += L) {
    VectorX<D> xs(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::Index lane = i - first;
      xs[i] = lane >= 0 && lane < L ? D::variable(x[i], static_cast<std::size_t>(lane)) : D(x[i]);
    }
    const VectorX<D> y = as_vector<D>(f(std::as_const(xs)));
    require_dimension(y.size() == m, "jacobian: f returned vectors of different sizes");
    for (Eigen::Index j = 0; j < m; ++j)
      for (Eigen::Index k = 0; k < L && first + k < n; ++k)
        jac(j, first + k) = y[j].tangent(static_cast<std::size_t>(k));
  }
  return jac;
}

template <class F>
Eigen::MatrixXd reverse_jacobian(F& f, const Eigen::VectorXd& x, Eigen::Index m) {
  TapeScope<double> scope("nabla::jacobian");
  Tape& tape = scope.tape();
  VectorX<Var> xs;
  const VectorX<Var> y =
      as_vector<Var>(record<double>(f, xs, x.size(), [&](Eigen::Index i) { return x[i]; }));
  require_dimension(y.size() == m, "jacobian: f returned vectors of different sizes");
  for (const Var& yj : y) require_recorded_on(tape, yj, "jacobian");
  Eigen::MatrixXd jac(y.size(), x.size());
  for (Eigen::Index j = 0; j < y.size(); ++j) {
    tape.clear_adjoints();
    if (y[j].is_active()) {
      tape.adjoint(y[j].index()) = 1.0;
      tape.reverse();
    }
    jac.row(j) = input_adjoints(tape, xs).transpose();
  }
  return jac;
}

}  // namespace detail

/// df/dx at x for f: T -> T, by forward mode.
template <class F>
double derivative(F&& f, double x) {
  using D = Dual<double, 1>;
  const D y = f(D::variable(x, 0));
  return y.tangent(0);
}

/// f(x) and its gradient, for f: VectorX<T> -> T, by reverse mode.
template <class F>
ValueAndGradient value_and_gradient(F&& f, const Eigen::VectorXd& x) {
  detail::require_nonempty(x, "value_and_gradient");
  auto [value, g] = detail::reverse_gradient<double>(f, x.size(), [&](Eigen::Index i) { return x[i]; });
  return {value, std::move(g)};
}

/// The gradient of f: VectorX<T> -> T at x, by reverse mode.
template <class F>
Eigen::VectorXd gradient(F&& f, const Eigen::VectorXd& x) {
  return value_and_gradient(f, x).gradient;
}

/// The m-by-n Jacobian of f: VectorX<T> -> VectorX<T> (or -> T, a 1-by-n
/// row) at x: forward mode when f has no more inputs than outputs, reverse
/// mode (one sweep per output) otherwise.
template <class F>
Eigen::MatrixXd jacobian(F&& f, const Eigen::VectorXd& x) {
  detail::require_nonempty(x, "jacobian");
  const Eigen::Index m = detail::as_vector<double>(f(x)).size();
  if (x.size() <= m) return detail::forward_jacobian<detail::kLanes>(f, x, m);
  return detail::reverse_jacobian(f, x, m);
}

namespace detail {

/// (h + h^T) / 2 without overflow: 0.5 (a + b) is inf for entries near the
/// largest double (the Hessian of exp at 709.5 is 1.36e308).
inline Eigen::MatrixXd symmetric_part(const Eigen::MatrixXd& h) { return 0.5 * h + 0.5 * h.transpose(); }

/// The Hessian by passes of L columns each, the last one partly used:
/// hessian() picks 1, 2, 4 or 8 lanes by what is left, which compiles f
/// for four tapes of duals; this compiles it for one (for code that
/// instantiates many fs and is not timed, such as the test problems).
template <int L, class F>
Eigen::MatrixXd hessian_in_lanes(F& f, const Eigen::VectorXd& x) {
  require_nonempty(x, "hessian");
  const Eigen::Index n = x.size();
  Eigen::MatrixXd h(n, n);
  for (Eigen::Index first = 0; first < n; first += L) hessian_columns<L>(f, x, first, h);
  return symmetric_part(h);
}

}  // namespace detail

/// The Hessian of f: VectorX<T> -> T at x, by forward-over-reverse (a tape
/// of dual numbers, up to 8 columns per pass).
template <class F>
Eigen::MatrixXd hessian(F&& f, const Eigen::VectorXd& x) {
  detail::require_nonempty(x, "hessian");
  const Eigen::Index n = x.size();
  Eigen::MatrixXd h(n, n);
  for (Eigen::Index first = 0; first < n; first += detail::kLanes) {
    const Eigen::Index left = n - first;
    if (left <= 1)
      detail::hessian_columns<1>(f, x, first, h);
    else if (left <= 2)
      detail::hessian_columns<2>(f, x, first, h);
    else if (left <= 4)
      detail::hessian_columns<4>(f, x, first, h);
    else
      detail::hessian_columns<detail::kLanes>(f, x, first, h);
  }
  return detail::symmetric_part(h);
}

/// The Hessian-vector product H(x) v of f: VectorX<T> -> T, by one
/// forward-over-reverse pass (no Hessian is formed).
template <class F>
Eigen::VectorXd hvp(F&& f, const Eigen::VectorXd& x, const Eigen::VectorXd& v) {
  detail::require_nonempty(x, "hvp");
  detail::require_same_size(x, v, "hvp", "v");
  using D = Dual<double, 1>;
  auto [value, g] = detail::reverse_gradient<D>(
      f, x.size(), [&](Eigen::Index i) { return D(x[i], typename D::Tangent{v[i]}); });
  Eigen::VectorXd hv(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) hv[i] = g[i].tangent(0);
  return hv;
}

/// The Jacobian-vector product J(x) v of f: VectorX<T> -> VectorX<T> (or -> T),
/// by one forward pass.
template <class F>
Eigen::VectorXd jvp(F&& f, const Eigen::VectorXd& x, const Eigen::VectorXd& v) {
  detail::require_nonempty(x, "jvp");
  detail::require_same_size(x, v, "jvp", "v");
  using D = Dual<double, 1>;
  VectorX<D> xs(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) xs[i] = D(x[i], typename D::Tangent{v[i]});
  const VectorX<D> y = detail::as_vector<D>(f(std::as_const(xs)));
  Eigen::VectorXd jv(y.size());
  for (Eigen::Index j = 0; j < y.size(); ++j) jv[j] = y[j].tangent(0);
  return jv;
}

/// The vector-Jacobian product w^T J(x) of f: VectorX<T> -> VectorX<T>, by
/// one reverse sweep.
template <class F>
Eigen::VectorXd vjp(F&& f, const Eigen::VectorXd& x, const Eigen::VectorXd& w) {
  detail::require_nonempty(x, "vjp");
  TapeScope<double> scope("nabla::vjp");
  Tape& tape = scope.tape();
  VectorX<Var> xs;
  const VectorX<Var> y =
      detail::as_vector<Var>(detail::record<double>(f, xs, x.size(), [&](Eigen::Index i) { return x[i]; }));
  if (y.size() != w.size())
    throw DimensionError("vjp: f has " + std::to_string(y.size()) + " outputs but w has " +
                         std::to_string(w.size()) + " entries");
  for (const Var& yj : y) detail::require_recorded_on(tape, yj, "vjp");
  tape.clear_adjoints();
  for (Eigen::Index j = 0; j < y.size(); ++j)
    if (y[j].is_active()) tape.adjoint(y[j].index()) += w[j];
  tape.reverse();
  return Eigen::VectorXd(detail::input_adjoints(tape, xs));
}

/// The derivative of f: VectorX<T> -> T at x along the unit vector u / |u|.
/// A zero or non-finite direction is a DomainError; an f returning a vector
/// (of any size but 1) a DimensionError.
template <class F>
double directional_derivative(F&& f, const Eigen::VectorXd& x, const Eigen::VectorXd& u) {
  detail::require_nonempty(x, "directional_derivative");
  detail::require_same_size(x, u, "directional_derivative", "u");
  // u / max|u_i| first: its norm is between 1 and sqrt(n), so neither a
  // finite u near the largest double nor a subnormal one loses the direction.
  const double largest = u.cwiseAbs().maxCoeff();
  if (!(largest > 0) || !std::isfinite(largest) || !u.allFinite())
    throw DomainError("directional_derivative: the direction u must be non-zero and finite");
  const Eigen::VectorXd scaled = u / largest;
  const Eigen::VectorXd d = jvp(f, x, scaled / scaled.norm());
  if (d.size() != 1)
    throw DimensionError("directional_derivative: f must return a scalar, it returned " +
                         std::to_string(d.size()) + " values");
  return d[0];
}

}  // namespace nabla
