// The node pool of nabla::sym and everything that does not build sums,
// products or powers: interning (hash-consing), leaves (numbers, symbols,
// constants), accessors, exact arithmetic of coefficients, the canonical
// orders, and walks of the DAG (topological order, sizes, free symbols).
#include <algorithm>
#include <bit>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

#include "nabla/core/errors.hpp"
#include "node.hpp"

namespace nabla::sym {

using detail::Int128;
using detail::Num;

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  // splitmix64 of the combination: cheap and well spread
  std::uint64_t z = h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t hash_of(const Node& n) {
  std::uint64_t h = mix(static_cast<std::uint64_t>(n.kind), static_cast<std::uint64_t>(n.function));
  h = mix(h, std::bit_cast<std::uint64_t>(n.real));
  h = mix(h, static_cast<std::uint64_t>(n.q.num));
  h = mix(h, static_cast<std::uint64_t>(n.q.den));
  if (!n.name.empty()) h = mix(h, std::hash<std::string>{}(n.name));
  for (const Expr& a : n.args) h = mix(h, reinterpret_cast<std::uintptr_t>(a.node()));
  return static_cast<std::size_t>(h);
}

bool same(const Node& a, const Node& b) {
  return a.kind == b.kind && a.function == b.function &&
         std::bit_cast<std::uint64_t>(a.real) == std::bit_cast<std::uint64_t>(b.real) && a.q.num == b.q.num &&
         a.q.den == b.q.den && a.name == b.name && a.args == b.args;
}

struct NodeHash {
  std::size_t operator()(const Node* n) const { return n->hash; }
};
struct NodeEqual {
  bool operator()(const Node* a, const Node* b) const { return same(*a, *b); }
};

/// The global pool: never destroyed, so Exprs stay valid during static destruction.
struct Pool {
  std::mutex mutex;
  std::unordered_set<const Node*, NodeHash, NodeEqual> table;
  std::deque<Node> arena;
};
Pool& pool() {
  static Pool* p = new Pool;
  return *p;
}

std::int64_t saturate(Int128 v) {
  constexpr std::int64_t big = std::int64_t{1} << 40;
  return static_cast<std::int64_t>(std::clamp<Int128>(v, -big, big));
}

std::int64_t degree_of(const Node& n) {
  switch (n.kind) {
    case Kind::Symbol:
      return 1;
    case Kind::Add: {
      std::int64_t d = std::numeric_limits<std::int64_t>::min();
      for (const Expr& a : n.args) d = std::max(d, a.node()->degree);
      return d;
    }
    case Kind::Mul: {
      Int128 d = 0;
      for (const Expr& a : n.args) d += a.node()->degree;
      return saturate(d);
    }
    case Kind::Pow:
      if (n.args[1].kind() == Kind::Integer)
        return saturate(Int128{n.args[1].exact().num} * n.args[0].node()->degree);
      return 0;
    default:
      return 0;
  }
}

thread_local int exact_literals = 0;

Expr number_node(Kind kind, Rational q, double real) {
  Node n;
  n.kind = kind;
  n.q = q;
  n.real = real;
  return Node::intern(std::move(n));
}

Int128 gcd128(Int128 a, Int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    const Int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

int kind_rank(Kind k) {
  switch (k) {
    case Kind::Integer:
    case Kind::Rational:
    case Kind::Real:
      return 0;
    case Kind::Constant:
      return 1;
    case Kind::Symbol:
      return 2;
    case Kind::Call:
      return 3;
    case Kind::Add:
      return 4;
    case Kind::Mul:
      return 5;
    case Kind::Pow:
      return 6;
  }
  return 7;
}

/// The factors of a term without its numeric coefficient.
std::span<const Expr> monomial_factors(const Expr& t, const Expr& self) {
  if (t.kind() == Kind::Mul) {
    auto args = t.args();
    return args.front().is_number() ? args.subspan(1) : args;
  }
  return std::span<const Expr>(&self, 1);
}

}  // namespace

// ------------------------------------------------------------- interning ---

Expr Node::intern(Node&& proto) {
  proto.hash = hash_of(proto);
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  if (auto it = p.table.find(&proto); it != p.table.end()) return Expr(*it);
  proto.degree = degree_of(proto);
  const Node* stored = &p.arena.emplace_back(std::move(proto));
  p.table.insert(stored);
  return Expr(stored);
}

// ---------------------------------------------------------------- leaves ---

Expr::Expr() : Expr(0) {}
Expr::Expr(int value) : Expr(static_cast<long long>(value)) {}
Expr::Expr(long value) : Expr(static_cast<long long>(value)) {}
Expr::Expr(long long value) {
  if (value == 0) {
    static const Node* zero = number_node(Kind::Integer, {0, 1}, 0.0).node();
    node_ = zero;
  } else if (value == 1) {
    static const Node* one = number_node(Kind::Integer, {1, 1}, 0.0).node();
    node_ = one;
  } else {
    node_ = number_node(Kind::Integer, {value, 1}, 0.0).node();
  }
}
Expr::Expr(double value) {
  if (exact_literals > 0 && std::isfinite(value) && std::fabs(value) < 1e15) {
    for (int k = 0; k <= 10; ++k) {
      const double scaled = std::ldexp(value, k);
      if (scaled == std::nearbyint(scaled)) {
        node_ = Num::ratio(static_cast<Int128>(scaled), Int128{1} << k).expr().node();
        return;
      }
    }
  }
  node_ = number_node(Kind::Real, {0, 1}, value).node();
}

detail::ExactLiterals::ExactLiterals() { ++exact_literals; }
detail::ExactLiterals::~ExactLiterals() { --exact_literals; }

Expr symbol(std::string_view name) {
  const bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                     });
  if (!valid) throw DomainError("invalid symbol name '" + std::string(name) + "'");
  // The parser reads these names as the constants and functions: a symbol
  // spelled so would print as something else (e) or not parse back (sin*x).
  Function f{};
  if (name == "e" || name == "pi")
    throw DomainError(std::string("the symbol name '").append(name).append("' is a constant's"));
  if (find_function(name, f))
    throw DomainError(std::string("the symbol name '").append(name).append("' is a function's"));
  Node n;
  n.kind = Kind::Symbol;
  n.name = std::string(name);
  return Node::intern(std::move(n));
}

std::vector<Expr> symbols(std::string_view names) {
  std::vector<Expr> out;
  std::size_t i = 0;
  while (i < names.size()) {
    while (i < names.size() && (names[i] == ' ' || names[i] == ',')) ++i;
    std::size_t j = i;
    while (j < names.size() && names[j] != ' ' && names[j] != ',') ++j;
    if (j > i) out.push_back(symbol(names.substr(i, j - i)));
    i = j;
  }
  return out;
}

Expr rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw DomainError("rational: zero denominator");
  return Num::ratio(num, den).expr();
}

namespace {
Expr constant(const char* name) {
  Node n;
  n.kind = Kind::Constant;
  n.name = name;
  return Node::intern(std::move(n));
}
}  // namespace
Expr pi() {
  static const Expr c = constant("pi");
  return c;
}
Expr e() {
  static const Expr c = constant("e");
  return c;
}

// ------------------------------------------------------------- accessors ---

Kind Expr::kind() const { return node_->kind; }
std::span<const Expr> Expr::args() const { return node_->args; }
const std::string& Expr::name() const { return node_->name; }
Function Expr::function() const { return node_->function; }
double Expr::parameter() const { return node_->kind == Kind::Call ? node_->real : 0.0; }
bool Expr::is_number() const {
  return node_->kind == Kind::Integer || node_->kind == Kind::Rational || node_->kind == Kind::Real;
}
bool Expr::is_exact() const { return node_->kind == Kind::Integer || node_->kind == Kind::Rational; }
Rational Expr::exact() const { return is_exact() ? node_->q : Rational{0, 1}; }
double Expr::to_double() const {
  switch (node_->kind) {
    case Kind::Integer:
    case Kind::Rational:
      return static_cast<double>(node_->q.num) / static_cast<double>(node_->q.den);
    case Kind::Real:
      return node_->real;
    case Kind::Constant:
      return node_->name == "pi" ? std::numbers::pi : std::numbers::e;
    default:
      return core::nan;
  }
}
bool Expr::is_zero() const { return node_->kind == Kind::Integer && node_->q.num == 0; }
bool Expr::is_one() const { return node_->kind == Kind::Integer && node_->q.num == 1; }
std::size_t Expr::hash() const { return node_->hash; }
bool operator<(const Expr& a, const Expr& b) { return detail::compare(a, b) < 0; }

// ------------------------------------------------------------ arithmetic ---

namespace detail {

Num Num::ratio(Int128 num, Int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const Int128 g = gcd128(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  constexpr Int128 lo = std::numeric_limits<std::int64_t>::min() + Int128{1};
  constexpr Int128 hi = std::numeric_limits<std::int64_t>::max();
  if (num < lo || num > hi || den > hi)
    return real(static_cast<double>(num) / static_cast<double>(den));  // overflow: inexact
  return Num{true, {static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)}, 0.0};
}

Num Num::of(const Expr& e) { return e.is_exact() ? Num{true, e.exact(), 0.0} : real(e.to_double()); }

Expr Num::expr() const {
  if (!exact) return Expr(d);
  if (q.den == 1) return Expr(static_cast<long long>(q.num));
  return number_node(Kind::Rational, q, 0.0);
}

Num operator+(const Num& a, const Num& b) {
  if (!a.exact || !b.exact) return Num::real(a.value() + b.value());
  return Num::ratio(Int128{a.q.num} * b.q.den + Int128{b.q.num} * a.q.den, Int128{a.q.den} * b.q.den);
}

Num operator*(const Num& a, const Num& b) {
  if (!a.exact || !b.exact) return Num::real(a.value() * b.value());
  return Num::ratio(Int128{a.q.num} * b.q.num, Int128{a.q.den} * b.q.den);
}

namespace {

/// (num/den)^n beyond 64 bits, as a double: num^n / den^n in long double
/// (num and den convert exactly), so that only the result is rounded; the
/// power of the rounded num/den (0.1^20 for (1/10)^20) is 8 ulps off.
/// Powers beyond long double's range take the power of the ratio.
Num inexact_power(const Rational& q, std::int64_t n) {
  const long double num = static_cast<long double>(q.num);
  const long double den = static_cast<long double>(q.den);
  const long double e = static_cast<long double>(n);
  long double r = std::pow(num, e) / std::pow(den, e);
  if (!std::isfinite(r) || r == 0) r = std::pow(num / den, e);
  return Num::real(static_cast<double>(r));
}

}  // namespace

Num power(const Num& a, std::int64_t n) {
  if (!a.exact) return Num::real(std::pow(a.d, static_cast<double>(n)));
  if (n < 0) {
    if (a.q.num == 0) return Num::real(core::infinity);  // callers keep 0^-n symbolic
    if (n == std::numeric_limits<std::int64_t>::min()) return inexact_power(a.q, n);  // -n overflows
    return power(Num::ratio(a.q.den, a.q.num), -n);
  }
  Num result = Num::integer(1);
  Num base = a;
  for (std::int64_t k = n; k > 0; k >>= 1) {
    if (k & 1) result = result * base;
    if (!result.exact) return inexact_power(a.q, n);
    if (k > 1) base = base * base;
    if (!base.exact) return inexact_power(a.q, n);
  }
  return result;
}

// ----------------------------------------------------------------- order ---

namespace {

thread_local std::uint64_t compare_visits_count = 0;

/// Whether compare can decide a against b without their arguments: the
/// result (with `decided` set), else 0 and the arguments are compared in order.
int shallow_compare(const Expr& a, const Expr& b, bool& decided) {
  decided = true;
  const int ra = kind_rank(a.kind());
  const int rb = kind_rank(b.kind());
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case Kind::Integer:
    case Kind::Rational:
    case Kind::Real: {
      if (a.is_exact() && b.is_exact()) {
        const Int128 l = Int128{a.exact().num} * b.exact().den;
        const Int128 r = Int128{b.exact().num} * a.exact().den;
        return l < r ? -1 : (l > r ? 1 : 0);
      }
      const double x = a.to_double();
      const double y = b.to_double();
      if (x < y) return -1;
      if (x > y) return 1;
      if (a.is_exact() != b.is_exact()) return a.is_exact() ? -1 : 1;
      const auto bx = std::bit_cast<std::uint64_t>(x);
      const auto by = std::bit_cast<std::uint64_t>(y);
      return bx < by ? -1 : (bx > by ? 1 : 0);
    }
    case Kind::Constant:
    case Kind::Symbol:
      return a.name().compare(b.name()) < 0 ? -1 : 1;
    case Kind::Call:
      if (a.function() != b.function()) return a.function() < b.function() ? -1 : 1;
      break;
    default:
      break;
  }
  decided = false;
  return 0;
}

/// What the arguments leave undecided: the shorter list first, then (for
/// calls) the parameter.
int tie_break(const Expr& a, const Expr& b) {
  if (a.args().size() != b.args().size()) return a.args().size() < b.args().size() ? -1 : 1;
  if (a.kind() == Kind::Call && a.parameter() != b.parameter()) return a.parameter() < b.parameter() ? -1 : 1;
  return 0;
}

/// The results of compare on pairs of compound nodes, per thread. Nodes are
/// never freed, so a pointer pair always names the same two expressions;
/// bounded by clearing, which costs only time.
struct PairHash {
  std::size_t operator()(const std::pair<const Node*, const Node*>& p) const noexcept {
    const auto h = std::hash<const Node*>{};
    return h(p.first) ^ (h(p.second) * 0x9E3779B97F4A7C15ULL);
  }
};
thread_local std::unordered_map<std::pair<const Node*, const Node*>, int, PairHash> compare_memo;

}  // namespace

std::uint64_t compare_visits() { return compare_visits_count; }

/// Lexicographic on (kind rank, leaf value or function, arguments in order,
/// number of arguments, parameter), walked with an explicit stack (deep
/// expressions do not overflow the call stack) and memoized per pair of
/// compound nodes: sorting the factors of a product of nested calls, as the
/// chain rule builds, compared the same chains again and again.
int compare(const Expr& a, const Expr& b) {
  struct Frame {
    Expr a, b;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  const auto visit = [&](const Expr& x, const Expr& y, int& result) {
    ++compare_visits_count;
    if (x == y) return false;
    bool decided = false;
    result = shallow_compare(x, y, decided);
    if (decided) return true;
    if (auto it = compare_memo.find({x.node(), y.node()}); it != compare_memo.end()) {
      result = it->second;
      return true;
    }
    stack.push_back({x, y, 0});
    return false;
  };
  int result = 0;
  if (visit(a, b, result)) return result;
  if (stack.empty()) return 0;
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next < f.a.args().size() && f.next < f.b.args().size()) {
      const Expr x = f.a.args()[f.next], y = f.b.args()[f.next];
      ++f.next;
      if (visit(x, y, result) && result != 0) break;
      continue;
    }
    result = tie_break(f.a, f.b);
    if (result != 0) break;
    stack.pop_back();  // equal after all (not reached for distinct interned nodes)
  }
  // The first difference decides every pair still on the stack.
  if (compare_memo.size() > (std::size_t{1} << 20)) compare_memo.clear();
  for (const Frame& f : stack) compare_memo.emplace(std::pair{f.a.node(), f.b.node()}, result);
  return result;
}

Expr base_of(const Expr& f) { return f.kind() == Kind::Pow ? f.args()[0] : f; }
Expr exponent_of(const Expr& f) { return f.kind() == Kind::Pow ? f.args()[1] : Expr(1); }
bool is_reciprocal(const Expr& f) {
  return f.kind() == Kind::Pow && f.args()[1].kind() == Kind::Integer && f.args()[1].exact().num == -1;
}

bool factor_less(const Expr& a, const Expr& b) {
  const bool an = a.is_number();
  const bool bn = b.is_number();
  if (an != bn) return an;
  if (an) return compare(a, b) < 0;
  if (int c = compare(base_of(a), base_of(b))) return c < 0;
  return compare(exponent_of(a), exponent_of(b)) < 0;
}

bool term_less(const Expr& a, const Expr& b) {
  // numbers, then the constants pi and e, come last: x + pi + 1
  const int ra = a.is_number() ? 2 : (a.kind() == Kind::Constant ? 1 : 0);
  const int rb = b.is_number() ? 2 : (b.kind() == Kind::Constant ? 1 : 0);
  if (ra != rb) return ra < rb;
  if (ra > 0) return compare(a, b) < 0;
  if (a.node()->degree != b.node()->degree) return a.node()->degree > b.node()->degree;
  const auto fa = monomial_factors(a, a);
  const auto fb = monomial_factors(b, b);
  const std::size_t n = std::min(fa.size(), fb.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (int c = compare(base_of(fa[i]), base_of(fb[i]))) return c < 0;
    if (int c = compare(exponent_of(fb[i]), exponent_of(fa[i]))) return c < 0;  // higher power first
  }
  if (fa.size() != fb.size()) return fa.size() < fb.size();
  return compare(a, b) < 0;
}

// ----------------------------------------------------------------- walks ---

std::vector<const Node*> topological_order(std::span<const Expr> roots) {
  std::vector<const Node*> order;
  std::unordered_set<const Node*> seen;
  std::vector<std::pair<const Node*, std::size_t>> stack;
  for (const Expr& root : roots) {
    if (!seen.insert(root.node()).second) continue;
    stack.emplace_back(root.node(), 0);
    while (!stack.empty()) {
      auto& [n, next] = stack.back();
      if (next < n->args.size()) {
        const Node* child = n->args[next++].node();
        if (seen.insert(child).second) stack.emplace_back(child, 0);
      } else {
        order.push_back(n);
        stack.pop_back();
      }
    }
  }
  return order;
}

std::vector<const Node*> topological_order(const Expr& root) {
  return topological_order(std::span<const Expr>(&root, 1));
}

}  // namespace detail

std::vector<Expr> free_symbols(const Expr& e) {
  std::vector<Expr> out;
  for (const Node* n : detail::topological_order(e))
    if (n->kind == Kind::Symbol) out.push_back(Node::handle(n));
  std::sort(out.begin(), out.end(), [](const Expr& a, const Expr& b) { return a.name() < b.name(); });
  return out;
}

std::size_t dag_size(const Expr& e) { return detail::topological_order(e).size(); }

std::size_t tree_size(const Expr& e) {
  std::unordered_map<const Node*, std::size_t> size;
  constexpr std::size_t max = std::numeric_limits<std::size_t>::max();
  for (const Node* n : detail::topological_order(e)) {
    std::size_t s = 1;
    for (const Expr& a : n->args) s = (s > max - size[a.node()]) ? max : s + size[a.node()];
    size[n] = s;
  }
  return size[e.node()];
}

}  // namespace nabla::sym
