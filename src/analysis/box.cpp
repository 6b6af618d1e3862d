// Boxes and the point sets spread over them: a regular grid of cell centres
// and a Halton sequence with a seeded Cranley-Patterson shift.
#include "nabla/analysis/box.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::analysis {

namespace {
/// v in the fewest digits that read back as v.
std::string shortest(double v) {
  char text[32];
  const auto [end, error] = std::to_chars(text, text + sizeof text, v);
  return error == std::errc() ? std::string(text, end) : std::string("?");
}
}  // namespace

Box::Box(Eigen::VectorXd lo_corner, Eigen::VectorXd hi_corner)
    : lo(std::move(lo_corner)), hi(std::move(hi_corner)) {
  if (lo.size() != hi.size())
    throw DimensionError("Box: lo has " + std::to_string(lo.size()) + " entries but hi has " +
                         std::to_string(hi.size()));
  for (Eigen::Index i = 0; i < lo.size(); ++i) {
    if (!std::isfinite(lo[i]) || !std::isfinite(hi[i]) || !(lo[i] <= hi[i])) {
      throw DomainError("Box: dimension " + std::to_string(i) + " is " + shortest(lo[i]) + " : " +
                        shortest(hi[i]) + "; a box needs finite bounds with lo <= hi");
    }
    if (!std::isfinite(hi[i] - lo[i]))
      throw DomainError("Box: dimension " + std::to_string(i) + " is wider than the largest double");
  }
}

namespace {
Eigen::VectorXd column(std::initializer_list<std::pair<double, double>> intervals, bool upper) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(intervals.size()));
  Eigen::Index i = 0;
  for (const auto& [a, b] : intervals) v[i++] = upper ? b : a;
  return v;
}
}  // namespace

Box::Box(std::initializer_list<std::pair<double, double>> intervals)
    : Box(column(intervals, false), column(intervals, true)) {}

void require_widths(const Box& box, const char* who) {
  for (Eigen::Index i = 0; i < box.dimension(); ++i) {
    const std::string dimension = std::string(who) + ": dimension " + std::to_string(i) + " of the box ";
    if (!(box.lo[i] < box.hi[i]))
      throw DomainError(dimension + "is a single point (lo = hi); the search needs lo < hi");
    const double rounding =
        std::numeric_limits<double>::epsilon() * std::fmax(std::fabs(box.lo[i]), std::fabs(box.hi[i]));
    const double units = (box.hi[i] - box.lo[i]) / rounding;
    if (units < kResolvedWidth) {
      char spans[32];
      std::snprintf(spans, sizeof spans, "%.2g", units);
      throw DomainError(dimension + "spans " + spans + " rounding units of its bounds; the search needs " +
                        std::to_string(static_cast<int>(kResolvedWidth)) +
                        " or more, to look a thousandth of the box around its points");
    }
  }
}

bool Box::contains(const Eigen::VectorXd& x, double slack) const {
  if (x.size() != lo.size()) return false;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double pad = slack * (hi[i] - lo[i]);
    if (!(x[i] >= lo[i] - pad && x[i] <= hi[i] + pad)) return false;
  }
  return true;
}

namespace {

std::vector<int> first_primes(Eigen::Index n) {
  std::vector<int> primes;
  for (int candidate = 2; static_cast<Eigen::Index>(primes.size()) < n; ++candidate) {
    bool prime = true;
    for (int p : primes) {
      if (p * p > candidate) break;
      if (candidate % p == 0) prime = false;
    }
    if (prime) primes.push_back(candidate);
  }
  return primes;
}

/// The radical inverse of i in base b: the digits of i mirrored after the point.
double radical_inverse(long long i, int b) {
  double result = 0, scale = 1.0 / b;
  for (; i > 0; i /= b, scale /= b) result += static_cast<double>(i % b) * scale;
  return result;
}

std::vector<Eigen::VectorXd> grid_points(const Box& box, int count) {
  const Eigen::Index n = box.dimension();
  const int k =
      std::max(1, static_cast<int>(std::floor(std::pow(count, 1.0 / static_cast<double>(n)) + 1e-9)));
  long long total = 1;
  for (Eigen::Index d = 0; d < n; ++d) total *= k;
  std::vector<Eigen::VectorXd> points;
  points.reserve(static_cast<std::size_t>(total));
  for (long long index = 0; index < total; ++index) {
    Eigen::VectorXd x(n);
    long long rest = index;
    for (Eigen::Index d = 0; d < n; ++d, rest /= k)
      x[d] = box.lo[d] + (static_cast<double>(rest % k) + 0.5) / k * (box.hi[d] - box.lo[d]);
    points.push_back(std::move(x));
  }
  return points;
}

std::vector<Eigen::VectorXd> halton_points(const Box& box, int count, std::uint64_t seed) {
  const Eigen::Index n = box.dimension();
  const std::vector<int> primes = first_primes(n);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Eigen::VectorXd shift(n);
  for (Eigen::Index d = 0; d < n; ++d) shift[d] = uniform(rng);
  std::vector<Eigen::VectorXd> points;
  points.reserve(static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) {
    Eigen::VectorXd x(n);
    for (Eigen::Index d = 0; d < n; ++d) {
      double u = radical_inverse(i, primes[static_cast<std::size_t>(d)]) + shift[d];
      u -= std::floor(u);
      x[d] = box.lo[d] + u * (box.hi[d] - box.lo[d]);
    }
    points.push_back(std::move(x));
  }
  return points;
}

}  // namespace

std::vector<Eigen::VectorXd> spread_points(const Box& box, int count, Starts starts, std::uint64_t seed) {
  if (box.dimension() == 0) throw DimensionError("spread_points: the box has no dimension");
  if (count < 1) throw DomainError("spread_points: the number of points must be at least 1");
  // A grid of one point per dimension (400 starts in 9 dimensions or more)
  // would be a single start at the centre.
  const bool grid_has_pairs = std::pow(count, 1.0 / static_cast<double>(box.dimension())) + 1e-9 >= 2;
  return starts == Starts::Grid && grid_has_pairs ? grid_points(box, count) : halton_points(box, count, seed);
}

}  // namespace nabla::analysis
