// Loss-versus-iteration curves: one polyline per series (broken where a
// value cannot be drawn; at most four points per pixel column), a
// logarithmic or linear y axis fitted to the drawable values, grid lines,
// and the legend beside the plot.
#include <algorithm>
#include <cmath>
#include <limits>

#include "frame.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/plot/figure.hpp"
#include "thin.hpp"

namespace nabla::plot {
namespace {

using detail::Frame;

bool drawable(double v, bool log_y) { return std::isfinite(v) && (!log_y || v > 0); }

/// The y range of the frame (log10 on a log axis), padded; {0, 1} without data.
std::pair<double, double> y_range(const std::vector<Series>& series, bool log_y) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const Series& s : series)
    for (double v : s.values)
      if (drawable(v, log_y)) {
        const double y = log_y ? std::log10(v) : v;
        lo = std::min(lo, y), hi = std::max(hi, y);
      }
  if (!(lo <= hi)) return {0, 1};
  const bool level = hi - lo < 1e-12 * std::max(1.0, std::fabs(hi));
  // in parts: hi - lo overflows for finite values as far apart as +-1.7e308
  const double pad = !level ? 0.04 * hi - 0.04 * lo : log_y ? 0.5 : std::max(0.5, 0.1 * std::fabs(hi));
  // clamped, for the padding of values near +-1.7e308 (a level 1.7e308 too)
  const double largest = std::numeric_limits<double>::max();
  return {std::fmax(lo - pad, -largest), std::fmin(hi + pad, largest)};
}

}  // namespace

std::string loss_plot(const std::vector<Series>& series, const LossOptions& options) {
  std::vector<detail::LegendEntry> legend;
  std::size_t longest = 0;
  for (std::size_t k = 0; k < series.size(); ++k) {
    legend.push_back({series[k].name, detail::Shape::Line, std::string(series_colour(k))});
    longest = std::max(longest, series[k].values.size());
  }
  Frame f;
  f.left = 84, f.top = detail::plot_top(options.title);
  const double legend_height = detail::legend_room(options.height, options.title);
  const double legend_w = detail::legend_width(legend, legend_height);
  f.width = options.width - f.left - (legend_w > 0 ? legend_w + 36 : 24);
  f.height = options.height - f.top - 60;
  if (f.width < 80 || f.height < 80)
    throw DomainError("loss_plot: the picture is too small for its plot and legend");
  f.log_y = options.log_y;
  f.x0 = 0, f.x1 = std::max<double>(1, static_cast<double>(longest) - 1);
  std::tie(f.y0, f.y1) = y_range(series, options.log_y);
  Svg svg(options.width, options.height);
  detail::draw_axes(svg, f, options.x_label, options.y_label, options.title, true);
  std::size_t drawn = 0;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const std::string attributes = "class=\"series\" data-name=\"" + escape_xml(series[k].name) +
                                   "\" fill=\"none\" stroke=\"" + std::string(series_colour(k)) +
                                   "\" stroke-width=\"2\" stroke-linejoin=\"round\"";
    std::vector<Eigen::Vector2d> run;
    const auto& values = series[k].values;
    for (std::size_t i = 0; i <= values.size(); ++i) {
      if (i < values.size() && drawable(values[i], options.log_y)) {
        run.emplace_back(f.px(static_cast<double>(i)), f.py(values[i]));
        ++drawn;
        continue;
      }
      if (run.size() == 1)
        svg.circle(run[0].x(), run[0].y(), 2.5, "fill=\"" + std::string(series_colour(k)) + "\"");
      svg.polyline(detail::thin_curve(run), attributes);
      run.clear();
    }
  }
  // never a silently empty plot: say why nothing is drawn
  const char* note = longest == 0    ? "no data"
                     : drawn > 0     ? nullptr
                     : options.log_y ? "no positive finite values for the log axis"
                                     : "no finite values";
  if (note != nullptr)
    svg.text(f.left + f.width / 2, f.top + f.height / 2, note,
             "class=\"note\" text-anchor=\"middle\" fill=\"#777777\"");
  detail::draw_legend(svg, f.left + f.width + 24, f.top, legend, legend_height);
  return svg.str();
}

}  // namespace nabla::plot
