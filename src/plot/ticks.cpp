// Nice ticks (Heckbert's "nice numbers" for graph labels) and their labels.
#include "nabla/plot/ticks.hpp"

#include <cmath>
#include <cstdio>

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
  for (double k = first; k * step <= hi + 1e-9 * step && ticks.size() < 1000; ++k) {
    const double t = k * step;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo)) return {};
  std::vector<double> ticks = multiples(lo, hi, nice_number((hi - lo) / std::max(1, target - 1), true));
  // A nice step near the whole width may fit once (0.2 in [0.11, 0.29]); one
  // of at most half the width fits at least twice.
  if (ticks.size() < 2) ticks = multiples(lo, hi, nice_number_below(0.5 * (hi - lo)));
  return ticks;
}

std::string format_tick(double value, double step) {
  char buffer[64];
  const double magnitude = std::fmax(std::fabs(value), std::fabs(step));
  if (value != 0 && (magnitude >= 1e6 || magnitude < 1e-4)) {
    std::snprintf(buffer, sizeof buffer, "%.3g", value);
  } else {
    const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
    std::snprintf(buffer, sizeof buffer, "%.*f", std::min(decimals, 10), value);
  }
  std::string s = buffer;
  if (s.rfind("-0", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
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
