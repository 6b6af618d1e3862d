// Contour lines by marching squares: f sampled on a regular grid over a
// 2-D box, the crossings of each level interpolated linearly on the grid's
// edges, the ambiguous saddle cells decided by the value at the cell's
// centre (the mean of its corners), and the segments joined into polylines
// (closed ones end where they begin). Cells with a NaN or infinite corner are
// skipped. Also the automatic choice of levels.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace nabla::plot {

/// f sampled at nx * ny grid points: value(i, j) = f(x_i, y_j) with
/// x_i = x0 + i (x1 - x0)/(nx - 1), likewise y_j.
struct Samples {
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  int nx = 0, ny = 0;
  std::vector<double> values;  ///< row-major by j: values[j * nx + i]

  // the fraction first: (x1 - x0) i overflows for a box as wide as 0:1e308
  double x(int i) const { return std::lerp(x0, x1, static_cast<double>(i) / (nx - 1)); }
  double y(int j) const { return std::lerp(y0, y1, static_cast<double>(j) / (ny - 1)); }
  double value(int i, int j) const { return values[static_cast<std::size_t>(j) * nx + i]; }
};

/// Samples f over [x0, x1] x [y0, y1] (nx, ny >= 2; throws DomainError otherwise).
Samples sample(const std::function<double(const Eigen::Vector2d&)>& f, double x0, double x1, double y0,
               double y1, int nx, int ny);

/// The contour lines of the samples at `level`, as polylines in the box's
/// coordinates.
std::vector<std::vector<Eigen::Vector2d>> contour_lines(const Samples& samples, double level);

/// How automatic levels are spread.
enum class LevelSpacing : std::uint8_t {
  Quantile,  ///< at quantiles of the sampled values: lines where f has its detail
  Nice,      ///< at nice numbers evenly over the range of the values
};

/// About `count` increasing levels strictly inside the range of the finite
/// samples (empty when there are none or f is constant).
std::vector<double> automatic_levels(const Samples& samples, int count, LevelSpacing spacing);

}  // namespace nabla::plot
