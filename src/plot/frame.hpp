// Private to src/plot: the plot area of a picture and its mapping from data
// to pixels, the axes with their ticks and labels, the title, markers and
// the legend that the contour and loss plots share.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "nabla/plot/figure.hpp"
#include "nabla/plot/svg.hpp"

namespace nabla::plot::detail {

/// The plot area in pixels and the data range it shows (log10 of y on a log axis).
struct Frame {
  double left = 0, top = 0, width = 0, height = 0;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  bool log_y = false;

  double px(double x) const { return left + (x - x0) / (x1 - x0) * width; }
  double py(double y) const {
    const double v = log_y ? std::log10(y) : y;
    // halved (exactly): y1 - y0 overflows for a loss axis from -1.7e308 to 1.7e308
    return top + (0.5 * y1 - 0.5 * v) / (0.5 * y1 - 0.5 * y0) * height;
  }
};

/// The shapes of markers and legend swatches.
enum class Shape { Line, Circle, Triangle, Diamond, Square };

struct LegendEntry {
  std::string label;
  Shape shape = Shape::Line;
  std::string colour;
};

/// An approximate width in pixels of text at the 13px font.
double text_width(const std::string& text, double font_size = 13);

/// The frame, ticks and tick labels, axis labels and the title; with grid
/// lines when asked.
void draw_axes(Svg& svg, const Frame& frame, const std::string& x_label, const std::string& y_label,
               const std::string& title, bool grid);

/// A marker of the given shape centred at (cx, cy) with "radius" r (its
/// bounding box is centred there too).
void draw_marker(Svg& svg, Shape shape, double cx, double cy, double r, const std::string& attributes);

/// The top of the plot area: below the title when there is one.
inline double plot_top(const std::string& title) { return title.empty() ? 20 : 44; }
/// The tallest legend from the plot's top to the bottom of the picture.
inline double legend_room(double picture_height, const std::string& title) {
  return picture_height - plot_top(title) - 8;
}

/// The legend's width for these entries, in as many columns as keep it at
/// most `max_height` tall.
double legend_width(const std::vector<LegendEntry>& entries, double max_height);
/// The legend with its top-left corner at (x, y), in those columns.
void draw_legend(Svg& svg, double x, double y, const std::vector<LegendEntry>& entries, double max_height);

/// The paths, clipped to (a little beyond) the plot area: a polyline per
/// finite stretch, dots at the iterates of short paths, the start and end marked.
void draw_paths(Svg& svg, const Frame& frame, const std::vector<Path>& paths);

/// The marker of a kind of critical point.
Shape shape_of(analysis::CriticalKind kind);

/// The 2-D critical points inside the frame, one marker shape per kind.
void draw_critical_points(Svg& svg, const Frame& frame, const std::vector<analysis::CriticalPoint>& points);

/// `text` cut to at most `limit` characters (an ellipsis marks the cut).
std::string shorten(const std::string& text, std::size_t limit = 28);

}  // namespace nabla::plot::detail
