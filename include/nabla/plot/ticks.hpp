// Axis ticks at nice numbers (1, 2 or 5 times a power of ten) on linear
// axes and at powers of ten on logarithmic ones, and their labels.
#pragma once

#include <string>
#include <vector>

namespace nabla::plot {

/// The nice number (1, 2, 5 or 10 times a power of ten) nearest x > 0 when
/// round, else the smallest not below x.
double nice_number(double x, bool round);

/// About `target` ticks at multiples of a nice step inside [lo, hi]
/// (lo < hi, finite, hi - lo may overflow); at least two unless the interval
/// is tiny.
std::vector<double> nice_ticks(double lo, double hi, int target);

/// The label of a tick on an axis with spacing `step`: within a hundredth of
/// the step of `value`, with as few digits as that needs (the decimals of the
/// step itself in fixed notation), in exponent notation for very large or
/// small magnitudes unless fixed notation is much shorter.
std::string format_tick(double value, double step);

/// The labels of evenly spaced ticks, in one notation and precision: the
/// least that keeps each within a hundredth of the spacing of its tick, so
/// they read as distinct increasing numbers (999999.5 1000000.0 1000000.5,
/// not 1e+06 1e+06 1e+06).
std::vector<std::string> tick_labels(const std::vector<double>& ticks);

/// Ticks of a logarithmic axis over [lo, hi] (0 < lo < hi): the powers of
/// ten inside it (thinned to about `target`), or nice linear ticks when the
/// range is less than a decade.
std::vector<double> log_ticks(double lo, double hi, int target);

}  // namespace nabla::plot
