// The SVG writer and the ticks: escaping, numbers, dropped non-finite
// elements, nice steps.
#include "nabla/plot/svg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "nabla/plot/ticks.hpp"
#include "svg_reader.hpp"

namespace nabla::plot {
namespace {

TEST(Svg, EscapesTextAndDropsNonFiniteElements) {
  EXPECT_EQ(escape_xml("a<b & \"c\" 'd' >"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;");
  EXPECT_EQ(escape_xml(std::string("bell\x07"
                                   "end")),
            "bell?end");
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  Svg svg(100, 80);
  svg.line(0, 0, nan, 1, "class=\"x\"");
  svg.circle(inf, 1, 2, "class=\"x\"");
  svg.polyline({{0, 0}, {nan, 1}}, "class=\"x\"");  // one finite point: nothing
  svg.polyline({{0, 0}, {nan, 1}, {2, 2}}, "class=\"kept\"");
  svg.text(10, 10, "x < y & z", "class=\"label\"");
  const std::string doc = svg.str();
  EXPECT_EQ(doc.find("nan"), std::string::npos);
  EXPECT_EQ(doc.find("inf"), std::string::npos);
  const auto elements = testing::parse_xml(doc);
  EXPECT_TRUE(testing::with_class(elements, "x").empty());
  const auto kept = testing::with_class(elements, "kept");
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].points().size(), 2u);
  ASSERT_EQ(testing::with_class(elements, "label").size(), 1u);
  EXPECT_EQ(testing::with_class(elements, "label")[0].text, "x < y & z");
  EXPECT_EQ(format_coordinate(-0.001), "0.00");
  EXPECT_EQ(format_coordinate(12.345), "12.35");
}

TEST(Svg, TheReaderRejectsBrokenDocuments) {
  EXPECT_THROW(testing::parse_xml("<svg><g></svg>"), std::runtime_error);
  EXPECT_THROW(testing::parse_xml("<svg><text>a < b</text></svg>"), std::runtime_error);
  EXPECT_THROW(testing::parse_xml("<svg a=1/>"), std::runtime_error);
  EXPECT_THROW(testing::parse_xml("<svg>&nbsp;</svg>"), std::runtime_error);
}

TEST(Ticks, NiceSteps) {
  EXPECT_EQ(nice_ticks(0, 10, 6), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(nice_ticks(-3, 3, 7), (std::vector<double>{-3, -2, -1, 0, 1, 2, 3}));
  const auto small = nice_ticks(0.013, 0.0871, 5);
  ASSERT_GE(small.size(), 3u);
  for (std::size_t k = 1; k < small.size(); ++k) EXPECT_NEAR(small[k] - small[k - 1], 0.02, 1e-15);
  for (double t : small) EXPECT_TRUE(t >= 0.013 && t <= 0.0871);
  EXPECT_TRUE(nice_ticks(1, 1, 5).empty());
  EXPECT_TRUE(nice_ticks(0, std::numeric_limits<double>::infinity(), 5).empty());
  EXPECT_EQ(format_tick(0.5, 0.5), "0.5");
  EXPECT_EQ(format_tick(-0.0, 0.5), "0.0");
  EXPECT_EQ(format_tick(2000, 500), "2000");
  EXPECT_EQ(format_tick(0.06, 0.02), "0.06");
  EXPECT_EQ(log_ticks(1e-6, 10, 10), (std::vector<double>{1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10}));
  EXPECT_EQ(log_ticks(1e-12, 1, 4).size(), 4u);        // 1e-12, 1e-8, 1e-4, 1 (every 4th decade)
  EXPECT_EQ(log_ticks(2, 8, 4), nice_ticks(2, 8, 4));  // less than a decade: linear ticks
}

}  // namespace
}  // namespace nabla::plot
