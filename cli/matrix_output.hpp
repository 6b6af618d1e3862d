// The output of the matrix verbs (jacobian, hessian): rows of expressions,
// then, with --at, rows of values; or one JSON object.
#pragma once

#include <string>
#include <vector>

#include "common.hpp"
#include "nabla/sym/diff.hpp"

namespace nabla::cli {

/// Prints m (named `key` in JSON, its C functions `name_i_j`) for the input,
/// the derivatives of `functions` (one, or one per row); with --at, values
/// are NaN where their function is undefined.
int print_matrix(const std::string& input, const std::string& key, const std::string& name,
                 const sym::ExprMatrix& m, const std::vector<sym::Expr>& functions,
                 const std::vector<std::string>& vars, const std::vector<std::string>& params,
                 const Context& ctx);

}  // namespace nabla::cli
