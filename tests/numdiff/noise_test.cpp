// The noise reading (ECnoise on moved nodes): known synthetic noise is read
// at its level, smooth functions show none beyond their rounding, and the
// verdicts for spacings that are too small or too large.
#include "nabla/numdiff/noise.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <random>
#include <utility>
#include <vector>

namespace {

namespace nd = nabla::numdiff;

constexpr std::size_t kPoints = 9;

std::array<double, kPoints> equal_nodes() {
  std::array<double, kPoints> nodes{};
  for (std::size_t i = 0; i < kPoints; ++i) nodes[i] = static_cast<double>(i) - 4;
  return nodes;
}

std::array<double, kPoints> moved_nodes() { return nd::detail::noise_nodes(nd::detail::Side::both); }

nd::NoiseReading read(const std::array<double, kPoints>& nodes, const std::function<double(double)>& f,
                      double x, double spacing) {
  std::array<double, kPoints> values{};
  for (std::size_t i = 0; i < kPoints; ++i) values[i] = f(x + nodes[i] * spacing);
  return nd::read_noise(nodes, values);
}

// A smooth function plus Gaussian noise of deviation sigma: the median
// reading over many draws is within a factor 2 of sigma, on equally spaced
// nodes (ECnoise itself) and on the moved ones.
TEST(Noise, ReadsGaussianNoiseAtItsLevel) {
  for (const auto& nodes : {equal_nodes(), moved_nodes()}) {
    for (const double sigma : {1e-12, 1e-8, 1e-4}) {
      std::mt19937_64 rng(17);
      std::normal_distribution<double> noise(0, sigma);
      std::vector<double> levels;
      for (int draw = 0; draw < 101; ++draw) {
        const auto f = [&](double t) { return std::exp(t) + noise(rng); };
        const nd::NoiseReading r = read(nodes, f, 0.5, 1e-6);
        if (r.verdict == nd::NoiseVerdict::detected) levels.push_back(r.level);
      }
      ASSERT_GE(levels.size(), 90u) << sigma;
      std::nth_element(levels.begin(), levels.begin() + levels.size() / 2, levels.end());
      const double median = levels[levels.size() / 2];
      EXPECT_GT(median, sigma / 2) << sigma;
      EXPECT_LT(median, 2 * sigma) << sigma;
    }
  }
}

// A correctly rounded smooth function is noisy only at its last bits.
TEST(Noise, SmoothFunctionsShowOnlyTheirRounding) {
  const std::function<double(double)> smooth[] = {[](double t) { return std::exp(t); },
                                                  [](double t) { return std::sin(t) + 2; },
                                                  [](double t) { return std::log(t); }};
  for (const auto& f : smooth) {
    const nd::NoiseReading r = read(moved_nodes(), f, 1.7, 1e-6);
    ASSERT_EQ(r.verdict, nd::NoiseVerdict::detected);
    EXPECT_LE(r.level, 2e-16 * std::fabs(f(1.7)));
  }
}

// (1 - cos t) / t^2 at t = 1e-5: 1 - cos t is about 5e-11, a multiple of the
// spacing 1.1e-16 of doubles below 1, so f is wrong by up to 1e-6 of its 0.5.
TEST(Noise, ReadsTheRoundingStaircaseOfACancellation) {
  const auto f = [](double t) { return (1 - std::cos(t)) / (t * t); };
  const nd::NoiseReading r = read(moved_nodes(), f, 1e-5, 1e-6 / 16);
  ASSERT_EQ(r.verdict, nd::NoiseVerdict::detected);
  EXPECT_GT(r.level, 1e-7);
  EXPECT_LT(r.level, 2e-6);
}

TEST(Noise, ReadsTheStaircaseOfACancellationNearAZeroOfF) {
  // sqrt(1 + t^2) - 1 near 1e-7 is about 22 multiples of 2^-52, the
  // spacing of the doubles above 1: its few stairs spread over all of its
  // size, which read as f's own variation (spacing too large) at every
  // spacing wide enough to show them.
  const auto f = [](double t) { return std::sqrt(1 + t * t) - 1; };
  const nd::NoiseReading r = read(moved_nodes(), f, 1e-7, 6.25e-9);
  ASSERT_EQ(r.verdict, nd::NoiseVerdict::detected);
  EXPECT_GT(r.level, 0x1p-52 / 8);
  EXPECT_LT(r.level, 0x1p-52);
  // and a smooth trend as wide, of values not on such a grid, is still f's own
  const auto smooth = [](double t) { return t * t / 2; };
  EXPECT_EQ(read(moved_nodes(), smooth, 1e-7, 6.25e-9).verdict, nd::NoiseVerdict::spacing_too_large);
  EXPECT_EQ(read(moved_nodes(), smooth, 1e-7, 6.25e-9).spread_level, 0);
}

TEST(Noise, NoiseAroundZeroIsReadWhereANarrowerSpacingConfirmsIt) {
  // exp(t) - 1 - t at 3e-9: a few rounding units of 1, off any grid, around
  // 4.5e-18; its values spread over all of their size at every spacing
  const auto f = [](double t) { return std::exp(t) - 1 - t; };
  const nd::NoiseReading wide = read(moved_nodes(), f, 3e-9, 3e-9 / 16);
  EXPECT_EQ(wide.verdict, nd::NoiseVerdict::spacing_too_large);
  EXPECT_GT(wide.spread_level, 0x1p-52 / 8);
  EXPECT_LT(wide.spread_level, 0x1p-52);
  Eigen::ArrayXd center(1);
  center(0) = f(3e-9);
  const auto g = [&](double t) { return Eigen::ArrayXd::Constant(1, f(t)); };
  const double bound = nd::detail::value_noise(g, 3e-9, nd::detail::Side::both, center, 1)(0);
  EXPECT_GT(bound, 0x1p-52 / 4);
  EXPECT_LT(bound, 4 * 0x1p-52);
}

// A float inside a double function: f(t) = (double)(float)(t * t) is wrong
// by up to half a float unit, 3e-8 relative.
TEST(Noise, MovedNodesSeeTheRoundingOfAFloat) {
  const auto f = [](double t) { return static_cast<double>(static_cast<float>(t * t)); };
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> uniform(1, 4);
  for (int k = 0; k < 50; ++k) {
    const double x = uniform(rng);
    const nd::NoiseReading r = read(moved_nodes(), f, x, 1e-6);
    ASSERT_EQ(r.verdict, nd::NoiseVerdict::detected) << x;
    EXPECT_GT(r.level, 1e-9 * x * x) << x;
    EXPECT_LT(r.level, 1e-7 * x * x) << x;
  }
}

TEST(Noise, VerdictsForSpacingsThatShowNoNoise) {
  // every value equal: the staircase is wider than the points
  const auto flat = [](double t) { return static_cast<double>(static_cast<float>(t)); };
  EXPECT_EQ(read(moved_nodes(), flat, 1000, 1e-9).verdict, nd::NoiseVerdict::spacing_too_small);
  // sin at 1e10 sampled 1e4 apart: values spread over [-1, 1]
  const auto sin = [](double t) { return std::sin(t); };
  EXPECT_EQ(read(moved_nodes(), sin, 1e10, 1e4).verdict, nd::NoiseVerdict::spacing_too_large);
  // a smooth trend whose differences shrink with their order, never levelling off
  const auto exp = [](double t) { return std::exp(t); };
  EXPECT_EQ(read(equal_nodes(), exp, 0, 1e-2).verdict, nd::NoiseVerdict::spacing_too_large);
  // not a number, or nodes out of order
  const auto nan = [](double t) { return t > 0 ? std::nan("") : 1.0; };
  EXPECT_EQ(read(moved_nodes(), nan, 0, 1e-3).verdict, nd::NoiseVerdict::spacing_too_large);
  std::array<double, kPoints> backwards = equal_nodes();
  std::swap(backwards[2], backwards[3]);
  EXPECT_EQ(read(backwards, exp, 0, 1e-3).verdict, nd::NoiseVerdict::spacing_too_small);
}

// Values near the largest double: the squares of their differences must not overflow.
TEST(Noise, ValuesNearTheLargestDoubleDoNotOverflow) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 1e-10);
  const auto f = [&](double t) { return 1e307 * (1 + t + noise(rng)); };
  const nd::NoiseReading r = read(moved_nodes(), f, 0.5, 1e-6);
  ASSERT_EQ(r.verdict, nd::NoiseVerdict::detected);
  EXPECT_TRUE(std::isfinite(r.level));
  EXPECT_GT(r.level, 1e296);
  EXPECT_LT(r.level, 1e298);
}

}  // namespace
