// Reading the expressions a verb works on: from the command line or from
// stdin (one per line, blank lines skipped), split at top-level commas for
// verbs that take a list, parsed with positions relative to the whole text;
// and choosing the variables (--wrt, or every symbol in alphabetical order).
#pragma once

#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::cli {

/// One input text and where it came from (line 0: the command line).
struct Input {
  std::string text;
  std::size_t line = 0;
};

/// The inputs: the arguments (joined with ", " into one when `join`), or the
/// non-blank lines of `in` when there are no arguments.
std::vector<Input> read_inputs(const std::vector<std::string>& args, bool join, std::istream& in);

/// The pieces of text between top-level commas (outside parentheses), with
/// their offsets.
struct Piece {
  std::string_view text;
  std::size_t offset;
};
std::vector<Piece> split_top_level(std::string_view text);

/// Parses one expression (a ParseError on failure).
sym::Expr parse_one(std::string_view text);
/// Parses a comma-separated list; a ParseError's position is in the whole text.
std::vector<sym::Expr> parse_list(std::string_view text);

/// Whether a variable may be named twice in --wrt: only where repeating it
/// means something (diff: --wrt x,x is the second partial).
enum class Repeats { Refused, Allowed };

/// The variables: --wrt names (validated; a repeated one is a UsageError
/// unless `repeats` allows it) if given, else the symbols of es in
/// alphabetical order.
std::vector<std::string> variables(const Options& options, const std::vector<sym::Expr>& es,
                                   Repeats repeats = Repeats::Refused);

}  // namespace nabla::cli
