// Expressions for Python: nabla.parse, symbols with operator overloading,
// diff / gradient / jacobian / hessian, simplify, evaluate, the printers
// (str, LaTeX for Jupyter's _repr_latex_, C) and compile to a Program.
// Python ints stay exact (x/3 is x times the rational 1/3); floats are reals.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/sym.hpp"

namespace nabla::python {
namespace {

using sym::Expr;

void bind_expr_arithmetic(py::class_<Expr>& expr) {
  using E = const Expr&;
  using I = long long;
  // An integer stays exact; only an int (or a NumPy integer) is one. Without
  // noconvert, pybind11 would take np.float32(0.5) or Fraction(1, 2) for an
  // integer through __int__ (as 0) before trying the double overload.
  const py::arg integer = py::arg("other").noconvert();
  expr.def(
          "__add__", [](E a, E b) { return a + b; }, py::is_operator())
      .def(
          "__add__", [](E a, I b) { return a + Expr(b); }, py::is_operator(), integer)
      .def(
          "__add__", [](E a, double b) { return a + Expr(b); }, py::is_operator())
      .def(
          "__radd__", [](E a, I b) { return Expr(b) + a; }, py::is_operator(), integer)
      .def(
          "__radd__", [](E a, double b) { return Expr(b) + a; }, py::is_operator())
      .def(
          "__sub__", [](E a, E b) { return a - b; }, py::is_operator())
      .def(
          "__sub__", [](E a, I b) { return a - Expr(b); }, py::is_operator(), integer)
      .def(
          "__sub__", [](E a, double b) { return a - Expr(b); }, py::is_operator())
      .def(
          "__rsub__", [](E a, I b) { return Expr(b) - a; }, py::is_operator(), integer)
      .def(
          "__rsub__", [](E a, double b) { return Expr(b) - a; }, py::is_operator())
      .def(
          "__mul__", [](E a, E b) { return a * b; }, py::is_operator())
      .def(
          "__mul__", [](E a, I b) { return a * Expr(b); }, py::is_operator(), integer)
      .def(
          "__mul__", [](E a, double b) { return a * Expr(b); }, py::is_operator())
      .def(
          "__rmul__", [](E a, I b) { return Expr(b) * a; }, py::is_operator(), integer)
      .def(
          "__rmul__", [](E a, double b) { return Expr(b) * a; }, py::is_operator())
      .def(
          "__truediv__", [](E a, E b) { return a / b; }, py::is_operator())
      .def(
          "__truediv__", [](E a, I b) { return a / Expr(b); }, py::is_operator(), integer)
      .def(
          "__truediv__", [](E a, double b) { return a / Expr(b); }, py::is_operator())
      .def(
          "__rtruediv__", [](E a, I b) { return Expr(b) / a; }, py::is_operator(), integer)
      .def(
          "__rtruediv__", [](E a, double b) { return Expr(b) / a; }, py::is_operator())
      .def(
          "__pow__", [](E a, E b) { return pow(a, b); }, py::is_operator())
      .def(
          "__pow__", [](E a, I b) { return pow(a, Expr(b)); }, py::is_operator(), integer)
      .def(
          "__pow__", [](E a, double b) { return pow(a, Expr(b)); }, py::is_operator())
      .def(
          "__rpow__", [](E a, I b) { return pow(Expr(b), a); }, py::is_operator(), integer)
      .def(
          "__rpow__", [](E a, double b) { return pow(Expr(b), a); }, py::is_operator())
      .def("__neg__", [](E a) { return -a; })
      .def("__pos__", [](E a) { return a; })
      .def("__abs__", [](E a) { return sym::abs(a); });
}

/// str and repr, which never raise (a REPL or a debugger calls them): an
/// infinity prints as inf, and an expression too deep for the printer says so.
std::string display(const Expr& e) {
  try {
    return sym::to_display_string(e);
  } catch (const DomainError&) {
    return "<nabla.Expr too deeply nested to print, " + std::to_string(sym::dag_size(e)) + " nodes>";
  }
}

void bind_expr(py::module_& m) {
  py::class_<Expr> expr(m, "Expr", "An immutable symbolic expression (equal expressions are one node).");
  expr.def(py::init<long long>(), py::arg("value").noconvert())
      .def(py::init<double>(), py::arg("value"))
      .def("__str__", &display)
      .def("__repr__", &display)
      .def("_repr_latex_", [](const Expr& e) { return "$" + sym::to_latex(e) + "$"; })
      .def("latex", [](const Expr& e) { return sym::to_latex(e); })
      .def("to_c", [](const Expr& e) { return sym::to_c(e); })
      .def(
          "__eq__", [](const Expr& a, const Expr& b) { return a == b; }, py::is_operator())
      .def(
          "__ne__", [](const Expr& a, const Expr& b) { return a != b; }, py::is_operator())
      .def("__hash__", &Expr::hash)
      .def("__float__",
           [](const Expr& e) {
             if (!e.is_number() && e.kind() != sym::Kind::Constant)
               throw py::type_error("only a numeric expression converts to float: '" + sym::to_string(e) +
                                    "' has symbols; use nabla.evaluate");
             return e.to_double();
           })
      .def_property_readonly("is_number", &Expr::is_number)
      .def_property_readonly("free_symbols", [](const Expr& e) { return sym::free_symbols(e); })
      .def_property_readonly("dag_size", [](const Expr& e) { return sym::dag_size(e); });
  bind_expr_arithmetic(expr);
}

std::vector<Expr> as_symbols(const std::vector<std::string>& names) { return sym::to_symbols(names); }

void bind_calculus(py::module_& m) {
  m.def(
      "diff",
      [](const Expr& e, const std::string& x, int n) {
        return sym::diff(e, sym::symbol(x), n, sym::kMostDerivativeNodes);
      },
      py::arg("e"), py::arg("x"), py::arg("n").noconvert() = 1);
  m.def(
      "diff",
      [](const Expr& e, const Expr& x, int n) { return sym::diff(e, x, n, sym::kMostDerivativeNodes); },
      py::arg("e"), py::arg("x"), py::arg("n").noconvert() = 1);
  m.def(
      "diff_mixed",
      [](const Expr& e, const std::vector<std::string>& xs) { return sym::diff(e, as_symbols(xs)); },
      py::arg("e"), py::arg("xs"));
  m.def(
      "gradient", [](const Expr& e, const std::vector<std::string>& vars) { return sym::gradient(e, vars); },
      py::arg("e"), py::arg("vars"));
  m.def(
      "jacobian",
      [](const std::vector<Expr>& es, const std::vector<std::string>& vars) {
        return sym::jacobian(es, vars);
      },
      py::arg("es"), py::arg("vars"));
  m.def(
      "hessian", [](const Expr& e, const std::vector<std::string>& vars) { return sym::hessian(e, vars); },
      py::arg("e"), py::arg("vars"));
  m.def("simplify", &sym::simplify, py::arg("e"));
}

}  // namespace

void bind_symbolic(py::module_& m) {
  bind_expr(m);
  m.def(
      "parse", [](const std::string& text) { return sym::parse(text); }, py::arg("text"));
  m.def(
      "symbol", [](const std::string& name) { return sym::symbol(name); }, py::arg("name"));
  m.def(
      "symbols", [](const std::string& names) { return sym::symbols(names); }, py::arg("names"));
  m.def("rational", &sym::rational, py::arg("numerator").noconvert(), py::arg("denominator").noconvert());
  m.attr("pi") = sym::pi();
  m.attr("e") = sym::e();
  bind_calculus(m);
  m.def(
      "evaluate", [](const Expr& e, const sym::Bindings& at) { return sym::evaluate(e, at); }, py::arg("e"),
      py::arg("at"));
  m.def("to_string", &sym::to_string, py::arg("e"));
  m.def("to_latex", &sym::to_latex, py::arg("e"));
  m.def(
      "to_c",
      [](const Expr& e, const std::vector<std::string>& parameters) { return sym::to_c(e, parameters); },
      py::arg("e"), py::arg("parameters") = std::vector<std::string>{});
  m.def(
      "compile", [](const Expr& e, const std::vector<std::string>& vars) { return sym::compile(e, vars); },
      py::arg("e"), py::arg("vars"));
  m.def(
      "compile",
      [](const std::vector<Expr>& es, const std::vector<std::string>& vars) {
        return sym::compile(es, vars);
      },
      py::arg("es"), py::arg("vars"));
}

}  // namespace nabla::python
