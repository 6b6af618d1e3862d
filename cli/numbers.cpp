// Parsing --from, --box and comma lists (see numbers.hpp).
#include "numbers.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>

#include "common.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/evaluate.hpp"
#include "nabla/sym/parse.hpp"
#include "output.hpp"
#include "point.hpp"

namespace nabla::cli {
namespace {

/// [begin, end) of each comma-separated piece of text, outside parentheses.
std::vector<std::pair<std::size_t, std::size_t>> pieces(const std::string& text, char separator) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  int depth = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char ch = i < text.size() ? text[i] : separator;
    if (ch == '(') ++depth;
    if (ch == ')' && depth > 0) --depth;
    if (ch == separator && depth == 0) {
      out.emplace_back(begin, i);
      begin = i + 1;
    }
  }
  return out;
}

/// The number written at [begin, end) of text (an expression without symbols: 1e-3, -pi/2).
double number_at(const std::string& text, std::size_t begin, std::size_t end, const char* option) {
  const std::string_view piece = std::string_view(text).substr(begin, end - begin);
  if (piece.find_first_not_of(" \t") == std::string_view::npos)
    throw ParseError(std::string(option) + ": expected a number", text, begin);
  sym::Expr value;
  try {
    value = sym::parse(piece);
  } catch (const ParseError& e) {
    throw ParseError(std::string(option) + ": " + e.what(), text, begin + e.position());
  }
  if (!sym::free_symbols(value).empty())
    throw ParseError(
        std::string(option) + ": expected a number, not '" + sym::free_symbols(value).front().name() + "'",
        text, begin + piece.find_first_not_of(" \t"));
  const double v = sym::evaluate(value, {});
  if (!std::isfinite(v)) throw ParseError(std::string(option) + ": the number is not finite", text, begin);
  return v;
}

/// Without leading blanks (main.cpp protects a leading '-' with a space).
std::string trimmed_left(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  return first == std::string::npos ? std::string() : text.substr(first);
}

/// A check of an option's text (without the space main.cpp puts before a
/// leading '-'): `accepts` the whole text, or the message "'TEXT' is not WANTED".
template <class Accepts>
CLI::Validator check(const char* wanted, Accepts accepts) {
  return CLI::Validator(
      [wanted, accepts](std::string& text) {
        text.erase(0, text.find_first_not_of(' '));
        return accepts(text) ? std::string() : "'" + text + "' is not " + wanted;
      },
      "", "");
}

/// The whole text as a decimal number of type T, with an optional + (and
/// for a signed T an optional -).
template <class T>
bool whole_number(const std::string& text, T& value) {
  const char* begin = text.data() + (text.size() > 1 && text[0] == '+' && text[1] != '-');
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(begin, end, value);
  return error == std::errc() && stop == end && begin != end;
}

/// A whole number of type T that `in_range` accepts, handed on in plain
/// decimal: CLI11 reads a leading 0 as octal (--max-iter 010 ran 8
/// iterations, though 0x10 is refused).
template <class T, class InRange>
CLI::Validator whole_check(const char* wanted, InRange in_range) {
  return check(wanted, [in_range](std::string& t) {
    T v = 0;
    if (!whole_number(t, v) || !in_range(v)) return false;
    t = std::to_string(v);
    return true;
  });
}

/// The whole text as a finite decimal number (1e-3, -2, +0.5): not the
/// hexadecimal, inf or nan forms strtod also takes (0x10 was 16). A number
/// below the smallest double reads 0 or a subnormal, as in a CSV.
bool real_number(const std::string& text, double& value) {
  const char* begin = text.data() + (!text.empty() && text[0] == '+' && (text.size() < 2 || text[1] != '-'));
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(begin, end, value, std::chars_format::general);
  if (stop != end || begin == end) return false;
  if (error == std::errc::result_out_of_range)
    value = std::strtod(begin, nullptr);  // 0 or +-inf
  else if (error != std::errc())
    return false;
  return std::isfinite(value);
}

}  // namespace

Eigen::VectorXd parse_from(const std::string& raw, const std::vector<std::string>& vars) {
  const std::string text = trimmed_left(raw);
  const auto n = static_cast<Eigen::Index>(vars.size());
  if (text.find_first_not_of(" \t") == std::string::npos) return Eigen::VectorXd::Zero(n);
  if (text.find('=') != std::string::npos) {
    const Point point = parse_point({text}, "--from");
    for (const auto& [name, value] : point.values)
      if (std::find(vars.begin(), vars.end(), name) == vars.end())
        throw UsageError("--from: '" + name + "' is not a variable of the function (" + joined_names(vars) +
                         ")");
    return vector_at(point, vars);
  }
  const auto parts = pieces(text, ',');
  if (parts.size() != vars.size())
    throw ParseError("--from: " + std::to_string(parts.size()) + " values for " +
                         std::to_string(vars.size()) + " variables (" + joined_names(vars) + ")",
                     text, parts.size() > vars.size() ? parts[vars.size()].first : text.size());
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto [b, e] = parts[static_cast<std::size_t>(i)];
    x[i] = number_at(text, b, e, "--from");
  }
  return x;
}

namespace {

/// One end of a --bounds interval: a number, or (open_ends) nothing or
/// inf / +inf / -inf for no bound on that side (`infinite` is the side's
/// infinity: -inf for lo, +inf for hi).
double bound_at(const std::string& text, std::size_t begin, std::size_t end, const char* option,
                bool open_ends, double infinite) {
  if (open_ends) {
    std::string word;
    for (std::size_t i = begin; i < end; ++i)
      if (text[i] != ' ' && text[i] != '\t') word.push_back(static_cast<char>(std::tolower(text[i])));
    if (word.empty() || (infinite > 0 && (word == "inf" || word == "+inf")) ||
        (infinite < 0 && word == "-inf"))
      return infinite;
    if (word == "inf" || word == "+inf" || word == "-inf")
      throw ParseError(std::string(option) + (infinite < 0 ? ": lo cannot be +inf" : ": hi cannot be -inf"),
                       text, begin);
  }
  return number_at(text, begin, end, option);
}

/// The lo:hi intervals of `option` for n variables: one per variable or
/// one for all.
std::pair<Eigen::VectorXd, Eigen::VectorXd> parse_intervals(const std::string& text, std::size_t n,
                                                            const char* option, bool open_ends) {
  const auto dims = static_cast<Eigen::Index>(n);
  const auto parts = pieces(text, ',');
  if (parts.size() != 1 && parts.size() != n)
    throw ParseError(std::string(option) + ": " + std::to_string(parts.size()) + " intervals for " +
                         std::to_string(n) + " variables (give one lo:hi per variable, or one for all)",
                     text, 0);
  Eigen::VectorXd lo(dims), hi(dims);
  const double inf = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const auto [b, e] = parts[k];
    const std::size_t colon = text.find(':', b);
    if (colon == std::string::npos || colon >= e)
      throw ParseError(std::string(option) + ": expected lo:hi", text, e);
    const double l = bound_at(text, b, colon, option, open_ends, -inf);
    const double h = bound_at(text, colon + 1, e, option, open_ends, inf);
    if (!(l < h)) throw ParseError(std::string(option) + ": lo must be below hi", text, b);
    if (parts.size() == 1) {
      lo.setConstant(l);
      hi.setConstant(h);
    } else {
      lo[static_cast<Eigen::Index>(k)] = l;
      hi[static_cast<Eigen::Index>(k)] = h;
    }
  }
  return {lo, hi};
}

}  // namespace

analysis::Box parse_box(const std::string& raw, std::size_t n, double fallback_lo, double fallback_hi,
                        const char* option) {
  const std::string text = trimmed_left(raw);
  const auto dims = static_cast<Eigen::Index>(n);
  if (text.find_first_not_of(" \t") == std::string::npos)
    return analysis::Box(Eigen::VectorXd::Constant(dims, fallback_lo),
                         Eigen::VectorXd::Constant(dims, fallback_hi));
  auto [lo, hi] = parse_intervals(text, n, option, false);
  return analysis::Box(std::move(lo), std::move(hi));
}

std::pair<Eigen::VectorXd, Eigen::VectorXd> parse_bounds(const std::string& raw, std::size_t n) {
  return parse_intervals(trimmed_left(raw), n, "--bounds", true);
}

std::vector<std::string> split_list(const std::string& text, const char* option) {
  std::vector<std::string> out;
  for (const auto& [b, e] : pieces(text, ',')) {
    const std::size_t first = text.find_first_not_of(" \t", b);
    if (first == std::string::npos || first >= e)
      throw ParseError(std::string(option) + ": an empty entry in the list", text, b);
    std::size_t last = e;
    while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
    out.push_back(text.substr(first, last - first));
  }
  return out;
}

CLI::Validator positive_count() {
  return whole_check<long long>("a whole number from 1 to 2^63 - 1", [](long long v) { return v >= 1; });
}

CLI::Validator iteration_limit() {
  return whole_check<long long>("a whole number from 0 to 2^63 - 1", [](long long v) { return v >= 0; });
}

CLI::Validator start_count() {
  return whole_check<long long>("a whole number from 1 to 1000000",
                                [](long long v) { return v >= 1 && v <= 1000000; });
}

CLI::Validator non_negative_count() {
  return whole_check<unsigned long long>("a whole number of 0 or more (below 2^64)",
                                         [](unsigned long long) { return true; });
}

CLI::Validator positive_real() {
  return check("a finite number above 0", [](const std::string& t) {
    double v = 0;
    return real_number(t, v) && v > 0;
  });
}

CLI::Validator non_negative_real() {
  return check("a finite number of 0 or more", [](const std::string& t) {
    double v = 0;
    return real_number(t, v) && v >= 0;
  });
}

CLI::Validator file_name() {
  return check("a file name (an empty one would write nothing, silently)",
               [](const std::string& t) { return !t.empty(); });
}

}  // namespace nabla::cli
