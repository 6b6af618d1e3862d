// Polynomial recognition, exact coefficients and real roots, against
// polynomials built from known roots.
#include "nabla/analysis/polynomial.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "nabla/core/errors.hpp"
#include "nabla/sym/sym.hpp"

namespace nabla::analysis {
namespace {

const sym::Expr x = sym::symbol("x");

/// The coefficients of (x - r_1)(x - r_2)...
std::vector<double> from_roots(const std::vector<double>& roots) {
  std::vector<double> c{1.0};
  for (double r : roots) {
    std::vector<double> next(c.size() + 1, 0.0);
    for (std::size_t k = 0; k < c.size(); ++k) {
      next[k + 1] += c[k];
      next[k] -= r * c[k];
    }
    c = next;
  }
  return c;
}

TEST(Polynomial, DegreeAndCoefficients) {
  EXPECT_EQ(polynomial_degree(sym::parse("(x^2 + 1)^3 - x"), x), 6);
  EXPECT_EQ(polynomial_degree(sym::parse("pi*x^2 + sin(2)"), x), 2);
  for (const char* text : {"sin(x)", "1/x", "x^0.5", "2^x", "x*y", "exp(x) + x^2"})
    EXPECT_FALSE(polynomial_degree(sym::parse(text), x)) << text;
  const auto c = polynomial_coefficients(sym::parse("(x^2 + 1)^3 - x"), x);
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, (std::vector<double>{1, -1, 3, 0, 3, 0, 1}));  // exact
  const auto cancelling = polynomial_coefficients(sym::parse("(x + 1)^2 - x^2"), x);
  ASSERT_TRUE(cancelling);
  EXPECT_EQ(*cancelling, (std::vector<double>{1, 2}));  // the x^2 terms cancel
  EXPECT_FALSE(polynomial_coefficients(sym::parse("x^500"), x, 100));
  // a small leading coefficient is kept: over |x| <= 1e8 it is the largest term
  const auto small = polynomial_coefficients(sym::parse("1e-15*x^3 - x"), x);
  ASSERT_TRUE(small);
  EXPECT_EQ(*small, (std::vector<double>{0, -1, 0, 1e-15}));
}

TEST(Polynomial, DeepExpressionsDoNotOverflowTheStack) {
  // x (x (... (x + 1) ...) + 1), 20000 levels, built through the API
  sym::Expr e = x;
  for (int i = 0; i < 20000; ++i) e = x * (e + sym::Expr(1));
  EXPECT_EQ(polynomial_degree(e, x), 20001);
  sym::Expr not_polynomial = x;
  for (int i = 0; i < 20000; ++i) not_polynomial = sym::sin(not_polynomial) + x;
  EXPECT_FALSE(polynomial_degree(not_polynomial, x));
}

TEST(Polynomial, RealRootsOfKnownPolynomials) {
  const std::vector<double> roots{-3.5, -1, 0.25, 2, 7};
  const auto found = real_roots(from_roots(roots));
  ASSERT_EQ(found.size(), roots.size());
  for (std::size_t i = 0; i < roots.size(); ++i) {
    EXPECT_NEAR(found[i].x, roots[i], 1e-13 * (1 + std::fabs(roots[i])));
    EXPECT_EQ(found[i].multiplicity, 1);
  }
  // x^2 + 1 has no real root; (x^2 + 1)(x - 3) has one
  EXPECT_TRUE(real_roots({1, 0, 1}).empty());
  const auto one = real_roots({-3, 1, -3, 1});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_NEAR(one[0].x, 3, 1e-14);
  // the first ten integers (Wilkinson's polynomial of degree 10)
  std::vector<double> wilkinson;
  for (int k = 1; k <= 10; ++k) wilkinson.push_back(k);
  const auto w = real_roots(from_roots(wilkinson));
  ASSERT_EQ(w.size(), 10u);
  for (int k = 0; k < 10; ++k) EXPECT_NEAR(w[static_cast<std::size_t>(k)].x, k + 1, 1e-8);
}

TEST(Polynomial, MultipleRoots) {
  const auto zero = real_roots({0, 0, 0, 5});  // 5x^3
  ASSERT_EQ(zero.size(), 1u);
  EXPECT_EQ(zero[0].x, 0.0);
  EXPECT_EQ(zero[0].multiplicity, 3);
  const auto twice = real_roots(from_roots({1.5, 1.5, -2}));
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_NEAR(twice[0].x, -2, 1e-12);
  EXPECT_NEAR(twice[1].x, 1.5, 1e-10);
  EXPECT_EQ(twice[1].multiplicity, 2);
  const auto thrice = real_roots(from_roots({-1, -1, -1, 4}));
  ASSERT_EQ(thrice.size(), 2u);
  EXPECT_NEAR(thrice[0].x, -1, 1e-8);
  EXPECT_EQ(thrice[0].multiplicity, 3);
}

TEST(Polynomial, MultiplicityBeyondAFixedClusterRadius) {
  // rounding spreads a root of multiplicity m over about eps^(1/m): for
  // m = 7 that is 0.005, which a fixed cluster radius split into several roots
  const auto seven = real_roots(from_roots({1, 1, 1, 1, 1, 1, 1}));
  ASSERT_EQ(seven.size(), 1u);
  EXPECT_EQ(seven[0].multiplicity, 7);
  EXPECT_NEAR(seven[0].x, 1, 1e-12);
  const auto mixed = real_roots(from_roots({2, 2, 2, -1, -1, -1, -1, 0.5}));
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_NEAR(mixed[0].x, -1, 1e-10);
  EXPECT_EQ(mixed[0].multiplicity, 4);
  EXPECT_NEAR(mixed[1].x, 0.5, 1e-10);
  EXPECT_EQ(mixed[1].multiplicity, 1);
  EXPECT_NEAR(mixed[2].x, 2, 1e-10);
  EXPECT_EQ(mixed[2].multiplicity, 3);
}

TEST(Polynomial, CloseSimpleRootsStayApart) {
  // 1e-6 apart is far beyond what rounding blurs for simple (or double)
  // roots; the rounded coefficients move each by about eps / p' = 1e-10
  const auto close = real_roots(from_roots({1, 1 + 1e-6}));
  ASSERT_EQ(close.size(), 2u);
  EXPECT_NEAR(close[0].x, 1, 1e-9);
  EXPECT_NEAR(close[1].x, 1 + 1e-6, 1e-9);
  EXPECT_EQ(close[0].multiplicity, 1);
  EXPECT_EQ(close[1].multiplicity, 1);
  const auto double_and_simple = real_roots(from_roots({3, 3, 3.001}));
  ASSERT_EQ(double_and_simple.size(), 2u);
  EXPECT_NEAR(double_and_simple[0].x, 3, 1e-10);
  EXPECT_EQ(double_and_simple[0].multiplicity, 2);
  // next to a double root 3.001 is ill-conditioned: p' there is 1e-6
  EXPECT_NEAR(double_and_simple[1].x, 3.001, 1e-8);
  EXPECT_EQ(double_and_simple[1].multiplicity, 1);
}

TEST(Polynomial, RandomRootsWithMultiplicities) {
  // roots at distinct quarter-integers in [-4, 4], multiplicities 1 to 3
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(state >> 33);
  };
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<int> quarters;
    const int distinct = 1 + next() % 4;
    while (static_cast<int>(quarters.size()) < distinct) {
      const int q = next() % 33 - 16;
      if (std::find(quarters.begin(), quarters.end(), q) == quarters.end()) quarters.push_back(q);
    }
    std::sort(quarters.begin(), quarters.end());
    std::vector<double> all;
    std::vector<int> multiplicities;
    for (int q : quarters) {
      multiplicities.push_back(1 + next() % 3);
      for (int k = 0; k < multiplicities.back(); ++k) all.push_back(q / 4.0);
    }
    const auto found = real_roots(from_roots(all));
    ASSERT_EQ(found.size(), quarters.size()) << "trial " << trial;
    for (std::size_t i = 0; i < found.size(); ++i) {
      EXPECT_NEAR(found[i].x, quarters[i] / 4.0, 1e-8) << "trial " << trial;
      EXPECT_EQ(found[i].multiplicity, multiplicities[i])
          << "trial " << trial << " root " << quarters[i] / 4.0;
    }
  }
}

TEST(Polynomial, RootsWherePowersOverflow) {
  // (x - 1e155)(x + 1): between the roots x^2 overflows, and so did the
  // rounding bound, so inf <= inf merged both into a double root at 5e154.
  // The reference roots, -1 and 1.0000000000000000072e155, are mpmath's
  // polyroots of these double coefficients at 50 digits.
  const std::vector<double> c{-1e155, -1e155, 1};
  EXPECT_TRUE(std::isfinite(rounding_bound(c, 5e154)));  // about 3.5e296
  const auto found = real_roots(c);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_NEAR(found[0].x, -1, 1e-15);
  EXPECT_NEAR(found[1].x, 1e155, 1e140);
  EXPECT_EQ(found[0].multiplicity, 1);
  EXPECT_EQ(found[1].multiplicity, 1);
}

TEST(Polynomial, SmallLeadingCoefficients) {
  // The companion matrix of these is badly unbalanced: without balancing its
  // small eigenvalues came out as 0 and the roots near them were lost. The
  // references are mpmath's polyroots of these double coefficients at 50
  // digits (numpy.roots agrees to the digits it prints).
  const auto cubic = real_roots({-1, 0, 1, 1e-18});
  ASSERT_EQ(cubic.size(), 3u);
  EXPECT_NEAR(cubic[0].x, -999999999999999928.46, 1e3);
  EXPECT_NEAR(cubic[1].x, -1, 1e-15);
  EXPECT_NEAR(cubic[2].x, 1, 1e-15);
  const auto wide = real_roots({-2, 0, 1e-40});  // +-1.4142135623730950988e20
  ASSERT_EQ(wide.size(), 2u);
  EXPECT_NEAR(wide[0].x, -1.4142135623730950988e20, 1e5);
  EXPECT_NEAR(wide[1].x, 1.4142135623730950988e20, 1e5);
  const auto apart = real_roots({-1, 1, 1e-300});  // -9.9999999999999997494e299 and 1
  ASSERT_EQ(apart.size(), 2u);
  EXPECT_NEAR(apart[0].x, -9.9999999999999997494e299, 1e285);
  EXPECT_NEAR(apart[1].x, 1, 1e-15);
  for (const auto& roots : {cubic, wide, apart})
    for (const Root& r : roots) EXPECT_EQ(r.multiplicity, 1) << r.x;
}

TEST(Polynomial, WilkinsonOfDegreeTwentyHasTwentySimpleRoots) {
  // (x - 1)...(x - 20) as doubles: the a priori bound 64 (d + 2) eps
  // sum |c_k| |x|^k exceeded |p| everywhere over [7, 20], so 7 to 20 merged
  // into one root of multiplicity 14. The roots of these double coefficients
  // as from_roots rounds them (mpmath's polyroots at 60 digits, all real)
  // are simple, within 6e-4 of 1...20.
  const std::vector<double> reference{
      1.0000000000000098, 1.9999999999984006, 2.9999999999829963, 4.000000002871255,  4.9999999351265725,
      6.000000718858967,  6.999995103817056,  8.00002269510197,   8.999924185682216,  10.000189186679828,
      10.99963981232861,  12.000530548412934, 12.999392850542677, 14.000539217936149, 14.999631539779626,
      16.00018994547041,  16.999928416017084, 18.000018600605905, 18.999997018587795, 20.000000222199535};
  std::vector<double> integers;
  for (int k = 1; k <= 20; ++k) integers.push_back(k);
  const auto found = real_roots(from_roots(integers));
  ASSERT_EQ(found.size(), 20u);
  for (std::size_t k = 0; k < 20; ++k) {
    // evaluated in doubles p is known only to about 1e-2 of a unit there
    EXPECT_NEAR(found[k].x, reference[k], 1e-2) << k;
    EXPECT_EQ(found[k].multiplicity, 1) << found[k].x;
  }
}

TEST(Polynomial, BadInput) {
  EXPECT_THROW(real_roots({0, 0}), DomainError);
  EXPECT_THROW(real_roots({}), DomainError);
  EXPECT_THROW(real_roots({1, std::nan("")}), DomainError);
  EXPECT_TRUE(real_roots({4}).empty());
}

}  // namespace
}  // namespace nabla::analysis
