// nabla.numdiff on Python callables: derivative (with its error estimate),
// gradient, jacobian and hessian (with per-entry error bounds), and
// check_gradient. The callables take a float (derivative) or a 1-D NumPy
// array; an exception raised by them propagates unchanged.
#include "nabla/numdiff/numdiff.hpp"

#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <sstream>
#include <string>

#include "bindings.hpp"

namespace nabla::python {
namespace {

namespace nd = numdiff;

nd::Method method_named(const std::string& name) {
  for (nd::Method m :
       {nd::Method::central, nd::Method::forward, nd::Method::backward, nd::Method::five_point})
    if (name == nd::to_string(m)) return m;
  if (name == "complex_step")
    throw DomainError(
        "numdiff: method 'complex_step' needs a C++ function of complex numbers; from Python use "
        "'central', 'forward', 'backward' or 'five_point'");
  throw DomainError("numdiff: unknown method '" + name + "' (central, forward, backward, five_point)");
}

nd::Options make_options(const std::string& method, std::optional<double> initial_step, double step_ratio,
                         int richardson_levels, int max_steps) {
  nd::Options o;
  o.method = method_named(method);
  o.initial_step = initial_step;
  o.step_ratio = step_ratio;
  o.richardson_levels = richardson_levels;
  o.max_steps = max_steps;
  return o;
}

/// A Python function of a vector, as numdiff calls it.
struct ScalarOfVector {
  py::function f;
  double operator()(const Eigen::VectorXd& x) const { return f(x).cast<double>(); }
};
struct VectorOfVector {
  py::function f;
  Eigen::VectorXd operator()(const Eigen::VectorXd& x) const { return f(x).cast<Eigen::VectorXd>(); }
};

/// The keyword arguments every function takes.
#define NABLA_NUMDIFF_OPTIONS                                                               \
  py::kw_only(), py::arg("method") = "central", py::arg("initial_step") = py::none(),       \
                 py::arg("step_ratio") = 1.9, py::arg("richardson_levels").noconvert() = 8, \
                 py::arg("max_steps").noconvert() = 60

using Knobs = std::optional<double>;

}  // namespace

void bind_numdiff(py::module_& m) {
  py::module_ nd_module = m.def_submodule("numdiff", "Finite differences with Richardson extrapolation.");
  py::class_<nd::Estimate>(nd_module, "Estimate", "A numerical value and a bound on its absolute error.")
      .def_readonly("value", &nd::Estimate::value)
      .def_readonly("error", &nd::Estimate::error)
      .def("__repr__",
           [](const nd::Estimate& e) {
             std::ostringstream out;
             out << "Estimate(value=" << e.value << ", error=" << e.error << ")";
             return out.str();
           })
      .def(py::pickle([](const nd::Estimate& e) { return py::make_tuple(e.value, e.error); },
                      [](const py::tuple& t) {
                        require_state(t, 2, "Estimate");
                        return nd::Estimate{t[0].cast<double>(), t[1].cast<double>()};
                      }));
  py::class_<nd::GradientCheck>(nd_module, "GradientCheck", "The report of a gradient check.")
      .def_readonly("gradient", &nd::GradientCheck::ad_gradient)
      .def_readonly("numeric_gradient", &nd::GradientCheck::numeric_gradient)
      .def_readonly("numeric_error", &nd::GradientCheck::numeric_error)
      .def_readonly("max_abs_error", &nd::GradientCheck::max_abs_error)
      .def_readonly("max_rel_error", &nd::GradientCheck::max_rel_error)
      .def_readonly("worst_index", &nd::GradientCheck::worst_index)
      .def_readonly("resolution", &nd::GradientCheck::resolution)
      .def_readonly("conclusive", &nd::GradientCheck::conclusive)
      .def_readonly("tolerance", &nd::GradientCheck::tolerance)
      .def_readonly("ok", &nd::GradientCheck::ok)
      .def("__bool__", [](const nd::GradientCheck& c) { return c.ok; })
      .def(py::pickle(
          [](const nd::GradientCheck& c) {
            return py::make_tuple(c.ad_gradient, c.numeric_gradient, c.numeric_error, c.max_abs_error,
                                  c.max_rel_error, c.worst_index, c.resolution, c.conclusive, c.tolerance,
                                  c.ok);
          },
          [](const py::tuple& t) {
            require_state(t, 10, "GradientCheck");
            nd::GradientCheck c;
            c.ad_gradient = t[0].cast<Eigen::VectorXd>();
            c.numeric_gradient = t[1].cast<Eigen::VectorXd>();
            c.numeric_error = t[2].cast<Eigen::VectorXd>();
            c.max_abs_error = t[3].cast<double>();
            c.max_rel_error = t[4].cast<double>();
            c.worst_index = t[5].cast<Eigen::Index>();
            c.resolution = t[6].cast<double>();
            c.conclusive = t[7].cast<bool>();
            c.tolerance = t[8].cast<double>();
            c.ok = t[9].cast<bool>();
            return c;
          }))
      .def("__str__", [](const nd::GradientCheck& c) {
        std::ostringstream out;
        out << c;
        return out.str();
      });

  nd_module.def(
      "derivative",
      [](py::function f, double x, int order, const std::string& method, Knobs h, double ratio, int levels,
         int steps) {
        const nd::Options o = make_options(method, h, ratio, levels, steps);
        auto g = [&f](double t) { return f(t).cast<double>(); };
        if (order == 1) return nd::derivative(g, x, o);
        if (order == 2) return nd::second_derivative(g, x, o);
        throw DomainError("numdiff.derivative: order must be 1 or 2");
      },
      py::arg("f"), py::arg("x"), py::arg("order").noconvert() = 1, NABLA_NUMDIFF_OPTIONS);
  nd_module.def(
      "gradient_estimate",
      [](py::function f, const Eigen::VectorXd& x, const std::string& method, Knobs h, double ratio,
         int levels, int steps) {
        nd::VectorEstimate e =
            nd::gradient_estimate(ScalarOfVector{f}, x, make_options(method, h, ratio, levels, steps));
        return std::make_pair(std::move(e.value), std::move(e.error));
      },
      py::arg("f"), py::arg("x"), NABLA_NUMDIFF_OPTIONS);
  nd_module.def(
      "jacobian_estimate",
      [](py::function f, const Eigen::VectorXd& x, const std::string& method, Knobs h, double ratio,
         int levels, int steps) {
        nd::MatrixEstimate e =
            nd::jacobian_estimate(VectorOfVector{f}, x, make_options(method, h, ratio, levels, steps));
        return std::make_pair(std::move(e.value), std::move(e.error));
      },
      py::arg("f"), py::arg("x"), NABLA_NUMDIFF_OPTIONS);
  nd_module.def(
      "hessian_estimate",
      [](py::function f, const Eigen::VectorXd& x, const std::string& method, Knobs h, double ratio,
         int levels, int steps) {
        nd::MatrixEstimate e =
            nd::hessian_estimate(ScalarOfVector{f}, x, make_options(method, h, ratio, levels, steps));
        return std::make_pair(std::move(e.value), std::move(e.error));
      },
      py::arg("f"), py::arg("x"), NABLA_NUMDIFF_OPTIONS);
  nd_module.def(
      "check_gradient",
      [](py::function f, py::function grad, const Eigen::VectorXd& x, double tolerance,
         const std::string& method, Knobs h, double ratio, int levels, int steps) {
        auto g = [&grad](const Eigen::VectorXd& at) { return grad(at).cast<Eigen::VectorXd>(); };
        return nd::check_gradient(ScalarOfVector{f}, g, x, tolerance,
                                  make_options(method, h, ratio, levels, steps));
      },
      py::arg("f"), py::arg("grad"), py::arg("x"), py::arg("tolerance") = 1e-6, NABLA_NUMDIFF_OPTIONS);
}

}  // namespace nabla::python
