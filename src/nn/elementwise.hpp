// The two generic elementwise tape entries of nabla::nn (private to src/nn):
// binary<T, P> broadcasts two tensors through a binary primitive P (with a
// passive parameter if P takes one), unary<T, P>
// maps one tensor through a unary primitive P with a passive parameter. P has
// the shape of the registry's primitives (core/primitives.hpp): value and
// derivative (unary) or value, d_first and d_second (binary).
#pragma once

#include <string>

#include "nabla/core/primitives.hpp"
#include "nabla/nn/ops.hpp"

namespace nabla::nn::detail {

/// The strides that read an input broadcast to the output's shape.
struct Broadcast {
  Eigen::Index row_stride, col_stride;
};

inline Broadcast strides(Eigen::Index rows, Eigen::Index cols) {
  return {rows == 1 ? 0 : cols, cols == 1 ? 0 : 1};
}

inline Eigen::Index broadcast_dim(Eigen::Index a, Eigen::Index b, const char* name) {
  if (a == b || b == 1) return a;
  if (a == 1) return b;
  throw DimensionError(std::string("nn::") + name + ": shapes do not broadcast (" + std::to_string(a) +
                       " against " + std::to_string(b) + ")");
}

template <class T>
void require_same_tape(Tensor<T> a, Tensor<T> b, const char* name) {
  if (&a.tape() != &b.tape())
    throw DimensionError(std::string("nn::") + name + ": operands on different tapes");
}

// P's value and partials, with the op's passive parameter p when P takes one.
template <class P, class T>
NABLA_INLINE T value_of(const T& a, const T& b, double p) {
  if constexpr (requires { P::value(a, b, p); })
    return T(P::value(a, b, p));
  else
    return T(P::value(a, b));
}
template <class P, class T>
NABLA_INLINE T d_first_of(const T& a, const T& b, const T& y, double p) {
  if constexpr (requires { P::d_first(a, b, y, p); })
    return T(P::d_first(a, b, y, p));
  else
    return T(P::d_first(a, b, y));
}
template <class P, class T>
NABLA_INLINE T d_second_of(const T& a, const T& b, const T& y, double p) {
  if constexpr (requires { P::d_second(a, b, y, p); })
    return T(P::d_second(a, b, y, p));
  else
    return T(P::d_second(a, b, y));
}

// y = P(a, b) entrywise after broadcasting; ga += gy dP/da, gb += gy dP/db
// (a broadcast input sums the adjoints of the entries it was copied to).
template <class T, class P>
void binary_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& na = tape.node(n.a);
  const auto& nb = tape.node(n.b);
  if (na.rows == n.rows && na.cols == n.cols && nb.rows == n.rows && nb.cols == n.cols) {
    // No broadcasting: one flat loop per input, whatever the shape (an n x 1
    // column would otherwise run n inner loops of one entry), assigning an
    // input's adjoint that holds nothing yet (binary() set assigns_a and _b).
    const Eigen::Index size = n.rows * n.cols;
    const T *g = n.adjoint, *y = n.value, *va = na.value, *vb = nb.value;
    // gx = (fresh) or += g * partial(k) over every entry.
    const auto pull = [&](T* gx, bool fresh, auto partial) {
      if (!gx) return;
      if (fresh)
        for (Eigen::Index k = 0; k < size; ++k) gx[k] = g[k] * partial(k);
      else
        for (Eigen::Index k = 0; k < size; ++k) gx[k] += g[k] * partial(k);
    };
    const double p = n.p;
    pull(na.adjoint, tape.a_fresh(), [&](Eigen::Index k) { return d_first_of<P>(va[k], vb[k], y[k], p); });
    pull(nb.adjoint, tape.b_fresh(), [&](Eigen::Index k) { return d_second_of<P>(va[k], vb[k], y[k], p); });
    return;
  }
  const Broadcast sa = strides(na.rows, na.cols), sb = strides(nb.rows, nb.cols);
  for (Eigen::Index i = 0; i < n.rows; ++i) {
    for (Eigen::Index j = 0; j < n.cols; ++j) {
      const Eigen::Index ia = i * sa.row_stride + j * sa.col_stride,
                         ib = i * sb.row_stride + j * sb.col_stride;
      const T g = n.adjoint[i * n.cols + j], y = n.value[i * n.cols + j];
      if (na.adjoint) na.adjoint[ia] += g * d_first_of<P>(na.value[ia], nb.value[ib], y, n.p);
      if (nb.adjoint) nb.adjoint[ib] += g * d_second_of<P>(na.value[ia], nb.value[ib], y, n.p);
    }
  }
}

/// P(a, b) entrywise, broadcast; p is P's passive parameter, if it takes one.
template <class T, class P>
Tensor<T> binary(Tensor<T> a, Tensor<T> b, double p = 0.0) {
  require_same_tape(a, b, P::name);
  Tape<T>& tape = a.tape();
  const Eigen::Index rows = broadcast_dim(a.rows(), b.rows(), P::name);
  const Eigen::Index cols = broadcast_dim(a.cols(), b.cols(), P::name);
  Tensor<T> out = tape.make(rows, cols, a.requires_grad() || b.requires_grad(), &binary_backward<T, P>);
  auto& n = tape.node_mut(out.id());
  n.a = a.id();
  n.b = b.id();
  n.p = p;
  const T* va = a.value().data();
  const T* vb = b.value().data();
  if (a.rows() == rows && a.cols() == cols && b.rows() == rows && b.cols() == cols) {
    n.assigns_a = n.assigns_b = true;  // the reverse rule writes both adjoints whole
    for (Eigen::Index k = 0; k < rows * cols; ++k) n.value[k] = value_of<P>(va[k], vb[k], p);
    return out;
  }
  const Broadcast sa = strides(a.rows(), a.cols()), sb = strides(b.rows(), b.cols());
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j)
      n.value[i * cols + j] = value_of<P>(va[i * sa.row_stride + j * sa.col_stride],
                                          vb[i * sb.row_stride + j * sb.col_stride], p);
  return out;
}

/// gx = (or +=) gy P'(x, y; p) over `size` entries; Gy is a pointer or a
/// Uniform (the same gy for every entry). The arrays are distinct (an op's
/// output never aliases its input), which lets the loop vectorize.
template <class T, class P, bool assign, class Gy>
void unary_pullback(T* __restrict gx, Gy gy, const T* __restrict x, const T* __restrict y, Eigen::Index size,
                    double p) {
  for (Eigen::Index k = 0; k < size; ++k) {
    const T g = gy[k] * T(P::derivative(x[k], y[k], p));
    if constexpr (assign)
      gx[k] = g;
    else
      gx[k] += g;
  }
}

template <class T>
struct Uniform {
  T value;
  T operator[](Eigen::Index) const { return value; }
};

// y = P(x; p); gx += gy P'(x, y; p)
template <class T, class P>
void unary_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const Eigen::Index size = n.rows * n.cols;
  // gx = when nothing is in it yet (no zeroing first), else gx +=.
  const auto pull = [&](auto gy) {
    if (tape.a_fresh())
      unary_pullback<T, P, true>(nx.adjoint, gy, nx.value, n.value, size, n.p);
    else
      unary_pullback<T, P, false>(nx.adjoint, gy, nx.value, n.value, size, n.p);
  };
  if (tape.adjoint_uniform())
    pull(Uniform<T>{tape.uniform_adjoint()});
  else
    pull(static_cast<const T*>(n.adjoint));
}

template <class T, class P>
Tensor<T> unary(Tensor<T> x, double parameter = 0.0) {
  Tape<T>& tape = x.tape();
  Tensor<T> out = tape.make(x.rows(), x.cols(), x.requires_grad(), &unary_backward<T, P>);
  auto& n = tape.node_mut(out.id());
  n.a = x.id();
  n.assigns_a = true;
  n.reads_uniform = true;
  n.p = parameter;
  const T* __restrict v = x.value().data();
  T* __restrict y = n.value;
  const Eigen::Index size = x.size();
  for (Eigen::Index k = 0; k < size; ++k) y[k] = T(P::value(v[k], parameter));
  return out;
}

}  // namespace nabla::nn::detail
