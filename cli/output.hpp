// How results are written: numbers (shortest round-trip, "nan", "inf"),
// expressions, vectors and matrices of them as text (the parser's syntax),
// LaTeX or C, JSON values, the caret report of a ParseError, and why a
// value is NaN (the innermost subexpression that leaves its domain).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::cli {

/// JSON objects keep their keys in insertion order ("input" first).
using Json = nlohmann::ordered_json;

/// The shortest text that reads back to v: "3", "0.1", "1e+20", "nan", "inf".
std::string number(double v);
/// "[1, 2.5]".
std::string numbers(const std::vector<double>& v);
/// "x, y, z".
std::string joined_names(const std::vector<std::string>& names);

/// e in the parser's syntax. Throws UsageError when it would be more than
/// 2^20 nodes written out (text repeats shared subexpressions; C does not).
std::string expression_text(const sym::Expr& e);
/// e in the chosen format (text and LaTeX refused as expression_text is); for Format::C, a function `name` of
/// `params`. When e is a derivative of the function `of`, that C function
/// returns NaN where `of` is NaN, as values at --at are (sym::to_c's guard).
std::string render(const sym::Expr& e, Format format, const std::string& name = "f",
                   const std::vector<std::string>& params = {}, const sym::Expr* of = nullptr);
/// A column vector: "[a, b]" as text, a pmatrix in LaTeX, one C function per
/// entry (named name<label>), guarded by `of` as above.
std::string render(const std::vector<sym::Expr>& v, Format format, const std::string& name,
                   const std::vector<std::string>& labels, const std::vector<std::string>& params,
                   const sym::Expr* of = nullptr);
/// A matrix: one "[a, b]" line per row as text, a pmatrix in LaTeX, one C
/// function per entry (named name_<i>_<j>), guarded by `of`: one function
/// for every row, or one per row.
std::string render(const sym::ExprMatrix& m, Format format, const std::string& name,
                   const std::vector<std::string>& params, const std::vector<sym::Expr>& of = {});

/// A double as JSON: a number, or the string "inf", "-inf" or "nan" (JSON
/// has no such numbers; null would lose which one it was).
Json json_number(double v);
/// Expressions as JSON strings in the parser's syntax.
Json json_exprs(const std::vector<sym::Expr>& v);
Json json_exprs(const sym::ExprMatrix& m);

/// Why e is NaN at b: "log(x) is undefined at x=-1 (log of -1 is outside its
/// domain)", or "" when e is not NaN there.
std::string explain_nan(const sym::Expr& e, const sym::Bindings& b);
/// Writes "nabla: nan: <why>" to err for each entry of es that is NaN at b;
/// returns the first reason ("" if none).
std::string warn_nan(const std::vector<sym::Expr>& es, const sym::Bindings& b, std::ostream& err);

/// Writes a ParseError as "nabla: <where>: message" and the caret line
/// (indented; a window around the position for long inputs).
void report(const ParseError& e, const std::string& where, std::ostream& err);

}  // namespace nabla::cli
