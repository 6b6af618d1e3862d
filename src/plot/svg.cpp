// The SVG writer: escaping, fixed-precision numbers, elements, palettes.
#include "nabla/plot/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace nabla::plot {

namespace {

/// The length of the well-formed UTF-8 sequence at text[i] of a character XML
/// allows, or 0: a stray continuation byte, an overlong form, a surrogate,
/// a code point above U+10FFFF or a truncated sequence is not one, and
/// neither are U+FFFE and U+FFFF (nor, for one byte, the controls other than
/// tab, LF and CR).
std::size_t xml_char_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  if (lead < 0x80) return lead >= 0x20 || lead == '\t' || lead == '\n' || lead == '\r' ? 1 : 0;
  std::size_t length = 0;
  char32_t code = 0, least = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, code = lead & 0x1F, least = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, code = lead & 0x0F, least = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, code = lead & 0x07, least = 0x10000;
  } else {
    return 0;  // a continuation byte, or a lead byte of no valid sequence
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  if (code < least || surrogate || code > 0x10FFFF || code == 0xFFFE || code == 0xFFFF) return 0;
  return length;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    switch (text[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default: {
        // a character XML forbids, or a byte of no well-formed UTF-8
        // sequence, is one '?', and the text goes on at the next byte
        const std::size_t length = xml_char_length(text, i);
        if (length == 0) {
          out += '?';
        } else {
          out.append(text.substr(i, length));
          i += length;
          continue;
        }
      }
    }
    ++i;
  }
  return out;
}

std::string format_coordinate(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  std::string s = buffer;
  if (s == "-0.00") s = "0.00";
  return s;
}

std::string_view series_colour(std::size_t i) {
  static constexpr std::array<std::string_view, 8> palette{"#d62728", "#ff7f0e", "#9467bd", "#111111",
                                                           "#e377c2", "#8c564b", "#17becf", "#1f77b4"};
  return palette[i % palette.size()];
}

std::string ramp_colour(double t) {
  // viridis-like stops, stopping short of its pale yellow (hard to see on white)
  static constexpr std::array<std::array<double, 3>, 5> stops{
      {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {170, 200, 30}}};
  t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
  const double u = t * (stops.size() - 1);
  const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(u), stops.size() - 2);
  const double w = u - static_cast<double>(k);
  char buffer[8];
  int rgb[3];
  for (int c = 0; c < 3; ++c)
    rgb[c] = static_cast<int>(std::lround((1 - w) * stops[k][c] + w * stops[k + 1][c]));
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  return buffer;
}

Svg::Svg(int width, int height) : width_(width), height_(height) {}

namespace {
bool finite(std::initializer_list<double> xs) {
  return std::all_of(xs.begin(), xs.end(), [](double v) { return std::isfinite(v); });
}
std::string point_list(const std::vector<Eigen::Vector2d>& points, std::size_t& count) {
  std::string s;
  count = 0;
  for (const Eigen::Vector2d& p : points) {
    if (!p.allFinite()) continue;
    if (count++ > 0) s += ' ';
    s += format_coordinate(p.x()) + ',' + format_coordinate(p.y());
  }
  return s;
}
}  // namespace

void Svg::line(double x1, double y1, double x2, double y2, std::string_view attributes) {
  if (!finite({x1, y1, x2, y2})) return;
  body_ += "<line x1=\"" + format_coordinate(x1) + "\" y1=\"" + format_coordinate(y1) + "\" x2=\"" +
           format_coordinate(x2) + "\" y2=\"" + format_coordinate(y2) + "\" " + std::string(attributes) +
           "/>\n";
}

void Svg::polyline(const std::vector<Eigen::Vector2d>& points, std::string_view attributes) {
  std::size_t count = 0;
  const std::string list = point_list(points, count);
  if (count < 2) return;
  body_ += "<polyline points=\"" + list + "\" " + std::string(attributes) + "/>\n";
}

void Svg::polygon(const std::vector<Eigen::Vector2d>& points, std::string_view attributes) {
  std::size_t count = 0;
  const std::string list = point_list(points, count);
  if (count < 3) return;
  body_ += "<polygon points=\"" + list + "\" " + std::string(attributes) + "/>\n";
}

void Svg::circle(double cx, double cy, double r, std::string_view attributes) {
  if (!finite({cx, cy, r})) return;
  body_ += "<circle cx=\"" + format_coordinate(cx) + "\" cy=\"" + format_coordinate(cy) + "\" r=\"" +
           format_coordinate(r) + "\" " + std::string(attributes) + "/>\n";
}

void Svg::rect(double x, double y, double width, double height, std::string_view attributes) {
  if (!finite({x, y, width, height})) return;
  body_ += "<rect x=\"" + format_coordinate(x) + "\" y=\"" + format_coordinate(y) + "\" width=\"" +
           format_coordinate(width) + "\" height=\"" + format_coordinate(height) + "\" " +
           std::string(attributes) + "/>\n";
}

void Svg::text(double x, double y, std::string_view content, std::string_view attributes) {
  if (!finite({x, y})) return;
  body_ += "<text x=\"" + format_coordinate(x) + "\" y=\"" + format_coordinate(y) + "\" " +
           std::string(attributes) + ">" + escape_xml(content) + "</text>\n";
}

void Svg::raw(std::string_view markup) { body_ += markup; }

std::string Svg::str() const {
  const std::string w = std::to_string(width_), h = std::to_string(height_);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         w + "\" height=\"" + h + "\" viewBox=\"0 0 " + w + " " + h +
         "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"13\">\n<rect width=\"" + w +
         "\" height=\"" + h + "\" fill=\"#ffffff\"/>\n" + body_ + "</svg>\n";
}

}  // namespace nabla::plot
