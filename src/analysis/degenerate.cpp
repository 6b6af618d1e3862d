// Degenerate critical points decided by f's values around them. Where the
// Hessian is singular the second-derivative test says nothing, but f does:
// the monkey saddle x^3 - 3xy^2 takes values below and above f(0) on every
// circle around 0, x^4 + y^4 only values above. So f is sampled on spheres
// of shrinking radii around the point (along the Hessian's eigenvectors,
// the axes, their pairwise diagonals and quasi-random directions), and a
// value counts as above or below f(x) only beyond a rounding allowance.
//
// A saddle needs a witness above and one below at every radius. They are
// values of f, so the claim fails only if rounding or the point's
// uncertainty fakes them; the allowance and radii well beyond the
// uncertainty rule that out, and the witnesses must shrink with the radius,
// as the terms of a Taylor expansion do and noise does not.
//
// A minimum needs more than no value below f(x) seen: f = (y - x^2)(y - 3x^2)
// rises along every line through 0 and dips below 0 between the parabolas.
// By the splitting lemma, x is a strict local minimum when the Hessian's
// nonzero eigenvalues are positive and the reduced function
// g(z) = min over w of f(x + z + w) (z in the Hessian's null space, w in its
// complement, along which f is locally convex) has a strict minimum at 0;
// for Peano's f, g(z) = -z^4. g is evaluated where the gradient's component
// in the complement vanishes (Newton from w = 0). With a one-dimensional
// null space its sphere is two points, and four radii with g above f(x) on
// both, none below down to an eighth of that, are strong evidence; with a
// larger one (x^4 + y^4) the sphere is sampled in many directions, and the
// minimum stays a numeric heuristic: a g that dips only between the sampled
// directions or radii would be called a minimum.
#include "degenerate.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "nabla/analysis/box.hpp"

namespace nabla::analysis::detail {
namespace {

constexpr std::size_t kAgreeing = 4;  // radii that must all show the evidence
constexpr int kChecked = 8;           // radii that must not contradict a minimum or maximum
constexpr double kEps = std::numeric_limits<double>::epsilon();

/// Unit vectors in the span of the orthonormal columns of `basis`: each
/// column and its negative, the pairwise diagonals (for up to six columns),
/// and `extra` quasi-random combinations (for two columns or more).
std::vector<Eigen::VectorXd> directions_in(const Eigen::MatrixXd& basis, int extra) {
  std::vector<Eigen::VectorXd> out;
  const Eigen::Index k = basis.cols();
  for (Eigen::Index i = 0; i < k; ++i) {
    out.push_back(basis.col(i));
    out.push_back(-basis.col(i));
    for (Eigen::Index j = i + 1; j < k && k <= 6; ++j)
      for (const double s : {-1.0, 1.0}) {
        const Eigen::VectorXd diagonal = std::sqrt(0.5) * (basis.col(i) + s * basis.col(j));
        out.push_back(diagonal);
        out.push_back(-diagonal);
      }
  }
  if (k >= 2 && extra > 0) {
    const Box cube(-Eigen::VectorXd::Ones(k), Eigen::VectorXd::Ones(k));
    for (const Eigen::VectorXd& c : spread_points(cube, extra, Starts::Halton, 7)) {
      const double norm = c.stableNorm();
      if (norm > 0.1) out.push_back(basis * (c / norm));
    }
  }
  return out;
}

/// x + z + B a where the gradient's components along the columns of B
/// vanish, by Newton's method on a from 0: there f is smallest (largest)
/// over x + z + span(B) near x when the curvature along B is positive
/// (negative). `error` bounds how far f there may be from that extremum:
/// the curvature times the last step squared. nullopt when Newton does not
/// converge.
std::optional<Eigen::VectorXd> reduced_point(const SecondOrder& f, const Eigen::VectorXd& x,
                                             const Eigen::VectorXd& z, const Eigen::MatrixXd& b,
                                             double& error) {
  Eigen::VectorXd q = x + z;
  error = 0;
  if (b.cols() == 0) return q;
  for (int it = 0; it < 50; ++it) {
    const Eigen::MatrixXd h = b.transpose() * f.hessian(q) * b;
    const Eigen::VectorXd g = b.transpose() * f.gradient(q);
    if (!h.allFinite() || !g.allFinite()) return std::nullopt;
    const Eigen::VectorXd step = h.ldlt().solve(-g);
    if (!step.allFinite()) return std::nullopt;
    q += b * step;
    const double length = step.stableNorm();
    if (length <= std::fmax(1e-10 * z.stableNorm(), 4 * kEps * q.stableNorm())) {
      error = h.cwiseAbs().rowwise().sum().maxCoeff() * length * length;
      return q;
    }
  }
  return std::nullopt;
}

/// What the values of f on one sphere around x say.
struct Sphere {
  bool above = false, below = false;                          // some value clearly above (below) f(x)
  double top = 0, bottom = 0;                                 // the largest clear rise and fall
  bool reduced_above = true, reduced_below = true;            // every value of g clearly above (below)
  double lowest = std::numeric_limits<double>::infinity();    // the smallest change of g
  double highest = -std::numeric_limits<double>::infinity();  // the largest
};

/// +1 for a value clearly above f(x), -1 clearly below, 0 within rounding
/// (or not finite).
int side_of(double value, double at_x, double error, Sphere& s) {
  const double change = value - at_x;
  const double allowance = 16 * kEps * (std::fabs(value) + std::fabs(at_x)) + error;
  if (!std::isfinite(change) || !(std::fabs(change) > allowance)) return 0;
  if (change > 0) {
    s.above = true;
    s.top = std::fmax(s.top, change);
    return 1;
  }
  s.below = true;
  s.bottom = std::fmax(s.bottom, -change);
  return -1;
}

/// f on the sphere of radius r around x: in the directions `around` as they
/// are, in the null-space directions `along` through the reduced function.
/// `offset`: how far f(x) may be from f at the true point.
Sphere sample(const SecondOrder& f, const DegeneratePoint& p, double r,
              const std::vector<Eigen::VectorXd>& around, const std::vector<Eigen::VectorXd>& along,
              const Eigen::MatrixXd& rest, double offset) {
  Sphere s;
  for (const Eigen::VectorXd& d : around) side_of(f.value(p.x + r * d), p.f, offset, s);
  for (const Eigen::VectorXd& v : along) {
    double error = 0;
    const std::optional<Eigen::VectorXd> q = reduced_point(f, p.x, r * v, rest, error);
    const double value = q ? f.value(*q) : std::numeric_limits<double>::quiet_NaN();
    const int side = side_of(value, p.f, error + offset, s);
    if (side <= 0) s.reduced_above = false;
    if (side >= 0) s.reduced_below = false;
    if (std::isfinite(value)) {
      s.lowest = std::fmin(s.lowest, value - p.f);
      s.highest = std::fmax(s.highest, value - p.f);
    }
  }
  return s;
}

}  // namespace

namespace {

/// The directions f is sampled in around p: the axes, their diagonals and
/// 16 n quasi-random ones, and the Hessian's eigenvectors.
std::vector<Eigen::VectorXd> directions_around(const DegeneratePoint& p) {
  const Eigen::Index n = p.x.size();
  std::vector<Eigen::VectorXd> around =
      directions_in(Eigen::MatrixXd::Identity(n, n), 16 * static_cast<int>(n));
  for (const Eigen::VectorXd& d : directions_in(p.directions, 0)) around.push_back(d);
  return around;
}

/// The spheres of radius p.radius, /2, ... (kChecked of them) that lie well
/// beyond where the true point may be and the rounding of x.
std::vector<Sphere> spheres_around(const SecondOrder& f, const DegeneratePoint& p,
                                   const std::vector<Eigen::VectorXd>& around,
                                   const std::vector<Eigen::VectorXd>& along, const Eigen::MatrixXd& rest,
                                   double offset = 0) {
  const double floor = std::fmax(8 * p.uncertainty, 1e4 * kEps * p.x.cwiseAbs().maxCoeff());
  std::vector<Sphere> spheres;
  for (int k = 0; k < kChecked; ++k) {
    const double r = std::ldexp(p.radius, -k);
    if (!(r >= floor)) break;
    spheres.push_back(sample(f, p, r, around, along, rest, offset));
  }
  return spheres;
}

/// Whether `holds` is true of each of the first kAgreeing spheres.
template <class Holds>
bool first_all(const std::vector<Sphere>& spheres, Holds holds) {
  for (std::size_t k = 0; k < kAgreeing; ++k)
    if (!holds(spheres[k])) return false;
  return true;
}

/// Whether `size` shrinks over the first kAgreeing spheres.
template <class Size>
bool shrinks(const std::vector<Sphere>& spheres, Size size) {
  for (std::size_t k = 1; k < kAgreeing; ++k)
    if (!(size(spheres[k]) < size(spheres[k - 1]))) return false;
  return true;
}

/// Whether `holds` is true of no sphere.
template <class Holds>
bool nowhere(const std::vector<Sphere>& spheres, Holds holds) {
  for (const Sphere& s : spheres)
    if (holds(s)) return false;
  return true;
}

/// A saddle's evidence: values clearly above and below f(x) on each of the
/// first kAgreeing spheres, both shrinking with the radius.
bool shows_saddle(const std::vector<Sphere>& spheres) {
  return first_all(spheres, [](const Sphere& s) { return s.above && s.below; }) &&
         shrinks(spheres, [](const Sphere& s) { return s.top; }) &&
         shrinks(spheres, [](const Sphere& s) { return s.bottom; });
}

}  // namespace

CriticalKind classify_set_point_by_values(const SecondOrder& f, const DegeneratePoint& p) {
  const Eigen::Index n = p.x.size();
  if (!std::isfinite(p.f) || !p.curvatures.allFinite() || p.directions.cols() != n)
    return CriticalKind::Inconclusive;
  const bool positive = (p.curvatures.array() > 0).any(), negative = (p.curvatures.array() < 0).any();
  // f is constant along the set, but x may lie p.uncertainty off it, where
  // f differs from the set's value by up to |g| u + |H| u^2 / 2: no value
  // counts as above or below f(x) within that. A point of x^2 y's set at
  // x = -1.8e-28 had f = 9e-57 against the set's 0, and the set's other
  // points were "clearly" below it.
  const double offset = f.gradient(p.x).stableNorm() * p.uncertainty +
                        0.5 * p.curvatures.cwiseAbs().maxCoeff() * p.uncertainty * p.uncertainty;
  const std::vector<Sphere> spheres = spheres_around(f, p, directions_around(p), {}, Eigen::MatrixXd(n, 0),
                                                     std::isfinite(offset) ? offset : 0);
  if (spheres.size() < kAgreeing) return CriticalKind::Inconclusive;
  // as for a point (f = x^3 y across its line x = 0, x^2 y^3 across its axis y = 0)
  if (shows_saddle(spheres)) return CriticalKind::Saddle;
  if (!negative && first_all(spheres, [](const Sphere& s) { return s.above; }) &&
      nowhere(spheres, [](const Sphere& s) { return s.below; }))
    return CriticalKind::Minimum;
  if (!positive && first_all(spheres, [](const Sphere& s) { return s.below; }) &&
      nowhere(spheres, [](const Sphere& s) { return s.above; }))
    return CriticalKind::Maximum;
  return CriticalKind::Inconclusive;
}

CriticalKind classify_by_values(const SecondOrder& f, const DegeneratePoint& p) {
  const Eigen::Index n = p.x.size();
  if (!std::isfinite(p.f) || !p.curvatures.allFinite() || p.directions.cols() != n)
    return CriticalKind::Inconclusive;
  Eigen::MatrixXd null(n, 0), rest(n, 0);
  bool positive = false, negative = false;
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::MatrixXd& to = p.curvatures[i] == 0 ? null : rest;
    to.conservativeResize(Eigen::NoChange, to.cols() + 1);
    to.col(to.cols() - 1) = p.directions.col(i);
    positive = positive || p.curvatures[i] > 0;
    negative = negative || p.curvatures[i] < 0;
  }
  if (positive && negative) return CriticalKind::Saddle;
  if (null.cols() == 0) return CriticalKind::Inconclusive;
  const std::vector<Eigen::VectorXd> along = directions_in(null, 32 * static_cast<int>(null.cols()));
  const std::vector<Sphere> spheres = spheres_around(f, p, directions_around(p), along, rest);
  if (spheres.size() < kAgreeing) return CriticalKind::Inconclusive;
  if (shows_saddle(spheres)) return CriticalKind::Saddle;
  if (!negative && first_all(spheres, [](const Sphere& s) { return s.reduced_above; }) &&
      shrinks(spheres, [](const Sphere& s) { return s.lowest; }) &&
      nowhere(spheres, [](const Sphere& s) { return s.below; }))
    return CriticalKind::Minimum;
  if (!positive && first_all(spheres, [](const Sphere& s) { return s.reduced_below; }) &&
      shrinks(spheres, [](const Sphere& s) { return -s.highest; }) &&
      nowhere(spheres, [](const Sphere& s) { return s.above; }))
    return CriticalKind::Maximum;
  return CriticalKind::Inconclusive;
}

}  // namespace nabla::analysis::detail
