// The run-time choice of GEMM kernel (see gemm.hpp): the baseline variant is
// compiled here with the build's flags; the AVX2 and AVX-512 variants, when
// the compiler and target allow them (NABLA_NN_GEMM_AVX2 / _AVX512), in
// their own files, and picked once by what the processor reports.
#define NABLA_GEMM_VARIANT baseline
#include "gemm_kernel.inc"
#undef NABLA_GEMM_VARIANT

#include "gemm.hpp"

namespace nabla::nn::detail {

#define NABLA_GEMM_DECLARE(variant)                                                                       \
  void gemm_float_##variant(const float*, const float*, float*, long, long, long, long, long, long, bool, \
                            bool, bool);                                                                  \
  void gemm_double_##variant(const double*, const double*, double*, long, long, long, long, long, long,   \
                             bool, bool, bool);
#ifdef NABLA_NN_GEMM_AVX2
NABLA_GEMM_DECLARE(avx2)
#endif
#ifdef NABLA_NN_GEMM_AVX512
NABLA_GEMM_DECLARE(avx512)
#endif
#undef NABLA_GEMM_DECLARE

namespace {

enum class Kernel { baseline, avx2, avx512 };

Kernel pick() {
#if defined(__x86_64__) && (defined(NABLA_NN_GEMM_AVX2) || defined(NABLA_NN_GEMM_AVX512))
  __builtin_cpu_init();
#ifdef NABLA_NN_GEMM_AVX512
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma"))
    return Kernel::avx512;
#endif
#ifdef NABLA_NN_GEMM_AVX2
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Kernel::avx2;
#endif
#endif
  return Kernel::baseline;
}

const Kernel kernel = pick();

}  // namespace

#define NABLA_GEMM_CALL(type, variant)                                                                       \
  gemm_##type##_##variant(g.a, g.b, g.c, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.a_transposed, g.b_transposed, \
                          g.accumulate)

void gemm(const Gemm<float>& g) {
#ifdef NABLA_NN_GEMM_AVX512
  if (kernel == Kernel::avx512) return NABLA_GEMM_CALL(float, avx512);
#endif
#ifdef NABLA_NN_GEMM_AVX2
  if (kernel == Kernel::avx2) return NABLA_GEMM_CALL(float, avx2);
#endif
  NABLA_GEMM_CALL(float, baseline);
}

void gemm(const Gemm<double>& g) {
#ifdef NABLA_NN_GEMM_AVX512
  if (kernel == Kernel::avx512) return NABLA_GEMM_CALL(double, avx512);
#endif
#ifdef NABLA_NN_GEMM_AVX2
  if (kernel == Kernel::avx2) return NABLA_GEMM_CALL(double, avx2);
#endif
  NABLA_GEMM_CALL(double, baseline);
}

const char* gemm_kernel() {
  switch (kernel) {
    case Kernel::avx512:
      return "avx512";
    case Kernel::avx2:
      return "avx2";
    case Kernel::baseline:
      break;
  }
  return "baseline";
}

}  // namespace nabla::nn::detail
