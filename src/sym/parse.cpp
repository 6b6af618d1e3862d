// The expression parser: a lexer over bytes and a recursive-descent parser
// with one depth counter (see the grammar in sym/parse.hpp). Sums and
// products are collected and built once with sym::add / sym::mul, so a long
// flat sum costs one canonicalization, not one per term. Every error is a
// ParseError at the byte where the problem is seen; arithmetic that the Expr
// constructors reject (a division by zero, a bad parameter) becomes one too.
#include "nabla/sym/parse.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla::sym {
namespace {

/// How many arguments a registry function takes.
struct Arity {
  std::size_t min = 1;
  std::size_t max = 1;
  bool parameter = false;  ///< the optional last argument is the passive parameter
  double default_parameter = 0.0;
};

bool arity_of(std::string_view name, Arity& out) {
#define NABLA_PARSE_UNARY(fn, Op) \
  if (name == #fn) {              \
    out = {1, 1, false, 0.0};     \
    return true;                  \
  }
#define NABLA_PARSE_BINARY(fn, Op) \
  if (name == #fn) {               \
    out = {2, 2, false, 0.0};      \
    return true;                   \
  }
  NABLA_UNARY_FUNCTIONS(NABLA_PARSE_UNARY)
  NABLA_BINARY_FUNCTIONS(NABLA_PARSE_BINARY)
#undef NABLA_PARSE_UNARY
#undef NABLA_PARSE_BINARY
  if (name == "softplus") {
    out = {1, 2, true, core::Softplus::default_parameter};
    return true;
  }
  if (name == "leaky_relu") {
    out = {1, 2, true, core::LeakyRelu::default_parameter};
    return true;
  }
  return false;
}

bool is_function(std::string_view name) {
  const auto names = function_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

/// The concatenation of parts (appending sidesteps a false -Wrestrict of
/// GCC 12 on `"literal" + std::string`).
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string hex_byte(char c) {
  std::array<char, 8> buf{};
  std::snprintf(buf.data(), buf.size(), "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return buf.data();
}

enum class Tok : std::uint8_t { End, Number, Name, Plus, Minus, Star, Slash, Caret, LParen, RParen, Comma };

struct Token {
  Tok kind = Tok::End;
  std::size_t pos = 0;
  std::size_t len = 0;
};

bool is_operator(Tok t) {
  return t == Tok::Plus || t == Tok::Minus || t == Tok::Star || t == Tok::Slash || t == Tok::Caret;
}

class Parser {
 public:
  Parser(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  Expr parse_input() {
    if (text_.size() > limits_.max_size)
      fail(cat("input too long: ", std::to_string(text_.size()), " bytes (at most ",
               std::to_string(limits_.max_size), ")"),
           0);
    if (peek().kind == Tok::End) fail("empty expression", peek().pos);
    Expr result = sum();
    const Token t = peek();
    if (t.kind != Tok::End) unexpected_after_operand(t);
    return result;
  }

 private:
  [[noreturn]] void fail(const std::string& message, std::size_t pos) const {
    throw ParseError(message, std::string(text_), pos);
  }

  std::string_view spelling(const Token& t) const { return text_.substr(t.pos, t.len); }

  /// The next token (lexed once and cached).
  const Token& peek() {
    if (!have_next_) {
      next_ = lex(pos_);
      have_next_ = true;
    }
    return next_;
  }

  Token take() {
    Token t = peek();
    pos_ = t.pos + t.len;
    have_next_ = false;
    last_ = t;
    have_last_ = true;
    return t;
  }

  Token lex(std::size_t p) const {
    while (p < text_.size() && is_space(text_[p])) ++p;
    if (p >= text_.size()) return {Tok::End, text_.size(), 0};
    const char c = text_[p];
    switch (c) {
      case '+':
        return {Tok::Plus, p, 1};
      case '-':
        return {Tok::Minus, p, 1};
      case '*':
        if (p + 1 < text_.size() && text_[p + 1] == '*') return {Tok::Caret, p, 2};
        return {Tok::Star, p, 1};
      case '/':
        return {Tok::Slash, p, 1};
      case '^':
        return {Tok::Caret, p, 1};
      case '(':
        return {Tok::LParen, p, 1};
      case ')':
        return {Tok::RParen, p, 1};
      case ',':
        return {Tok::Comma, p, 1};
      default:
        break;
    }
    if (is_digit(c) || (c == '.' && p + 1 < text_.size() && is_digit(text_[p + 1])))
      return {Tok::Number, p, number_length(p)};
    if (is_name_start(c)) {
      std::size_t q = p + 1;
      while (q < text_.size() && is_name_char(text_[q])) ++q;
      return {Tok::Name, p, q - p};
    }
    if (c == '\0') fail("unexpected NUL byte", p);
    if (static_cast<unsigned char>(c) >= 0x80)
      fail(cat("unexpected byte ", hex_byte(c), " (expressions are ASCII)"), p);
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      fail(cat("unexpected control character ", hex_byte(c)), p);
    fail(cat("unexpected character '", std::string_view(&c, 1), "'"), p);
  }

  /// The length of the number literal at p: digits, a point, an exponent.
  std::size_t number_length(std::size_t p) const {
    std::size_t q = p;
    while (q < text_.size() && is_digit(text_[q])) ++q;
    if (q < text_.size() && text_[q] == '.') {
      ++q;
      while (q < text_.size() && is_digit(text_[q])) ++q;
    }
    if (q < text_.size() && (text_[q] == 'e' || text_[q] == 'E')) {
      std::size_t r = q + 1;
      if (r < text_.size() && (text_[r] == '+' || text_[r] == '-')) ++r;
      if (r >= text_.size() || !is_digit(text_[r]))
        fail(cat("malformed number: the exponent '", text_.substr(q, 1), "' has no digits"), q);
      while (r < text_.size() && is_digit(text_[r])) ++r;
      q = r;
    }
    return q - p;
  }

  Expr number(const Token& t) const {
    const std::string_view s = spelling(t);
    const char* first = s.data();
    const char* last = s.data() + s.size();
    if (s.find_first_of(".eE") == std::string_view::npos) {
      long long n = 0;
      const auto [ptr, ec] = std::from_chars(first, last, n);
      if (ec == std::errc() && ptr == last) return Expr(n);
      // Beyond 64 bits: the literal is read as a double below.
    }
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(first, last, v);
    if (ec == std::errc::result_out_of_range) {
      if (overflows(s)) fail(cat("number out of range: '", s, "'"), t.pos);
      return Expr(0.0);  // underflow: the nearest double is zero
    }
    if (ec != std::errc() || ptr != last) fail(cat("malformed number '", s, "'"), t.pos);
    return Expr(v);
  }

  /// Whether an out-of-range literal is too large (rather than too small):
  /// the decimal magnitude of its first nonzero digit plus its exponent.
  static bool overflows(std::string_view s) {
    const std::size_t e = s.find_first_of("eE");
    const std::string_view mantissa = s.substr(0, e);
    long long exponent = 0;
    if (e != std::string_view::npos) {
      std::string_view digits = s.substr(e + 1);
      const bool negative = !digits.empty() && digits.front() == '-';
      if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
      long long value = 0;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec == std::errc::result_out_of_range) value = 1LL << 62;
      exponent = negative ? -value : value;
    }
    const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
    const std::size_t nonzero = mantissa.find_first_of("123456789");
    if (nonzero == std::string_view::npos) return false;
    const long long magnitude = nonzero < point ? static_cast<long long>(point - nonzero)
                                                : -static_cast<long long>(nonzero - point - 1);
    return magnitude + exponent > 0;  // 0.1e310 is 1e309: magnitude 0, exponent 310
  }

  /// Runs an Expr construction; an exception of the Expr layer becomes a
  /// ParseError at pos.
  template <class Build>
  Expr build(std::size_t pos, Build&& make) const {
    try {
      return make();
    } catch (const ParseError&) {
      throw;
    } catch (const Error& e) {
      fail(e.what(), pos);
    }
  }

  /// Folds operands (add or mul); an exception becomes a ParseError at the
  /// operator before the first operand the fold cannot take: in
  /// "1e308 + 1e308 + x" at the second '+', not at x. That prefix is found
  /// by bisection (a sum that overflowed stays overflowed as terms are
  /// added): folding every prefix took 113 s for 20 000 terms.
  template <class Fold>
  Expr fold(const std::vector<Expr>& operands, const std::vector<std::size_t>& operators,
            Fold&& combine) const {
    try {
      return combine(std::span<const Expr>(operands));
    } catch (const ParseError&) {
      throw;
    } catch (const Error& e) {
      const auto fails = [&](std::size_t k) {
        try {
          (void)combine(std::span<const Expr>(operands.data(), k));
          return false;
        } catch (const Error&) {
          return true;
        }
      };
      std::size_t good = 1, bad = operands.size();  // one operand folds; all of them do not
      while (bad - good > 1) {
        const std::size_t mid = good + (bad - good) / 2;
        (fails(mid) ? bad : good) = mid;
      }
      fail(e.what(), operators[bad - 1]);
    }
  }

  std::string describe(const Token& t) const {
    if (t.kind == Tok::End) return "the end of the input";
    return cat("'", spelling(t), "'");
  }

  /// The error for a token that cannot follow a complete operand.
  [[noreturn]] void unexpected_after_operand(const Token& t) const {
    switch (t.kind) {
      case Tok::RParen:
        fail("unmatched ')'", t.pos);
      case Tok::Comma:
        fail("unexpected ',' outside a function call", t.pos);
      case Tok::Number:
      case Tok::Name:
      case Tok::LParen:
        if (have_last_ && last_.kind == Tok::Number && t.kind == Tok::Name)
          fail(cat("expected an operator before ", describe(t), " (write ", spelling(last_), "*", spelling(t),
                   ")"),
               t.pos);
        fail(cat("expected an operator before ", describe(t)), t.pos);
      default:
        fail(cat("unexpected ", describe(t)), t.pos);
    }
  }

  /// The error for a token where an operand should start.
  [[noreturn]] void expected_operand(const Token& t) const {
    const bool after_operator = have_last_ && is_operator(last_.kind);
    if (have_last_ && last_.kind == Tok::Comma) fail("expected an argument after ','", t.pos);
    if (t.kind == Tok::End) {
      if (after_operator) fail(cat("dangling operator '", spelling(last_), "'"), last_.pos);
      fail("unexpected end of input", t.pos);
    }
    if (after_operator)
      fail(cat("expected an operand after '", spelling(last_), "', found ", describe(t)), t.pos);
    if (have_last_ && last_.kind == Tok::LParen && t.kind == Tok::RParen) fail("empty parentheses", t.pos);
    fail(cat("expected an operand before ", describe(t)), t.pos);
  }

  /// Counts one level of nesting for the lifetime of the guard.
  class Nest {
   public:
    Nest(Parser& p, std::size_t pos) : p_(p) {
      if (++p_.depth_ > p_.limits_.max_depth)
        p_.fail(cat("nesting deeper than ", std::to_string(p_.limits_.max_depth), " levels"), pos);
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };

  Expr sum() {
    std::vector<Expr> terms;
    std::vector<std::size_t> operators{0};  // the position of the operator before each term
    terms.push_back(product());
    while (peek().kind == Tok::Plus || peek().kind == Tok::Minus) {
      const Token op = take();
      Expr term = product();
      if (op.kind == Tok::Minus) term = build(op.pos, [&] { return -term; });
      terms.push_back(term);
      operators.push_back(op.pos);
    }
    if (terms.size() == 1) return terms.front();
    return fold(terms, operators, [](std::span<const Expr> t) { return add(t); });
  }

  Expr product() {
    std::vector<Expr> factors;
    std::vector<std::size_t> operators{0};
    factors.push_back(unary());
    while (peek().kind == Tok::Star || peek().kind == Tok::Slash) {
      const Token op = take();
      Expr factor = unary();
      if (op.kind == Tok::Slash) factor = build(op.pos, [&] { return Expr(1) / factor; });
      factors.push_back(factor);
      operators.push_back(op.pos);
    }
    if (factors.size() == 1) return factors.front();
    return fold(factors, operators, [](std::span<const Expr> f) { return mul(f); });
  }

  Expr unary() {
    const Nest nest(*this, peek().pos);
    bool negative = false;
    std::size_t sign_pos = peek().pos;
    while (peek().kind == Tok::Minus || peek().kind == Tok::Plus) {
      const Token t = take();
      if (t.kind == Tok::Minus) {
        negative = !negative;
        sign_pos = t.pos;
      }
    }
    Expr operand = power();
    if (!negative) return operand;
    return build(sign_pos, [&] { return -operand; });
  }

  Expr power() {
    Expr base = primary();
    if (peek().kind != Tok::Caret) return base;
    const Token op = take();
    Expr exponent = unary();  // right-associative, and 2^-1 is allowed
    return build(op.pos, [&] { return pow(base, exponent); });
  }

  Expr primary() {
    const Token t = peek();
    switch (t.kind) {
      case Tok::Number:
        take();
        return number(t);
      case Tok::Name:
        take();
        return name(t);
      case Tok::LParen: {
        take();
        Expr inner = sum();
        close(t);
        return inner;
      }
      default:
        expected_operand(t);
    }
  }

  /// Consumes the ')' that closes the '(' at open.
  void close(const Token& open) {
    const Token t = peek();
    if (t.kind == Tok::RParen) {
      take();
      return;
    }
    if (t.kind == Tok::End || t.kind == Tok::Comma)
      fail(cat("expected ')' to close '(' at ", std::to_string(open.pos)), t.pos);
    unexpected_after_operand(t);
  }

  Expr name(const Token& t) {
    const std::string_view id = spelling(t);
    if (peek().kind == Tok::LParen) return call_of(t);
    if (id == "pi") return pi();
    if (id == "e") return sym::e();
    if (is_function(id)) fail(cat("'", id, "' is a function: write ", id, "(...)"), t.pos);
    return build(t.pos, [&] { return symbol(id); });
  }

  Expr call_of(const Token& fn) {
    const std::string_view id = spelling(fn);
    if (id == "pi" || id == "e") fail(cat("'", id, "' is a constant, not a function"), fn.pos);
    if (!is_function(id)) {
      std::string message = cat("unknown function '", id, "'");
      const std::string_view guess = closest_name(id, function_names());
      if (!guess.empty()) message += cat(" \u2014 did you mean '", guess, "'?");
      fail(message, fn.pos);
    }
    const Token open = take();  // the arguments' unary() counts this level
    std::vector<Expr> args;
    std::vector<std::size_t> positions;
    if (peek().kind == Tok::RParen) {
      take();
    } else {
      for (;;) {
        positions.push_back(peek().pos);
        args.push_back(sum());
        if (peek().kind != Tok::Comma) break;
        take();
      }
      close(open);
    }
    Arity arity;
    const bool known = arity_of(id, arity);
    if (known && (args.size() < arity.min || args.size() > arity.max)) {
      std::string expects = std::to_string(arity.min);
      if (arity.max != arity.min) expects += cat(" or ", std::to_string(arity.max));
      fail(cat(id, " takes ", expects, arity.max == 1 ? " argument" : " arguments", ", got ",
               std::to_string(args.size())),
           fn.pos);
    }
    double parameter = known ? arity.default_parameter : 0.0;
    if (known && arity.parameter && args.size() == arity.max) {
      parameter = parameter_argument(id, args.back(), positions.back());
      args.pop_back();
    }
    return build(fn.pos, [&] { return call(id, args, parameter); });
  }

  /// The value of a call's passive parameter written as its last argument:
  /// a finite number (softplus's temperature positive). Out of line, as
  /// call_of recurses once per level of nesting and its frame must stay small
  /// (under ASan, 512 levels of sin( came close to the stack's end).
  [[gnu::noinline]] double parameter_argument(std::string_view id, const Expr& p, std::size_t position) {
    if (!p.is_number() && p.kind() != Kind::Constant)
      fail(cat("the last argument of ", id, " must be a number"), position);
    const double value = p.to_double();
    if (id == "softplus" && !(value > 0 && std::isfinite(value)))
      fail("the temperature of softplus must be a positive number", position);
    if (!std::isfinite(value)) fail(cat("the last argument of ", id, " must be finite"), position);
    return value;
  }

  std::string_view text_;
  const ParseLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  Token next_;
  bool have_next_ = false;
  Token last_;
  bool have_last_ = false;
};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// The optimal-string-alignment distance: insertions, deletions,
/// substitutions and transpositions of adjacent characters, ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::size_t> d((n + 1) * (m + 1));
  auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * (m + 1) + j]; };
  for (std::size_t i = 0; i <= n; ++i) at(i, 0) = i;
  for (std::size_t j = 0; j <= m; ++j) at(0, j) = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
    }
  }
  return at(n, m);
}

}  // namespace

Expr parse(std::string_view text, const ParseLimits& limits) { return Parser(text, limits).parse_input(); }

std::string_view closest_name(std::string_view name, std::span<const std::string_view> candidates) {
  if (name.size() > 64) return {};
  const std::size_t allowed = std::max<std::size_t>(1, name.size() / 3);
  std::string_view best;
  std::size_t best_distance = allowed + 1;
  for (const std::string_view c : candidates) {
    const std::size_t d = edit_distance(name, c);
    if (d < best_distance && d < name.size()) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace nabla::sym
