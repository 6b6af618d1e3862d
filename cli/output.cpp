// Output formats and error reports of the `nabla` program (see output.hpp).
#include "output.hpp"

#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/print.hpp"

namespace nabla::cli {

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0.0) return "0";
  // The shortest text that reads back as v; in positional notation from
  // 1e-4 up to 1e16, as Python's repr (to_chars alone writes 100000 as
  // 1e+05, the shorter of the two).
  char buf[400];
  const double magnitude = std::abs(v);
  const auto format = magnitude >= 1e-4 && magnitude < 1e16 ? std::chars_format::fixed : std::chars_format{};
  const auto [end, ec] = format == std::chars_format::fixed ? std::to_chars(buf, buf + sizeof buf, v, format)
                                                            : std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

std::string numbers(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + number(v[i]);
  return s + "]";
}

std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out.append(out.empty() ? "" : ", ").append(name);
  return out;
}

namespace {

/// Expressions share equal subexpressions, and text and LaTeX write each
/// out at every use: the third derivative of a 50-level tower x^x^...^x is
/// 2082 distinct nodes but 2.6e7 written out, 32 MB of text (100 levels ran
/// for minutes). Beyond this many nodes written out, the result is refused;
/// C names the shared subexpressions and has no such limit.
constexpr std::size_t kMostNodesWritten = std::size_t{1} << 20;

void check_writable(const sym::Expr& e) {
  const std::size_t written = sym::tree_size(e);
  if (written <= kMostNodesWritten) return;
  throw UsageError(
      "the result is " + (written == SIZE_MAX ? std::string("more than 2^64") : std::to_string(written)) +
      " nodes when written out as text (" + std::to_string(sym::dag_size(e)) +
      " distinct, most of them shared); print it with --c, which names the shared subexpressions");
}

/// The same limit over all the entries of a vector or matrix, each small
/// but many of them (the Hessian of a sum of 5000 squares is 25 million
/// entries, 1.9 GB of JSON): counted as text writes them, or for C (one
/// function per entry) as their distinct nodes.
void check_writable_total(const std::vector<const sym::Expr*>& entries, bool c) {
  std::size_t written = 0;
  for (const sym::Expr* e : entries) {
    const std::size_t n = c ? sym::dag_size(*e) : sym::tree_size(*e);
    written = n > kMostNodesWritten ? n : written + n;  // (no overflow: each term is at most 2^20 more)
    if (written > kMostNodesWritten)
      throw UsageError("the result is " + std::to_string(entries.size()) +
                       " entries of more than 2^20 nodes in all " +
                       "when written out; ask for fewer variables (--wrt) or fewer expressions");
  }
}

std::vector<const sym::Expr*> entries_of(const sym::ExprMatrix& m) {
  std::vector<const sym::Expr*> all;
  for (const auto& row : m)
    for (const sym::Expr& e : row) all.push_back(&e);
  return all;
}

std::vector<const sym::Expr*> entries_of(const std::vector<sym::Expr>& v) {
  std::vector<const sym::Expr*> all;
  for (const sym::Expr& e : v) all.push_back(&e);
  return all;
}

std::string latex_of(const sym::Expr& e) {
  check_writable(e);
  return sym::to_latex(e);
}

std::string indent(const std::string& body) {
  std::string out = "  ";
  for (std::size_t i = 0; i < body.size(); ++i) {
    out += body[i];
    if (body[i] == '\n' && i + 1 < body.size()) out += "  ";
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::string c_function(const sym::Expr& e, const std::string& name, const std::vector<std::string>& params,
                       const sym::Expr* of) {
  std::string s = "double " + name + "(";
  for (std::size_t i = 0; i < params.size(); ++i)
    s += (i ? ", " : "") + std::string("double ") + sym::c_identifier(params[i]);
  if (params.empty()) s += "void";
  s += ") {\n";
  // a parameter the body does not read (a --wrt variable f lacks) is cast to
  // void: the function compiles without warnings (-Wall -Wextra)
  std::unordered_set<std::string> read;
  for (const sym::Expr& root : {e, of != nullptr ? *of : e})
    for (const sym::Expr& symbol : sym::free_symbols(root)) read.insert(symbol.name());
  for (const std::string& p : params)
    if (!read.contains(p)) s += "  (void)" + sym::c_identifier(p) + ";\n";
  return s + indent(of != nullptr ? sym::to_c(e, params, *of) : sym::to_c(e, params)) + "}";
}

std::string latex_matrix(const sym::ExprMatrix& m) {
  std::string s = "\\begin{pmatrix}";
  for (std::size_t i = 0; i < m.size(); ++i) {
    s += i ? " \\\\ " : " ";
    for (std::size_t j = 0; j < m[i].size(); ++j) s += (j ? " & " : "") + latex_of(m[i][j]);
  }
  return s + " \\end{pmatrix}";
}

}  // namespace

std::string expression_text(const sym::Expr& e) {
  check_writable(e);
  return sym::to_string(e);
}

std::string render(const sym::Expr& e, Format format, const std::string& name,
                   const std::vector<std::string>& params, const sym::Expr* of) {
  switch (format) {
    case Format::Latex:
      return latex_of(e);
    case Format::C:
      return c_function(e, name, params, of);
    default:
      return expression_text(e);
  }
}

std::string render(const std::vector<sym::Expr>& v, Format format, const std::string& name,
                   const std::vector<std::string>& labels, const std::vector<std::string>& params,
                   const sym::Expr* of) {
  check_writable_total(entries_of(v), format == Format::C);
  if (format == Format::Latex) {
    sym::ExprMatrix column;
    for (const sym::Expr& e : v) column.push_back({e});
    return latex_matrix(column);
  }
  std::string s;
  if (format == Format::C) {
    for (std::size_t i = 0; i < v.size(); ++i)
      s += (i ? "\n" : "") + c_function(v[i], name + labels[i], params, of);
    return s;
  }
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + expression_text(v[i]);
  return "[" + s + "]";
}

std::string render(const sym::ExprMatrix& m, Format format, const std::string& name,
                   const std::vector<std::string>& params, const std::vector<sym::Expr>& of) {
  check_writable_total(entries_of(m), format == Format::C);
  if (format == Format::Latex) return latex_matrix(m);
  std::string s;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (format == Format::C) {
      for (std::size_t j = 0; j < m[i].size(); ++j)
        s += (s.empty() ? "" : "\n") + c_function(m[i][j],
                                                  name + "_" + std::to_string(i) + "_" + std::to_string(j),
                                                  params, of.empty() ? nullptr : &of[of.size() == 1 ? 0 : i]);
    } else {
      std::vector<std::string> labels(m[i].size());
      s += (i ? "\n" : "") + render(m[i], Format::Text, name, labels, params, nullptr);
    }
  }
  return s;
}

Json json_number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

Json json_exprs(const std::vector<sym::Expr>& v) {
  check_writable_total(entries_of(v), false);
  Json a = Json::array();
  for (const sym::Expr& e : v) a.push_back(expression_text(e));
  return a;
}

Json json_exprs(const sym::ExprMatrix& m) {
  check_writable_total(entries_of(m), false);
  Json a = Json::array();
  for (const auto& row : m) a.push_back(json_exprs(row));
  return a;
}

namespace {

/// The innermost node below e that is NaN while its operands are not.
const sym::Expr* first_nan(const sym::Expr& e, const sym::Bindings& b,
                           std::unordered_set<const sym::Node*>& seen) {
  if (!seen.insert(e.node()).second) return nullptr;
  for (const sym::Expr& a : e.args()) {
    if (!std::isnan(sym::evaluate(a, b))) continue;
    if (const sym::Expr* inner = first_nan(a, b, seen)) return inner;
  }
  return std::isnan(sym::evaluate(e, b)) ? &e : nullptr;
}

/// e's text, cut to its first 60 characters when longer than 80 (and never
/// written out in full when that would be huge).
std::string brief(const sym::Expr& e) {
  if (sym::tree_size(e) > kMostNodesWritten)
    return "an expression of " + std::to_string(sym::dag_size(e)) + " nodes";
  const std::string text = sym::to_string(e);
  return text.size() <= 80 ? text : text.substr(0, 60) + "...";
}

}  // namespace

std::string explain_nan(const sym::Expr& e, const sym::Bindings& b) {
  if (!std::isnan(sym::evaluate(e, b))) return "";
  std::string where;
  for (const sym::Expr& s : sym::free_symbols(e))
    where += (where.empty() ? "" : ", ") + s.name() + "=" + number(b.at(s.name()));
  const std::string at = where.empty() ? "" : " at " + where;
  if (sym::dag_size(e) > 2000) return brief(e) + " is undefined" + at;
  std::unordered_set<const sym::Node*> seen;
  const sym::Expr* culprit = first_nan(e, b, seen);
  if (culprit == nullptr) return "the value is undefined" + at;
  std::string why = brief(*culprit) + " is undefined" + at;
  if (culprit->kind() == sym::Kind::Call) {
    std::string args;
    for (const sym::Expr& a : culprit->args())
      args += (args.empty() ? "" : ", ") + number(sym::evaluate(a, b));
    why +=
        " (" + std::string(sym::function_name(culprit->function())) + "(" + args + ") is outside its domain)";
  } else if (culprit->kind() == sym::Kind::Pow) {
    const double base = sym::evaluate(culprit->args()[0], b);
    const std::string base_text = base < 0 ? "(" + number(base) + ")" : number(base);  // (-2)^0.5, not -2^0.5
    why += " (" + base_text + "^" + number(sym::evaluate(culprit->args()[1], b)) + " is not a real number)";
  }
  return why;
}

std::string warn_nan(const std::vector<sym::Expr>& es, const sym::Bindings& b, std::ostream& err) {
  std::string first;
  for (const sym::Expr& e : es) {
    const std::string why = explain_nan(e, b);
    if (why.empty()) continue;
    err << "nabla: nan: " << why << "\n";
    if (first.empty()) first = why;
  }
  return first;
}

void report(const ParseError& e, const std::string& where, std::ostream& err) {
  err << "nabla: " << (where.empty() ? "" : where + ": ") << e.what() << "\n";
  const std::string& input = e.input();
  constexpr std::size_t kWindow = 60;
  std::size_t first = 0, pos = e.position();
  if (input.size() > 2 * kWindow && pos > kWindow) first = pos - kWindow;
  std::string line = input.substr(first, 2 * kWindow);
  for (char& ch : line)
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) ch = ' ';
  const std::string prefix = first > 0 ? "..." : "";
  err << "  " << prefix << line << (first + line.size() < input.size() ? "..." : "") << "\n";
  err << "  " << std::string(prefix.size() + (pos - first), ' ') << "^\n";
}

}  // namespace nabla::cli
