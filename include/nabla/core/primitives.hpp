// The registry of elementary functions: one declaration per primitive, read by
// forward mode (Dual), reverse mode (Var and its expression templates), the
// replayable Program, the symbolic engine and the registry-wide cross-check.
//
// A unary primitive Op provides
//   Op::name, Op::latex                      printed names
//   Op::value(x, p)                          the value, for any scalar T
//   Op::derivative(x, y, p)                  dy/dx, given y = value(x, p)
//   Op::in_domain(x, p)                      where value and derivative are real;
//                                            outside both are NaN (never a throw)
//   Op::sample_lo, Op::sample_hi             where tests draw random points
// where p is a passive parameter (an exponent, a temperature, a slope) that
// primitives without one ignore. A binary primitive provides value(a, b),
// d_first(a, b, y), d_second(a, b, y) and in_domain(a, b) likewise.
//
// The documented choices at kinks (a derivative that does not exist there)
// are in each primitive's `kink` string and are tested as such.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <type_traits>

/// Forces inlining of the small functions on every mode's hot path. Not in
/// unoptimized builds (the sanitizer pass compiles the tests at -O0): there
/// the forced inlining only multiplied the code, a statement on
/// Var<Dual<double, 8>> expanding to 150 KB, and the compile time with it.
#ifdef __OPTIMIZE__
#define NABLA_INLINE [[gnu::always_inline]] inline
#else
#define NABLA_INLINE inline
#endif

namespace nabla::core {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
inline constexpr double infinity = std::numeric_limits<double>::infinity();

/// The double inside any scalar (double, Dual, Var, nested ones): used where a
/// decision (a domain, a branch) depends only on the value.
template <class S>
requires std::is_arithmetic_v<S>
double passive_value(S x) { return static_cast<double>(x); }

/// Whether T is a number (double, Dual, nested ones) rather than a symbolic
/// expression: formulas that branch on the value, or rescale it against
/// overflow, apply to numbers; sym::Expr keeps the plain textbook formula.
template <class T>
concept Number = requires(const T& x) {
  passive_value(x);
};
/// A number that carries tangents (a Dual, nested or not): where the value
/// formula itself is differentiated.
template <class T>
concept DualNumber = Number<T> && !std::is_arithmetic_v<T>;

/// x with -0.0 made +0.0 (any other value, and every tangent, unchanged):
/// where a derivative divides by x, -0.0 then gets the one documented at 0
/// (sqrt'(0) = +inf, not -inf).
template <class T>
T unsigned_zero(const T& x) {
  if constexpr (Number<T>)
    return x + 0.0;  // -0.0 + 0.0 = +0.0 in IEEE arithmetic
  else
    return x;
}

/// NaN, and for a dual number NaN also in every lane along which x moves: a
/// partial outside the domain (a constant NaN would have derivative 0).
/// Out of line and by value: the rare path stays small, and a reference to a
/// node's member would force the whole expression tree into memory. A
/// nested Dual has its own overload (ad/dual.hpp), found by argument-
/// dependent lookup: x * NaN leaves a lane of higher order that x reaches
/// only through a product of its seeds at 0.
template <class T>
[[gnu::noinline, gnu::cold]] T nan_along(T x) {
  return x * nan;
}

/// 1 - x^2: as (1 - x)(1 + x) for a number near +-1, which keeps the digits
/// there (asin', atanh'), and as 1 - x x inside (-1/2, 1/2), whose tangent
/// -2 x x' does not cancel: (1 - x)' (1 + x) + (1 - x)(1 + x)' did, and
/// asin'' at 1e-12 was 3e-5 off (0 at 1e-300). The textbook form for a
/// symbolic expression, which is what `nabla diff` prints.
template <class T>
T one_minus_square(const T& x) {
  if constexpr (Number<T>) {
    if (std::fabs(passive_value(x)) < 0.5) return 1.0 - x * x;
    return (1.0 - x) * (1.0 + x);
  } else {
    return 1.0 - x * x;
  }
}

/// |x| for a number, chosen by the sign of its value.
template <class T>
T magnitude(const T& x) {
  return x < 0 ? T(-x) : T(x);
}

/// x^n for an integer n by repeated squaring: exact for small n and usable by
/// every scalar type. A negative power is a positive power of 1/x, so that it
/// (and, in nested modes, its derivatives) overflows or underflows only where
/// the result does; x^-6 as 1 / x^6 made the tangent of x^6 overflow first.
/// n is wide enough that n - 1 is exact for every int (INT_MIN included), and
/// |n| is taken unsigned, where it always exists. On a double, |n| from 5 to
/// 2^53 (exact in a double, so its parity is kept) goes to std::pow, within
/// an ulp: each squaring doubles the relative error, so x^n by squaring is
/// off by about n/2 ulps (x^360 by 70, x^536870911 at 1.000000001 by 4e-9).
template <class T>
T integer_power(const T& x, std::int64_t n) {
  if (n == 0) return T(1);
  if constexpr (std::is_same_v<T, double>) {
    constexpr std::int64_t kExact = std::int64_t{1} << 53;
    if ((n > 4 || n < -4) && n <= kExact && n >= -kExact) return std::pow(x, static_cast<double>(n));
  }
  const T base0 = n < 0 ? T(T(1) / x) : x;
  T result = base0;
  T base = base0;
  bool first = true;
  const auto u = static_cast<std::uint64_t>(n);
  for (std::uint64_t k = n < 0 ? 0 - u : u;; k >>= 1) {
    if (k & 1U) {
      if (first) {
        result = base;
        first = false;
      } else {
        result = result * base;
      }
    }
    if (k <= 1) break;
    base = base * base;
  }
  return result;
}

inline bool is_integer(double x) { return std::isfinite(x) && x == std::nearbyint(x); }

// ---------------------------------------------------------------- unary ---

/// Common defaults of unary primitives: all reals, no parameter.
struct UnaryDefaults {
  static constexpr bool has_parameter = false;
  static constexpr double default_parameter = 0.0;
  static constexpr const char* kink = "";
  static bool in_domain(double, double) { return true; }
  static constexpr double sample_lo = -3.0;
  static constexpr double sample_hi = 3.0;
};

/// -x
struct Neg : UnaryDefaults {
  static constexpr const char* name = "neg";
  static constexpr const char* latex = "-";
  template <class T>
  static T value(const T& x, double) {
    return -x;
  }
  template <class T>
  static T derivative(const T&, const T&, double) {
    return T(-1);
  }  // (-x)' = -1
};

/// sqrt(x), x >= 0
struct Sqrt : UnaryDefaults {
  static constexpr const char* name = "sqrt";
  static constexpr const char* latex = "\\sqrt";
  static constexpr const char* kink = "sqrt'(0) = +inf";
  static bool in_domain(double x, double) { return x >= 0; }
  static constexpr double sample_lo = 0.05;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::sqrt;
    return sqrt(x);
  }
  // (sqrt x)' = 1 / (2 sqrt x)
  template <class T>
  static T derivative(const T&, const T& y, double) {
    return 0.5 / unsigned_zero(y);
  }
};

/// cbrt(x), all reals
struct Cbrt : UnaryDefaults {
  static constexpr const char* name = "cbrt";
  static constexpr const char* latex = "\\sqrt[3]";
  static constexpr const char* kink = "cbrt'(0) = +inf";
  template <class T>
  static T value(const T& x, double) {
    using std::cbrt;
    return cbrt(x);
  }
  // (cbrt x)' = 1 / (3 cbrt(x)^2)
  template <class T>
  static T derivative(const T&, const T& y, double) {
    return 1.0 / (3.0 * (y * y));
  }
};

/// exp(x)
struct Exp : UnaryDefaults {
  static constexpr const char* name = "exp";
  static constexpr const char* latex = "\\exp";
  template <class T>
  static T value(const T& x, double) {
    using std::exp;
    return exp(x);
  }
  template <class T>
  static T derivative(const T&, const T& y, double) {
    return y;
  }  // (e^x)' = e^x
};

/// expm1(x) = e^x - 1, accurate near 0
struct Expm1 : UnaryDefaults {
  static constexpr const char* name = "expm1";
  static constexpr const char* latex = "\\operatorname{expm1}";
  template <class T>
  static T value(const T& x, double) {
    using std::expm1;
    return expm1(x);
  }
  // (e^x - 1)' = e^x, computed afresh: y + 1 loses digits where y is near -1
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::exp;
    return exp(x);
  }
};

/// log(x), x >= 0
struct Log : UnaryDefaults {
  static constexpr const char* name = "log";
  static constexpr const char* latex = "\\log";
  static constexpr const char* kink = "log(0) = -inf, log'(0) = +inf";
  static bool in_domain(double x, double) { return x >= 0; }
  static constexpr double sample_lo = 0.05;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::log;
    return log(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return 1.0 / unsigned_zero(x);
  }  // (log x)' = 1/x
};

/// log1p(x) = log(1 + x), x >= -1, accurate near 0
struct Log1p : UnaryDefaults {
  static constexpr const char* name = "log1p";
  static constexpr const char* latex = "\\operatorname{log1p}";
  static constexpr const char* kink = "log1p(-1) = -inf, log1p'(-1) = +inf";
  static bool in_domain(double x, double) { return x >= -1; }
  static constexpr double sample_lo = -0.9;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::log1p;
    return log1p(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return 1.0 / (1.0 + x);
  }  // 1/(1+x)
};

/// log2(x), x >= 0
struct Log2 : UnaryDefaults {
  static constexpr const char* name = "log2";
  static constexpr const char* latex = "\\log_2";
  static constexpr const char* kink = "log2(0) = -inf, log2'(0) = +inf";
  static bool in_domain(double x, double) { return x >= 0; }
  static constexpr double sample_lo = 0.05;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::log2;
    return log2(x);
  }
  // (log2 x)' = 1 / (x ln 2), as (1 / ln 2) / x: nested modes squared
  // 1 / (ln 2 x), which is 1 / ln 2 times log2''(x) = -1 / (x^2 ln 2) and
  // overflowed before it (-inf for x near 1e-154).
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return (1.0 / std::numbers::ln2) / unsigned_zero(x);
  }
};

/// log10(x), x >= 0
struct Log10 : UnaryDefaults {
  static constexpr const char* name = "log10";
  static constexpr const char* latex = "\\log_{10}";
  static constexpr const char* kink = "log10(0) = -inf, log10'(0) = +inf";
  static bool in_domain(double x, double) { return x >= 0; }
  static constexpr double sample_lo = 0.05;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::log10;
    return log10(x);
  }
  // (log10 x)' = 1 / (x ln 10)
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return 1.0 / (std::numbers::ln10 * unsigned_zero(x));
  }
};

/// sin(x)
struct Sin : UnaryDefaults {
  static constexpr const char* name = "sin";
  static constexpr const char* latex = "\\sin";
  template <class T>
  static T value(const T& x, double) {
    using std::sin;
    return sin(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::cos;
    return cos(x);
  }
};

/// cos(x)
struct Cos : UnaryDefaults {
  static constexpr const char* name = "cos";
  static constexpr const char* latex = "\\cos";
  template <class T>
  static T value(const T& x, double) {
    using std::cos;
    return cos(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sin;
    return -sin(x);
  }
};

/// tan(x), poles at pi/2 + k pi (inf there, never a throw)
struct Tan : UnaryDefaults {
  static constexpr const char* name = "tan";
  static constexpr const char* latex = "\\tan";
  static constexpr double sample_lo = -1.4;
  static constexpr double sample_hi = 1.4;
  template <class T>
  static T value(const T& x, double) {
    using std::tan;
    return tan(x);
  }
  template <class T>
  static T derivative(const T&, const T& y, double) {
    return 1.0 + y * y;
  }  // 1 + tan^2
};

/// asin(x), |x| <= 1
struct Asin : UnaryDefaults {
  static constexpr const char* name = "asin";
  static constexpr const char* latex = "\\arcsin";
  static constexpr const char* kink = "asin'(+-1) = +inf";
  static bool in_domain(double x, double) { return x >= -1 && x <= 1; }
  static constexpr double sample_lo = -0.95;
  static constexpr double sample_hi = 0.95;
  template <class T>
  static T value(const T& x, double) {
    using std::asin;
    return asin(x);
  }
  // (asin x)' = 1 / sqrt(1 - x^2); (1 - x)(1 + x) keeps the digits near +-1
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sqrt;
    return 1.0 / sqrt(one_minus_square(x));
  }
};

/// acos(x), |x| <= 1
struct Acos : UnaryDefaults {
  static constexpr const char* name = "acos";
  static constexpr const char* latex = "\\arccos";
  static constexpr const char* kink = "acos'(+-1) = -inf";
  static bool in_domain(double x, double) { return x >= -1 && x <= 1; }
  static constexpr double sample_lo = -0.95;
  static constexpr double sample_hi = 0.95;
  template <class T>
  static T value(const T& x, double) {
    using std::acos;
    return acos(x);
  }
  // (acos x)' = -1 / sqrt(1 - x^2), as asin'
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sqrt;
    return -1.0 / sqrt(one_minus_square(x));
  }
};

/// atan(x)
struct Atan : UnaryDefaults {
  static constexpr const char* name = "atan";
  static constexpr const char* latex = "\\arctan";
  template <class T>
  static T value(const T& x, double) {
    using std::atan;
    return atan(x);
  }
  // (atan x)' = 1 / (1 + x^2), for |x| > 1 as r^2 / (1 + r^2) with r = 1/x:
  // no overflow of x^2, and at +-inf a second derivative 0 (not 0 * inf)
  template <class T>
  static T derivative(const T& x, const T&, double) {
    if constexpr (Number<T>) {
      if (std::fabs(passive_value(x)) > 1) {
        const T r2 = (1.0 / x) * (1.0 / x);
        return r2 / (1.0 + r2);
      }
    }
    return 1.0 / (1.0 + x * x);
  }
};

/// sinh(x)
struct Sinh : UnaryDefaults {
  static constexpr const char* name = "sinh";
  static constexpr const char* latex = "\\sinh";
  template <class T>
  static T value(const T& x, double) {
    using std::sinh;
    return sinh(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::cosh;
    return cosh(x);
  }
};

/// cosh(x)
struct Cosh : UnaryDefaults {
  static constexpr const char* name = "cosh";
  static constexpr const char* latex = "\\cosh";
  template <class T>
  static T value(const T& x, double) {
    using std::cosh;
    return cosh(x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sinh;
    return sinh(x);
  }
};

/// tanh(x)
struct Tanh : UnaryDefaults {
  static constexpr const char* name = "tanh";
  static constexpr const char* latex = "\\tanh";
  template <class T>
  static T value(const T& x, double) {
    using std::tanh;
    return tanh(x);
  }
  // (tanh x)' = 1 - tanh^2 = 4 e / (1 + e)^2 with e = e^{-2|x|}. From y only
  // where |x| < 1: beyond, tanh rounds towards +-1 and 1 - y^2 loses digits
  // (all of them beyond |x| = 19.1). Both are formulas in x, so nested modes
  // differentiate them to the right second derivative. A symbolic expression
  // has no branch, so it gets 1 / cosh^2 (sech^2), which keeps its digits at
  // every x and so does its own derivative, -2 sinh / cosh^3.
  template <class T>
  static T derivative(const T& x, const T& y, double) {
    if constexpr (Number<T>) {
      using std::exp;
      if (!(std::fabs(passive_value(x)) < 1)) {
        const T e = exp(-2.0 * magnitude(x));
        return 4.0 * e / ((1.0 + e) * (1.0 + e));
      }
      return 1.0 - y * y;
    } else {
      using std::cosh;
      const T c = cosh(x);
      return 1.0 / (c * c);
    }
  }
};

/// asinh(x)
struct Asinh : UnaryDefaults {
  static constexpr const char* name = "asinh";
  static constexpr const char* latex = "\\operatorname{arsinh}";
  template <class T>
  static T value(const T& x, double) {
    using std::asinh;
    return asinh(x);
  }
  // (asinh x)' = 1 / sqrt(x^2 + 1), for |x| > 1 as 1 / (|x| sqrt(1 + r^2))
  // with r = 1/x: x^2 overflows beyond 1.3e154
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sqrt;
    if constexpr (Number<T>) {
      if (std::fabs(passive_value(x)) > 1) {
        const T r = 1.0 / x;
        return 1.0 / (magnitude(x) * sqrt(1.0 + r * r));
      }
    }
    return 1.0 / sqrt(x * x + 1.0);
  }
};

/// acosh(x), x >= 1
struct Acosh : UnaryDefaults {
  static constexpr const char* name = "acosh";
  static constexpr const char* latex = "\\operatorname{arcosh}";
  static constexpr const char* kink = "acosh'(1) = +inf";
  static bool in_domain(double x, double) { return x >= 1; }
  static constexpr double sample_lo = 1.05;
  static constexpr double sample_hi = 10.0;
  template <class T>
  static T value(const T& x, double) {
    using std::acosh;
    return acosh(x);
  }
  // (acosh x)' = 1 / sqrt(x^2 - 1): as 1 / sqrt((x - 1)(x + 1)), which keeps
  // the digits near 1, and for x > 2 as 1 / (x sqrt((1 - r)(1 + r))) with
  // r = 1/x, as x^2 overflows beyond 1.3e154
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::sqrt;
    if constexpr (Number<T>) {
      if (x > 2) {
        const T r = 1.0 / x;
        return 1.0 / (x * sqrt((1.0 - r) * (1.0 + r)));
      }
      return 1.0 / sqrt((x - 1.0) * (x + 1.0));
    } else {
      return 1.0 / sqrt(x * x - 1.0);
    }
  }
};

/// atanh(x), |x| <= 1
struct Atanh : UnaryDefaults {
  static constexpr const char* name = "atanh";
  static constexpr const char* latex = "\\operatorname{artanh}";
  static constexpr const char* kink = "atanh(+-1) = +-inf, atanh'(+-1) = +inf";
  static bool in_domain(double x, double) { return x >= -1 && x <= 1; }
  static constexpr double sample_lo = -0.95;
  static constexpr double sample_hi = 0.95;
  template <class T>
  static T value(const T& x, double) {
    using std::atanh;
    return atanh(x);
  }
  // (atanh x)' = 1 / (1 - x^2); (1 - x)(1 + x) keeps the digits near +-1
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return 1.0 / one_minus_square(x);
  }
};

/// |x|
struct Abs : UnaryDefaults {
  static constexpr const char* name = "abs";
  static constexpr const char* latex = "\\left|\\cdot\\right|";
  static constexpr const char* kink = "abs'(0) = 0 (the subgradient of least norm, as PyTorch)";
  template <class T>
  static T value(const T& x, double) {
    // x - x: abs(-0.0) = +0.0, NaN stays NaN
    return x < 0 ? T(-x) : (x > 0 ? T(x) : T(x - x));  // NOLINT(misc-redundant-expression)
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return x > 0 ? T(1) : (x < 0 ? T(-1) : T(0));
  }
};

/// sign(x) in {-1, 0, 1}; NaN for NaN
struct Sign : UnaryDefaults {
  static constexpr const char* name = "sign";
  static constexpr const char* latex = "\\operatorname{sign}";
  static constexpr const char* kink = "sign'(x) = 0 everywhere, also at the jump x = 0";
  template <class T>
  static T value(const T& x, double) {
    if (std::isnan(passive_value(x))) return x;
    return x > 0 ? T(1) : (x < 0 ? T(-1) : T(0));
  }
  template <class T>
  static T derivative(const T&, const T&, double) {
    return T(0);
  }
};

/// Whether e^{-x^2} and all its derivatives (polynomials in x times e^{-x^2})
/// are 0 in double precision: there erf' is the constant 0, where the formula
/// would give nested modes 0 * inf = NaN at x = +-inf.
template <class T>
bool gaussian_underflows(const T& x) {
  if constexpr (Number<T>)
    return std::fabs(passive_value(x)) > 30.0;  // e^{-900}
  else
    return false;
}

/// erf(x)
struct Erf : UnaryDefaults {
  static constexpr const char* name = "erf";
  static constexpr const char* latex = "\\operatorname{erf}";
  template <class T>
  static T value(const T& x, double) {
    using std::erf;
    return erf(x);
  }
  // erf'(x) = 2/sqrt(pi) e^{-x^2}
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::exp;
    if (gaussian_underflows(x)) return T(0);
    return (2.0 * std::numbers::inv_sqrtpi) * exp(-(x * x));
  }
};

/// erfc(x) = 1 - erf(x), accurate for large x
struct Erfc : UnaryDefaults {
  static constexpr const char* name = "erfc";
  static constexpr const char* latex = "\\operatorname{erfc}";
  template <class T>
  static T value(const T& x, double) {
    using std::erfc;
    return erfc(x);
  }
  // erfc'(x) = -2/sqrt(pi) e^{-x^2}
  template <class T>
  static T derivative(const T& x, const T&, double) {
    using std::exp;
    if (gaussian_underflows(x)) return T(0);
    return (-2.0 * std::numbers::inv_sqrtpi) * exp(-(x * x));
  }
};

/// sigmoid(x) = 1 / (1 + e^{-x}), evaluated without overflow for any x
struct Sigmoid : UnaryDefaults {
  static constexpr const char* name = "sigmoid";
  static constexpr const char* latex = "\\sigma";
  static constexpr double sample_lo = -6.0;
  static constexpr double sample_hi = 6.0;
  template <class T>
  static T value(const T& x, double) {
    using std::exp;
    if (x >= 0) return 1.0 / (1.0 + exp(-x));
    const T e = exp(x);
    return e / (1.0 + e);
  }
  // sigmoid'(x) = s(x) s(-x). From y as s (1 - s) where x <= 1 only: beyond,
  // s rounds towards 1 and 1 - s loses digits (all of them beyond x = 36.7).
  // Nested modes near 0 take it as (1 - tanh^2(x/2)) / 4, the same function:
  // the tangent of s (1 - s), s' (1 - s) - s s', cancels there, and
  // sigmoid'' at 1e-12 was 9e-5 off (0 at 1e-16, against -x/8). A symbolic
  // expression gets s(x) s(-x) everywhere (its s (1 - s) evaluated to 0 at
  // x = 40, against 4.2e-18).
  template <class T>
  static T derivative(const T& x, const T& y, double) {
    if constexpr (Number<T>) {
      if (x > 1) return y * value(T(-x), 0.0);
      if constexpr (DualNumber<T>) {
        using std::tanh;
        if (x > -1) return 0.25 * one_minus_square(T(tanh(0.5 * x)));
      }
      return y * (1.0 - y);
    } else {
      return y * sigmoid(T(-x));  // the symbolic sigmoid, found by argument-dependent lookup
    }
  }
  /// sigmoid(u) inside another primitive's derivative (softplus', the
  /// partials of logsumexp): in nested modes the mode's own sigmoid, found by
  /// argument-dependent lookup, whose derivative is the one above; the value
  /// formula, differentiated, cancels near 0 (the third derivative of
  /// softplus at 1e-8 was 1.6e-8 off, and 0 at 1e-20).
  template <class T>
  static T of(const T& u) {
    if constexpr (DualNumber<T>)
      return sigmoid(u);
    else
      return value(u, 0.0);
  }
};

/// relu(x) = max(x, 0)
struct Relu : UnaryDefaults {
  static constexpr const char* name = "relu";
  static constexpr const char* latex = "\\operatorname{relu}";
  static constexpr const char* kink = "relu'(0) = 0 (as PyTorch and TensorFlow)";
  template <class T>
  static T value(const T& x, double) {
    return x > 0 || std::isnan(passive_value(x)) ? T(x) : T(0);  // relu(NaN) = NaN
  }
  template <class T>
  static T derivative(const T& x, const T&, double) {
    return x > 0 ? T(1) : T(0);
  }
};

/// leaky_relu(x, alpha) = x for x > 0, alpha x otherwise (alpha defaults to 0.01)
struct LeakyRelu : UnaryDefaults {
  static constexpr const char* name = "leaky_relu";
  static constexpr const char* latex = "\\operatorname{leaky\\_relu}";
  static constexpr bool has_parameter = true;
  static constexpr double default_parameter = 0.01;
  static constexpr const char* kink = "leaky_relu'(0) = alpha (the left slope, as PyTorch)";
  template <class T>
  static T value(const T& x, double alpha) {
    return x > 0 ? T(x) : T(alpha * x);
  }
  template <class T>
  static T derivative(const T& x, const T&, double alpha) {
    return x > 0 ? T(1) : T(alpha);
  }
};

/// softplus(x, t) = t log(1 + e^{x/t}), the smooth relu of temperature t > 0
/// (t defaults to 1; t -> 0 gives relu). Evaluated without overflow.
struct Softplus : UnaryDefaults {
  static constexpr const char* name = "softplus";
  static constexpr const char* latex = "\\operatorname{softplus}";
  static constexpr bool has_parameter = true;
  static constexpr double default_parameter = 1.0;
  static bool in_domain(double, double t) { return t > 0; }
  static constexpr double sample_lo = -6.0;
  static constexpr double sample_hi = 6.0;
  template <class T>
  static T value(const T& x, double t) {
    using std::exp;
    using std::log1p;
    if (!(t > 0)) return T(nan);  // outside the domain
    // max(x, 0) + t log(1 + e^{-|x|/t}), both branches chosen by one test:
    // at x = 0 that is 0 + t log(1 + e^{x/t}), whose derivative (taken by
    // nested modes) is the right 1/2; |x| = x with max = 0 gave -1/2
    if (x > 0) return x + t * log1p(exp(-x / t));
    return t * log1p(exp(x / t));
  }
  // softplus'(x) = sigmoid(x / t)
  template <class T>
  static T derivative(const T& x, const T&, double t) {
    return Sigmoid::of(T(x / t));
  }
};

/// x^n for an integer exponent n (the parameter), defined for every real x
struct PowInt : UnaryDefaults {
  static constexpr const char* name = "pow";
  static constexpr const char* latex = "^";
  static constexpr bool has_parameter = true;
  static constexpr double default_parameter = 2.0;
  static constexpr const char* kink = "x^n at x = 0 with n < 0 is inf, as is its derivative";
  template <class T>
  static T value(const T& x, double n) {
    return integer_power(x, static_cast<std::int64_t>(n));
  }
  // (x^n)' = n x^{n-1}
  template <class T>
  static T derivative(const T& x, const T&, double n) {
    if (n == 0) return T(0);
    return n * integer_power(x, static_cast<std::int64_t>(n) - 1);
  }
};

// --------------------------------------------------------------- binary ---

/// Common defaults of binary primitives.
struct BinaryDefaults {
  /// Whether the partials' formulas hold at every argument (no domain check).
  static constexpr bool total = false;
  static constexpr const char* kink = "";
  static bool in_domain(double, double) { return true; }
  static constexpr double sample_lo = -3.0;
  static constexpr double sample_hi = 3.0;
};

/// a + b
struct Add : BinaryDefaults {
  static constexpr bool total = true;
  static constexpr const char* name = "add";
  static constexpr const char* latex = "+";
  template <class T>
  static T value(const T& a, const T& b) {
    return a + b;
  }
  template <class T>
  static T d_first(const T&, const T&, const T&) {
    return T(1);
  }
  template <class T>
  static T d_second(const T&, const T&, const T&) {
    return T(1);
  }
};

/// a - b
struct Sub : BinaryDefaults {
  static constexpr bool total = true;
  static constexpr const char* name = "sub";
  static constexpr const char* latex = "-";
  template <class T>
  static T value(const T& a, const T& b) {
    return a - b;
  }
  template <class T>
  static T d_first(const T&, const T&, const T&) {
    return T(1);
  }
  template <class T>
  static T d_second(const T&, const T&, const T&) {
    return T(-1);
  }
};

/// a * b
struct Mul : BinaryDefaults {
  static constexpr bool total = true;
  static constexpr const char* name = "mul";
  static constexpr const char* latex = "\\cdot";
  template <class T>
  static T value(const T& a, const T& b) {
    return a * b;
  }
  template <class T>
  static T d_first(const T&, const T& b, const T&) {
    return b;
  }  // (ab)'a = b
  template <class T>
  static T d_second(const T& a, const T&, const T&) {
    return a;
  }  // (ab)'b = a
};

/// a / b (IEEE at b = 0: inf or NaN)
struct Div : BinaryDefaults {
  static constexpr bool total = true;
  static constexpr const char* name = "div";
  static constexpr const char* latex = "\\frac";
  template <class T>
  static T value(const T& a, const T& b) {
    return a / b;
  }
  template <class T>
  static T d_first(const T&, const T& b, const T&) {
    return 1.0 / b;
  }  // (a/b)'a = 1/b
  template <class T>
  static T d_second(const T&, const T& b, const T& y) {
    return -y / b;
  }  // (a/b)'b = -a/b^2
};

/// a^b for real a and b (x^x included): real for a > 0, for a = 0 with
/// b >= 0, and for a < 0 with an integer b; a = 0 with b < 0 is the pole +inf.
struct Pow : BinaryDefaults {
  static constexpr const char* name = "pow";
  static constexpr const char* latex = "^";
  static constexpr const char* kink =
      "d/db a^b at a = 0 is 0 for b > 0; for a < 0 it is NaN (a^b is not real near b); "
      "0^b for b < 0 is +inf (IEEE), with d/da = b 0^(b-1) infinite and d/db NaN";
  static bool in_domain(double a, double b) { return a >= 0 || is_integer(b); }
  static constexpr double sample_lo = 0.1;
  static constexpr double sample_hi = 3.0;
  template <class T>
  static T value(const T& a, const T& b) {
    using std::pow;
    return pow(a, b);
  }
  // (a^b)'a = b a^{b-1}; 0 at a = b = 0 (not 0 * inf), a constant there
  // only: at b = 0 elsewhere the formula keeps its derivative along b, 1/a.
  // In nested modes the derivative of a^{b-1} is (b - 1) a^{b-2}, which
  // overflows where its product with b does not: for b = 0 (the Hessian of
  // x^0.0 at 1e-300, 0, was NaN as 0 * inf) and for a small b (of x^x at
  // 1e-160, 1e160, was -inf). There the same function is taken as
  // (b / a) a^b, whose own derivatives are about b / a^2 (finite there);
  // elsewhere that form overflows first (x^2 at 1e-300: 2 / a^2 times a^2).
  // Below about 1e-308 a^{b-1} itself overflows for a small b, and the
  // quotient is taken wherever b / a fits: (x^x)' at 1e-310 was +inf, not
  // 1 + log x = -712.8 (its second derivative, about 1 / x, overflows too).
  // Where a^(b-2) overflows, the quotient is taken when its own b / a^2 is
  // the smaller (d2/da2 a^b at (1.37e-160, 1.37e-16), -7.3e303, was -inf).
  // A negative a with |b| > 2^53 gets y / a for a^{b-1}: b - 1 rounds to an
  // even number there, and pow(a, b - 1) lost the sign of (-1)^(b-1).
  template <class T>
  static T d_first(const T& a, const T& b, const T& y) {
    using std::pow;
    if (b == 0 && a == 0) return T(0);
    const double a_size = std::fabs(passive_value(a)), b_value = passive_value(b);
    if (a_size > 0 && a_size < 1) {
      // natural logarithms to within ln 2, against a margin of 9 below ln DBL_MAX
      constexpr double kOverflow = 700;
      const double log_a = std::ilogb(a_size) * std::numbers::ln2;
      const double log_b = b_value == 0 ? -infinity : std::ilogb(b_value) * std::numbers::ln2;
      const bool power_overflows = (b_value - 2) * log_a > kOverflow;
      const bool quotient_smaller = log_b - 2 * log_a < (b_value - 2) * log_a;
      const bool first_overflows = (b_value - 1) * log_a > kOverflow;
      const bool first_quotient_fits = log_b - log_a < kOverflow;
      if (first_quotient_fits && ((power_overflows && quotient_smaller) || first_overflows)) return b / a * y;
    }
    if (passive_value(a) < 0 && std::fabs(b_value) > 0x1p53) return b * (y / a);
    return b * pow(a, b - 1.0);
  }
  // (a^b)'b = a^b log a; NaN where a^b is not real near b, NaN also along
  // every lane in which a or b moves (as nan_along: a constant NaN would
  // have derivative 0, and the Hessian of (-2)^x at x = 2 came out 0).
  // Where a^b underflows to 0 the same function is taken as a^(b-1) (a log a):
  // in nested modes its derivative along a keeps the term a^b / a = a^(b-1)
  // (the mixed partial of x^y at (1e-300, 2) lost a, 1e-300, from y / a).
  // So is it where a^b overflows and a is finite: the mixed partial
  // a^(b-1) (1 + b log a) can be finite there, and was +inf from y (at
  // (1e10, 30.85) it is 2.2e301).
  template <class T>
  static T d_second(const T& a, const T& b, const T& y) {
    using std::log;
    using std::pow;
    if (a > 0) {
      const double y_value = passive_value(y);
      const bool y_lost = y_value == 0 || (std::isinf(y_value) && std::isfinite(passive_value(a)));
      return y_lost ? pow(a, b - 1.0) * (a * log(a)) : y * log(a);
    }
    if (a == 0 && b > 0) return T(0);
    return nan_along(a) + nan_along(b);
  }
};

/// atan2(y, x): the angle of the point (x, y)
struct Atan2 : BinaryDefaults {
  static constexpr const char* name = "atan2";
  static constexpr const char* latex = "\\operatorname{atan2}";
  static constexpr const char* kink =
      "both partials are 0 at the origin, and 0 (their limit) where an argument is infinite";
  template <class T>
  static T value(const T& y, const T& x) {
    using std::atan2;
    return atan2(y, x);
  }
  // d/dy = x / (x^2 + y^2)
  template <class T>
  static T d_first(const T& y, const T& x, const T&) {
    return over_r2(x, y, x);
  }
  // d/dx = -y / (x^2 + y^2)
  template <class T>
  static T d_second(const T& y, const T& x, const T&) {
    return over_r2(T(-y), y, x);
  }

 private:
  /// u / (x^2 + y^2), 0 at the origin and where x or y is infinite (the
  /// limit: u is x or y; the quotient was inf / inf). For numbers, x and y are
  /// scaled by a power of two s near max(|x|, |y|) (exact, and a constant, so
  /// nested modes see the same function): x^2 + y^2 itself overflows or
  /// underflows where the partials do not (d/dy atan2(y, 1e-200) = 5e199).
  /// A symbolic expression gets the textbook quotient as xdivy, 0 at the
  /// origin (still inf / inf, NaN, at an infinite argument).
  template <class T>
  static T over_r2(const T& u, const T& y, const T& x) {
    if constexpr (Number<T>) {
      const double m = std::fmax(std::fabs(passive_value(x)), std::fabs(passive_value(y)));
      if (m == 0) return T(0);
      if (std::isinf(m) && !std::isnan(passive_value(x)) && !std::isnan(passive_value(y))) return T(0);
      const double s = std::isfinite(m) ? std::ldexp(1.0, std::ilogb(m)) : 1.0;
      const T xs = x / s;
      const T ys = y / s;
      return u / s / (xs * xs + ys * ys) / s;
    } else {
      return xdivy(u, x * x + y * y);  // 0 at the origin, where u / r^2 is 0/0
    }
  }
};

/// hypot(a, b) = sqrt(a^2 + b^2) without overflow
struct Hypot : BinaryDefaults {
  static constexpr const char* name = "hypot";
  static constexpr const char* latex = "\\operatorname{hypot}";
  static constexpr const char* kink =
      "both partials are 0 at the origin; at infinity a/h is its limit (sign(a) for an infinite a, "
      "sign(a)/sqrt(2) when both are infinite, 0 for a finite a)";
  template <class T>
  static T value(const T& a, const T& b) {
    using std::hypot;
    return hypot(a, b);
  }
  template <class T>
  static T d_first(const T& a, const T& b, const T& h) {
    return ratio(a, b, h);
  }  // a/h
  template <class T>
  static T d_second(const T& a, const T& b, const T& h) {
    return ratio(b, a, h);
  }  // b/h

 private:
  /// d hypot / d a = a / h, with its limits where that quotient is 0/0 or
  /// inf/inf; a symbolic expression gets xdivy(a, h), 0 at the origin (still
  /// inf / inf, NaN, at an infinite argument).
  template <class T>
  static T ratio(const T& a, const T& other, const T& h) {
    if constexpr (Number<T>) {
      if (h == 0) return T(0);
      if (std::isinf(passive_value(h)) && !std::isnan(passive_value(other))) {
        if (!std::isinf(passive_value(a))) return T(0);
        const double unit = std::isinf(passive_value(other)) ? 0.70710678118654752440 : 1.0;
        return T(std::copysign(unit, passive_value(a)));
      }
      if constexpr (DualNumber<T>) return unit_ratio(a, other);
      return T(a / h);
    } else {
      return xdivy(a, h);  // 0 at the origin, where a / h is 0/0
    }
  }

  /// a / hypot(a, other) for nested modes, as sign(a) / sqrt(1 + r^2) with
  /// r = other / a, or s / sqrt(1 + s^2) sign(other) with s = a / other,
  /// whichever ratio is at most 1: the same function, whose tangents do not
  /// cancel. Those of a / h did, in 1 / h - a^2 / h^3: the second derivative
  /// of hypot(x, 1) was 0 at x = 1e8 (against 1e-24), 8e-5 off at 1e6.
  template <class T>
  static T unit_ratio(const T& a, const T& other) {
    using std::sqrt;
    if (magnitude(a) >= magnitude(other)) {
      const T r = other / a;
      return (a < 0 ? -1.0 : 1.0) / sqrt(1.0 + r * r);
    }
    const T s = a / other;
    return (other < 0 ? T(-s) : s) / sqrt(1.0 + s * s);
  }
};

/// xlogy(x, y) = x log y, y >= 0, and 0 where x = 0 (the limit as x -> 0),
/// also at y = 0 and y = +inf where x log y is 0 * inf: PyTorch's and
/// TensorFlow's xlogy (which also give 0 for y < 0; here that is outside the
/// domain, as for log). The symbolic derivative of a^b along b is
/// xlogy(a^b, a), whose value at a = 0 is the documented limit 0.
struct XLogY : BinaryDefaults {
  static constexpr const char* name = "xlogy";
  static constexpr const char* latex = "\\operatorname{xlogy}";
  static constexpr const char* kink =
      "xlogy(0, y) = 0 also at y = 0 and y = inf (the limit), with d/dy = 0 there";
  static bool in_domain(double, double y) { return y >= 0; }
  static constexpr double sample_lo = 0.1;
  static constexpr double sample_hi = 3.0;
  template <class T>
  static T value(const T& x, const T& y) {
    using std::log;
    if (x == 0 && (y == 0 || y == infinity)) return T(0);  // not 0 * inf
    return x * log(y);
  }
  template <class T>
  static T d_first(const T&, const T& y, const T&) {
    using std::log;
    return log(y);
  }  // (x log y)'x = log y
  // (x log y)'y = x / y, and 0 at x = y = 0 (xlogy(0, y) is 0 for every y).
  // Only there: elsewhere x / y is 0 at x = 0 anyway, and a nested mode needs
  // its derivative along x, 1/y (a constant 0 made the Hessian's mixed entry
  // at x = 0 half of 1/y, and an HVP asymmetric).
  template <class T>
  static T d_second(const T& x, const T& y, const T&) {
    if (x == 0 && y == 0) return T(0);
    return x / unsigned_zero(y);  // at y = -0.0 as at 0, as log'
  }
};

/// xdivy(x, y) = x / y, and 0 where x = 0 (also at y = 0, where x / y is
/// 0/0): TensorFlow's xdivy. The symbolic partials of atan2 and hypot are
/// xdivy quotients, whose value at the origin is the documented 0.
struct XDivY : BinaryDefaults {
  static constexpr const char* name = "xdivy";
  static constexpr const char* latex = "\\operatorname{xdivy}";
  static constexpr const char* kink = "xdivy(0, 0) = 0 (not 0/0), with d/dy = 0 there";
  static constexpr double sample_lo = 0.1;
  static constexpr double sample_hi = 3.0;
  template <class T>
  static T value(const T& x, const T& y) {
    if (x == 0 && y == 0) return T(0);  // not 0/0
    return x / y;
  }
  template <class T>
  static T d_first(const T&, const T& y, const T&) {
    return 1.0 / y;
  }  // (x/y)'x = 1/y
  // (x/y)'y = -x/y^2, and 0 at x = y = 0 (xdivy(0, y) is 0 for every y);
  // elsewhere -r/y, whose derivative along x a nested mode needs (see XLogY).
  template <class T>
  static T d_second(const T& x, const T& y, const T& r) {
    if (x == 0 && y == 0) return T(0);
    return -r / y;
  }
};

/// The value of min(a, b) or max(a, b) at a tie a == b, for a dual number:
/// a itself, with the mean of both tangents, so that nested modes (which
/// differentiate the value formula) see the documented partials 1/2 and 1/2.
/// a - (a - b)/2 is exactly a for a finite a (-0.0 included); an infinite a
/// takes (a + b)/2, which is exactly a there and not inf - inf.
template <class T>
T tie_value(const T& a, const T& b) {
  if (std::isinf(passive_value(a))) return (a + b) * 0.5;
  return a - (a - b) * 0.5;
}

/// min(a, b)
struct Min : BinaryDefaults {
  static constexpr const char* name = "min";
  static constexpr const char* latex = "\\min";
  static constexpr const char* kink = "at a tie a = b each partial is 1/2 (as PyTorch's minimum)";
  template <class T>
  static T value(const T& a, const T& b) {
    if constexpr (DualNumber<T>)
      if (a == b) return tie_value(a, b);
    return b < a || std::isnan(passive_value(b)) ? T(b) : T(a);  // NaN wins, as PyTorch's minimum
  }
  template <class T>
  static T d_first(const T& a, const T& b, const T&) {
    return a < b ? T(1) : (b < a ? T(0) : T(0.5));
  }
  template <class T>
  static T d_second(const T& a, const T& b, const T&) {
    return b < a ? T(1) : (a < b ? T(0) : T(0.5));
  }
};

/// max(a, b)
struct Max : BinaryDefaults {
  static constexpr const char* name = "max";
  static constexpr const char* latex = "\\max";
  static constexpr const char* kink = "at a tie a = b each partial is 1/2 (as PyTorch's maximum)";
  template <class T>
  static T value(const T& a, const T& b) {
    if constexpr (DualNumber<T>)
      if (a == b) return tie_value(a, b);
    return a < b || std::isnan(passive_value(b)) ? T(b) : T(a);  // NaN wins, as PyTorch's maximum
  }
  template <class T>
  static T d_first(const T& a, const T& b, const T&) {
    return a > b ? T(1) : (b > a ? T(0) : T(0.5));
  }
  template <class T>
  static T d_second(const T& a, const T& b, const T&) {
    return b > a ? T(1) : (a > b ? T(0) : T(0.5));
  }
};

/// logsumexp(a, b) = log(e^a + e^b) without overflow: max + log1p(e^{-|a-b|})
struct LogSumExp : BinaryDefaults {
  static constexpr const char* name = "logsumexp";
  static constexpr const char* latex = "\\operatorname{logsumexp}";
  static constexpr const char* kink =
      "logsumexp(-inf, -inf) = -inf and logsumexp(inf, inf) = inf with partials 1/2; "
      "an argument +inf alone takes the whole weight (partials 1 and 0)";
  template <class T>
  static T value(const T& a, const T& b) {
    using std::exp;
    using std::log1p;
    const T m = a < b ? T(b) : T(a);
    if (a == b && (m == -infinity || m == infinity)) {  // not inf - inf
      if constexpr (DualNumber<T>)
        return tie_value(a, b);  // the partials 1/2 and 1/2, also in nested modes
      else
        return m;
    }
    const T d = a < b ? T(a - b) : T(b - a);
    return m + log1p(exp(d));
  }
  // d/da = e^{a - y} = sigmoid(a - b): the softmax weight of a, from the
  // difference a - b so that no digit is lost where |y| is large
  template <class T>
  static T d_first(const T& a, const T& b, const T&) {
    if (a == b && (a == infinity || a == -infinity)) return T(0.5);  // not inf - inf
    return Sigmoid::of(T(a - b));
  }
  template <class T>
  static T d_second(const T& a, const T& b, const T&) {
    if (a == b && (a == infinity || a == -infinity)) return T(0.5);
    return Sigmoid::of(T(b - a));
  }
};

// ------------------------------------------------------------ the lists ---

/// The unary primitives with a function name and no parameter:
/// X(function_name, PrimitiveType). Modes generate their overloads from it.
// (clang-format reflows this list differently on every pass.)
// clang-format off
#define NABLA_UNARY_FUNCTIONS(X)                                                        \
  X(sqrt, Sqrt) X(cbrt, Cbrt) X(exp, Exp) X(expm1, Expm1) X(log, Log) X(log1p, Log1p)   \
  X(log2, Log2) X(log10, Log10) X(sin, Sin) X(cos, Cos) X(tan, Tan) X(asin, Asin)       \
  X(acos, Acos) X(atan, Atan) X(sinh, Sinh) X(cosh, Cosh) X(tanh, Tanh) X(asinh, Asinh) \
  X(acosh, Acosh) X(atanh, Atanh) X(abs, Abs) X(sign, Sign) X(erf, Erf) X(erfc, Erfc)   \
  X(sigmoid, Sigmoid) X(relu, Relu)
// clang-format on

/// The binary primitives with a function name: X(function_name, PrimitiveType).
// clang-format off
#define NABLA_BINARY_FUNCTIONS(X)                                                              \
  X(pow, Pow) X(atan2, Atan2) X(hypot, Hypot) X(min, Min) X(max, Max) X(logsumexp, LogSumExp) \
  X(xlogy, XLogY) X(xdivy, XDivY)
// clang-format on

/// Unary primitives with a passive parameter, spelt by hand in each mode:
/// softplus(x, t), leaky_relu(x, alpha), pow(x, int n); and unary minus.
#define NABLA_UNARY_WITH_PARAMETER(X) X(softplus, Softplus) X(leaky_relu, LeakyRelu) X(pow, PowInt)

/// The arithmetic operators: X(operator_token, PrimitiveType).
#define NABLA_ARITHMETIC_OPERATORS(X) X(+, Add) X(-, Sub) X(*, Mul) X(/, Div)

template <class... Ops>
struct PrimitiveList {};

#define NABLA_LIST_ENTRY(name, Type) Type,
/// Every unary primitive, for registry-wide tests and the Program's opcodes.
using UnaryPrimitives =
    PrimitiveList<NABLA_UNARY_FUNCTIONS(NABLA_LIST_ENTRY) Softplus, LeakyRelu, PowInt, Neg>;
/// Every binary primitive.
using BinaryPrimitives = PrimitiveList<NABLA_BINARY_FUNCTIONS(NABLA_LIST_ENTRY) Add, Sub, Mul, Div>;
#undef NABLA_LIST_ENTRY

/// The derivative of a unary primitive as every mode must see it: NaN outside
/// the domain and at a NaN argument (outside every domain), the registry's
/// formula inside.
template <class Op, class T>
NABLA_INLINE T unary_partial(const T& x, const T& y, double p) {
  const double v = passive_value(x);
  if (std::isnan(v) || !Op::in_domain(v, p)) [[unlikely]]
    return nan_along(x);
  return Op::derivative(x, y, p);
}

/// The partials of a binary primitive as every mode must see them. The
/// arithmetic operators (Op::total) are exact everywhere and skip the checks.
template <class Op, class T>
NABLA_INLINE bool binary_in_domain(const T& a, const T& b) {
  if constexpr (Op::total) return true;
  const double va = passive_value(a);
  const double vb = passive_value(b);
  return !std::isnan(va) && !std::isnan(vb) && Op::in_domain(va, vb);
}
template <class Op, class T>
NABLA_INLINE T binary_partial_first(const T& a, const T& b, const T& y) {
  if (!binary_in_domain<Op>(a, b)) [[unlikely]]
    return nan_along(a) + nan_along(b);
  return Op::d_first(a, b, y);
}
template <class Op, class T>
NABLA_INLINE T binary_partial_second(const T& a, const T& b, const T& y) {
  if (!binary_in_domain<Op>(a, b)) [[unlikely]]
    return nan_along(a) + nan_along(b);
  return Op::d_second(a, b, y);
}

}  // namespace nabla::core
