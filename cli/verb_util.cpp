// Shared helpers of the verbs (see verb_util.hpp).
#include "verb_util.hpp"

#include <algorithm>
#include <cmath>
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

void require_variables_cover(const sym::Expr& f, const std::vector<std::string>& vars, const char* verb) {
  for (const sym::Expr& s : sym::free_symbols(f))
    if (std::find(vars.begin(), vars.end(), s.name()) == vars.end())
      throw UsageError(std::string(verb) + ": '" + s.name() +
                       "' is a symbol of the expression but not among --wrt (" + joined_names(vars) +
                       "), and " + verb + " takes no value for it: add it, or write a number in its place");
}

std::vector<double> values_at(const std::vector<sym::Expr>& es, const Context& ctx, std::string& why) {
  const sym::Bindings b = bindings(ctx.point, es);
  std::vector<double> v = sym::evaluate(es, b);
  why = warn_nan(es, b, ctx.streams.err);
  return v;
}

std::vector<double> derivative_values_at(const std::vector<sym::Expr>& ds, const std::vector<sym::Expr>& fs,
                                         const Context& ctx, std::string& why) {
  std::vector<double> v = values_at(ds, ctx, why);
  const std::size_t block = fs.empty() ? 0 : ds.size() / fs.size();
  for (std::size_t i = 0; i < fs.size() && block > 0; ++i) {
    const auto symbols = sym::free_symbols(fs[i]);
    const bool bound = std::all_of(symbols.begin(), symbols.end(), [&](const sym::Expr& s) {
      return std::any_of(ctx.point.values.begin(), ctx.point.values.end(),
                         [&](const auto& nv) { return nv.first == s.name(); });
    });
    if (!bound) continue;  // a variable the derivatives lost: f cannot be evaluated, nothing to check
    const sym::Bindings b = bindings(ctx.point, std::vector<sym::Expr>{fs[i]});
    if (!std::isnan(sym::evaluate(fs[i], b))) continue;
    const auto first = v.begin() + static_cast<std::ptrdiff_t>(i * block);
    const auto last = first + static_cast<std::ptrdiff_t>(block);
    if (std::all_of(first, last, [](double d) { return std::isnan(d); })) continue;  // said already
    const std::string reason = explain_nan(fs[i], b);
    ctx.streams.err << "nabla: nan: " << reason << "\n";
    if (why.empty()) why = reason;
    std::fill(first, last, std::nan(""));
  }
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
