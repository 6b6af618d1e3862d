// Output of the matrix verbs (see matrix_output.hpp).
#include "matrix_output.hpp"

#include <ostream>

#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {

int print_matrix(const std::string& input, const std::string& key, const std::string& name,
                 const sym::ExprMatrix& m, const std::vector<sym::Expr>& functions,
                 const std::vector<std::string>& vars, const std::vector<std::string>& params,
                 const Context& ctx) {
  std::vector<double> flat;
  std::string why;
  if (ctx.point.given()) flat = derivative_values_at(flatten(m), functions, ctx, why);
  const std::size_t cols = vars.size();
  if (ctx.options.format() == Format::Json) {
    Json j = {{"input", input}, {"wrt", vars}, {key, json_exprs(m)}};
    if (ctx.point.given()) {
      j["at"] = json_point(ctx.point);
      Json values = Json::array();
      for (std::size_t i = 0; i < m.size(); ++i) {
        Json row = Json::array();
        for (std::size_t k = 0; k < cols; ++k) row.push_back(json_number(flat[i * cols + k]));
        values.push_back(row);
      }
      j["value"] = values;
      if (!why.empty()) j["nan"] = why;
    }
    print_json(j, ctx);
    return kExitOk;
  }
  // In text, matrices are rows of [...]: a blank line ends each one that
  // another follows (the values at --at, the next input's matrix).
  const bool text = ctx.options.format() == Format::Text;
  if (text && ctx.input > 0) ctx.streams.out << "\n";
  ctx.streams.out << (text && m.empty() ? "[]" : render(m, ctx.options.format(), name, params, functions))
                  << "\n";
  if (ctx.point.given()) {
    if (text) ctx.streams.out << "\n";
    for (std::size_t i = 0; i < m.size(); ++i)
      ctx.streams.out << numbers(
                             std::vector<double>(flat.begin() + static_cast<std::ptrdiff_t>(i * cols),
                                                 flat.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols)))
                      << "\n";
  }
  return kExitOk;
}

}  // namespace nabla::cli
