// Pictures of nabla: the contours of Rosenbrock's function with gradient
// arrows and the paths of three simple descents from the same start, the
// critical points of x^3 - 3x + y^2 marked by kind, and the loss curves of
// those descents on a log scale. Writes three SVG files to the directory
// given as the argument (default: the current one).
#include <Eigen/Cholesky>
#include <cmath>
#include <fstream>
#include <iostream>
#include <nabla/analysis/analysis.hpp>
#include <nabla/nabla.hpp>
#include <nabla/plot/plot.hpp>
#include <string>

namespace {

auto rosenbrock = [](const auto& v) {
  // two declarations: on Vars each side is an expression of its own type
  const auto a = 1 - v[0];
  const auto b = v[1] - v[0] * v[0];
  return a * a + 100 * b * b;
};

/// Iterates of x <- x + step(x), recorded with their losses.
template <class Step>
nabla::plot::Path descend(const std::string& name, Eigen::VectorXd x, int iterations, Step step,
                          nabla::plot::Series& loss) {
  nabla::plot::Path path{name, {}};
  loss.name = name;
  for (int k = 0; k <= iterations; ++k) {
    path.points.emplace_back(x[0], x[1]);
    loss.values.push_back(rosenbrock(x));
    if (k < iterations) x += step(x);
  }
  return path;
}

void write(const std::string& file, const std::string& svg) {
  std::ofstream(file) << svg;
  std::cout << "wrote " << file << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? std::string(argv[1]) + "/" : "";
  const Eigen::Vector2d start(-1.5, 2.0);
  std::vector<nabla::plot::Series> losses(3);
  Eigen::VectorXd velocity = Eigen::VectorXd::Zero(2);
  nabla::plot::ContourOptions options;
  options.title = "Rosenbrock: (1 - x)^2 + 100 (y - x^2)^2";
  options.arrows = true;
  options.paths = {
      descend(
          "gradient descent, lr 1e-3", start, 3000,
          [](const Eigen::VectorXd& x) { return Eigen::VectorXd(-1e-3 * nabla::gradient(rosenbrock, x)); },
          losses[0]),
      descend(
          "momentum 0.9, lr 1.5e-4", start, 3000,
          [&](const Eigen::VectorXd& x) {
            velocity = 0.9 * velocity - 1.5e-4 * nabla::gradient(rosenbrock, x);
            return velocity;
          },
          losses[1]),
      descend(
          "Newton", start, 8,
          [](const Eigen::VectorXd& x) {
            return Eigen::VectorXd(
                nabla::hessian(rosenbrock, x).ldlt().solve(-nabla::gradient(rosenbrock, x)));
          },
          losses[2])};
  const nabla::analysis::Box box{{-2, 2}, {-1, 3}};
  options.critical_points = nabla::analysis::critical_points(rosenbrock, box);
  write(dir + "rosenbrock.svg", nabla::plot::contour_plot(rosenbrock, box, options));

  auto cubic = [](const auto& v) { return v[0] * v[0] * v[0] - 3 * v[0] + v[1] * v[1]; };
  const nabla::analysis::Box cubic_box{{-2.5, 2.5}, {-2, 2}};
  nabla::plot::ContourOptions critical;
  critical.title = "critical points of x^3 - 3x + y^2";
  critical.arrows = true;
  critical.spacing = nabla::plot::LevelSpacing::Nice;
  critical.critical_points = nabla::analysis::critical_points(cubic, cubic_box);
  write(dir + "critical_points.svg", nabla::plot::contour_plot(cubic, cubic_box, critical));

  nabla::plot::LossOptions loss_options;
  loss_options.title = "Rosenbrock from (-1.5, 2): loss per iteration";
  write(dir + "loss.svg", nabla::plot::loss_plot(losses, loss_options));
}
