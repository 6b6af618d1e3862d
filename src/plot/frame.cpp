// Axes, ticks, title, markers and legends shared by the pictures.
#include "frame.hpp"

#include <algorithm>
#include <limits>

#include "nabla/plot/ticks.hpp"

namespace nabla::plot::detail {

double text_width(const std::string& text, double font_size) {
  return 0.64 * font_size * static_cast<double>(text.size());
}

std::string shorten(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

namespace {

bool is_power_of_ten(double t) { return t > 0 && t == std::pow(10.0, std::round(std::log10(t))); }

/// The labels of a log axis's ticks: powers of ten as 1e-5, 0.001, 100,
/// 1e6; nice linear ticks (less than a decade) like a linear axis's.
std::vector<std::string> log_tick_labels(const std::vector<double>& ticks) {
  const bool decades = ticks.size() >= 2 && std::all_of(ticks.begin(), ticks.end(), is_power_of_ten);
  if (!decades) return tick_labels(ticks);
  std::vector<std::string> labels;
  for (double t : ticks) {
    const long exponent = std::lround(std::log10(t));
    labels.push_back(std::labs(exponent) >= 4 ? "1e" + std::to_string(exponent) : format_tick(t, t));
  }
  return labels;
}

void draw_x_ticks(Svg& svg, const Frame& f, bool grid) {
  const std::vector<double> ticks = nice_ticks(f.x0, f.x1, std::max(2, static_cast<int>(f.width / 90)));
  const std::vector<std::string> labels = tick_labels(ticks);
  const double bottom = f.top + f.height;
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const double x = f.px(ticks[k]);
    if (grid) svg.line(x, f.top, x, bottom, "stroke=\"#e6e6e6\" stroke-width=\"1\"");
    svg.line(x, bottom, x, bottom + 5, "stroke=\"#333333\"");
    svg.text(x, bottom + 19, labels[k], "class=\"tick-label\" text-anchor=\"middle\" fill=\"#333333\"");
  }
}

void draw_y_ticks(Svg& svg, const Frame& f, bool grid) {
  const int target = std::max(2, static_cast<int>(f.height / 55));
  // a log axis padded past the doubles (1e309, 1e-330) is ticked up to them
  const double smallest = std::numeric_limits<double>::denorm_min(),
               largest = std::numeric_limits<double>::max();
  const std::vector<double> ticks = f.log_y ? log_ticks(std::fmax(std::pow(10.0, f.y0), smallest),
                                                        std::fmin(std::pow(10.0, f.y1), largest), target)
                                            : nice_ticks(f.y0, f.y1, target);
  const std::vector<std::string> labels = f.log_y ? log_tick_labels(ticks) : tick_labels(ticks);
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const double y = f.py(ticks[k]);
    if (grid) svg.line(f.left, y, f.left + f.width, y, "stroke=\"#e6e6e6\" stroke-width=\"1\"");
    svg.line(f.left - 5, y, f.left, y, "stroke=\"#333333\"");
    svg.text(f.left - 8, y + 4.5, labels[k], "class=\"tick-label\" text-anchor=\"end\" fill=\"#333333\"");
  }
}

}  // namespace

void draw_axes(Svg& svg, const Frame& f, const std::string& x_label, const std::string& y_label,
               const std::string& title, bool grid) {
  draw_x_ticks(svg, f, grid);
  draw_y_ticks(svg, f, grid);
  svg.rect(f.left, f.top, f.width, f.height, "class=\"frame\" fill=\"none\" stroke=\"#333333\"");
  svg.text(f.left + f.width / 2, f.top + f.height + 42, shorten(x_label, 80),
           "class=\"axis-label\" text-anchor=\"middle\" fill=\"#111111\"");
  const double yx = f.left - 56, yy = f.top + f.height / 2;
  svg.text(yx, yy, shorten(y_label, 60),
           "class=\"axis-label\" text-anchor=\"middle\" fill=\"#111111\" transform=\"rotate(-90 " +
               format_coordinate(yx) + " " + format_coordinate(yy) + ")\"");
  if (!title.empty())
    svg.text(f.left + f.width / 2, 26, shorten(title, 90),
             "class=\"title\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#111111\"");
}

void draw_marker(Svg& svg, Shape shape, double cx, double cy, double r, const std::string& attributes) {
  switch (shape) {
    case Shape::Line:
      svg.line(cx - r, cy, cx + r, cy, attributes);
      break;
    case Shape::Circle:
      svg.circle(cx, cy, r, attributes);
      break;
    case Shape::Triangle:
      svg.polygon({{cx, cy - r}, {cx + r, cy + r}, {cx - r, cy + r}}, attributes);
      break;
    case Shape::Diamond:
      svg.polygon({{cx, cy - 1.25 * r}, {cx + 1.25 * r, cy}, {cx, cy + 1.25 * r}, {cx - 1.25 * r, cy}},
                  attributes);
      break;
    case Shape::Square:
      svg.rect(cx - r, cy - r, 2 * r, 2 * r, attributes);
      break;
  }
}

namespace {

constexpr double kLegendRow = 22, kLegendPadding = 12;

/// Entries per column: all of them unless the legend would run off the
/// bottom of the picture (thirty optimizer paths).
std::size_t legend_rows(std::size_t entries, double max_height) {
  const double fit = std::floor((max_height - kLegendPadding) / kLegendRow);
  return std::min(entries, static_cast<std::size_t>(std::max(1.0, fit)));
}

double legend_column_width(const std::vector<LegendEntry>& entries) {
  double widest = 0;
  for (const LegendEntry& e : entries) widest = std::max(widest, text_width(shorten(e.label)));
  return 52 + widest;
}

}  // namespace

double legend_width(const std::vector<LegendEntry>& entries, double max_height) {
  if (entries.empty()) return 0;
  const std::size_t rows = legend_rows(entries.size(), max_height);
  const std::size_t columns = (entries.size() + rows - 1) / rows;
  return static_cast<double>(columns) * legend_column_width(entries);
}

void draw_legend(Svg& svg, double x, double y, const std::vector<LegendEntry>& entries, double max_height) {
  if (entries.empty()) return;
  const std::size_t rows = legend_rows(entries.size(), max_height);
  const double column_width = legend_column_width(entries);
  svg.rect(x, y, legend_width(entries, max_height), kLegendPadding + kLegendRow * static_cast<double>(rows),
           "class=\"legend\" fill=\"#ffffff\" stroke=\"#bbbbbb\"");
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const LegendEntry& e = entries[k];
    const double left = x + column_width * static_cast<double>(k / rows);
    const double cy = y + kLegendPadding / 2 + kLegendRow * (static_cast<double>(k % rows) + 0.5);
    if (e.shape == Shape::Line)
      svg.line(left + 8, cy, left + 32, cy, "stroke=\"" + e.colour + "\" stroke-width=\"2.5\"");
    else
      draw_marker(svg, e.shape, left + 20, cy, 5,
                  "fill=\"" + e.colour + "\" stroke=\"#111111\" stroke-width=\"1.2\"");
    svg.text(left + 40, cy + 4.5, shorten(e.label), "class=\"legend-label\" fill=\"#111111\"");
  }
}

}  // namespace nabla::plot::detail
