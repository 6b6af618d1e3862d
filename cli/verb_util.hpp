// Small pieces several verbs share: the symbols of a result in alphabetical
// order (the parameters of its C function), values of expressions (and of
// derivatives, NaN where their function is) at the --at point with a NaN
// warning, and the point as a JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/expr.hpp"
#include "output.hpp"
#include "point.hpp"

namespace nabla::cli {

/// Throws a UsageError naming a symbol of f that is not among vars (--wrt
/// left it out): a verb without --at has no value for it.
void require_variables_cover(const sym::Expr& f, const std::vector<std::string>& vars, const char* verb);

/// The names of the symbols of es and of extra, sorted and unique.
std::vector<std::string> symbol_names(const std::vector<sym::Expr>& es,
                                      const std::vector<std::string>& extra = {});

/// The values of es at the point (every symbol of es must be bound); NaN
/// entries are explained on stderr, and the first reason is stored in `why`.
std::vector<double> values_at(const std::vector<sym::Expr>& es, const Context& ctx, std::string& why);

/// values_at for derivatives `ds` of the functions `fs`, the entries of
/// fs[i] being block i of ds (ds.size() / fs.size() each): where fs[i] is
/// undefined at the point (NaN), so are its derivatives, as in the AD modes,
/// even where their formulas have values (log(x)' = 1/x at x = -1).
std::vector<double> derivative_values_at(const std::vector<sym::Expr>& ds, const std::vector<sym::Expr>& fs,
                                         const Context& ctx, std::string& why);

/// The entries of a matrix, row after row.
std::vector<sym::Expr> flatten(const sym::ExprMatrix& m);

/// The point's values as a JSON object.
Json json_point(const Point& point);

/// Writes a JSON object on one line.
void print_json(const Json& j, const Context& ctx);

}  // namespace nabla::cli
