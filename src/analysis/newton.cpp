// The numeric critical-point search: Newton's method on grad f = 0 from many
// starting points, with steps cut to a trust radius and halved until |g|
// decreases, then from the midpoints of pairs of points found, and from
// where f rises and falls to from the starts; a run's end accepted where the
// gradient vanishes against the box's and its neighbours'; then merging
// of duplicates and the second-derivative test. Norms are Eigen's stableNorm:
// gradients of 1e160 or 1e-160 must neither overflow nor vanish when squared.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "degenerate.hpp"
#include "nabla/analysis/critical_points.hpp"
#include "nabla/core/errors.hpp"

namespace nabla::analysis {
namespace {

/// Solves H s = -g on the eigenvectors of H whose eigenvalue is not negligible
/// (a pseudo-inverse): a vanishing curvature leaves its direction alone. When
/// every eigenvalue vanishes, the step is -g. H is first scaled to a unit
/// diagonal (Jacobi): the x curvature 6x of x^3 + y^2 falls below the
/// eigensolver's rounding against the y curvature 2 at x = 1e-14, where
/// unscaled Newton stopped moving x.
Eigen::VectorXd newton_step(const Eigen::MatrixXd& h, const Eigen::VectorXd& g) {
  Eigen::VectorXd d(h.rows());
  for (Eigen::Index i = 0; i < d.size(); ++i) {
    const double diagonal = std::fabs(h(i, i));
    d[i] = diagonal > 0 && std::isfinite(1 / std::sqrt(diagonal)) ? 1 / std::sqrt(diagonal) : 1.0;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(d.asDiagonal() * h * d.asDiagonal());
  const Eigen::VectorXd& lambda = eigen.eigenvalues();
  const double largest = lambda.cwiseAbs().maxCoeff();
  const Eigen::VectorXd along = eigen.eigenvectors().transpose() * d.cwiseProduct(g);
  Eigen::VectorXd scaled = Eigen::VectorXd::Zero(g.size());
  for (Eigen::Index i = 0; i < lambda.size(); ++i)
    if (std::fabs(lambda[i]) > 1e-13 * largest) scaled -= along[i] / lambda[i] * eigen.eigenvectors().col(i);
  const Eigen::VectorXd step = d.cwiseProduct(scaled);
  if (!(step.cwiseAbs().maxCoeff() > 0)) return -g;  // (a squared norm of 1e-170 would underflow)
  return step;
}

struct Outcome {
  Eigen::VectorXd x;
  double gradient_norm = std::numeric_limits<double>::infinity();
  Eigen::VectorXd gradient;  // at x
  bool kink = false;         // found by search_kinks: x is known to rounding, whatever Newton's step says
};

/// When a gradient counts as zero: each component within gradient_tolerance
/// of its largest size at the starting points. Per component, and relative,
/// so that 1e-9 (x + y^2) or 1e-9 x + y^2, which have no critical point, do
/// not get one wherever their x component of 1e-9 is small against an
/// absolute tolerance or against the y component.
struct Vanishing {
  Eigen::ArrayXd limit;
  bool operator()(const Eigen::VectorXd& g) const {
    return g.size() == limit.size() && (g.array().abs() <= limit).all();
  }
};

/// The smallest step worth taking at x: a few rounding units of x, or of a
/// millionth of the box where x is near 0 (a box of width 1e-12 around a
/// degenerate point must not stop every run at 1e-15, a thousand times its
/// merge distance).
double smallest_step(const Eigen::VectorXd& x, const Box& box) {
  return 4 * std::numeric_limits<double>::epsilon() * (x.stableNorm() + 1e-6 * box.diagonal());
}

/// One Newton run from x0; the residual is infinite when it failed (a
/// non-finite value, or a walk far out of the box). A step is taken when it
/// leaves the gradient smaller than the largest of the last four steps did
/// (non-monotone, after Grippo, Lampariello and Lucidi), halved until it
/// does: asked to shrink at every step, the runs on (y - x^2)(y - 2 x^2)
/// stalled on the parabola y = x^2, where the Hessian is singular and the
/// gradient must first grow on the way to the saddle at the origin, which
/// none of 400 starts found.
Outcome newton_from(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x0, int max_iterations) {
  const double radius = 0.25 * std::fmax(box.diagonal(), 1e-300);
  Eigen::VectorXd g = f.gradient(x0);
  Outcome out{x0, g.stableNorm(), g};
  std::array<double, 4> recent;
  recent.fill(out.gradient_norm);
  for (int it = 0; it < max_iterations && out.gradient_norm > 0; ++it) {
    if (!std::isfinite(out.gradient_norm)) return {};
    const Eigen::MatrixXd h = f.hessian(out.x);
    if (!h.allFinite()) break;
    Eigen::VectorXd step = newton_step(h, g);
    const double length = step.stableNorm();
    if (length > radius) step *= radius / length;
    if (!(step.stableNorm() > smallest_step(out.x, box))) break;
    const double reference = *std::max_element(recent.begin(), recent.end());
    bool accepted = false;
    for (int halving = 0; halving < 40 && !accepted; ++halving, step *= 0.5) {
      const Eigen::VectorXd trial = out.x + step;
      const Eigen::VectorXd g_trial = f.gradient(trial);
      const double norm = g_trial.stableNorm();
      if (std::isfinite(norm) && norm < reference) {
        out = {trial, norm, g_trial};
        g = g_trial;
        accepted = true;
      }
    }
    if (!accepted) break;
    recent[static_cast<std::size_t>(it) % recent.size()] = out.gradient_norm;
    if (!box.contains(out.x, 0.5)) return {};
  }
  return out;
}

/// Whether the gradient at the end of a run vanishes against the gradient
/// around it too (a thousandth of the box away along each axis), by the
/// search's tolerance, and that comparison is not lost to underflow. Where
/// f is 1e-106 (the tail of exp(-(x - 1)^2 - (y + 2)^2) over -10:10) its
/// gradient of 1e-104 vanishes against the box's, but not against its
/// neighbours': a Newton run that ran out of steps there is no critical
/// point. Along each axis the smaller of the two neighbours' gradients
/// counts (the one finite, where the other is not): on the wall of exp(x^6)
/// over -10:10 the gradient grows 1e8-fold within the thousandth of the box,
/// and against the larger neighbour x = 2.74, where f is 1e185, passed as
/// critical. Where the gradient is exactly 0 all around, f is constant there
/// as computed (a plateau, or f underflowed to 0): the end is kept when its
/// own gradient is exactly 0 too.
bool vanishes_locally(const SecondOrder& f, const Box& box, const Outcome& run, double tolerance) {
  double around = 0;
  for (Eigen::Index d = 0; d < run.x.size(); ++d) {
    double along = std::numeric_limits<double>::infinity();
    for (const double side : {-1e-3, 1e-3}) {
      Eigen::VectorXd y = run.x;
      y[d] += side * (box.hi[d] - box.lo[d]);
      const double norm = f.gradient(y).stableNorm();
      if (std::isfinite(norm)) along = std::fmin(along, norm);
    }
    if (std::isfinite(along)) around = std::fmax(around, along);
  }
  if (around == 0) return run.gradient_norm == 0;
  const double limit = tolerance * around;
  return limit >= std::numeric_limits<double>::min() && run.gradient_norm <= limit;
}

/// Whether the gradient at the end of a run is no larger than rounding x to
/// a double alone may leave, |g_i| <= 8 eps sum_d |H_id| |x_d|, with a
/// finite Hessian of normal size (an underflowed tail has none). In a small
/// box the tolerances above can ask for less than the doubles give: over
/// 2 pi +- 1e-5, the maximum of cos x + cos y has the gradient 2.4e-16 (the
/// sine of the double nearest 2 pi), against 2e-16 asked of it a thousandth
/// of the box away; around 0 on a box of 1e-298 the exact zero gradient of
/// x^2 + y^2 was refused because that limit underflowed.
bool vanishes_to_rounding(const SecondOrder& f, const Outcome& run) {
  if (!std::isfinite(run.gradient_norm)) return false;
  const Eigen::MatrixXd h = f.hessian(run.x);
  if (!h.allFinite() || !(h.cwiseAbs().maxCoeff() >= std::numeric_limits<double>::min())) return false;
  const Eigen::ArrayXd floor =
      8 * std::numeric_limits<double>::epsilon() * (h.cwiseAbs() * run.x.cwiseAbs()).array();
  return (run.gradient.array().abs() <= floor).all();
}

/// When the end of a run is a critical point: in the box, its gradient
/// vanishing against the box's (per component) and against its neighbours',
/// or else to the rounding of x.
struct Acceptance {
  const SecondOrder& f;
  const Box& box;
  const Vanishing& vanishing;
  double tolerance;
  bool operator()(const Outcome& run) const {
    if (!box.contains(run.x, 1e-12)) return false;
    return (vanishing(run.gradient) && vanishes_locally(f, box, run, tolerance)) ||
           vanishes_to_rounding(f, run);
  }
};

/// Adds x to the found points unless one lies within `distance`, or within
/// 256 rounding units of the larger coordinate (points accepted to rounding,
/// vanishes_to_rounding, are known no better: over 2 pi +- 1.5e-11 the
/// maximum of cos x + cos y came out as 77 points); of two near ones the
/// one with the smaller residual stays.
void merge(std::vector<Outcome>& found, Outcome candidate, double distance) {
  const double eps = std::numeric_limits<double>::epsilon();
  for (Outcome& known : found)
    if ((known.x - candidate.x).stableNorm() <=
        std::fmax(distance,
                  256 * eps *
                      std::fmax(known.x.lpNorm<Eigen::Infinity>(), candidate.x.lpNorm<Eigen::Infinity>()))) {
      if (candidate.gradient_norm < known.gradient_norm) known = std::move(candidate);
      return;
    }
  found.push_back(std::move(candidate));
}

/// Climbs f (direction 1) or descends it (-1) from x0 along the gradient, in
/// steps of length t along +-g/|g|: t starts at `first` (half the starts'
/// spacing: a longer first step from inside the circle of minima of
/// (x^2 + y^2 - 1)^2 jumps over it to higher ground), is doubled (up to the
/// trust radius) after a step that improves f by a ten-thousandth of what
/// the slope promises, and halved after one that does not or leaves the box;
/// the climb ends when t is 1e-4 of the box's diagonal (an extremum it leads
/// to is then about that near) or after 60 steps. The Newton basin of a
/// bump's top ends where f's curvature changes sign (0.71 from the centre of
/// exp(-r^2), 0.58 of 1/(1 + r^2)) and can fall between the starts, but f
/// rises to the top from anywhere on the bump; the steps are as long
/// whatever |g| (1e-104 on the tail of a Gaussian). nullopt when the climb
/// leads out of the box (its last step would leave it) or nowhere.
std::optional<Eigen::VectorXd> climb(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x0,
                                     double direction, double first) {
  const double radius = 0.25 * box.diagonal();
  const double shortest = 1e-4 * box.diagonal();
  double t = std::fmin(first, radius);
  Eigen::VectorXd x = x0;
  double fx = f.value(x);
  Eigen::VectorXd g = f.gradient(x);
  bool moved = false;
  for (int it = 0; it < 60 && t > shortest; ++it) {
    const double norm = g.stableNorm();
    if (!(norm > 0) || !std::isfinite(norm) || !std::isfinite(fx)) break;
    const Eigen::VectorXd trial = x + (g / norm) * (direction * t);
    const double ft = box.contains(trial) ? f.value(trial) : std::numeric_limits<double>::quiet_NaN();
    if (std::isfinite(ft) && direction * (ft - fx) >= 1e-4 * t * norm) {
      x = trial;
      fx = ft;
      g = f.gradient(x);
      t = std::fmin(2 * t, radius);
      moved = true;
    } else {
      t *= 0.5;
    }
  }
  const double norm = g.stableNorm();
  if (!moved || !std::isfinite(norm) ||
      (norm > 0 && !box.contains(x + (g / norm) * (direction * 2 * shortest))))
    return std::nullopt;
  return x;
}

/// Whether every eigenvalue of the Hessian at x has the sign of `sign`.
bool definite(const SecondOrder& f, const Eigen::VectorXd& x, double sign) {
  const Eigen::MatrixXd h = f.hessian(x);
  if (!h.allFinite()) return false;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(h, Eigen::EigenvaluesOnly);
  return ((sign * eigen.eigenvalues()).array() > 0).all();
}

/// Newton from where f rises to and falls to from each start (see climb),
/// once from each place: climbs that end within a thousandth of the box of
/// another end are one. A start where f is concave has Newton heading for
/// the top already, and is not climbed from; nor descended from where f is
/// convex.
void search_extrema(const SecondOrder& f, const Box& box, const CriticalOptions& options,
                    const std::vector<Eigen::VectorXd>& starts, const Acceptance& accept,
                    std::vector<Outcome>& found) {
  const double spacing = box.diagonal() / std::pow(static_cast<double>(starts.size()),
                                                   1.0 / static_cast<double>(box.dimension()));
  std::vector<Eigen::VectorXd> ends;
  for (const Eigen::VectorXd& x0 : starts)
    for (const double direction : {1.0, -1.0}) {
      if (definite(f, x0, -direction)) continue;
      std::optional<Eigen::VectorXd> end = climb(f, box, x0, direction, 0.5 * spacing);
      if (!end) continue;
      const bool known = std::any_of(ends.begin(), ends.end(), [&](const Eigen::VectorXd& e) {
        return (e - *end).stableNorm() <= 1e-3 * box.diagonal();
      });
      if (!known) ends.push_back(std::move(*end));
    }
  for (const Eigen::VectorXd& x0 : ends) {
    Outcome run = newton_from(f, box, x0, options.max_iterations);
    if (accept(run)) merge(found, std::move(run), options.merge_distance * box.diagonal());
  }
}

/// In one variable: where f' changes sign between two neighbouring starts
/// with no critical point found between them, and f stays finite, the
/// change is bisected to where the slope jumps across zero, a kink Newton
/// cannot reach (|x| + x^2 at 0, where it jumps between -1/2 and 1/2 for
/// ever; -|x|, whose Hessian is 0). The point is added with its gradient
/// as computed; describe() sees the jump and f's values decide its kind.
/// A pole (1/x^2) is no kink: f is not finite there.
void search_kinks(const SecondOrder& f, const Box& box, const std::vector<Eigen::VectorXd>& starts,
                  std::vector<Outcome>& found) {
  if (box.dimension() != 1) return;
  std::vector<double> xs;
  for (const Eigen::VectorXd& s : starts) xs.push_back(s[0]);
  std::sort(xs.begin(), xs.end());
  auto slope = [&](double x) { return f.gradient(Eigen::VectorXd::Constant(1, x))[0]; };
  auto value = [&](double x) { return f.value(Eigen::VectorXd::Constant(1, x)); };
  for (std::size_t k = 1; k < xs.size(); ++k) {
    double a = xs[k - 1], b = xs[k];
    const double sa = slope(a), sb = slope(b);
    if (!(sa * sb < 0)) continue;  // no change of sign (or a zero, NaN: Newton's)
    const bool known =
        std::any_of(found.begin(), found.end(), [&](const Outcome& o) { return o.x[0] >= a && o.x[0] <= b; });
    if (known) continue;
    bool converged = false;  // to neighbouring doubles, or to an exact zero of f'
    for (int it = 0; it < 2200 && !converged; ++it) {
      const double m = 0.5 * (a + b);
      if (m <= a || m >= b) {
        converged = true;
      } else if (const double sm = slope(m); !std::isfinite(sm)) {
        break;  // a pole, or outside the domain
      } else if (sm == 0) {
        a = b = m;
        converged = true;
      } else {
        (sm * sa < 0 ? b : a) = m;
      }
    }
    if (!converged) continue;
    // f continuous across, within the slopes times the bracket (1/x^2's pole is not)
    const double fa = value(a), fb = value(b);
    if (!std::isfinite(fa) || !std::isfinite(fb) ||
        std::fabs(fa - fb) >
            4 * std::numeric_limits<double>::epsilon() * std::fmax(std::fabs(fa), std::fabs(fb)) +
                (std::fabs(slope(a)) + std::fabs(slope(b))) * (b - a))
      continue;
    // the end of the bracket whose slope is smaller (exactly 0 at |x|'s kink, by the registry)
    const double x = std::fabs(slope(a)) <= std::fabs(slope(b)) ? a : b;
    Outcome kink{Eigen::VectorXd::Constant(1, x), 0, f.gradient(Eigen::VectorXd::Constant(1, x)), true};
    kink.gradient_norm = kink.gradient.stableNorm();
    if (std::isfinite(kink.gradient_norm)) found.push_back(std::move(kink));
  }
}

/// Whether the curvature along each eigenvector keeps its sign over the
/// distance the point may be off along it: at a double root of the gradient
/// Newton stops about sqrt(eps) away, where an inflection (acos(x) at
/// 1/sqrt(2), x^3 at 0) still has a small curvature of one sign, and the
/// gradient there may round to exactly 0. That distance is four times what
/// the gradient's rounding (eps times its terms, about scale |x| + |g|)
/// moves a root whose slope is the eigenvalue, plus four Newton steps; at
/// most a hundredth of the box.
std::vector<bool> keeps_sign(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x,
                             const Eigen::VectorXd& g, const Eigen::MatrixXd& h,
                             const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>& eigen, double scale) {
  const double steps = 4 * newton_step(h, g).stableNorm() + smallest_step(x, box);
  const double rounding = std::numeric_limits<double>::epsilon() * (scale * x.stableNorm() + g.stableNorm());
  const Eigen::Index n = x.size();
  std::vector<bool> keeps(static_cast<std::size_t>(n), true);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double lambda = eigen.eigenvalues()[i];
    const double reach = std::fmin(4 * rounding / std::fabs(lambda) + steps, 0.01 * box.diagonal());
    const Eigen::VectorXd u = eigen.eigenvectors().col(i);
    for (const double side : {-reach, reach}) {
      const double curvature = u.dot(f.hessian(x + side * u) * u);
      if (!(curvature * lambda > 0)) keeps[static_cast<std::size_t>(i)] = false;
    }
  }
  return keeps;
}

/// Whether f's slope along the unit vector u jumps at x, a kink where the
/// Hessian does not tell the kind: at 0, |x| - x^2 has Hessian -2 but rises
/// both ways (a minimum), x^2 - |x| the reverse. Along an eigenvector of
/// eigenvalue lambda the slopes at x + e u and x - e u differ by about
/// 2 e lambda where f is smooth, shrinking with e; across a kink by the
/// jump, which stays. So: a kink when the difference at a tenth of e (a
/// millionth of the box) is still half the one at e and more than e |lambda|,
/// five times what smoothness allows there.
bool slope_jumps(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x, const Eigen::VectorXd& u,
                 double lambda) {
  auto difference = [&](double e) {
    return std::fabs(f.gradient(x + e * u).dot(u) - f.gradient(x - e * u).dot(u));
  };
  const double e = 1e-6 * box.diagonal();
  const double wide = difference(e);
  const double narrow = difference(0.1 * e);
  return std::isfinite(wide) && std::isfinite(narrow) && narrow > 0.5 * wide &&
         narrow > e * std::fabs(lambda);
}

/// The curvature scale near x: the largest |eigenvalue| of the Hessian at x
/// and a thousandth of the box away along each axis. Near, so that O(1)
/// curvatures do not vanish against a steep x^10 elsewhere in the box; not
/// only at x, where x^4 + y^4 has eigenvalues of 1e-30 that are all alike.
double curvature_near(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x, double at_x) {
  double scale = at_x;
  for (Eigen::Index d = 0; d < x.size(); ++d)
    for (const double side : {-1e-3, 1e-3}) {
      Eigen::VectorXd y = x;
      y[d] += side * (box.hi[d] - box.lo[d]);
      const Eigen::MatrixXd h = f.hessian(y);
      if (!h.allFinite()) continue;
      const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(h, Eigen::EigenvaluesOnly);
      scale = std::fmax(scale, eigen.eigenvalues().cwiseAbs().maxCoeff());
    }
  return scale;
}

/// A critical point found, whether its Hessian has an eigenvalue that
/// counts as zero (as the points of a line or curve of critical points have
/// along it), and how far the true point may be: sixteen Newton steps (at a
/// point of order m Newton converges linearly, each step 1/(m - 1) of the
/// way) and rounding, at most a hundredth of the box.
struct Described {
  CriticalPoint point;
  bool degenerate = false;
  double uncertainty = 0;
  Eigen::VectorXd decided;        // the eigenvalues, 0 where they count as zero
  Eigen::MatrixXd directions;     // the eigenvectors
  std::vector<Described> others;  // for a point that stands for a set, the set's other points found
};

/// The point's value, residual, Hessian eigenvalues and kind. An eigenvalue
/// counts as zero when it is below `tolerance` times the curvature scale near
/// the point, changes sign within the point's uncertainty, or f's slope
/// jumps along its eigenvector (a kink: f's values decide then).
Described describe(const SecondOrder& f, const Box& box, const Outcome& point, double tolerance) {
  Described d;
  CriticalPoint& p = d.point;
  p.x = point.x;
  p.f = f.value(point.x);
  p.gradient_norm = point.gradient_norm;
  const Eigen::MatrixXd h = f.hessian(point.x);
  if (!h.allFinite()) {
    p.eigenvalues = Eigen::VectorXd::Constant(point.x.size(), std::numeric_limits<double>::quiet_NaN());
    return d;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(h);
  p.eigenvalues = eigen.eigenvalues();
  d.uncertainty =
      point.kink ? smallest_step(point.x, box)
                 : std::fmin(16 * newton_step(h, point.gradient).stableNorm() + smallest_step(point.x, box),
                             0.01 * box.diagonal());
  const double scale = curvature_near(f, box, point.x, p.eigenvalues.cwiseAbs().maxCoeff());
  const std::vector<bool> keeps = keeps_sign(f, box, point.x, point.gradient, h, eigen, scale);
  d.decided = p.eigenvalues;
  d.directions = eigen.eigenvectors();
  for (Eigen::Index i = 0; i < d.decided.size(); ++i) {
    if (!keeps[static_cast<std::size_t>(i)] || !(std::fabs(d.decided[i]) > tolerance * scale) ||
        slope_jumps(f, box, point.x, d.directions.col(i), d.decided[i])) {
      d.decided[i] = 0;
      d.degenerate = true;
    }
  }
  p.kind = classify(d.decided, scale, tolerance);
  return d;
}

/// Newton from the midpoints of pairs of found points, nearest pairs first
/// (at most `budget` of them, each with a point found since the last round,
/// in the first round one of found[since...]), until a round finds nothing
/// new. Between two critical points of a smooth
/// function there is usually a third (a saddle or a maximum between two
/// minima: the mountain pass), and its Newton basin can be narrower than the
/// spacing of the starts: (x^2 - 1)^2 + (y^2 - 1)^2 over -10:10 has its
/// maximum at the origin and four saddles between starts 1.05 apart.
void search_between(const SecondOrder& f, const Box& box, const CriticalOptions& options,
                    const Acceptance& accept, std::vector<Outcome>& found, std::size_t since) {
  constexpr int kRounds = 4;
  const auto budget = static_cast<std::size_t>(std::max(options.start_count, 1));
  std::size_t old_points = since;
  for (int round = 0; round < kRounds && found.size() > old_points; ++round) {
    struct Pair {
      double distance;
      std::size_t i, j;
    };
    std::vector<Pair> pairs;
    for (std::size_t j = std::max<std::size_t>(old_points, 1); j < found.size(); ++j)
      for (std::size_t i = 0; i < j; ++i) pairs.push_back({(found[i].x - found[j].x).stableNorm(), i, j});
    const auto nearest = pairs.begin() + static_cast<std::ptrdiff_t>(std::min(budget, pairs.size()));
    std::partial_sort(pairs.begin(), nearest, pairs.end(),
                      [](const Pair& a, const Pair& b) { return a.distance < b.distance; });
    std::vector<Eigen::VectorXd> midpoints;
    for (auto it = pairs.begin(); it != nearest; ++it)
      midpoints.push_back(0.5 * (found[it->i].x + found[it->j].x));
    old_points = found.size();
    for (const Eigen::VectorXd& x0 : midpoints) {
      Outcome run = newton_from(f, box, x0, options.max_iterations);
      if (accept(run)) merge(found, std::move(run), options.merge_distance * box.diagonal());
    }
  }
}

/// Newton steps from a point found for as long as they shrink (and the
/// gradient keeps vanishing). Where one component of the gradient is below
/// the rounding of another, |g| cannot decrease and newton_from stops: at
/// (0, pi) of x^6 + sin(y)^2, 6x^5 is below sin(pi) = 1e-16 from |x| = 1e-4
/// on, so each run stopped elsewhere in that flat region, and their spread
/// was taken for a set of critical points. The step towards the point (x/5
/// for x^6) still shrinks there, by a constant factor, until rounding.
Outcome polish(const SecondOrder& f, const Box& box, const Vanishing& vanishing, Outcome point) {
  double last = 0.01 * box.diagonal();
  for (int it = 0; it < 1000; ++it) {
    const Eigen::MatrixXd h = f.hessian(point.x);
    if (!h.allFinite()) break;
    const Eigen::VectorXd step = newton_step(h, point.gradient);
    const double length = step.stableNorm();
    if (!(length < last) || !(length > smallest_step(point.x, box))) break;
    const Eigen::VectorXd x = point.x + step;
    const Eigen::VectorXd g = f.gradient(x);
    if (!vanishing(g) || !box.contains(x, 1e-12)) break;
    point = {x, g.stableNorm(), g};
    last = length;
  }
  return point;
}

/// Each point polished, then described; points that polishing brought
/// within the merge distance of one another are one. Not only the
/// degenerate ones: a Newton run that spent its steps climbing down the wall
/// of exp(x^6) over -10:10 ended at x = 3.5e-4, where the gradient vanishes
/// by the tolerance and the Hessian's 4.7e-13 does not count as zero, still
/// a fifth of the way from the minimum per step.
std::vector<Described> describe_all(const SecondOrder& f, const Box& box, const CriticalOptions& options,
                                    const Vanishing& vanishing, const std::vector<Outcome>& found) {
  std::vector<Described> described;
  described.reserve(found.size());
  const double distance = options.merge_distance * box.diagonal();
  for (const Outcome& point : found) {
    const Outcome polished = polish(f, box, vanishing, point);
    Described d = describe(f, box, polished, options.eigenvalue_tolerance);
    auto same = std::find_if(described.begin(), described.end(), [&](const Described& known) {
      return (known.point.x - d.point.x).stableNorm() <= distance;
    });
    if (same == described.end())
      described.push_back(std::move(d));
    else if (d.point.gradient_norm < same->point.gradient_norm)
      *same = std::move(d);
  }
  return described;
}

/// Newton steps across u, in the hyperplane through x0 normal to it, while
/// they shrink the gradient's component in that plane: where a set of
/// critical points runs along u they end on it. (Newton in the whole space
/// heads elsewhere: from (1e-6, 0.28) for x^2 y^2 to the origin, where
/// (0, 0.28) is the point of the set across the axis.)
Outcome newton_across(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x0,
                      const Eigen::VectorXd& u, int max_iterations) {
  const Eigen::MatrixXd across = Eigen::MatrixXd::Identity(u.size(), u.size()) - u * u.transpose();
  Outcome out{x0, 0, f.gradient(x0)};
  double norm = (across * out.gradient).stableNorm();
  for (int it = 0; it < max_iterations && norm > 0; ++it) {
    if (!std::isfinite(norm)) return {};
    const Eigen::MatrixXd h = f.hessian(out.x);
    if (!h.allFinite()) break;
    Eigen::VectorXd step = across * newton_step(across * h * across, across * out.gradient);
    if (!(step.stableNorm() > smallest_step(out.x, box))) break;
    bool accepted = false;
    for (int halving = 0; halving < 40 && !accepted; ++halving, step *= 0.5) {
      const Eigen::VectorXd trial = out.x + step;
      Eigen::VectorXd g = f.gradient(trial);
      const double trial_norm = (across * g).stableNorm();
      if (std::isfinite(trial_norm) && trial_norm < norm) {
        out.x = trial;
        out.gradient = std::move(g);
        norm = trial_norm;
        accepted = true;
      }
    }
    if (!accepted) break;
  }
  out.gradient_norm = out.gradient.stableNorm();
  if (!std::isfinite(out.gradient_norm)) return {};
  return out;
}

/// The largest |gradient| at a and b and at 0.38 and 0.71 times `gap` from
/// each along every axis: the slope of f around two points `gap` apart,
/// against which the gradient between them is flat or not. (Not the largest
/// in the box: the gradient of x^6 + sin(y)^2 is 6e10 at the edge of
/// -100:100, against which sin(y)^2's slope of 1 between its critical points
/// vanished. And not at `gap` itself: points pi apart on the lines of
/// critical points of cos(x)^3 cos(y) have only other critical points there.)
double slope_around(const SecondOrder& f, const Eigen::VectorXd& a, const Eigen::VectorXd& b, double gap) {
  double slope = 0;
  auto take = [&](const Eigen::VectorXd& y) {
    const double norm = f.gradient(y).stableNorm();
    if (std::isfinite(norm)) slope = std::fmax(slope, norm);
  };
  for (const Eigen::VectorXd* x : {&a, &b}) {
    take(*x);
    for (Eigen::Index d = 0; d < x->size(); ++d)
      for (const double side :
           {-0.7071067811865476, -0.3819660112501051, 0.3819660112501051, 0.7071067811865476}) {
        Eigen::VectorXd y = *x;
        y[d] += side * gap;
        take(y);
      }
  }
  return slope;
}

/// How two degenerate critical points found are one: not at all, as one
/// point (Newton stopped at both short of it), or as points of one connected
/// set of critical points (a line or curve of them).
enum class Join : std::uint8_t { None, Point, Set };

/// Whether two degenerate critical points are one. A connected set has one
/// value (the gradient vanishes along it), and the two are joined as points
/// of one when the gradient vanishes on the segment between them (at five
/// points), a line of them ((x - y)^2, or the axes of x y z, 1373 degenerate
/// saddles); or when Newton from their midpoint ends nearby at a third such
/// point joined in turn to both (a curve of them: the circle of minima of
/// (x^2 + y^2 - 1)^2 gave 196 points). "Vanishes" and "one value" are
/// measured both against the tolerance of the search and against the slope
/// of f around the two points: the minima at +-0.1 of (x^2 - 0.01)^4 + y^2
/// were one set over -10:10, where the gradient of 8e7 at the box's edge
/// made everything between them flat. The third point must itself be joined
/// to each (two midpoints deep): the inflections k pi of sin(x)^3 have
/// another at each midpoint, but extrema between. A point whose own gradient
/// does not vanish against the slope around it is one where Newton stopped
/// short (around the degenerate saddle of (y - x^2)(y - 3x^2), points 1e-6
/// apart): it is the same point as another when the gradient vanishes
/// between them by the search's tolerance, and no set.
class Connection {
 public:
  Connection(const SecondOrder& f, const Box& box, const CriticalOptions& options, const Vanishing& vanishing)
      : f_(f),
        box_(box),
        options_(options),
        vanishing_(vanishing),
        slope_(vanishing.limit.matrix().stableNorm()) {}

  Join operator()(const Eigen::VectorXd& a, double fa, const Eigen::VectorXd& b, double fb) const {
    const double gap = (a - b).stableNorm();
    if (!same_value(fa, fb, gap, slope_)) return Join::None;
    const double around = options_.gradient_tolerance * slope_around(f_, a, b, gap);
    if (!settled(a, around) || !settled(b, around))
      return flat(a, b, std::numeric_limits<double>::infinity()) ? Join::Point : Join::None;
    return connected(a, fa, b, fb, 2) ? Join::Set : Join::None;
  }

 private:
  bool connected(const Eigen::VectorXd& a, double fa, const Eigen::VectorXd& b, double fb, int depth) const {
    const double gap = (a - b).stableNorm();
    const double around = options_.gradient_tolerance * slope_around(f_, a, b, gap);
    if (!same_value(fa, fb, gap, std::fmin(slope_, around)) || !settled(a, around) || !settled(b, around))
      return false;
    if (flat(a, b, around)) return true;
    const Eigen::VectorXd middle = 0.5 * (a + b);
    const Outcome run = newton_from(f_, box_, middle, options_.max_iterations);
    if (!vanishing_(run.gradient) || !((run.x - middle).stableNorm() <= 0.25 * gap)) return false;
    const Described m = describe(f_, box_, run, options_.eigenvalue_tolerance);
    if (!m.degenerate) return false;
    if (depth == 0)
      return settled(run.x, around) && same_value(fa, m.point.f, gap, std::fmin(slope_, around));
    return connected(a, fa, m.point.x, m.point.f, depth - 1) &&
           connected(m.point.x, m.point.f, b, fb, depth - 1);
  }

  /// Whether the gradient at x is within `around`.
  bool settled(const Eigen::VectorXd& x, double around) const {
    return f_.gradient(x).stableNorm() <= around;
  }

  /// Whether the gradient vanishes between a and b, by the search's
  /// tolerance and within `around` (the golden-section points too: maxima of
  /// sin(x) 8 pi apart have others at each quarter point).
  bool flat(const Eigen::VectorXd& a, const Eigen::VectorXd& b, double around) const {
    for (const double t : {0.25, 0.5, 0.75, 0.3819660112501051, 0.6180339887498949}) {
      const Eigen::VectorXd g = f_.gradient(a + t * (b - a));
      if (!vanishing_(g) || !(g.stableNorm() <= around)) return false;
    }
    return true;
  }

  /// Within what a gradient of `slope` changes f over the distance, and f's rounding.
  static bool same_value(double fa, double fb, double distance, double slope) {
    const double rounding =
        4 * std::numeric_limits<double>::epsilon() * std::fmax(std::fabs(fa), std::fabs(fb));
    return std::fabs(fa - fb) <= slope * distance + rounding;
  }

  const SecondOrder& f_;
  const Box& box_;
  const CriticalOptions& options_;
  const Vanishing& vanishing_;
  double slope_;  // the largest vanishing gradient
};

/// Merges the points of one connected set of critical points, and the
/// points where Newton stopped short of one point (see Connection; only
/// degenerate points are joined, where the Hessian is invertible a critical
/// point is isolated, and only within a twentieth of the box). Of each the
/// point with the smallest residual stays; a set's with its extent: the
/// largest distance to another point of it beyond what the two points'
/// uncertainty allows.
void merge_connected_sets(const SecondOrder& f, const Box& box, const CriticalOptions& options,
                          const Vanishing& vanishing, std::vector<Described>& points) {
  const double reach = 0.05 * box.diagonal();
  const Connection connection(f, box, options, vanishing);
  std::vector<std::size_t> parent(points.size());
  std::vector<bool> set(points.size(), false);  // per root: joined as a set
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&parent](std::size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  for (std::size_t j = 0; j < points.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      const Described& a = points[i];
      const Described& b = points[j];
      if (root(i) == root(j) || !a.degenerate || !b.degenerate ||
          !((a.point.x - b.point.x).stableNorm() <= reach))
        continue;
      const Join join = connection(a.point.x, a.point.f, b.point.x, b.point.f);
      if (join == Join::None) continue;
      const bool joined_set = join == Join::Set || set[root(i)] || set[root(j)];
      parent[root(j)] = root(i);
      set[root(i)] = joined_set;
    }
  }
  std::vector<std::size_t> kept;  // per set, the index of its best point
  std::vector<std::size_t> best(points.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::size_t& b = best[root(i)];
    if (b == points.size()) kept.push_back(root(i));
    if (b == points.size() || points[i].point.gradient_norm < points[b].point.gradient_norm) b = i;
  }
  std::vector<double> extent(points.size(), 0.0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::size_t b = best[root(i)];
    const double distance = (points[i].point.x - points[b].point.x).stableNorm();
    if (set[root(i)] && distance > points[i].uncertainty + points[b].uncertainty)
      extent[b] = std::fmax(extent[b], distance);
  }
  std::vector<Described> merged;
  merged.reserve(kept.size());
  std::vector<std::size_t> merged_at(points.size());  // per root, its place in merged
  for (const std::size_t r : kept) {
    merged_at[r] = merged.size();
    merged.push_back(std::move(points[best[r]]));
    merged.back().point.set_extent = extent[best[r]];
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i == best[root(i)] || !set[root(i)]) continue;
    std::vector<Described>& others = merged[merged_at[root(i)]].others;
    for (Described& o : points[i].others) others.push_back(std::move(o));
    points[i].others.clear();
    others.push_back(std::move(points[i]));
  }
  points = std::move(merged);
}

/// How far x + t v stays in the box for t >= 0 (x inside; 0 where it is not).
double room_along(const Box& box, const Eigen::VectorXd& x, const Eigen::VectorXd& v) {
  double room = std::numeric_limits<double>::infinity();
  for (Eigen::Index d = 0; d < x.size(); ++d) {
    if (v[d] > 0) room = std::fmin(room, (box.hi[d] - x[d]) / v[d]);
    if (v[d] < 0) room = std::fmin(room, (box.lo[d] - x[d]) / v[d]);
  }
  return std::fmax(room, 0.0);
}

/// The first step of a walk along a set: a hundredth of the box.
double first_walk_step(const Box& box) { return 0.01 * box.diagonal(); }

/// Walks from a degenerate point along each direction where its Hessian
/// counts as zero, both ways: a hundredth of the box, then twice and four
/// times that, then on in steps of four hundredths (within the reach at
/// which merge_connected_sets joins two points) up to the box's edge, each
/// time Newton across the direction (newton_across) from the next place.
/// Returns the critical points found so, one list per way walked; a walk
/// ends at the box's edge, at a place that leads to no critical point, or at
/// one within the merge distance of `known` or of the walks' own.
std::vector<std::vector<Described>> walk_null_directions(const SecondOrder& f, const Box& box,
                                                         const CriticalOptions& options,
                                                         const Acceptance& accept, const Described& from,
                                                         const std::vector<Described>& known) {
  const double distance = options.merge_distance * box.diagonal();
  const double first = first_walk_step(box), longest = 0.04 * box.diagonal();
  std::vector<std::vector<Described>> ways;
  auto seen = [&](const Eigen::VectorXd& x) {
    auto near = [&](const Described& other) { return (other.point.x - x).stableNorm() <= distance; };
    return std::any_of(known.begin(), known.end(), near) ||
           std::any_of(ways.begin(), ways.end(),
                       [&](const auto& way) { return std::any_of(way.begin(), way.end(), near); });
  };
  // Where every eigenvalue counts as zero the eigenvectors are rounding's
  // choice: at the origin of x^2 y, H = [[2y, 2x], [2x, 0]] at x = 4e-24,
  // y = 0 has the diagonals, and walks along them missed the line x = 0.
  // Any basis of the null space will do; the axes are where sets often lie.
  const bool all_null = (from.decided.array() == 0).all();
  for (Eigen::Index i = 0; i < from.decided.size(); ++i) {
    if (from.decided[i] != 0) continue;
    const Eigen::VectorXd u =
        all_null ? Eigen::VectorXd::Unit(from.decided.size(), i) : Eigen::VectorXd(from.directions.col(i));
    for (const double sign : {-1.0, 1.0}) {
      ways.emplace_back();
      std::vector<Described>& walked = ways.back();
      Eigen::VectorXd at = from.point.x;
      bool at_edge = false;
      for (double step = first; !at_edge; step = std::fmin(2 * step, longest)) {
        // the last step ends on the box's edge (x^2 y^2's axes reach it)
        const double room = room_along(box, at, sign * u);
        at_edge = room <= step;
        step = std::fmin(step, room);
        if (!(step > distance)) break;
        const Outcome run = newton_across(f, box, at + sign * step * u, u, options.max_iterations);
        if (!accept(run) || seen(run.x)) break;
        // not polished: Newton in the whole space would take it off the set
        walked.push_back(describe(f, box, run, options.eigenvalue_tolerance));
        at = run.x;
      }
      if (walked.empty()) ways.pop_back();
    }
  }
  return ways;
}

/// The inertia of a point's Hessian, its counts of positive and negative
/// eigenvalues (those that do not count as zero): the same all along a set
/// of minima, and different on the two halves of the line x = 0 of x^2 y
/// (minima where y > 0, maxima where y < 0).
std::pair<Eigen::Index, Eigen::Index> inertia(const Described& d) {
  return {(d.decided.array() > 0).count(), (d.decided.array() < 0).count()};
}

/// Whether every point walked has one inertia.
bool one_inertia(const std::vector<std::vector<Described>>& ways) {
  const auto first = inertia(ways.front().front());
  return std::all_of(ways.begin(), ways.end(), [&](const auto& way) {
    return std::all_of(way.begin(), way.end(), [&](const Described& d) { return inertia(d) == first; });
  });
}

/// How far a point of a set may lie off it: as describe()'s uncertainty,
/// but from the Newton step across the set only, leaving out the Hessian's
/// null directions, along which the set runs. The full step there is
/// rounding's: at (3e-25, 2) on x^2 y^3's axis x = 0, H = [[16, 7e-24],
/// [7e-24, 1e-48]] gave a step of length 1, as if the point could be
/// anywhere around.
double uncertainty_across(const SecondOrder& f, const Box& box, const Described& d) {
  const Eigen::Index n = d.point.x.size();
  Eigen::MatrixXd across = Eigen::MatrixXd::Identity(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    if (d.decided[i] == 0) across -= d.directions.col(i) * d.directions.col(i).transpose();
  const Eigen::MatrixXd h = f.hessian(d.point.x);
  const Eigen::VectorXd g = f.gradient(d.point.x);
  const Eigen::VectorXd step = across * newton_step(across * h * across, across * g);
  const double u = 16 * step.stableNorm() + smallest_step(d.point.x, box);
  return std::isfinite(u) ? std::fmin(u, d.uncertainty) : d.uncertainty;
}

/// Whether f's values around the points walked give one kind, minimum or
/// maximum, on every way (detail::classify_set_point_by_values, out to a
/// hundredth of the box or half the distance to the nearest other point
/// walked): some point of each way says so, and none says otherwise (a
/// point whose values are too close to tell says nothing). Where the
/// inertias differ the kinds may still agree: the minima of x^4 y^2 fill
/// both axes, its Hessian zero along x = 0 but not along y = 0, and the four
/// half axes and the origin were five entries, not one set.
bool one_kind_by_values(const SecondOrder& f, const Box& box,
                        const std::vector<std::vector<Described>>& ways) {
  std::vector<const Described*> walked;
  for (const auto& way : ways)
    for (const Described& d : way) walked.push_back(&d);
  auto kind_of = [&](const Described& d) {
    double radius = 0.01 * box.diagonal();
    for (const Described* other : walked)
      if (other != &d) radius = std::fmin(radius, 0.5 * (other->point.x - d.point.x).stableNorm());
    return detail::classify_set_point_by_values(
        f, detail::DegeneratePoint{d.point.x, d.point.f, d.decided, d.directions,
                                   uncertainty_across(f, box, d), radius});
  };
  CriticalKind kind = CriticalKind::Inconclusive;
  for (const auto& way : ways) {
    bool told = false;
    for (const Described& d : way) {
      const CriticalKind k = kind_of(d);
      if (k == CriticalKind::Inconclusive) continue;
      if (k == CriticalKind::Saddle || (kind != CriticalKind::Inconclusive && k != kind)) return false;
      kind = k;
      told = true;
    }
    if (!told) return false;
  }
  return kind != CriticalKind::Inconclusive;
}

/// The degenerate points that merge_connected_sets left alone, walked from
/// (walk_null_directions) and merged with what the walk found. The starts
/// spread over the box need not land on a set that every Newton run
/// crosses: the minima of x^2 y^2 fill both axes, and every run went to the
/// origin, reported as an isolated minimum. So are sets shorter than the
/// walk's first step: the runs on x^2 y ended within 2e-4 of the origin, a
/// "set" of that extent, of the line x = 0 that crosses the box. (Not the
/// longer sets: their points, already one, would each walk its whole extent.)
void extend_lone_degenerate_points(const SecondOrder& f, const Box& box, const CriticalOptions& options,
                                   const Acceptance& accept, const Vanishing& vanishing,
                                   std::vector<Described>& points) {
  const std::size_t count = points.size();
  for (std::size_t k = 0; k < count; ++k) {
    if (!points[k].degenerate || !(points[k].point.set_extent < first_walk_step(box))) continue;
    std::vector<std::vector<Described>> ways =
        walk_null_directions(f, box, options, accept, points[k], points);
    if (ways.empty()) continue;
    if (!one_inertia(ways) && !one_kind_by_values(f, box, ways)) {
      // Sets of different kinds meet at the point, which stays on its own
      // (a point, not the "set" of the Newton ends around it): each way
      // walked is a set of its own points.
      points[k].point.set_extent = 0;
      for (std::vector<Described>& way : ways) {
        merge_connected_sets(f, box, options, vanishing, way);
        for (Described& d : way) points.push_back(std::move(d));
      }
      continue;
    }
    std::vector<Described> group{points[k]};
    for (std::vector<Described>& way : ways)
      for (Described& d : way) group.push_back(std::move(d));
    merge_connected_sets(f, box, options, vanishing, group);
    points[k] = std::move(group.front());
    for (std::size_t j = 1; j < group.size(); ++j) points.push_back(std::move(group[j]));
  }
}

/// The kind of the set that d stands for: d's own by its values around it
/// (detail::classify_set_point_by_values) or, where those are too close to
/// f(d) to tell, the one kind that the set's other points found give, the
/// farthest from d first (at most eight of them), none saying otherwise. On
/// the half y > 0 of x^2 y^3's axis x = 0, d was the point nearest the
/// origin, where f = x^2 y^3 is within 1e-49 of f(d) over d's surroundings,
/// and was left inconclusive though the whole half is minima. (Sets where f
/// is flat all around as computed stay inconclusive whatever their points
/// say: leave_flat_points_inconclusive.)
template <class Around>
CriticalKind decide_set(const SecondOrder& f, const Box& box, const Described& d, const Around& around) {
  const CriticalKind own = detail::classify_set_point_by_values(f, around(d, d, d.uncertainty));
  if (own != CriticalKind::Inconclusive) return own;
  std::vector<const Described*> others;
  for (const Described& o : d.others)
    if (o.directions.size() != 0) others.push_back(&o);
  auto distance = [&](const Described* o) { return (o->point.x - d.point.x).stableNorm(); };
  std::sort(others.begin(), others.end(),
            [&](const Described* a, const Described* b) { return distance(a) > distance(b); });
  if (others.size() > 8) others.resize(8);
  CriticalKind kind = CriticalKind::Inconclusive;
  for (const Described* o : others) {
    const CriticalKind k =
        detail::classify_set_point_by_values(f, around(d, *o, uncertainty_across(f, box, *o)));
    if (k == CriticalKind::Inconclusive) continue;
    if (kind != CriticalKind::Inconclusive && k != kind) return CriticalKind::Inconclusive;
    kind = k;
  }
  return kind;
}

/// The points that the Hessian test left inconclusive, decided by f's
/// values around them out to a hundredth of the box, or half the distance to
/// the nearest other point found (detail::classify_by_values; for a point
/// that stands for a set, decide_set, around the set's other points too).
void decide_by_values(const SecondOrder& f, const Box& box, std::vector<Described>& points) {
  auto around = [&](const Described& d, const Described& at, double uncertainty) {
    double radius = 0.01 * box.diagonal();
    for (const Described& other : points)
      if (&other != &d) radius = std::fmin(radius, 0.5 * (other.point.x - at.point.x).stableNorm());
    return detail::DegeneratePoint{at.point.x, at.point.f, at.decided, at.directions, uncertainty, radius};
  };
  for (Described& d : points) {
    CriticalPoint& p = d.point;
    if (p.kind != CriticalKind::Inconclusive || d.directions.size() == 0) continue;
    p.kind = p.set_extent > 0 ? decide_set(f, box, d, around)
                              : detail::classify_by_values(f, around(d, d, d.uncertainty));
  }
}

/// Whether f's gradient is exactly zero at x and, along each axis and the
/// diagonal, a thousandth of the box away on one side at least (one: at the
/// edge of a plateau, as where exp(-1000 x^2) starts to underflow at 0.863,
/// the other side rises). Checking beside x tells a plateau from a point
/// whose gradient is exactly zero alone: along x^2 y^3's axis x = 0 it is,
/// and (x - 1)^2 (y + 2)^2 is flat along both axes through (1, -2), not
/// along the diagonal.
bool flat_around(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x) {
  auto zero_at = [&](const Eigen::VectorXd& at) { return (f.gradient(at).array() == 0).all(); };
  if (!zero_at(x)) return false;
  const Eigen::Index n = x.size();
  for (Eigen::Index axis = -1; axis < n; ++axis) {
    Eigen::VectorXd step = Eigen::VectorXd::Zero(n);
    for (Eigen::Index i = 0; i < n; ++i)
      if (axis < 0 || axis == i) step[i] = 1e-3 * (box.hi[i] - box.lo[i]);
    if (!zero_at(x + step) && !zero_at(x - step)) return false;
  }
  return true;
}

/// Marks the points where f is flat around (flat_around) and leaves them
/// Inconclusive, whatever their Hessian or values said: which of a plateau's
/// points stood for it decided its kind before, so that max(0, -x)^2 was a
/// set of minima (its point at the edge) and max(0, x)^2 an inconclusive
/// one, and of exp(-1000 x^2)'s two underflowed tails one was minima.
void leave_flat_points_inconclusive(const SecondOrder& f, const Box& box, std::vector<Described>& points) {
  for (Described& d : points) {
    d.point.flat = flat_around(f, box, d.point.x);
    if (d.point.flat) d.point.kind = CriticalKind::Inconclusive;
  }
}

bool lexicographic_less(const CriticalPoint& a, const CriticalPoint& b) {
  return std::lexicographical_compare(a.x.begin(), a.x.end(), b.x.begin(), b.x.end());
}

}  // namespace

std::vector<CriticalPoint> critical_points(const SecondOrder& f, const Box& box,
                                           const CriticalOptions& options) {
  if (box.dimension() == 0) throw DimensionError("critical_points: the box has no dimension");
  require_widths(box, "critical_points");
  if (options.max_iterations < 0) throw DomainError("critical_points: max_iterations must be >= 0");
  const std::vector<Eigen::VectorXd> starts =
      spread_points(box, options.start_count, options.starts, options.seed);
  Vanishing vanishing{Eigen::ArrayXd::Zero(box.dimension())};
  for (const Eigen::VectorXd& x : starts) {
    const Eigen::ArrayXd g = f.gradient(x).array().abs();
    for (Eigen::Index i = 0; i < g.size(); ++i)
      if (std::isfinite(g[i])) vanishing.limit[i] = std::fmax(vanishing.limit[i], g[i]);
  }
  vanishing.limit *= options.gradient_tolerance;
  const Acceptance accept{f, box, vanishing, options.gradient_tolerance};
  std::vector<Outcome> found;
  for (const Eigen::VectorXd& x0 : starts) {
    Outcome run = newton_from(f, box, x0, options.max_iterations);
    if (accept(run)) merge(found, std::move(run), options.merge_distance * box.diagonal());
  }
  search_between(f, box, options, accept, found, 0);
  const std::size_t before_climbs = found.size();
  search_extrema(f, box, options, starts, accept, found);
  search_between(f, box, options, accept, found, before_climbs);
  search_kinks(f, box, starts, found);
  std::vector<Described> described = describe_all(f, box, options, vanishing, found);
  merge_connected_sets(f, box, options, vanishing, described);
  extend_lone_degenerate_points(f, box, options, accept, vanishing, described);
  decide_by_values(f, box, described);
  leave_flat_points_inconclusive(f, box, described);
  std::vector<CriticalPoint> points;
  points.reserve(described.size());
  for (Described& d : described) points.push_back(std::move(d.point));
  std::sort(points.begin(), points.end(), lexicographic_less);
  return points;
}

}  // namespace nabla::analysis
