// Polynomial recognition, exact coefficients and real roots, against
// polynomials built from known roots.
#include "nabla/analysis/polynomial.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

TEST(Polynomial, BadInput) {
  EXPECT_THROW(real_roots({0, 0}), DomainError);
  EXPECT_THROW(real_roots({}), DomainError);
  EXPECT_THROW(real_roots({1, std::nan("")}), DomainError);
  EXPECT_TRUE(real_roots({4}).empty());
}

}  // namespace
}  // namespace nabla::analysis
