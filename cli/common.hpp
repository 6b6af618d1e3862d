// What every verb of the `nabla` program shares: the parsed command line
// (Options), the output format it asks for, the error that means "bad usage
// or input" (exit 2), and the Verb record that main.cpp registers with CLI11.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <limits>
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
  int starts = 400;                      ///< --starts (critical)
  double tolerance = 1e-6;               ///< --tol (check)
  // minimize, critical, plot
  std::string from;                                                 ///< --from: the starting point
  std::string methods = "lbfgs";                                    ///< --method: one method or a comma list
  double learning_rate = std::numeric_limits<double>::quiet_NaN();  ///< --lr (NaN: the optimizer's default)
  long max_iterations = 1000;                                       ///< --max-iter
  std::string bounds;                                               ///< --bounds lo:hi,... (minimize)
  std::string box;                                                  ///< --box lo:hi,... (critical, plot)
  std::string trace_path;                                           ///< --trace FILE.csv
  std::string plot_path;                                            ///< --plot FILE.svg (minimize)
  std::string output_path;                                          ///< -o FILE.svg (plot)
  bool arrows = false;                                              ///< --gradient (plot)
  bool critical = false;                                            ///< --critical (plot)
  std::string paths;                                                ///< --paths gd,adam,... (plot)
  // train, predict, evaluate
  std::string model = "mlp:64";    ///< --model linear|logistic|mlp:WIDTHS
  std::string activation;          ///< --activation (empty: relu; only for an mlp's hidden layers)
  std::string loss;                ///< --loss (empty: by model and data)
  std::string optimizer = "adam";  ///< --optimizer
  long batch_size = 0;             ///< --batch-size (0: not given, 32; only for per-batch optimizers)
  long epochs = 50;                ///< --epochs
  std::uint64_t seed = 0;          ///< --seed
  int threads = 1;                 ///< --threads
  double weight_decay = 0;         ///< --weight-decay
  double clip_norm = 0;            ///< --clip-norm (0: off; only for per-batch optimizers)
  double validation_fraction = 0;  ///< --validation
  int patience = 0;                ///< --patience
  double test_fraction = 0.25;     ///< --test-fraction
  std::string target;              ///< --target
  std::string header = "auto";     ///< --header: auto, yes or no
  std::string save_path;           ///< --save
  bool verbose = false;            ///< --verbose: every epoch
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
  std::size_t input = 0;   ///< which input this run handles
  std::size_t inputs = 1;  ///< of how many
  /// `stem` with the input's number when there are several (f1, f2, ...),
  /// so that the C functions of several inputs have different names.
  std::string numbered(const std::string& stem) const {
    return inputs > 1 ? stem + std::to_string(input + 1) : stem;
  }
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
  /// Why the verb takes a single input with these options (its output is
  /// one document or file, which several inputs would concatenate or
  /// overwrite), or empty when it takes any number.
  std::function<std::string(const Options&)> one_input = [](const Options&) { return std::string(); };
  /// Which common options the verb reads (one it ignores is not offered, so
  /// giving it is an error rather than silently without effect).
  bool takes_wrt = true;   ///< --wrt
  bool takes_at = true;    ///< --at
  bool takes_code = true;  ///< --latex, --c
  /// What the positional arguments are: their name and help in --help, and
  /// the noun of the message when there are none.
  std::string inputs_name = "expressions";
  std::string inputs_help = "Expressions (default: one per line of stdin)";
  std::string input_noun = "expression";
};

Verb diff_verb();
Verb grad_verb();
Verb jacobian_verb();
Verb hessian_verb();
Verb eval_verb();
Verb simplify_verb();
Verb check_verb();
Verb minimize_verb();
Verb critical_verb();
Verb plot_verb();
Verb train_verb();
Verb predict_verb();
Verb evaluate_verb();

}  // namespace nabla::cli
