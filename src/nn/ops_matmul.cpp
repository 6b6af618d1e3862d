// The products: matmul and affine (x W + b, a Linear layer in one tape
// entry), the hot path of training. Each is an Eigen GEMM on row-major maps,
// split over rows across nn::threads() threads when large enough; the
// reverse rules skip the adjoints nobody needs (the data's, usually).
#include <string>

#include "gemm.hpp"
#include "nabla/nn/ops.hpp"
#include "parallel.hpp"
#include "shape.hpp"

namespace nabla::nn {
namespace {

/// C (+)= op(A) op(B) in parallel chunks of C. Each chunk packs its part of
/// one operand and the whole of the other, so C is split along the longer of
/// its sides: over rows when m >= n (every chunk packs B), over columns
/// otherwise (every chunk packs A). A batch of 32 rows times a 784 x 256
/// weight then splits the weight, instead of packing it twice. For a
/// transposed operand a chunk is a block of its columns.
template <class T>
void product(const detail::Gemm<T>& g) {
  const double work = 2.0 * double(g.m) * double(g.n) * double(g.k);
  if (g.m >= g.n) {
    detail::parallel_for(g.m, work, [&](Eigen::Index r0, Eigen::Index r) {
      detail::Gemm<T> chunk = g;
      chunk.m = r;
      chunk.a = g.a + (g.a_transposed ? r0 : r0 * g.lda);
      chunk.c = g.c + r0 * g.ldc;
      detail::gemm(chunk);
    });
    return;
  }
  detail::parallel_for(g.n, work, [&](Eigen::Index c0, Eigen::Index c) {
    detail::Gemm<T> chunk = g;
    chunk.n = c;
    chunk.b = g.b + (g.b_transposed ? c0 * g.ldb : c0);
    chunk.c = g.c + c0;
    detail::gemm(chunk);
  });
}

/// gA += gC B^T and gB += A^T gC, each only when wanted.
template <class T>
void product_backward(Tape<T>& tape, const typename Tape<T>::Node& n, int a_id, int b_id) {
  const auto& na = tape.node(a_id);
  const auto& nb = tape.node(b_id);
  // gA (m x k) += gC (m x n) B^T, B stored k x n.
  if (na.adjoint)
    product<T>({n.adjoint, nb.value, na.adjoint, na.rows, na.cols, n.cols, n.cols, nb.cols, na.cols, false,
                true, true});
  // gB (k x n) += A^T gC, A stored m x k.
  if (nb.adjoint)
    product<T>({na.value, n.adjoint, nb.adjoint, nb.rows, nb.cols, na.rows, na.cols, n.cols, nb.cols, true,
                false, true});
}

// C = A B; gA += gC B^T, gB += A^T gC
template <class T>
void matmul_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  product_backward(tape, n, n.a, n.b);
}

// Y = X W + 1 b; gX += gY W^T, gW += X^T gY, gb += 1^T gY
template <class T>
void affine_backward(Tape<T>& tape, const typename Tape<T>::Node& n) {
  product_backward(tape, n, n.a, n.b);
  auto gbias = tape.adjoint(n.c);
  if (gbias.size() > 0) gbias += ConstMatrixMap<T>(n.adjoint, n.rows, n.cols).colwise().sum();
}

using detail::shape;

template <class T>
void require_product(Tensor<T> a, Tensor<T> b, const char* name) {
  require_dimension(&a.tape() == &b.tape(), std::string("nn::") + name + ": operands on different tapes");
  require_dimension(a.cols() == b.rows(), std::string("nn::") + name + ": cannot multiply " +
                                              shape(a.rows(), a.cols()) + " by " + shape(b.rows(), b.cols()));
}

}  // namespace

template <class T>
Tensor<T> matmul(Tensor<T> a, Tensor<T> b) {
  require_product(a, b, "matmul");
  Tensor<T> out =
      a.tape().make(a.rows(), b.cols(), a.requires_grad() || b.requires_grad(), &matmul_backward<T>);
  auto& n = a.tape().node_mut(out.id());
  n.a = a.id();
  n.b = b.id();
  product<T>({a.value().data(), b.value().data(), n.value, a.rows(), b.cols(), a.cols(), a.cols(), b.cols(),
              b.cols(), false, false, false});
  return out;
}

template <class T>
Tensor<T> affine(Tensor<T> x, Tensor<T> w, Tensor<T> b) {
  require_product(x, w, "affine");
  require_dimension(&b.tape() == &x.tape(), "nn::affine: the bias is on another tape than x and w");
  require_dimension(
      b.rows() == 1 && b.cols() == w.cols(),
      "nn::affine: the bias must be 1x" + std::to_string(w.cols()) + ", got " + shape(b.rows(), b.cols()));
  const bool needs_grad = x.requires_grad() || w.requires_grad() || b.requires_grad();
  Tensor<T> out = x.tape().make(x.rows(), w.cols(), needs_grad, &affine_backward<T>);
  auto& n = x.tape().node_mut(out.id());
  n.a = x.id();
  n.b = w.id();
  n.c = b.id();
  out.value().rowwise() = b.value().row(0);
  product<T>({x.value().data(), w.value().data(), n.value, x.rows(), w.cols(), x.cols(), x.cols(), w.cols(),
              w.cols(), false, false, true});
  return out;
}

template Tensor<float> matmul(Tensor<float>, Tensor<float>);
template Tensor<double> matmul(Tensor<double>, Tensor<double>);
template Tensor<float> affine(Tensor<float>, Tensor<float>, Tensor<float>);
template Tensor<double> affine(Tensor<double>, Tensor<double>, Tensor<double>);

}  // namespace nabla::nn
