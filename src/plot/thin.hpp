// Private to src/plot: fewer points for polylines of very many (a million
// iterations make a file of megabytes that viewers choke on), drawing the
// same pixels.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace nabla::plot::detail {

/// A polyline in pixels with each run of consecutive points inside one pixel
/// cut to the run's first and last point: the segments between them stayed
/// inside that pixel, and so does the one that replaces them.
std::vector<Eigen::Vector2d> thin_path(const std::vector<Eigen::Vector2d>& pixels);

/// A curve in pixels whose x never decreases (a loss curve) cut to at most
/// four points per pixel column, in their order: the first, the lowest, the
/// highest and the last. The curve enters and leaves the column where it did
/// and covers the same span of it.
std::vector<Eigen::Vector2d> thin_curve(const std::vector<Eigen::Vector2d>& pixels);

}  // namespace nabla::plot::detail
