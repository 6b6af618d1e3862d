// Sampled convexity: the smallest Hessian eigenvalue over points spread on
// the box (a shifted Halton set, plus the centre and the corners of a box of
// up to 10 dimensions, where extreme curvature often sits).
#include "nabla/analysis/convexity.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <string>

#include "nabla/core/errors.hpp"

namespace nabla::analysis {

std::string_view to_string(Convexity c) {
  switch (c) {
    case Convexity::StrictlyConvex:
      return "strictly convex";
    case Convexity::Convex:
      return "convex";
    case Convexity::NotConvex:
      return "not convex";
  }
  return "convex";
}

namespace {

std::vector<Eigen::VectorXd> convexity_samples(const Box& box, int samples, std::uint64_t seed) {
  std::vector<Eigen::VectorXd> points = spread_points(box, samples, Starts::Halton, seed);
  const Eigen::Index n = box.dimension();
  if (n <= 10) {
    points.push_back(0.5 * (box.lo + box.hi));
    for (long corner = 0; corner < (1L << n); ++corner) {
      Eigen::VectorXd x(n);
      for (Eigen::Index d = 0; d < n; ++d) x[d] = (corner >> d) & 1 ? box.hi[d] : box.lo[d];
      points.push_back(std::move(x));
    }
  }
  return points;
}

}  // namespace

ConvexityReport convexity(const SecondOrder& f, const Box& box, int samples, double tolerance,
                          std::uint64_t seed) {
  if (box.dimension() == 0) throw DimensionError("convexity: the box has no dimension");
  if (samples < 1) throw DomainError("convexity: the number of samples must be at least 1");
  // The Hessian's eigenvalues along a dimension of width 0 say nothing of f
  // over the box (x^2 - y^2 is convex on [-1, 1] x {0}).
  for (Eigen::Index d = 0; d < box.dimension(); ++d)
    if (!(box.lo[d] < box.hi[d]))
      throw DomainError("convexity: dimension " + std::to_string(d) +
                        " of the box is a single point (lo = hi); convexity over a box needs lo < hi");
  ConvexityReport report;
  report.smallest_eigenvalue = std::numeric_limits<double>::infinity();
  double largest = 0;
  for (const Eigen::VectorXd& x : convexity_samples(box, samples, seed)) {
    const Eigen::MatrixXd h = f.hessian(x);
    if (!h.allFinite()) continue;
    const Eigen::VectorXd lambda =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(h, Eigen::EigenvaluesOnly).eigenvalues();
    ++report.samples;
    largest = std::fmax(largest, lambda.cwiseAbs().maxCoeff());
    if (lambda[0] < report.smallest_eigenvalue) {
      report.smallest_eigenvalue = lambda[0];
      report.witness = x;
    }
  }
  if (report.samples == 0) throw DomainError("convexity: the Hessian is not finite at any sample");
  const double zero = tolerance * largest;
  if (report.smallest_eigenvalue < -zero)
    report.verdict = Convexity::NotConvex;
  else
    report.verdict = report.smallest_eigenvalue > zero ? Convexity::StrictlyConvex : Convexity::Convex;
  return report;
}

}  // namespace nabla::analysis
