// A small SVG writer: escaped text, elements with numbers written in fixed
// precision (never "nan" or "inf": a non-finite coordinate drops its
// element), and the colour palettes of nabla's pictures. No dependencies.
#pragma once

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

namespace nabla::plot {

/// text with &, <, >, " and ' escaped, and the characters XML 1.0 forbids
/// (control characters other than tab, LF and CR, U+FFFE, U+FFFF) replaced by
/// '?', as is each byte that is not part of well-formed UTF-8 (a stray or
/// missing continuation byte, an overlong form, a surrogate, a code point
/// above U+10FFFF).
std::string escape_xml(std::string_view text);

/// x with two decimals ("-0.00" becomes "0.00").
std::string format_coordinate(double x);

/// The i-th colour of the palette for optimizer paths and loss curves
/// (distinct hues, repeating after 8).
std::string_view series_colour(std::size_t i);

/// A colour of the contour ramp for t in [0, 1] (dark blue to green-yellow),
/// as "#rrggbb".
std::string ramp_colour(double t);

/// An SVG document being written. Attribute strings are given whole
/// (`class="x" fill="red"`) and must already be escaped (escape_xml).
class Svg {
 public:
  Svg(int width, int height);

  /// <line>; nothing when an end is not finite.
  void line(double x1, double y1, double x2, double y2, std::string_view attributes);
  /// <polyline>; non-finite points are left out, and fewer than two points
  /// draw nothing.
  void polyline(const std::vector<Eigen::Vector2d>& points, std::string_view attributes);
  /// <polygon> (closed).
  void polygon(const std::vector<Eigen::Vector2d>& points, std::string_view attributes);
  void circle(double cx, double cy, double r, std::string_view attributes);
  void rect(double x, double y, double width, double height, std::string_view attributes);
  /// <text> at (x, y) with the escaped content.
  void text(double x, double y, std::string_view content, std::string_view attributes);
  /// Verbatim markup (definitions, group tags) from the writer's own code.
  void raw(std::string_view markup);

  /// The finished document.
  std::string str() const;

 private:
  int width_, height_;
  std::string body_;
};

}  // namespace nabla::plot
