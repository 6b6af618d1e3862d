// The GEMM kernel compiled for avx2 (flags set in CMakeLists.txt), with
// Eigen's namespace renamed so its templates do not mix with the baseline's.
#define Eigen nabla_eigen_avx2
// Eigen's GEMM packs its operands into buffers it puts on the stack below
// this size and mallocs above it; malloc'ed blocks of a few hundred KB come
// back from the kernel as fresh zeroed pages on every product (page faults
// were a tenth of an MLP epoch). 2 MB fits every block of our products.
#define EIGEN_STACK_ALLOCATION_LIMIT (2 * 1024 * 1024)
#define NABLA_GEMM_VARIANT avx2
#include "gemm_kernel.inc"
