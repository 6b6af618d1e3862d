// The columns of the registry-wide cross-check: each "mode" computes the value
// and the derivatives of one primitive of core/primitives.hpp at a point, in
// its own independent way (forward mode, reverse mode by hand, reverse mode
// through a driver, finite differences, ...). The cross-check compares every
// column with the first. Adding a mode (the symbolic engine, a replayed
// Program) is one struct here and one entry in FirstOrderModes or
// SecondOrderModes; adding a primitive to the registry needs nothing, unless
// it is spelt by hand (a parameter, an operator): then Call<Op> below says how.
#pragma once

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "nabla/nabla.hpp"
#include "nabla/numdiff/numdiff.hpp"

namespace nabla::test {

// ---------------------------------------------------------- spellings ---

/// Call<Op>::apply(x, p) or Call<Op>::apply(a, b): the primitive Op through
/// its public spelling (nabla::sqrt, nabla::softplus, operator*, ...), for
/// every scalar: double (the passive path), Dual, Var and expressions on Var.
template <class Op>
struct Call {
  static_assert(sizeof(Op) == 0,
                "Call<Op>: a primitive of core::UnaryPrimitives or core::BinaryPrimitives that is not "
                "in an X-macro list; say how it is called in tests/crosscheck/modes.hpp");
};

#define NABLA_TEST_UNARY_CALL(fn, Op)       \
  template <>                               \
  struct Call<core::Op> {                   \
    template <class X>                      \
    static auto apply(const X& x, double) { \
      return nabla::fn(x);                  \
    }                                       \
  };
NABLA_UNARY_FUNCTIONS(NABLA_TEST_UNARY_CALL)
#undef NABLA_TEST_UNARY_CALL

#define NABLA_TEST_BINARY_CALL(fn, Op)          \
  template <>                                   \
  struct Call<core::Op> {                       \
    template <class A, class B>                 \
    static auto apply(const A& a, const B& b) { \
      return nabla::fn(a, b);                   \
    }                                           \
  };
NABLA_BINARY_FUNCTIONS(NABLA_TEST_BINARY_CALL)
#undef NABLA_TEST_BINARY_CALL

#define NABLA_TEST_OPERATOR_CALL(token, Op)     \
  template <>                                   \
  struct Call<core::Op> {                       \
    template <class A, class B>                 \
    static auto apply(const A& a, const B& b) { \
      return a token b;                         \
    }                                           \
  };
NABLA_ARITHMETIC_OPERATORS(NABLA_TEST_OPERATOR_CALL)
#undef NABLA_TEST_OPERATOR_CALL

template <>
struct Call<core::Softplus> {
  template <class X>
  static auto apply(const X& x, double t) {
    return nabla::softplus(x, t);
  }
};
template <>
struct Call<core::LeakyRelu> {
  template <class X>
  static auto apply(const X& x, double alpha) {
    return nabla::leaky_relu(x, alpha);
  }
};
template <>
struct Call<core::PowInt> {
  template <class X>
  static auto apply(const X& x, double n) {
    return nabla::pow(x, static_cast<int>(n));
  }
};
template <>
struct Call<core::Neg> {
  template <class X>
  static auto apply(const X& x, double) {
    return -x;
  }
};

/// Op at plain doubles, through its public spelling (the passive path).
template <class Op>
double passive(double x, double p) {
  return static_cast<double>(Call<Op>::apply(x, p));
}
template <class Op>
double passive2(double a, double b) {
  return static_cast<double>(Call<Op>::apply(a, b));
}

// ---------------------------------------------------- type-list tools ---

/// core::PrimitiveList<Ops...> as ::testing::Types<Ops...>.
template <class List>
struct AsTestTypes;
template <class... Ops>
struct AsTestTypes<core::PrimitiveList<Ops...>> {
  using type = ::testing::Types<Ops...>;
};

/// Names typed tests after the primitive: Unary/CrossCheck/sqrt.
struct PrimitiveName {
  template <class Op>
  static std::string GetName(int) {
    return Op::name;
  }
};

/// The parameters a primitive is checked at: none (0) without one; else its
/// default, a second value derived from it, and a few that matter for the
/// primitive (negative integer powers, a small temperature).
template <class Op>
std::vector<double> parameters_of() {
  if constexpr (!Op::has_parameter) {
    return {0.0};
  } else {
    const double p = Op::default_parameter;
    std::vector<double> ps{p, p == 0 ? 1.0 : 3.0 * p};
    if constexpr (std::is_same_v<Op, core::PowInt>) ps.insert(ps.end(), {-3.0, 0.0, 1.0, 5.0});
    if constexpr (std::is_same_v<Op, core::Softplus>) ps.push_back(0.25);
    if constexpr (std::is_same_v<Op, core::LeakyRelu>) ps.push_back(-0.5);
    return ps;
  }
}

/// `count` points drawn uniformly from [lo, hi] by a seeded generator, so
/// that a failure is reproducible.
inline std::vector<double> sample(double lo, double hi, std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> draw(lo, hi);
  std::vector<double> xs(count);
  for (double& x : xs) x = draw(rng);
  return xs;
}

/// The distance used throughout: |a - b| / max(1, |b|), relative for large
/// values and absolute for small ones. NaN against NaN and equal infinities
/// are distance 0; NaN against a number is infinitely far.
inline double distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : core::infinity;
  if (a == b) return 0.0;  // equal infinities too
  return std::fabs(a - b) / std::max(1.0, std::fabs(b));
}

// --------------------------------------------------- first-order modes ---

/// The value and the first derivative of a unary primitive.
struct Unary1 {
  double value;
  double d;
};
/// The value and both partials of a binary primitive.
struct Binary1 {
  double value;
  double da;
  double db;
};

/// Forward mode, Dual<double, N> with fixed lanes (one per input).
struct ForwardMode {
  static constexpr const char* name = "forward Dual<double, N>";
  template <class Op>
  static Unary1 unary(double x, double p) {
    using D = Dual<double, 1>;
    const D y = Call<Op>::apply(D::variable(x, 0), p);
    return {y.value(), y.tangent(0)};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    using D = Dual<double, 2>;
    const D y = Call<Op>::apply(D::variable(a, 0), D::variable(b, 1));
    return {y.value(), y.tangent(0), y.tangent(1)};
  }
};

/// Forward mode with run-time lanes, one active operand at a time (the other
/// a plain double): the Dual-op-constant overloads.
struct ForwardMixedMode {
  static constexpr const char* name = "forward Dual<double, Dynamic>, one operand passive";
  template <class Op>
  static Unary1 unary(double x, double p) {
    using D = Dual<double, Dynamic>;
    const D y = Call<Op>::apply(D::variable(x, 0, 1), p);
    return {y.value(), y.tangent(0)};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    using D = Dual<double, Dynamic>;
    const D ya = Call<Op>::apply(D::variable(a, 0, 1), b);
    const D yb = Call<Op>::apply(a, D::variable(b, 0, 1));
    return {ya.value(), ya.tangent(0), yb.tangent(0)};
  }
};

/// The adjoints of `inputs` after one reverse sweep from `y` on `tape`.
inline std::vector<double> sweep(Tape& tape, const Var& y, std::initializer_list<Var> inputs) {
  tape.clear_adjoints();
  if (y.is_active()) {
    tape.adjoint(y) = 1.0;
    tape.reverse();
  }
  std::vector<double> adjoints;
  for (const Var& v : inputs) adjoints.push_back(v.is_active() ? tape.adjoint(v) : 0.0);
  return adjoints;
}

/// Reverse mode by hand: Vars on a fresh tape, the primitive through its Var
/// function or operator, one reverse sweep.
struct ReverseMode {
  static constexpr const char* name = "reverse Var";
  template <class Op>
  static Unary1 unary(double x, double p) {
    TapeScope<double> scope;
    const Var xv = scope.tape().input(x);
    const Var y = Call<Op>::apply(xv, p);
    return {y.value(), sweep(scope.tape(), y, {xv})[0]};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    TapeScope<double> scope;
    const Var av = scope.tape().input(a);
    const Var bv = scope.tape().input(b);
    const Var y = Call<Op>::apply(av, bv);
    const auto g = sweep(scope.tape(), y, {av, bv});
    return {y.value(), g[0], g[1]};
  }
};

/// Reverse mode with the primitive inside a larger expression template
/// ((x * 2) * 0.5, exact in binary floating point), so that its partials are
/// pre-accumulated through the tree into one statement; binary primitives
/// also with one operand passive (the Var-op-constant overloads).
struct ReverseExpressionMode {
  static constexpr const char* name = "reverse Var, inside an expression / one operand passive";
  template <class Op>
  static Unary1 unary(double x, double p) {
    TapeScope<double> scope;
    const Var xv = scope.tape().input(x);
    const Var y = Call<Op>::apply((xv * 2.0) * 0.5, p);
    return {y.value(), sweep(scope.tape(), y, {xv})[0]};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    TapeScope<double> scope;
    const Var av = scope.tape().input(a);
    const Var bv = scope.tape().input(b);
    const Var ya = Call<Op>::apply((av * 2.0) * 0.5, b);
    const double da = sweep(scope.tape(), ya, {av})[0];
    const Var yb = Call<Op>::apply(a, 0.5 * (2.0 * bv));
    const double db = sweep(scope.tape(), yb, {bv})[0];
    return {ya.value(), da, db};
  }
};

// ------------------------------------------- primitives behind pointers ---

/// The scalar types the drivers call f with: Var (value_and_gradient) and a
/// tape of Duals with 1, 2, 4 or 8 lanes (hessian, hvp).
template <int L>
using DualVar = BasicVar<Dual<double, L>>;

template <class Op, class T>
T unary_at(const T& x, double p) {
  return T(Call<Op>::apply(x, p));
}
template <class Op, class T>
T binary_at(const T& a, const T& b) {
  return T(Call<Op>::apply(a, b));
}

/// f(v) = Op(v[0]; p) or Op(v[0], v[1]) behind one function pointer per
/// driver scalar. Every primitive has this one type, so each driver is
/// compiled once for all of them; a lambda per primitive compiled each driver
/// some forty times and made this directory the slowest part of the build.
template <bool Binary>
class PrimitiveAsFunction {
 public:
  template <class Op>
  static PrimitiveAsFunction of(double p = 0.0) {
    PrimitiveAsFunction f;
    f.p_ = p;
    f.calls_ = {&call<Op, Var>, &call<Op, DualVar<1>>, &call<Op, DualVar<2>>, &call<Op, DualVar<4>>,
                &call<Op, DualVar<8>>};
    return f;
  }

  template <class V>
  auto operator()(const V& v) const {
    using T = typename V::Scalar;
    if constexpr (Binary)
      return std::get<Fn<T>>(calls_)(v[0], v[1], p_);
    else
      return std::get<Fn<T>>(calls_)(v[0], v[0], p_);
  }

 private:
  template <class T>
  using Fn = T (*)(const T&, const T&, double);

  template <class Op, class T>
  static T call(const T& a, [[maybe_unused]] const T& b, [[maybe_unused]] double p) {
    if constexpr (Binary)
      return binary_at<Op>(a, b);
    else
      return unary_at<Op>(a, p);
  }

  std::tuple<Fn<Var>, Fn<DualVar<1>>, Fn<DualVar<2>>, Fn<DualVar<4>>, Fn<DualVar<8>>> calls_{};
  double p_ = 0.0;
};
using UnaryFunction = PrimitiveAsFunction<false>;
using BinaryFunction = PrimitiveAsFunction<true>;

/// A function of one double, so that numdiff is compiled once.
using RealFunction = std::function<double(double)>;

/// Reverse mode through the public driver nabla::value_and_gradient.
struct GradientDriverMode {
  static constexpr const char* name = "nabla::value_and_gradient";
  template <class Op>
  static Unary1 unary(double x, double p) {
    const auto r = nabla::value_and_gradient(UnaryFunction::of<Op>(p), Eigen::VectorXd::Constant(1, x));
    return {r.value, r.gradient[0]};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    const auto r = nabla::value_and_gradient(BinaryFunction::of<Op>(), Eigen::Vector2d(a, b));
    return {r.value, r.gradient[0], r.gradient[1]};
  }
};

/// Finite differences, Richardson-extrapolated (nabla::numdiff::derivative),
/// of the primitive on plain doubles: independent of every derivative rule.
struct NumericMode {
  static constexpr const char* name = "numdiff::derivative";
  template <class Op>
  static Unary1 unary(double x, double p) {
    const RealFunction f = [p](double t) { return passive<Op>(t, p); };
    return {f(x), numdiff::derivative(f, x).value};
  }
  template <class Op>
  static Binary1 binary(double a, double b) {
    const RealFunction fa = [b](double t) { return passive2<Op>(t, b); };
    const RealFunction fb = [a](double t) { return passive2<Op>(a, t); };
    return {fa(a), numdiff::derivative(fa, a).value, numdiff::derivative(fb, b).value};
  }
};

/// The first-order columns; the first is the reference the others are compared with.
using FirstOrderModes = std::tuple<ForwardMode, ForwardMixedMode, ReverseMode, ReverseExpressionMode,
                                   GradientDriverMode, NumericMode>;
/// The AD columns only (where derivatives are exact choices, as at kinks).
using AdModes =
    std::tuple<ForwardMode, ForwardMixedMode, ReverseMode, ReverseExpressionMode, GradientDriverMode>;

// -------------------------------------------------- second-order modes ---

/// The 1x1 (unary) or 2x2 (binary) Hessian of a primitive.
using Hessian = Eigen::MatrixXd;

/// Nested forward mode, Dual<Dual<double, N>, N>.
struct NestedForwardMode {
  static constexpr const char* name = "nested forward Dual<Dual<double>>";
  template <class Op>
  static Hessian unary(double x, double p) {
    using D = Dual<double, 1>;
    using DD = Dual<D, 1>;
    const DD xx(D::variable(x, 0), typename DD::Tangent{D(1.0)});
    const DD y = Call<Op>::apply(xx, p);
    return Hessian::Constant(1, 1, y.tangent(0).tangent(0));
  }
  template <class Op>
  static Hessian binary(double a, double b) {
    using D = Dual<double, 2>;
    using DD = Dual<D, 2>;
    const DD aa(D::variable(a, 0), typename DD::Tangent{D(1.0), D(0.0)});
    const DD bb(D::variable(b, 1), typename DD::Tangent{D(0.0), D(1.0)});
    const DD y = Call<Op>::apply(aa, bb);
    Hessian h(2, 2);
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j) h(i, j) = y.tangent(i).tangent(j);
    return h;
  }
};

/// Forward-over-reverse through nabla::hessian (a tape of Duals).
struct HessianDriverMode {
  static constexpr const char* name = "nabla::hessian (forward-over-reverse)";
  template <class Op>
  static Hessian unary(double x, double p) {
    return nabla::hessian(UnaryFunction::of<Op>(p), Eigen::VectorXd::Constant(1, x));
  }
  template <class Op>
  static Hessian binary(double a, double b) {
    return nabla::hessian(BinaryFunction::of<Op>(), Eigen::Vector2d(a, b));
  }
};

/// Hessian columns from nabla::hvp with unit vectors.
struct HvpDriverMode {
  static constexpr const char* name = "nabla::hvp";
  template <class Op>
  static Hessian unary(double x, double p) {
    return nabla::hvp(UnaryFunction::of<Op>(p), Eigen::VectorXd::Constant(1, x), Eigen::VectorXd::Ones(1));
  }
  template <class Op>
  static Hessian binary(double a, double b) {
    const auto f = BinaryFunction::of<Op>();
    const Eigen::VectorXd c0 = nabla::hvp(f, Eigen::Vector2d(a, b), Eigen::Vector2d(1, 0));
    const Eigen::VectorXd c1 = nabla::hvp(f, Eigen::Vector2d(a, b), Eigen::Vector2d(0, 1));
    Hessian h(2, 2);
    h << c0[0], c1[0], c0[1], c1[1];  // not h.col(k) = ...: a false -Wstringop-overflow in GCC 12
    return h;
  }
};

/// Finite differences of the forward-mode first derivatives: checks that the
/// registry's derivative rules compose (nested modes differentiate them).
struct NumericOverForwardMode {
  static constexpr const char* name = "numdiff::derivative of the Dual derivative";
  template <class Op>
  static Hessian unary(double x, double p) {
    const RealFunction d = [p](double t) { return ForwardMode::unary<Op>(t, p).d; };
    return Hessian::Constant(1, 1, numdiff::derivative(d, x).value);
  }
  template <class Op>
  static Hessian binary(double a, double b) {
    auto da = [](double s, double t) { return ForwardMode::binary<Op>(s, t).da; };
    auto db = [](double s, double t) { return ForwardMode::binary<Op>(s, t).db; };
    Hessian h(2, 2);
    h(0, 0) = numdiff::derivative(RealFunction([&](double s) { return da(s, b); }), a).value;
    h(0, 1) = numdiff::derivative(RealFunction([&](double t) { return da(a, t); }), b).value;
    h(1, 0) = numdiff::derivative(RealFunction([&](double s) { return db(s, b); }), a).value;
    h(1, 1) = numdiff::derivative(RealFunction([&](double t) { return db(a, t); }), b).value;
    return h;
  }
};

/// The second-order columns; the first is the reference.
using SecondOrderModes =
    std::tuple<NestedForwardMode, HessianDriverMode, HvpDriverMode, NumericOverForwardMode>;

/// Calls f(Mode{}) for every mode of the tuple, in order.
template <class Modes, class F>
void for_each_mode(F&& f) {
  std::apply([&](auto... modes) { (f(modes), ...); }, Modes{});
}

}  // namespace nabla::test
