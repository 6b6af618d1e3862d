// What every verb of the `nabla` program shares: the parsed command line
// (Options), the output format it asks for, the error that means "bad usage
// or input" (exit 2), and the Verb record that main.cpp registers with CLI11.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "nabla/core/errors.hpp"

namespace CLI {
class App;
}

namespace nabla::cli {

/// Exit codes (DESIGN.md): 0 success, 1 failure at run time, 2 bad usage or input.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// How results are printed.
enum class Format { Text, Latex, C, Json };

/// The options of one run, filled by CLI11.
struct Options {
  std::vector<std::string> expressions;  ///< positional arguments (empty: read stdin)
  std::vector<std::string> wrt;          ///< --wrt, repeatable or comma-separated
  std::vector<std::string> at;           ///< --at, repeatable or comma-separated
  int order = 1;                         ///< --order (diff)
  double tolerance = 1e-6;               ///< --tol (check)
  bool latex = false;
  bool c = false;
  bool json = false;

  Format format() const {
    if (json) return Format::Json;
    if (latex) return Format::Latex;
    if (c) return Format::C;
    return Format::Text;
  }
};

/// Bad usage or input that is not a ParseError (a missing --at value, an
/// invalid --wrt name, ...): exit 2 with the message on stderr.
class UsageError : public Error {
 public:
  using Error::Error;
};

/// Where a verb writes.
struct Streams {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
};

struct Point;

/// What a verb's run sees: the options, the --at point (parsed once), the streams.
struct Context {
  const Options& options;
  const Point& point;
  Streams streams;
};

/// A verb of the program: its name, one-line summary, help examples, the
/// options it adds beyond the common ones, and how it runs one input text.
struct Verb {
  std::string name;
  std::string summary;
  std::string examples;
  std::function<void(CLI::App&, Options&)> add_options;
  /// Handles one input (an expression, or a comma list for jacobian); throws
  /// ParseError / UsageError for bad input; returns an exit code.
  std::function<int(const std::string& input, const Context&)> run;
  /// Whether all positional arguments form one input (jacobian) rather than
  /// one input each.
  bool join_arguments = false;
};

Verb diff_verb();
Verb grad_verb();
Verb jacobian_verb();
Verb hessian_verb();
Verb eval_verb();
Verb simplify_verb();
Verb check_verb();

}  // namespace nabla::cli
