// Finite-difference stencils and the sampling of one stencil at one step: the
// forward, backward, central and five-point formulas for first and second
// derivatives, the series their truncation errors follow (what Richardson
// extrapolation removes), steps rounded so that the points x + m h are exact
// where possible and weights for the points as rounded where not, and a bound
// on the roundoff of each sample (the model's, plus f's measured noise where
// the caller read one).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/options.hpp"

namespace nabla::numdiff {

/// A difference formula for the derivative of the given order:
/// sum_k weights[k] f(x + offsets[k] h) / (divisor h^order). Its truncation
/// error is a series in h^leading_power, h^(leading_power + power_step), ...
struct Stencil {
  std::array<int, 5> offsets{};
  std::array<double, 5> weights{};
  int size = 0;
  double divisor = 1;
  int order = 1;
  int leading_power = 2;
  int power_step = 2;

  /// The largest |offset|: how far from x the stencil reaches, in steps.
  int reach() const {
    int r = 0;
    for (int k = 0; k < size; ++k) r = std::max(r, std::abs(offsets[k]));
    return r;
  }
};

/// The stencil of `method` for the derivative of order 1 or 2. Throws DomainError
/// for the complex step (not a difference) and for other orders.
inline Stencil stencil_for(Method method, int order = 1) {
  if (order != 1 && order != 2) throw DomainError("numdiff: only first and second derivatives have stencils");
  const bool first = order == 1;
  switch (method) {
    case Method::central:
      return first ? Stencil{{-1, 1}, {-1, 1}, 2, 2, 1, 2, 2}
                   : Stencil{{-1, 0, 1}, {1, -2, 1}, 3, 1, 2, 2, 2};
    case Method::forward:
      return first ? Stencil{{0, 1}, {-1, 1}, 2, 1, 1, 1, 1} : Stencil{{0, 1, 2}, {1, -2, 1}, 3, 1, 2, 1, 1};
    case Method::backward:
      return first ? Stencil{{-1, 0}, {-1, 1}, 2, 1, 1, 1, 1}
                   : Stencil{{-2, -1, 0}, {1, -2, 1}, 3, 1, 2, 1, 1};
    case Method::five_point:
      return first ? Stencil{{-2, -1, 1, 2}, {1, -8, 8, -1}, 4, 12, 1, 4, 2}
                   : Stencil{{-2, -1, 0, 1, 2}, {-1, 16, -30, 16, -1}, 5, 12, 2, 4, 2};
    case Method::complex_step:
      break;
  }
  throw DomainError("numdiff: the complex step is not a difference stencil; call numdiff::complex_step");
}

/// A step close to h such that x + m h is exactly representable for |m| <= reach
/// when x allows it (when x is a multiple of the spacing of doubles near
/// |x| + reach h, as it is unless h is large against |x|). Returns h unchanged
/// when it cannot help (non-finite input, underflow).
inline double representable_step(double x, double h, int reach) {
  if (!std::isfinite(x) || !std::isfinite(h) || h <= 0) return h;
  const double top = std::fabs(x) + reach * h;
  if (!std::isfinite(top)) return h;
  // Multiples of 2^(ilogb(top) - 51) below 2^(ilogb(top) + 2) are doubles, and
  // so is every point when x is such a multiple.
  const double unit = std::ldexp(1.0, std::ilogb(top) - 51);
  if (!(unit > 0)) return h;
  const double rounded = std::nearbyint(h / unit) * unit;
  return rounded > 0 ? rounded : unit;
}

/// The weights w_k with sum_k w_k f(nodes[k]) ~ f^(order)(0), exact for
/// polynomials of degree < N, for any distinct nodes (Fornberg's recurrence,
/// Math. Comp. 51, 1988).
template <std::size_t N>
std::array<double, N> difference_weights(const std::array<double, N>& nodes, int order) {
  if (order < 0 || static_cast<std::size_t>(order) >= N)
    throw DomainError("numdiff::difference_weights: the order must be below the number of nodes");
  // c[j][k]: weight of node j for the k-th derivative, over the nodes seen so far.
  std::array<std::array<double, N>, N> c{};
  c[0][0] = 1;
  double previous_product = 1;
  for (std::size_t i = 1; i < N; ++i) {
    const int top = std::min(static_cast<int>(i), order);
    double product = 1;
    for (std::size_t j = 0; j < i; ++j) {
      const double gap = nodes[i] - nodes[j];
      product *= gap;
      if (j == i - 1) {
        for (int k = top; k >= 1; --k)
          c[i][k] = previous_product * (k * c[i - 1][k - 1] - nodes[i - 1] * c[i - 1][k]) / product;
        c[i][0] = -previous_product * nodes[i - 1] * c[i - 1][0] / product;
      }
      for (int k = top; k >= 1; --k) c[j][k] = (nodes[i] * c[j][k] - k * c[j][k - 1]) / gap;
      c[j][0] = nodes[i] * c[j][0] / gap;
    }
    previous_product = product;
  }
  std::array<double, N> weights{};
  for (std::size_t j = 0; j < N; ++j) weights[j] = c[j][static_cast<std::size_t>(order)];
  return weights;
}

/// One sample of a stencil: the difference quotient (one entry per output of
/// f), a bound on its roundoff, and the part of that bound that the roundoff
/// model gives, without f's measured noise (see noise.hpp; empty where the
/// model is all of it).
struct Sample {
  Eigen::ArrayXd value;
  Eigen::ArrayXd noise;
  Eigen::ArrayXd model_noise = {};
};

namespace detail {

/// Samples `stencil` for g: double -> Eigen::ArrayXd (m outputs) at x with
/// step h. `center`, when not null, is g(x); `value_noise`, when not null,
/// bounds per output how far each value of g is from a smooth function beyond
/// the model below (see value_noise in noise.hpp).
///
/// The roundoff bound takes each f(t_k) to be wrong by eps (|f(t_k)| + |t_k f'(t_k)|):
/// a rounding of the value itself plus the rounding of quantities of the size of
/// t inside f (sin(t*t) near a zero is wrong by about eps t^2, not eps |sin(t*t)|),
/// with f' taken as the slope between the outermost samples.
template <class G>
Sample sample_stencil(G& g, double x, double h, const Stencil& stencil, Eigen::Index m,
                      const Eigen::ArrayXd* center, const Eigen::ArrayXd* value_noise = nullptr) {
  const auto size = static_cast<std::size_t>(stencil.size);
  h = representable_step(x, h, stencil.reach());
  std::array<double, 5> points{}, nodes{}, weights{};
  bool exact = true;
  for (std::size_t k = 0; k < size; ++k) {
    points[k] = x + stencil.offsets[k] * h;
    nodes[k] = points[k] - x;
    exact = exact && nodes[k] == stencil.offsets[k] * h;
  }
  for (std::size_t k = 1; k < size; ++k)
    if (!(nodes[k] > nodes[k - 1]))  // a step lost in rounding (or NaN)
      return {Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
              Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN())};
  // Points where the formula assumes them: its integer weights, whose sum is
  // exactly zero; otherwise weights for where the rounded points really are.
  double scale = 1;
  if (exact) {
    weights = stencil.weights;
    scale = stencil.divisor * (stencil.order == 1 ? h : h * h);
  } else if (size == 2) {
    const auto w = difference_weights(std::array<double, 2>{nodes[0], nodes[1]}, stencil.order);
    std::copy(w.begin(), w.end(), weights.begin());
  } else if (size == 3) {
    const auto w = difference_weights(std::array<double, 3>{nodes[0], nodes[1], nodes[2]}, stencil.order);
    std::copy(w.begin(), w.end(), weights.begin());
  } else if (size == 4) {
    const auto w =
        difference_weights(std::array<double, 4>{nodes[0], nodes[1], nodes[2], nodes[3]}, stencil.order);
    std::copy(w.begin(), w.end(), weights.begin());
  } else {
    weights = difference_weights(nodes, stencil.order);
  }
  // Each term of the bound takes its factor eps first, so that values near
  // the largest double (exp near 709) do not overflow it; and each sample is
  // wrong by at least half the smallest subnormal, which eps |f| underflows.
  constexpr double eps = std::numeric_limits<double>::epsilon();
  constexpr double tiny = std::numeric_limits<double>::denorm_min();
  Sample s{Eigen::ArrayXd::Zero(m), Eigen::ArrayXd::Zero(m)};
  double argument_size = 0, weight_sum = 0;
  Eigen::ArrayXd first, last;
  for (std::size_t k = 0; k < size; ++k) {
    Eigen::ArrayXd fk = (stencil.offsets[k] == 0 && center) ? *center : Eigen::ArrayXd(g(points[k]));
    require_dimension(fk.size() == m, "numdiff: f returned vectors of different sizes");
    s.value += weights[k] * fk;
    s.noise += (eps * std::fabs(weights[k])) * fk.abs() + std::fabs(weights[k]) * tiny;
    argument_size += std::fabs(weights[k] * points[k]);
    weight_sum += std::fabs(weights[k]);
    if (k == 0) first = fk;
    if (k == size - 1) last = fk;
  }
  const double half_span = (nodes[size - 1] - nodes[0]) / 2;
  s.noise += (eps * argument_size) * ((last / 2 - first / 2) / half_span).abs();
  s.value /= scale;
  s.noise /= scale;
  if (value_noise) {
    s.model_noise = s.noise;
    s.noise += (weight_sum / scale) * *value_noise;
  }
  return s;
}

}  // namespace detail

/// The raw difference quotient of `method` for the derivative of the given
/// order of f: double -> double at x with step h, without extrapolation: the
/// building block whose O(h^p) error the tests measure.
template <class F>
double finite_difference(F&& f, double x, double h, Method method = Method::central, int order = 1) {
  static_assert(std::is_invocable_v<F&, double>,
                "numdiff::finite_difference: f must be callable as f(double)");
  const Stencil stencil = stencil_for(method, order);
  auto g = [&f](double t) {
    Eigen::ArrayXd y(1);
    y(0) = static_cast<double>(f(t));
    return y;
  };
  return detail::sample_stencil(g, x, h, stencil, 1, nullptr).value(0);
}

}  // namespace nabla::numdiff
