// Native code from expressions: compile_native(e, vars) writes e (and its
// gradient, from sym::gradient's reverse accumulation) as a C translation
// unit, compiles it with the system C compiler into a shared object and loads
// it, so that the value runs at the speed of the formula written by hand (as
// CasADi's jit and SymPy's autowrap do). The C code has one `const double`
// temporary per node of the DAG (common subexpressions computed once), the
// inputs as x[0], x[1], ... in the order of vars, a sum of 8 terms or more
// added in four partial sums (so its last bits may differ from
// sym::evaluate's, which adds left to right), and the registry's
// functions that C's <math.h> lacks (sigmoid, relu, softplus, min, ...) as
// static inline helpers with the registry's values at kinks and outside
// domains (NaN, never a trap).
//
// Compiled objects are cached: the file name is a hash of the source, the
// compiler and its flags, in NativeOptions::cache_dir or else
// $XDG_CACHE_HOME/nabla, $HOME/.cache/nabla or a temporary directory. A new
// object is compiled under a unique name and renamed into place, so several
// threads and processes may compile the same expression at once.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nabla/core/errors.hpp"
#include "nabla/sym/expr.hpp"

namespace nabla::sym {

/// The C compiler could not be run or rejected the generated code; what()
/// says which, and diagnostics() holds the compiler's stderr.
class CompileError : public Error {
 public:
  CompileError(const std::string& message, std::string diagnostics);
  const std::string& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::string diagnostics_;
};

/// How compile_native builds its shared object.
struct NativeOptions {
  /// The compiler command (words separated by spaces, e.g. "ccache gcc");
  /// empty: $NABLA_CC, else "cc".
  std::string compiler;
  /// Code generation flags, before "-fPIC -shared". -ffp-contract=off keeps
  /// the values those of sym::evaluate on targets with fused multiply-add.
  std::string flags = "-O2 -ffp-contract=off";
  /// Where compiled objects are kept; empty: $XDG_CACHE_HOME/nabla, else
  /// $HOME/.cache/nabla, else <temp>/nabla-cache.
  std::string cache_dir;
  /// Also generate the gradient (sym::gradient of e, sharing e's nodes).
  bool gradient = true;
};

/// The generated C of e: `double nabla_value(const double* x)` and, with
/// `gradient`, `void nabla_gradient(const double* x, double* out)`. Throws
/// DomainError for a symbol of e that is not among vars.
std::string native_source(const Expr& e, const std::vector<Expr>& vars, bool gradient = true);

/// A scalar function of vars loaded from a shared object compiled from e.
/// Cheap to copy (copies share the loaded object, which stays loaded while
/// any copy lives); every method is const and safe from several threads. A
/// default-constructed one is empty: its checked methods throw DomainError.
class NativeFunction {
 public:
  /// Number of inputs (the size of vars).
  std::size_t inputs() const { return inputs_; }
  /// Whether the gradient was compiled (NativeOptions::gradient).
  bool has_gradient() const { return gradient_ != nullptr; }

  /// The value at x[0 .. inputs()), unchecked: the compiled function itself.
  double value(const double* x) const { return value_(x); }
  /// The value at x; throws DimensionError if x.size() != inputs().
  double value(const Eigen::VectorXd& x) const;
  double operator()(const Eigen::VectorXd& x) const { return value(x); }
  /// The gradient at x[0 .. inputs()) into out[0 .. inputs()), unchecked.
  void gradient(const double* x, double* out) const;
  /// The gradient at x; throws DimensionError for a wrong size and
  /// DomainError if the gradient was not compiled.
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const;
  /// The values at many points (column j of `points` is a point).
  Eigen::VectorXd values_batch(const Eigen::MatrixXd& points) const;

  /// The C source it was compiled from.
  const std::string& source() const { return source_; }
  /// The shared object it was loaded from.
  const std::string& library_path() const { return path_; }

 private:
  friend NativeFunction compile_native(const Expr&, const std::vector<Expr>&, const NativeOptions&);
  std::shared_ptr<void> handle_;  // dlclose'd with the last copy
  double (*value_)(const double*) = nullptr;
  void (*gradient_)(const double*, double*) = nullptr;
  std::size_t inputs_ = 0;
  std::string source_;
  std::string path_;
};

/// e compiled to native code with inputs vars (see the file comment). Throws
/// DomainError for a symbol not among vars, CompileError when the compiler
/// is missing or fails, IoError when the cache directory cannot be written.
NativeFunction compile_native(const Expr& e, const std::vector<Expr>& vars,
                              const NativeOptions& options = {});
NativeFunction compile_native(const Expr& e, const std::vector<std::string>& vars,
                              const NativeOptions& options = {});
NativeFunction compile_native(const Expr& e, std::initializer_list<std::string_view> vars,
                              const NativeOptions& options = {});

}  // namespace nabla::sym
