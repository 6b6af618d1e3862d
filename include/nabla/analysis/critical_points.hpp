// Critical points of f: R^n -> R over a box, and their classification.
//
// The numeric path solves grad f = 0 by Newton's method from many starting
// points (a grid or a seeded low-discrepancy set over the box): each step
// solves H s = -g through the eigen-decomposition of the Hessian (directions
// of a vanishing eigenvalue are left alone), is cut to a trust radius, and
// is halved until |g| decreases. Then Newton starts again from the midpoints
// of pairs of points found (nearest pairs first, a few rounds), where a
// saddle or maximum between two minima often lies in a basin narrower than
// the starts' spacing; and from where f rises to and falls to from each
// start (a climb along the gradient in steps independent of its size): the
// Newton basin of a bump's top ends where f's curvature changes sign, 0.71
// from the centre of exp(-x^2 - y^2), and over -10:10 no start lay within
// it, while f rises to the top from anywhere on the bump. A point is
// accepted when its gradient vanishes against the box's (see
// gradient_tolerance) and against the gradient around it (a thousandth of
// the box away), beyond underflow: where f is 1e-106 its gradient of 1e-104
// is tiny against the box's but not against its neighbours', and such a flat
// tail has no critical point. (Where f, and its gradient all around, are
// exactly 0 as computed, a plateau or an underflowed tail, the points are
// critical as computed: a set of them.) A point is accepted too where its
// gradient is within what rounding x to a double may leave (8 eps |H| |x|,
// H of normal size): in a small box those tolerances can ask for less (over
// 2 pi +- 1e-5 the maximum of cos x + cos y was missed). A box must span
// 10^4 rounding units of its bounds in every dimension (require_widths),
// so that a thousandth of it is a step the doubles resolve. Where the Hessian is degenerate
// Newton converges only linearly and may stop wherever one gradient
// component is below the rounding of another; every point found takes
// Newton steps for as long as the steps shrink (polished). Converged points are merged
// when they lie closer than a fraction of the box's diagonal, and points
// outside the box are dropped. Degenerate points at one value are one point
// when the gradient vanishes on the segment between them (a line of critical
// points), or when Newton from their midpoint finds another such point
// nearby that is joined to each in turn (a curve of them: the circle of
// minima of (x^2 + y^2 - 1)^2); "vanishes" and "one value" are relative to
// the slope of f around the two points too, not only to the largest gradient
// in the box. A degenerate point that joined no other is walked from along
// the directions where its Hessian vanishes (in growing steps, each ended by
// Newton across the direction): every Newton run of x^2 y^2 goes to the
// origin, and the walk finds the axes of minima through it. set_extent tells
// how far such a set reaches; an isolated point, however degenerate and
// however roughly located, has none. Gradients
// and Hessians come from nabla's AD drivers (or from a compiled Program for
// symbolic input).
//
// Each point is classified by the eigenvalues of its Hessian (the
// second-derivative test): all positive a Minimum, all negative a Maximum,
// both signs a Saddle. "Zero" is relative to the curvature scale near the
// point (the largest |eigenvalue| there and a thousandth of the box away
// along each axis), so the test depends neither on the units of f nor on
// steep regions elsewhere in the box; an eigenvalue whose curvature changes
// sign within the distance the point may be off (an inflection such as x^3
// at 0 is located only to about sqrt(eps)) is zero too.
//
// Where an eigenvalue is zero and none has the opposite sign of another, the
// Hessian cannot decide, and an isolated point is decided by f's values
// around it, sampled on spheres of radius r, r/2, r/4 and r/8 (r a hundredth
// of the box, or half the distance to the nearest other point, and each
// well beyond the point's uncertainty). A value counts as above or below
// f(x) only beyond a rounding allowance (16 eps |f|). Saddle (a critical
// point that is no extremum: the monkey saddle x^3 - 3xy^2, x^2 - y^4, the
// inflection x^3) when values clearly above and clearly below f(x) occur on
// every sphere, shrinking with it: those values are witnesses, so this
// verdict is as sound as f's evaluation. Minimum (x^4 + y^4, x^2 + y^4) when
// no eigenvalue is negative and the reduced function (f along the Hessian's
// null space, minimized over the other directions, which the splitting
// lemma makes decisive: it is -z^4 for (y - x^2)(y - 3x^2), which rises
// along every line through 0) is clearly above f(x) on every sphere, and no
// value down to r/128 is clearly below; Maximum likewise. That is a numeric
// heuristic, not a proof: a function that dips below f(x) only between the
// sampled directions or radii would be called a minimum. A point that
// stands for a set of critical points, where f is constant along the set, is
// a Saddle as a point is (values above and below on every sphere, shrinking:
// the line x = 0 of x^3 y, no extremum), a Minimum (not a strict one: the
// set's other points are as low) when no
// curvature is negative, values clearly above f(x) occur on the four
// largest spheres and none clearly below on any (the circle of minima of
// (x^2 + y^2 - 1)^2, the axes of x^2 y^2); Maximum likewise. Otherwise (no
// clean evidence, e.g. 1 + x^4 + y^4 where r^4 is within the rounding of 1,
// or a plateau flat all around the sampled point) the point stays
// Inconclusive. A set's kind is its point's, or where f around that point
// is too close to f(x) to tell (the point is often the set's nearest to
// where it meets others), the one kind its other points found give, none
// saying otherwise: the axes of x^2 y^3 hold a set of minima (x = 0, y > 0),
// one of maxima (y < 0), the saddle point between them and the two halves
// of y = 0, sets of saddles. Not where f is exactly
// flat at the point as computed: a plateau and an underflowed tail look
// alike, and only the plateau has minima.
//
// The symbolic entry point finds every real critical point of a polynomial in
// one variable: the eigenvalues of the companion matrix of f' (coefficients
// extracted exactly) give starting points, refined by Newton's method on
// f'/f'' evaluated from the expression itself (quadratic even at a multiple
// root); a point is kept when f' vanishes there within rounding, points
// between which f' stays within rounding are one point (isolated: the
// roots of a non-zero f' are). A multiple root (f'' vanishing too) is
// decided by the sign of f' on either side, between it and the neighbouring
// roots, taken only where f' is beyond the rounding of its coefficients: a
// Minimum from - to +, a Maximum from + to -, a Saddle (an inflection) where
// it keeps its sign, Inconclusive where no such point lies in the box.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "nabla/ad/drivers.hpp"
#include "nabla/analysis/box.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::analysis {

/// What a critical point is: a local minimum or maximum, a saddle (no
/// extremum: values above and below f(x) arbitrarily close), or undecided.
/// The second-derivative test decides where the Hessian is invertible; f's
/// values around the point where it is not (see above).
enum class CriticalKind : std::uint8_t { Minimum, Maximum, Saddle, Inconclusive };

/// "minimum", "maximum", "saddle" or "inconclusive".
std::string_view to_string(CriticalKind kind);

/// A critical point of f.
struct CriticalPoint {
  Eigen::VectorXd x;            ///< where grad f = 0
  double f = 0;                 ///< f(x)
  double gradient_norm = 0;     ///< |grad f(x)| as computed (a residual)
  Eigen::VectorXd eigenvalues;  ///< of the Hessian at x, ascending
  CriticalKind kind = CriticalKind::Inconclusive;
  /// 0 for an isolated point (also a degenerate one, which may be known
  /// only roughly); otherwise x stands for a connected set of critical
  /// points found (a line or curve of them), and this is the largest
  /// distance from x to another point of the set.
  double set_extent = 0;
  /// Whether f's gradient is exactly zero at x and beside it (a thousandth
  /// of the box away, on one side at least, along each axis and the
  /// diagonal), as computed: x lies in or at the edge of a region where f
  /// is flat, a plateau (max(0, x)^2 for x < 0) or where f or its slope
  /// underflowed (exp(-1000 x^2) for |x| > 0.87, no critical point at all).
  /// f's values cannot tell the two apart, so such a point is Inconclusive.
  bool flat = false;
};

/// How critical_points searches.
struct CriticalOptions {
  Starts starts = Starts::Grid;  ///< where the Newton runs begin
  int start_count = 400;         ///< about this many starting points
  std::uint64_t seed = 1;        ///< for Starts::Halton
  int max_iterations = 200;      ///< Newton steps per start
  /// A point is accepted when every |g_i| <= gradient_tolerance * G_i, G_i
  /// the largest |g_i| seen at the starting points, and |g| <=
  /// gradient_tolerance * (the largest |g| a thousandth of the box away
  /// along each axis), that bound not below the smallest normal double.
  double gradient_tolerance = 1e-8;
  /// Points closer than merge_distance * (box diagonal) are one point.
  double merge_distance = 1e-6;
  /// An eigenvalue with |lambda| <= eigenvalue_tolerance * (the curvature
  /// scale near the point) counts as zero.
  double eigenvalue_tolerance = 1e-8;
};

/// The values, gradients and Hessians of f: R^n -> R, type-erased: what the
/// searches run on (made from a generic callable by second_order(), or from a
/// compiled Program).
struct SecondOrder {
  std::function<double(const Eigen::VectorXd&)> value;
  std::function<Eigen::VectorXd(const Eigen::VectorXd&)> gradient;
  std::function<Eigen::MatrixXd(const Eigen::VectorXd&)> hessian;
};

/// f's values, and its gradient and Hessian by nabla's AD drivers; f is a
/// generic callable f(const VectorX<T>&) -> T (as nabla::gradient takes).
/// f is copied into the result.
template <class F>
SecondOrder second_order(F f) {
  auto shared = std::make_shared<F>(std::move(f));
  return {[shared](const Eigen::VectorXd& x) { return static_cast<double>((*shared)(x)); },
          [shared](const Eigen::VectorXd& x) { return nabla::gradient(*shared, x); },
          [shared](const Eigen::VectorXd& x) { return nabla::hessian(*shared, x); }};
}

/// The second-derivative test on the Hessian's eigenvalues: `scale` is the
/// curvature scale against which |lambda| <= tolerance * scale counts as
/// zero; Inconclusive when one does and none have opposite signs.
CriticalKind classify(const Eigen::VectorXd& eigenvalues, double scale, double tolerance);

/// Critical points of f in the box by multi-start Newton, sorted by x
/// (lexicographically). Throws DimensionError for an empty box.
std::vector<CriticalPoint> critical_points(const SecondOrder& f, const Box& box,
                                           const CriticalOptions& options = {});

/// Critical points of a generic callable f(const VectorX<T>&) -> T.
template <class F>
requires(!std::is_same_v<std::remove_cvref_t<F>, SecondOrder> &&
         std::is_invocable_v<F&, const Eigen::VectorXd&>)
    std::vector<CriticalPoint> critical_points(F&& f, const Box& box, const CriticalOptions& options = {}) {
  return critical_points(second_order(std::forward<F>(f)), box, options);
}

/// Critical points of an expression, its variables taken in alphabetical
/// order (free_symbols) and matched with the box's dimensions. A polynomial
/// in one variable gets every real critical point in the box (companion
/// matrix); any other expression is compiled and searched numerically.
/// Throws DimensionError when the box does not have one dimension per
/// variable (an expression without variables has no isolated critical point).
std::vector<CriticalPoint> critical_points(const sym::Expr& f, const Box& box,
                                           const CriticalOptions& options = {});

/// The same with the variables in the order given, the box's dimensions and
/// each point's x in that order (and the points sorted by it). Throws
/// DimensionError unless `vars` names each of f's variables exactly once.
std::vector<CriticalPoint> critical_points(const sym::Expr& f, const std::vector<sym::Expr>& vars,
                                           const Box& box, const CriticalOptions& options = {});

}  // namespace nabla::analysis
