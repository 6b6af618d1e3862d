// The registry's functions as Python functions: each name takes a float
// (computed on the spot), a Traced (recorded) or an Expr (symbolic), so one
// function body written with nabla.exp, nabla.tanh, ... serves every mode.
// NumPy arrays are mapped element by element in nabla/_functions.py.
#include "nabla/core/functions.hpp"

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "nabla/ad/trace.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::python {
namespace {

using sym::Expr;

/// Registered first so that a float argument gets the float path.
template <class Op>
void def_unary(py::module_& m, const char* name, Expr (*symbolic)(const Expr&)) {
  m.def(
      name, [](double x) { return Op::value(x, 0.0); }, py::arg("x"));
  m.def(
      name, [](const TraceVar& x) { return detail::trace_unary<Op>(x, 0.0); }, py::arg("x"));
  m.def(name, symbolic, py::arg("x"));
}

template <class Op>
void def_binary(py::module_& m, const char* name, Expr (*symbolic)(const Expr&, const Expr&)) {
  m.def(
      name, [](double a, double b) { return Op::value(a, b); }, py::arg("a"), py::arg("b"));
  m.def(
      name, [](const TraceVar& a, const TraceVar& b) { return detail::trace_binary<Op>(a, b); }, py::arg("a"),
      py::arg("b"));
  m.def(
      name, [](const TraceVar& a, double b) { return detail::trace_binary<Op>(a, TraceVar(b)); },
      py::arg("a"), py::arg("b"));
  m.def(
      name, [](double a, const TraceVar& b) { return detail::trace_binary<Op>(TraceVar(a), b); },
      py::arg("a"), py::arg("b"));
  m.def(name, symbolic, py::arg("a"), py::arg("b"));
  m.def(
      name, [symbolic](const Expr& a, double b) { return symbolic(a, Expr(b)); }, py::arg("a"), py::arg("b"));
  m.def(
      name, [symbolic](double a, const Expr& b) { return symbolic(Expr(a), b); }, py::arg("a"), py::arg("b"));
}

/// A unary function with a passive parameter (softplus's temperature,
/// leaky_relu's slope).
template <class Op>
void def_with_parameter(py::module_& m, const char* name, const char* parameter, double default_value,
                        Expr (*symbolic)(const Expr&, double)) {
  m.def(
      name, [](double x, double p) { return Op::value(x, p); }, py::arg("x"),
      py::arg(parameter) = default_value);
  m.def(
      name, [](const TraceVar& x, double p) { return detail::trace_unary<Op>(x, p); }, py::arg("x"),
      py::arg(parameter) = default_value);
  m.def(name, symbolic, py::arg("x"), py::arg(parameter) = default_value);
}

}  // namespace

void bind_functions(py::module_& m) {
#define NABLA_PY_UNARY(fn, Op) def_unary<core::Op>(m, #fn, &sym::fn);
  NABLA_UNARY_FUNCTIONS(NABLA_PY_UNARY)
#undef NABLA_PY_UNARY
#define NABLA_PY_BINARY(fn, Op) def_binary<core::Op>(m, #fn, &sym::fn);
  NABLA_BINARY_FUNCTIONS(NABLA_PY_BINARY)
#undef NABLA_PY_BINARY
  def_with_parameter<core::Softplus>(m, "softplus", "temperature", 1.0, &sym::softplus);
  def_with_parameter<core::LeakyRelu>(m, "leaky_relu", "alpha", core::LeakyRelu::default_parameter,
                                      &sym::leaky_relu);
}

}  // namespace nabla::python
