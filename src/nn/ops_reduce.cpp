// Reductions and the normalizations built on them: sum, mean, logsumexp,
// softmax and log_softmax over an axis, each forward beside its reverse rule.
// A reduction walks "lanes": each output entry reduces one lane of the input,
// a row (axis 1), a column (axis 0) or everything (axis -1).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "nabla/nn/ops.hpp"

namespace nabla::nn {
namespace {

/// The lanes of a rows x cols input along an axis: lane k, entry e sits at
/// k * lane_stride + e * entry_stride.
struct Lanes {
  Eigen::Index count, length, lane_stride, entry_stride;
  Eigen::Index out_rows, out_cols;
};

Lanes lanes(Eigen::Index rows, Eigen::Index cols, int axis, const char* name) {
  switch (axis) {
    case all_axes:
      return {1, rows * cols, 0, 1, 1, 1};
    case 0:
      return {cols, rows, 1, cols, 1, cols};
    case 1:
      return {rows, cols, cols, 1, rows, 1};
    default:
      throw DimensionError(std::string("nn::") + name + ": axis must be -1, 0 or 1, got " +
                           std::to_string(axis));
  }
}

template <class T>
T strided_sum(const T* v, Eigen::Index length, Eigen::Index stride) {
  T s = 0;
  for (Eigen::Index e = 0; e < length; ++e) s += v[e * stride];
  return s;
}

/// sum_e v_e in eight interleaved partial sums: they vectorize and do not
/// wait on one another's additions (and round no worse than one running sum).
template <class T>
T contiguous_sum(const T* v, Eigen::Index length) {
  constexpr Eigen::Index width = 8;
  T partial[width] = {};
  Eigen::Index e = 0;
  for (; e + width <= length; e += width)
    for (Eigen::Index k = 0; k < width; ++k) partial[k] += v[e + k];
  for (; e < length; ++e) partial[0] += v[e];
  return ((partial[0] + partial[4]) + (partial[1] + partial[5])) +
         ((partial[2] + partial[6]) + (partial[3] + partial[7]));
}

// y_k = s sum_e x_ke (s = 1 for sum, 1/length for mean); gx_ke += s gy_k
template <class T>
void sum_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const Lanes l = lanes(nx.rows, nx.cols, static_cast<int>(n.i), "sum");
  const bool fresh = tape.a_fresh();  // every entry of x is in exactly one lane: assign
  if (fresh && l.count == 1) {        // one number for every entry: left for x's rule to read
    tape.assign_uniform_a(n.adjoint[0] * T(n.p));
    return;
  }
  for (Eigen::Index k = 0; k < l.count; ++k) {
    const T g = n.adjoint[k] * T(n.p);
    T* gx = nx.adjoint + k * l.lane_stride;
    if (fresh)
      for (Eigen::Index e = 0; e < l.length; ++e) gx[e * l.entry_stride] = g;
    else
      for (Eigen::Index e = 0; e < l.length; ++e) gx[e * l.entry_stride] += g;
  }
}

template <class T>
Tensor<T> scaled_sum(Tensor<T> x, int axis, bool average) {
  const Lanes l = lanes(x.rows(), x.cols(), axis, average ? "mean" : "sum");
  if (average && l.length == 0) throw DimensionError("nn::mean: the mean of no entries");
  Tensor<T> out = x.tape().make(l.out_rows, l.out_cols, x.requires_grad(), &sum_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.assigns_a = true;
  n.i = axis;
  n.p = average ? 1.0 / static_cast<double>(l.length) : 1.0;
  const T* v = x.value().data();
  for (Eigen::Index k = 0; k < l.count; ++k) {
    const T s = l.entry_stride == 1 ? contiguous_sum(v + k * l.lane_stride, l.length)
                                    : strided_sum(v + k * l.lane_stride, l.length, l.entry_stride);
    n.value[k] = s * T(n.p);
  }
  return out;
}

/// A lane's maximum m and sum of e^{x - m}: lse = m + log(s), softmax = e^{x - m} / s.
template <class T>
std::pair<T, T> lane_shift_and_sum(const T* v, const Lanes& l, Eigen::Index k) {
  T m = -std::numeric_limits<T>::infinity();
  for (Eigen::Index e = 0; e < l.length; ++e) m = std::max(m, v[k * l.lane_stride + e * l.entry_stride]);
  if (!std::isfinite(m)) m = 0;  // all -inf, or an inf or NaN present: let IEEE decide
  T s = 0;
  for (Eigen::Index e = 0; e < l.length; ++e) s += std::exp(v[k * l.lane_stride + e * l.entry_stride] - m);
  return {m, s};
}

// y_k = lse(x_k); gx_ke += gy_k softmax(x_k)_e = gy_k exp(x_ke - y_k)
template <class T>
void logsumexp_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const Lanes l = lanes(nx.rows, nx.cols, static_cast<int>(n.i), "logsumexp");
  for (Eigen::Index k = 0; k < l.count; ++k)
    for (Eigen::Index e = 0; e < l.length; ++e) {
      const Eigen::Index at = k * l.lane_stride + e * l.entry_stride;
      nx.adjoint[at] += n.adjoint[k] * std::exp(nx.value[at] - n.value[k]);
    }
}

// y = softmax(x) per lane; gx_e += y_e (gy_e - sum_f gy_f y_f)
template <class T>
void softmax_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const Lanes l = lanes(nx.rows, nx.cols, static_cast<int>(n.i), "softmax");
  for (Eigen::Index k = 0; k < l.count; ++k) {
    T dot = 0;
    for (Eigen::Index e = 0; e < l.length; ++e) {
      const Eigen::Index at = k * l.lane_stride + e * l.entry_stride;
      dot += n.adjoint[at] * n.value[at];
    }
    for (Eigen::Index e = 0; e < l.length; ++e) {
      const Eigen::Index at = k * l.lane_stride + e * l.entry_stride;
      nx.adjoint[at] += n.value[at] * (n.adjoint[at] - dot);
    }
  }
}

// y = x - lse(x) per lane; gx_e += gy_e - exp(y_e) sum_f gy_f
template <class T>
void log_softmax_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const Lanes l = lanes(nx.rows, nx.cols, static_cast<int>(n.i), "log_softmax");
  for (Eigen::Index k = 0; k < l.count; ++k) {
    T total = 0;
    for (Eigen::Index e = 0; e < l.length; ++e) total += n.adjoint[k * l.lane_stride + e * l.entry_stride];
    for (Eigen::Index e = 0; e < l.length; ++e) {
      const Eigen::Index at = k * l.lane_stride + e * l.entry_stride;
      nx.adjoint[at] += n.adjoint[at] - std::exp(n.value[at]) * total;
    }
  }
}

/// softmax (log_space false) or log_softmax (true) along an axis.
template <class T>
Tensor<T> normalize(Tensor<T> x, int axis, bool log_space) {
  const char* name = log_space ? "log_softmax" : "softmax";
  const Lanes l = lanes(x.rows(), x.cols(), axis, name);
  Tensor<T> out = x.tape().make(x.rows(), x.cols(), x.requires_grad(),
                                log_space ? &log_softmax_backward<T> : &softmax_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.i = axis;
  const T* v = x.value().data();
  for (Eigen::Index k = 0; k < l.count; ++k) {
    const auto [m, s] = lane_shift_and_sum(v, l, k);
    const T log_s = std::log(s);
    for (Eigen::Index e = 0; e < l.length; ++e) {
      const Eigen::Index at = k * l.lane_stride + e * l.entry_stride;
      n.value[at] = log_space ? (v[at] - m) - log_s : std::exp(v[at] - m) / s;
    }
  }
  return out;
}

}  // namespace

template <class T>
Tensor<T> sum(Tensor<T> x, int axis) {
  return scaled_sum(x, axis, false);
}
template <class T>
Tensor<T> mean(Tensor<T> x, int axis) {
  return scaled_sum(x, axis, true);
}

template <class T>
Tensor<T> logsumexp(Tensor<T> x, int axis) {
  const Lanes l = lanes(x.rows(), x.cols(), axis, "logsumexp");
  Tensor<T> out = x.tape().make(l.out_rows, l.out_cols, x.requires_grad(), &logsumexp_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.i = axis;
  const T* v = x.value().data();
  for (Eigen::Index k = 0; k < l.count; ++k) {
    const auto [m, s] = lane_shift_and_sum(v, l, k);
    n.value[k] = m + std::log(s);
  }
  return out;
}

template <class T>
Tensor<T> softmax(Tensor<T> x, int axis) {
  return normalize(x, axis, false);
}
template <class T>
Tensor<T> log_softmax(Tensor<T> x, int axis) {
  return normalize(x, axis, true);
}

#define NABLA_NN_REDUCE(T)                      \
  template Tensor<T> sum(Tensor<T>, int);       \
  template Tensor<T> mean(Tensor<T>, int);      \
  template Tensor<T> logsumexp(Tensor<T>, int); \
  template Tensor<T> softmax(Tensor<T>, int);   \
  template Tensor<T> log_softmax(Tensor<T>, int);
NABLA_NN_REDUCE(float)
NABLA_NN_REDUCE(double)
#undef NABLA_NN_REDUCE

}  // namespace nabla::nn
