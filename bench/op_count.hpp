// A double that counts the elementary operations done on it: every +, -, *,
// / with at least one Counted operand and every call of exp, sin, cos, log,
// tanh is one operation; copies and constants are free. Running a problem's
// function on it checks the hand count written beside the function.
#pragma once

#include <cmath>
#include <cstddef>

#include "problems.hpp"

namespace nabla_bench {

class Counted {
 public:
  Counted(double v = 0.0) : v_(v) {}  // NOLINT: implicit like double
  double value() const { return v_; }

  /// Operations counted since the last reset.
  static std::size_t& count() {
    static std::size_t n = 0;
    return n;
  }

  Counted& operator+=(const Counted& b) { return *this = *this + b; }
  Counted& operator-=(const Counted& b) { return *this = *this - b; }
  Counted& operator*=(const Counted& b) { return *this = *this * b; }
  Counted& operator/=(const Counted& b) { return *this = *this / b; }

  friend Counted operator+(const Counted& a, const Counted& b) { return tick(a.v_ + b.v_); }
  friend Counted operator-(const Counted& a, const Counted& b) { return tick(a.v_ - b.v_); }
  friend Counted operator*(const Counted& a, const Counted& b) { return tick(a.v_ * b.v_); }
  friend Counted operator/(const Counted& a, const Counted& b) { return tick(a.v_ / b.v_); }
  friend Counted exp(const Counted& a) { return tick(std::exp(a.v_)); }
  friend Counted sin(const Counted& a) { return tick(std::sin(a.v_)); }
  friend Counted cos(const Counted& a) { return tick(std::cos(a.v_)); }
  friend Counted log(const Counted& a) { return tick(std::log(a.v_)); }
  friend Counted tanh(const Counted& a) { return tick(std::tanh(a.v_)); }

 private:
  static Counted tick(double v) {
    ++count();
    return Counted(v);
  }
  double v_;
};

template <>
struct Passive<Counted> {
  static double value(const Counted& x) { return x.value(); }
};

/// The elementary operations of p's function, counted by running it.
inline std::size_t count_operations(const Problem& p) {
  std::vector<Counted> x(p.x.data(), p.x.data() + p.x.size());
  Counted::count() = 0;
  visit(p.function, [&](auto fn) { return fn(x).value(); });
  return Counted::count();
}

}  // namespace nabla_bench
