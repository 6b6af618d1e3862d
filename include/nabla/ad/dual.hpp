// Forward mode: nabla::Dual<T, N>, a value with N tangent lanes carried through
// every primitive of the registry by the chain rule (f(x + e t) = f(x) +
// e f'(x) t). N is fixed at compile time, or nabla::Dynamic for a run-time
// number of lanes. Duals nest: Dual<Dual<double>> carries second derivatives.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <ostream>
#include <type_traits>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

namespace nabla {

/// The lane count of a Dual whose number of tangents is chosen at run time.
inline constexpr int Dynamic = -1;

template <class T, int N = 1>
class Dual;

template <class S>
struct is_dual : std::false_type {};
template <class T, int N>
struct is_dual<Dual<T, N>> : std::true_type {};

/// A passive operand of a Dual<T, N>: a plain number or a T.
template <class S, class T>
concept DualOperand = std::is_arithmetic_v<S> || std::is_same_v<S, T>;

namespace detail {
template <class T, int N>
struct TangentStorage {
  using type = std::array<T, static_cast<std::size_t>(N)>;
};
template <class T>
struct TangentStorage<T, Dynamic> {
  using type = std::vector<T>;
};

/// Two lanes of doubles, one SSE2 register (GCC's vector extension).
using LanePair = double __attribute__((vector_size(16)));

/// The alignment of a Dual's lanes: 16 bytes where they are pairs of doubles,
/// so that each pair is one aligned load (chain() works on pairs).
template <class T, int N>
constexpr std::size_t lane_alignment() {
  if constexpr (std::is_same_v<T, double> && N != Dynamic && N % 2 == 0) return 16;
  return alignof(typename TangentStorage<T, N>::type);
}

/// Sets a fixed number of lanes to zero, two doubles per store: made as a
/// temporary array of zeros and copied in, or value-initialised (which GCC
/// wrote with rep stos), zero lanes made seeding a pass cost more than the
/// pass. Lanes of a nested T are zero as constructed; Dynamic has none yet.
template <class T, std::size_t N>
NABLA_INLINE void zero_lanes(std::array<T, N>& t) {
  if constexpr (std::is_same_v<T, double>) {
    const LanePair zero = {0.0, 0.0};
    std::size_t i = 0;
    for (; i + 2 <= N; i += 2) __builtin_memcpy(t.data() + i, &zero, sizeof zero);
    for (; i < N; ++i) t[i] = 0.0;
  } else if constexpr (std::is_arithmetic_v<T>) {
    t.fill(T(0));
  }
}
template <class T>
void zero_lanes(std::vector<T>&) {}

/// out[i] += sign b[i] for n lanes, two doubles at a time (as combine_lanes).
template <class T>
NABLA_INLINE void add_lanes(T* out, const T& sign, const T* b, std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::is_same_v<T, double>) {
    for (; i + 2 <= n; i += 2) {
      LanePair x, y;
      __builtin_memcpy(&x, out + i, sizeof x);
      __builtin_memcpy(&y, b + i, sizeof y);
      x += sign * y;
      __builtin_memcpy(out + i, &x, sizeof x);
    }
  }
  for (; i < n; ++i) out[i] += sign * b[i];
}
}  // namespace detail

/// A dual number: value() and N tangent lanes tangent(i). With N = Dynamic the
/// lanes are sized at run time; a Dual made from a constant has no lanes and
/// counts as zero in every lane.
template <class T, int N>
class Dual {
 public:
  using value_type = T;
  using Tangent = typename detail::TangentStorage<T, N>::type;
  static constexpr int lanes = N;

  Dual() : value_(0) { detail::zero_lanes(tangent_); }
  Dual(const T& value) : value_(value) { detail::zero_lanes(tangent_); }  // NOLINT: implicit by design
  template <class S>
  requires(std::is_arithmetic_v<S> && !std::is_same_v<S, T>) Dual(S value)
      : Dual(T(value)) {}  // NOLINT: implicit by design
  Dual(const T& value, Tangent tangent) : value_(value), tangent_(std::move(tangent)) {}
  // Copies member by member: as a block (the padding after the value
  // included) a copy read the value and the padding in one load, which had
  // to wait for the value's store to retire; seeding a pass took twice as
  // long as Ceres' Jet, whose copy goes member by member (bench/README.md).
  Dual(const Dual& other) : value_(other.value_), tangent_(other.tangent_) {}
  Dual(Dual&& other) noexcept : value_(std::move(other.value_)), tangent_(std::move(other.tangent_)) {}
  Dual& operator=(const Dual& other) {
    value_ = other.value_;
    tangent_ = other.tangent_;
    return *this;
  }
  Dual& operator=(Dual&& other) noexcept {
    value_ = std::move(other.value_);
    tangent_ = std::move(other.tangent_);
    return *this;
  }
  ~Dual() = default;

  /// A Dual seeded in lane `lane` (value x, tangent e_lane) among `lanes_count`
  /// lanes. Throws DimensionError unless lane < lanes_count (and, for a fixed
  /// N, lanes_count == N).
  static Dual variable(const T& value, std::size_t lane, std::size_t lanes_count = std::max(N, 1)) {
    require_dimension(N == Dynamic || lanes_count == static_cast<std::size_t>(N),
                      "Dual::variable: lanes_count differs from the fixed number of lanes");
    require_dimension(lane < lanes_count, "Dual::variable: lane out of range");
    Dual d(value);
    if constexpr (N == Dynamic) d.tangent_.assign(lanes_count, T(0));
    d.tangent_[lane] = T(1);
    return d;
  }

  const T& value() const { return value_; }
  T& value() { return value_; }
  const Tangent& tangent() const { return tangent_; }
  Tangent& tangent() { return tangent_; }
  /// Lane i of the tangent (zero for a constant with no lanes).
  T tangent(std::size_t i) const { return i < tangent_.size() ? tangent_[i] : T(0); }
  std::size_t size() const { return tangent_.size(); }

  template <class E>
  Dual& operator+=(const E& e) {
    if constexpr (adds_in_place<E>())
      return add_in_place(e, T(1));
    else
      return *this = *this + e;
  }
  template <class E>
  Dual& operator-=(const E& e) {
    if constexpr (adds_in_place<E>())
      return add_in_place(e, T(-1));
    else
      return *this = *this - e;
  }
  template <class E>
  Dual& operator*=(const E& e) {
    return *this = *this * e;
  }
  template <class E>
  Dual& operator/=(const E& e) {
    return *this = *this / e;
  }

 private:
  /// Whether x += e and x -= e work in place: their partials are +-1, so no
  /// lane needs care, for a fixed number of lanes of plain numbers (a nested
  /// T at NaN puts NaN in every lane, and Dynamic lanes may be missing).
  template <class E>
  static constexpr bool adds_in_place() {
    return std::is_arithmetic_v<T> && N != Dynamic && (std::is_same_v<E, Dual> || std::is_arithmetic_v<E>);
  }

  /// x += sign e in place: as x = x + e it made a new Dual and copied it
  /// back, and a network's neuron does z += w x for each of its inputs.
  template <class E>
  Dual& add_in_place(const E& e, T sign) {
    if constexpr (std::is_arithmetic_v<E>) {
      value_ += sign * T(e);
    } else {
      value_ += sign * e.value_;
      detail::add_lanes(tangent_.data(), sign, e.tangent_.data(), tangent_.size());
    }
    return *this;
  }

  T value_;
  // Zero in every lane once constructed (zero_lanes; no lanes for Dynamic).
  alignas(detail::lane_alignment<T, N>()) Tangent tangent_;
};

/// The double inside a Dual (recursively for nested ones).
template <class T, int N>
double passive_value(const Dual<T, N>& x) {
  using core::passive_value;
  return passive_value(x.value());
}

namespace detail {

/// Whether `test` holds for every component of x: its value and every
/// lane, at every level of nesting.
template <class T, class Test>
bool all_components(const T& x, Test test) {
  if constexpr (std::is_arithmetic_v<T>) {
    return test(x);
  } else {
    if (!all_components(x.value(), test)) return false;
    for (const auto& t : x.tangent())
      if (!all_components(t, test)) return false;
    return true;
  }
}

/// d * t for one lane, where a zero lane stays zero even if d is infinite or
/// NaN (sqrt'(0), a partial outside the domain): a lane that does not depend
/// on the argument must not become 0 * inf = NaN, as reverse() skips a zero
/// adjoint. For a nested T the lane is zero when all its components are (a
/// Dual(0) times a Dual(inf) would be NaN in its value).
template <class T>
NABLA_INLINE T scale_lane(const T& d, const T& t) {
  if (all_components(t, [](auto c) { return c == 0; })) return T(0);
  return d * t;
}

/// Whether d may turn a zero lane into NaN: only a d with an infinite or NaN
/// component can.
template <class T>
NABLA_INLINE bool needs_lane_care(const T& d) {
  return !all_components(d, [](auto c) { return std::isfinite(c); });
}

/// chain() for a nested T where a partial is infinite or NaN, lane by lane
/// (out of line and by value: the rare path must not keep the common one
/// from inlining).
template <class T, int N>
[[gnu::noinline]] Dual<T, N> chain_with_care(Dual<T, N> a, Dual<T, N> b, T y, T da, T db) {
  auto& t = a.tangent();
  for (std::size_t i = 0; i < t.size(); ++i)
    t[i] = scale_lane(da, t[i]) + (b.size() == 0 ? T(0) : scale_lane(db, b.tangent()[i]));
  return Dual<T, N>(y, std::move(t));
}

/// out[i] = da a[i] + db b[i] for n lanes (b null: da a[i] alone). With
/// kKeepZeroLanes, a zero lane of an operand adds zero whatever its partial
/// (scale_lane). For double, two lanes per instruction (GCC's vector
/// extension): left to itself GCC unrolled the lane loops of a fixed N fully
/// and left them scalar, twice the time of Ceres' Jet (bench/README.md).
/// Unrolled fully still, so a Dual held in registers stays there.
template <bool kKeepZeroLanes, class T>
NABLA_INLINE void combine_lanes(T* __restrict out, const T& da, const T* a, const T& db, const T* b,
                                std::size_t n) {
  std::size_t i = 0;
  if constexpr (std::is_same_v<T, double>) {
    const LanePair zero = {0.0, 0.0};
    for (; i + 2 <= n; i += 2) {
      LanePair x;
      __builtin_memcpy(&x, a + i, sizeof x);
      x = kKeepZeroLanes ? (x == zero ? zero : da * x) : da * x;
      if (b != nullptr) {
        LanePair y;
        __builtin_memcpy(&y, b + i, sizeof y);
        x += kKeepZeroLanes ? (y == zero ? zero : db * y) : db * y;
      }
      __builtin_memcpy(out + i, &x, sizeof x);
    }
  }
  for (; i < n; ++i) {
    T x = kKeepZeroLanes ? scale_lane(da, a[i]) : da * a[i];
    if (b != nullptr) x += kKeepZeroLanes ? scale_lane(db, b[i]) : db * b[i];
    out[i] = x;
  }
}

/// The lanes of chain()'s result r: the careful path where a partial is
/// infinite or NaN. For a nested T that path is out of line, taking its
/// operands by value (chain_with_care): the rare path must not keep the
/// common one from inlining. For a plain number it is inline: a call
/// would make the compiler keep every operand in memory.
template <class T, int N>
NABLA_INLINE void chain_lanes(Dual<T, N>& r, const T& da, const T* a, const T& db, const T* b, std::size_t n,
                              bool careful) {
  if constexpr (N == Dynamic) r.tangent().resize(n);
  if (careful) [[unlikely]]
    combine_lanes<true>(r.tangent().data(), da, a, db, b, n);
  else
    combine_lanes<false>(r.tangent().data(), da, a, db, b, n);
}

/// The result of a unary primitive: value y, tangent dy * x.tangent.
template <class T, int N>
NABLA_INLINE Dual<T, N> chain(const Dual<T, N>& x, const T& y, const T& dy) {
  const bool careful = needs_lane_care(dy);
  if constexpr (!std::is_arithmetic_v<T>)
    if (careful) [[unlikely]]
      return chain_with_care(x, Dual<T, N>(), y, dy, T(0));
  Dual<T, N> r(y);
  chain_lanes(r, dy, x.tangent().data(), T(0), static_cast<const T*>(nullptr), x.size(), careful);
  return r;
}

/// The result of a binary primitive: value y, tangent da * a.tangent + db * b.tangent.
template <class T, int N>
NABLA_INLINE Dual<T, N> chain(const Dual<T, N>& a, const Dual<T, N>& b, const T& y, const T& da,
                              const T& db) {
  if constexpr (N == Dynamic) {
    if (a.size() == 0) return chain(b, y, db);
    if (b.size() == 0) return chain(a, y, da);
    require_dimension(a.size() == b.size(), "Dual: operands with different numbers of lanes");
  }
  const bool careful = needs_lane_care(da) || needs_lane_care(db);
  if constexpr (!std::is_arithmetic_v<T>)
    if (careful) [[unlikely]]
      return chain_with_care(a, b, y, da, db);
  Dual<T, N> r(y);
  chain_lanes(r, da, a.tangent().data(), db, b.tangent().data(), a.size(), careful);
  return r;
}

/// x with f applied to each of its components (its value and every lane,
/// at every level of nesting).
template <class T, class F>
T map_components(const T& x, F f) {
  if constexpr (std::is_arithmetic_v<T>) {
    return f(x);
  } else {
    T r(map_components(x.value(), f), x.tangent());
    for (auto& t : r.tangent()) t = map_components(t, f);
    return r;
  }
}

/// y with NaN in its value and every tangent lane, recursively.
template <class T>
[[gnu::noinline, gnu::cold]] T nan_in_every_lane(const T& y) {
  return map_components(y, [](auto) { return core::nan; });
}

}  // namespace detail

/// A primitive's partial outside its domain (core::nan_along) at a Dual x:
/// NaN in the value and in every lane, of every order, that x's lanes
/// reach through the chain rule, and 0 in the others (a Hessian's entry
/// across an argument that does not move stays 0). Those lanes are the
/// nonzero ones of exp(X), X being x's nonzero components as ones with the
/// value's own 0: every product of x's lanes appears in them with a
/// positive coefficient. x * NaN reached only x's own nonzero components:
/// the e1 e2 lane of x0 + e1 + e2 is 0, and the third derivative of log at
/// -1 came out 0 rather than NaN.
template <class T, int N>
[[gnu::noinline, gnu::cold]] Dual<T, N> nan_along(Dual<T, N> x) {
  Dual<T, N> moves = detail::map_components(x, [](double c) { return c != 0 ? 1.0 : 0.0; });  // NaN too
  moves -= passive_value(moves);  // the value's own component 0: exp's is 1
  return detail::map_components(Dual<T, N>(exp(moves)), [](double c) { return c != 0 ? core::nan : 0.0; });
}

namespace detail {

/// Op's value at a nested dual: at a NaN argument, NaN in every lane. A
/// primitive with branches (abs, relu, sign, leaky_relu, max, min) returns
/// its argument there, or x - x, whose inner tangent is a finite derivative
/// of a NaN (and multiplying by NaN would not reach a zero lane).
template <class T, class... Args>
NABLA_INLINE T nan_if_any_nan(T y, const Args&... args) {
  if constexpr (!std::is_arithmetic_v<T>) {
    using core::passive_value;
    if ((std::isnan(passive_value(args)) || ...)) [[unlikely]]
      return nan_in_every_lane(y);
  }
  return y;
}

template <class Op, class T, int N>
NABLA_INLINE Dual<T, N> apply_unary(const Dual<T, N>& x, double p) {
  const T y = nan_if_any_nan(Op::value(x.value(), p), x.value());
  return chain(x, y, core::unary_partial<Op>(x.value(), y, p));
}

template <class Op, class T, int N>
NABLA_INLINE Dual<T, N> apply_binary(const Dual<T, N>& a, const Dual<T, N>& b) {
  const T y = nan_if_any_nan(Op::value(a.value(), b.value()), a.value(), b.value());
  return chain(a, b, y, core::binary_partial_first<Op>(a.value(), b.value(), y),
               core::binary_partial_second<Op>(a.value(), b.value(), y));
}

template <class Op, class T, int N>
NABLA_INLINE Dual<T, N> apply_binary(const Dual<T, N>& a, const T& b) {
  const T y = nan_if_any_nan(Op::value(a.value(), b), a.value(), b);
  return chain(a, y, core::binary_partial_first<Op>(a.value(), b, y));
}

template <class Op, class T, int N>
NABLA_INLINE Dual<T, N> apply_binary(const T& a, const Dual<T, N>& b) {
  const T y = nan_if_any_nan(Op::value(a, b.value()), a, b.value());
  return chain(b, y, core::binary_partial_second<Op>(a, b.value(), y));
}

}  // namespace detail

// Arithmetic: Dual op Dual, Dual op constant, constant op Dual.
#define NABLA_DUAL_OPERATOR(token, Op)                                               \
  template <class T, int N>                                                          \
  NABLA_INLINE Dual<T, N> operator token(const Dual<T, N>& a, const Dual<T, N>& b) { \
    return detail::apply_binary<core::Op>(a, b);                                     \
  }                                                                                  \
  template <class T, int N, DualOperand<T> S>                                        \
  NABLA_INLINE Dual<T, N> operator token(const Dual<T, N>& a, const S& b) {          \
    return detail::apply_binary<core::Op>(a, T(b));                                  \
  }                                                                                  \
  template <class T, int N, DualOperand<T> S>                                        \
  NABLA_INLINE Dual<T, N> operator token(const S& a, const Dual<T, N>& b) {          \
    return detail::apply_binary<core::Op>(T(a), b);                                  \
  }
NABLA_ARITHMETIC_OPERATORS(NABLA_DUAL_OPERATOR)
#undef NABLA_DUAL_OPERATOR

template <class T, int N>
NABLA_INLINE Dual<T, N> operator-(const Dual<T, N>& x) {
  return detail::apply_unary<core::Neg>(x, 0.0);
}
template <class T, int N>
Dual<T, N> operator+(const Dual<T, N>& x) {
  return x;
}

#define NABLA_DUAL_UNARY(fn, Op)                    \
  template <class T, int N>                         \
  NABLA_INLINE Dual<T, N> fn(const Dual<T, N>& x) { \
    return detail::apply_unary<core::Op>(x, 0.0);   \
  }
NABLA_UNARY_FUNCTIONS(NABLA_DUAL_UNARY)
#undef NABLA_DUAL_UNARY

#define NABLA_DUAL_BINARY(fn, Op)                                        \
  template <class T, int N>                                              \
  NABLA_INLINE Dual<T, N> fn(const Dual<T, N>& a, const Dual<T, N>& b) { \
    return detail::apply_binary<core::Op>(a, b);                         \
  }                                                                      \
  template <class T, int N, DualOperand<T> S>                            \
  NABLA_INLINE Dual<T, N> fn(const Dual<T, N>& a, const S& b) {          \
    return detail::apply_binary<core::Op>(a, T(b));                      \
  }                                                                      \
  template <class T, int N, DualOperand<T> S>                            \
  NABLA_INLINE Dual<T, N> fn(const S& a, const Dual<T, N>& b) {          \
    return detail::apply_binary<core::Op>(T(a), b);                      \
  }
NABLA_BINARY_FUNCTIONS(NABLA_DUAL_BINARY)
#undef NABLA_DUAL_BINARY

/// x^n for an integer n.
template <class T, int N>
Dual<T, N> pow(const Dual<T, N>& x, int n) {
  return detail::apply_unary<core::PowInt>(x, n);
}
/// softplus(x, t) = t log(1 + e^{x/t}).
template <class T, int N>
Dual<T, N> softplus(const Dual<T, N>& x, double temperature = 1.0) {
  return detail::apply_unary<core::Softplus>(x, temperature);
}
/// leaky_relu(x, alpha).
template <class T, int N>
Dual<T, N> leaky_relu(const Dual<T, N>& x, double alpha = core::LeakyRelu::default_parameter) {
  return detail::apply_unary<core::LeakyRelu>(x, alpha);
}

// Comparisons look at the value only, so that user code can branch.
template <class A, class B>
concept DualComparison = (is_dual<A>::value || is_dual<B>::value) &&
                         (is_dual<A>::value || std::is_arithmetic_v<A>)&&(is_dual<B>::value ||
                                                                          std::is_arithmetic_v<B>);

#define NABLA_DUAL_COMPARISON(token)                \
  template <class A, class B>                       \
  requires DualComparison<A, B>                     \
  bool operator token(const A& a, const B& b) {     \
    using core::passive_value;                      \
    return passive_value(a) token passive_value(b); \
  }
NABLA_DUAL_COMPARISON(<)
NABLA_DUAL_COMPARISON(<=)
NABLA_DUAL_COMPARISON(>)
NABLA_DUAL_COMPARISON(>=)
NABLA_DUAL_COMPARISON(==)
NABLA_DUAL_COMPARISON(!=)
#undef NABLA_DUAL_COMPARISON

/// Prints the value and the lanes: 1.5 [2, 0].
template <class T, int N>
std::ostream& operator<<(std::ostream& os, const Dual<T, N>& x) {
  os << x.value() << " [";
  for (std::size_t i = 0; i < x.size(); ++i) os << (i ? ", " : "") << x.tangent()[i];
  return os << "]";
}

}  // namespace nabla

namespace Eigen {
template <class T, int N>
struct NumTraits<nabla::Dual<T, N>> : NumTraits<double> {
  using Real = nabla::Dual<T, N>;
  using NonInteger = nabla::Dual<T, N>;
  using Nested = nabla::Dual<T, N>;
  using Literal = nabla::Dual<T, N>;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 1,
    AddCost = 2 * (N > 0 ? N + 1 : 4),
    MulCost = 3 * (N > 0 ? N + 1 : 4)
  };
};
template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<nabla::Dual<T, N>, double, BinaryOp> {
  using ReturnType = nabla::Dual<T, N>;
};
template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<double, nabla::Dual<T, N>, BinaryOp> {
  using ReturnType = nabla::Dual<T, N>;
};
}  // namespace Eigen
