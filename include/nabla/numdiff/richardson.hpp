// Richardson extrapolation over a decreasing geometric sequence of steps
// (Ridders' method, a Neville-style table), the engine behind every
// derivative in nabla::numdiff. Row i holds a difference sampled at
// h_i = h_0 / r^i; column j removes the j-th term of the truncation series.
//
// Each entry's error estimate is its truncation plus a propagated roundoff
// bound. The truncation is the largest of its distances to the two entries
// it was built from and to the next entry of its column, the distances within
// a column widened to what the series says the error is (for forward
// differences with r = 2 the next entry is only half the error away). The
// roundoff of a raw difference is the model of sample_stencil (a few rounding
// units of each value) plus, where f is noisier than that, f's noise as read
// near x (noise.hpp) over the step: at small steps the bound then says how
// little the noise leaves, instead of trusting the slope of one stair of f's
// rounding. That measured noise is kept out of the tests below that decide
// which rows to trust, since it was read at x only: it may be smaller than
// where a large step reaches, and a function that varies faster than the
// reading's spacing reads as noisy without being so.
//
// Per output the entry with the smallest estimate wins, among the rows in a
// run where the raw differences converge like the series (below) and that no
// later row contradicts: two estimates whose difference exceeds the sum of
// their bounds cannot both hold, and the one at the larger step is dropped,
// since the series is only promised as h goes to zero. This catches a run of
// large steps that agree by accident, as steps of sin near multiples of its
// period do (they see a smooth function with the wrong slope), and steps that
// straddle a nearby singularity. Sampling stops, provided the newest row
// agrees with the best estimate, when the estimate is settled (to 1e-6
// relative) and the roundoff of a new raw difference alone exceeds it (no
// smaller step can do better), when three rows in a row are a thousand times
// worse than a converged estimate (roundoff that the model does not see), or
// when the estimate is at the floor of 64 rounding units that no bound goes
// below. An estimate that never settles (a zero derivative, a nearby
// singularity) takes every step of the schedule.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/numdiff/differences.hpp"
#include "nabla/numdiff/noise.hpp"

namespace nabla::numdiff {

/// Per-output values and error bounds of an extrapolation.
struct ArrayEstimate {
  Eigen::ArrayXd value;
  Eigen::ArrayXd error;
};

/// The shape of a Richardson table: the step ratio r, the truncation series
/// h^p, h^(p+q), ..., how many columns, and at most how many rows (steps).
struct Schedule {
  double ratio = 1.9;
  int leading_power = 2;
  int power_step = 2;
  int levels = 8;
  int max_steps = 60;
};

namespace detail {

/// The rows of a Richardson table as they are finished: each row's best entry
/// per output, whether a later row contradicts or refutes it, and the best
/// estimate among the rows that neither happened to.
class RowRecord {
 public:
  /// Records a finished row's best entries; drops the earlier rows it
  /// contradicts, per output where `may_contradict` (empty: everywhere).
  void add(ArrayEstimate row, const std::vector<bool>& may_contradict = {}) {
    for (std::size_t i = 0; i < rows_.size(); ++i)
      for (Eigen::Index k = 0; k < row.value.size(); ++k)
        if ((may_contradict.empty() || may_contradict[static_cast<std::size_t>(k)]) &&
            contradict(rows_[i], row, k))
          trusted_[i][static_cast<std::size_t>(k)] = false;
    trusted_.emplace_back(static_cast<std::size_t>(row.value.size()), true);
    rows_.push_back(std::move(row));
  }

  /// Drops, per output, the rows whose estimate is not settled (to `settled`
  /// relative) and bounded by less than a later move between two raw
  /// differences beyond their roundoff: where the series holds, every later
  /// move is smaller than that bound.
  void refute(const Eigen::ArrayXd& move, const Eigen::ArrayXd& roundoff, double settled) {
    for (std::size_t i = 0; i < rows_.size(); ++i)
      for (Eigen::Index k = 0; k < move.size(); ++k)
        if (move(k) - roundoff(k) > rows_[i].error(k) &&
            rows_[i].error(k) > settled * std::fabs(rows_[i].value(k)))
          trusted_[i][static_cast<std::size_t>(k)] = false;
  }

  /// Per output, the smallest estimate among the rows that are trusted and
  /// marked `asymptotic` (NaN with an infinite error where there is none).
  ArrayEstimate best(Eigen::Index outputs, const std::vector<std::vector<bool>>& asymptotic) const {
    ArrayEstimate b{Eigen::ArrayXd::Constant(outputs, std::numeric_limits<double>::quiet_NaN()),
                    Eigen::ArrayXd::Constant(outputs, std::numeric_limits<double>::infinity())};
    for (std::size_t i = 0; i < rows_.size(); ++i)
      for (Eigen::Index k = 0; k < outputs; ++k) {
        const auto slot = static_cast<std::size_t>(k);
        if (trusted_[i][slot] && asymptotic[i][slot] && rows_[i].error(k) < b.error(k)) {
          b.error(k) = rows_[i].error(k);
          b.value(k) = rows_[i].value(k);
        }
      }
    return b;
  }

  /// Whether estimates a and b of output k differ by more than both bounds
  /// allow (never for a NaN or an infinite bound).
  static bool contradict(const ArrayEstimate& a, const ArrayEstimate& b, Eigen::Index k) {
    return std::fabs(a.value(k) - b.value(k)) > a.error(k) + b.error(k);
  }

 private:
  std::vector<ArrayEstimate> rows_;
  std::vector<std::vector<bool>> trusted_;
};

}  // namespace detail

/// Extrapolates the samples `sample(i)` (a Sample at step h_0 / ratio^i, all
/// with the same number of outputs) to step zero. Outputs that never get a
/// finite error keep the raw difference at the smallest step that gave a
/// number, with an infinite error.
template <class SampleAt>
ArrayEstimate extrapolate(SampleAt&& sample, const Schedule& schedule) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  constexpr double inf = std::numeric_limits<double>::infinity();
  // No bound below kFloor rounding units of the value: what the roundoff
  // model leaves out (the last bits of a library function, the table's own
  // arithmetic) reached 35 units in forward differences of sin near 0.
  constexpr double kFloor = 64;
  const double r = schedule.ratio;
  // no more columns than rows: a huge `levels` must not allocate for nothing
  const auto levels = static_cast<std::size_t>(std::min(schedule.levels, schedule.max_steps));
  // Column j's error is the term h^(p + j q). factor[j] = r^(p + (j-1) q):
  // column j cancels the term of column j - 1. An entry's distance to the next
  // entry of its column is (1 - r^-(p + j q)) times its error: widen[j] undoes
  // that. Its distance to the previous entry is (r^p - 1) times its error in
  // column 0, less than the error itself when r^p < 2: parent_widen undoes that.
  // Both take a quarter more for the terms after the leading one (with r near
  // 1, sin at 1 needed 0.3% more).
  constexpr double kHigherTerms = 1.25;
  std::vector<double> factor(levels + 1, 1.0), widen(levels + 1);
  for (std::size_t j = 0; j <= levels; ++j) {
    const auto power =
        static_cast<double>(schedule.leading_power + static_cast<int>(j) * schedule.power_step);
    widen[j] = kHigherTerms / (1 - std::pow(r, -power));
    if (j > 0) factor[j] = std::pow(r, power - schedule.power_step);
  }
  const double parent_widen = std::fmax(1.0, kHigherTerms / (std::pow(r, schedule.leading_power) - 1));

  // Per column of the previous and the current row: value, roundoff bound, and
  // the truncation estimate from the entry's parents (and, once the next row
  // exists, from its child).
  struct Column {
    Eigen::ArrayXd value, noise, truncation;
  };
  std::vector<Column> prev, cur;
  Eigen::Index outputs = 0;
  // The best entry per output of a row, with the truncations known so far.
  auto row_best = [&](const std::vector<Column>& row) {
    ArrayEstimate b{Eigen::ArrayXd::Constant(outputs, std::numeric_limits<double>::quiet_NaN()),
                    Eigen::ArrayXd::Constant(outputs, inf)};
    for (const Column& c : row) {
      const Eigen::ArrayXd error = c.truncation + c.noise + eps * c.value.abs();
      for (Eigen::Index k = 0; k < outputs; ++k)
        if (error(k) < b.error(k)) {
          b.error(k) = error(k);
          b.value(k) = c.value(k);
        }
    }
    return b;
  };
  detail::RowRecord record;
  ArrayEstimate best;
  // Rows in a row whose estimate is kWorse times the best one or more, where
  // the best one is converged to kConverged relative (not a run of large
  // steps that only looks smooth: sin at 1e6 sampled 1e5 apart).
  constexpr double kWorse = 1e3;
  constexpr double kConverged = 1e-10;
  // Roundoff may end sampling only once the best estimate is settled to
  // kSettled relative (to the largest output, for an output near zero): an
  // accidental one was 8% (sin at 5.5e8) to 2000% (1/x^2 near 0) of its
  // value, and cancellation inside f can hold an honest one at 1e-9 (the
  // trigonometric test problem).
  constexpr double kSettled = 1e-6;
  // A row may be refuted by a later move only when its estimate has fewer
  // than three digits: roundoff inside f that the model does not see ((1 -
  // cos t) / t^2 at 1e-3) makes the moves at small steps grow, and must not
  // refute an estimate of 7e-8 relative error that the rows before it
  // converged to.
  constexpr double kRefutable = 1e-3;
  int worse_rows = 0;
  // Outputs that are done keep the estimate they had then: rows at smaller
  // steps, whose roundoff inside f the model may not see (an angle of 5e-4
  // added to quantities of size 1), must not outvote them while sampling
  // goes on for the others.
  std::vector<bool> frozen;
  ArrayEstimate kept;
  // Whether no smaller step can improve any output while the newest row
  // agrees with its best estimate: the estimate is at the floor, or the
  // newest row's roundoff alone exceeds a settled estimate, or the last three
  // rows were all far worse than a converged estimate. The last is roundoff
  // the model does not see, such as cancellation inside f: x^4 - 4x^3 + 4x^2
  // rounds to 0 at 2 +- 1e-9, and rows of 0 +- 0 there would outvote f''(2) = 8.
  auto done = [&](const std::vector<Column>& newest) {
    const ArrayEstimate provisional = row_best(newest);
    bool worse = true;
    double largest = 0;
    for (Eigen::Index k = 0; k < outputs; ++k) {
      worse = worse && best.error(k) <= kConverged * std::fabs(best.value(k)) &&
              provisional.error(k) > kWorse * best.error(k);
      if (std::isfinite(best.value(k))) largest = std::fmax(largest, std::fabs(best.value(k)));
    }
    worse_rows = worse ? worse_rows + 1 : 0;
    bool all = true;
    for (Eigen::Index k = 0; k < outputs; ++k) {
      const auto slot = static_cast<std::size_t>(k);
      if (frozen[slot]) continue;
      const bool at_rounding = best.error(k) <= kFloor * eps * std::fabs(best.value(k));
      // Large steps that agree by accident (straddling the pole of tan, or
      // many periods of sin at 1e9) leave a wrong estimate with a bound that
      // every honest row at a smaller step exceeds: only those rows can
      // contradict it, so an estimate that is not settled samples on.
      const bool settled = best.error(k) <= kSettled * std::fmax(std::fabs(best.value(k)), largest);
      const bool too_noisy = settled && newest[0].noise(k) > best.error(k);
      if ((at_rounding || too_noisy || worse_rows >= 3) &&
          !detail::RowRecord::contradict(provisional, best, k)) {
        frozen[slot] = true;
        kept.value(k) = best.value(k);
        kept.error(k) = best.error(k);
      } else {
        all = false;
      }
    }
    return all;
  };
  // Which rows the series in h describes, per output. Where the steps are
  // small enough for it, each raw difference moves r^p times less from the
  // one before than that one did, until roundoff takes over; where they are
  // too large (a log at 1e-300 by forward steps that stop at 1e-17, sin at 1
  // with a first step of 1e100, sin at 1e16 where no step below 4 exists),
  // the differences grow like 1/h and look random, and a bound built from
  // their distances was about as large as each value, which was wrong by
  // orders of magnitude. So a row is trusted only within a run of kRun moves
  // in a row that each shrank by at least sqrt(r^p) or stayed within the
  // model's roundoff (rows that agree as well as they can; within the
  // measured noise as well, 20 + sin(1e6 t), read as noisy, was wrong beyond
  // its bound at every point of 1000 near 1): random moves rarely do
  // that three times running, or five for one-sided differences, whose
  // sqrt(r) is a weaker filter. A NaN move ends a run. (With r = 1.9, sin'
  // at 2000 random points from 1e10 to 1e19 and at 500 first steps from 10
  // to 1e300 was wrong beyond its bound at 5 points of the 10000, and by 12%
  // at most; before, at 15% and 28% of them, by orders of magnitude.)
  const int kRun = schedule.leading_power == 1 ? 5 : 3;
  const double kShrink = std::sqrt(std::pow(r, schedule.leading_power));
  std::vector<std::vector<bool>> asymptotic;
  std::vector<int> run_length, run_start;
  Eigen::ArrayXd previous_move;
  Eigen::ArrayXd raw;
  // The roundoff model's part of the newest raw difference's bound and of
  // the one before's, and whether each row testifies: whether its bound is
  // not mostly f's measured noise. That noise was read near x only and may be
  // far larger where a step reaches ((1 - cos t) / t^2 at 1e-5 is noisier at
  // -6e-6, which x - h is for h = 1.6e-5), so a row whose bound is mostly
  // that noise neither refutes nor contradicts the rows before it (the rows
  // from 0.25 down to 1e-3 agreed on -8.33e-7 and lost to 0.5 +/- 0.13 at
  // h = 8.7e-6).
  Eigen::ArrayXd model_noise, previous_model_noise;
  std::vector<bool> testifies, previous_testifies;
  for (int i = 0; i < schedule.max_steps; ++i) {
    Sample row = sample(i);
    if (i == 0) {
      outputs = row.value.size();
      best = record.best(outputs, asymptotic);
      kept = best;
      frozen.assign(static_cast<std::size_t>(outputs), false);
      run_length.assign(static_cast<std::size_t>(outputs), 0);
      run_start.assign(static_cast<std::size_t>(outputs), 0);
      previous_move = Eigen::ArrayXd::Constant(outputs, std::numeric_limits<double>::quiet_NaN());
    }
    asymptotic.emplace_back(static_cast<std::size_t>(outputs), false);
    require_dimension(row.value.size() == outputs, "numdiff: f returned vectors of different sizes");
    if (i == 0 || row.value.isFinite().any()) raw = row.value;
    const int columns = std::min(i, static_cast<int>(levels)) + 1;
    cur.resize(static_cast<std::size_t>(columns));
    model_noise = row.model_noise.size() == row.noise.size() ? row.model_noise : row.noise;
    testifies.assign(static_cast<std::size_t>(outputs), true);
    for (Eigen::Index k = 0; k < outputs; ++k)
      testifies[static_cast<std::size_t>(k)] = !(row.noise(k) > 2 * model_noise(k));
    cur[0].value = std::move(row.value);
    cur[0].noise = std::move(row.noise);
    for (std::size_t j = 1; j < cur.size(); ++j) {
      const double c = factor[j];
      // T[i][j] = T[i][j-1] + (T[i][j-1] - T[i-1][j-1]) / (c - 1); the roundoff
      // bound follows the same weights in absolute value, plus the rounding of
      // this combination itself (two operations of about |T[i][j]|).
      cur[j].value = cur[j - 1].value + (cur[j - 1].value - prev[j - 1].value) / (c - 1);
      cur[j].noise = (c * cur[j - 1].noise + prev[j - 1].noise) / (c - 1) + 2 * eps * cur[j].value.abs();
    }
    // Truncation of T[i][j]: its distance to its parents T[i][j-1] and T[i-1][j-1]
    // (to T[i-1][0] in column 0), and, once row i+1 exists, to its child T[i+1][j].
    // Asking both sides guards against parents that agree by accident.
    for (std::size_t j = 0; j < cur.size(); ++j) {
      if (i == 0) {
        cur[j].truncation = Eigen::ArrayXd::Constant(outputs, inf);
      } else if (j == 0) {
        cur[0].truncation = parent_widen * (cur[0].value - prev[0].value).abs();
      } else {
        cur[j].truncation =
            (cur[j].value - prev[j - 1].value).abs().max((cur[j].value - cur[j - 1].value).abs());
      }
    }
    if (!prev.empty()) {
      for (std::size_t j = 0; j < prev.size(); ++j)
        prev[j].truncation = prev[j].truncation.max(widen[j] * (cur[j].value - prev[j].value).abs());
      const Eigen::ArrayXd move = (cur[0].value - prev[0].value).abs();
      const Eigen::ArrayXd move_roundoff = 2 * (cur[0].noise + prev[0].noise);
      const Eigen::ArrayXd model_roundoff = 2 * (model_noise + previous_model_noise);
      for (Eigen::Index k = 0; k < outputs; ++k) {
        const auto slot = static_cast<std::size_t>(k);
        if (!std::isfinite(move(k))) {
          run_length[slot] = 0;
        } else if (move(k) <= model_roundoff(k) || kShrink * move(k) <= previous_move(k)) {
          if (run_length[slot] == 0) run_start[slot] = i - 1;
          if (++run_length[slot] >= kRun)
            for (int j = run_start[slot]; j <= i; ++j) asymptotic[static_cast<std::size_t>(j)][slot] = true;
        } else {
          run_length[slot] = 0;
        }
      }
      previous_move = move;
      Eigen::ArrayXd refuting_move = move;
      for (Eigen::Index k = 0; k < outputs; ++k) {
        const auto slot = static_cast<std::size_t>(k);
        if (!testifies[slot] || !previous_testifies[slot]) refuting_move(k) = 0;
      }
      record.refute(refuting_move, move_roundoff, kRefutable);
      record.add(row_best(prev), previous_testifies);
      best = record.best(outputs, asymptotic);
    }
    std::swap(prev, cur);
    previous_model_noise = model_noise;
    previous_testifies = testifies;
    if (done(prev)) break;
  }
  record.add(row_best(prev), previous_testifies);
  best = record.best(outputs, asymptotic);
  for (Eigen::Index k = 0; k < outputs; ++k)
    if (frozen[static_cast<std::size_t>(k)]) {
      best.value(k) = kept.value(k);
      best.error(k) = kept.error(k);
    }
  for (Eigen::Index k = 0; k < outputs; ++k)
    if (!(best.error(k) < inf)) {
      best.value(k) = raw(k);
      best.error(k) = inf;
    } else {
      best.error(k) = std::fmax(best.error(k), kFloor * eps * std::fabs(best.value(k)));
    }
  return best;
}

namespace detail {

/// options.max_steps, or fewer when the steps h0 / ratio^i fall below what x
/// can resolve (a quarter of its rounding unit, or the smallest double) before:
/// every row after that is NaN, and a huge max_steps must not cost time.
inline int useful_steps(double x, double h0, const Options& options) {
  const double smallest = std::fmax(std::fabs(x) * std::numeric_limits<double>::epsilon() / 4,
                                    std::numeric_limits<double>::denorm_min());
  const double steps = std::ceil((std::log(h0) - std::log(smallest)) / std::log(options.step_ratio)) + 2;
  return steps < options.max_steps ? std::max(1, static_cast<int>(steps)) : options.max_steps;
}

/// The first step of the schedule at x: options.initial_step (or the
/// method's default) times max(|x|, 1).
inline double first_step(double x, const Options& options) {
  return options.initial_step.value_or(default_initial_step(options.method)) * step_scale(x);
}

/// The extrapolated difference of one stencil (see extrapolated_difference)
/// over steps from h0 down, for a finite x and a g(x) with a finite output.
template <class G>
ArrayEstimate extrapolated_stencil(G& g, double x, const Stencil& stencil, const Options& options,
                                   Eigen::Index m, const Eigen::ArrayXd* center, const Eigen::ArrayXd* noise,
                                   double h0) {
  Eigen::ArrayXd noise_read;
  if (!noise) {
    noise_read = value_noise(g, x, stencil_side(stencil), *center, m);
    noise = &noise_read;
  }
  double previous_step = 0;
  auto sample = [&](int i) {
    const double h = h0 * std::pow(options.step_ratio, -i);
    const double rounded = representable_step(x, h, stencil.reach());
    // A step that rounds to the previous one repeats its row, and two equal
    // rows look like a converged series: such a row is no information.
    const bool repeated = rounded == previous_step;
    previous_step = rounded;
    // Nor is a step that rounding moved by more than a percent: the table
    // extrapolates as if the steps fell by the ratio, and near the spacing of
    // doubles at x (steps of 4 at x = 1e16, where sin varies within a step)
    // they do not.
    const bool distorted = !(std::fabs(rounded - h) <= 0.01 * h);
    if (!(h > 0) || !std::isfinite(h) || repeated || distorted)
      return Sample{Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
                    Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN())};
    return sample_stencil(g, x, h, stencil, m, center, noise);
  };
  const Schedule schedule{options.step_ratio, stencil.leading_power, stencil.power_step,
                          options.richardson_levels, useful_steps(x, h0, options)};
  return extrapolate(sample, schedule);
}

/// Whether output k has a value at x but no bounded derivative: f is finite
/// at x and the estimate NaN or unbounded (the stencil may have left f's
/// domain).
inline bool unbounded(const ArrayEstimate& e, const Eigen::ArrayXd& center, Eigen::Index k) {
  return !(e.error(k) < std::numeric_limits<double>::infinity()) && std::isfinite(center(k));
}

/// The largest step up to h0 at which every point of `stencil` gives a
/// finite value for the outputs in `wanted` (h0 itself, or a step found by
/// bisecting log h, to a factor 1.2): how far x is from the edge of f's
/// domain, as the stencil sees it. 0 where even the smallest step that x
/// resolves leaves the domain (x on its edge, as sqrt at 0).
template <class G>
double step_inside_domain(G& g, double x, const Stencil& stencil, double h0,
                          const std::vector<bool>& wanted) {
  auto inside = [&](double h) {
    for (int k = 0; k < stencil.size; ++k) {
      if (stencil.offsets[k] == 0) continue;
      const Eigen::ArrayXd y = g(x + stencil.offsets[k] * h);
      for (Eigen::Index o = 0; o < y.size(); ++o)
        if (wanted[static_cast<std::size_t>(o)] && !std::isfinite(y(o))) return false;
    }
    return true;
  };
  // The smallest step whose points differ from x by a whole spacing of doubles.
  double low = std::fmax(std::fabs(x) * std::numeric_limits<double>::epsilon(),
                         std::numeric_limits<double>::denorm_min());
  if (inside(h0)) return h0;
  if (!(low < h0) || !inside(low)) return 0;
  double high = h0;
  constexpr double kBracket = 1.2;
  while (high > kBracket * low) {
    const double middle = std::sqrt(low) * std::sqrt(high);  // no underflow at 1e-320
    if (inside(middle))
      low = middle;
    else
      high = middle;
  }
  return low;
}

/// The extrapolated derivative of g: double -> Eigen::ArrayXd (m outputs) at x
/// with `stencil`, steps relative to max(|x|, 1), and relative to |x| as
/// well where x is below the smallest of those. `center`, when not null, is
/// g(x); `noise`, when not null, is value_noise(g, x, ...), read here otherwise.
///
/// Where the stencil leaves g's domain (g is NaN beyond an edge near x, as
/// log(x) and x^x left of 0), an output's difference is NaN at the large
/// steps, and at every step of the schedule for x = 1e-20 (the schedule
/// stops near 1e-17). An output left without a bound then takes steps from
/// the largest one whose points stay inside the domain, the one-sided
/// stencils too: the series in h that the bound rests on holds only for
/// steps within the distance to the edge, the nearest singularity for
/// log(x) and x^x at 0 (x^x at 5e-18 by forward steps from 0.25 down came
/// out as -34.4 +- 1.6 against -38.8). Where no step stays inside, x is on
/// the edge (sqrt and x^y at 0): an output takes the one-sided stencil of
/// the same order on the side where g is defined (as SciPy's
/// approx_derivative does at a bound), the one-sided derivative with that
/// stencil's error bound where it converges (sqrt at 0, whose one-sided
/// slope grows without bound, stays NaN).
template <class G>
ArrayEstimate extrapolated_difference(G&& g, double x, const Stencil& stencil, const Options& options,
                                      Eigen::Index m, const Eigen::ArrayXd* center = nullptr,
                                      const Eigen::ArrayXd* noise = nullptr) {
  validate(options);
  if (!std::isfinite(x))
    return {Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
            Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::infinity())};
  // f(x) itself, even where the stencil does not use it: at a pole (1/x^2 at
  // 0, where the central difference is 0 at every step) or outside f's domain
  // there is no derivative, and the output is NaN with an infinite error.
  Eigen::ArrayXd center_value;
  if (!center) {
    center_value = g(x);
    require_dimension(center_value.size() == m, "numdiff: f returned vectors of different sizes");
    center = &center_value;
  }
  if (!center->isFinite().any())
    return {Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::quiet_NaN()),
            Eigen::ArrayXd::Constant(m, std::numeric_limits<double>::infinity())};
  const double h0 = first_step(x, options);
  ArrayEstimate e = extrapolated_stencil(g, x, stencil, options, m, center, noise, h0);
  // The steps relative to max(|x|, 1) stop near 1e-17 (max_steps of them):
  // below that |x| they never resolve f at the scale of x, and see f about
  // 0 instead, where an even f (1/x^2 at 1e-40, hypot(x, 1e-300) at 1e-300)
  // has a central difference of 0 at every one of them. Steps relative to
  // |x| are taken as well; where the two estimates contradict each other,
  // the smaller steps win, as the series in h holds as h goes to 0, and
  // elsewhere the estimate with the smaller bound. Where those give no
  // bound (1/x^2 at 1e-130, whose slope overflows), neither is there one.
  const double smallest_step = h0 * std::pow(options.step_ratio, 1 - useful_steps(x, h0, options));
  if (x != 0 && std::fabs(x) < smallest_step) {
    const ArrayEstimate near =
        extrapolated_stencil(g, x, stencil, options, m, center, noise, h0 / step_scale(x) * std::fabs(x));
    for (Eigen::Index k = 0; k < m; ++k)
      if (!(near.error(k) < std::numeric_limits<double>::infinity()) || RowRecord::contradict(e, near, k) ||
          near.error(k) < e.error(k)) {
        e.value(k) = near.value(k);
        e.error(k) = near.error(k);
      }
  }
  std::vector<bool> lost(static_cast<std::size_t>(m));
  auto any_lost = [&] {
    bool any = false;
    for (Eigen::Index k = 0; k < m; ++k) {
      lost[static_cast<std::size_t>(k)] = unbounded(e, *center, k);
      any = any || lost[static_cast<std::size_t>(k)];
    }
    return any;
  };
  // Replaces the lost outputs' estimates by the ones of `other` that have a bound.
  auto take_lost = [&](const ArrayEstimate& other) {
    for (Eigen::Index k = 0; k < m; ++k)
      if (lost[static_cast<std::size_t>(k)] && other.error(k) < std::numeric_limits<double>::infinity()) {
        e.value(k) = other.value(k);
        e.error(k) = other.error(k);
      }
  };
  if (any_lost()) {
    const double h_inside = step_inside_domain(g, x, stencil, h0, lost);
    if (h_inside == h0) {
      // every step was inside: the difference has no bound for another reason
    } else if (h_inside > 0) {
      // x is inside the domain: steps within it, the one-sided ones too.
      take_lost(extrapolated_stencil(g, x, stencil, options, m, center, noise, h_inside));
      if (stencil_side(stencil) == Side::both)
        for (const Method one_sided : {Method::forward, Method::backward}) {
          if (!any_lost()) break;
          take_lost(extrapolated_stencil(g, x, stencil_for(one_sided, stencil.order), options, m, center,
                                         nullptr, h_inside));
        }
    } else if (stencil_side(stencil) == Side::both) {
      for (const Method one_sided : {Method::forward, Method::backward}) {
        if (!any_lost()) break;
        // Its own noise reading, on its side: the two-sided one read NaNs.
        take_lost(extrapolated_stencil(g, x, stencil_for(one_sided, stencil.order), options, m, center,
                                       nullptr, h0));
      }
    }
  }
  for (Eigen::Index k = 0; k < m; ++k)
    if (!std::isfinite((*center)(k))) {
      e.value(k) = std::numeric_limits<double>::quiet_NaN();
      e.error(k) = std::numeric_limits<double>::infinity();
    }
  return e;
}

}  // namespace detail
}  // namespace nabla::numdiff
