// Operations that move entries without arithmetic: reshape (a view sharing
// value and adjoint), transpose, slicing, shifting rows, concatenation and
// gathering by index; each reverse rule moves the adjoint back to where the
// entry came from.
#include <algorithm>
#include <string>

#include "nabla/nn/ops.hpp"
#include "shape.hpp"

namespace nabla::nn {
namespace {

using detail::shape;

// y = x^T; gx += gy^T
template <class T>
void transpose_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  auto gx = tape.adjoint(n.a);
  if (gx.size() == 0) return;
  gx += ConstMatrixMap<T>(n.adjoint, n.rows, n.cols).transpose();
}

// Whether a rows x cols block of a row-major matrix `width` columns wide is
// one run of memory: then it is copied or added as a flat array (Eigen walks
// an n x 1 block of a row-major matrix as n rows of one entry).
bool contiguous(Eigen::Index rows, Eigen::Index cols, Eigen::Index width) {
  return rows == 1 || cols == width;
}

// gx[start, start + size) += source, or, when gx holds nothing yet (fresh),
// gx = source there and 0 everywhere else: one pass instead of a zero fill
// and an add. The reverse of an op that copied one run of memory.
template <class T>
void add_run(MatrixMap<T> gx, Eigen::Index start, const T* source, Eigen::Index size, bool fresh) {
  T* target = gx.data() + start;
  if (fresh) {
    std::fill(gx.data(), target, T(0));
    std::copy(source, source + size, target);
    std::fill(target + size, gx.data() + gx.size(), T(0));
  } else {
    for (Eigen::Index k = 0; k < size; ++k) target[k] += source[k];
  }
}

// y = x[i:i+rows, j:j+cols]; gx[block] += gy, or, when gx holds nothing yet,
// gx = gy in the block and 0 elsewhere (one pass instead of a zero fill and
// an add)
template <class T>
void slice_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  auto gx = tape.adjoint(n.a);
  if (gx.size() == 0) return;
  if (contiguous(n.rows, n.cols, gx.cols())) {
    add_run(gx, n.i * gx.cols() + n.j, n.adjoint, n.rows * n.cols, tape.a_fresh());
    return;
  }
  const ConstMatrixMap<T> gy(n.adjoint, n.rows, n.cols);
  if (tape.a_fresh()) {
    gx.setZero();
    gx.block(n.i, n.j, n.rows, n.cols) = gy;
  } else {
    gx.block(n.i, n.j, n.rows, n.cols) += gy;
  }
}

// y = x's rows moved down by k (n.i), the rest filled; gx gets gy's rows
// moved back up (assigned with zeros where no row came from, when fresh)
template <class T>
void shift_rows_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  auto gx = tape.adjoint(n.a);
  if (gx.size() == 0) return;
  const Eigen::Index k = n.i;  // clamped to [-rows, rows] by shift_rows
  add_run(gx, k < 0 ? -k * n.cols : 0, n.adjoint + (k > 0 ? k * n.cols : 0),
          (n.rows - (k < 0 ? -k : k)) * n.cols, tape.a_fresh());
}

// y = [x_1; x_2; ...] (or side by side); each gx_k += its block of gy
template <class T>
void concat_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const int* parts = tape.extra_inputs(n);
  const ConstMatrixMap<T> gy(n.adjoint, n.rows, n.cols);
  Eigen::Index offset = 0;
  for (int k = 0; k < n.extra_count; ++k) {
    const auto& part = tape.node(parts[k]);
    auto gx = tape.adjoint(parts[k]);
    const Eigen::Index row = n.i == 0 ? offset : 0, col = n.i == 0 ? 0 : offset;
    if (gx.size() > 0 && contiguous(part.rows, part.cols, n.cols)) {
      const T* source = n.adjoint + row * n.cols + col;
      for (Eigen::Index e = 0; e < gx.size(); ++e) gx.data()[e] += source[e];
    } else if (gx.size() > 0) {
      gx += gy.block(row, col, part.rows, part.cols);
    }
    offset += n.i == 0 ? part.rows : part.cols;
  }
}

// y_e = x[index_e] (0 where index_e < 0); gx[index_e] += gy_e
template <class T>
void gather_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  const auto& nx = tape.node(n.a);
  if (!nx.adjoint) return;
  const int* index = tape.extra_inputs(n);
  const Eigen::Index size = n.rows * n.cols;
  for (Eigen::Index e = 0; e < size; ++e)
    if (index[e] >= 0) nx.adjoint[index[e]] += n.adjoint[e];
}

}  // namespace

template <class T>
Tensor<T> reshape(Tensor<T> x, Eigen::Index rows, Eigen::Index cols) {
  require_dimension(rows >= 0 && cols >= 0 && detail::has_entries(rows, cols, x.size()),
                    "nn::reshape: cannot reshape " + shape(x.rows(), x.cols()) + " to " + shape(rows, cols));
  return x.tape().alias(x.id(), rows, cols);
}

template <class T>
Tensor<T> transpose(Tensor<T> x) {
  Tensor<T> out = x.tape().make(x.cols(), x.rows(), x.requires_grad(), &transpose_backward<T>);
  x.tape().node_mut(out.id()).a = x.id();
  out.value() = x.value().transpose();
  return out;
}

template <class T>
Tensor<T> slice(Tensor<T> x, Eigen::Index row, Eigen::Index rows, Eigen::Index col, Eigen::Index cols) {
  require_dimension(row >= 0 && col >= 0 && rows >= 0 && cols >= 0 && row <= x.rows() && col <= x.cols() &&
                        rows <= x.rows() - row && cols <= x.cols() - col,
                    "nn::slice: the block " + shape(rows, cols) + " at (" + std::to_string(row) + ", " +
                        std::to_string(col) + ") is outside the " + shape(x.rows(), x.cols()) + " tensor");
  Tensor<T> out = x.tape().make(rows, cols, x.requires_grad(), &slice_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.i = row;
  n.j = col;
  n.assigns_a = true;  // the rule writes the whole of gx when it holds nothing yet
  if (contiguous(rows, cols, x.cols())) {
    const T* source = x.value().data() + row * x.cols() + col;
    std::copy(source, source + rows * cols, out.value().data());
  } else {
    out.value() = x.value().block(row, col, rows, cols);
  }
  return out;
}

template <class T>
Tensor<T> shift_rows(Tensor<T> x, Eigen::Index k, std::type_identity_t<T> fill) {
  const Eigen::Index rows = x.rows(), cols = x.cols();
  k = std::clamp(k, -rows, rows);  // further moves nothing more out
  Tensor<T> out = x.tape().make(rows, cols, x.requires_grad(), &shift_rows_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.i = k;
  n.assigns_a = true;  // the rule writes the whole of gx when it holds nothing yet
  const Eigen::Index moved = (rows - (k < 0 ? -k : k)) * cols;
  const T* source = x.value().data() + (k < 0 ? -k * cols : 0);
  T* y = out.value().data();
  T* target = y + (k > 0 ? k * cols : 0);
  std::fill(y, target, fill);
  std::copy(source, source + moved, target);
  std::fill(target + moved, y + rows * cols, fill);
  return out;
}

template <class T>
Tensor<T> concat(const std::vector<Tensor<T>>& parts, int axis) {
  require_dimension(!parts.empty(), "nn::concat: nothing to concatenate");
  require_dimension(axis == 0 || axis == 1, "nn::concat: axis must be 0 or 1");
  Tape<T>& tape = parts.front().tape();
  Eigen::Index total = 0;
  bool needs_grad = false;
  std::vector<int> ids;
  for (const Tensor<T>& p : parts) {
    require_dimension(&p.tape() == &tape, "nn::concat: parts on different tapes");
    const bool fits = axis == 0 ? p.cols() == parts.front().cols() : p.rows() == parts.front().rows();
    require_dimension(fits, "nn::concat: a part of shape " + shape(p.rows(), p.cols()) + " does not fit " +
                                shape(parts.front().rows(), parts.front().cols()) + " along axis " +
                                std::to_string(axis));
    total += axis == 0 ? p.rows() : p.cols();
    needs_grad = needs_grad || p.requires_grad();
    ids.push_back(p.id());
  }
  const Eigen::Index rows = axis == 0 ? total : parts.front().rows();
  const Eigen::Index cols = axis == 0 ? parts.front().cols() : total;
  const int extra = tape.push_extra(ids);
  Tensor<T> out = tape.make(rows, cols, needs_grad, &concat_backward<T>);
  auto& n = tape.node_mut(out.id());
  n.extra = extra;
  n.extra_count = static_cast<int>(ids.size());
  n.extra_are_inputs = true;
  n.i = axis;
  Eigen::Index offset = 0;
  for (const Tensor<T>& p : parts) {
    const Eigen::Index row = axis == 0 ? offset : 0, col = axis == 0 ? 0 : offset;
    if (contiguous(p.rows(), p.cols(), cols))
      std::copy(p.value().data(), p.value().data() + p.size(), out.value().data() + row * cols + col);
    else
      out.value().block(row, col, p.rows(), p.cols()) = p.value();
    offset += axis == 0 ? p.rows() : p.cols();
  }
  return out;
}

template <class T>
Tensor<T> gather(Tensor<T> x, const std::vector<int>& index, Eigen::Index rows, Eigen::Index cols) {
  require_dimension(
      rows >= 0 && cols >= 0 && detail::has_entries(rows, cols, static_cast<Eigen::Index>(index.size())),
      "nn::gather: " + std::to_string(index.size()) + " indices for a " + shape(rows, cols) + " tensor");
  const Eigen::Index size = x.size();
  for (int e : index)
    if (e < -1 || e >= size)  // the message is built only on failure: this loop is hot
      throw DimensionError("nn::gather: the index " + std::to_string(e) + " is outside the " +
                           shape(x.rows(), x.cols()) + " tensor");
  Tape<T>& tape = x.tape();
  const int extra = tape.push_extra(index);
  Tensor<T> out = tape.make(rows, cols, x.requires_grad(), &gather_backward<T>);
  auto& n = tape.node_mut(out.id());
  n.a = x.id();
  n.extra = extra;
  n.extra_count = static_cast<int>(index.size());
  const T* v = x.value().data();
  for (std::size_t e = 0; e < index.size(); ++e) n.value[e] = index[e] >= 0 ? v[index[e]] : T(0);
  return out;
}

#define NABLA_NN_SHAPE(T)                                                                      \
  template Tensor<T> reshape(Tensor<T>, Eigen::Index, Eigen::Index);                           \
  template Tensor<T> transpose(Tensor<T>);                                                     \
  template Tensor<T> slice(Tensor<T>, Eigen::Index, Eigen::Index, Eigen::Index, Eigen::Index); \
  template Tensor<T> concat(const std::vector<Tensor<T>>&, int);                               \
  template Tensor<T> shift_rows(Tensor<T>, Eigen::Index, T);                                   \
  template Tensor<T> gather(Tensor<T>, const std::vector<int>&, Eigen::Index, Eigen::Index);
NABLA_NN_SHAPE(float)
NABLA_NN_SHAPE(double)
#undef NABLA_NN_SHAPE

}  // namespace nabla::nn
