// Parsing --at and binding its values (see point.hpp).
#include "point.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numbers>

#include "common.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/parse.hpp"
#include "output.hpp"

namespace nabla::cli {
namespace {

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

/// One "name=value" at [begin, end) of text, appended to point.
void parse_binding(const std::string& text, std::size_t begin, std::size_t end, Point& point) {
  const std::string& option = point.option;
  const std::size_t eq = text.find('=', begin);
  const std::size_t name_begin = skip_space(text, begin);
  if (name_begin >= end) throw ParseError(option + ": expected name=value", text, name_begin);
  if (eq == std::string::npos || eq >= end)
    throw ParseError(option + ": expected '=' after the name", text, end);
  std::size_t name_end = eq;
  while (name_end > name_begin && (text[name_end - 1] == ' ' || text[name_end - 1] == '\t')) --name_end;
  const std::string name = text.substr(name_begin, name_end - name_begin);
  const bool valid = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                     std::all_of(name.begin(), name.end(), [](char ch) {
                       return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
                     });
  if (!valid) throw ParseError(option + ": expected a symbol name before '='", text, name_begin);
  if (name == "e" || name == "pi")
    throw ParseError(option + ": '" + name + "' is a constant (" +
                         number(name == "e" ? std::numbers::e : std::numbers::pi) +
                         "), not a variable, so it takes no value",
                     text, name_begin);
  for (const auto& [n, v] : point.values)
    if (n == name) throw ParseError(option + ": '" + name + "' is given twice", text, name_begin);
  const std::size_t value_begin = eq + 1;
  if (skip_space(text, value_begin) >= end)
    throw ParseError(option + ": expected a value after '" + name + "='", text,
                     skip_space(text, value_begin));
  sym::Expr value;
  try {
    value = sym::parse(std::string_view(text).substr(value_begin, end - value_begin));
  } catch (const ParseError& e) {
    throw ParseError(option + ": " + std::string(e.what()), text, value_begin + e.position());
  }
  const auto symbols = sym::free_symbols(value);
  if (!symbols.empty())
    throw ParseError(
        option + ": the value of '" + name + "' must be a number, not '" + symbols.front().name() + "'", text,
        skip_space(text, value_begin));
  double v = sym::evaluate(value, {});
  if (!std::isfinite(v))
    throw ParseError(option + ": the value of '" + name + "' is not finite", text,
                     skip_space(text, value_begin));
  // exact arithmetic has no -0, IEEE's negation does: x=-0 is -0.0 (1/x is
  // -inf there), as x=-0.0 was
  if (v == 0 && text[skip_space(text, value_begin)] == '-') v = -0.0;
  point.values.emplace_back(name, v);
}

}  // namespace

Point parse_point(const std::vector<std::string>& at, const char* option) {
  Point point;
  point.option = option;
  for (const std::string& a : at) point.text += (point.text.empty() ? "" : ",") + a;
  if (at.empty()) return point;
  std::size_t begin = 0, depth = 0;
  for (std::size_t i = 0; i <= point.text.size(); ++i) {
    const char ch = i < point.text.size() ? point.text[i] : ',';
    if (ch == '(') ++depth;
    if (ch == ')' && depth > 0) --depth;
    if (ch == ',' && depth == 0) {
      parse_binding(point.text, begin, i, point);
      begin = i + 1;
    }
  }
  return point;
}

void require_variables(const Point& point, const std::vector<std::string>& names) {
  for (const auto& [name, value] : point.values) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    const std::string known = joined_names(names);
    throw UsageError(point.option + ": '" + name + "' is not a variable of the input" +
                     (known.empty() ? " (it has none)" : " (" + known + ")") +
                     ", so its value would be ignored");
  }
}

sym::Bindings bindings(const Point& point, const std::vector<std::string>& names) {
  sym::Bindings b;
  for (const std::string& name : names) {
    const auto it = std::find_if(point.values.begin(), point.values.end(),
                                 [&](const auto& nv) { return nv.first == name; });
    if (it == point.values.end()) throw UsageError(point.option + " has no value for '" + name + "'");
    b[name] = it->second;
  }
  return b;
}

sym::Bindings bindings(const Point& point, const std::vector<sym::Expr>& es) {
  std::vector<std::string> names;
  for (const sym::Expr& e : es)
    for (const sym::Expr& s : sym::free_symbols(e))
      if (std::find(names.begin(), names.end(), s.name()) == names.end()) names.push_back(s.name());
  std::sort(names.begin(), names.end());
  return bindings(point, names);
}

Eigen::VectorXd vector_at(const Point& point, const std::vector<std::string>& names) {
  const sym::Bindings b = bindings(point, names);
  Eigen::VectorXd x(static_cast<Eigen::Index>(names.size()));
  for (std::size_t i = 0; i < names.size(); ++i) x[static_cast<Eigen::Index>(i)] = b.at(names[i]);
  return x;
}

std::string describe(const Point& point, const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& name : names) {
    for (const auto& [n, v] : point.values)
      if (n == name)  // -0 as given: it can decide the value (1/x at x=-0 is -inf)
        s += (s.empty() ? "" : ", ") + n + "=" + (v == 0 && std::signbit(v) ? "-0" : number(v));
  }
  return s;
}

}  // namespace nabla::cli
