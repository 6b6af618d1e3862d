// Thinning polylines to the pixel (see thin.hpp).
#include "thin.hpp"

#include <algorithm>
#include <cmath>

namespace nabla::plot::detail {
namespace {

bool same_pixel(const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
  return std::floor(a.x()) == std::floor(b.x()) && std::floor(a.y()) == std::floor(b.y());
}

}  // namespace

std::vector<Eigen::Vector2d> thin_path(const std::vector<Eigen::Vector2d>& pixels) {
  std::vector<Eigen::Vector2d> kept;
  for (std::size_t first = 0; first < pixels.size();) {
    std::size_t last = first;
    while (last + 1 < pixels.size() && same_pixel(pixels[last + 1], pixels[first])) ++last;
    kept.push_back(pixels[first]);
    if (last != first) kept.push_back(pixels[last]);
    first = last + 1;
  }
  return kept;
}

std::vector<Eigen::Vector2d> thin_curve(const std::vector<Eigen::Vector2d>& pixels) {
  std::vector<Eigen::Vector2d> kept;
  for (std::size_t first = 0; first < pixels.size();) {
    const double column = std::floor(pixels[first].x());
    std::size_t last = first, lowest = first, highest = first;
    while (last + 1 < pixels.size() && std::floor(pixels[last + 1].x()) == column) {
      ++last;
      if (pixels[last].y() < pixels[lowest].y()) lowest = last;
      if (pixels[last].y() > pixels[highest].y()) highest = last;
    }
    std::size_t order[4] = {first, std::min(lowest, highest), std::max(lowest, highest), last};
    const std::size_t* end = std::unique(order, order + 4);
    for (const std::size_t* k = order; k != end; ++k) kept.push_back(pixels[*k]);
    first = last + 1;
  }
  return kept;
}

}  // namespace nabla::plot::detail
