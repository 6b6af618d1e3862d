// The matrix product kernel of nabla::nn (private to src/nn): C (+)= op(A)
// op(B) on row-major storage with leading dimensions, dispatched at run time
// to an Eigen GEMM compiled for AVX-512, AVX2+FMA, or the build's baseline
// flags, whichever the processor supports (so a portable build still runs
// the product at the machine's vector width).
#pragma once

#include <Eigen/Core>

namespace nabla::nn::detail {

/// The operands of C[m x n] (+)= op(A)[m x k] op(B)[k x n], all row-major:
/// A is m x k (lda) or, transposed, k x m; B is k x n (ldb) or n x k.
template <class T>
struct Gemm {
  const T* a;
  const T* b;
  T* c;
  Eigen::Index m, n, k, lda, ldb, ldc;
  bool a_transposed, b_transposed, accumulate;
};

void gemm(const Gemm<float>& g);
void gemm(const Gemm<double>& g);

/// The kernel the dispatcher picked: "avx512", "avx2" or "baseline".
const char* gemm_kernel();

}  // namespace nabla::nn::detail
