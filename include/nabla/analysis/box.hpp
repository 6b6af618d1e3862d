// A box in R^n, one closed interval [lo, hi] per dimension: where the
// analysis looks for critical points, samples convexity and where the
// pictures draw. Also the point sets spread over it (a grid, and a seeded,
// shifted Halton sequence) that the multi-start searches begin from.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace nabla::analysis {

/// The box [lo_0, hi_0] x ... x [lo_{n-1}, hi_{n-1}].
struct Box {
  Eigen::VectorXd lo;
  Eigen::VectorXd hi;

  Box() = default;
  /// From the corners; throws DimensionError or DomainError unless both have
  /// the same size and lo <= hi is finite in every dimension, with a finite
  /// width hi - lo.
  Box(Eigen::VectorXd lo_corner, Eigen::VectorXd hi_corner);
  /// One {lo, hi} pair per dimension: Box{{-3, 3}, {-2, 2}}.
  Box(std::initializer_list<std::pair<double, double>> intervals);

  /// The number of dimensions.
  Eigen::Index dimension() const { return lo.size(); }
  /// hi - lo.
  Eigen::VectorXd widths() const { return hi - lo; }
  /// The length of the diagonal.
  double diagonal() const { return (hi - lo).stableNorm(); }
  /// Whether x lies in the box, each bound widened by slack times its width.
  bool contains(const Eigen::VectorXd& x, double slack = 0.0) const;
};

/// The fewest rounding units of its bounds (eps max(|lo|, |hi|)) a
/// dimension of a search box must span.
inline constexpr double kResolvedWidth = 1e4;

/// Throws DomainError, naming `who`, when a dimension of the box is a
/// single point (lo = hi) or spans fewer than kResolvedWidth rounding units
/// of its bounds: a search that looks around its points a thousandth of the
/// box away would look nowhere there, or only a few doubles away (over
/// 1 : 1 + 2^-52 every point looked exactly flat).
void require_widths(const Box& box, const char* who);

/// How the starting points of a multi-start search are spread over the box.
enum class Starts : std::uint8_t {
  Grid,    ///< a regular grid, the same number of points per dimension
  Halton,  ///< a Halton sequence shifted by a seeded random offset (Cranley-Patterson)
};

/// About `count` points spread over the box: a grid of
/// floor(count^(1/n)) points per dimension (cell centres, corners excluded,
/// so a symmetric box does not start on its own centre line only), or the
/// first `count` points of a shifted Halton sequence drawn with `seed`, also
/// for Starts::Grid where the grid would have fewer than two points per
/// dimension (400 points in 9 dimensions or more).
std::vector<Eigen::VectorXd> spread_points(const Box& box, int count, Starts starts, std::uint64_t seed);

}  // namespace nabla::analysis
