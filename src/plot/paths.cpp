// Optimizer paths and critical points on a contour plot. Paths are clipped
// (Liang-Barsky, in data coordinates) to a rectangle a little larger than the
// plot area, so a diverging optimizer's far iterates never put huge numbers
// in the SVG, and its segments towards them are drawn up to the edge.
#include <algorithm>
#include <cmath>
#include <limits>

#include "frame.hpp"
#include "thin.hpp"

namespace nabla::plot::detail {
namespace {

struct Rect {
  double x0, y0, x1, y1;
};

/// The part of segment a-b inside r, if any (Liang-Barsky). It works on
/// quarters of the coordinates, so that b - a cannot overflow for finite
/// points (-1e308 to 1e308), and an end inside r stays exactly as it was.
/// A clipped end is a + t (b - a), which rounding knows to about eps |a|
/// (a the end nearer the origin, see clip_segment): where that is more than
/// `resolution` (half a pixel in data units) the segment is not drawn, as
/// where it crosses r is not known. A diverging gradient descent jumping
/// from 1e20 to -2e21 across the plot was drawn as dozens of zero-length
/// strokes at the origin.
bool clip_from(Eigen::Vector2d& a, Eigen::Vector2d& b, const Rect& r, double resolution) {
  const Eigen::Vector2d qa = 0.25 * a, d = 0.25 * b - qa;
  double t0 = 0, t1 = 1;
  const double p[4] = {-d.x(), d.x(), -d.y(), d.y()};
  const double q[4] = {qa.x() - 0.25 * r.x0, 0.25 * r.x1 - qa.x(), qa.y() - 0.25 * r.y0,
                       0.25 * r.y1 - qa.y()};
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
  if ((t0 > 0 || t1 < 1) && 8 * std::numeric_limits<double>::epsilon() * a.cwiseAbs().maxCoeff() > resolution)
    return false;
  const Eigen::Vector2d start = a;
  if (t0 > 0) a = start + 4 * (t0 * d);
  if (t1 < 1) b = start + 4 * (t1 * d);
  return true;
}

/// clip_from, measured from the end of smaller coordinates: from a point
/// inside r to one at 1e300, the way in is known to a pixel.
bool clip_segment(Eigen::Vector2d& a, Eigen::Vector2d& b, const Rect& r, double resolution) {
  if (b.cwiseAbs().maxCoeff() >= a.cwiseAbs().maxCoeff()) return clip_from(a, b, r, resolution);
  return clip_from(b, a, r, resolution);
}

/// The visible stretches of a path in pixels, clipped in data coordinates:
/// mapped to pixels first, a far but finite point (1e307) became inf and its
/// segments vanished.
std::vector<std::vector<Eigen::Vector2d>> clip_path(const std::vector<Eigen::Vector2d>& points, const Rect& r,
                                                    const Frame& f) {
  const double resolution = 0.5 * std::min((f.x1 - f.x0) / f.width, (f.y1 - f.y0) / f.height);
  std::vector<std::vector<Eigen::Vector2d>> pieces;
  std::vector<Eigen::Vector2d> current;
  auto flush = [&] {
    if (current.size() >= 2) {
      for (Eigen::Vector2d& p : current) p = {f.px(p.x()), f.py(p.y())};
      pieces.push_back(current);
    }
    current.clear();
  };
  for (std::size_t k = 1; k < points.size(); ++k) {
    Eigen::Vector2d a = points[k - 1], b = points[k];
    if (!a.allFinite() || !b.allFinite() || !clip_segment(a, b, r, resolution)) {
      flush();
      continue;
    }
    if (!current.empty() && current.back() != a) flush();
    if (current.empty()) current.push_back(a);
    current.push_back(b);
    if (b != points[k]) flush();  // left the rectangle
  }
  flush();
  return pieces;
}

bool inside(const Eigen::Vector2d& p, const Rect& r) {
  return p.allFinite() && p.x() >= r.x0 && p.x() <= r.x1 && p.y() >= r.y0 && p.y() <= r.y1;
}

/// The plot area widened by `margin` pixels on each side, in data coordinates.
Rect data_area(const Frame& f, double margin) {
  const double mx = margin * ((f.x1 - f.x0) / f.width), my = margin * ((f.y1 - f.y0) / f.height);
  return {f.x0 - mx, f.y0 - my, f.x1 + mx, f.y1 + my};
}

}  // namespace

void draw_paths(Svg& svg, const Frame& f, const std::vector<Path>& paths) {
  const Rect area = data_area(f, 20);
  for (std::size_t k = 0; k < paths.size(); ++k) {
    const std::string colour(series_colour(k));
    const std::vector<Eigen::Vector2d>& points = paths[k].points;
    const auto pixel = [&f](const Eigen::Vector2d& p) { return Eigen::Vector2d(f.px(p.x()), f.py(p.y())); };
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
    for (const auto& piece : clip_path(points, area, f)) svg.polyline(thin_path(piece), attributes);
    if (points.size() <= 60)
      for (std::size_t i = 1; i + 1 < points.size(); ++i)
        if (inside(points[i], area)) {
          const Eigen::Vector2d at = pixel(points[i]);
          svg.circle(at.x(), at.y(), 2.2, "fill=\"" + colour + "\"");
        }
    if (!points.empty() && inside(points.front(), area)) {
      const Eigen::Vector2d at = pixel(points.front());
      svg.circle(at.x(), at.y(), 4.5,
                 "class=\"path-start\" fill=\"#ffffff\" stroke=\"" + colour + "\" stroke-width=\"2\"");
    }
    if (points.size() > 1 && inside(points.back(), area)) {
      const Eigen::Vector2d at = pixel(points.back());
      svg.circle(at.x(), at.y(), 4,
                 "class=\"path-end\" fill=\"" + colour + "\" stroke=\"#ffffff\" stroke-width=\"1\"");
    }
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
