// The printers of print.hpp. to_string and to_c share one precedence
// printer (they differ in leaves, powers and the names of functions);
// to_latex has its own. Parentheses: a child is wrapped only where its own
// precedence is lower than the place needs, with ^ right-associative and
// unary minus below * and ^ (so -x^2 is -(x^2)).
#include "nabla/sym/print.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "deep_stack.hpp"
#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

namespace {

/// A product as its printers see it: |numeric coefficient|, its sign, and the
/// other factors (a non-product is one factor with coefficient 1).
struct SplitProduct {
  detail::Num magnitude;
  bool negative;
  std::span<const Expr> factors;
};

SplitProduct split_product(const Expr& e) {
  if (e.kind() != Kind::Mul) return {detail::Num::integer(1), false, std::span<const Expr>(&e, 1)};
  auto args = e.args();
  detail::Num c = detail::Num::integer(1);
  if (args.front().is_number()) {
    c = detail::Num::of(args.front());
    args = args.subspan(1);
  }
  const bool negative = c.is_negative();
  if (negative) c = c * detail::Num::integer(-1);
  return {c, negative, args};
}

enum Precedence { kSum = 1, kProduct = 2, kPower = 4, kAtom = 5 };

struct Text {
  std::string s;
  int prec;
};

std::string wrap(const Text& t, int needed) { return t.prec < needed ? "(" + t.s + ")" : t.s; }

/// Whether a term of a sum prints as subtraction.
bool is_negative_term(const Expr& t) {
  if (t.is_number()) return detail::Num::of(t).is_negative();
  return t.kind() == Kind::Mul && t.args().front().is_number() &&
         detail::Num::of(t.args().front()).is_negative();
}

/// A power printed as division: x^-2 as 1/x^2 (but 0^-2 as itself: 1/0^2 would read back as 1/0).
bool is_negative_power(const Expr& f) {
  return f.kind() == Kind::Pow && f.args()[1].is_exact() && f.args()[1].exact().num < 0 &&
         !f.args()[0].is_number();
}

double default_parameter(Function f) {
  return detail::visit_function(f, []<class Op>() {
    if constexpr (requires { Op::default_parameter; })
      return Op::default_parameter;
    else
      return 0.0;
  });
}

bool has_parameter(Function f) {
  return detail::visit_function(f, []<class Op>() {
    if constexpr (requires { Op::has_parameter; })
      return Op::has_parameter;
    else
      return false;
  });
}

/// to_string (c = false) and to_c (c = true); to_display_string spells
/// an infinity (spell_infinity) where to_string refuses it.
class Printer {
 public:
  explicit Printer(bool c, const std::unordered_map<const Node*, std::string>* names = nullptr,
                   bool spell_infinity = false)
      : c_(c), spell_infinity_(spell_infinity), names_(names) {}

  Text print(const Expr& e) const {
    if (names_ != nullptr)
      if (auto it = names_->find(e.node()); it != names_->end()) return {it->second, kAtom};
    return expand(e);
  }

  Text expand(const Expr& e) const {
    switch (e.kind()) {
      case Kind::Integer:
      case Kind::Rational:
      case Kind::Real:
        return number(e);
      case Kind::Constant:
        if (c_) return {e.name() == "pi" ? "3.141592653589793" : "2.718281828459045", kAtom};
        return {e.name(), kAtom};
      case Kind::Symbol:
        return {c_ ? c_identifier(e.name()) : e.name(), kAtom};
      case Kind::Add:
        return sum(e);
      case Kind::Mul:
        return product(e);
      case Kind::Pow:
        return power(e);
      case Kind::Call:
        return call(e);
    }
    return {"?", kAtom};
  }

 private:
  Text number(const Expr& e) const {
    if (e.kind() == Kind::Real) {
      const double v = e.to_double();
      if (c_ && std::isnan(v)) return {"NAN", kAtom};
      if (c_ && std::isinf(v)) return {v > 0 ? "INFINITY" : "-INFINITY", v > 0 ? kAtom : kSum};
      // "nan" and "inf" would read back as symbols: NaN as 0/0, which folds
      // to NaN again; no text of the syntax folds to an infinity
      if (std::isnan(v)) return {"(0/0)", kAtom};
      if (std::isinf(v) && spell_infinity_) return {v > 0 ? "inf" : "-inf", v > 0 ? kAtom : kSum};
      if (std::isinf(v))
        throw DomainError(std::string("to_string: the number ")
                              .append(format_double(v))
                              .append(" has no spelling the parser reads back"));
      return {format_double(v), v < 0 || std::signbit(v) ? kSum : kAtom};
    }
    const Rational q = e.exact();
    const std::string suffix = c_ ? ".0" : "";
    if (q.den == 1) return {std::to_string(q.num) + suffix, q.num < 0 ? kSum : kAtom};
    return {std::to_string(q.num) + suffix + "/" + std::to_string(q.den) + suffix,
            q.num < 0 ? kSum : kProduct};
  }

  Text sum(const Expr& e) const {
    std::string s;
    bool first = true;
    for (const Expr& t : e.args()) {
      const bool named = names_ != nullptr && names_->contains(t.node());
      if (!first && !named && is_negative_term(t)) {
        s += " - ";
        s += wrap(print(-t), kProduct);
      } else {
        if (!first) s += " + ";
        s += wrap(print(t), first ? kSum : kProduct);
      }
      first = false;
    }
    return {s, kSum};
  }

  /// A product: the coefficient's sign in front, negative powers after '/'.
  Text product(const Expr& e) const {
    auto [c, negative, args] = split_product(e);
    std::vector<std::string> num;
    std::vector<Text> den;
    const std::string suffix = c_ ? ".0" : "";
    if (c.exact) {
      if (c.q.num != 1) num.push_back(std::to_string(c.q.num) + suffix);
      if (c.q.den != 1) den.push_back({std::to_string(c.q.den) + suffix, kAtom});
    } else {
      num.push_back(number(c.expr()).s);
    }
    for (const Expr& f : args) {
      if (divides(f) && !(names_ != nullptr && names_->contains(f.node())))
        den.push_back(print(pow(f.args()[0], -f.args()[1])));
      else  // C's y*y of y^2 after another factor in parentheses: x*(y*y), as evaluate multiplies
        num.push_back(wrap(print(f), num.empty() ? kProduct : kPower));
    }
    std::string s = negative ? "-" : "";
    if (num.empty()) s += c_ ? "1.0" : "1";
    for (std::size_t i = 0; i < num.size(); ++i) {
      if (i > 0) s += '*';
      s += num[i];
    }
    // C divides one divisor after another, as evaluate() and compile() do
    // (x/(y*z) overflows in y*z where x/y/z need not); the coefficient's
    // denominator stays with the first divisor, 1.0/(2.0*t0)
    if (c_ && den.size() > 1 && c.exact && c.q.den != 1) {
      den[1] = {den[0].s + "*" + wrap(den[1], kProduct), kProduct};
      den.erase(den.begin());
    }
    if (den.size() == 1 || c_) {
      for (const Text& d : den) {
        s += '/';
        s += wrap(d, kPower);
      }
    } else if (!den.empty()) {
      s += "/(";
      for (std::size_t i = 0; i < den.size(); ++i) {
        if (i > 0) s += '*';
        s += wrap(den[i], kProduct);
      }
      s += ')';
    }
    return {s, negative ? kSum : kProduct};
  }

  /// Whether the power f prints as a division. Not in C for a fractional
  /// exponent, which evaluate() computes as pow(x, -1.5), one rounding:
  /// 1.0/sqrt(x) for x^(-1/2) was -inf at x = -0.0, NaN at -inf (pow gives
  /// inf and 0), and an ulp off elsewhere.
  bool divides(const Expr& f) const {
    return is_negative_power(f) && !(c_ && f.args()[1].kind() != Kind::Integer);
  }

  Text power(const Expr& e) const {
    if (divides(e)) return product(e);
    const Expr& b = e.args()[0];
    const Expr& x = e.args()[1];
    if (!c_) return {wrap(print(b), kAtom) + "^" + wrap(print(x), kPower), kPower};
    const Text base = print(b);
    if (x.kind() == Kind::Integer && x.exact().num == 2 && base.prec == kAtom)
      return {base.s + "*" + base.s, kProduct};
    if (x.kind() == Kind::Rational && x.exact().num == 1 && x.exact().den == 2)
      return {"sqrt(" + base.s + ")", kAtom};
    if (const int odd = detail::odd_beyond_doubles(x)) {  // as evaluate: x x^(n - 1) or x^(n + 1) / x
      const std::string even =
          "pow(" + base.s + ", " + number(Expr(static_cast<double>(x.exact().num - odd))).s + ")";
      return {odd > 0 ? wrap(base, kProduct) + "*" + even : even + "/" + wrap(base, kPower), kProduct};
    }
    return {"pow(" + base.s + ", " + print(x).s + ")", kAtom};
  }

  Text call(const Expr& e) const {
    const std::string_view fn = function_name(e.function());
    std::vector<std::string> a;
    for (const Expr& x : e.args()) a.push_back(print(x).s);
    if (c_) return c_call(e.function(), a, e.parameter());
    std::string s = std::string(fn) + "(" + a[0];
    if (a.size() > 1) s += ", " + a[1];
    if (has_parameter(e.function()) && e.parameter() != default_parameter(e.function()))
      s += ", " + format_double(e.parameter());
    return {s + ")", kAtom};
  }

  // Not inlined into call(): its many temporaries would enlarge the frame of
  // every level of the recursion (under ASan, 999 levels overflowed 8 MB).
  [[gnu::noinline]] static Text c_call(Function f, const std::vector<std::string>& a, double p) {
    const std::string x = "(" + a[0] + ")";
    const std::string y = a.size() > 1 ? "(" + a[1] + ")" : std::string();
    const std::string pp = format_double(p);
    switch (f) {
      case Function::abs:
        return {"fabs(" + a[0] + ")", kAtom};
      case Function::sign:
        // +0 at -0 as the library's sign (0.0*x kept the sign of zero); NaN stays NaN
        return {"(" + x + " > 0 ? 1.0 : (" + x + " < 0 ? -1.0 : (" + x + " == 0 ? 0.0 : " + x + ")))", kAtom};
      case Function::sigmoid:
        return {"(1.0/(1.0 + exp(-" + x + ")))", kAtom};
      case Function::relu:
        return {"(" + x + " > 0 || " + x + " != " + x + " ? " + x + " : 0.0)", kAtom};
      case Function::leaky_relu:
        return {"(" + x + " > 0 ? " + x + " : " + pp + "*" + x + ")", kAtom};
      case Function::softplus:
        return {"(fmax(" + a[0] + ", 0.0) + " + pp + "*log1p(exp(-fabs(" + a[0] + ")/" + pp + ")))", kAtom};
      // min, max and logsumexp as the registry computes them: fmin and fmax
      // would drop a NaN argument, and fmax(a, b) + log1p(exp(-|a - b|)) is
      // NaN at a = b = -inf, where logsumexp is -inf
      case Function::min:
        return {"(" + y + " < " + x + " || " + y + " != " + y + " ? " + y + " : " + x + ")", kAtom};
      case Function::max:
        return {"(" + x + " < " + y + " || " + y + " != " + y + " ? " + y + " : " + x + ")", kAtom};
      case Function::logsumexp:
        return {"(" + x + " == " + y + " && fabs(" + x + ") == HUGE_VAL ? " + x + " : (" + x + " < " + y +
                    " ? " + y + " : " + x + ") + log1p(exp(" + x + " < " + y + " ? " + x + " - " + y + " : " +
                    y + " - " + x + ")))",
                kAtom};
      // 0 where x is 0 (and, for xlogy, y is 0 or inf), as the registry
      case Function::xlogy:
        return {"(" + x + " == 0 && (" + y + " == 0 || " + y + " == HUGE_VAL) ? 0.0 : " + x + "*log(" + a[1] +
                    "))",
                kAtom};
      case Function::xdivy:
        return {"(" + x + " == 0 && " + y + " == 0 ? 0.0 : " + x + "/" + y + ")", kAtom};
      default:
        break;
    }
    std::string s = std::string(function_name(f)) + "(" + a[0];
    if (a.size() > 1) s += ", " + a[1];
    return {s + ")", kAtom};
  }

  bool c_;
  bool spell_infinity_;
  const std::unordered_map<const Node*, std::string>* names_;
};

// ----------------------------------------------------------------- LaTeX ---

std::string latex_name(Function f) {
  return detail::visit_function(f, []<class Op>() { return std::string(Op::latex); });
}

/// Each symbol's LaTeX, by name (see latex_names).
using LatexNames = std::unordered_map<std::string, std::string>;

Text latex(const Expr& e, const LatexNames& names);

/// A piece of a symbol's name: a letter or digits as they are, a Greek
/// letter's name as the letter, a longer name upright.
std::string latex_name_piece(std::string_view piece) {
  static const std::unordered_set<std::string_view> greek = {
      "alpha",  "beta",  "gamma", "delta",      "epsilon",  "zeta",   "eta",    "theta",   "iota",  "kappa",
      "lambda", "mu",    "nu",    "xi",         "rho",      "sigma",  "tau",    "upsilon", "phi",   "chi",
      "psi",    "omega", "Gamma", "Delta",      "Theta",    "Lambda", "Xi",     "Pi",      "Sigma", "Upsilon",
      "Phi",    "Psi",   "Omega", "varepsilon", "vartheta", "varphi", "varrho", "varsigma"};
  if (piece.size() == 1 || piece.find_first_not_of("0123456789") == std::string_view::npos)
    return std::string(piece);
  std::string out = greek.contains(piece) ? "\\" : "\\mathrm{";
  out.append(piece);
  if (!greek.contains(piece)) out += '}';
  return out;
}

/// A symbol's name in LaTeX: what follows an underscore is a subscript
/// (w_1 as w_{1}, alpha_t as \alpha_{t}, x_i_j as x_{i,j}), and so are the
/// digits that end a name of letters (x1 as x_{1}). An underscore that cannot
/// start a subscript (_a, x_, a__b) is printed as one.
std::string latex_symbol(std::string_view name) {
  const std::size_t underscore = name.find('_');
  if (underscore == std::string_view::npos) {
    const std::size_t digits = name.find_first_of("0123456789");
    if (digits == 0 || digits == std::string_view::npos ||
        name.find_first_not_of("0123456789", digits) != std::string_view::npos)
      return latex_name_piece(name);
    std::string out = latex_name_piece(name.substr(0, digits));
    out.append("_{").append(name.substr(digits)).append("}");
    return out;
  }
  std::vector<std::string_view> pieces;
  for (std::size_t start = underscore + 1;;) {
    const std::size_t end = name.find('_', start);
    pieces.push_back(name.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  const bool subscripts = underscore > 0 && std::none_of(pieces.begin(), pieces.end(),
                                                         [](std::string_view p) { return p.empty(); });
  if (!subscripts) {
    std::string escaped = "\\mathrm{";
    for (const char c : name) {
      if (c == '_') escaped += '\\';
      escaped += c;
    }
    return escaped + '}';
  }
  std::string out = latex_name_piece(name.substr(0, underscore));
  out.append("_{");
  for (std::size_t i = 0; i < pieces.size(); ++i)
    out.append(i ? "," : "").append(latex_name_piece(pieces[i]));
  return out + '}';
}

/// The LaTeX of each symbol of e. Digits that end a name are a subscript
/// unless that reads as another symbol of e: x1 beside x_1 is \mathrm{x1}
/// (both were x_{1}). A symbol sigma beside the sigmoid, \sigma(u), is
/// \mathrm{sigma}: sigma*(x + 1) and sigmoid(x + 1) read alike.
LatexNames latex_names(const Expr& e) {
  LatexNames names;
  std::unordered_map<std::string, int> uses;
  for (const Expr& symbol : free_symbols(e)) {
    const std::string name(symbol.name());
    ++uses[names[name] = latex_symbol(name)];
  }
  for (auto& [name, text] : names)
    if (uses[text] > 1 && name.find('_') == std::string::npos) text = "\\mathrm{" + name + "}";
  if (const auto sigma = names.find("sigma"); sigma != names.end()) {
    const auto nodes = detail::topological_order(e);
    if (std::any_of(nodes.begin(), nodes.end(),
                    [](const Node* n) { return n->kind == Kind::Call && n->function == Function::sigmoid; }))
      sigma->second = "\\mathrm{sigma}";
  }
  return names;
}

/// A double in LaTeX: 1e-20 as 10^{-20}, 2.5e+100 as 2.5 \cdot 10^{100}
/// (not the C notation, which renders as a subtraction).
Text latex_double(double v) {
  if (std::isnan(v)) return {"\\mathrm{NaN}", kAtom};
  if (std::isinf(v)) return {v > 0 ? "\\infty" : "-\\infty", v > 0 ? kAtom : kSum};
  const std::string s = format_double(v);
  const std::size_t e = s.find('e');
  if (e == std::string::npos) return {s, v < 0 || std::signbit(v) ? kSum : kAtom};
  // Appended piece by piece: GCC 12 warns falsely on a chain of + here (bug 105329).
  const bool negative = s.front() == '-';
  const std::string mantissa = s.substr(negative ? 1 : 0, e - (negative ? 1 : 0));
  const bool small = s[e + 1] == '-';
  const std::size_t digits = s.find_first_not_of('0', e + 2);  // after the sign: 1e-05 is 10^{-5}
  std::string out = negative ? "-" : "";
  if (mantissa != "1") out.append(mantissa).append(" \\cdot ");
  out.append(small ? "10^{-" : "10^{").append(s, digits, std::string::npos).append("}");
  return {out, negative ? kSum : mantissa == "1" ? kPower : kProduct};
}

std::string latex_group(const Text& t, int needed) {
  return t.prec < needed ? "\\left(" + t.s + "\\right)" : t.s;
}

Text latex_product(const Expr& e, const LatexNames& names) {
  auto [c, negative, args] = split_product(e);
  std::vector<std::string> num;
  std::vector<std::string> den;
  if (c.exact) {
    if (c.q.num != 1) num.push_back(std::to_string(c.q.num));
    if (c.q.den != 1) den.push_back(std::to_string(c.q.den));
  } else {
    num.push_back(latex_double(c.d).s);
  }
  for (const Expr& f : args) {
    if (is_negative_power(f))
      den.push_back(latex_group(latex(pow(f.args()[0], -f.args()[1]), names), kProduct));
    else
      num.push_back(latex_group(latex(f, names), kProduct));
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string s;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0) s += std::isdigit(static_cast<unsigned char>(items[i].front())) ? " \\cdot " : " ";
      s += items[i];
    }
    return s.empty() ? std::string("1") : s;
  };
  std::string s = negative ? "-" : "";
  s += den.empty() ? join(num) : "\\frac{" + join(num) + "}{" + join(den) + "}";
  return {s, negative ? kSum : kProduct};
}

Text latex(const Expr& e, const LatexNames& names) {
  switch (e.kind()) {
    case Kind::Integer:
      return {std::to_string(e.exact().num), e.exact().num < 0 ? kSum : kAtom};
    case Kind::Rational: {
      const Rational q = e.exact();
      return {std::string(q.num < 0 ? "-" : "") + "\\frac{" + std::to_string(q.num < 0 ? -q.num : q.num) +
                  "}{" + std::to_string(q.den) + "}",
              q.num < 0 ? kSum : kProduct};  // a base in parentheses: \left(\frac{2}{3}\right)^{x}
    }
    case Kind::Real:
      return latex_double(e.to_double());
    case Kind::Constant:
      return {e.name() == "pi" ? "\\pi" : "e", kAtom};
    case Kind::Symbol:
      return {names.at(std::string(e.name())), kAtom};
    case Kind::Add: {
      std::string s;
      bool first = true;
      for (const Expr& t : e.args()) {
        if (!first && is_negative_term(t)) {
          s += " - ";
          s += latex_group(latex(-t, names), kProduct);
        } else {
          if (!first) s += " + ";
          s += latex_group(latex(t, names), first ? kSum : kProduct);
        }
        first = false;
      }
      return {s, kSum};
    }
    case Kind::Mul:
      return latex_product(e, names);
    case Kind::Pow: {
      if (is_negative_power(e)) return latex_product(e, names);
      const Expr& x = e.args()[1];
      const std::string base = latex_group(latex(e.args()[0], names), kAtom);
      if (x.kind() == Kind::Rational && x.exact().num == 1 && x.exact().den == 2)
        return {"\\sqrt{" + latex(e.args()[0], names).s + "}", kAtom};
      return {base + "^{" + latex(x, names).s + "}", kPower};
    }
    case Kind::Call: {
      std::vector<std::string> a;
      for (const Expr& x : e.args()) a.push_back(latex(x, names).s);
      switch (e.function()) {
        case Function::sqrt:
          return {"\\sqrt{" + a[0] + "}", kAtom};
        case Function::cbrt:
          return {"\\sqrt[3]{" + a[0] + "}", kAtom};
        case Function::abs:
          return {"\\left|" + a[0] + "\\right|", kAtom};
        default:
          break;
      }
      std::string s = latex_name(e.function()) + "\\left(" + a[0];
      if (a.size() > 1) s += ", " + a[1];
      if (has_parameter(e.function()) && e.parameter() != default_parameter(e.function()))
        s += "; " + latex_double(e.parameter()).s;
      return {s + "\\right)", kAtom};
    }
  }
  return {"?", kAtom};
}

}  // namespace

std::string format_double(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  std::string s(buf, end);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

namespace {

/// The printers recurse once per level of nesting. An expression nested up
/// to kDirectDepth levels prints on the calling thread; deeper, up to
/// kMaxPrintDepth (derivatives of the parser's 512 levels of text reach a
/// few thousand), on a thread with a stack of kDeepStackBytes; deeper still
/// (only the API builds one) is refused rather than overflowing the stack.
constexpr std::size_t kDirectDepth = 500;  // 3 frames a level: about 2-3 MB under ASan (the library at -O1)
constexpr std::size_t kMaxPrintDepth = 20000;
constexpr std::size_t kDeepStackBytes = std::size_t{256} << 20;

/// The error of a printer refusing an expression nested beyond kMaxPrintDepth.
DomainError too_deep(const char* printer) {
  return DomainError(std::string(printer)
                         .append(": the expression is nested more than ")
                         .append(std::to_string(kMaxPrintDepth))
                         .append(" levels deep"));
}

/// The depth of n from the depths of its arguments (a node `named` counts
/// as a leaf: to_c prints its temporary); throws beyond kMaxPrintDepth.
template <class Named>
std::size_t print_depth(const Node* n, const std::unordered_map<const Node*, std::size_t>& depth, Named named,
                        const char* printer) {
  std::size_t d = 0;
  for (const Expr& a : n->args) d = std::max(d, named(a.node()) ? std::size_t{1} : depth.at(a.node()));
  if (d + 1 > kMaxPrintDepth) throw too_deep(printer);
  return d + 1;
}

/// How deep e is nested (an iterative walk).
std::size_t nesting_depth(const Expr& e) {
  std::unordered_map<const Node*, std::size_t> depth;
  for (const Node* n : detail::topological_order(e)) {
    std::size_t d = 0;
    for (const Expr& a : n->args) d = std::max(d, depth.at(a.node()));
    depth.emplace(n, d + 1);
  }
  return depth.at(e.node());
}

/// print() on the calling thread, or on a thread with a deep stack when e
/// is nested deeper than kDirectDepth. `printer` refuses an e nested deeper
/// than kMaxPrintDepth when `refuse_deep` (to_c counts its own depth, a
/// temporary as a leaf).
std::string print_with_stack(const Expr& e, const char* printer, bool refuse_deep,
                             const std::function<std::string()>& print) {
  const std::size_t depth = nesting_depth(e);
  if (refuse_deep && depth > kMaxPrintDepth) throw too_deep(printer);
  if (depth <= kDirectDepth) return print();
  std::string out;
  detail::call_with_stack(kDeepStackBytes, [&] { out = print(); });
  return out;
}

}  // namespace

std::string to_string(const Expr& e) {
  return print_with_stack(e, "to_string", true, [&] { return Printer(false).print(e).s; });
}

std::string to_display_string(const Expr& e) {
  return print_with_stack(e, "to_display_string", true,
                          [&] { return Printer(false, nullptr, true).print(e).s; });
}

std::string to_latex(const Expr& e) {
  return print_with_stack(e, "to_latex", true, [&] { return latex(e, latex_names(e)).s; });
}

namespace {

/// Whether the C spelling of node n writes its arguments more than once:
/// the comparisons of sign, relu, leaky_relu, min, max, xlogy and xdivy, the
/// two halves of softplus and logsumexp, and x^2 as x*x. Such an argument becomes a temporary
/// unless it is a leaf, so that it is computed once.
bool c_repeats_arguments(const Node* n) {
  if (n->kind == Kind::Pow) {
    const Expr& x = n->args[1];
    return x.kind() == Kind::Integer && x.exact().num == 2;
  }
  if (n->kind != Kind::Call) return false;
  switch (n->function) {
    case Function::sign:
    case Function::relu:
    case Function::leaky_relu:
    case Function::softplus:
    case Function::min:
    case Function::max:
    case Function::logsumexp:
    case Function::xlogy:
    case Function::xdivy:
      return true;
    default:
      return false;
  }
}

/// Names C code cannot give a variable: the keywords of C and C++, and the
/// functions, macros and objects of <math.h> (and errno).
constexpr std::string_view c_reserved[] = {
    "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local", "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand",
    "bitor", "bool", "break", "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class", "compl",
    "concept", "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq",
    "private", "protected", "public", "register", "reinterpret_cast", "requires", "restrict", "return",
    "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template",
    "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned",
    "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    // <math.h>
    "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "cbrt", "ceil", "copysign", "cos", "cosh",
    "erf", "erfc", "exp", "exp2", "expm1", "fabs", "fdim", "floor", "fma", "fmax", "fmin", "fmod", "frexp",
    "hypot", "ldexp", "lgamma", "log", "log10", "log1p", "log2", "logb", "modf", "nan", "pow", "remainder",
    "round", "sin", "sinh", "sqrt", "tan", "tanh", "tgamma", "trunc", "HUGE_VAL", "HUGE_VALF", "HUGE_VALL",
    "INFINITY", "NAN", "MAXFLOAT", "MATH_ERRNO", "MATH_ERREXCEPT", "math_errhandling", "errno", "signgam",
    "float_t", "double_t",
    // <math.h>'s classification macros
    "fpclassify", "isfinite", "isgreater", "isgreaterequal", "isinf", "isless", "islessequal",
    "islessgreater", "isnan", "isnormal", "isunordered", "signbit",
    // GCC's predefined macros outside the reserved names (in its default, GNU, modes)
    "unix", "linux", "i386"};

/// The prefixes <math.h> defines macros under (M_PI, M_LN2, M_SQRT2, FP_NAN,
/// FP_ILOGB0, ...).
bool c_reserved_prefix(std::string_view name) {
  // and the names C reserves to the implementation (__STDC__, __x86_64__, _Float64)
  const bool implementation =
      name.starts_with("__") || (name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
  return implementation || name.starts_with("M_") || name.starts_with("FP_");
}

}  // namespace

std::string c_identifier(const std::string& name) {
  // A reserved name gets a '_', and so does a reserved name followed by '_'s
  // already ("double_" becomes "double__"), so that no two symbols share a
  // spelling: the names changed are exactly those that end in '_' after it.
  const std::string_view base = std::string_view(name).substr(0, name.find_last_not_of('_') + 1);
  const bool reserved = c_reserved_prefix(base) ||
                        std::find(std::begin(c_reserved), std::end(c_reserved), base) != std::end(c_reserved);
  return reserved ? name + "_" : name;
}

namespace {

/// to_c's work: temporaries for shared nodes (of e and the guard, when
/// there is one), the guard's test, then the return statement.
std::string c_code(const Expr& e, const std::vector<std::string>& parameters, const Expr* guard) {
  std::unordered_set<std::string> taken;  // what a temporary must not be called
  for (const std::string& p : parameters) taken.insert(c_identifier(p));
  std::vector<Expr> roots{e};
  if (guard != nullptr) roots.push_back(*guard);
  for (const Expr& root : roots)
    for (const Expr& s : free_symbols(root)) taken.insert(c_identifier(s.name()));
  int next = 0;
  auto temporary = [&] {
    while (true) {
      char text[24];  // not "t" + to_string(k): GCC 12 warns falsely on that here (bug 105329)
      std::snprintf(text, sizeof text, "t%d", next++);
      std::string name(text);
      if (!taken.contains(name)) return name;
    }
  };
  const auto order = detail::topological_order(roots);
  std::unordered_map<const Node*, int> uses;
  for (const Expr& root : roots) ++uses[root.node()];  // printed once each
  for (const Node* n : order) {
    const int weight = c_repeats_arguments(n) ? 2 : 1;
    for (const Expr& a : n->args) uses[a.node()] += weight;
  }
  std::unordered_map<const Node*, std::string> names;
  std::unordered_map<const Node*, std::size_t> depth;  // as printed, a temporary a leaf
  std::string code;
  for (const Node* n : order) {
    depth.emplace(n, print_depth(
                         n, depth, [&](const Node* a) { return names.contains(a); }, "to_c"));
    const bool leaf = n->args.empty();
    if (leaf || uses[n] < 2) continue;
    const std::string name = temporary();
    code += "const double " + name + " = " + Printer(true, &names).expand(Node::handle(n)).s + ";\n";
    names.emplace(n, name);
  }
  const Printer printer(true, &names);
  if (guard != nullptr) code += "if (isnan(" + printer.print(*guard).s + ")) return NAN;\n";
  return code + "return " + printer.print(e).s + ";\n";
}

}  // namespace

std::string to_c(const Expr& e, const std::vector<std::string>& parameters) {
  return print_with_stack(e, "to_c", false, [&] { return c_code(e, parameters, nullptr); });
}

std::string to_c(const Expr& e, const std::vector<std::string>& parameters, const Expr& guard) {
  if (guard == e) return to_c(e, parameters);  // NaN where it is already
  // the deeper of e and the guard decides whether to print on a deep stack
  const Expr& deeper = nesting_depth(guard) > nesting_depth(e) ? guard : e;
  return print_with_stack(deeper, "to_c", false, [&] { return c_code(e, parameters, &guard); });
}

}  // namespace nabla::sym
