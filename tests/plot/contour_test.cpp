// Marching squares against closed-form level sets: circles, the lines of a
// saddle, the saddle-cell disambiguation, and undefined regions.
#include "nabla/plot/contour.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "nabla/core/errors.hpp"

namespace nabla::plot {
namespace {

TEST(Contour, CirclesOfAParaboloid) {
  const Samples s = sample([](const Eigen::Vector2d& p) { return p.squaredNorm(); }, -2, 2, -2, 2, 81, 81);
  for (double r : {0.5, 1.0, 1.7}) {
    const auto lines = contour_lines(s, r * r);
    ASSERT_EQ(lines.size(), 1u) << r;
    const auto& line = lines[0];
    EXPECT_LE((line.front() - line.back()).norm(), 1e-12) << "closed";
    EXPECT_GT(line.size(), 20u);
    for (const Eigen::Vector2d& p : line) EXPECT_NEAR(p.norm(), r, 2e-3);  // interpolation error ~ h^2/r
    double length = 0;
    for (std::size_t k = 1; k < line.size(); ++k) length += (line[k] - line[k - 1]).norm();
    EXPECT_NEAR(length, 2 * std::numbers::pi * r, 2e-2 * r);
  }
}

TEST(Contour, SamplesOfTheWidestBoxesAreFinite) {
  // (x1 - x0) i overflowed from the third sample of 0:1e308 on
  const Samples s = sample([](const Eigen::Vector2d& p) { return p.x() * 1e-308 + p.y() * 1e-308; }, 0, 1e308,
                           -1e308, 1e308, 5, 9);
  for (int i = 1; i < s.nx; ++i) EXPECT_NEAR(s.x(i) - s.x(i - 1), 0.25e308, 1e293) << i;
  for (int j = 1; j < s.ny; ++j) EXPECT_NEAR(s.y(j) - s.y(j - 1), 0.25e308, 1e293) << j;
  EXPECT_EQ(s.x(0), 0);
  EXPECT_EQ(s.x(4), 1e308);
  EXPECT_EQ(s.y(8), 1e308);
  EXPECT_NEAR(s.value(4, 8), 2, 1e-12);
}

TEST(Contour, OpenLinesEndOnTheBoundary) {
  // f = x y: the level 0.5 is two hyperbola branches, ending on the box's edges
  const Samples s = sample([](const Eigen::Vector2d& p) { return p.x() * p.y(); }, -2, 2, -2, 2, 60, 60);
  const auto lines = contour_lines(s, 0.5);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    for (const Eigen::Vector2d& p : line) EXPECT_NEAR(p.x() * p.y(), 0.5, 5e-3);
    for (const Eigen::Vector2d& end : {line.front(), line.back()})
      EXPECT_NEAR(std::max(std::fabs(end.x()), std::fabs(end.y())), 2.0, 1e-12);
  }
}

TEST(Contour, SaddleCellsFollowTheCentre) {
  // one cell, corners (0,0)=1, (1,0)=-1, (1,1)=1, (0,1)=-1: the two "above"
  // corners are diagonal. With centre value c = mean = 0 >= level -0.5 the
  // above corners connect: the segments cut off the lower-right and upper-left.
  Samples s{0, 1, 0, 1, 2, 2, {1, -1, -1, 1}};  // row j = 0: (0,0), (1,0); row 1: (0,1), (1,1)
  auto corner_cut = [](const std::vector<std::vector<Eigen::Vector2d>>& lines, Eigen::Vector2d corner) {
    for (const auto& l : lines)
      if ((0.5 * (l.front() + l.back()) - corner).norm() < 0.5) return true;
    return false;
  };
  const auto above = contour_lines(s, -0.5);
  ASSERT_EQ(above.size(), 2u);
  EXPECT_TRUE(corner_cut(above, {1, 0}));
  EXPECT_TRUE(corner_cut(above, {0, 1}));
  const auto below = contour_lines(s, 0.5);  // centre 0 < 0.5: the "above" corners are cut off
  ASSERT_EQ(below.size(), 2u);
  EXPECT_TRUE(corner_cut(below, {0, 0}));
  EXPECT_TRUE(corner_cut(below, {1, 1}));
}

TEST(Contour, UndefinedCellsAreSkipped) {
  // sqrt(1 - r^2) is NaN outside the unit disc; its level 0.6 is the circle r = 0.8
  const Samples s = sample([](const Eigen::Vector2d& p) { return std::sqrt(1 - p.squaredNorm()); }, -1.5, 1.5,
                           -1.5, 1.5, 91, 91);
  const auto lines = contour_lines(s, 0.6);
  ASSERT_EQ(lines.size(), 1u);
  for (const Eigen::Vector2d& p : lines[0]) EXPECT_NEAR(p.norm(), 0.8, 2e-3);
  for (double level : automatic_levels(s, 10, LevelSpacing::Quantile)) {
    EXPECT_GT(level, 0);
    EXPECT_LT(level, 1);
  }
  EXPECT_TRUE(contour_lines(s, std::nan("")).empty());
}

TEST(Contour, AutomaticLevels) {
  const Samples s = sample([](const Eigen::Vector2d& p) { return p.x() + 10 * p.y(); }, 0, 1, 0, 1, 11, 11);
  for (LevelSpacing spacing : {LevelSpacing::Quantile, LevelSpacing::Nice}) {
    const auto levels = automatic_levels(s, 8, spacing);
    ASSERT_GE(levels.size(), 4u);
    for (std::size_t k = 1; k < levels.size(); ++k) EXPECT_LT(levels[k - 1], levels[k]);
    EXPECT_GT(levels.front(), 0);
    EXPECT_LT(levels.back(), 11);
  }
  const Samples flat = sample([](const Eigen::Vector2d&) { return 3.0; }, 0, 1, 0, 1, 5, 5);
  EXPECT_TRUE(automatic_levels(flat, 8, LevelSpacing::Nice).empty());
  EXPECT_THROW(sample([](const Eigen::Vector2d&) { return 0.0; }, 0, 1, 0, 1, 1, 5), DomainError);
}

}  // namespace
}  // namespace nabla::plot
