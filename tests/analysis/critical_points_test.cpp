// Critical points against closed forms: the seeds (x^4 - 4x^3 + 4x^2,
// x^3 - 3x + y^2, x^4 + y^4, w^2 - 4w + 5), sin(x) sin(y), Rosenbrock, and
// the gradient and Hessian at every point found checked by finite differences.
#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>
#include <string>

#include "nabla/analysis/analysis.hpp"
#include "nabla/numdiff/numdiff.hpp"
#include "nabla/sym/sym.hpp"

namespace nabla::analysis {
namespace {

using Kind = CriticalKind;

struct Expected {
  std::vector<double> x;
  Kind kind;
};

void expect_points(const std::vector<CriticalPoint>& found, const std::vector<Expected>& expected,
                   double tol) {
  ASSERT_EQ(found.size(), expected.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    ASSERT_EQ(found[i].x.size(), static_cast<Eigen::Index>(expected[i].x.size()));
    for (Eigen::Index d = 0; d < found[i].x.size(); ++d)
      EXPECT_NEAR(found[i].x[d], expected[i].x[static_cast<std::size_t>(d)], tol) << "point " << i;
    EXPECT_EQ(found[i].kind, expected[i].kind) << "point " << i << ": " << to_string(found[i].kind);
  }
}

/// The numeric gradient vanishes and the numeric Hessian has the reported eigenvalues.
template <class F>
void expect_confirmed_by_numdiff(F f_double, const std::vector<CriticalPoint>& found) {
  for (const CriticalPoint& p : found) {
    EXPECT_LE(numdiff::gradient(f_double, p.x).norm(), 1e-6) << p.x.transpose();
    const Eigen::MatrixXd h = numdiff::hessian(f_double, p.x);
    const Eigen::VectorXd lambda = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h).eigenvalues();
    EXPECT_LE((lambda - p.eigenvalues).norm(), 1e-4 * (1 + lambda.norm())) << p.x.transpose();
  }
}

TEST(CriticalPoints, QuarticSeedSymbolicIsExact) {
  const auto found = critical_points(sym::parse("x^4 - 4*x^3 + 4*x^2"), Box{{-3, 5}});
  expect_points(found, {{{0}, Kind::Minimum}, {{1}, Kind::Maximum}, {{2}, Kind::Minimum}}, 1e-14);
  EXPECT_NEAR(found[1].f, 1.0, 1e-14);               // f(1) = 1 - 4 + 4
  EXPECT_NEAR(found[0].eigenvalues[0], 8.0, 1e-12);  // f''(x) = 12x^2 - 24x + 8
  EXPECT_NEAR(found[1].eigenvalues[0], -4.0, 1e-12);
}

TEST(CriticalPoints, QuarticSeedNumeric) {
  auto f = [](const auto& v) { return v[0] * v[0] * v[0] * v[0] - 4 * v[0] * v[0] * v[0] + 4 * v[0] * v[0]; };
  const auto found = critical_points(f, Box{{-3, 5}});
  expect_points(found, {{{0}, Kind::Minimum}, {{1}, Kind::Maximum}, {{2}, Kind::Minimum}}, 1e-12);
  expect_confirmed_by_numdiff([&](const Eigen::VectorXd& v) { return f(v); }, found);
}

TEST(CriticalPoints, CubicPlusSquareSeed) {
  auto f = [](const auto& v) { return v[0] * v[0] * v[0] - 3 * v[0] + v[1] * v[1]; };
  const auto found = critical_points(f, Box{{-3, 3}, {-3, 3}});
  expect_points(found, {{{-1, 0}, Kind::Saddle}, {{1, 0}, Kind::Minimum}}, 1e-12);
  EXPECT_NEAR(found[1].f, -2.0, 1e-12);
  EXPECT_NEAR(found[0].eigenvalues[0], -6.0, 1e-10);  // H = diag(6x, 2)
  EXPECT_NEAR(found[1].eigenvalues[1], 6.0, 1e-10);
  expect_confirmed_by_numdiff([&](const Eigen::VectorXd& v) { return f(v); }, found);
  // the same through the symbolic entry point (compiled, numeric search)
  const auto symbolic = critical_points(sym::parse("x^3 - 3*x + y^2"), Box{{-3, 3}, {-3, 3}});
  expect_points(symbolic, {{{-1, 0}, Kind::Saddle}, {{1, 0}, Kind::Minimum}}, 1e-12);
}

TEST(CriticalPoints, QuarticBowlIsAMinimumThoughItsHessianVanishes) {
  // (the Hessian test is inconclusive; f's values around the point decide)
  auto f = [](const auto& v) { return v[0] * v[0] * v[0] * v[0] + v[1] * v[1] * v[1] * v[1]; };
  const auto found = critical_points(f, Box{{-2, 2}, {-1, 3}});
  expect_points(found, {{{0, 0}, Kind::Minimum}}, 1e-6);
  EXPECT_LE(found[0].eigenvalues.cwiseAbs().maxCoeff(), 1e-30);
  const auto symbolic = critical_points(sym::parse("x^4 + y^4"), Box{{-2, 2}, {-1, 3}});
  expect_points(symbolic, {{{0, 0}, Kind::Minimum}}, 1e-6);
}

TEST(CriticalPoints, QuadraticCostSeed) {
  expect_points(critical_points(sym::parse("w^2 - 4*w + 5"), Box{{-10, 10}}), {{{2}, Kind::Minimum}}, 1e-15);
  auto j = [](const auto& v) { return v[0] * v[0] - 4 * v[0] + 5; };
  const auto found = critical_points(j, Box{{-10, 10}});
  expect_points(found, {{{2}, Kind::Minimum}}, 1e-12);
  EXPECT_NEAR(found[0].f, 1.0, 1e-12);
}

TEST(CriticalPoints, EveryRootOfASexticsDerivative) {
  // f' = x^5 - 5x^3 + 4x = x (x^2 - 1)(x^2 - 4); f'' = 5x^4 - 15x^2 + 4
  const auto found = critical_points(sym::parse("x^6/6 - 5*x^4/4 + 2*x^2"), Box{{-3, 3}});
  expect_points(found,
                {{{-2}, Kind::Minimum},
                 {{-1}, Kind::Maximum},
                 {{0}, Kind::Minimum},
                 {{1}, Kind::Maximum},
                 {{2}, Kind::Minimum}},
                1e-13);
  // a smaller box keeps only what lies inside it
  expect_points(critical_points(sym::parse("x^6/6 - 5*x^4/4 + 2*x^2"), Box{{-0.5, 1.5}}),
                {{{0}, Kind::Minimum}, {{1}, Kind::Maximum}}, 1e-13);
}

TEST(CriticalPoints, MultipleRootsOfTheDerivativeAreDecidedByItsSign) {
  // f' keeps its sign through an inflection (no extremum: a saddle), and
  // changes it at a minimum or maximum
  expect_points(critical_points(sym::parse("x^3"), Box{{-1, 1}}), {{{0}, Kind::Saddle}}, 0.0);
  expect_points(critical_points(sym::parse("(x - 1)^3 + 2"), Box{{-3, 3}}), {{{1}, Kind::Saddle}}, 1e-6);
  expect_points(critical_points(sym::parse("(x - 1)^4"), Box{{-3, 3}}), {{{1}, Kind::Minimum}}, 1e-4);
  expect_points(critical_points(sym::parse("1 - x^8"), Box{{-3, 3}}), {{{0}, Kind::Maximum}}, 1e-4);
  EXPECT_TRUE(critical_points(sym::parse("x^3 + x"), Box{{-3, 3}}).empty());  // f' = 3x^2 + 1 > 0
}

// A root of multiplicity m of f' spreads the companion eigenvalues over a
// radius of about eps^(1/m): the points found must still be the true critical
// points, each once, and never a false minimum/maximum pair.
TEST(CriticalPoints, HighMultiplicityRootsAreFoundOnce) {
  // f' = 30 (x^2+1)^29 (x-1)^29 (3x^2 - 2x + 1): the only real root is 1
  const auto high = critical_points(sym::parse("(x^2+1)^30*(x-1)^30"), Box{{-3, 3}});
  // (x - 1)^29 underflows at |x - 1| ~ 1e-11, where f' looks exactly zero;
  // and f' is within the rounding of its expanded coefficients (1e7 at 1)
  // up to 2.9, so its sign is never certain on the left: no verdict
  expect_points(high, {{{1}, Kind::Inconclusive}}, 1e-9);
  // f' = (x^2+x+1)^32 (x-1)^33 (33 (2x+1)(x-1) + 34 (x^2+x+1)), and the
  // last factor 100x^2 + x + 1 > 0: f' changes sign, from - to +
  expect_points(critical_points(sym::parse("(x^2+x+1)^33*(x-1)^34"), Box{{-3, 3}}), {{{1}, Kind::Minimum}},
                1e-9);
  // (in these narrow boxes f' never leaves the rounding of its coefficients)
  expect_points(critical_points(sym::parse("(x-1)^7"), Box{{0.99, 1.01}}), {{{1}, Kind::Inconclusive}},
                1e-12);
  expect_points(critical_points(sym::parse("(x-1)^6"), Box{{0.999, 1.001}}), {{{1}, Kind::Inconclusive}},
                1e-12);
  expect_points(critical_points(sym::parse("(x-1)^5"), Box{{0, 2}}), {{{1}, Kind::Saddle}}, 1e-12);
  expect_points(critical_points(sym::parse("(2*x-1)^5"), Box{{0, 1}}), {{{0.5}, Kind::Saddle}}, 1e-12);
  // a simple critical point next to a multiple one keeps its classification
  expect_points(critical_points(sym::parse("(x-1)^5*(x+1)"), Box{{-3, 3}}),
                {{{-2.0 / 3}, Kind::Minimum}, {{1}, Kind::Saddle}}, 1e-12);
}

// Whether a small leading coefficient is negligible depends on the range of x:
// on these boxes the cubic term decides the critical points.
TEST(CriticalPoints, SmallLeadingCoefficientsCountOverTheBox) {
  expect_points(critical_points(sym::parse("x^3 - 3e14*x"), Box{{-2e7, 2e7}}),
                {{{-1e7}, Kind::Maximum}, {{1e7}, Kind::Minimum}}, 1e-6);
  const double r = std::sqrt(1e15 / 3);  // f' = 3e-15 x^2 - 1
  expect_points(critical_points(sym::parse("1e-15*x^3 - x"), Box{{-1e8, 1e8}}),
                {{{-r}, Kind::Maximum}, {{r}, Kind::Minimum}}, 1e-6);
}

// Where x^3 overflows the rounding bound of f' overflowed too, and inf <= inf
// made the box's ends roots of f' and merged 0, 1 and 2 into one flat zero.
TEST(CriticalPoints, WideBoxesWhereTheTermsOverflow) {
  for (const double w : {1e80, 1e103, 1e110})
    expect_points(critical_points(sym::parse("x^4 - 4*x^3 + 4*x^2"), Box{{-w, w}}),
                  {{{0}, Kind::Minimum}, {{1}, Kind::Maximum}, {{2}, Kind::Minimum}}, 1e-12);
  // f' = 1e-300 x^2 + x - 1, of roots -9.9999999999999997494e299 (f'' = -1)
  // and 1 (f'' = 1), by mpmath's polyroots at 50 digits. Near -1e300 f and
  // f' overflow as evaluated, so only the root at 1 is checked: it was
  // inconclusive, in one flat zero with the box's ends.
  const auto found = critical_points(sym::parse("1e-300*x^3/3 + x^2/2 - x"), Box{{-1e300, 1e300}});
  const auto one = std::find_if(found.begin(), found.end(),
                                [](const CriticalPoint& p) { return std::fabs(p.x[0] - 1) <= 1e-15; });
  ASSERT_NE(one, found.end());
  EXPECT_EQ(one->kind, Kind::Minimum) << to_string(one->kind);
  EXPECT_EQ(one->eigenvalues[0], 1.0);
}

// f' = 1e-18 x^3 + x^2 - 1, of roots -999999999999999928.46, -1 and 1
// (mpmath's polyroots at 50 digits): the unbalanced companion matrix gave no
// estimate near 1, and -1 only by a merge that made it inconclusive.
TEST(CriticalPoints, SmallLeadingCoefficientOnAWideBox) {
  const auto found = critical_points(sym::parse("1e-18*x^4/4 + x^3/3 - x"), Box{{-1e19, 1e19}});
  ASSERT_EQ(found.size(), 3u);
  EXPECT_NEAR(found[0].x[0], -1e18, 1e4);
  EXPECT_EQ(found[0].kind, Kind::Minimum);  // f'' = 3e-18 x^2 + 2x = 1e18 there
  EXPECT_NEAR(found[1].x[0], -1, 1e-15);
  EXPECT_EQ(found[1].kind, Kind::Maximum);  // f''(-1) = -2
  EXPECT_NEAR(found[2].x[0], 1, 1e-15);
  EXPECT_EQ(found[2].kind, Kind::Minimum);  // f''(1) = 2
}

TEST(CriticalPoints, SinTimesSinWithHaltonStarts) {
  auto f = [](const auto& v) {
    using std::sin;
    return sin(v[0]) * sin(v[1]);
  };
  CriticalOptions options;
  options.starts = Starts::Halton;
  options.start_count = 300;
  const double h = std::numbers::pi / 2;
  const auto found = critical_points(f, Box{{-3, 3}, {-3, 3}}, options);
  expect_points(found,
                {{{-h, -h}, Kind::Maximum},
                 {{-h, h}, Kind::Minimum},
                 {{0, 0}, Kind::Saddle},
                 {{h, -h}, Kind::Minimum},
                 {{h, h}, Kind::Maximum}},
                1e-12);
  expect_confirmed_by_numdiff([&](const Eigen::VectorXd& v) { return f(v); }, found);
}

TEST(CriticalPoints, SaddlesAndMaximaBetweenMinimaInAWideBox) {
  // Over -10:10 the starts are 1.05 apart and miss the narrow Newton basins
  // of the points between the minima; the midpoint rounds find them.
  auto double_well = [](const auto& v) {
    const auto a = v[0] * v[0] - 1.0, b = v[1] * v[1] - 1.0;
    return a * a + b * b;
  };
  const Box wide{{-10, 10}, {-10, 10}};
  const auto found = critical_points(double_well, wide);
  expect_points(found,
                {{{-1, -1}, Kind::Minimum},
                 {{-1, 0}, Kind::Saddle},
                 {{-1, 1}, Kind::Minimum},
                 {{0, -1}, Kind::Saddle},
                 {{0, 0}, Kind::Maximum},
                 {{0, 1}, Kind::Saddle},
                 {{1, -1}, Kind::Minimum},
                 {{1, 0}, Kind::Saddle},
                 {{1, 1}, Kind::Minimum}},
                1e-12);
  expect_confirmed_by_numdiff([&](const Eigen::VectorXd& v) { return double_well(v); }, found);
  auto one_well = [](const auto& v) {
    const auto a = v[0] * v[0] - 1.0;
    return a * a + v[1] * v[1];
  };
  expect_points(critical_points(one_well, wide),
                {{{-1, 0}, Kind::Minimum}, {{0, 0}, Kind::Saddle}, {{1, 0}, Kind::Minimum}}, 1e-12);
}

TEST(CriticalPoints, MaximumOfAConcaveQuadratic) {
  auto f = [](const auto& v) { return -v[0] * v[0] - 2 * v[1] * v[1] + v[0] * v[1] + v[0]; };
  // grad = (-2x + y + 1, -4y + x) = 0  =>  x = 4/7, y = 1/7
  expect_points(critical_points(f, Box{{-5, 5}, {-5, 5}}), {{{4.0 / 7, 1.0 / 7}, Kind::Maximum}}, 1e-12);
}

TEST(CriticalPoints, RosenbrockAndThreeDimensions) {
  auto rosenbrock = [](const auto& v) {
    const auto a = 1 - v[0];  // two declarations: a and b are expressions of different types
    const auto b = v[1] - v[0] * v[0];
    return a * a + 100 * b * b;
  };
  expect_points(critical_points(rosenbrock, Box{{-2, 2}, {-1, 3}}), {{{1, 1}, Kind::Minimum}}, 1e-10);
  // f = x^2 + y^2 - z^2 + x y z: 2x + yz = 2y + xz = xy - 2z = 0 gives z = xy/2
  // and x (2 + y^2/2) = 0, so the origin, a saddle, is the only critical point
  auto g = [](const auto& v) { return v[0] * v[0] + v[1] * v[1] - v[2] * v[2] + v[0] * v[1] * v[2]; };
  CriticalOptions options;
  options.start_count = 1000;
  const auto found = critical_points(g, Box{{-3, 3}, {-3, 3}, {-3, 3}}, options);
  expect_points(found, {{{0, 0, 0}, Kind::Saddle}}, 1e-10);
  expect_confirmed_by_numdiff([&](const Eigen::VectorXd& v) { return g(v); }, found);
}

TEST(CriticalPoints, UndefinedRegionsAreSkipped) {
  // f = x log x - x: f' = log x, undefined for x < 0; the minimum is at x = 1
  auto f = [](const auto& v) {
    using std::log;
    return v[0] * log(v[0]) - v[0];
  };
  expect_points(critical_points(f, Box{{-1, 3}}), {{{1}, Kind::Minimum}}, 1e-12);
  expect_points(critical_points(sym::parse("x*log(x) - x"), Box{{-1, 3}}), {{{1}, Kind::Minimum}}, 1e-12);
}

TEST(CriticalPoints, BadInput) {
  EXPECT_THROW(critical_points(sym::parse("x^2 + y^2"), Box{{-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points(sym::parse("3"), Box{{-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points([](const auto& v) { return v[0]; }, Box{}), DimensionError);
  EXPECT_THROW(Box({{1, -1}}), DomainError);
  try {  // the message names the bounds, which say which way they are wrong
    Box({{-1, 1}, {0.1, -0.25}});
    ADD_FAILURE() << "lo > hi was taken";
  } catch (const DomainError& e) {
    EXPECT_NE(
        std::string(e.what()).find("dimension 1 is 0.1 : -0.25; a box needs finite bounds with lo <= hi"),
        std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Box({{0, std::numeric_limits<double>::infinity()}}), DomainError);
  EXPECT_THROW(Box(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Ones(3)), DimensionError);
  EXPECT_TRUE(critical_points(sym::parse("2*x + 1"), Box{{-1, 1}}).empty());
}

TEST(CriticalPoints, ABoxOfZeroWidthIsRefused) {
  // Over Box{{0, 0}, {0, 0}} the numeric path looked a thousandth of the box
  // away, at the point itself, and called the minimum of x^2 + y^2 flat
  // and Inconclusive. The symbolic path of one variable refuses it as well,
  // so that the answer does not depend on which path f takes.
  const auto bowl = [](const auto& v) { return v[0] * v[0] + v[1] * v[1]; };
  EXPECT_THROW(critical_points(bowl, Box{{0, 0}, {0, 0}}), DomainError);
  EXPECT_THROW(critical_points(bowl, Box{{-1, 1}, {2, 2}}), DomainError);
  EXPECT_THROW(critical_points(sym::parse("x^2 + y^2"), Box{{0, 0}, {-1, 1}}), DomainError);
  EXPECT_THROW(critical_points(sym::parse("x^3 - 3*x"), Box{{1, 1}}), DomainError);
  expect_points(critical_points(bowl, Box{{-1e-9, 1e-9}, {-1e-9, 1e-9}}), {{{0, 0}, Kind::Minimum}}, 1e-12);
  // a box narrower than its doubles resolve (1 : 1 + 2^-52 made every point
  // exactly flat and inconclusive, though the Hessian of this saddle is
  // diag(2, -2))
  const auto saddle = sym::parse("(x - 1)^2 - (y - 2)^2");
  EXPECT_THROW(critical_points(saddle, Box{{1, 1 + 0x1p-52}, {2, 2 + 0x1p-51}}), DomainError);
  EXPECT_THROW(critical_points(sym::parse("(x - 1e300)^2"), Box{{1e300, 1.000000000000001e300}}),
               DomainError);
  expect_points(critical_points(saddle, Box{{1 - 1e-6, 1 + 1e-6}, {2 - 1e-5, 2 + 1e-5}}),
                {{{1, 2}, Kind::Saddle}}, 1e-12);
}

TEST(CriticalPoints, ASmallBoxFindsItsPointAsWellAsTheDoublesResolveIt) {
  // Over 2 pi +- 1e-5 the maximum of cos x + cos y has the gradient 2.4e-16
  // (the sine of the double nearest 2 pi), more than the tolerance asked of
  // it against the gradient a thousandth of the box away (2e-16): no point
  // was found, while over 5:7 it was. Over 2 pi +- 1.5e-11 it came out as
  // dozens of points, a rounding unit or two apart.
  const double two_pi = 2 * std::numbers::pi;
  const auto bumps = [](const auto& v) {
    using std::cos;
    return cos(v[0]) + cos(v[1]);
  };
  for (const double half : {1e-5, 1.5e-11})
    expect_points(critical_points(bumps, Box{{two_pi - half, two_pi + half}, {two_pi - half, two_pi + half}}),
                  {{{two_pi, two_pi}, Kind::Maximum}}, 1e-13);
  // exactly 0 there, with a limit (1e-8 times a gradient of 2e-303) that underflowed
  expect_points(critical_points(sym::parse("x^2 - y^2"), Box{{-1e-300, 1e-300}, {-1e-300, 1e-300}}),
                {{{0, 0}, Kind::Saddle}}, 0);
  expect_points(critical_points(sym::parse("cos(x)"), Box{{-1e-298, 1e-298}}), {{{0}, Kind::Maximum}}, 0);
}

TEST(CriticalPoints, VariablesInAGivenOrder) {
  // the box's dimensions follow the order given: matched the other way
  // round, neither minimum would lie in its box
  const auto f = sym::parse("(x - 1)^2 + 3*(y + 2)^2");
  const auto x = sym::symbol("x"), y = sym::symbol("y");
  expect_points(critical_points(f, {y, x}, Box{{-5, -1}, {0, 3}}), {{{-2, 1}, Kind::Minimum}}, 1e-12);
  expect_points(critical_points(f, {x, y}, Box{{0, 3}, {-5, -1}}), {{{1, -2}, Kind::Minimum}}, 1e-12);
  EXPECT_TRUE(critical_points(f, {x, y}, Box{{-5, -1}, {0, 3}}).empty());
  // sorted by the coordinates in that order: (x, y) = (1, -1) comes first
  // as (y, x), last as (x, y)
  const auto valley = sym::parse("(x^2 - 1)^2 + (x + y)^2");
  expect_points(critical_points(valley, {y, x}, Box{{-2, 2}, {-2, 2}}),
                {{{-1, 1}, Kind::Minimum}, {{0, 0}, Kind::Saddle}, {{1, -1}, Kind::Minimum}}, 1e-12);
  // one variable, the polynomial path
  expect_points(critical_points(sym::parse("(x - 2)^2"), {x}, Box{{-3, 3}}), {{{2}, Kind::Minimum}}, 1e-12);
  // each of f's variables exactly once
  EXPECT_THROW(critical_points(f, {x}, Box{{-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points(f, {x, x}, Box{{-1, 1}, {-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points(f, {x, y, sym::symbol("z")}, Box{{-1, 1}, {-1, 1}, {-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points(f, {x, sym::Expr(2)}, Box{{-1, 1}, {-1, 1}}), DimensionError);
  EXPECT_THROW(critical_points(f, {y, x}, Box{{-1, 1}}), DimensionError);
}

/// The points of an expression found in a box, for tests that only count or classify.
std::vector<CriticalPoint> points_of(const char* f, const Box& box) {
  return critical_points(sym::parse(f), box);
}

TEST(CriticalPoints, ClearCurvaturesAreNotSwampedBySteepRegionsElsewhere) {
  // Zero used to be 1e-8 of the largest curvature anywhere in the box: x^10
  // near x = 10 has 9e9, and eigenvalues -2 and 2 were both "zero".
  expect_points(points_of("x^2 - y^2 + x^10", Box{{-10, 10}, {-10, 10}}), {{{0, 0}, Kind::Saddle}}, 1e-12);
  expect_points(points_of("x^2 + y^2 + x^10", Box{{-10, 10}, {-10, 10}}), {{{0, 0}, Kind::Minimum}}, 1e-12);
  expect_points(points_of("exp(x^2 + y^2)", Box{{-3, 3}, {-3, 3}}), {{{0, 0}, Kind::Minimum}}, 1e-12);
}

TEST(CriticalPoints, InflectionsLocatedToSqrtEpsAreNeverExtrema) {
  // acos'(x) + 2x has a double root at 1/sqrt(2): f decreases through it.
  // Newton stops about 1e-8 away, where the x curvature is 5e-8 > 0; the
  // point was a "minimum" in -3:3 (and inconclusive in -1:1). It is a
  // saddle: f falls along x on one side and rises on the other.
  const auto inflection = points_of("acos(x) + x^2 + y^2", Box{{-3, 3}, {-3, 3}});
  ASSERT_EQ(inflection.size(), 1U);
  EXPECT_NEAR(inflection[0].x[0], std::numbers::sqrt2 / 2, 1e-6);
  EXPECT_EQ(inflection[0].kind, Kind::Saddle);
  // Far from 0 rounding puts the point a few units of 1e8 off the inflection.
  const Box near_1e8{{99999999.5, 100000000.5}, {99999999.5, 100000000.5}};
  for (const char* f : {"(1e8 - x)^3 + (y - 1e8)^2", "(x - 1e8)^3 - (y - 1e8)^2"}) {
    const auto found = points_of(f, near_1e8);
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_EQ(found[0].kind, Kind::Saddle) << f;
  }
  // and x^4 - y^4, a saddle with a vanishing Hessian, is no extremum either
  const auto saddle = points_of("x^4 - y^4", Box{{-1, 1}, {-1, 1}});
  ASSERT_EQ(saddle.size(), 1U);
  EXPECT_NE(saddle[0].kind, Kind::Minimum);
  EXPECT_NE(saddle[0].kind, Kind::Maximum);
}

TEST(CriticalPoints, UnitsAndScalesOfFAndTheBoxDoNotMatter) {
  // Squared norms overflowed (no point found) or underflowed (a "minimum" at
  // every start), and a residual of 1e-9 was accepted as zero.
  for (const char* f : {"1e160*(x^2 + y^2)", "1e-160*(x^2 + y^2)", "x^2 + y^2"})
    expect_points(points_of(f, Box{{-1, 1}, {-1, 1}}), {{{0, 0}, Kind::Minimum}}, 1e-12);
  for (const double w : {1e155, 1e-160}) {
    const auto found = points_of("x^2 + y^2", Box{{-w, w}, {-w, w}});
    ASSERT_EQ(found.size(), 1U) << w;
    EXPECT_LE(found[0].x.cwiseAbs().maxCoeff(), 1e-6 * w);
    EXPECT_EQ(found[0].kind, Kind::Minimum);
  }
  EXPECT_TRUE(points_of("1e-9*(x + y^2)", Box{{-1, 1}, {-1, 1}}).empty());
  EXPECT_TRUE(points_of("1e-9*x + y^2", Box{{-1, 1}, {-1, 1}}).empty());
  EXPECT_THROW(Box({{-1e308, 1e308}}), DomainError);  // wider than the largest double
}

TEST(CriticalPoints, DegeneratePointsAndLinesOfThemAreOnePoint) {
  // Newton leaves x where 30 x^4 is below rounding against the y curvature:
  // 152 points within 3e-4 of the origin. In a box of width 2e-12 it stopped
  // every run 1e-15 from 0, a thousand merge distances apart. (The gradient
  // of x^8 is within 1e-8 of its size in the box up to |x| = 0.1: the
  // point is known no better than that.)
  for (const auto& [f, kind] :
       {std::pair{"x^6 + y^2", Kind::Minimum}, std::pair{"x^8 + 100*y^2", Kind::Minimum},
        std::pair{"x^3 + y^2", Kind::Saddle}}) {
    const auto found = points_of(f, Box{{-1, 1}, {-1, 1}});
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_LE(std::fabs(found[0].x[0]), 0.05) << f;
    EXPECT_LE(std::fabs(found[0].x[1]), 1e-12) << f;
    EXPECT_EQ(found[0].kind, kind) << f;
  }
  for (const char* f : {"x^3 + y^2", "x^4 + y^4", "x^3 - 3*x*y^2"})
    EXPECT_EQ(points_of(f, Box{{-1e-12, 1e-12}, {-1e-12, 1e-12}}).size(), 1U) << f;
  // a line of minima: one point on it, a minimum by f's values around it
  // (none below, some above at every radius: not a strict one)
  const auto line = points_of("(x - y)^2", Box{{-2, 2}, {-2, 2}});
  ASSERT_EQ(line.size(), 1U);
  EXPECT_NEAR(line[0].x[0], line[0].x[1], 1e-8);
  EXPECT_EQ(line[0].kind, Kind::Minimum);
  EXPECT_EQ(points_of("-(x - y)^2", Box{{-2, 2}, {-2, 2}})[0].kind, Kind::Maximum);
  // a plateau, stood for by a point where f is 0 all around out to the
  // sampled hundredth of the box: no value clearly above, inconclusive
  const auto plateau = points_of("max(0, x)^2", Box{{-10, 10}});
  ASSERT_EQ(plateau.size(), 1U);
  EXPECT_EQ(plateau[0].kind, Kind::Inconclusive);
  // the three axes of x y z, lines of degenerate saddles (1373 points before)
  const auto axes = critical_points(sym::parse("x*y*z"), Box{{-1, 1}, {-1, 1}, {-1, 1}});
  EXPECT_GE(axes.size(), 1U);
  EXPECT_LE(axes.size(), 3U);
  for (const CriticalPoint& p : axes) EXPECT_GE((p.x.array().abs() <= 1e-8).count(), 2) << p.x.transpose();
}

TEST(CriticalPoints, CurvesOfCriticalPointsAreOnePointEach) {
  // A circle of minima was reported as 196 points (no segment between two of
  // them stays on the circle); each connected set is now one point whose
  // set_extent says how far the set reaches.
  const auto ring = points_of("(x^2 + y^2 - 1)^2", Box{{-2, 2}, {-2, 2}});
  ASSERT_EQ(ring.size(), 2U);
  int on_circle = 0;
  for (const CriticalPoint& p : ring) {
    if (p.x.norm() < 1e-8) {  // the maximum at the centre is isolated
      EXPECT_EQ(p.kind, Kind::Maximum);
      EXPECT_EQ(p.set_extent, 0.0);
      continue;
    }
    ++on_circle;
    EXPECT_NEAR(p.x.norm(), 1.0, 1e-8);
    EXPECT_EQ(p.kind, Kind::Minimum);  // f >= 0 around it, and rises off the circle
    EXPECT_GT(p.set_extent, 1.8);      // across the circle, which has diameter 2
    EXPECT_LE(p.set_extent, 2.0 + 1e-8);
  }
  EXPECT_EQ(on_circle, 1);
  // a circle of saddles in three dimensions: (r^2 - 1) z
  const auto saddles = points_of("(x^2 + y^2 - 1)*z", Box{{-2, 2}, {-2, 2}, {-1, 1}});
  ASSERT_EQ(saddles.size(), 1U);
  EXPECT_EQ(saddles[0].kind, Kind::Saddle);
  EXPECT_GT(saddles[0].set_extent, 1.8);
  // The circles r^2 = pi/2, 3 pi/2 and 5 pi/2 of sin(x^2 + y^2) around its
  // minimum at 0: the box holds the first whole, and cuts the second into
  // four arcs (four sets) and the third into four corners.
  const auto waves = points_of("sin(x^2 + y^2)", Box{{-2, 2}, {-2, 2}});
  std::map<int, int> per_circle;
  for (const CriticalPoint& p : waves) {
    const double k = (p.x.squaredNorm() - std::numbers::pi / 2) / std::numbers::pi;
    ++per_circle[p.x.norm() < 1e-8 ? -1 : static_cast<int>(std::lround(k))];
  }
  EXPECT_EQ(per_circle, (std::map<int, int>{{-1, 1}, {0, 1}, {1, 4}, {2, 4}}));
  // Isolated points are never joined, even near each other: the minima at
  // +-0.1 of (x^2 - 0.01)^4 + y^2 are degenerate, and the midpoint between
  // them is a critical point, but not a degenerate one at their value. (Its
  // gradient is below 1e-8 of its size within 0.02 of a minimum: how well
  // such a point is known, not a set.)
  for (const char* f : {"(x^2 - 0.01)^2 + y^2", "(x^2 - 0.01)^4 + y^2"}) {
    const auto wells = points_of(f, Box{{-1, 1}, {-1, 1}});
    ASSERT_EQ(wells.size(), 3U) << f;
    for (const CriticalPoint& p : wells) EXPECT_EQ(p.set_extent, 0.0) << f << " at " << p.x.transpose();
  }
}

TEST(CriticalPoints, PeriodicPointsAreNotJoinedThroughTheirNeighbours) {
  // Maxima of sin(x) 8 pi apart have maxima at each quarter point of the
  // segment between them, where the gradient vanishes: over -1000:1000 the
  // 636 extrema were reported as 4 "sets". An invertible Hessian means an
  // isolated point; the inflections k pi of sin(x)^3 are degenerate, and the
  // segment's golden-section points keep them apart.
  const auto waves = points_of("sin(x)", Box{{-1000, 1000}});
  EXPECT_GE(waves.size(), 600U);
  for (const CriticalPoint& p : waves) {
    EXPECT_EQ(p.set_extent, 0.0) << p.x[0];
    EXPECT_NEAR(std::fabs(std::sin(p.x[0])), 1.0, 1e-12) << p.x[0];
  }
  const auto cubes = points_of("sin(x)^3", Box{{-20, 20}});
  EXPECT_EQ(cubes.size(), 25U);  // 13 inflections k pi and 12 extrema pi/2 + k pi in the box
  for (const CriticalPoint& p : cubes) EXPECT_EQ(p.set_extent, 0.0) << p.x[0];
}

TEST(CriticalPoints, IsolatedDegeneratePointsAreNeverSets) {
  // Newton stops wherever one gradient component is below the rounding of
  // another: at (0, k pi/2) of x^6 + sin(y)^2 the runs stopped up to 1.5e-5
  // apart in x, and each point was reported as a set reaching 2.8e-5 (how
  // well it was known, not a curve). Over -100:100 the gradient's tolerance
  // (relative to 6e10 at the box's edge) found every segment between them
  // flat: two "sets" reaching 97 and 145.
  for (const double w : {1.0, 3.0, 10.0}) {
    const auto found = points_of("x^6 + sin(y)^2", Box{{-w, w}, {-w, w}});
    EXPECT_EQ(found.size(), 2 * static_cast<std::size_t>(w / (std::numbers::pi / 2)) + 1) << w;
    for (const CriticalPoint& p : found) {
      EXPECT_EQ(p.set_extent, 0.0) << w << " at " << p.x.transpose();
      EXPECT_LE(std::fabs(p.x[0]), 1e-4) << w << " at " << p.x.transpose();
      EXPECT_NEAR(std::remainder(p.x[1], std::numbers::pi / 2), 0.0, 1e-12) << w;
    }
  }
  const auto wide = points_of("x^6 + sin(y)^2", Box{{-100, 100}, {-100, 100}});
  EXPECT_GE(wide.size(), 2U);
  for (const CriticalPoint& p : wide) EXPECT_EQ(p.set_extent, 0.0) << p.x.transpose();
  // one point at the origin, isolated, whatever the box
  for (const char* f : {"x^6", "x^8", "x^4 + y^4", "x^6 + y^6", "x^8 + y^8", "x^6 + y^2", "x^8 + 100*y^2"})
    for (const double w : {0.1, 1.0, 3.0, 10.0, 100.0}) {
      const auto e = sym::parse(f);
      const auto n = static_cast<Eigen::Index>(sym::free_symbols(e).size());
      const auto found =
          critical_points(e, Box(Eigen::VectorXd::Constant(n, -w), Eigen::VectorXd::Constant(n, w)));
      ASSERT_EQ(found.size(), 1U) << f << " in " << w;
      EXPECT_EQ(found[0].set_extent, 0.0) << f << " in " << w;
    }
  // Around the degenerate saddle of (y - x^2)(y - 3x^2) Newton stops short
  // at points 1e-6 apart: one point, not a set reaching 9e-7.
  for (const double w : {0.003, 0.01}) {
    const auto peano = points_of("(y - x^2)*(y - 3*x^2)", Box{{-w, w}, {-w, w}});
    ASSERT_EQ(peano.size(), 1U) << w;
    EXPECT_EQ(peano[0].set_extent, 0.0) << w;
  }
  // the roots of a polynomial's derivative are isolated however multiple
  // (the flat zero of (x - 1/3)^8 was a set reaching 2e-16)
  for (const char* f : {"(x - 1/3)^8", "(x-1)^6", "(x^2+1)^30*(x-1)^30"}) {
    const auto found = points_of(f, Box{{-3, 3}});
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_EQ(found[0].set_extent, 0.0) << f;
  }
  // Isolated points with others of their value between them: the minima
  // of (x^2 - 0.01)^4 + y^2 were one set over -10:10 (the one at 0.1
  // lost), the inflections k pi of sin(x)^3 over -100:100 two sets.
  const auto wells = points_of("(x^2 - 0.01)^4 + y^2", Box{{-10, 10}, {-10, 10}});
  ASSERT_EQ(wells.size(), 3U);
  for (const CriticalPoint& p : wells) EXPECT_EQ(p.set_extent, 0.0) << p.x.transpose();
  const auto cubes = points_of("sin(x)^3", Box{{-100, 100}});
  EXPECT_EQ(cubes.size(), 127U);  // k pi / 2 for |k| <= 63
  for (const CriticalPoint& p : cubes) EXPECT_EQ(p.set_extent, 0.0) << p.x[0];
}

TEST(CriticalPoints, SetsAreNotJoinedToOneAnother) {
  // The lines x = pi/2 + k pi of cos(x)^3 cos(y) are sets of critical
  // points, at value 0; Newton from the midpoint of points on two lines
  // k pi apart ends on the line between. Over -100:100 the 64 lines were
  // joined into sets spanning several of them: 6 lines kept a point.
  const auto found = points_of("cos(x)^3*cos(y)", Box{{-100, 100}, {-100, 100}});
  std::set<long> lines;
  for (const CriticalPoint& p : found) {
    if (std::fabs(std::cos(p.x[0])) > 1e-6) continue;  // the isolated extrema (k pi, k' pi)
    lines.insert(std::lround((p.x[0] - std::numbers::pi / 2) / std::numbers::pi));
  }
  EXPECT_GE(lines.size(), 40U);
}

// Where the Hessian is singular its test cannot decide, but f's values
// around the point can: a saddle (no extremum) where values clearly below
// and clearly above f(p) occur at every radius, a minimum where every value
// is above f(p) (along the Hessian's null space, after minimizing over the
// rest). These were all "inconclusive".
TEST(CriticalPoints, DegeneratePointsAreDecidedByTheValuesAroundThem) {
  const std::vector<std::pair<const char*, Kind>> cases = {
      {"x^3 - 3*x*y^2", Kind::Saddle},  // the monkey saddle: H = 0
      {"x^2 - y^4", Kind::Saddle},
      {"x^3 + y^2", Kind::Saddle},
      {"x^4 - y^4", Kind::Saddle},
      {"(y - x^2)*(y - 3*x^2)", Kind::Saddle},  // a minimum along every line through 0
      {"x^4 + y^4", Kind::Minimum},
      {"x^2 + y^4", Kind::Minimum},
      {"x^6 + y^2", Kind::Minimum},
      {"x^8 + 100*y^2", Kind::Minimum},
      {"x^4 + y^4 + z^4", Kind::Minimum},
      {"-x^2 - y^4", Kind::Maximum},
      {"-x^4 - y^6", Kind::Maximum},
  };
  for (const auto& [f, kind] : cases)
    for (const double w : {1e-2, 1.0, 100.0}) {
      const auto e = sym::parse(f);
      const auto n = static_cast<Eigen::Index>(sym::free_symbols(e).size());
      const auto found =
          critical_points(e, Box(Eigen::VectorXd::Constant(n, -w), Eigen::VectorXd::Constant(n, w)));
      ASSERT_EQ(found.size(), 1U) << f << " in " << w;
      EXPECT_LE(found[0].x.norm(), 1e-3 * w) << f << " in " << w;
      EXPECT_EQ(found[0].kind, kind) << f << " in " << w << ": " << to_string(found[0].kind);
    }
  // in one variable, numerically (a callable) and exactly (a polynomial,
  // whose derivative's sign on each side of a multiple root decides)
  auto cube = [](const auto& v) { return v[0] * v[0] * v[0]; };
  auto sixth = [](const auto& v) { return v[0] * v[0] * v[0] * v[0] * v[0] * v[0]; };
  expect_points(critical_points(cube, Box{{-1, 1}}), {{{0}, Kind::Saddle}}, 1e-6);
  expect_points(critical_points(sixth, Box{{-1, 1}}), {{{0}, Kind::Minimum}}, 1e-2);
  expect_points(points_of("x^3", Box{{-1, 1}}), {{{0}, Kind::Saddle}}, 0.0);
  expect_points(points_of("x^6", Box{{-1, 1}}), {{{0}, Kind::Minimum}}, 1e-6);
  expect_points(points_of("-x^8 + 1", Box{{-1, 1}}), {{{0}, Kind::Maximum}}, 1e-6);
  expect_points(points_of("(x - 1)^3 + 2", Box{{-3, 3}}), {{{1}, Kind::Saddle}}, 1e-6);
  // where f's changes around the point are within its rounding, no verdict
  EXPECT_EQ(points_of("x^4 + y^4 + 1", Box{{-1e-3, 1e-3}, {-1e-3, 1e-3}}).at(0).kind, Kind::Inconclusive);
  // the inflections k pi of sin(x)^3 are no extrema
  for (const CriticalPoint& p : points_of("sin(x)^3", Box{{-20, 20}}))
    EXPECT_EQ(p.kind, std::fabs(std::sin(p.x[0])) < 0.5
                          ? Kind::Saddle
                          : (std::sin(p.x[0]) > 0 ? Kind::Maximum : Kind::Minimum))
        << p.x[0];
}

// The Newton basin of a bump's top ends where f's curvature changes sign
// (0.71 from the centre of exp(-r^2), 0.58 of 1/(1 + r^2)), and over -10:10
// every start on the grid of cell centres lies at least 0.71 from a bump on
// integer coordinates: none was found. Climbing f from the starts finds them
// wherever they are.
TEST(CriticalPoints, BumpsAnywhereInTheBoxAreFound) {
  const Box box{{-10, 10}, {-10, 10}};
  // (f underflows to exactly 0 beyond 27.3 from the centre: those regions
  // are flat as computed, and would be a plateau of critical points)
  const std::vector<std::pair<double, double>> centres = {
      {0, 0}, {1, -2}, {-3.3, 6.1}, {7, -9.3}, {8.5, -8.5}};
  for (const auto& [a, b] : centres) {
    const std::string shift = "(x - (" + std::to_string(a) + "))^2 + (y - (" + std::to_string(b) + "))^2";
    for (const std::string& f : {"exp(-(" + shift + "))", "1/(1 + " + shift + ")"}) {
      const auto found = points_of(f.c_str(), box);
      ASSERT_EQ(found.size(), 1U) << f;
      EXPECT_NEAR(found[0].x[0], a, 1e-10) << f;
      EXPECT_NEAR(found[0].x[1], b, 1e-10) << f;
      EXPECT_EQ(found[0].kind, Kind::Maximum) << f;
      EXPECT_NEAR(found[0].f, 1.0, 1e-14) << f;
      EXPECT_NEAR(found[0].eigenvalues[0], -2.0, 1e-10) << f;  // H = -2 I for both
      EXPECT_NEAR(found[0].eigenvalues[1], -2.0, 1e-10) << f;
    }
  }
  // the same for a callable (AD drivers, not a compiled Program)
  auto gaussian = [](const auto& v) {
    using std::exp;
    return exp(-v[0] * v[0] - v[1] * v[1]);
  };
  expect_points(critical_points(gaussian, box), {{{0, 0}, Kind::Maximum}}, 1e-10);
  // x exp(-r^2): a maximum and a minimum at (+-1/sqrt(2), 0), the slope between them
  const double h = std::numbers::sqrt2 / 2;
  expect_points(points_of("x*exp(-x^2 - y^2)", box), {{{-h, 0}, Kind::Minimum}, {{h, 0}, Kind::Maximum}},
                1e-10);
  // the maximum inside a circle of minima, which every start outside it
  // reached first (found over -2:2 only)
  const auto ring = points_of("(x^2 + y^2 - 1)^2", box);
  ASSERT_EQ(ring.size(), 2U);
  const auto centre =
      std::find_if(ring.begin(), ring.end(), [](const CriticalPoint& p) { return p.x.norm() < 1e-8; });
  ASSERT_NE(centre, ring.end());
  EXPECT_EQ(centre->kind, Kind::Maximum);
  EXPECT_NEAR(centre->eigenvalues[0], -4.0, 1e-10);
}

// Where f is 1e-106 its gradient is 1e-104, below any tolerance relative to
// the box's gradients, though it does not vanish against the gradient next
// to it: Newton runs that ran out of steps there were "saddles". A point is
// critical where the gradient vanishes against its size around the point
// too, and that size is not lost to underflow.
TEST(CriticalPoints, FlatTailsHaveNoCriticalPoints) {
  const Box box{{-10, 10}, {-10, 10}};
  for (const char* f : {"exp(-(x - 1)^2 - (y + 2)^2)", "exp(-(x^2 + y^2)/0.5)", "exp(-(x - 9)^2 - (y - 9)^2)",
                        "exp(-(x - 7)^2 - (y - 9.3)^2)"}) {
    const auto found = points_of(f, box);
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_EQ(found[0].kind, Kind::Maximum) << f;
    EXPECT_NEAR(found[0].f, 1.0, 1e-14) << f;
  }
  // tanh saturates (a gradient of 1e-8 at the box's edge): nothing
  EXPECT_TRUE(points_of("tanh(x) + tanh(y)", box).empty());
}

// Where f is exactly flat as computed, which of the region's points stood
// for it decided its kind: max(0, -x)^2 was a set of minima (its point at
// the plateau's edge) and its mirror image max(0, x)^2 an inconclusive one;
// of exp(-1000 x^2)'s two underflowed tails (f = 0 beyond 0.863) the left
// was inconclusive and the right minima. Both plateaus and both tails are
// now flat and inconclusive, and the maximum between the tails stays.
TEST(CriticalPoints, MirrorImagesOfAFlatRegionAreTheSameKind) {
  const Box box{{-10, 10}};
  for (const char* f : {"max(0, x)^2", "max(0, -x)^2", "relu(x - 1)^2", "relu(1 - x)^2"}) {
    const auto found = points_of(f, box);
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_EQ(found[0].kind, Kind::Inconclusive) << f;
    EXPECT_TRUE(found[0].flat) << f;
    EXPECT_GT(found[0].set_extent, 5.0) << f;
  }
  for (const char* f : {"exp(-1000*x^2)", "-exp(-1000*x^2)"}) {
    const auto found = points_of(f, box);
    ASSERT_EQ(found.size(), 3U) << f;
    EXPECT_TRUE(found[0].flat && found[2].flat) << f;
    EXPECT_EQ(found[0].kind, Kind::Inconclusive) << f;
    EXPECT_EQ(found[2].kind, Kind::Inconclusive) << f;
    EXPECT_LE(found[0].x[0], -0.86) << f;  // in the tails, beyond where f underflows
    EXPECT_GE(found[2].x[0], 0.86) << f;
    EXPECT_FALSE(found[1].flat) << f;
    EXPECT_EQ(found[1].x[0], 0.0) << f;
    EXPECT_EQ(found[1].kind, f[0] == '-' ? Kind::Minimum : Kind::Maximum) << f;
  }
  // a gradient exactly zero at a point alone is no plateau: x^2 y^3 on the
  // axis x = 0, where the halves are minima and maxima
  for (const CriticalPoint& p : points_of("x^2*y^3", Box{{-1, 1}, {-1, 1}}))
    EXPECT_FALSE(p.flat) << p.x.transpose();
}

// At a kink the Hessian is that of the smooth pieces and says nothing:
// |x| - x^2 has Hessian -2 at 0 and was called a maximum there, though it
// rises both ways. Where the slope jumps, f's values decide.
TEST(CriticalPoints, KinksAreDecidedByTheValuesNotTheHessian) {
  const Box line{{-2, 2}};
  expect_points(points_of("abs(x) - x^2", line),
                {{{-0.5}, Kind::Maximum}, {{0}, Kind::Minimum}, {{0.5}, Kind::Maximum}}, 1e-12);
  expect_points(points_of("x^2 - abs(x)", line),
                {{{-0.5}, Kind::Minimum}, {{0}, Kind::Maximum}, {{0.5}, Kind::Minimum}}, 1e-12);
  // f = |x| + |y| - x^2 - y^2: the origin is a minimum, the four points on
  // the axes saddles (a kink one way, a maximum the other), the corners maxima
  for (const CriticalPoint& p : points_of("abs(x) + abs(y) - x^2 - y^2", Box{{-2, 2}, {-2, 2}})) {
    const int on_axes = (std::fabs(p.x[0]) < 1e-9) + (std::fabs(p.x[1]) < 1e-9);
    const Kind expected = on_axes == 2 ? Kind::Minimum : on_axes == 1 ? Kind::Saddle : Kind::Maximum;
    EXPECT_EQ(p.kind, expected) << p.x.transpose();
  }
  // in one variable, kinks Newton cannot reach are bisected where f' changes
  // sign: it jumped between -1/2 and 1/2 on |x| + x^2, and -|x| has Hessian 0
  expect_points(points_of("abs(x) + x^2", line), {{{0}, Kind::Minimum}}, 1e-12);
  expect_points(points_of("-abs(x)", line), {{{0}, Kind::Maximum}}, 1e-12);
  expect_points(points_of("abs(x - 0.3) + x^2", line), {{{0.3}, Kind::Minimum}}, 1e-12);
  expect_points(points_of("abs(x^2 - 1)", line),
                {{{-1}, Kind::Minimum}, {{0}, Kind::Maximum}, {{1}, Kind::Minimum}}, 1e-12);
  // f' changes sign across a pole too, but f is not finite there: no point
  for (const char* pole : {"1/x^2", "-1/x^2", "1/abs(x)"}) EXPECT_TRUE(points_of(pole, line).empty()) << pole;
  // smooth extrema keep the Hessian's verdict: no slope jumps there
  expect_points(points_of("x^2 - x^4/4", line),
                {{{-std::sqrt(2.0)}, Kind::Maximum}, {{0}, Kind::Minimum}, {{std::sqrt(2.0)}, Kind::Maximum}},
                1e-12);
}

// Peano's surface (y - x^2)(y - 2 x^2): a degenerate saddle at the origin,
// the only critical point. Newton runs asked to shrink the gradient at every
// step stalled on y = x^2, where the Hessian is singular, and none of 400
// starts found it over -1:1 (1000 did).
TEST(CriticalPoints, PeanosSurfaceHasItsSaddle) {
  for (const char* f : {"(y - x^2)*(y - 2*x^2)", "y^2 - 3*x^2*y + 2*x^4"})
    for (const double w : {1.0, 2.0, 10.0}) {
      const auto found = points_of(f, Box{{-w, w}, {-w, w}});
      ASSERT_EQ(found.size(), 1U) << f << " over " << w;
      EXPECT_LE(found[0].x.cwiseAbs().maxCoeff(), 1e-6 * w) << f;
      EXPECT_EQ(found[0].kind, Kind::Saddle) << f;
    }
}

TEST(CriticalPoints, AWallThatOverflowsHasNoCriticalPoints) {
  // exp(x^6) overflows from |x| = 2.98 on: the box's gradients made every
  // gradient vanish, and at x = +-2.74, where f is 1e185 and its gradient
  // 1e188, the neighbour 0.02 further up had 1e8 times that. Every point
  // found lies near the minimum.
  for (const char* f : {"exp(x^6)", "exp(x^6) + exp(-x)"}) {
    const auto found = points_of(f, Box{{-10, 10}});
    ASSERT_FALSE(found.empty()) << f;
    for (const CriticalPoint& p : found) EXPECT_LE(std::fabs(p.x[0]), 1.0) << f << " at " << p.x[0];
  }
  // And that minimum once: runs that spent their Newton steps on the wall
  // ended at +-3.5e-4, accepted and not polished, beside the one at 1e-20
  // (then inconclusive: f is exactly 1 within half the distance to them).
  const auto found = points_of("exp(x^6)", Box{{-10, 10}});
  ASSERT_EQ(found.size(), 1U);
  EXPECT_EQ(found[0].kind, Kind::Minimum);
  EXPECT_LE(std::fabs(found[0].x[0]), 1e-6);
}

TEST(CriticalPoints, ASetEveryNewtonRunCrossesIsFollowedFromItsPoint) {
  // Newton from any start heads for the origin of x^2 y^2, whose minima fill
  // both axes: it was reported as an isolated minimum. Walking along the
  // axes from it (the directions where its Hessian vanishes) finds the set.
  const Box box{{-10, 10}, {-10, 10}};
  for (const char* f : {"x^2*y^2", "x^3*y^3", "(x - 1)^2*(y + 2)^2"}) {
    const auto found = points_of(f, box);
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_GT(found[0].set_extent, 8.0) << f;      // from (1, -2) to x = 10
    EXPECT_LE(std::fabs(found[0].f), 1e-30) << f;  // a minimum value of 0
  }
  // A degenerate point that is alone stays one: the walk finds nothing.
  for (const char* f : {"x^4 + y^4", "x^6 + y^2"}) {
    const auto found = points_of(f, box);
    ASSERT_EQ(found.size(), 1U) << f;
    EXPECT_EQ(found[0].kind, Kind::Minimum) << f;
    EXPECT_EQ(found[0].set_extent, 0.0) << f;
  }
}

TEST(CriticalPoints, SetsOfOneKindAreOneSetThoughTheirHessiansDiffer) {
  // The minima of x^4 y^2 fill both axes. Its Hessian is zero along x = 0
  // and not along y = 0, so the walks from the origin found points of two
  // inertias, taken for sets of two kinds meeting there: the four half axes
  // and the origin came out as five entries. f's values around them say
  // minimum on all four: one set, reaching the box's edges.
  for (const char* f : {"x^4*y^2", "x^2*y^4", "x^6*y^2", "(x - 1)^4*(y + 2)^2"})
    for (const double w : {1.0, 3.0, 10.0}) {
      const Box box{{-w, w}, {-w, w}};
      if (f[0] == '(' && w < 3) continue;  // (1, -2) is outside
      const auto found = points_of(f, box);
      ASSERT_EQ(found.size(), 1U) << f << " over " << w;
      EXPECT_EQ(found[0].kind, Kind::Minimum) << f;
      EXPECT_LE(std::fabs(found[0].f), 1e-30) << f;
      EXPECT_GT(found[0].set_extent, 0.9 * w) << f;  // to the edge along an axis
    }
  // Kinds that differ still part: -x^4 y^2 is one set of maxima, but the
  // half axes of x^3 y^2 where x < 0 are maxima and where x > 0 minima.
  EXPECT_EQ(points_of("-x^4*y^2", Box{{-1, 1}, {-1, 1}}).size(), 1U);
  const auto mixed = points_of("x^3*y^2", Box{{-1, 1}, {-1, 1}});
  EXPECT_GT(mixed.size(), 1U);
  EXPECT_EQ(std::count_if(mixed.begin(), mixed.end(),
                          [](const CriticalPoint& p) { return p.kind == Kind::Minimum; }),
            1);
  EXPECT_EQ(std::count_if(mixed.begin(), mixed.end(),
                          [](const CriticalPoint& p) { return p.kind == Kind::Maximum; }),
            1);
}

TEST(CriticalPoints, ASetOfTwoKindsIsTwoSetsMeetingAtAPoint) {
  // The line x = 0 of x^2 y (and of x^2 (y - 1)) is minima where y > 0 and
  // maxima where y < 0. Every Newton run ended near the origin, a "set"
  // reaching 2e-4; the line was lost. Walked along, its halves are a set of
  // maxima and a set of minima, and the point between them neither. Over
  // -1:1, -2:2 and -5:5 the runs ended within 1e-23 of the origin, where
  // the Hessian's eigenvectors are the diagonals: walked along those, the
  // line was lost again; and its points, 1e-28 off it, were above the
  // line's other points by 1e-56 ("not a minimum").
  for (const double w : {1.0, 2.0, 5.0, 10.0})
    for (const double shift : {0.0, 0.1 * w}) {
      const Box box{{-w, w}, {-w, w}};
      const auto found =
          critical_points(sym::parse(shift == 0 ? "x^2*y" : "x^2*(y - " + std::to_string(shift) + ")"), box);
      ASSERT_EQ(found.size(), 3U) << w << " " << shift;
      int minima = 0, maxima = 0;
      for (const CriticalPoint& p : found) {
        EXPECT_LE(std::fabs(p.x[0]), 1e-6 * w) << p.x.transpose();
        EXPECT_LE(std::fabs(p.f), 1e-12) << p.x.transpose();
        if (p.kind == Kind::Minimum) {
          ++minima;
          EXPECT_GT(p.x[1], shift);
          EXPECT_GT(p.set_extent, 0.8 * (w - shift)) << "the minima reach y = " << w;
        } else if (p.kind == Kind::Maximum) {
          ++maxima;
          EXPECT_LT(p.x[1], shift);
          EXPECT_GT(p.set_extent, 0.8 * (w + shift)) << "the maxima reach y = " << -w;
        } else {
          EXPECT_NEAR(p.x[1], shift, 1e-3 * w) << "the point between them";
          EXPECT_EQ(p.set_extent, 0.0);
          EXPECT_EQ(p.kind, Kind::Saddle) << "values above and below it at every radius";
        }
      }
      EXPECT_EQ(minima, 1) << w << " " << shift;
      EXPECT_EQ(maxima, 1) << w << " " << shift;
    }
}

TEST(CriticalPoints, ASetIsDecidedWhereItsValuesTellEvenIfNotNearItsPointReported) {
  // x^2 y^3: critical where x = 0 or y = 0. The axis x = 0 is minima where
  // y > 0 and maxima where y < 0; the axis y = 0 saddles (f changes sign
  // across it), and the origin. Each half of x = 0 was reported by its point
  // nearest the origin, where f is within 1e-49 of f there, and left
  // inconclusive; the points farther along it, where f tells, gave no kind
  // either, as their Newton step in the whole plane (the set's direction
  // included) made them "uncertain" by the whole sampling radius.
  for (const double w : {1.0, 2.0, 5.0, 10.0}) {
    const Box box{{-w, w}, {-w, w}};
    const auto found = critical_points(sym::parse("x^2*y^3"), box);
    ASSERT_EQ(found.size(), 5U) << w;
    int minima = 0, maxima = 0, neither = 0;
    for (const CriticalPoint& p : found) {
      EXPECT_LE(std::fabs(p.f), 1e-12) << p.x.transpose();
      const bool on_x_axis = std::fabs(p.x[1]) <= 1e-6 * w, on_y_axis = std::fabs(p.x[0]) <= 1e-6 * w;
      if (on_y_axis && p.x[1] > 1e-3 * w) {
        ++minima;
        EXPECT_EQ(p.kind, Kind::Minimum) << p.x.transpose();
        EXPECT_GT(p.set_extent, 0.8 * w) << "the minima reach y = " << w;
      } else if (on_y_axis && p.x[1] < -1e-3 * w) {
        ++maxima;
        EXPECT_EQ(p.kind, Kind::Maximum) << p.x.transpose();
        EXPECT_GT(p.set_extent, 0.8 * w) << "the maxima reach y = " << -w;
      } else {
        ++neither;
        EXPECT_TRUE(on_x_axis) << p.x.transpose();
        EXPECT_EQ(p.kind, Kind::Saddle) << p.x.transpose();
      }
    }
    EXPECT_EQ(minima, 1) << w;
    EXPECT_EQ(maxima, 1) << w;
    EXPECT_EQ(neither, 3) << w << ": the origin and the two halves of y = 0";
  }
}

TEST(CriticalPoints, ASetOfPointsThatAreNoExtremaIsASetOfSaddles) {
  // x^3 y is critical on the line x = 0, and changes sign across it
  // everywhere: no point of it is an extremum. As a set it was
  // inconclusive, the kinds of a set being minimum or maximum only.
  for (const double w : {1.0, 3.0}) {
    const auto found = critical_points(sym::parse("x^3*y"), Box{{-w, w}, {-w, w}});
    ASSERT_EQ(found.size(), 1U) << w;
    EXPECT_LE(std::fabs(found[0].x[0]), 1e-6 * w);
    EXPECT_EQ(found[0].kind, Kind::Saddle) << w;
    EXPECT_GT(found[0].set_extent, 0.8 * w) << w;
  }
}

TEST(CriticalPoints, NineDimensionsGetMoreThanOneStart) {
  // 400^(1/9) < 2: the grid was the box's centre alone, and the 512 minima
  // at (+-1, ..., +-1) were never seen.
  const auto found = points_of(
      "(p^2-1)^2 + (q^2-1)^2 + (r^2-1)^2 + (s^2-1)^2 + (t^2-1)^2 + (u^2-1)^2 + (v^2-1)^2 + (w^2-1)^2 + "
      "(x^2-1)^2",
      Box(Eigen::VectorXd::Constant(9, -2), Eigen::VectorXd::Constant(9, 2)));
  int minima = 0;
  for (const CriticalPoint& p : found)
    if (p.kind == Kind::Minimum) {
      ++minima;
      EXPECT_LE((p.x.cwiseAbs() - Eigen::VectorXd::Ones(9)).cwiseAbs().maxCoeff(), 1e-10);
    }
  EXPECT_GE(minima, 10);
}

TEST(Classify, SecondDerivativeTest) {
  EXPECT_EQ(classify(Eigen::Vector2d(1, 2), 1, 1e-8), Kind::Minimum);
  EXPECT_EQ(classify(Eigen::Vector2d(-1, -2), 1, 1e-8), Kind::Maximum);
  EXPECT_EQ(classify(Eigen::Vector3d(-1, 0, 2), 1, 1e-8), Kind::Saddle);
  EXPECT_EQ(classify(Eigen::Vector2d(0, 2), 1, 1e-8), Kind::Inconclusive);
  EXPECT_EQ(classify(Eigen::Vector2d(1e-12, 2), 1, 1e-8), Kind::Inconclusive);
  EXPECT_EQ(classify(Eigen::Vector2d(1e-12, 2e-12), 1e-12, 1e-8), Kind::Minimum);  // relative to the scale
}

}  // namespace
}  // namespace nabla::analysis
