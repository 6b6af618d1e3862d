// nabla's exceptions as Python exceptions. ParseError derives from
// ValueError and carries `position` (0-based), `input` and `caret` (the input
// with a caret line under the position), which its message shows too; DimensionError and DomainError are
// ValueErrors too, IoError an OSError, any other nabla::Error a RuntimeError.
#include "nabla/core/errors.hpp"

#include <pybind11/pybind11.h>

#include <exception>
#include <string>

#include "bindings.hpp"

namespace nabla::python {

void bind_errors(py::module_& m) {
  static py::exception<ParseError> parse_error(m, "ParseError", PyExc_ValueError);
  static py::exception<DimensionError> dimension_error(m, "DimensionError", PyExc_ValueError);
  static py::exception<DomainError> domain_error(m, "DomainError", PyExc_ValueError);
  static py::exception<IoError> io_error(m, "IoError", PyExc_OSError);
  static py::exception<Error> error(m, "Error", PyExc_RuntimeError);

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ParseError& e) {
      // the message shows where, as the CLI does: a traceback prints str(e) only
      const std::string message = std::string(e.what()) + " (at position " + std::to_string(e.position()) +
                                  ")" + (e.input().empty() ? "" : "\n" + e.caret());
      py::object instance = py::handle(parse_error.ptr())(message);  // an instance, not yet raised
      instance.attr("position") = e.position();
      instance.attr("input") = e.input();
      instance.attr("caret") = e.caret();
      PyErr_SetObject(parse_error.ptr(), instance.ptr());
    } catch (const DimensionError& e) {
      dimension_error(e.what());
    } catch (const DomainError& e) {
      domain_error(e.what());
    } catch (const IoError& e) {
      io_error(e.what());
    } catch (const Error& e) {
      error(e.what());
    }
  });
}

}  // namespace nabla::python
