// nabla.minimize's engine: optim::Options as a Python object, optim::Result
// and its Iterates, and minimize over either a recorded Program (the whole
// run in compiled code: f without branches, or a compiled expression) or
// Python callables (value and gradient, and a Hessian for Newton).
#include <pybind11/eigen.h>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>

#include "bindings.hpp"
#include "nabla/ad/program.hpp"
#include "nabla/optim/minimize.hpp"
#include "nabla/optim/program_objective.hpp"

namespace nabla::python {
namespace {

/// The run on Python callables: value_and_grad(x) -> (f, g), and hessian(x) or None.
class CallableObjective final : public optim::Objective {
 public:
  CallableObjective(py::function value_and_grad, py::object hessian)
      : value_and_grad_(std::move(value_and_grad)), hessian_(std::move(hessian)) {}
  double value(const Eigen::VectorXd& x) override {
    Eigen::VectorXd g(x.size());
    return value_and_gradient(x, g);
  }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) override {
    const py::tuple fg = value_and_grad_(x);
    if (fg.size() != 2) throw DimensionError("minimize: value_and_grad must return (f, gradient)");
    Eigen::VectorXd gradient = fg[1].cast<Eigen::VectorXd>();
    require_dimension(gradient.size() == x.size(), "minimize: the gradient has " +
                                                       std::to_string(gradient.size()) + " entries for " +
                                                       std::to_string(x.size()) + " variables");
    g = std::move(gradient);
    return fg[0].cast<double>();
  }
  bool has_hessian() const override { return !hessian_.is_none(); }
  void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) override {
    Eigen::MatrixXd m = hessian_(x).cast<Eigen::MatrixXd>();
    require_dimension(m.rows() == x.size() && m.cols() == x.size(), "minimize: the Hessian must be n-by-n");
    h = std::move(m);
  }

 private:
  py::function value_and_grad_;
  py::object hessian_;
};

void bind_options(py::module_& m) {
  py::enum_<optim::Schedule>(m, "Schedule")
      .value("none", optim::Schedule::None)
      .value("step", optim::Schedule::Step)
      .value("exponential", optim::Schedule::Exponential)
      .value("cosine", optim::Schedule::Cosine);
  py::enum_<optim::LineSearch>(m, "LineSearch")
      .value("armijo", optim::LineSearch::Armijo)
      .value("strong_wolfe", optim::LineSearch::StrongWolfe);
  using O = optim::Options;
  py::class_<O>(m, "Options", "Every knob of nabla's optimizers (see nabla/optim/options.hpp).")
      .def(py::init<>())
      .def_property(
          "method", [](const O& o) { return std::string(optim::name(o.method)); },
          [](O& o, const std::string& name) { o.method = optim::method_from_name(name); })
      .def_property_readonly("first_order", [](const O& o) { return optim::is_first_order(o.method); })
      .def_readwrite("learning_rate", &O::learning_rate)
      .def_readwrite("momentum", &O::momentum)
      .def_readwrite("beta1", &O::beta1)
      .def_readwrite("beta2", &O::beta2)
      .def_readwrite("rmsprop_decay", &O::rmsprop_decay)
      .def_readwrite("epsilon", &O::epsilon)
      .def_readwrite("weight_decay", &O::weight_decay)
      .def_readwrite("schedule", &O::schedule)
      .def_readwrite("schedule_gamma", &O::schedule_gamma)
      .def_readwrite("schedule_step_size", &O::schedule_step_size)
      .def_readwrite("schedule_period", &O::schedule_period)
      .def_readwrite("min_learning_rate", &O::min_learning_rate)
      .def_readwrite("clip_value", &O::clip_value)
      .def_readwrite("clip_norm", &O::clip_norm)
      .def_readwrite("max_iterations", &O::max_iterations)
      .def_readwrite("max_evaluations", &O::max_evaluations)
      .def_readwrite("gradient_tolerance", &O::gradient_tolerance)
      .def_readwrite("f_tolerance", &O::f_tolerance)
      .def_readwrite("x_tolerance", &O::x_tolerance)
      .def_readwrite("time_limit_seconds", &O::time_limit_seconds)
      .def_readwrite("line_search", &O::line_search)
      .def_readwrite("lbfgs_memory", &O::lbfgs_memory)
      .def_readwrite("lower", &O::lower)
      .def_readwrite("upper", &O::upper)
      .def_readwrite("keep_trace", &O::keep_trace)
      .def_readwrite("callback", &O::callback);
}

void bind_result(py::module_& m) {
  py::class_<optim::Iterate>(m, "Iterate", "One iterate of a run (iteration 0 is the start).")
      .def_readonly("iteration", &optim::Iterate::iteration)
      .def_readonly("x", &optim::Iterate::x)
      .def_readonly("f", &optim::Iterate::f)
      .def_readonly("gradient_norm", &optim::Iterate::gradient_norm)
      .def_readonly("step", &optim::Iterate::step);
  py::class_<optim::Result>(m, "Result")
      .def_readonly("x", &optim::Result::x)
      .def_readonly("f", &optim::Result::f)
      .def_readonly("gradient_norm", &optim::Result::gradient_norm)
      .def_readonly("iterations", &optim::Result::iterations)
      .def_readonly("function_evaluations", &optim::Result::function_evaluations)
      .def_readonly("gradient_evaluations", &optim::Result::gradient_evaluations)
      .def_readonly("trace", &optim::Result::trace)
      .def_property_readonly("stop_reason",
                             [](const optim::Result& r) { return std::string(optim::name(r.stop_reason)); })
      .def_property_readonly("status", [](const optim::Result& r) { return static_cast<int>(r.stop_reason); })
      .def_property_readonly(
          "message", [](const optim::Result& r) { return std::string(optim::describe(r.stop_reason)); });
}

}  // namespace

void bind_optimize(py::module_& m) {
  bind_options(m);
  bind_result(m);
  m.def(
      "minimize_program",
      [](const Program& p, const Eigen::VectorXd& x0, optim::Options options) {
        optim::ProgramObjective objective(p);
        options.callback = interruptible(std::move(options.callback));
        return optim::minimize(objective, x0, options);
      },
      py::arg("program"), py::arg("x0"), py::arg("options"));
  m.def(
      "minimize_callable",
      [](py::function value_and_grad, py::object hessian, const Eigen::VectorXd& x0, optim::Options options) {
        CallableObjective objective(std::move(value_and_grad), std::move(hessian));
        options.callback = interruptible(std::move(options.callback));
        return optim::minimize(objective, x0, options);
      },
      py::arg("value_and_grad"), py::arg("hessian"), py::arg("x0"), py::arg("options"));
}

}  // namespace nabla::python
