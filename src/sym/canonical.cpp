// Canonical construction of sums, products, powers and calls: the automatic
// simplification every expression goes through (as SymPy's constructors).
//   sums      flatten, fold numbers, merge like terms (2*x + 3*x = 5*x), drop 0
//   products  flatten, fold numbers, merge equal bases (x*x^a = x^(1+a)),
//             0 absorbs, 1 is dropped, the coefficient first
//   powers    x^0 = 1 (0^0 = 1, as C's pow), x^1 = x, 1^x = 1, exact powers of
//             exact numbers fold (2^10 = 1024, 4^(1/2) = 2), (a^b)^n = a^(b n)
//             and (a b)^n = a^n b^n for an integer n; 0^-n stays symbolic (inf)
//   calls     fold to a double when an argument is a double (sin(0.5));
//             exact arguments stay exact (sin(1), log(2)); simplify() knows
//             exact values (sin(0) = 0)
// Every rewrite keeps the value wherever the original is defined (not NaN).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

using detail::Int128;
using detail::Num;

namespace {

Expr make(Kind kind, std::vector<Expr> args) {
  Node n;
  n.kind = kind;
  n.args = std::move(args);
  return Node::intern(std::move(n));
}

/// The coefficient and the rest of a term: 3*x*y is (3, x*y).
std::pair<Num, Expr> split_term(const Expr& t) {
  if (t.kind() == Kind::Mul && t.args().front().is_number()) {
    auto args = t.args();
    if (args.size() == 2) return {Num::of(args[0]), args[1]};
    return {Num::of(args[0]), make(Kind::Mul, std::vector<Expr>(args.begin() + 1, args.end()))};
  }
  return {Num::integer(1), t};
}

/// c * t for a canonical non-number t, in canonical form, without re-sorting.
Expr scale(const Num& c, const Expr& t) {
  if (c.is_exact_one()) return t;
  std::vector<Expr> args{c.expr()};
  if (t.kind() == Kind::Mul)
    args.insert(args.end(), t.args().begin(), t.args().end());
  else
    args.push_back(t);
  return make(Kind::Mul, std::move(args));
}

/// The exact q-th root of v >= 0, if it is an integer.
bool exact_root(std::int64_t v, std::int64_t q, std::int64_t& out) {
  if (v < 0 || q <= 0 || q > 64) return false;
  const auto r =
      static_cast<std::int64_t>(std::llround(std::pow(static_cast<double>(v), 1.0 / static_cast<double>(q))));
  for (std::int64_t c = std::max<std::int64_t>(0, r - 1); c <= r + 1; ++c) {
    Num p = detail::power(Num::integer(c), q);
    if (p.exact && p.q.num == v) {
      out = c;
      return true;
    }
  }
  return false;
}

/// A folded number that lost its value: infinite, or below the normal
/// doubles (0 or subnormal) although it is not exactly 0.
bool out_of_range(const detail::Num& c) {
  return !std::isfinite(c.value()) || (!c.exact && std::fabs(c.d) < std::numeric_limits<double>::min());
}

/// b^e for numbers b and e, if it folds to a number.
bool fold_power(const Expr& b, const Expr& e, Expr& out) {
  if (b.is_exact() && e.is_exact()) {
    const Rational bq = b.exact();
    const Rational eq = e.exact();
    if (bq.num == 0 && eq.num < 0) return false;  // 0^-n: +inf, kept symbolic
    if (eq.den == 1) {
      // 10^400 overflows and 3^-700 underflows: kept symbolic, so that
      // 3^-700*3^700 is still 1 (it was 0*3^700, NaN)
      const Num p = detail::power(Num::of(b), eq.num);
      if (out_of_range(p)) return false;
      out = p.expr();
      return true;
    }
    std::int64_t rn = 0;
    std::int64_t rd = 0;
    if (exact_root(bq.num, eq.den, rn) && exact_root(bq.den, eq.den, rd)) {
      const Num p = detail::power(Num::ratio(rn, rd), eq.num);
      if (out_of_range(p)) return false;
      out = p.expr();
      return true;
    }
    return false;
  }
  const double v = std::pow(b.to_double(), e.to_double());
  if (!std::isfinite(v) || (std::fabs(v) < std::numeric_limits<double>::min() && b.to_double() != 0))
    return false;
  out = Expr(v);
  return true;
}

/// Refuses a folded constant that overflowed although every number folded
/// into it was finite (1e200*1e200), as parse refuses the literal 1e400: the
/// infinity would appear from nowhere, and no text reads back as one.
void check_folded(const Num& c, bool inputs_finite) {
  if (inputs_finite && !std::isfinite(c.value()))
    throw DomainError("number out of range: a product or sum of numbers overflows");
}

bool finite_number(const Expr& e) { return !e.is_number() || std::isfinite(e.to_double()); }

/// Refuses a product that underflowed below the normal doubles although
/// every number multiplied into it was a nonzero normal one (1e-200*1e-200,
/// the 100th derivative of exp(x/10000)): its digits are lost, and a 0
/// would make a nonzero expression vanish.
void check_product_range(const Num& c, std::span<const Expr> factors) {
  const bool normal_factors = std::all_of(factors.begin(), factors.end(), [](const Expr& f) {
    if (!f.is_number()) return true;
    return f.is_exact() ? !f.is_zero() : std::fabs(f.to_double()) >= std::numeric_limits<double>::min();
  });
  if (normal_factors && out_of_range(c) && std::isfinite(c.value()))
    throw DomainError("number out of range: a product of numbers underflows");
}

/// A term's monomial and coefficient, or a factor's base and exponent, with
/// its place among them: sorted by the node of `first`, then by place, like
/// terms meet in the order given and add their real coefficients (a base its
/// exponents) left to right, whatever the nodes' addresses. By address
/// alone, an unstable sort added the coefficients of x in a0 + ... + a19 +
/// 0.1 x + ... + 0.7 x in an order that depended on where the a_i had been
/// interned: 2.8 came out as 2.7999999999999994, ...98 or 2.8000000000000003.
template <class T>
struct Keyed {
  Expr first;
  T second;
  std::size_t place;
};

template <class T>
void sort_by_node_then_place(std::vector<Keyed<T>>& v) {
  std::sort(v.begin(), v.end(), [](const Keyed<T>& a, const Keyed<T>& b) {
    return a.first.node() < b.first.node() || (a.first.node() == b.first.node() && a.place < b.place);
  });
}

/// The integer exponent of a factor f = g(u)^k of the function g, or 0 when
/// f is not such a power (a factor is never g(u)^0).
std::int64_t integer_power_of(const Expr& f, Function g) {
  const Expr b = detail::base_of(f), e = detail::exponent_of(f);
  if (b.kind() != Kind::Call || b.function() != g || e.kind() != Kind::Integer) return 0;
  return e.exact().num;
}

/// Rewrites sinh(u)^m cosh(u)^k among the factors of a product as
/// tanh(u)^m cosh(u)^(k + m), for integers 1 <= m <= -k: the same function
/// without the inf/inf that sinh and cosh reach together past |u| = 710
/// (tanh'' = -2 sinh(x)/cosh(x)^3 was NaN there, where it is 0). True when a
/// factor changed (the product is then folded again: tanh(u) may meet
/// another power of tanh(u)).
bool fold_sinh_over_cosh(std::vector<Expr>& factors) {
  bool changed = false;
  for (Expr& f : factors) {
    const std::int64_t m = integer_power_of(f, Function::sinh);
    if (m < 1) continue;
    const Expr u = detail::base_of(f).args()[0];
    for (Expr& g : factors) {
      const std::int64_t k = integer_power_of(g, Function::cosh);
      if (k > -m || detail::base_of(g).args()[0] != u) continue;
      f = pow(tanh(u), Expr(static_cast<long long>(m)));
      g = pow(cosh(u), Expr(static_cast<long long>(k + m)));
      changed = true;
      break;
    }
  }
  return changed;
}

}  // namespace

Expr add(std::span<const Expr> terms) {
  std::vector<Expr> flat;
  flat.reserve(terms.size());
  for (const Expr& t : terms) {
    if (t.kind() == Kind::Add)
      flat.insert(flat.end(), t.args().begin(), t.args().end());
    else
      flat.push_back(t);
  }
  Num constant = Num::integer(0);
  std::vector<Keyed<Num>> groups;  // (monomial, coefficient, place)
  groups.reserve(flat.size());
  for (const Expr& t : flat) {
    if (t.is_number()) {
      constant = constant + Num::of(t);
      continue;
    }
    auto [c, m] = split_term(t);
    groups.push_back({m, c, groups.size()});
  }
  sort_by_node_then_place(groups);
  std::vector<Expr> out;
  out.reserve(groups.size() + 1);
  bool again = false;  // 2 (x + y) - (x + y) merged to the sum x + y: its terms must meet the others
  for (std::size_t i = 0; i < groups.size();) {
    Num c = groups[i].second;
    bool finite = std::isfinite(c.value());
    std::size_t j = i + 1;
    for (; j < groups.size() && groups[j].first == groups[i].first; ++j) {
      c = c + groups[j].second;
      finite = finite && std::isfinite(groups[j].second.value());
    }
    check_folded(c, finite);  // 1e308 x + 1e308 x
    if (!c.is_zero()) {
      out.push_back(scale(c, groups[i].first));
      again = again || out.back().kind() == Kind::Add;
    }
    i = j;
  }
  check_folded(constant, std::all_of(flat.begin(), flat.end(), finite_number));
  if (again) {
    out.push_back(constant.expr());
    return add(out);
  }
  if (out.empty()) return constant.expr();
  if (!constant.is_zero()) out.push_back(constant.expr());
  if (out.size() == 1) return out.front();
  std::sort(out.begin(), out.end(), detail::term_less);
  return make(Kind::Add, std::move(out));
}

Expr mul(std::span<const Expr> factors) {
  std::vector<Expr> flat;
  flat.reserve(factors.size());
  for (const Expr& f : factors) {
    if (f.kind() == Kind::Mul)
      flat.insert(flat.end(), f.args().begin(), f.args().end());
    else
      flat.push_back(f);
  }
  Num coefficient = Num::integer(1);
  std::vector<Keyed<Expr>> powers;  // (base, exponent, place)
  powers.reserve(flat.size());
  for (const Expr& f : flat) {
    if (f.is_number())
      coefficient = coefficient * Num::of(f);
    else
      powers.push_back({detail::base_of(f), detail::exponent_of(f), powers.size()});
  }
  if (coefficient.exact && coefficient.is_zero()) {
    // 0 absorbs where the product is defined; 0 * 0^-n (0/0) is defined nowhere.
    const bool over_zero = std::any_of(powers.begin(), powers.end(), [](const auto& p) {
      return p.first.is_zero() && p.second.is_number() && p.second.to_double() < 0;
    });
    return over_zero ? Num::real(core::nan).expr() : Expr(0);
  }
  sort_by_node_then_place(powers);
  std::vector<Expr> out;
  out.reserve(powers.size() + 1);
  bool again = false;  // a merged power became a number, a product or another base: fold once more
  for (std::size_t i = 0; i < powers.size();) {
    std::size_t j = i + 1;
    while (j < powers.size() && powers[j].first == powers[i].first) ++j;
    Expr p;
    if (j == i + 1) {
      p = powers[i].second.is_one() ? powers[i].first : pow(powers[i].first, powers[i].second);
    } else {
      std::vector<Expr> exponents;
      for (std::size_t k = i; k < j; ++k) exponents.push_back(powers[k].second);
      p = pow(powers[i].first, add(exponents));
      // or a power of another base: (x^2)^(1/2) (x^2)^(1/2) is (x^2)^1 = x^2,
      // which must still meet the other powers of x
      again = again || p.is_number() || p.kind() == Kind::Mul || detail::base_of(p) != powers[i].first;
    }
    if (p.is_number())
      coefficient = coefficient * Num::of(p);
    else if (!p.is_one())
      out.push_back(p);
    i = j;
  }
  if (fold_sinh_over_cosh(out)) again = true;
  check_folded(coefficient, std::all_of(flat.begin(), flat.end(), finite_number));
  check_product_range(coefficient, flat);
  if (again) {
    out.push_back(coefficient.expr());
    return mul(out);
  }
  if (coefficient.exact && coefficient.is_zero()) return Expr(0);
  if (out.empty()) return coefficient.expr();
  std::sort(out.begin(), out.end(), detail::factor_less);
  if (coefficient.is_exact_one()) {
    if (out.size() == 1) return out.front();
  } else {
    out.insert(out.begin(), coefficient.expr());
  }
  return make(Kind::Mul, std::move(out));
}

Expr pow(const Expr& base, const Expr& exponent) {
  if (exponent.is_zero()) return Expr(1);  // x^0 = 1 for every x, 0^0 = 1 (C's pow)
  if (exponent.is_one()) return base;
  if (base.is_one()) return base;  // 1^x = 1 for every x (C's pow)
  if (base.is_number() && exponent.is_number()) {
    Expr folded;
    if (fold_power(base, exponent, folded)) return folded;
  }
  if (base.is_zero() && exponent.is_number() && exponent.to_double() > 0) return base;
  // e^u is exp(u), as in SymPy: evaluated as pow(2.718281828459045, u) it was
  // 3.7e-14 off at u = 700, and e^x - exp(x) did not cancel
  if (base.kind() == Kind::Constant && base.name() == "e") return exp(exponent);
  if (exponent.kind() == Kind::Integer) {
    if (base.kind() == Kind::Pow) return pow(base.args()[0], base.args()[1] * exponent);  // (a^b)^n = a^(bn)
    if (base.kind() == Kind::Mul) {                                                       // (ab)^n = a^n b^n
      std::vector<Expr> fs;
      fs.reserve(base.args().size());
      for (const Expr& f : base.args()) fs.push_back(pow(f, exponent));
      return mul(fs);
    }
  }
  return make(Kind::Pow, {base, exponent});
}

Expr operator+(const Expr& a, const Expr& b) {
  const std::array<Expr, 2> t{a, b};
  return add(t);
}
Expr operator*(const Expr& a, const Expr& b) {
  const std::array<Expr, 2> f{a, b};
  return mul(f);
}
Expr operator-(const Expr& a) { return Expr(-1) * a; }
Expr operator-(const Expr& a, const Expr& b) { return a + (-b); }
Expr operator/(const Expr& a, const Expr& b) { return a * pow(b, Expr(-1)); }

// ----------------------------------------------------------------- calls ---

namespace {

#define NABLA_SYM_NAME(fn, Op) #fn,
constexpr std::string_view kNames[] = {NABLA_UNARY_FUNCTIONS(NABLA_SYM_NAME) "softplus", "leaky_relu",
                                       NABLA_BINARY_FUNCTIONS(NABLA_SYM_NAME)};
#undef NABLA_SYM_NAME
constexpr std::size_t kFunctions = sizeof(kNames) / sizeof(kNames[0]);

template <class Op>
constexpr bool is_binary_op = requires(double a) {
  Op::d_first(a, a, a);
};

double default_parameter(Function f) {
  return detail::visit_function(f, []<class Op>() {
    if constexpr (is_binary_op<Op>)
      return 0.0;
    else
      return Op::has_parameter ? Op::default_parameter : 0.0;
  });
}

bool has_parameter(Function f) {
  return detail::visit_function(f, []<class Op>() {
    if constexpr (is_binary_op<Op>)
      return false;
    else
      return Op::has_parameter;
  });
}

/// The exact values a call has without the simplifier: log(e) = 1 and
/// exp(1) = e (e^x's third derivative printed as e^x*log(e)^3), the
/// piecewise functions of exact numbers, and min and max of one argument
/// twice (max(x, x)' printed as sign(0) + 1). False when there is none.
bool exact_call(Function f, const std::vector<Expr>& args, Expr& out) {
  const Expr& a = args[0];
  if (f == Function::log && a.kind() == Kind::Constant && a.name() == "e") return out = Expr(1), true;
  if (f == Function::exp && a.is_one()) return out = e(), true;
  if ((f == Function::min || f == Function::max) && a == args[1]) return out = a, true;
  if (!std::all_of(args.begin(), args.end(), [](const Expr& x) { return x.is_exact(); })) return false;
  const std::int64_t sign = a.exact().num > 0 ? 1 : a.exact().num < 0 ? -1 : 0;
  switch (f) {
    case Function::abs:
      return out = sign < 0 ? -a : a, true;
    case Function::sign:
      return out = Expr(static_cast<long long>(sign)), true;
    case Function::relu:
      return out = sign > 0 ? a : Expr(0), true;
    case Function::min:
    case Function::max: {
      const Expr difference = a - args[1];  // exact, unless it overflowed to a double
      if (!difference.is_exact()) return false;
      const bool first = (difference.exact().num < 0) == (f == Function::min);
      return out = first ? a : args[1], true;
    }
    default:
      return false;
  }
}

Expr make_call(Function f, std::vector<Expr> args, double parameter) {
  if (Expr exact; exact_call(f, args, exact)) return exact;
  const bool numeric = std::all_of(args.begin(), args.end(), [](const Expr& a) { return a.is_number(); });
  const bool inexact =
      std::any_of(args.begin(), args.end(), [](const Expr& a) { return a.kind() == Kind::Real; });
  if (numeric && inexact) {
    const double v = detail::visit_function(f, [&]<class Op>() {
      if constexpr (is_binary_op<Op>)
        return Op::value(args[0].to_double(), args[1].to_double());
      else
        return Op::value(args[0].to_double(), parameter);
    });
    if (std::isfinite(v)) return Expr(v);
  }
  Node n;
  n.kind = Kind::Call;
  n.function = f;
  n.real = parameter;
  n.args = std::move(args);
  return Node::intern(std::move(n));
}

/// A call's passive parameter as an expression may hold it: finite (and
/// softplus's temperature positive), as the parser reads it back from the
/// printed text; throws DomainError otherwise (leaky_relu(x, nan) printed
/// as text that no parser reads).
double checked_parameter(Function f, double parameter) {
  if (f == Function::softplus && !(parameter > 0 && std::isfinite(parameter)))
    throw DomainError("softplus: the temperature must be a positive number, got " +
                      std::to_string(parameter));
  if (!std::isfinite(parameter))
    throw DomainError(std::string(function_name(f)) + ": the parameter must be finite, got " +
                      std::to_string(parameter));
  return parameter;
}

}  // namespace

bool detail::is_binary(Function f) {
  return detail::visit_function(f, []<class Op>() { return is_binary_op<Op>; });
}

bool find_function(std::string_view name, Function& out) {
  for (std::size_t i = 0; i < kFunctions; ++i) {
    if (kNames[i] == name) {
      out = static_cast<Function>(i);
      return true;
    }
  }
  return false;
}

std::string_view function_name(Function f) { return kNames[static_cast<std::size_t>(f)]; }

std::span<const std::string_view> function_names() { return kNames; }

Expr call(std::string_view function, std::span<const Expr> args, double parameter) {
  Function f{};
  if (!find_function(function, f)) throw DomainError("unknown function '" + std::string(function) + "'");
  const std::string name(function);
  if (f == Function::pow) {
    if (args.size() == 1 && !std::isnan(parameter)) return pow(args[0], Expr(parameter));
    if (args.size() != 2) throw DomainError("pow takes 2 arguments, got " + std::to_string(args.size()));
    return pow(args[0], args[1]);
  }
  if (detail::is_binary(f)) {
    if (args.size() != 2) throw DomainError(name + " takes 2 arguments, got " + std::to_string(args.size()));
    return make_call(f, {args[0], args[1]}, 0.0);
  }
  if (has_parameter(f)) {
    if (args.size() == 2) {
      if (!args[1].is_number()) throw DomainError(name + ": the second argument must be a number");
      parameter = args[1].to_double();
    } else if (args.size() != 1) {
      throw DomainError(name + " takes 1 or 2 arguments, got " + std::to_string(args.size()));
    }
    if (std::isnan(parameter)) parameter = default_parameter(f);
    return make_call(f, {args[0]}, checked_parameter(f, parameter));
  }
  if (args.size() != 1) throw DomainError(name + " takes 1 argument, got " + std::to_string(args.size()));
  return make_call(f, {args[0]}, 0.0);
}

#define NABLA_SYM_UNARY(fn, Op) \
  Expr fn(const Expr& x) { return make_call(Function::fn, {x}, 0.0); }
NABLA_UNARY_FUNCTIONS(NABLA_SYM_UNARY)
#undef NABLA_SYM_UNARY
Expr softplus(const Expr& x, double temperature) {
  return make_call(Function::softplus, {x}, checked_parameter(Function::softplus, temperature));
}
Expr leaky_relu(const Expr& x, double alpha) {
  return make_call(Function::leaky_relu, {x}, checked_parameter(Function::leaky_relu, alpha));
}
Expr atan2(const Expr& y, const Expr& x) { return make_call(Function::atan2, {y, x}, 0.0); }
Expr hypot(const Expr& a, const Expr& b) { return make_call(Function::hypot, {a, b}, 0.0); }
Expr min(const Expr& a, const Expr& b) { return make_call(Function::min, {a, b}, 0.0); }
Expr max(const Expr& a, const Expr& b) { return make_call(Function::max, {a, b}, 0.0); }
Expr logsumexp(const Expr& a, const Expr& b) { return make_call(Function::logsumexp, {a, b}, 0.0); }
Expr xlogy(const Expr& x, const Expr& y) { return make_call(Function::xlogy, {x, y}, 0.0); }
Expr xdivy(const Expr& x, const Expr& y) { return make_call(Function::xdivy, {x, y}, 0.0); }

}  // namespace nabla::sym
