// Nice ticks (Heckbert's "nice numbers" for graph labels) and their labels:
// one notation and precision per axis, the least that tells the ticks apart.
#include "nabla/plot/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nabla::plot {

double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double fraction = x / std::pow(10.0, exponent);
  double nice;
  if (round)
    nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
  else
    nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * std::pow(10.0, exponent);
}

namespace {

/// The largest nice number (1, 2 or 5 times a power of ten) not above x > 0.
double nice_number_below(double x) {
  const double power = std::pow(10.0, std::floor(std::log10(x)));
  for (double mantissa : {5.0, 2.0})
    if (mantissa * power <= x) return mantissa * power;
  return power;
}

/// The multiples of step inside [lo, hi].
std::vector<double> multiples(double lo, double hi, double step) {
  std::vector<double> ticks;
  if (!(step > 0) || !std::isfinite(step)) return ticks;
  const double first = std::ceil(lo / step - 1e-9);
  for (double k = first; ticks.size() < 1000; ++k) {
    const double t = k * step;
    // t - hi, not hi + 1e-9 step: that is inf for hi near 1.8e308, and every
    // further multiple (inf) was a tick
    if (!(t - hi <= 1e-9 * step)) break;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (!std::isfinite(hi - lo)) {  // wider than the doubles reach: a tenth of it, scaled back
    std::vector<double> ticks = nice_ticks(lo / 10, hi / 10, target);
    for (double& t : ticks) t *= 10;
    return ticks;
  }
  std::vector<double> ticks = multiples(lo, hi, nice_number((hi - lo) / std::max(1, target - 1), true));
  // A nice step near the whole width may fit once (0.2 in [0.11, 0.29]); one
  // of at most half the width fits at least twice.
  if (ticks.size() < 2) ticks = multiples(lo, hi, nice_number_below(0.5 * (hi - lo)));
  return ticks;
}

namespace {

/// v with `decimals` digits after the point.
std::string fixed_label(double v, int decimals) {
  char buffer[400];  // %.20f of DBL_MAX takes 330
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  std::string s = buffer;
  if (s.rfind("-0", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

/// v in exponent notation with `digits` significant digits, the mantissa's
/// trailing zeros dropped (1e+06, 2.5e-07); zero is "0", inf "inf".
std::string exponent_label(double v, int digits) {
  if (v == 0) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*e", digits - 1, v);
  std::string s = buffer;
  const std::size_t e = s.find('e');
  if (e == std::string::npos) return s;  // inf, nan
  std::size_t end = e;
  if (s.find('.') < e) {
    while (s[end - 1] == '0') --end;
    if (s[end - 1] == '.') --end;
  }
  return s.erase(end, e - end);
}

/// Labels of `values` at the least precision that puts each within a
/// hundredth of `step` of its value, so that ticks `step` apart read as
/// distinct, increasing numbers; empty when `precision` runs out first.
template <class Format>
std::vector<std::string> labels_at_least_precision(const std::vector<double>& values, double step, int first,
                                                   int last, Format format) {
  for (int precision = first; precision <= last; ++precision) {
    std::vector<std::string> labels;
    for (double v : values) {
      std::string label = format(v, precision);
      if (!(std::fabs(std::strtod(label.c_str(), nullptr) - v) <= 0.01 * step)) break;
      labels.push_back(std::move(label));
    }
    if (labels.size() == values.size()) return labels;
  }
  return {};
}

std::size_t longest(const std::vector<std::string>& labels) {
  std::size_t n = 0;
  for (const std::string& s : labels) n = std::max(n, s.size());
  return n;
}

/// The labels of `values` on an axis with spacing `step` (see tick_labels).
std::vector<std::string> labels_for_step(const std::vector<double>& values, double step) {
  if (values.empty()) return {};
  // the fixed labels show the step's own decimals too ("0.0 0.5 1.0")
  std::vector<double> with_step = values;
  with_step.push_back(step);
  std::vector<std::string> fixed = labels_at_least_precision(with_step, step, 0, 20, fixed_label);
  if (!fixed.empty()) fixed.pop_back();
  const std::vector<std::string> exponent = labels_at_least_precision(values, step, 1, 17, exponent_label);
  double magnitude = 0;
  for (double v : values) magnitude = std::max(magnitude, std::fabs(v));
  const bool fixed_usual = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e6);
  if (fixed.empty() && exponent.empty()) {  // a value or step that is not finite
    std::vector<std::string> exact;
    for (double v : values) exact.push_back(exponent_label(v, 17));
    return exact;
  }
  if (fixed.empty()) return exponent;
  if (exponent.empty()) return fixed;
  // the usual notation for the magnitude, unless the other is much shorter
  // (1000000.5 rather than 1.0000005e+06)
  if (fixed_usual) return longest(exponent) + 2 < longest(fixed) ? exponent : fixed;
  return longest(fixed) + 2 < longest(exponent) ? fixed : exponent;
}

}  // namespace

std::string format_tick(double value, double step) {
  if (!(step > 0) || !std::isfinite(step)) step = value != 0 ? std::fabs(value) : 1;
  const std::vector<std::string> labels = labels_for_step({value}, step);
  return labels.empty() ? std::string() : labels[0];
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
  if (ticks.size() < 2)
    return ticks.empty() ? std::vector<std::string>{} : std::vector{format_tick(ticks[0], 0)};
  return labels_for_step(ticks, ticks[1] - ticks[0]);
}

std::vector<double> log_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(lo > 0) || !(lo < hi) || !std::isfinite(hi)) return ticks;
  const double first = std::ceil(std::log10(lo) - 1e-9), last = std::floor(std::log10(hi) + 1e-9);
  if (last - first < 1) return nice_ticks(lo, hi, target);
  const double stride = std::ceil((last - first + 1) / std::max(1, target));
  for (double k = first; k <= last; k += stride) ticks.push_back(std::pow(10.0, k));
  return ticks;
}

}  // namespace nabla::plot
