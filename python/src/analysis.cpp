// nabla.critical_points, nabla.convexity and nabla.plot's engine: the
// analysis and the SVG pictures over a compiled expression (all in compiled
// code) or over Python callables for the value, gradient and Hessian.
#include "nabla/analysis/analysis.hpp"

#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "nabla/plot/plot.hpp"
#include "nabla/sym/evaluate.hpp"

namespace nabla::python {
namespace {

using analysis::Box;
using analysis::CriticalPoint;
using analysis::SecondOrder;

/// The value, gradient and Hessian of a compiled expression (the Program is
/// shared by the three functions).
SecondOrder of_program(Program program) {
  auto p = std::make_shared<Program>(std::move(program));
  return {[p](const Eigen::VectorXd& x) { return p->value(x); },
          [p](const Eigen::VectorXd& x) { return p->gradient(x); },
          [p](const Eigen::VectorXd& x) { return p->hessian(x); }};
}

/// The same from Python callables (each takes a 1-D array).
SecondOrder of_callables(py::function value, py::function gradient, py::function hessian) {
  return {[value](const Eigen::VectorXd& x) { return value(x).cast<double>(); },
          [gradient](const Eigen::VectorXd& x) { return gradient(x).cast<Eigen::VectorXd>(); },
          [hessian](const Eigen::VectorXd& x) { return hessian(x).cast<Eigen::MatrixXd>(); }};
}

void bind_critical(py::module_& m) {
  py::class_<CriticalPoint>(
      m, "CriticalPoint", "A critical point of f and what it is (from the Hessian, or f's values around it).")
      .def_readonly("x", &CriticalPoint::x)
      .def_readonly("f", &CriticalPoint::f)
      .def_readonly("gradient_norm", &CriticalPoint::gradient_norm)
      .def_readonly("eigenvalues", &CriticalPoint::eigenvalues)
      .def_readonly("set_extent", &CriticalPoint::set_extent,
                    "0 for an isolated point; else how far the connected set of critical points it "
                    "stands for reaches from it")
      .def_readonly("flat", &CriticalPoint::flat,
                    "whether f is exactly flat around it as computed (a plateau, or where f or its slope "
                    "underflowed): such a point is inconclusive")
      .def_property_readonly("kind",
                             [](const CriticalPoint& p) { return std::string(analysis::to_string(p.kind)); })
      .def(py::pickle(
          [](const CriticalPoint& p) {
            return py::make_tuple(p.x, p.f, p.gradient_norm, p.eigenvalues, static_cast<int>(p.kind),
                                  p.set_extent, p.flat);
          },
          [](const py::tuple& t) {
            require_state(t, 7, "CriticalPoint");
            CriticalPoint p;
            p.x = t[0].cast<Eigen::VectorXd>();
            p.f = t[1].cast<double>();
            p.gradient_norm = t[2].cast<double>();
            p.eigenvalues = t[3].cast<Eigen::VectorXd>();
            const int kind = t[4].cast<int>();
            if (kind < 0 || kind > static_cast<int>(analysis::CriticalKind::Inconclusive))
              throw py::value_error("CriticalPoint: unpickled an unknown kind " + std::to_string(kind));
            p.kind = static_cast<analysis::CriticalKind>(kind);
            p.set_extent = t[5].cast<double>();
            p.flat = t[6].cast<bool>();
            return p;
          }))
      .def("__repr__", [](const CriticalPoint& p) {
        // a set says so: an inconclusive point alone is not one of a line of minima
        const std::string set =
            p.set_extent > 0 ? ", set_extent=" + py::repr(py::float_(p.set_extent)).cast<std::string>() : "";
        return "CriticalPoint(kind='" + std::string(analysis::to_string(p.kind)) +
               "', x=" + py::repr(py::cast(p.x)).cast<std::string>() +
               ", f=" + py::repr(py::float_(p.f)).cast<std::string>() + set + (p.flat ? ", flat=True" : "") +
               ")";
      });
  m.def(
      "critical_points_expr",
      [](const sym::Expr& f, const std::vector<std::string>& vars, const Eigen::VectorXd& lo,
         const Eigen::VectorXd& hi, int starts) {
        analysis::CriticalOptions options;
        options.start_count = starts;
        std::vector<sym::Expr> symbols;
        for (const std::string& name : vars) symbols.push_back(sym::symbol(name));
        return analysis::critical_points(f, symbols, Box(lo, hi), options);
      },
      py::arg("f"), py::arg("vars"), py::arg("lo"), py::arg("hi"), py::arg("starts").noconvert() = 400);
  m.def(
      "critical_points_callables",
      [](py::function value, py::function gradient, py::function hessian, const Eigen::VectorXd& lo,
         const Eigen::VectorXd& hi, int starts) {
        analysis::CriticalOptions options;
        options.start_count = starts;
        return analysis::critical_points(of_callables(value, gradient, hessian), Box(lo, hi), options);
      },
      py::arg("value"), py::arg("gradient"), py::arg("hessian"), py::arg("lo"), py::arg("hi"),
      py::arg("starts").noconvert() = 400);
  m.def(
      "convexity_callables",
      [](py::function value, py::function gradient, py::function hessian, const Eigen::VectorXd& lo,
         const Eigen::VectorXd& hi, int samples) {
        const analysis::ConvexityReport r =
            analysis::convexity(of_callables(value, gradient, hessian), Box(lo, hi), samples);
        return py::make_tuple(std::string(analysis::to_string(r.verdict)), r.smallest_eigenvalue, r.witness,
                              r.samples);
      },
      py::arg("value"), py::arg("gradient"), py::arg("hessian"), py::arg("lo"), py::arg("hi"),
      py::arg("samples").noconvert());
  m.def(
      "convexity_program",
      [](const Program& p, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, int samples) {
        const analysis::ConvexityReport r = analysis::convexity(of_program(p), Box(lo, hi), samples);
        return py::make_tuple(std::string(analysis::to_string(r.verdict)), r.smallest_eigenvalue, r.witness,
                              r.samples);
      },
      py::arg("program"), py::arg("lo"), py::arg("hi"), py::arg("samples").noconvert());
}

std::vector<plot::Path> to_paths(const std::vector<std::pair<std::string, Eigen::MatrixXd>>& paths) {
  std::vector<plot::Path> out;
  for (const auto& [name, points] : paths) {
    require_dimension(points.cols() == 2, "plot: each path must be an array of shape (k, 2)");
    plot::Path p{name, {}};
    for (Eigen::Index i = 0; i < points.rows(); ++i) p.points.emplace_back(points(i, 0), points(i, 1));
    out.push_back(std::move(p));
  }
  return out;
}

void bind_plot(py::module_& m) {
  m.def(
      "contour_plot",
      [](py::object value, py::object gradient, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
         const std::vector<std::pair<std::string, Eigen::MatrixXd>>& paths,
         const std::vector<CriticalPoint>& critical, bool arrows, const std::string& title,
         const std::string& x_label, const std::string& y_label, int width, int height) {
        plot::ContourOptions options;
        options.title = title;
        options.x_label = x_label;
        options.y_label = y_label;
        options.width = width;
        options.height = height;
        options.arrows = arrows;
        options.paths = to_paths(paths);
        options.critical_points = critical;
        plot::Field field;
        if (py::isinstance<Program>(value)) {
          auto p = std::make_shared<Program>(value.cast<Program>());
          field.value = [p](const Eigen::Vector2d& x) { return p->value(x); };
          field.gradient = [p](const Eigen::Vector2d& x) { return Eigen::Vector2d(p->gradient(x)); };
        } else {
          auto v = value.cast<py::function>();
          field.value = [v](const Eigen::Vector2d& x) { return v(Eigen::VectorXd(x)).cast<double>(); };
          if (!gradient.is_none()) {
            auto g = gradient.cast<py::function>();
            field.gradient = [g](const Eigen::Vector2d& x) {
              return Eigen::Vector2d(g(Eigen::VectorXd(x)).cast<Eigen::VectorXd>());
            };
          }
        }
        return plot::contour_plot(field, Box(lo, hi), options);
      },
      py::arg("value"), py::arg("gradient"), py::arg("lo"), py::arg("hi"), py::arg("paths"),
      py::arg("critical"), py::arg("arrows"), py::arg("title"), py::arg("x_label"), py::arg("y_label"),
      py::arg("width").noconvert(), py::arg("height").noconvert());
  m.def(
      "loss_plot",
      [](const std::vector<std::pair<std::string, std::vector<double>>>& series, const std::string& title,
         bool log_y, const std::string& x_label, const std::string& y_label) {
        std::vector<plot::Series> s;
        for (const auto& [name, values] : series) s.push_back({name, values});
        plot::LossOptions options;
        options.title = title;
        options.log_y = log_y;
        options.x_label = x_label;
        options.y_label = y_label;
        return plot::loss_plot(s, options);
      },
      py::arg("series"), py::arg("title"), py::arg("log_y"), py::arg("x_label"), py::arg("y_label"));
}

}  // namespace

void bind_analysis(py::module_& m) {
  bind_critical(m);
  bind_plot(m);
}

}  // namespace nabla::python
