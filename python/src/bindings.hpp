// The parts of the _nabla extension module, one function per source file.
// Each binds a layer of the library as it is; the math stays in the library.
// An integer argument is py::arg(...).noconvert(): it takes an int or a
// NumPy integer, where pybind11 would otherwise take any object with
// __int__ (np.float32(2.7), Fraction(1, 2)) and silently truncate it.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <functional>
#include <string>
#include <utility>

namespace nabla::python {

namespace py = pybind11;

/// `callback` (or "go on" when it is empty) after a check for a pending
/// signal: a long compiled run (an optimizer's iterations, a model's epochs)
/// raises KeyboardInterrupt on Ctrl-C instead of running to its end.
template <class Report>
std::function<bool(const Report&)> interruptible(std::function<bool(const Report&)> callback) {
  return [callback = std::move(callback)](const Report& report) {
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    return callback ? callback(report) : true;
  };
}

/// Throws ValueError unless `state`, read back by a pickled `type`'s
/// __setstate__, has `size` entries.
inline void require_state(const py::tuple& state, std::size_t size, const char* type) {
  if (state.size() != size)
    throw py::value_error(std::string(type) + ": a pickled state has " + std::to_string(size) +
                          " entries, not " + std::to_string(state.size()));
}

/// nabla::Error and its kinds become Python exceptions (ParseError a
/// ValueError carrying position and caret).
void bind_errors(py::module_& m);
/// Traced scalars, recordings and the Program they make.
void bind_trace(py::module_& m);
/// The registry's functions on floats, traced scalars and expressions.
void bind_functions(py::module_& m);
/// Expressions: parse, symbols, diff, gradient, hessian, print, compile.
void bind_symbolic(py::module_& m);
/// Finite differences on Python callables.
void bind_numdiff(py::module_& m);
/// Optimizer options, results, and minimize over Programs or callables.
void bind_optimize(py::module_& m);
/// Critical points and the SVG pictures.
void bind_analysis(py::module_& m);
/// Models of nabla::nn trained on NumPy arrays.
void bind_nn(py::module_& m);

}  // namespace nabla::python
