// The pictures of nabla as SVG text: contour plots of f over a 2-D box with
// gradient arrows, optimizer paths and critical points, and loss-versus-
// iteration curves on a logarithmic scale. Both come with axes at nice ticks,
// labels, a title and a legend beside the plot (never over it).
//
// Contour plots keep x and y on the same scale (unless the box is more than
// four times wider than high or the reverse), so the arrows, drawn along the
// gradient in the picture's own coordinates, are perpendicular to the drawn
// contours and point uphill. Their lengths grow with |grad f| up to a cap of
// most of the arrow spacing (at the 90th percentile), so steep corners do not
// hide the rest.
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nabla/ad/drivers.hpp"
#include "nabla/analysis/box.hpp"
#include "nabla/analysis/critical_points.hpp"
#include "nabla/plot/contour.hpp"

namespace nabla::plot {

/// A named sequence of 2-D points: the iterates of one optimizer.
struct Path {
  std::string name;
  std::vector<Eigen::Vector2d> points;
};

/// A named sequence of values, one per iteration: a loss curve.
struct Series {
  std::string name;
  std::vector<double> values;
};

/// f: R^2 -> R with its gradient (when `gradient` is empty, arrows use
/// central differences).
struct Field {
  std::function<double(const Eigen::Vector2d&)> value;
  std::function<Eigen::Vector2d(const Eigen::Vector2d&)> gradient;
};

/// What a contour plot shows.
struct ContourOptions {
  std::string title;
  std::string x_label = "x";
  std::string y_label = "y";
  int width = 860;
  int height = 640;
  int resolution = 161;        ///< grid points along the drawn frame's longer side (marching squares)
  std::vector<double> levels;  ///< empty: automatic
  int level_count = 14;        ///< for automatic levels
  LevelSpacing spacing = LevelSpacing::Quantile;
  bool arrows = false;                                   ///< gradient arrows
  int arrow_count = 16;                                  ///< arrows along the longer side
  std::vector<Path> paths;                               ///< optimizer paths, in distinct colours
  std::vector<analysis::CriticalPoint> critical_points;  ///< 2-D ones are marked by kind
};

/// The contour plot of field over the 2-D box as an SVG document. Throws
/// DimensionError unless the box is 2-D, DomainError for a box of zero width
/// or height, a width or height that overflows a double, is subnormal or
/// spans fewer than about a thousand doubles, or a size too small to draw.
std::string contour_plot(const Field& field, const analysis::Box& box, const ContourOptions& options = {});

/// The same for a generic callable f(const VectorX<T>&) -> T; the arrows use
/// its gradient by reverse mode.
template <class F>
requires(!std::is_same_v<std::remove_cvref_t<F>, Field> &&
         std::is_invocable_v<F&, const Eigen::VectorXd&>) std::string
    contour_plot(F&& f, const analysis::Box& box, const ContourOptions& options = {}) {
  Field field{
      [&f](const Eigen::Vector2d& p) { return static_cast<double>(f(Eigen::VectorXd(p))); },
      [&f](const Eigen::Vector2d& p) { return Eigen::Vector2d(nabla::gradient(f, Eigen::VectorXd(p))); }};
  return contour_plot(field, box, options);
}

/// What a loss plot shows.
struct LossOptions {
  std::string title;
  std::string x_label = "iteration";
  std::string y_label = "loss";
  bool log_y = true;  ///< values <= 0 cannot be drawn on it and are skipped
  int width = 860;
  int height = 560;
};

/// Loss-versus-iteration curves (x = index in the series) as an SVG
/// document; non-finite values (and non-positive ones on a log axis) break
/// the curve, and a note says so when none can be drawn. Throws DomainError
/// for a size too small to draw.
std::string loss_plot(const std::vector<Series>& series, const LossOptions& options = {});

}  // namespace nabla::plot
