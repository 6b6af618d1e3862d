// The SVG writer and the ticks: escaping, numbers, dropped non-finite
// elements, nice steps.
#include "nabla/plot/svg.hpp"

#include <gtest/gtest.h>
#include <iconv.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "nabla/plot/ticks.hpp"
#include "svg_reader.hpp"

namespace nabla::plot {
namespace {

/// Whether s is well-formed UTF-8 of characters XML 1.0 allows, decoded by
/// iconv (not by the writer's own decoder): no overlong form, surrogate or
/// code point above U+10FFFF, and no U+FFFE, U+FFFF or control but tab, LF, CR.
bool xml_text_ok(const std::string& s) {
  iconv_t cd = iconv_open("UTF-32LE", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  std::string in = s;
  std::vector<char> out(4 * s.size() + 4);
  char* in_ptr = in.data();
  char* out_ptr = out.data();
  std::size_t in_left = in.size(), out_left = out.size();
  const std::size_t converted = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
  iconv_close(cd);
  if (converted == static_cast<std::size_t>(-1) || in_left != 0) return false;
  for (const char* p = out.data(); p < out_ptr; p += 4) {
    const auto b = [&](int k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(p[k])); };
    const std::uint32_t c = b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24;
    if (c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

TEST(Svg, TextIsWellFormedUtf8WhateverTheBytes) {
  // valid characters pass unchanged, of every length
  const std::string valid = "x \xC3\xA9 \xE2\x88\x87 \xF0\x9F\x98\x80 \xEF\xBF\xBD";  // é ∇ 😀 U+FFFD
  EXPECT_EQ(escape_xml(valid), valid);
  // each byte of an ill-formed sequence, and U+FFFE/U+FFFF, become '?'
  EXPECT_EQ(escape_xml("a\xC3"), "a?");                         // truncated
  EXPECT_EQ(escape_xml("a\x80z"), "a?z");                       // stray continuation byte
  EXPECT_EQ(escape_xml("\xC0\xAF"), "??");                      // overlong '/'
  EXPECT_EQ(escape_xml("\xE0\x80\xAF"), "???");                 // overlong, 3 bytes
  EXPECT_EQ(escape_xml("\xED\xA0\x80"), "???");                 // surrogate U+D800
  EXPECT_EQ(escape_xml("\xF4\x90\x80\x80"), "????");            // above U+10FFFF
  EXPECT_EQ(escape_xml("\xEF\xBF\xBE\xEF\xBF\xBF"), "??????");  // U+FFFE, U+FFFF
  EXPECT_EQ(escape_xml("\xFF<"), "?&lt;");
  // every string of up to 2 bytes, and a sample of longer ones, escapes to
  // XML text that iconv decodes and the reader accepts
  std::vector<std::string> inputs;
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b) inputs.push_back({static_cast<char>(a), static_cast<char>(b)});
  std::mt19937 random(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(1 + random() % 6, ' ');
    for (char& ch : s) ch = static_cast<char>(0x80 + random() % 0x80 - (random() % 4 == 0 ? 0x40 : 0));
    inputs.push_back(s);
  }
  for (const std::string& s : inputs) ASSERT_TRUE(xml_text_ok(escape_xml(s))) << ::testing::PrintToString(s);
  Svg svg(100, 80);
  svg.text(10, 10, "\xEF\xBF\xBF\xC0\xAF\xED\xA0\x80 ok", "class=\"label\"");
  const auto elements = testing::parse_xml(svg.str());
  ASSERT_EQ(testing::with_class(elements, "label").size(), 1u);
  EXPECT_TRUE(xml_text_ok(svg.str()));
}

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
  const auto widest = nice_ticks(-1.7e308, 1.7e308, 3);  // the width overflows
  ASSERT_GE(widest.size(), 2u);
  for (double t : widest) EXPECT_TRUE(std::fabs(t) <= 1.7e308) << t;
  // an interval ending at the largest double: 1.75e308 was followed by 995
  // ticks at inf (and their labels threw)
  const double largest = std::numeric_limits<double>::max();
  const auto top = nice_ticks(1.53e308, largest, 5);
  const std::vector<double> expected{1.55e308, 1.6e308, 1.65e308, 1.7e308, 1.75e308};
  ASSERT_EQ(top.size(), expected.size());
  for (std::size_t k = 0; k < top.size(); ++k) EXPECT_NEAR(top[k] / expected[k], 1, 1e-15);
  EXPECT_EQ(tick_labels(top).back(), "1.75e+308");
  const auto bottom = nice_ticks(-largest, -1.53e308, 5);
  EXPECT_EQ(bottom.size(), 5u);
  EXPECT_EQ(tick_labels({1, std::numeric_limits<double>::infinity()}).back(), "inf");
  EXPECT_EQ(format_tick(0.5, 0.5), "0.5");
  EXPECT_EQ(format_tick(-0.0, 0.5), "0.0");
  EXPECT_EQ(format_tick(2000, 500), "2000");
  EXPECT_EQ(format_tick(0.06, 0.02), "0.06");
  EXPECT_EQ(log_ticks(1e-6, 10, 10), (std::vector<double>{1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10}));
  EXPECT_EQ(log_ticks(1e-12, 1, 4).size(), 4u);        // 1e-12, 1e-8, 1e-4, 1 (every 4th decade)
  EXPECT_EQ(log_ticks(2, 8, 4), nice_ticks(2, 8, 4));  // less than a decade: linear ticks
}

TEST(Ticks, ANarrowIntervalGetsTwoTicks) {
  // the step nearest the width, 0.2, fitted once in [0.11, 0.29]
  const auto ticks = nice_ticks(0.11, 0.29, 2);
  ASSERT_GE(ticks.size(), 2u);
  for (double t : ticks) EXPECT_TRUE(t >= 0.11 && t <= 0.29) << t;
  for (double width : {0.7, 0.9, 1.1, 1.9, 3.3, 4.9})
    for (double lo : {-2.05, -0.01, 0.03, 0.51}) EXPECT_GE(nice_ticks(lo, lo + width, 2).size(), 2u) << lo;
}

/// The labels of nice ticks over [lo, hi]: each within a hundredth of the
/// spacing of its tick, hence distinct and increasing.
std::vector<std::string> checked_labels(double lo, double hi, int target) {
  const std::vector<double> ticks = nice_ticks(lo, hi, target);
  const std::vector<std::string> labels = tick_labels(ticks);
  EXPECT_GE(ticks.size(), 2u) << lo << " " << hi;
  EXPECT_EQ(labels.size(), ticks.size());
  for (std::size_t k = 0; k < labels.size() && k < ticks.size(); ++k) {
    EXPECT_NEAR(std::stod(labels[k]), ticks[k], 0.01 * (ticks[1] - ticks[0])) << labels[k];
    if (k > 0) {
      EXPECT_LT(std::stod(labels[k - 1]), std::stod(labels[k])) << labels[k - 1] << " " << labels[k];
    }
  }
  return labels;
}

TEST(Ticks, LabelsAreDistinctAndIncreasingAtAnyMagnitude) {
  using Labels = std::vector<std::string>;
  // %.3g made 999999.0 999999.5 1e+06 1e+06 1e+06
  EXPECT_EQ(checked_labels(999999, 1000001, 5),
            (Labels{"999999.0", "999999.5", "1000000.0", "1000000.5", "1000001.0"}));
  EXPECT_EQ(checked_labels(1000000, 1000010, 6),
            (Labels{"1000000", "1000002", "1000004", "1000006", "1000008", "1000010"}));
  EXPECT_EQ(checked_labels(1e-300, 1.001e-300, 3), (Labels{"1e-300", "1.0005e-300", "1.001e-300"}));
  EXPECT_EQ(checked_labels(1e-5, 1.0001e-5, 3), (Labels{"1e-05", "1.00005e-05", "1.0001e-05"}));
  EXPECT_EQ(checked_labels(1, 1.0000000001, 3), (Labels{"1.00000000000", "1.00000000005", "1.00000000010"}));
  // the usual magnitudes keep their short labels
  EXPECT_EQ(checked_labels(0, 10, 6), (Labels{"0", "2", "4", "6", "8", "10"}));
  EXPECT_EQ(checked_labels(-1, 1, 5), (Labels{"-1.0", "-0.5", "0.0", "0.5", "1.0"}));
  EXPECT_EQ(checked_labels(0, 4e6, 5), (Labels{"0", "1e+06", "2e+06", "3e+06", "4e+06"}));
  EXPECT_EQ(checked_labels(0, 4e-5, 5), (Labels{"0", "1e-05", "2e-05", "3e-05", "4e-05"}));
  EXPECT_EQ(checked_labels(0.013, 0.0871, 5), (Labels{"0.02", "0.04", "0.06", "0.08"}));
  for (double lo : {-1e300, -3e7, -1e-7, 1e-310, 0.3, 7e11, 2e306})
    for (double relative : {1e-9, 1e-4, 0.3, 10.0})
      for (int target : {2, 5, 9}) checked_labels(lo, lo + std::fabs(lo) * relative + 1e-300, target);
}

}  // namespace
}  // namespace nabla::plot
