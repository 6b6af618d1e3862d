// The pictures, read back with an independent XML reader: well-formed, the
// expected elements, contour points on their level, arrows perpendicular to
// the level sets and pointing uphill (against finite differences), path
// points at the right pixels, markers by kind, and loss curves on a log scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "nabla/analysis/analysis.hpp"
#include "nabla/numdiff/numdiff.hpp"
#include "nabla/plot/plot.hpp"
#include "svg_reader.hpp"

namespace nabla::plot {
namespace {

using testing::Element;
using testing::parse_xml;
using testing::with_class;

/// Maps pixels back to data with the plot area the SVG declares.
struct Mapping {
  double left, top, width, height;
  analysis::Box box;
  explicit Mapping(const std::vector<Element>& all, analysis::Box b) : box(std::move(b)) {
    const auto area = with_class(all, "plot-area");
    EXPECT_EQ(area.size(), 1u);
    left = area.at(0).number("x"), top = area.at(0).number("y");
    width = area.at(0).number("width"), height = area.at(0).number("height");
  }
  Eigen::Vector2d data(const Eigen::Vector2d& px) const {
    return {box.lo[0] + (px.x() - left) / width * (box.hi[0] - box.lo[0]),
            box.hi[1] - (px.y() - top) / height * (box.hi[1] - box.lo[1])};
  }
  Eigen::Vector2d pixel(const Eigen::Vector2d& p) const {
    return {left + (p.x() - box.lo[0]) / (box.hi[0] - box.lo[0]) * width,
            top + (box.hi[1] - p.y()) / (box.hi[1] - box.lo[1]) * height};
  }
};

/// Each tick label of a contour plot names the coordinate at its tick (the
/// x labels are centred under their ticks, the y labels end left of them
/// 4.5px below), and each axis has at least two.
void expect_labels_at_their_ticks(const std::vector<Element>& all, const Mapping& map) {
  int x_labels = 0, y_labels = 0;
  const double x_pixel = (map.box.hi[0] - map.box.lo[0]) / map.width;
  const double y_pixel = (map.box.hi[1] - map.box.lo[1]) / map.height;
  for (const Element& e : with_class(all, "tick-label")) {
    const double value = std::stod(e.text);
    if (e.attr("text-anchor") == "middle") {
      ++x_labels;
      EXPECT_NEAR(value, map.data({e.number("x"), map.top}).x(), 0.02 * x_pixel) << e.text;
    } else {
      ++y_labels;
      EXPECT_NEAR(value, map.data({map.left, e.number("y") - 4.5}).y(), 0.02 * y_pixel) << e.text;
    }
  }
  EXPECT_GE(x_labels, 2);
  EXPECT_GE(y_labels, 2);
}

auto bowl = [](const auto& v) { return v[0] * v[0] + 2 * v[1] * v[1]; };
double bowl_d(const Eigen::VectorXd& v) { return bowl(v); }

ContourOptions bowl_options() {
  ContourOptions options;
  options.title = "x^2 + 2y^2 & <friends>";
  options.arrows = true;
  options.paths = {{"gd", {{3, 2}, {2.4, 1.2}, {1.92, 0.72}, {0, 0}}},
                   {"a<b & \"c\"", {{-2.5, 1.5}, {-1, 0.5}}},
                   {"far away", {{-2.5, -1.5}, {1e200, 3}, {std::nan(""), 0}, {0.5, -0.5}, {0.2, -0.1}}}};
  options.critical_points = analysis::critical_points(bowl, analysis::Box{{-4, 4}, {-3, 3}});
  return options;
}

TEST(ContourPlot, ContoursLieOnTheirLevels) {
  const analysis::Box box{{-4, 4}, {-3, 3}};
  const std::string doc = contour_plot(bowl, box, bowl_options());
  const auto all = parse_xml(doc);
  const Mapping map(all, box);
  EXPECT_NEAR(map.width / map.height, 8.0 / 6.0, 1e-3);  // one scale for x and y
  const auto contours = with_class(all, "contour");
  ASSERT_GE(contours.size(), 10u);
  std::size_t checked = 0;
  for (const Element& c : contours) {
    const double level = c.number("data-level");
    for (const Eigen::Vector2d& px : c.points()) {
      const Eigen::Vector2d p = map.data(px);
      // linear interpolation on cells of 0.05: error <= h^2 max|f''| / 8 ~ 1.3e-3, plus pixel rounding
      EXPECT_NEAR(bowl_d(p), level, 5e-3 + 1e-3 * level) << p.transpose();
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
  EXPECT_EQ(doc.find("nan"), std::string::npos);
}

TEST(ContourPlot, ArrowsArePerpendicularToLevelSetsAndPointUphill) {
  const analysis::Box box{{-4, 4}, {-3, 3}};
  const auto all = parse_xml(contour_plot(bowl, box, bowl_options()));
  const Mapping map(all, box);
  const auto arrows = with_class(all, "arrow");
  ASSERT_GE(arrows.size(), 100u);
  for (const Element& a : arrows) {
    const Eigen::Vector2d from(a.number("x1"), a.number("y1")), to(a.number("x2"), a.number("y2"));
    const Eigen::Vector2d mid = map.data(0.5 * (from + to));
    const Eigen::Vector2d direction = map.data(to) - map.data(from);  // in data units
    const Eigen::Vector2d g = numdiff::gradient(bowl_d, Eigen::VectorXd(mid));
    const Eigen::Vector2d tangent(-g.y(), g.x());
    EXPECT_LT(std::fabs(direction.normalized().dot(tangent.normalized())), 0.02) << mid.transpose();
    EXPECT_GT(direction.dot(g), 0) << "uphill at " << mid.transpose();
    EXPECT_LE((to - from).norm(), 0.8 * std::max(map.width, map.height) / 16 + 0.02) << "capped length";
  }
}

TEST(ContourPlot, ArrowsOfHugeGradientsKeepTheirLength) {
  // |grad f| squared overflowed from about 1e154 on: every arrow had length 0
  for (double scale : {1e160, 1e300}) {
    const Field field{[scale](const Eigen::Vector2d& p) { return scale * p.x() + p.y(); },
                      [scale](const Eigen::Vector2d&) { return Eigen::Vector2d(scale, 1); }};
    ContourOptions options;
    options.arrows = true;
    const auto arrows =
        with_class(parse_xml(contour_plot(field, analysis::Box{{-3, 3}, {-3, 3}}, options)), "arrow");
    ASSERT_GE(arrows.size(), 100u) << scale;
    for (const Element& a : arrows) {
      EXPECT_GT(a.number("x2") - a.number("x1"), 10) << "rightward, uphill";
      EXPECT_NEAR(a.number("y2"), a.number("y1"), 0.02);
    }
  }
}

TEST(ContourPlot, ArrowsWhereMostOfTheBoxIsFlat) {
  // max(0, x - 2.5)^2 is flat on 92% of [-3, 3]^2: the 90th percentile of
  // |grad f|, the length's cap, was 0, and no arrow was drawn
  const Field field{
      [](const Eigen::Vector2d& p) { return std::pow(std::fmax(0.0, p.x() - 2.5), 2); },
      [](const Eigen::Vector2d& p) { return Eigen::Vector2d(2 * std::fmax(0.0, p.x() - 2.5), 0); }};
  ContourOptions options;
  options.arrows = true;
  const auto all = parse_xml(contour_plot(field, analysis::Box{{-3, 3}, {-3, 3}}, options));
  const Mapping map(all, analysis::Box{{-3, 3}, {-3, 3}});
  const auto arrows = with_class(all, "arrow");
  ASSERT_GE(arrows.size(), 8u);
  for (const Element& a : arrows) {
    EXPECT_GT(map.data(Eigen::Vector2d(a.number("x1"), a.number("y1"))).x(), 2.5);
    EXPECT_GT(a.number("x2") - a.number("x1"), 10) << "rightward, uphill";
  }
}

TEST(ContourPlot, PathsAndCriticalPointsAtTheirPixels) {
  const analysis::Box box{{-4, 4}, {-3, 3}};
  const ContourOptions options = bowl_options();
  const auto all = parse_xml(contour_plot(bowl, box, options));
  const Mapping map(all, box);
  const auto paths = with_class(all, "path");
  std::vector<Element> gd, odd, far;
  for (const Element& p : paths)
    (p.attr("data-name") == "gd" ? gd : p.attr("data-name") == "a<b & \"c\"" ? odd : far).push_back(p);
  ASSERT_EQ(gd.size(), 1u);
  ASSERT_EQ(odd.size(), 1u);
  const auto points = gd[0].points();
  ASSERT_EQ(points.size(), options.paths[0].points.size());
  for (std::size_t k = 0; k < points.size(); ++k)
    EXPECT_LE((points[k] - map.pixel(options.paths[0].points[k])).norm(), 0.015) << k;
  // the diverging path is cut where it leaves the picture and resumes after the NaN
  ASSERT_EQ(far.size(), 2u);
  for (const Element& piece : far)
    for (const Eigen::Vector2d& px : piece.points()) {
      EXPECT_GE(px.x(), map.left - 20.02);
      EXPECT_LE(px.x(), map.left + map.width + 20.02);
    }
  EXPECT_LE((far[1].points().back() - map.pixel({0.2, -0.1})).norm(), 0.015);
  const auto minima = with_class(all, "minimum");
  ASSERT_EQ(minima.size(), 1u);
  EXPECT_LE((Eigen::Vector2d(minima[0].number("cx"), minima[0].number("cy")) - map.pixel({0, 0})).norm(),
            0.01);
  // the legend names every path (escaped in the SVG, decoded here) and the kind
  int legend_labels = 0;
  for (const Element& e : with_class(all, "legend-label"))
    legend_labels += e.text == "gd" || e.text == "a<b & \"c\"" || e.text == "far away" || e.text == "minimum";
  EXPECT_EQ(legend_labels, 4);
  EXPECT_EQ(with_class(all, "title").at(0).text, "x^2 + 2y^2 & <friends>");
}

TEST(ContourPlot, TheLegendListsOnlyTheKindsDrawn) {
  // a maximum at NaN and a saddle outside the box drew no marker, but the
  // legend listed both kinds
  ContourOptions options;
  analysis::CriticalPoint minimum, lost, outside;
  minimum.x = Eigen::Vector2d(0, 0), minimum.kind = analysis::CriticalKind::Minimum;
  lost.x = Eigen::Vector2d(std::nan(""), 0), lost.kind = analysis::CriticalKind::Maximum;
  outside.x = Eigen::Vector2d(5, 0), outside.kind = analysis::CriticalKind::Saddle;
  options.critical_points = {minimum, lost, outside};
  const auto all = parse_xml(contour_plot(bowl, analysis::Box{{-3, 3}, {-3, 3}}, options));
  std::vector<std::string> labels;
  for (const Element& e : with_class(all, "legend-label")) labels.push_back(e.text);
  EXPECT_EQ(labels, std::vector<std::string>{"minimum"});
  EXPECT_EQ(with_class(all, "critical").size(), 1u);
}

TEST(ContourPlot, ASegmentToAFarPointIsClippedNotDropped) {
  // mapped to pixels first, 1e307 became inf and the segment vanished
  const analysis::Box box{{-3, 3}, {-3, 3}};
  ContourOptions options;
  options.paths = {{"far", {{0, 0}, {1e307, 0}, {-1.7e308, 1.7e308}, {-1, 1}}}};
  const auto all = parse_xml(contour_plot(bowl, box, options));
  const Mapping map(all, box);
  const auto pieces = with_class(all, "path");
  ASSERT_EQ(pieces.size(), 2u);
  const auto out = pieces[0].points(), back = pieces[1].points();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_LE((out[0] - map.pixel({0, 0})).norm(), 0.015);
  EXPECT_NEAR(out[1].x(), map.left + map.width + 20, 0.015);  // at the edge of the clip area
  EXPECT_NEAR(out[1].y(), map.pixel({0, 0}).y(), 0.015);
  ASSERT_EQ(back.size(), 2u);  // back in along the diagonal from (-1.7e308, 1.7e308)
  EXPECT_LE((back[1] - map.pixel({-1, 1})).norm(), 0.015);
  const Eigen::Vector2d along = map.data(back[0]) - Eigen::Vector2d(-1, 1);
  EXPECT_NEAR(along.x(), -along.y(), 1e-3);
}

TEST(ContourPlot, SegmentsBetweenTwoFarPointsAreDrawnOnlyWhereTheirWayIsKnown) {
  // gradient descent on x^2 + y^2 with a step of 10: x -> -19 x, a segment
  // across the plot each step. From 1e20 to -2e21, where it crosses the plot
  // is known to about eps 1e20 = 1e4, and it was drawn as zero-length
  // strokes at the origin (and its ends written as 1.9e42 px).
  const analysis::Box box{{-3, 3}, {-3, 3}};
  ContourOptions options;
  Path jumps{"jumps", {}};
  for (double v = 1; std::fabs(v) < 1e40; v *= -19) jumps.points.emplace_back(v, v);
  options.paths = {jumps};
  const auto all = parse_xml(contour_plot(bowl, box, options));
  const Mapping map(all, box);
  const auto pieces = with_class(all, "path");
  ASSERT_GE(pieces.size(), 5u);  // the first crossings, known to far less than a pixel
  for (const Element& piece : pieces) {
    const auto points = piece.points();
    ASSERT_EQ(points.size(), 2u);
    EXPECT_GE((points[1] - points[0]).norm(), 0.5 * map.width) << "a stroke across the plot, not a dot";
    for (const Eigen::Vector2d& p : points) {
      EXPECT_GE(p.x(), map.left - 20.015);
      EXPECT_LE(p.x(), map.left + map.width + 20.015);
      const Eigen::Vector2d at = map.data(p);
      EXPECT_NEAR(at.x(), at.y(), 1e-3);  // on the diagonal, where every jump goes
    }
  }
  EXPECT_LE(pieces.size(), 13u);  // 19^13 = 4e16: beyond, eps |x| is more than a pixel
}

/// Every legend label starts inside the picture and ends (at 8.4px a
/// character, wider than the writer's own estimate) inside it too.
void expect_legend_inside(const std::string& doc, double width, double height, std::size_t labels) {
  const auto all = parse_xml(doc);
  const auto entries = with_class(all, "legend-label");
  EXPECT_EQ(entries.size(), labels);
  for (const Element& e : entries) {
    EXPECT_GE(e.number("y"), 0) << e.text;
    EXPECT_LE(e.number("y"), height) << e.text;
    EXPECT_LE(e.number("x") + 8.4 * static_cast<double>(e.text.size()), width) << e.text;
  }
  for (const Element& box : with_class(all, "legend")) {
    EXPECT_LE(box.number("y") + box.number("height"), height);
    EXPECT_LE(box.number("x") + box.number("width"), width);
  }
}

TEST(ContourPlot, ALongLegendStaysInThePicture) {
  // 22px an entry, 30 paths ran 100px off the bottom
  ContourOptions options;
  LossOptions loss;
  std::vector<Series> series;
  for (int k = 0; k < 30; ++k) {
    const double t = k / 30.0;
    options.paths.push_back({"path" + std::to_string(k), {{-1, t}, {1, t}}});
    series.push_back({"run" + std::to_string(k), {1 + t, 0.5 + t}});
  }
  expect_legend_inside(contour_plot(bowl, analysis::Box{{-3, 3}, {-3, 3}}, options), options.width,
                       options.height, 30);
  expect_legend_inside(loss_plot(series, loss), loss.width, loss.height, 30);
}

TEST(ContourPlot, SaddleAndMinimumMarkers) {
  auto f = [](const auto& v) { return v[0] * v[0] * v[0] - 3 * v[0] + v[1] * v[1]; };
  const analysis::Box box{{-2.5, 2.5}, {-2, 2}};
  ContourOptions options;
  options.critical_points = analysis::critical_points(f, box);
  const auto all = parse_xml(contour_plot(f, box, options));
  const Mapping map(all, box);
  const auto saddles = with_class(all, "saddle"), minima = with_class(all, "minimum");
  ASSERT_EQ(saddles.size(), 1u);
  ASSERT_EQ(minima.size(), 1u);
  EXPECT_EQ(saddles[0].name, "polygon");  // a different shape from the minimum's circle
  const auto corners = saddles[0].points();
  Eigen::Vector2d lo = corners[0], hi = corners[0];
  for (const auto& c : corners) lo = lo.cwiseMin(c), hi = hi.cwiseMax(c);
  EXPECT_LE((0.5 * (lo + hi) - map.pixel({-1, 0})).norm(), 0.01);
}

TEST(ContourPlot, UndefinedValuesAndBadInput) {
  auto f = [](const auto& v) {
    using std::log;
    return log(v[0]) + v[1] * v[1];  // NaN for x < 0, -inf at 0
  };
  const analysis::Box box{{-2, 2}, {-2, 2}};
  ContourOptions options;
  options.arrows = true;
  const std::string doc = contour_plot(f, box, options);
  EXPECT_NO_THROW(parse_xml(doc));
  EXPECT_EQ(doc.find("nan"), std::string::npos);
  EXPECT_EQ(doc.find("inf"), std::string::npos);
  const auto all = parse_xml(doc);
  const Mapping map(all, box);
  ASSERT_FALSE(with_class(all, "contour").empty());
  for (const Element& c : with_class(all, "contour"))
    for (const Eigen::Vector2d& px : c.points()) EXPECT_GT(map.data(px).x(), -1e-9);
  auto everywhere_nan = [](const auto& v) { return v[0] * std::numeric_limits<double>::quiet_NaN(); };
  EXPECT_NO_THROW(parse_xml(contour_plot(everywhere_nan, box, options)));
  EXPECT_THROW(contour_plot(f, analysis::Box{{0, 1}}, options), DimensionError);
  EXPECT_THROW(contour_plot(f, analysis::Box{{0, 0}, {0, 1}}, options), DomainError);
  options.width = 100;
  EXPECT_THROW(contour_plot(f, box, options), DomainError);
}

TEST(ContourPlot, AFrameWithNothingToDrawSaysWhy) {
  // f NaN or infinite at every sample was a blank frame (loss_plot says why)
  const auto note = [](auto f, const analysis::Box& box) {
    const auto notes = with_class(parse_xml(contour_plot(f, box, {})), "note");
    return notes.empty() ? std::string() : notes[0].text;
  };
  auto undefined = [](const auto& v) {
    using std::log;
    return log(-v[0] * v[0] - v[1] * v[1] - 1.0);
  };
  EXPECT_EQ(note(undefined, analysis::Box{{-2, 2}, {-2, 2}}), "f is not finite anywhere in the box");
  EXPECT_EQ(note(bowl, analysis::Box{{1e200, 1e201}, {1e200, 1e201}}), "f is not finite anywhere in the box");
  EXPECT_EQ(note(bowl, analysis::Box{{-2, 2}, {-2, 2}}), "");
}

TEST(ContourPlot, BoxesTooSmallOrTooLargeToScaleAreRefused) {
  ContourOptions options;
  const auto refused = [&](const analysis::Box& box) {
    EXPECT_THROW(contour_plot(bowl, box, options), DomainError)
        << box.lo.transpose() << " " << box.hi.transpose();
  };
  refused(analysis::Box{{0, 1e-320}, {0, 1e-320}});  // a subnormal width: width="inf" was written
  refused(analysis::Box{{0, 1}, {0, 1e-320}});
  // a width that overflows (it gave a blank plot) is no box at all
  EXPECT_THROW((analysis::Box{{-1e308, 1e308}, {-1e308, 1e308}}), DomainError);
  refused(analysis::Box{{1, 1 + 1e-15}, {0, 1}});  // a few doubles across
  // the extremes that can be scaled give well-formed pictures with contours
  // and no "inf" or "nan" anywhere
  const auto drawn = [&](auto f, const analysis::Box& box) {
    const std::string doc = contour_plot(f, box, options);
    EXPECT_EQ(doc.find("nan"), std::string::npos);
    EXPECT_EQ(doc.find("inf"), std::string::npos);
    const auto all = parse_xml(doc);
    EXPECT_FALSE(with_class(all, "contour").empty()) << box.lo.transpose() << " " << box.hi.transpose();
  };
  drawn([](const auto& v) { return (v[0] * 1e-300) * (v[0] * 1e-300) + (v[1] * 1e-300) * (v[1] * 1e-300); },
        analysis::Box{{-1e300, 1e300}, {-1e300, 1e300}});
  drawn([](const auto& v) { return (v[0] * 1e300) * (v[0] * 1e300) + (v[1] * 1e300) * (v[1] * 1e300); },
        analysis::Box{{-1e-300, 1e-300}, {-1e-300, 1e-300}});
  // the samples across 0:1e308 overflowed to inf from the third on, and the
  // contours kept to the first two columns and rows
  const auto widest = [](const auto& v) { return v[0] * 1e-308 + v[1] * 1e-308; };
  const analysis::Box box{{0, 1e308}, {0, 1e308}};
  drawn(widest, box);
  double highest = 0;
  for (const Element& c : with_class(parse_xml(contour_plot(widest, box, options)), "contour"))
    highest = std::max(highest, c.number("data-level"));
  EXPECT_GT(highest, 1.5);
}

TEST(ContourPlot, ANarrowAxisHasTwoCorrectlyLabelledTicks) {
  // a frame 140px wide: one tick at 0.2 was labelled "0"
  const analysis::Box box{{0.11, 0.29}, {0, 0.72}};
  const auto all = parse_xml(contour_plot([](const auto& v) { return v[0] * v[1]; }, box));
  expect_labels_at_their_ticks(all, Mapping(all, box));
}

TEST(ContourPlot, AWideBoxIsSampledFinelyAcrossItsShortSide) {
  // 100:1 is drawn out of scale, but the grid was spaced alike in x and y:
  // 3 rows across y gave one contour of sin(3y)
  const analysis::Box box{{-100, 100}, {-1, 1}};
  auto f = [](const auto& v) {
    using std::sin;
    return sin(3 * v[1]) + 0 * v[0];
  };
  const auto all = parse_xml(contour_plot(f, box));
  const Mapping map(all, box);
  const auto contours = with_class(all, "contour");
  std::set<std::string> levels;
  for (const Element& c : contours) {
    levels.insert(c.attr("data-level"));
    for (const Eigen::Vector2d& px : c.points())
      EXPECT_NEAR(std::sin(3 * map.data(px).y()), c.number("data-level"), 0.01) << map.data(px).y();
  }
  EXPECT_GE(levels.size(), 10u);
}

TEST(ContourPlot, TickLabelsAtLargeAndTinyMagnitudesAreDistinct) {
  // %.3g labelled 999999.5, 1000000 and 1000000.5 all "1e+06"
  for (const analysis::Box& box :
       {analysis::Box{{999999, 1000001}, {1000000, 1000010}},
        analysis::Box{{1e-300, 1.001e-300}, {1e-5, 1.0001e-5}}, analysis::Box{{1, 1.0000000001}, {-1, 1}}}) {
    const auto all = parse_xml(contour_plot([](const auto& v) { return v[0] + v[1]; }, box));
    expect_labels_at_their_ticks(all, Mapping(all, box));
  }
}

/// The y tick labels of a loss plot, bottom to top: distinct, increasing
/// upward, and (on a linear axis) affine in the pixel.
std::vector<double> loss_y_labels(const std::string& doc, bool linear) {
  std::vector<std::pair<double, double>> at;  // pixel y, value
  for (const Element& e : with_class(parse_xml(doc), "tick-label"))
    if (e.attr("text-anchor") == "end")  // strtod: stod refuses subnormal labels (1e-323)
      at.emplace_back(-e.number("y"), std::strtod(e.text.c_str(), nullptr));
  std::sort(at.begin(), at.end());
  std::vector<double> values;
  for (std::size_t k = 0; k < at.size(); ++k) {
    values.push_back(at[k].second);
    if (k > 0) {
      EXPECT_LT(at[k - 1].second, at[k].second);
    }
    if (linear && k > 1) {  // by differences: values near DBL_MAX would overflow
      const double slope = (at[1].second - at[0].second) / (at[1].first - at[0].first);
      EXPECT_NEAR((at[k].second - at[k - 1].second) / (at[k].first - at[k - 1].first), slope,
                  0.02 * std::fabs(slope));
    }
  }
  EXPECT_GE(values.size(), 2u);
  return values;
}

TEST(LossPlot, TickLabelsOfNarrowRangesAreDistinct) {
  LossOptions options;
  for (double scale : {1e6, 1e-5, 1e300}) {
    Series s{"flat", {}};
    for (int k = 0; k < 50; ++k) s.values.push_back(scale * (1 + 1e-5 * k));
    options.log_y = false;
    loss_y_labels(loss_plot({s}, options), true);
    options.log_y = true;  // less than a decade: linear ticks on the log axis
    loss_y_labels(loss_plot({s}, options), false);
  }
}

TEST(LossPlot, AxesPaddedPastTheDoublesKeepTheirTicks) {
  LossOptions options;
  // gradient descent diverging on x^2 + y^2 + z^2: 3 4^k up to inf; the
  // padded log range ended past 1e308 and the axis lost all its ticks
  Series diverging{"gd", {}};
  for (int k = 0; k < 520; ++k) diverging.values.push_back(3 * std::pow(4.0, k));
  Series vanishing{"tiny", {1, 1e-100, 1e-200, 1e-300, 1e-320}};
  for (const Series& s : {diverging, vanishing}) {
    const std::vector<double> labels = loss_y_labels(loss_plot({s}, options), false);
    EXPECT_GE(labels.size(), 4u) << s.name;
  }
  // finite values further apart than DBL_MAX: nothing was drawn on a linear axis
  options.log_y = false;
  const double big = 1.7e308;
  const std::string doc = loss_plot({{"wide", {-big, 0, big}}}, options);
  EXPECT_GE(loss_y_labels(doc, true).size(), 2u);
  const auto curves = with_class(parse_xml(doc), "series");
  ASSERT_EQ(curves.size(), 1u);
  const auto points = curves[0].points();
  ASSERT_EQ(points.size(), 3u);
  EXPECT_GT(points[0].y(), points[1].y());
  EXPECT_NEAR(points[1].y(), 0.5 * (points[0].y() + points[2].y()), 0.02);
  // a level series there: its padded range was [1.53e308, inf], with no
  // curve and no ticks (and -1.7e308 drawn on the top edge)
  for (double level : {big, -big}) {
    const std::string flat = loss_plot({{"level", {level, level, level}}}, options);
    const std::vector<double> labels = loss_y_labels(flat, true);
    EXPECT_TRUE(labels.front() <= level && level <= labels.back()) << level;
    const auto drawn = with_class(parse_xml(flat), "series");
    ASSERT_EQ(drawn.size(), 1u) << level;
    ASSERT_EQ(drawn[0].points().size(), 3u) << level;
  }
}

TEST(LossPlot, APlotWithNothingToDrawSaysWhy) {
  LossOptions options;
  const auto note = [&](const std::vector<Series>& series) {
    const auto notes = with_class(parse_xml(loss_plot(series, options)), "note");
    return notes.empty() ? std::string() : notes[0].text;
  };
  EXPECT_EQ(note({{"negative", {-1, -2, 0}}}), "no positive finite values for the log axis");
  EXPECT_EQ(note({}), "no data");
  EXPECT_EQ(note({{"fine", {2, 1}}}), "");
  options.log_y = false;
  EXPECT_EQ(note({{"negative", {-1, -2, 0}}}), "");
  EXPECT_EQ(note({{"undefined", {std::nan(""), INFINITY}}}), "no finite values");
}

TEST(LossPlot, AMillionIterationsAreThinnedToThePixel) {
  // 10^6 points made a 14 MB file that xmllint refused without --huge
  const std::size_t n = 1000000;
  Series noisy{"sgd", {}};
  for (std::size_t k = 0; k < n; ++k) {
    const double t = static_cast<double>(k);
    noisy.values.push_back(std::exp(-t / 2e5) * (1.5 + std::sin(t * 0.37)));
  }
  const std::string doc = loss_plot({noisy});
  EXPECT_LT(doc.size(), 200000u);
  const auto curves = with_class(parse_xml(doc), "series");
  ASSERT_EQ(curves.size(), 1u);
  const auto kept = curves[0].points();
  ASSERT_GE(kept.size(), 2u);
  EXPECT_LE(kept.size(), 4 * 860u);
  // the pixels of every value, by the affine maps through the ends (kept)
  const Eigen::Vector2d first = kept.front(), last = kept.back();
  const double log_first = std::log10(noisy.values.front()), log_last = std::log10(noisy.values.back());
  std::map<long, std::pair<double, double>> span;  // pixel column -> lowest, highest y
  for (std::size_t k = 0; k < n; ++k) {
    const double x = first.x() + (last.x() - first.x()) * static_cast<double>(k) / static_cast<double>(n - 1);
    const double y = first.y() + (last.y() - first.y()) * (std::log10(noisy.values[k]) - log_first) /
                                     (log_last - log_first);
    auto [it, fresh] = span.try_emplace(std::lround(std::floor(x)), y, y);
    it->second = {std::min(it->second.first, y), std::max(it->second.second, y)};
  }
  // each column's span is drawn (by points written to 0.01px, so those near
  // a column's edge may read as in the next), and nothing beyond it
  const auto columns_near = [](double x) {
    return std::pair{std::lround(std::floor(x - 0.006)), std::lround(std::floor(x + 0.006))};
  };
  std::map<long, std::pair<double, double>> drawn;
  for (const Eigen::Vector2d& p : kept) {
    const auto [left, right] = columns_near(p.x());
    for (long column : {left, right}) {
      auto [it, fresh] = drawn.try_emplace(column, p.y(), p.y());
      it->second = {std::min(it->second.first, p.y()), std::max(it->second.second, p.y())};
    }
    const auto& a = span.count(left) ? span.at(left) : span.at(right);  // the first or last column
    const auto& b = span.count(right) ? span.at(right) : a;
    EXPECT_GE(p.y(), std::min(a.first, b.first) - 0.02);
    EXPECT_LE(p.y(), std::max(a.second, b.second) + 0.02);
  }
  EXPECT_LE(drawn.size(), span.size() + 2);
  for (const auto& [column, lo_hi] : span) {
    ASSERT_TRUE(drawn.count(column)) << column;
    EXPECT_LE(drawn[column].first, lo_hi.first + 0.02) << column;
    EXPECT_GE(drawn[column].second, lo_hi.second - 0.02) << column;
  }
}

TEST(ContourPlot, ALongPathIsThinnedToThePixel) {
  const analysis::Box box{{-3, 3}, {-3, 3}};
  ContourOptions options;
  Path slow{"gd", {}};
  const int n = 200000;
  for (int k = 0; k < n; ++k) {
    const double t = static_cast<double>(k) / (n - 1);
    slow.points.emplace_back(2 * t - 1, std::sin(3 * t));
  }
  options.paths = {slow};
  const std::string doc = contour_plot(bowl, box, options);
  const auto all = parse_xml(doc);
  const Mapping map(all, box);
  const auto pieces = with_class(all, "path");
  ASSERT_EQ(pieces.size(), 1u);
  const auto kept = pieces[0].points();
  EXPECT_LE(kept.size(), 2000u);
  EXPECT_LE((kept.front() - map.pixel(slow.points.front())).norm(), 0.015);
  EXPECT_LE((kept.back() - map.pixel(slow.points.back())).norm(), 0.015);
  // every iterate lies within a pixel of the drawn line
  for (int k = 0; k < n; k += 97) {
    const Eigen::Vector2d p = map.pixel(slow.points[static_cast<std::size_t>(k)]);
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 1; i < kept.size(); ++i) {
      const Eigen::Vector2d a = kept[i - 1], d = kept[i] - a;
      const double t = d.squaredNorm() > 0 ? std::clamp((p - a).dot(d) / d.squaredNorm(), 0.0, 1.0) : 0.0;
      nearest = std::min(nearest, (a + t * d - p).norm());
    }
    EXPECT_LE(nearest, 1.5) << k;
  }
}

TEST(LossPlot, LogScaleCurves) {
  std::vector<Series> series{{"gd", {}}, {"adam", {}}, {"broken", {1, 0.5, std::nan(""), 0.1, -1, 0.01}}};
  for (int k = 0; k < 200; ++k) {
    series[0].values.push_back(10 * std::pow(0.95, k));
    series[1].values.push_back(3 * std::pow(0.9, k) + 1e-6);
  }
  LossOptions options;
  options.title = "loss & <iterations>";
  const std::string doc = loss_plot(series, options);
  const auto all = parse_xml(doc);
  const auto curves = with_class(all, "series");
  std::vector<Element> gd;
  int broken = 0;
  for (const Element& c : curves) {
    if (c.attr("data-name") == "gd") gd.push_back(c);
    broken += c.attr("data-name") == "broken";
  }
  EXPECT_EQ(broken, 1);  // {1, 0.5}; 0.1 and 0.01 are single points between undrawable values
  ASSERT_EQ(gd.size(), 1u);
  const auto p = gd[0].points();
  ASSERT_EQ(p.size(), 200u);
  // x affine in the iteration, y affine in log10(loss) and decreasing upward
  const double sx = (p[199].x() - p[0].x()) / 199;
  const double sy =
      (p[199].y() - p[0].y()) / (std::log10(series[0].values[199]) - std::log10(series[0].values[0]));
  EXPECT_LT(sy, 0);
  for (std::size_t k = 0; k < 200; k += 17) {
    EXPECT_NEAR(p[k].x(), p[0].x() + sx * static_cast<double>(k), 0.01);
    EXPECT_NEAR(p[k].y(), p[0].y() + sy * (std::log10(series[0].values[k]) - std::log10(series[0].values[0])),
                0.01);
  }
  EXPECT_GE(with_class(all, "tick-label").size(), 8u);
  EXPECT_EQ(doc.find("nan"), std::string::npos);
  EXPECT_NO_THROW(parse_xml(loss_plot({}, options)));
  EXPECT_NO_THROW(parse_xml(loss_plot({{"zeros", {0, 0, 0}}}, options)));
  options.log_y = false;
  EXPECT_NO_THROW(parse_xml(loss_plot(series, options)));
}

}  // namespace
}  // namespace nabla::plot
