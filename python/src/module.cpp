// The _nabla extension module: the bindings of each layer, registered in
// dependency order (functions take the traced and symbolic types).
#include "bindings.hpp"

PYBIND11_MODULE(_nabla, m) {
  m.doc() = "nabla's C++ core; use the `nabla` package, which wraps it.";
  nabla::python::bind_errors(m);
  nabla::python::bind_trace(m);
  nabla::python::bind_symbolic(m);
  nabla::python::bind_functions(m);
  nabla::python::bind_numdiff(m);
  nabla::python::bind_optimize(m);
  nabla::python::bind_analysis(m);
  nabla::python::bind_nn(m);
}
