// Optimizer paths and critical points on a contour plot. Paths are clipped
// (Liang-Barsky) to a rectangle a little larger than the plot area, so a
// diverging optimizer's far iterates never put huge numbers in the SVG.
#include <algorithm>
#include <cmath>

#include "frame.hpp"

namespace nabla::plot::detail {
namespace {

struct Rect {
  double x0, y0, x1, y1;
};

/// The part of segment a-b inside r, if any (Liang-Barsky).
bool clip_segment(Eigen::Vector2d& a, Eigen::Vector2d& b, const Rect& r) {
  const Eigen::Vector2d d = b - a;
  double t0 = 0, t1 = 1;
  const double p[4] = {-d.x(), d.x(), -d.y(), d.y()};
  const double q[4] = {a.x() - r.x0, r.x1 - a.x(), a.y() - r.y0, r.y1 - a.y()};
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0) {
      if (q[k] < 0) return false;
      continue;
    }
    const double t = q[k] / p[k];
    if (p[k] < 0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  const Eigen::Vector2d start = a;
  a = start + t0 * d;
  b = start + t1 * d;
  return true;
}

/// The visible stretches of a polyline in pixels.
std::vector<std::vector<Eigen::Vector2d>> clip_polyline(const std::vector<Eigen::Vector2d>& pixels,
                                                        const Rect& r) {
  std::vector<std::vector<Eigen::Vector2d>> pieces;
  std::vector<Eigen::Vector2d> current;
  auto flush = [&] {
    if (current.size() >= 2) pieces.push_back(current);
    current.clear();
  };
  for (std::size_t k = 1; k < pixels.size(); ++k) {
    Eigen::Vector2d a = pixels[k - 1], b = pixels[k];
    if (!a.allFinite() || !b.allFinite() || !clip_segment(a, b, r)) {
      flush();
      continue;
    }
    if (current.empty() || (current.back() - a).norm() > 1e-9) {
      flush();
      current.push_back(a);
    }
    current.push_back(b);
    if (b != pixels[k]) flush();  // left the rectangle
  }
  flush();
  return pieces;
}

bool inside(const Eigen::Vector2d& p, const Rect& r) {
  return p.allFinite() && p.x() >= r.x0 && p.x() <= r.x1 && p.y() >= r.y0 && p.y() <= r.y1;
}

}  // namespace

void draw_paths(Svg& svg, const Frame& f, const std::vector<Path>& paths) {
  const Rect area{f.left - 20, f.top - 20, f.left + f.width + 20, f.top + f.height + 20};
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const std::string colour(series_colour(k));
    std::vector<Eigen::Vector2d> pixels;
    for (const Eigen::Vector2d& p : paths[k].points) pixels.emplace_back(f.px(p.x()), f.py(p.y()));
    const std::string name = escape_xml(paths[k].name);
    // earlier paths drawn wider, so a path that follows another stays visible under it
    const double width = std::min(5.0, 2.0 + 1.2 * static_cast<double>(paths.size() - 1 - k));
    std::string attributes = "class=\"path\" data-name=\"";
    attributes += name;
    attributes += "\" fill=\"none\" stroke=\"";
    attributes += colour;
    attributes += "\" stroke-width=\"";
    attributes += format_coordinate(width);
    attributes += "\" stroke-linejoin=\"round\" stroke-opacity=\"0.9\"";
    for (const auto& piece : clip_polyline(pixels, area)) svg.polyline(piece, attributes);
    if (pixels.size() <= 60)
      for (std::size_t i = 1; i + 1 < pixels.size(); ++i)
        if (inside(pixels[i], area)) svg.circle(pixels[i].x(), pixels[i].y(), 2.2, "fill=\"" + colour + "\"");
    if (!pixels.empty() && inside(pixels.front(), area))
      svg.circle(pixels.front().x(), pixels.front().y(), 4.5,
                 "class=\"path-start\" fill=\"#ffffff\" stroke=\"" + colour + "\" stroke-width=\"2\"");
    if (pixels.size() > 1 && inside(pixels.back(), area))
      svg.circle(pixels.back().x(), pixels.back().y(), 4,
                 "class=\"path-end\" fill=\"" + colour + "\" stroke=\"#ffffff\" stroke-width=\"1\"");
  }
}

Shape shape_of(analysis::CriticalKind kind) {
  switch (kind) {
    case analysis::CriticalKind::Minimum:
      return Shape::Circle;
    case analysis::CriticalKind::Maximum:
      return Shape::Triangle;
    case analysis::CriticalKind::Saddle:
      return Shape::Diamond;
    case analysis::CriticalKind::Inconclusive:
      return Shape::Square;
  }
  return Shape::Square;
}

void draw_critical_points(Svg& svg, const Frame& f, const std::vector<analysis::CriticalPoint>& points) {
  const Rect area{f.left, f.top, f.left + f.width, f.top + f.height};
  for (const analysis::CriticalPoint& p : points) {
    if (p.x.size() != 2) continue;
    const Eigen::Vector2d at(f.px(p.x[0]), f.py(p.x[1]));
    if (!inside(at, area)) continue;
    draw_marker(svg, shape_of(p.kind), at.x(), at.y(), 6,
                "class=\"critical " + std::string(analysis::to_string(p.kind)) +
                    "\" fill=\"#ffffff\" stroke=\"#111111\" stroke-width=\"1.8\"");
  }
}

}  // namespace nabla::plot::detail
