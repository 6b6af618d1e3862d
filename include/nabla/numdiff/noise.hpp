// The noise level of a computed function near a point: how far its values
// scatter around a smooth function, read from the higher differences of f at
// a few nearby points (Moré and Wild, "Estimating computational noise", SIAM
// J. Sci. Comput. 33(3), 2011). Every extrapolated difference reads it: where
// f is wrong by more than the few rounding units the roundoff model of
// sample_stencil assumes (cancellation inside f, as in (1 - cos t) / t^2 near
// 0, or a float inside a double function), each sample's error bound takes
// the measured noise as well, and steps too small for that noise get bounds
// that say so instead of the slope of one step of f's rounding staircase.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/differences.hpp"

namespace nabla::numdiff {

/// What the differences of nearby values say about their noise.
enum class NoiseVerdict {
  detected,           ///< the scaled differences of three orders agree and change sign
  spacing_too_small,  ///< half the neighbours are equal: f is flat or a staircase at this spacing
  spacing_too_large   ///< f itself varies too much at this spacing for its noise to show
};

/// A noise level (the deviation of the values from a smooth function, as a
/// root mean square; 0 unless detected) and how it was read.
struct NoiseReading {
  double level = 0;
  NoiseVerdict verdict = NoiseVerdict::spacing_too_large;
  /// Where the values spread over more than a tenth of their size but turn
  /// like noise and read as noise (spacing_too_large): the level they read
  /// at, noise only if a narrower spacing reads it too (noise around a value
  /// near 0 does; a function that varies faster than the spacing does not).
  double spread_level = 0;
};

/// The noise of values f_i = f(x + nodes[i] spacing), nodes increasing (in
/// spacings): Moré and Wild's ECnoise, generalized from equally spaced nodes
/// to any. For f_i = s(t_i) + e_i with s smooth and the e_i independent of
/// deviation sigma, the k-th divided difference D over k + 1 consecutive nodes
/// is sum_j w_j f_j, and D^2 / sum_j w_j^2 averages sigma^2 once the divided
/// differences of s, which shrink like spacing^k, have fallen below the
/// noise's: level_k = sqrt(mean(D^2 / sum_j w_j^2)) (on equally spaced nodes,
/// ECnoise's sqrt(mean((Delta^k f)^2) / C(2k, k))). The reading is the first
/// level_k that agrees with the next two within a factor 4 where the k-th
/// differences change sign (noise, not a smooth trend); spacing_too_large
/// where none does, where a value is not finite, or where the values spread
/// by more than a tenth of their size (unless they are stairs of a grid far
/// coarser than their rounding; where they turn as often as noise, with the
/// level read as spread_level); spacing_too_small where half the neighbours
/// are equal or the nodes are not increasing.
template <std::size_t N>
NoiseReading read_noise(const std::array<double, N>& nodes, std::array<double, N> f) {
  static_assert(N >= 4, "numdiff::read_noise: three levels need at least four values");
  for (std::size_t i = 0; i < N; ++i)
    if (!std::isfinite(f[i]) || !std::isfinite(nodes[i])) return {};
  for (std::size_t i = 1; i < N; ++i)
    if (!(nodes[i] > nodes[i - 1])) return {0, NoiseVerdict::spacing_too_small};
  const auto [low, high] = std::minmax_element(f.begin(), f.end());
  const double size = std::fmax(std::fabs(*low), std::fabs(*high));
  // Values that spread by more than a tenth of their size are f's own
  // variation, unless they are the stairs of a grid far coarser than their
  // own rounding: cancellation inside f near a zero of f, whose few stairs
  // are all of its size (sqrt(1 + t^2) - 1 at 1e-7 takes about 22 multiples
  // of the spacing 2.2e-16 of the doubles above 1).
  double stair = std::numeric_limits<double>::infinity();
  int turns = 0, last = 0;
  for (std::size_t i = 1; i < N; ++i) {
    const double rise = f[i] - f[i - 1];
    if (rise == 0) continue;
    stair = std::fmin(stair, std::fabs(rise));
    const int sign = rise > 0 ? 1 : -1;
    turns += last == -sign ? 1 : 0;
    last = sign;
  }
  bool on_a_coarse_grid = stair >= 16 * std::numeric_limits<double>::epsilon() * size;
  for (std::size_t i = 1; i < N && on_a_coarse_grid; ++i) {
    const double stairs = std::fabs(f[i] - f[i - 1]) / stair;
    on_a_coarse_grid = std::fabs(stairs - std::round(stairs)) <= 0.01;
  }
  // Values spread over their size that turn as often as noise does (half
  // the time) may be noise around a value near 0 (exp(t) - 1 - t at 1e-9, a
  // few rounding units of 1 around 1e-19): their level is read, as a
  // spread_level to be confirmed.
  const bool spread = *high - *low > 0.1 * size && !on_a_coarse_grid;
  if (spread && 2 * turns < static_cast<int>(N) - 1) return {0, NoiseVerdict::spacing_too_large};
  std::size_t equal = 0;
  for (std::size_t i = 1; i < N; ++i) equal += f[i] == f[i - 1] ? 1 : 0;
  if (2 * equal >= N) return {0, NoiseVerdict::spacing_too_small};
  // In units of a power of 2 near the largest value (exact), so that squares
  // of values near the largest double do not overflow.
  const int exponent = size > 0 ? std::ilogb(size) : 0;
  for (double& v : f) v = std::ldexp(v, -exponent);
  std::array<double, N> level{};
  std::array<bool, N> changes_sign{};
  for (std::size_t k = 1; k < N; ++k) {
    double sum = 0, lowest = 0, highest = 0;
    for (std::size_t i = 0; i + k < N; ++i) {
      f[i] = (f[i + 1] - f[i]) / (nodes[i + k] - nodes[i]);
      // sum_j w_j^2, w_j = 1 / prod_{l != j} (t_j - t_l) over nodes i..i+k
      double weights = 0;
      for (std::size_t j = i; j <= i + k; ++j) {
        double product = 1;
        for (std::size_t l = i; l <= i + k; ++l)
          if (l != j) product *= nodes[j] - nodes[l];
        weights += 1 / (product * product);
      }
      sum += f[i] * f[i] / weights;
      lowest = std::fmin(lowest, f[i]);
      highest = std::fmax(highest, f[i]);
    }
    level[k] = std::sqrt(sum / static_cast<double>(N - k));
    changes_sign[k] = lowest < 0 && highest > 0;
  }
  for (std::size_t k = 1; k + 2 < N; ++k) {
    const double lo = std::min({level[k], level[k + 1], level[k + 2]});
    const double hi = std::max({level[k], level[k + 1], level[k + 2]});
    if (changes_sign[k] && hi <= 4 * lo) {
      const double read = std::ldexp(level[k], exponent);
      return spread ? NoiseReading{0, NoiseVerdict::spacing_too_large, read}
                    : NoiseReading{read, NoiseVerdict::detected};
    }
  }
  return {0, NoiseVerdict::spacing_too_large};
}

namespace detail {

/// Which side of x a stencil samples. The noise is read on the same side, so
/// that a one-sided method never evaluates f where it chose not to (sqrt left
/// of 0).
enum class Side { both, right, left };

/// The side of x that `stencil` samples.
inline Side stencil_side(const Stencil& stencil) {
  bool left = false, right = false;
  for (int k = 0; k < stencil.size; ++k) {
    left = left || stencil.offsets[k] < 0;
    right = right || stencil.offsets[k] > 0;
  }
  return left && right ? Side::both : right ? Side::right : Side::left;
}

/// How many points the noise is read at: x and kNoisePoints - 1 more.
constexpr std::size_t kNoisePoints = 9;

/// The nodes of a noise reading in spacings from x, on the given side:
/// consecutive integers, each but x's moved by up to 0.4 (the fractional parts
/// of multiples of the golden ratio). On equally spaced nodes, a function
/// rounded to a grid (a float inside f, a sum with a large constant) whose
/// slope moves it by nearly a whole number of grid steps per spacing rounds
/// to an exact arithmetic progression and shows no noise: (1e8 + sin t) - 1e8
/// did at 13 of 200 points; moved nodes break the pattern.
inline std::array<double, kNoisePoints> noise_nodes(Side side) {
  constexpr int n = static_cast<int>(kNoisePoints) - 1;
  constexpr double golden = 0.6180339887498949;
  const int first = side == Side::both ? -n / 2 : side == Side::right ? 0 : -n;
  std::array<double, kNoisePoints> nodes{};
  for (int i = 0; i <= n; ++i) {
    const int offset = first + i;
    const int k = offset < 0 ? -offset : offset;
    const double phase = k * golden - static_cast<int>(k * golden);
    const double moved = offset == 0 ? 0 : 0.8 * (phase - 0.5);
    nodes[static_cast<std::size_t>(i)] = offset < 0 ? offset - moved : offset + moved;
  }
  return nodes;
}

/// The values of g at x + nodes[i] delta, m outputs each, with `nodes` set to
/// where the points really are after rounding (in spacings); g(x) is
/// `center`. False, after the first such point, where a value is not finite.
template <class G>
bool noise_values(G& g, double x, double delta, const Eigen::ArrayXd& center, Eigen::Index m,
                  std::array<double, kNoisePoints>& nodes, std::array<Eigen::ArrayXd, kNoisePoints>& values) {
  for (std::size_t i = 0; i < kNoisePoints; ++i) {
    if (nodes[i] == 0) {
      values[i] = center;
      continue;
    }
    const double t = x + nodes[i] * delta;
    nodes[i] = (t - x) / delta;
    Eigen::ArrayXd y = g(t);
    require_dimension(y.size() == m, "numdiff: f returned vectors of different sizes");
    if (!y.isFinite().all()) return false;
    values[i] = std::move(y);
  }
  return true;
}

/// Per output of g: double -> Eigen::ArrayXd (m outputs, g(x) = `center`), a
/// bound on how far f's values near x are from a smooth function beyond the
/// roundoff model of sample_stencil: 4 times the noise read (read_noise) at
/// kNoisePoints points on the stencil's side of x, where that exceeds the
/// model's eps (|f(x)| + |x f'(x)|); 0 where it does not or where no noise
/// shows.
///
/// The first spacing is 1e-6, or |x| / 16 where that is smaller (the noise
/// of cancellation varies with the size of the argument: (1 - cos t) / t^2 is
/// a million times noisier at t = 1e-6 than at 1e-3), but at least 16
/// rounding units of x. It is absolute, not relative to max(|x|, 1) like the
/// steps: a deterministic f that varies faster than the spacing (t + sin t at
/// 1e7, read 7 apart) reads as noise, and its derivative is then bounded as
/// if of its trend. With the spacing relative, t + sin t, 100 + sin t and
/// t^2 + sin t at 1000 points from 1e3 to 1e19 each had up to 13 more
/// dishonest bounds than without a noise reading; with this one, none.
///
/// A reading whose spacing is too small (f flat there: a rounding staircase
/// wider than the points, as of a float inside f) is repeated 100 times
/// wider, one whose spacing is too large (or that met a value that is not
/// finite) 100 times narrower, at most three readings the same way (a
/// spread_level counts as noise where the next, narrower, reading agrees
/// with it within a factor 4: tan read across its pole does not); where
/// the answer turns (too large after too small, or the other way) the
/// stride back is the square root of the last one, 10 then 3.2, and the
/// search ends below that (seven readings at most). Costs kNoisePoints - 1
/// evaluations of g per reading: 8 where the first reading decides, 24 for
/// an output that does not depend on x (it reads flat three times), 56 at
/// most.
template <class G>
Eigen::ArrayXd value_noise(G& g, double x, Side side, const Eigen::ArrayXd& center, Eigen::Index m) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  constexpr int kReadings = 7;
  constexpr int kOneWay = 3;  // readings in a row that move the same way
  constexpr double kRetry = 100;
  constexpr double kFinestStride = 3;  // 100, then 10, then 3.16 back and forth
  double stride = kRetry;
  int one_way = 1;
  // Deviations from the smooth function within which each value lies: 1.7
  // for a uniform error (a rounding staircase), more for the estimate's own
  // scatter from 9 values.
  constexpr double kDeviations = 4;
  Eigen::ArrayXd bound = Eigen::ArrayXd::Zero(m);
  std::vector<bool> pending(static_cast<std::size_t>(m), true);
  std::vector<double> spread_level(static_cast<std::size_t>(m), 0.0);  // to be confirmed
  double spacing = 1e-6;
  if (x != 0) spacing = std::fmin(spacing, std::fabs(x) / 16);
  spacing = std::fmax(spacing, 16 * eps * std::fabs(x));
  int direction = 0;  // +1 widening the spacing, -1 narrowing it
  std::array<Eigen::ArrayXd, kNoisePoints> values;
  for (int reading = 0; reading < kReadings; ++reading) {
    std::array<double, kNoisePoints> nodes = noise_nodes(side);
    bool wider = false, narrower = false;
    if (!noise_values(g, x, spacing, center, m, nodes, values)) {
      narrower = true;
    } else {
      for (Eigen::Index k = 0; k < m; ++k) {
        const auto slot = static_cast<std::size_t>(k);
        if (!pending[slot]) continue;
        std::array<double, kNoisePoints> f{};
        for (std::size_t i = 0; i < kNoisePoints; ++i) f[i] = values[i](k);
        NoiseReading r = read_noise(nodes, f);
        // A spread reading is noise when the one after it, narrower, agrees.
        const double unconfirmed = std::exchange(spread_level[slot], 0.0);
        if (r.spread_level > 0 && unconfirmed > 0 && r.spread_level <= 4 * unconfirmed &&
            unconfirmed <= 4 * r.spread_level)
          r = {std::fmax(r.spread_level, unconfirmed), NoiseVerdict::detected};
        if (r.verdict == NoiseVerdict::detected) {
          pending[slot] = false;
          const double width = nodes[kNoisePoints - 1] - nodes[0];
          const double slope = std::fabs(f[kNoisePoints - 1] / width - f[0] / width) / spacing;
          const double model = eps * (std::fabs(center(k)) + std::fabs(x) * slope);
          if (r.level > model) bound(k) = kDeviations * r.level;
        } else if (r.spread_level > 0) {
          spread_level[slot] = r.spread_level;
          narrower = true;
        } else if (r.verdict == NoiseVerdict::spacing_too_small) {
          wider = true;
        } else {
          narrower = true;
        }
      }
    }
    if (wider == narrower) break;  // every output read, or outputs that want both
    const int next = wider ? 1 : -1;
    // Where one spacing was too large and the next too small, the staircase
    // may lie between them (sqrt(1 + t^2) - 1 at 1e-7: 3 stairs per spacing
    // at 6e-9, 0.06 at 6e-11): the search halves its stride back, in log.
    if (direction == -next) stride = std::sqrt(stride);
    one_way = direction == next ? one_way + 1 : 1;
    if (stride < kFinestStride || one_way >= kOneWay) break;  // no spacing shows noise
    direction = next;
    spacing = wider ? spacing * stride : spacing / stride;
  }
  return bound;
}

}  // namespace detail
}  // namespace nabla::numdiff
