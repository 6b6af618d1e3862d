// Traced scalars for Python functions. A Recording makes one Traced per
// input; the user's function runs on them with Python arithmetic and nabla's
// functions, each operation appending an instruction to the recording; the
// outputs close it into a Program, whose value, gradient, Jacobian, Hessian
// and products the transformations of nabla/_transforms.py return. A
// comparison of Traced values answers from the values and is kept as a guard
// (see nabla/ad/trace.hpp), and a Traced refuses to become a float, so a
// decision or a math.* call invisible to the recording is an error, not a
// silently wrong derivative.
#include "nabla/ad/trace.hpp"

#include <pybind11/eigen.h>
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "nabla/ad/program.hpp"

namespace nabla::python {
namespace {

/// One recording of a Python function: the builder, its inputs, and the
/// builder that was active before (restored on exit, so recordings nest).
class Recording {
 public:
  explicit Recording(const Eigen::VectorXd& x) {
    detail::require_nonempty(x, "record");
    inputs_.reserve(static_cast<std::size_t>(x.size()));
    for (Eigen::Index i = 0; i < x.size(); ++i) inputs_.emplace_back(x[i], builder_.input(), builder_.id());
  }

  const std::vector<TraceVar>& enter() {
    if (active_) throw Error("nabla: a recording was entered twice");
    previous_ = detail::active_builder;
    detail::active_builder = &builder_;
    active_ = true;
    return inputs_;
  }

  void exit() {
    if (!active_) return;
    detail::active_builder = previous_;
    active_ = false;
  }

  /// Closes the recording with these outputs (Traced or numbers).
  Program finish(const std::vector<TraceVar>& outputs) {
    if (finished_) throw Error("nabla: a recording was finished twice");
    if (outputs.empty()) throw DimensionError("nabla: the function returned no value");
    for (const TraceVar& y : outputs) {
      if (y.is_active() && y.recording() != builder_.id())
        throw Error("nabla: the function returned a value traced by another transformation");
      builder_.output(detail::slot_in(builder_, y));
    }
    finished_ = true;
    return std::move(builder_).build();
  }

 private:
  ProgramBuilder builder_;
  std::vector<TraceVar> inputs_;
  ProgramBuilder* previous_ = nullptr;
  bool active_ = false;
  bool finished_ = false;
};

[[noreturn]] void refuse_float(const TraceVar&) {
  throw py::type_error(
      "a traced value cannot become a Python float: use nabla's functions (nabla.exp, not "
      "math.exp) so the derivative sees the operation");
}

void bind_arithmetic(py::class_<TraceVar>& traced) {
  using T = const TraceVar&;
  traced
      .def(
          "__add__", [](T a, T b) { return a + b; }, py::is_operator())
      .def(
          "__add__", [](T a, double b) { return a + b; }, py::is_operator())
      .def(
          "__radd__", [](T a, double b) { return b + a; }, py::is_operator())
      .def(
          "__sub__", [](T a, T b) { return a - b; }, py::is_operator())
      .def(
          "__sub__", [](T a, double b) { return a - b; }, py::is_operator())
      .def(
          "__rsub__", [](T a, double b) { return b - a; }, py::is_operator())
      .def(
          "__mul__", [](T a, T b) { return a * b; }, py::is_operator())
      .def(
          "__mul__", [](T a, double b) { return a * b; }, py::is_operator())
      .def(
          "__rmul__", [](T a, double b) { return b * a; }, py::is_operator())
      .def(
          "__truediv__", [](T a, T b) { return a / b; }, py::is_operator())
      .def(
          "__truediv__", [](T a, double b) { return a / b; }, py::is_operator())
      .def(
          "__rtruediv__", [](T a, double b) { return b / a; }, py::is_operator())
      // Only an integer (int, a NumPy integer) takes the integer power:
      // without noconvert, pybind11 would take np.float32(0.5) or
      // Fraction(1, 3) here through __int__, as 0.
      .def(
          "__pow__", [](T a, int n) { return pow(a, n); }, py::is_operator(), py::arg("n").noconvert())
      .def(
          "__pow__", [](T a, T b) { return pow(a, b); }, py::is_operator())
      .def(
          "__pow__", [](T a, double b) { return pow(a, b); }, py::is_operator())
      .def(
          "__rpow__", [](T a, double b) { return pow(b, a); }, py::is_operator())
      .def("__neg__", [](T a) { return -a; })
      .def("__pos__", [](T a) { return a; })
      .def("__abs__", [](T a) { return abs(a); });
}

void bind_comparisons(py::class_<TraceVar>& traced) {
  using T = const TraceVar&;
  traced
      .def(
          "__lt__", [](T a, T b) { return a < b; }, py::is_operator())
      .def(
          "__lt__", [](T a, double b) { return a < b; }, py::is_operator())
      .def(
          "__le__", [](T a, T b) { return a <= b; }, py::is_operator())
      .def(
          "__le__", [](T a, double b) { return a <= b; }, py::is_operator())
      .def(
          "__gt__", [](T a, T b) { return a > b; }, py::is_operator())
      .def(
          "__gt__", [](T a, double b) { return a > b; }, py::is_operator())
      .def(
          "__ge__", [](T a, T b) { return a >= b; }, py::is_operator())
      .def(
          "__ge__", [](T a, double b) { return a >= b; }, py::is_operator())
      .def(
          "__eq__", [](T a, T b) { return a == b; }, py::is_operator())
      .def(
          "__eq__", [](T a, double b) { return a == b; }, py::is_operator())
      .def(
          "__ne__", [](T a, T b) { return a != b; }, py::is_operator())
      .def(
          "__ne__", [](T a, double b) { return a != b; }, py::is_operator())
      // `if x:` means x != 0, recorded as a guard like any comparison.
      .def("__bool__", [](T a) { return a != 0.0; });
}

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// The outputs at each row of x, one row of the result per row of x (by
/// Program::values_batch, which runs each instruction over blocks of rows).
RowMatrix value_rows(const Program& p, const Eigen::Ref<const RowMatrix>& x) {
  require_dimension(static_cast<std::size_t>(x.cols()) == p.inputs(),
                    "Program: rows of " + std::to_string(x.cols()) + " values for a program of " +
                        std::to_string(p.inputs()) + " inputs");
  return p.values_batch(x.transpose()).transpose();
}

void bind_program(py::module_& m) {
  py::class_<Program>(m, "Program", "A recorded function: replays its value and derivatives at any x.")
      .def_property_readonly("inputs", &Program::inputs)
      .def_property_readonly("outputs", &Program::outputs)
      .def_property_readonly("has_guards", &Program::has_guards)
      .def("__len__", &Program::size)
      .def("value", &Program::value, py::arg("x"))
      .def("values", &Program::values, py::arg("x"))
      .def("guards_hold", &Program::guards_hold, py::arg("x"))
      .def(
          "value_and_gradient",
          [](const Program& p, const Eigen::VectorXd& x) {
            ValueAndGradient vg = p.value_and_gradient(x);
            return std::make_pair(vg.value, std::move(vg.gradient));
          },
          py::arg("x"))
      .def("gradient", &Program::gradient, py::arg("x"))
      .def("jacobian", &Program::jacobian, py::arg("x"))
      .def("hessian", &Program::hessian, py::arg("x"))
      .def("hvp", &Program::hvp, py::arg("x"), py::arg("v"))
      .def("jvp", &Program::jvp, py::arg("x"), py::arg("v"))
      .def("vjp", &Program::vjp, py::arg("x"), py::arg("w"))
      .def("value_rows", &value_rows, py::arg("x"))
      .def("__str__", [](const Program& p) {
        std::ostringstream out;
        out << p;
        return out.str();
      });
}

}  // namespace

void bind_trace(py::module_& m) {
  py::class_<TraceVar> traced(m, "Traced",
                              "A value inside a transformed function: use it with Python arithmetic, "
                              "comparisons and nabla's functions.");
  traced.def(py::init<double>(), py::arg("value"), "A constant (not an input).")
      .def_property_readonly("value", &TraceVar::value)
      .def("__repr__",
           [](const TraceVar& x) {
             return "Traced(" + py::repr(py::float_(x.value())).cast<std::string>() + ")";
           })
      .def("__float__", &refuse_float)
      .def("__int__", &refuse_float)
      .def("__index__", &refuse_float);
  bind_arithmetic(traced);
  bind_comparisons(traced);

  py::class_<Recording>(m, "Recording", "Records a Python function called on Traced inputs.")
      .def(py::init<const Eigen::VectorXd&>(), py::arg("x"))
      .def("enter", &Recording::enter, py::return_value_policy::copy)
      .def("exit", &Recording::exit)
      .def("finish", &Recording::finish, py::arg("outputs"));

  bind_program(m);
}

}  // namespace nabla::python
