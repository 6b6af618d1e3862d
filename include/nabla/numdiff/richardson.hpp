// Richardson extrapolation over a decreasing geometric sequence of steps
// (Ridders' method, a Neville-style table), the engine behind every
// derivative in nabla::numdiff. Row i holds a difference sampled at
// h_i = h_0 / r^i; column j removes the j-th term of the truncation series.
// Each entry's error estimate is its truncation (the largest of its distances
// to the two entries it was built from and to the next entry of its column)
// plus a propagated roundoff bound; per output the entry with the smallest
// estimate wins. Sampling stops when the roundoff of a new raw difference
// alone exceeds the best estimate, since no smaller step can do better, or
// when the estimate is at rounding level.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/differences.hpp"

namespace nabla::numdiff {

/// Per-output values and error bounds of an extrapolation.
struct ArrayEstimate {
  Eigen::ArrayXd value;
  Eigen::ArrayXd error;
};

/// The shape of a Richardson table: the step ratio r, the truncation series
/// h^p, h^(p+q), ..., how many columns, and at most how many rows (steps).
struct Schedule {
  double ratio = 2;
  int leading_power = 2;
  int power_step = 2;
  int levels = 8;
  int max_steps = 30;
};

/// Extrapolates the samples `sample(i)` (a Sample at step h_0 / ratio^i, all
/// with the same number of outputs) to step zero. Outputs that never get a
/// finite error keep the raw difference at the smallest step tried, with an
/// infinite error.
template <class SampleAt>
ArrayEstimate extrapolate(SampleAt&& sample, const Schedule& schedule) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  constexpr double inf = std::numeric_limits<double>::infinity();
  // factor[j] = r^(p + (j-1) q): column j cancels the term h^(p + (j-1) q).
  std::vector<double> factor(static_cast<std::size_t>(schedule.levels) + 1, 1.0);
  for (int j = 1; j <= schedule.levels; ++j)
    factor[j] = std::pow(schedule.ratio, schedule.leading_power + (j - 1) * schedule.power_step);

  // Per column of the previous and the current row: value, roundoff bound, and
  // the truncation estimate from the entry's parents.
  struct Column {
    Eigen::ArrayXd value, noise, truncation;
  };
  std::vector<Column> prev, cur;
  ArrayEstimate best;
  auto consider = [&](const Column& c) {
    const Eigen::ArrayXd error = c.truncation + c.noise + eps * c.value.abs();
    for (Eigen::Index k = 0; k < error.size(); ++k)
      if (error(k) < best.error(k)) {
        best.error(k) = error(k);
        best.value(k) = c.value(k);
      }
  };
  Eigen::ArrayXd raw;
  for (int i = 0; i < schedule.max_steps; ++i) {
    Sample row = sample(i);
    if (i == 0) {
      best.value = Eigen::ArrayXd::Constant(row.value.size(), std::numeric_limits<double>::quiet_NaN());
      best.error = Eigen::ArrayXd::Constant(row.value.size(), inf);
    }
    require_dimension(row.value.size() == best.value.size(),
                      "numdiff: f returned vectors of different sizes");
    raw = row.value;
    const int columns = std::min(i, schedule.levels) + 1;
    cur.resize(static_cast<std::size_t>(columns));
    cur[0].value = std::move(row.value);
    cur[0].noise = std::move(row.noise);
    for (int j = 1; j < columns; ++j) {
      const double c = factor[j];
      // T[i][j] = T[i][j-1] + (T[i][j-1] - T[i-1][j-1]) / (c - 1); the roundoff
      // bound follows the same weights in absolute value.
      cur[j].value = cur[j - 1].value + (cur[j - 1].value - prev[j - 1].value) / (c - 1);
      cur[j].noise = (c * cur[j - 1].noise + prev[j - 1].noise) / (c - 1);
    }
    // Truncation of T[i][j]: its distance to its parents T[i][j-1] and T[i-1][j-1]
    // (to T[i-1][0] in column 0), and, once row i+1 exists, to its child T[i+1][j].
    // Asking both sides guards against parents that agree by accident.
    for (int j = 0; j < columns; ++j) {
      if (i == 0) {
        cur[j].truncation = Eigen::ArrayXd::Constant(cur[j].value.size(), inf);
        continue;
      }
      cur[j].truncation = (cur[j].value - prev[j == 0 ? 0 : j - 1].value).abs();
      if (j > 0) cur[j].truncation = cur[j].truncation.max((cur[j].value - cur[j - 1].value).abs());
    }
    for (std::size_t j = 0; j < prev.size(); ++j) {
      prev[j].truncation = prev[j].truncation.max((cur[j].value - prev[j].value).abs());
      consider(prev[j]);
    }
    std::swap(prev, cur);
    if ((prev[0].noise > best.error).all()) break;
    if ((best.error <= 4 * eps * best.value.abs()).all()) break;
  }
  for (const Column& c : prev) consider(c);
  for (Eigen::Index k = 0; k < best.value.size(); ++k)
    if (!(best.error(k) < inf)) {
      best.value(k) = raw(k);
      best.error(k) = inf;
    }
  return best;
}

namespace detail {

/// The extrapolated derivative of g: double -> Eigen::ArrayXd (m outputs) at x
/// with `stencil`, steps relative to max(|x|, 1). `center`, when not null, is g(x).
template <class G>
ArrayEstimate extrapolated_difference(G&& g, double x, const Stencil& stencil, const Options& options,
                                      Eigen::Index m, const Eigen::ArrayXd* center = nullptr) {
  validate(options);
  if (!std::isfinite(x))
    return {Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
            Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::infinity())};
  Eigen::ArrayXd center_value;
  if (!center && stencil.uses_center()) {
    center_value = g(x);
    require_dimension(center_value.size() == m, "numdiff: f returned vectors of different sizes");
    center = &center_value;
  }
  const double h0 = options.initial_step.value_or(default_initial_step(options.method)) * step_scale(x);
  auto sample = [&](int i) {
    const double h = h0 * std::pow(options.step_ratio, -i);
    if (!(h > 0) || !std::isfinite(h))
      return Sample{Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
                    Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN())};
    return sample_stencil(g, x, h, stencil, m, center);
  };
  const Schedule schedule{options.step_ratio, stencil.leading_power, stencil.power_step,
                          options.richardson_levels, options.max_steps};
  return extrapolate(sample, schedule);
}

}  // namespace detail
}  // namespace nabla::numdiff
