// Reading expressions from text: nabla::sym::parse turns "x^2*y + exp(x*y)"
// into an Expr, in the syntax that sym::to_string prints, so printing then
// parsing gives the same node. Bad text is a nabla::ParseError with the
// 0-based byte position of the problem and a caret line; the parser bounds
// its nesting depth and the input size, so no input can overflow the stack.
//
// Grammar (whitespace -- space, tab, CR, LF -- is allowed between tokens):
//
//   input   := sum END
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power
//   power   := primary (('^' | '**') unary)?        right-associative
//   primary := number | 'pi' | 'e' | symbol | name '(' sum (',' sum)* ')'
//            | '(' sum ')'
//   number  := digits ['.' digits?] [exponent] | '.' digits [exponent]
//   exponent:= ('e' | 'E') ['+' | '-'] digits
//   symbol  := [A-Za-z_][A-Za-z0-9_]*
//
// So -x^2 is -(x^2), 2^-1 is 1/2 and x^y^z is x^(y^z). An integer literal is
// exact (a literal beyond 64 bits becomes a double); a literal with a point
// or an exponent is a double. A name followed by '(' calls the registry
// function of that name (softplus(x, t) and leaky_relu(x, alpha) take a
// number as their optional second argument, the function's parameter).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// Limits of parse(): longer input or deeper nesting is a ParseError.
struct ParseLimits {
  /// The largest input, in bytes.
  std::size_t max_size = std::size_t{1} << 20;
  /// The deepest nesting of parentheses, calls, unary signs and exponents.
  std::size_t max_depth = 512;
};

/// The expression written in `text`; throws nabla::ParseError (with the
/// position and a caret line) for text that is not one.
Expr parse(std::string_view text, const ParseLimits& limits = {});

/// The candidate closest to `name` by edit distance (adjacent transpositions
/// count as one edit), if it is close enough to be a likely typo; else "".
std::string_view closest_name(std::string_view name, std::span<const std::string_view> candidates);

}  // namespace nabla::sym
