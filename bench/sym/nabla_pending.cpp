// Stands in for nabla_tool.cpp while nabla::sym's differentiation is not
// built (NABLA_SYM_BENCH_NABLA=OFF): bench_sym then times GiNaC alone and
// prints nabla's rows as "pending".
#include "problems.hpp"

namespace nabla_sym_bench {

std::unique_ptr<Tool> make_nabla_tool() { return nullptr; }

}  // namespace nabla_sym_bench
