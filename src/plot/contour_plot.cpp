// The contour plot: contours of f, gradient arrows, optimizer paths and
// critical points over a 2-D box, with axes and a legend beside the plot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "frame.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/plot/figure.hpp"

namespace nabla::plot {
namespace {

using detail::Frame;
using detail::LegendEntry;
using detail::Shape;

std::vector<LegendEntry> legend_entries(const ContourOptions& options, const analysis::Box& box) {
  std::vector<LegendEntry> entries;
  for (std::size_t k = 0; k < options.paths.size(); ++k)
    entries.push_back({options.paths[k].name, Shape::Line, std::string(series_colour(k))});
  // a kind is listed when one of its points is drawn: in the box (not NaN)
  const auto drawn = [&](const analysis::CriticalPoint& p) {
    return p.x.size() == 2 && (p.x.array() >= box.lo.array()).all() && (p.x.array() <= box.hi.array()).all();
  };
  using analysis::CriticalKind;
  for (CriticalKind kind :
       {CriticalKind::Minimum, CriticalKind::Maximum, CriticalKind::Saddle, CriticalKind::Inconclusive})
    for (const analysis::CriticalPoint& p : options.critical_points)
      if (p.kind == kind && drawn(p)) {
        entries.push_back({std::string(analysis::to_string(kind)), detail::shape_of(kind), "#ffffff"});
        break;
      }
  return entries;
}

/// Refuses a side [lo, hi] of the box that pixels cannot be scaled to: one
/// whose length overflows (-1e308 to 1e308), is subnormal (1e-320), or spans
/// so few doubles that the samples and ticks across it would repeat; the
/// pixel coordinates would be inf or NaN, or the picture blank.
void check_scalable(double lo, double hi, const char* side) {
  const double length = hi - lo;
  const double magnitude = std::max(std::fabs(lo), std::fabs(hi));
  std::string what;
  if (!std::isfinite(length))
    what = " overflows a double";
  else if (length < std::numeric_limits<double>::min() ||
           length < 1024 * std::numeric_limits<double>::epsilon() * magnitude)
    what = " is too small to scale to pixels";
  if (!what.empty()) throw DomainError(std::string("contour_plot: the box's ").append(side).append(what));
}

/// The plot area: x and y on one scale unless the box's aspect is extreme.
Frame layout(const analysis::Box& box, const ContourOptions& options, double legend) {
  Frame f;
  f.left = 80;
  f.top = detail::plot_top(options.title);
  const double right = legend > 0 ? legend + 36 : 24, bottom = 60;
  const double aw = options.width - f.left - right, ah = options.height - f.top - bottom;
  if (aw < 80 || ah < 80) throw DomainError("contour_plot: the picture is too small for its plot and legend");
  f.x0 = box.lo[0], f.x1 = box.hi[0], f.y0 = box.lo[1], f.y1 = box.hi[1];
  const double wx = f.x1 - f.x0, wy = f.y1 - f.y0, aspect = wx / wy;
  if (aspect >= 0.25 && aspect <= 4) {
    const double scale = std::min(aw / wx, ah / wy);
    f.width = wx * scale, f.height = wy * scale;
  } else {
    f.width = aw, f.height = ah;
  }
  return f;
}

std::string level_attribute(double level) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", level);
  return buffer;
}

/// The grid follows the drawn frame, not the box: beyond 4:1 the frame is
/// not to scale, and a grid spaced alike in data units would leave the short
/// side with a few rows across hundreds of pixels. False when no sample of f
/// is finite (nothing to draw).
bool draw_contours(Svg& svg, const Field& field, const Frame& f, const ContourOptions& options) {
  const double wx = f.width, wy = f.height;
  const int n_long = std::clamp(options.resolution, 3, 2048);
  const int nx = wx >= wy ? n_long : std::max(3, static_cast<int>(std::lround(n_long * wx / wy)));
  const int ny = wy >= wx ? n_long : std::max(3, static_cast<int>(std::lround(n_long * wy / wx)));
  const Samples samples = sample(field.value, f.x0, f.x1, f.y0, f.y1, nx, ny);
  std::vector<double> levels;
  for (double level : options.levels)
    if (std::isfinite(level)) levels.push_back(level);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (options.levels.empty()) levels = automatic_levels(samples, options.level_count, options.spacing);
  for (std::size_t k = 0; k < levels.size(); ++k) {
    const double t =
        levels.size() > 1 ? static_cast<double>(k) / static_cast<double>(levels.size() - 1) : 0.5;
    const std::string attributes = "class=\"contour\" data-level=\"" + level_attribute(levels[k]) +
                                   "\" fill=\"none\" stroke=\"" + ramp_colour(t) + "\" stroke-width=\"1.3\"";
    for (const auto& line : contour_lines(samples, levels[k])) {
      std::vector<Eigen::Vector2d> pixels;
      pixels.reserve(line.size());
      for (const Eigen::Vector2d& p : line) pixels.emplace_back(f.px(p.x()), f.py(p.y()));
      svg.polyline(pixels, attributes);
    }
  }
  return std::any_of(samples.values.begin(), samples.values.end(), [](double v) { return std::isfinite(v); });
}

Eigen::Vector2d gradient_at(const Field& field, const Eigen::Vector2d& p, const Frame& f) {
  if (field.gradient) return field.gradient(p);
  const double hx = 1e-6 * (f.x1 - f.x0), hy = 1e-6 * (f.y1 - f.y0);
  return {(field.value(p + Eigen::Vector2d(hx, 0)) - field.value(p - Eigen::Vector2d(hx, 0))) / (2 * hx),
          (field.value(p + Eigen::Vector2d(0, hy)) - field.value(p - Eigen::Vector2d(0, hy))) / (2 * hy)};
}

/// Arrows along the gradient in pixel coordinates (d f / d pixel), centred on
/// a grid of equal spacing in both directions.
void draw_arrows(Svg& svg, const Field& field, const Frame& f, int count) {
  const double spacing = std::max(f.width, f.height) / std::clamp(count, 2, 100);
  const int nx = std::max(1, static_cast<int>(f.width / spacing)),
            ny = std::max(1, static_cast<int>(f.height / spacing));
  std::vector<std::pair<Eigen::Vector2d, Eigen::Vector2d>> arrows;  // pixel centre, pixel gradient
  std::vector<double> norms;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const Eigen::Vector2d c(f.left + (i + 0.5) * f.width / nx, f.top + (j + 0.5) * f.height / ny);
      const Eigen::Vector2d p(f.x0 + (c.x() - f.left) / f.width * (f.x1 - f.x0),
                              f.y1 - (c.y() - f.top) / f.height * (f.y1 - f.y0));
      const Eigen::Vector2d g = gradient_at(field, p, f);
      // d f / d px = g_x (x1 - x0) / width; the pixel y axis points down
      const Eigen::Vector2d pg(g.x() * ((f.x1 - f.x0) / f.width), -g.y() * ((f.y1 - f.y0) / f.height));
      if (!pg.allFinite()) continue;
      arrows.emplace_back(c, pg);
      norms.push_back(std::hypot(pg.x(), pg.y()));  // pg.norm() squares: inf from 1e154 on
    }
  if (norms.empty()) return;
  std::sort(norms.begin(), norms.end());
  const double reference = norms[static_cast<std::size_t>(0.9 * static_cast<double>(norms.size() - 1))];
  const double longest = 0.8 * spacing;
  for (const auto& [c, pg] : arrows) {
    const double norm = std::hypot(pg.x(), pg.y());
    if (!(norm > 0)) continue;
    // a reference of 0 (f flat at 90% of the sites): every slope is past the cap
    const double length = reference > 0 ? longest * std::min(1.0, norm / reference) : longest;
    if (length < std::max(7.0, 0.2 * spacing)) continue;  // shorter ones would be all head
    const Eigen::Vector2d half = 0.5 * length / norm * pg;
    svg.line(c.x() - half.x(), c.y() - half.y(), c.x() + half.x(), c.y() + half.y(),
             "class=\"arrow\" stroke=\"#555555\" stroke-width=\"1.2\" marker-end=\"url(#nabla-arrowhead)\"");
  }
}

}  // namespace

std::string contour_plot(const Field& field, const analysis::Box& box, const ContourOptions& options) {
  if (box.dimension() != 2) throw DimensionError("contour_plot: the box must have two dimensions");
  if (!(box.hi[0] > box.lo[0]) || !(box.hi[1] > box.lo[1]))
    throw DomainError("contour_plot: the box must have a positive width and height");
  for (int d = 0; d < 2; ++d) check_scalable(box.lo[d], box.hi[d], d == 0 ? "width" : "height");
  if (!field.value) throw DomainError("contour_plot: the field has no value function");
  const std::vector<LegendEntry> legend = legend_entries(options, box);
  const double legend_height = detail::legend_room(options.height, options.title);
  const Frame f = layout(box, options, detail::legend_width(legend, legend_height));
  Svg svg(options.width, options.height);
  svg.raw("<defs>\n<clipPath id=\"nabla-plot-area\"><rect x=\"" + format_coordinate(f.left) + "\" y=\"" +
          format_coordinate(f.top) + "\" width=\"" + format_coordinate(f.width) + "\" height=\"" +
          format_coordinate(f.height) +
          "\"/></clipPath>\n<marker id=\"nabla-arrowhead\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" "
          "markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
          "fill=\"#555555\"/></marker>\n</defs>\n");
  svg.rect(f.left, f.top, f.width, f.height, "class=\"plot-area\" fill=\"#fbfbfb\"");
  svg.raw("<g clip-path=\"url(#nabla-plot-area)\">\n");
  // An empty frame says why, as loss_plot's does (log(-x^2 - y^2 - 1), or
  // x^2 + y^2 over 1e200:1e201, were a blank picture)
  if (!draw_contours(svg, field, f, options))
    svg.text(f.left + f.width / 2, f.top + f.height / 2, "f is not finite anywhere in the box",
             "class=\"note\" text-anchor=\"middle\" fill=\"#777777\"");
  if (options.arrows) draw_arrows(svg, field, f, options.arrow_count);
  detail::draw_paths(svg, f, options.paths);
  detail::draw_critical_points(svg, f, options.critical_points);
  svg.raw("</g>\n");
  detail::draw_axes(svg, f, options.x_label, options.y_label, options.title, false);
  detail::draw_legend(svg, f.left + f.width + 24, f.top, legend, legend_height);
  return svg.str();
}

}  // namespace nabla::plot
