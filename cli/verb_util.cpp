// Shared helpers of the verbs (see verb_util.hpp).
#include "verb_util.hpp"

#include <algorithm>
#include <ostream>
#include <set>

#include "nabla/sym/evaluate.hpp"
#include "output.hpp"

namespace nabla::cli {

std::vector<std::string> symbol_names(const std::vector<sym::Expr>& es,
                                      const std::vector<std::string>& extra) {
  std::set<std::string> names(extra.begin(), extra.end());
  for (const sym::Expr& e : es)
    for (const sym::Expr& s : sym::free_symbols(e)) names.insert(s.name());
  return {names.begin(), names.end()};
}

std::vector<double> values_at(const std::vector<sym::Expr>& es, const Context& ctx, std::string& why) {
  const sym::Bindings b = bindings(ctx.point, es);
  std::vector<double> v = sym::evaluate(es, b);
  why = warn_nan(es, b, ctx.streams.err);
  return v;
}

std::vector<sym::Expr> flatten(const sym::ExprMatrix& m) {
  std::vector<sym::Expr> all;
  for (const auto& row : m) all.insert(all.end(), row.begin(), row.end());
  return all;
}

Json json_point(const Point& point) {
  Json j = Json::object();
  for (const auto& [name, value] : point.values) j[name] = json_number(value);
  return j;
}

void print_json(const Json& j, const Context& ctx) {
  ctx.streams.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace nabla::cli
