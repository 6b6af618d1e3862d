// The second-derivative test: a critical point's kind from the eigenvalues of
// its Hessian, with "zero" measured against a curvature scale.
#include <cmath>
#include <limits>

#include "nabla/analysis/critical_points.hpp"

namespace nabla::analysis {

std::string_view to_string(CriticalKind kind) {
  switch (kind) {
    case CriticalKind::Minimum:
      return "minimum";
    case CriticalKind::Maximum:
      return "maximum";
    case CriticalKind::Saddle:
      return "saddle";
    case CriticalKind::Inconclusive:
      return "inconclusive";
  }
  return "inconclusive";
}

CriticalKind classify(const Eigen::VectorXd& eigenvalues, double scale, double tolerance) {
  const double zero = tolerance * scale;
  bool positive = false, negative = false, vanishing = eigenvalues.size() == 0;
  for (double lambda : eigenvalues) {
    if (!std::isfinite(lambda)) return CriticalKind::Inconclusive;
    if (lambda > zero)
      positive = true;
    else if (lambda < -zero)
      negative = true;
    else
      vanishing = true;
  }
  if (positive && negative) return CriticalKind::Saddle;  // opposite curvatures: never an extremum
  if (vanishing) return CriticalKind::Inconclusive;
  return positive ? CriticalKind::Minimum : CriticalKind::Maximum;
}

}  // namespace nabla::analysis
