// The numeric critical-point search: Newton's method on grad f = 0 from many
// starting points, with steps cut to a trust radius and halved until |g|
// decreases, then from the midpoints of pairs of points found, then merging
// of duplicates and the second-derivative test.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "nabla/analysis/critical_points.hpp"
#include "nabla/core/errors.hpp"

namespace nabla::analysis {
namespace {

/// Solves H s = -g on the eigenvectors of H whose eigenvalue is not negligible
/// (a pseudo-inverse): a vanishing curvature leaves its direction alone. When
/// every eigenvalue vanishes, the step is -g.
Eigen::VectorXd newton_step(const Eigen::MatrixXd& h, const Eigen::VectorXd& g) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(h);
  const Eigen::VectorXd& lambda = eigen.eigenvalues();
  const double largest = lambda.cwiseAbs().maxCoeff();
  const Eigen::VectorXd along = eigen.eigenvectors().transpose() * g;
  Eigen::VectorXd step = Eigen::VectorXd::Zero(g.size());
  for (Eigen::Index i = 0; i < lambda.size(); ++i)
    if (std::fabs(lambda[i]) > 1e-13 * largest) step -= along[i] / lambda[i] * eigen.eigenvectors().col(i);
  if (!(step.squaredNorm() > 0)) step = -g;
  return step;
}

struct Outcome {
  Eigen::VectorXd x;
  double gradient_norm = std::numeric_limits<double>::infinity();
};

/// One Newton run from x0; the residual is infinite when it failed (a
/// non-finite value, or a walk far out of the box).
Outcome newton_from(const SecondOrder& f, const Box& box, const Eigen::VectorXd& x0, int max_iterations) {
  const double radius = 0.25 * std::fmax(box.diagonal(), 1e-300);
  Outcome out{x0, f.gradient(x0).norm()};
  Eigen::VectorXd g = f.gradient(x0);
  for (int it = 0; it < max_iterations && out.gradient_norm > 0; ++it) {
    if (!std::isfinite(out.gradient_norm)) return {};
    const Eigen::MatrixXd h = f.hessian(out.x);
    if (!h.allFinite()) break;
    Eigen::VectorXd step = newton_step(h, g);
    const double length = step.norm();
    if (length > radius) step *= radius / length;
    if (!(step.norm() > 4 * std::numeric_limits<double>::epsilon() * (1 + out.x.norm()))) break;
    bool accepted = false;
    for (int halving = 0; halving < 40 && !accepted; ++halving, step *= 0.5) {
      const Eigen::VectorXd trial = out.x + step;
      const Eigen::VectorXd g_trial = f.gradient(trial);
      const double norm = g_trial.norm();
      if (std::isfinite(norm) && norm < out.gradient_norm) {
        out = {trial, norm};
        g = g_trial;
        accepted = true;
      }
    }
    if (!accepted) break;
    if (!box.contains(out.x, 0.5)) return {};
  }
  return out;
}

/// Adds x to the found points unless one lies within `distance`; of two
/// near ones the one with the smaller residual stays.
void merge(std::vector<Outcome>& found, Outcome candidate, double distance) {
  for (Outcome& known : found)
    if ((known.x - candidate.x).norm() <= distance) {
      if (candidate.gradient_norm < known.gradient_norm) known = std::move(candidate);
      return;
    }
  found.push_back(std::move(candidate));
}

CriticalPoint describe(const SecondOrder& f, const Outcome& point, double scale, double tolerance) {
  CriticalPoint p;
  p.x = point.x;
  p.f = f.value(point.x);
  p.gradient_norm = point.gradient_norm;
  const Eigen::MatrixXd h = f.hessian(point.x);
  if (h.allFinite()) {
    p.eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h, Eigen::EigenvaluesOnly).eigenvalues();
    p.kind = classify(p.eigenvalues, std::fmax(scale, p.eigenvalues.cwiseAbs().maxCoeff()), tolerance);
  } else {
    p.eigenvalues = Eigen::VectorXd::Constant(point.x.size(), std::numeric_limits<double>::quiet_NaN());
  }
  return p;
}

/// Newton from the midpoints of pairs of found points, nearest pairs first
/// (at most `budget` of them, each with a point found since `old_points`),
/// until a round finds nothing new. Between two critical points of a smooth
/// function there is usually a third (a saddle or a maximum between two
/// minima: the mountain pass), and its Newton basin can be narrower than the
/// spacing of the starts: (x^2 - 1)^2 + (y^2 - 1)^2 over -10:10 has its
/// maximum at the origin and four saddles between starts 1.05 apart.
void search_between(const SecondOrder& f, const Box& box, const CriticalOptions& options, double accept,
                    std::vector<Outcome>& found) {
  constexpr int kRounds = 4;
  const auto budget = static_cast<std::size_t>(std::max(options.start_count, 1));
  std::size_t old_points = 0;
  for (int round = 0; round < kRounds && found.size() > old_points; ++round) {
    struct Pair {
      double distance;
      std::size_t i, j;
    };
    std::vector<Pair> pairs;
    for (std::size_t j = std::max<std::size_t>(old_points, 1); j < found.size(); ++j)
      for (std::size_t i = 0; i < j; ++i) pairs.push_back({(found[i].x - found[j].x).squaredNorm(), i, j});
    const auto nearest = pairs.begin() + static_cast<std::ptrdiff_t>(std::min(budget, pairs.size()));
    std::partial_sort(pairs.begin(), nearest, pairs.end(),
                      [](const Pair& a, const Pair& b) { return a.distance < b.distance; });
    std::vector<Eigen::VectorXd> midpoints;
    for (auto it = pairs.begin(); it != nearest; ++it)
      midpoints.push_back(0.5 * (found[it->i].x + found[it->j].x));
    old_points = found.size();
    for (const Eigen::VectorXd& x0 : midpoints) {
      Outcome run = newton_from(f, box, x0, options.max_iterations);
      if (run.gradient_norm <= accept && box.contains(run.x, 1e-12))
        merge(found, std::move(run), options.merge_distance * box.diagonal());
    }
  }
}

bool lexicographic_less(const CriticalPoint& a, const CriticalPoint& b) {
  return std::lexicographical_compare(a.x.begin(), a.x.end(), b.x.begin(), b.x.end());
}

}  // namespace

std::vector<CriticalPoint> critical_points(const SecondOrder& f, const Box& box,
                                           const CriticalOptions& options) {
  if (box.dimension() == 0) throw DimensionError("critical_points: the box has no dimension");
  if (options.max_iterations < 0) throw DomainError("critical_points: max_iterations must be >= 0");
  const std::vector<Eigen::VectorXd> starts =
      spread_points(box, options.start_count, options.starts, options.seed);
  double typical_gradient = 0;
  for (const Eigen::VectorXd& x : starts) {
    const double norm = f.gradient(x).norm();
    if (std::isfinite(norm)) typical_gradient = std::fmax(typical_gradient, norm);
  }
  const double accept = options.gradient_tolerance * (1 + typical_gradient);
  const double scale = curvature_scale(f, starts);
  std::vector<Outcome> found;
  for (const Eigen::VectorXd& x0 : starts) {
    Outcome run = newton_from(f, box, x0, options.max_iterations);
    if (run.gradient_norm <= accept && box.contains(run.x, 1e-12))
      merge(found, std::move(run), options.merge_distance * box.diagonal());
  }
  search_between(f, box, options, accept, found);
  std::vector<CriticalPoint> points;
  points.reserve(found.size());
  for (const Outcome& point : found)
    points.push_back(describe(f, point, scale, options.eigenvalue_tolerance));
  std::sort(points.begin(), points.end(), lexicographic_less);
  return points;
}

}  // namespace nabla::analysis
