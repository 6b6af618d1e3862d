// Forward mode, nabla::Dual<T, N>: seeding and reading lanes, fixed and
// run-time (Dynamic) lane counts, constants without lanes mixed with
// variables, the DimensionError for mismatched lanes, nesting for second and
// third derivatives, comparisons that branch on the value, compound
// assignment, printing, and Eigen matrices of Duals. Every derivative is
// checked against a closed form written out in the test.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <sstream>

#include "nabla/nabla.hpp"

namespace nabla {
namespace {

TEST(Dual, VariableSeedsOneLane) {
  using D = Dual<double, 3>;
  const D x = D::variable(2.0, 1);
  EXPECT_EQ(x.value(), 2.0);
  EXPECT_EQ(x.size(), 3U);
  EXPECT_EQ(x.tangent(0), 0.0);
  EXPECT_EQ(x.tangent(1), 1.0);
  EXPECT_EQ(x.tangent(2), 0.0);
  EXPECT_EQ(x.tangent(7), 0.0);  // beyond the lanes: zero
  const D c = 5.0;               // a constant: every lane zero
  EXPECT_EQ(c.value(), 5.0);
  EXPECT_EQ(c.tangent(0), 0.0);
}

TEST(Dual, LanesCarryThePartialsOfSeveralInputs) {
  // f(x, y, z) = x y z + sin(x) / y at (1, 2, 3):
  // df/dx = y z + cos(x) / y, df/dy = x z - sin(x) / y^2, df/dz = x y
  using D = Dual<double, 3>;
  const D x = D::variable(1.0, 0);
  const D y = D::variable(2.0, 1);
  const D z = D::variable(3.0, 2);
  const D f = x * y * z + sin(x) / y;
  EXPECT_DOUBLE_EQ(f.value(), 6.0 + std::sin(1.0) / 2.0);
  EXPECT_DOUBLE_EQ(f.tangent(0), 6.0 + std::cos(1.0) / 2.0);
  EXPECT_DOUBLE_EQ(f.tangent(1), 3.0 - std::sin(1.0) / 4.0);
  EXPECT_DOUBLE_EQ(f.tangent(2), 2.0);
}

TEST(Dual, PlainNumbersMixOnEitherSide) {
  // g(x) = 2x + 1 - x/4 + 3/x - (int)2 * x at x = 3: g' = 2 - 1/4 - 3/x^2 - 2
  using D = Dual<double, 2>;
  const D x = D::variable(3.0, 0);
  const D g = 2.0 * x + 1 - x / 4.0 + 3.0 / x - 2 * x;
  EXPECT_DOUBLE_EQ(g.value(), 6.0 + 1.0 - 0.75 + 1.0 - 6.0);
  EXPECT_DOUBLE_EQ(g.tangent(0), 2.0 - 0.25 - 3.0 / 9.0 - 2.0);
  EXPECT_EQ(g.tangent(1), 0.0);
  // binary functions with a constant on either side
  EXPECT_DOUBLE_EQ(nabla::pow(x, 2.5).tangent(0), 2.5 * std::pow(3.0, 1.5));
  EXPECT_DOUBLE_EQ(nabla::pow(2.0, x).tangent(0), std::pow(2.0, 3.0) * std::log(2.0));
  EXPECT_DOUBLE_EQ(nabla::atan2(1.0, x).tangent(0), -1.0 / 10.0);  // d/dx atan2(y, x) = -y/(x^2+y^2)
  EXPECT_DOUBLE_EQ(nabla::pow(x, 3).tangent(0), 27.0);             // the integer power
}

TEST(Dual, DynamicLanesAndConstantsWithoutLanes) {
  using D = Dual<double, Dynamic>;
  const D x = D::variable(1.5, 0, 4);
  const D y = D::variable(-2.0, 3, 4);
  const D c = 10.0;  // no lanes at all
  EXPECT_EQ(c.size(), 0U);
  EXPECT_EQ(c.tangent(2), 0.0);
  // f = x y + c x + c: df/dx = y + c = 8, df/dy = x = 1.5
  const D f = x * y + c * x + c;
  ASSERT_EQ(f.size(), 4U);
  EXPECT_EQ(f.value(), -3.0 + 15.0 + 10.0);
  EXPECT_EQ(f.tangent(0), 8.0);
  EXPECT_EQ(f.tangent(1), 0.0);
  EXPECT_EQ(f.tangent(2), 0.0);
  EXPECT_EQ(f.tangent(3), 1.5);
  // constants combined stay constants without lanes; a constant on the left works too
  const D k = c * c + exp(D(0.0)) - nabla::max(c, D(3.0));
  EXPECT_EQ(k.size(), 0U);
  EXPECT_EQ(k.value(), 100.0 + 1.0 - 10.0);
  const D g = c / x;  // d/dx c/x = -c/x^2
  ASSERT_EQ(g.size(), 4U);
  EXPECT_DOUBLE_EQ(g.tangent(0), -10.0 / 2.25);
}

TEST(Dual, MismatchedDynamicLanesAreADimensionError) {
  using D = Dual<double, Dynamic>;
  const D a = D::variable(1.0, 0, 2);
  const D b = D::variable(2.0, 0, 3);
  EXPECT_THROW(a + b, DimensionError);
  EXPECT_THROW(a * b, DimensionError);
  EXPECT_THROW(nabla::atan2(a, b), DimensionError);
  EXPECT_THROW(nabla::max(a, b), DimensionError);
  D s = a;
  EXPECT_THROW(s += b, DimensionError);
  EXPECT_NO_THROW(a * D(4.0));  // a constant has no lanes and mixes with any count
}

TEST(Dual, SeedingALaneThatDoesNotExistIsADimensionError) {
  using Dyn = Dual<double, Dynamic>;
  EXPECT_THROW(Dyn::variable(2.0, 1), DimensionError);  // one lane by default
  EXPECT_THROW(Dyn::variable(1.0, 5, 3), DimensionError);
  EXPECT_EQ(Dyn::variable(1.0, 2, 3).tangent(2), 1.0);
  using Fixed = Dual<double, 2>;
  EXPECT_THROW(Fixed::variable(1.0, 2), DimensionError);
  EXPECT_THROW(Fixed::variable(1.0, 0, 3), DimensionError);  // a fixed Dual has exactly N lanes
  EXPECT_EQ(Fixed::variable(1.0, 1).tangent(1), 1.0);
}

TEST(Dual, NestedDualsGiveSecondDerivatives) {
  // f(x) = x^3 sin(x) at 0.7:
  // f'  = 3x^2 sin x + x^3 cos x
  // f'' = 6x sin x + 6x^2 cos x - x^3 sin x
  using D = Dual<double>;
  using DD = Dual<D>;
  const double x0 = 0.7;
  const DD x(D::variable(x0, 0), DD::Tangent{D(1.0)});
  const DD f = x * x * x * sin(x);
  const double s = std::sin(x0);
  const double c = std::cos(x0);
  EXPECT_DOUBLE_EQ(f.value().value(), x0 * x0 * x0 * s);
  const double d1 = 3 * x0 * x0 * s + x0 * x0 * x0 * c;
  EXPECT_DOUBLE_EQ(f.value().tangent(0), d1);
  EXPECT_DOUBLE_EQ(f.tangent(0).value(), d1);
  EXPECT_DOUBLE_EQ(f.tangent(0).tangent(0), 6 * x0 * s + 6 * x0 * x0 * c - x0 * x0 * x0 * s);
}

TEST(Dual, NestedDualsGiveAFullHessian) {
  // f(x, y) = x^2 y + e^{xy} at (1, 2):
  // f_xx = 2y + y^2 e^{xy}, f_xy = 2x + e^{xy}(1 + xy), f_yy = x^2 e^{xy}
  using D = Dual<double, 2>;
  using DD = Dual<D, 2>;
  const DD x(D::variable(1.0, 0), DD::Tangent{D(1.0), D(0.0)});
  const DD y(D::variable(2.0, 1), DD::Tangent{D(0.0), D(1.0)});
  const DD f = x * x * y + exp(x * y);
  const double e2 = std::exp(2.0);
  EXPECT_DOUBLE_EQ(f.tangent(0).tangent(0), 4.0 + 4.0 * e2);
  EXPECT_DOUBLE_EQ(f.tangent(0).tangent(1), 2.0 + 3.0 * e2);
  EXPECT_DOUBLE_EQ(f.tangent(1).tangent(0), 2.0 + 3.0 * e2);
  EXPECT_DOUBLE_EQ(f.tangent(1).tangent(1), e2);
}

TEST(Dual, TripleNestingGivesTheThirdDerivative) {
  // (e^{2x} / x)''' at x = 0.5 by Leibniz on e^{2x} * x^{-1}:
  // sum_k C(3,k) (2^k e^{2x}) (d^{3-k} x^{-1}) = e^{2x} (-6/x^4 + 3*2*2/x^3 - 3*4/x^2 + 8/x)
  using D1 = Dual<double>;
  using D2 = Dual<D1>;
  using D3 = Dual<D2>;
  const double x0 = 0.5;
  const D3 x(D2(D1::variable(x0, 0), D2::Tangent{D1(1.0)}), D3::Tangent{D2(D1(1.0))});
  const D3 f = exp(2.0 * x) / x;
  const double expected =
      std::exp(2 * x0) * (-6 / std::pow(x0, 4) + 12 / std::pow(x0, 3) - 12 / (x0 * x0) + 8 / x0);
  EXPECT_NEAR(f.tangent(0).tangent(0).tangent(0), expected, 1e-12 * std::fabs(expected));
}

/// x0 + e1 + e2 + e3, one lane at each of three levels: its third-order
/// lane is the third derivative at x0 of any f applied to it.
using D1 = Dual<double, 1>;
using D2 = Dual<D1, 1>;
using D3 = Dual<D2, 1>;
D3 third_order_seed(double x0) {
  return D3(D2(D1(x0, D1::Tangent{1.0}), D2::Tangent{D1(1.0)}), D3::Tangent{D2(D1(1.0))});
}
double third(const D3& y) { return y.tangent(0).tangent(0).tangent(0); }

TEST(Dual, OutsideTheDomainEveryOrderIsNaN) {
  // Regression: a partial outside the domain was x * NaN, NaN only in the
  // lanes where x's own components are not 0; x0 + e1 + e2 + e3 has none
  // of second order, so every third derivative there came out 0.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(std::isnan(third(log(third_order_seed(-1.0)))));
  EXPECT_TRUE(std::isnan(third(sqrt(third_order_seed(-1.0)))));
  EXPECT_TRUE(std::isnan(third(asin(third_order_seed(2.0)))));
  EXPECT_TRUE(std::isnan(third(sin(third_order_seed(nan)))));
  EXPECT_TRUE(std::isnan(third(pow(D3(-2.0), third_order_seed(3.0)))));  // (-2)^y is not real near 3
  EXPECT_TRUE(std::isnan(third(pow(third_order_seed(-2.0), D3(0.5)))));
  // a lane the argument does not move along stays 0: d2/dx dy (log(x) + y)
  // at x = -1 is 0, d2/dx2 NaN (in nested forward mode, Dual<Dual<double, 2>, 2>)
  using H = Dual<Dual<double, 2>, 2>;
  const H x(Dual<double, 2>::variable(-1.0, 0), H::Tangent{Dual<double, 2>(1.0), Dual<double, 2>(0.0)});
  const H y(Dual<double, 2>::variable(1.0, 1), H::Tangent{Dual<double, 2>(0.0), Dual<double, 2>(1.0)});
  const H f = log(x) + y;
  EXPECT_TRUE(std::isnan(f.tangent(0).tangent(0)));
  EXPECT_EQ(f.tangent(0).tangent(1), 0.0);
  EXPECT_EQ(f.tangent(1).tangent(0), 0.0);
  EXPECT_EQ(f.tangent(1).tangent(1), 0.0);
}

TEST(Dual, SoftplusAndLogsumexpThirdDerivativesNearTheirMiddle) {
  // Regression: softplus' and the partials of logsumexp were sigmoid's value
  // formula, whose second derivative s' (1 - 2 s) cancels near 0 in nested
  // modes: softplus''' at 1e-8 was 1.6e-8 off, at 1e-20 it was 0.
  // softplus(x, t)''' = sigmoid''(x / t) / t^2, and d3/da3 logsumexp(a, b) =
  // sigmoid''(a - b), with sigmoid''(u) = -tanh(u/2) (1 - tanh^2(u/2)) / 4.
  const auto sigmoid2 = [](long double u) {
    const long double h = std::tanh(u / 2);
    return -h * (1 - h * h) / 4;
  };
  for (const double x : {1e-8, -1e-8, 1e-20, 1e-150, 0.3, -2.0}) {
    for (const double t : {1.0, 100.0}) {
      const double expected = static_cast<double>(sigmoid2(x / static_cast<long double>(t)) / (t * t));
      EXPECT_NEAR(third(softplus(third_order_seed(x), t)), expected, 1e-14 * std::fabs(expected))
          << x << ", " << t;
    }
    const double expected = static_cast<double>(sigmoid2(x));
    EXPECT_NEAR(third(logsumexp(third_order_seed(x), D3(0.0))), expected, 1e-14 * std::fabs(expected)) << x;
    EXPECT_NEAR(third(logsumexp(D3(0.0), third_order_seed(-x))), -expected, 1e-14 * std::fabs(expected)) << x;
  }
}

TEST(Dual, ComparisonsLookAtTheValueOnly) {
  using D = Dual<double, 2>;
  const D a = D::variable(1.0, 0);
  const D b = D::variable(1.0, 1);
  EXPECT_TRUE(a == b);  // same value, different lanes
  EXPECT_FALSE(a != b);
  EXPECT_TRUE(a < 2.0);
  EXPECT_TRUE(0.5 < a);
  EXPECT_TRUE(a >= 1);
  EXPECT_TRUE(a <= b);
  EXPECT_FALSE(a > b);
  using DD = Dual<Dual<double>>;
  const DD n(Dual<double>(3.0));
  EXPECT_TRUE(n > 2.5);
  EXPECT_TRUE(2 <= n);
  // Branching: |x| written by hand has derivative sign(x) on each side.
  auto f = [](auto x) { return x < 0.0 ? -x : x * x; };
  EXPECT_EQ(nabla::derivative(f, -2.0), -1.0);
  EXPECT_EQ(nabla::derivative(f, 3.0), 6.0);
}

TEST(Dual, CompoundAssignment) {
  // u = ((x + y) * x - 2) / y at (x, y) = (3, 2), built in place:
  // u = (x^2 + xy - 2) / y; du/dx = (2x + y)/y = 4, du/dy = (x y - (x^2 + x y - 2)) / y^2 = -7/4
  using D = Dual<double, 2>;
  const D x = D::variable(3.0, 0);
  const D y = D::variable(2.0, 1);
  D u = x;
  u += y;
  u *= x;
  u -= 2.0;
  u /= y;
  EXPECT_DOUBLE_EQ(u.value(), 6.5);
  EXPECT_DOUBLE_EQ(u.tangent(0), 4.0);
  EXPECT_DOUBLE_EQ(u.tangent(1), -1.75);
}

template <class D>
void expect_sums_in_place() {
  // s = x; s += y; s -= 3 x; s += 1; s += s; s -= y at (x, y) = (1.5, -2):
  // s = 2 (x + y - 3 x + 1) - y = -4 x + y + 2: ds/dx = -4, ds/dy = 1, and
  // every other lane stays zero.
  const D x = D::variable(1.5, 0, 5);
  const D y = D::variable(-2.0, 3, 5);
  D s = x;
  s += y;
  s -= 3.0 * x;
  s += 1;
  s += s;  // the lanes read are the lanes written
  s -= y;
  EXPECT_EQ(s.value(), -4.0 * 1.5 - 2.0 + 2.0);
  const double expected[5] = {-4.0, 0.0, 0.0, 1.0, 0.0};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(s.tangent(i), expected[i]) << "lane " << i;
}

TEST(Dual, SumsInPlaceOverPairsOfLanesAndTheOneLeftOver) {
  expect_sums_in_place<Dual<double, 5>>();        // in place, lanes two at a time and one alone
  expect_sums_in_place<Dual<float, 5>>();         // in place, lane by lane
  expect_sums_in_place<Dual<double, Dynamic>>();  // as s = s + e
}

TEST(Dual, Prints) {
  std::ostringstream out;
  out << Dual<double, 2>(1.5, {2.0, 0.0});
  EXPECT_EQ(out.str(), "1.5 [2, 0]");
}

TEST(Dual, EigenFixedMatrixOfDuals) {
  // A = [[a, 2], [3, d]] with a = 1 (lane 0) and d = 4 (lane 1), v = (5, 6)
  using D = Dual<double, 2>;
  Eigen::Matrix<D, 2, 2> A;
  A << D::variable(1.0, 0), D(2.0), D(3.0), D::variable(4.0, 1);
  Eigen::Matrix<D, 2, 1> v;
  v << D(5.0), D(6.0);
  // A v = (5a + 12, 15 + 6d): d/da = (5, 0), d/dd = (0, 6)
  const Eigen::Matrix<D, 2, 1> Av = A * v;
  EXPECT_EQ(Av[0].value(), 17.0);
  EXPECT_EQ(Av[0].tangent(0), 5.0);
  EXPECT_EQ(Av[1].tangent(1), 6.0);
  EXPECT_EQ(Av[1].tangent(0), 0.0);
  // det A = a d - 6: d/da = d = 4, d/dd = a = 1
  const D det = A.determinant();
  EXPECT_EQ(det.value(), -2.0);
  EXPECT_EQ(det.tangent(0), 4.0);
  EXPECT_EQ(det.tangent(1), 1.0);
  // |A|_F^2 = a^2 + 4 + 9 + d^2: gradient (2a, 2d)
  const D sq = A.squaredNorm();
  EXPECT_EQ(sq.value(), 30.0);
  EXPECT_EQ(sq.tangent(0), 2.0);
  EXPECT_EQ(sq.tangent(1), 8.0);
  // |first column| = sqrt(a^2 + 9): d/da = a / sqrt(a^2 + 9)
  EXPECT_DOUBLE_EQ(A.col(0).norm().tangent(0), 1.0 / std::sqrt(10.0));
  // row 0 . row 1 = 3a + 2d: gradient (3, 2)
  const D dot = A.row(0).dot(A.row(1));
  EXPECT_EQ(dot.tangent(0), 3.0);
  EXPECT_EQ(dot.tangent(1), 2.0);
}

TEST(Dual, EigenDynamicVectorOfDynamicDuals) {
  // v_i = variable i of 3, w = (1, -2, 4) as constants without lanes:
  // sum v = 1 + ... ; d(v.v)/dv_i = 2 v_i; d(w.v)/dv_i = w_i
  using D = Dual<double, Dynamic>;
  VectorX<D> v(3);
  for (int i = 0; i < 3; ++i) v[i] = D::variable(0.5 * (i + 1), static_cast<std::size_t>(i), 3);
  VectorX<D> w(3);
  w << D(1.0), D(-2.0), D(4.0);
  const D s = v.sum();
  const D sq = v.squaredNorm();
  const D wv = w.dot(v);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.tangent(i), 1.0);
    EXPECT_EQ(sq.tangent(i), 2.0 * 0.5 * static_cast<double>(i + 1));
    EXPECT_EQ(wv.tangent(i), w[static_cast<Eigen::Index>(i)].value());
  }
  EXPECT_EQ(wv.value(), 0.5 - 2.0 + 6.0);
  // a matrix of doubles times the vector of Duals: the Jacobian is the matrix
  Eigen::Matrix3d M;
  M << 1, 2, 3, 4, 5, 6, 7, 8, 10;
  const VectorX<D> Mv = M.cast<D>() * v;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(Mv[r].tangent(static_cast<std::size_t>(c)), M(r, c));
}

}  // namespace
}  // namespace nabla
