// Convexity of f on a box, by sampling: the smallest eigenvalue of the
// Hessian at points spread over the box. A negative one (beyond a tolerance
// relative to the curvature scale) proves f is not convex and comes with its
// witness; otherwise f is convex -- strictly when every smallest eigenvalue
// is positive -- at the samples, which is evidence, not proof, for the box.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <string_view>
#include <utility>

#include "nabla/analysis/box.hpp"
#include "nabla/analysis/critical_points.hpp"

namespace nabla::analysis {

/// The verdict of convexity().
enum class Convexity : std::uint8_t {
  StrictlyConvex,  ///< smallest eigenvalue > 0 at every sample
  Convex,          ///< >= 0 within the tolerance at every sample, somewhere 0
  NotConvex,       ///< < 0 at the witness
};

/// "strictly convex", "convex" or "not convex".
std::string_view to_string(Convexity c);

/// What convexity() found.
struct ConvexityReport {
  Convexity verdict = Convexity::Convex;
  double smallest_eigenvalue = 0;  ///< the smallest over the samples
  Eigen::VectorXd witness;         ///< where it was found
  int samples = 0;                 ///< Hessians evaluated (finite ones)
};

/// Samples the Hessian at `samples` points (a shifted Halton set, with the
/// box's centre and corners when n <= 10); |lambda| <= tolerance * (largest
/// |lambda| seen) counts as zero. Throws DimensionError for an empty box and
/// DomainError when a dimension of the box is a single point (lo = hi),
/// samples < 1 or no Hessian is finite.
ConvexityReport convexity(const SecondOrder& f, const Box& box, int samples = 256, double tolerance = 1e-9,
                          std::uint64_t seed = 1);

/// The same for a generic callable f(const VectorX<T>&) -> T.
template <class F>
requires(!std::is_same_v<std::remove_cvref_t<F>, SecondOrder> &&
         std::is_invocable_v<F&, const Eigen::VectorXd&>) ConvexityReport
    convexity(F&& f, const Box& box, int samples = 256, double tolerance = 1e-9, std::uint64_t seed = 1) {
  return convexity(second_order(std::forward<F>(f)), box, samples, tolerance, seed);
}

}  // namespace nabla::analysis
