// The `nabla` program: CLI11 parses the verb and its options, the --at point
// is read once, and each input (an argument, or a line of stdin) runs
// through the verb. Bad usage or input exits 2 with a caret message on
// stderr, a failed check (or output that cannot be written) 1, anything
// else 0. An argument that starts with '-' but is not an option ("-x^2") is
// an expression, not a flag.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "input.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/sym/parse.hpp"
#include "output.hpp"
#include "point.hpp"

namespace nabla::cli {
namespace {

std::vector<Verb> all_verbs() {
  return {diff_verb(),     grad_verb(),    jacobian_verb(), hessian_verb(),  eval_verb(),
          simplify_verb(), check_verb(),   minimize_verb(), critical_verb(), plot_verb(),
          train_verb(),    predict_verb(), evaluate_verb()};
}

/// The positional inputs (expressions, or files), --json, and those of
/// --wrt, --at, --latex and --c that the verb reads.
void add_common_options(CLI::App& sub, const Verb& verb, Options& o) {
  sub.add_option(verb.inputs_name, o.expressions, verb.inputs_help);
  if (verb.takes_wrt)
    sub.add_option("--wrt", o.wrt,
                   verb.name == std::string_view("diff")
                       ? "The variable to differentiate by (required when the input has several); repeat it "
                         "for a mixed partial"
                       : "Variables, repeatable or comma-separated (default: all, alphabetical)")
        ->delimiter(',')
        ->allow_extra_args(false);
  if (verb.takes_at)
    sub.add_option("--at", o.at, "A point, name=value[,name=value...]; evaluate the result there")
        ->allow_extra_args(false);
  CLI::Option* latex = verb.takes_code ? sub.add_flag("--latex", o.latex, "Print LaTeX") : nullptr;
  CLI::Option* c = verb.takes_code ? sub.add_flag("--c", o.c, "Print C functions") : nullptr;
  auto* json = sub.add_flag("--json", o.json, "Print one JSON object per expression");
  if (verb.takes_code) {
    latex->excludes(c)->excludes(json);
    c->excludes(json);
  }
}

/// Whether an argument starting with '-' is an expression rather than an option.
bool looks_like_expression(const std::string& arg) {
  return arg.size() >= 2 && arg[0] == '-' && arg[1] != '-' && arg != "-h" && arg != "-o";
}

/// Takes back the space run() put before such an argument, from the values
/// used as text (echoed, or looked up by name); the parsers of numbers,
/// points and boxes skip blanks anyway.
void unprotect(std::string& text) {
  if (text.rfind(" -", 0) == 0) text.erase(0, 1);
}

/// Flushes stdout; output that could not be written (a full disk, a closed
/// pipe) is a failure, not a success with the results lost.
int flush_output() {
  errno = 0;
  std::cout.flush();
  const bool failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout) != 0;
  if (!failed) return kExitOk;
  const int error = errno;
  std::cerr << "nabla: cannot write the output: " << (error != 0 ? std::strerror(error) : "write error")
            << "\n";
  return kExitFailure;
}

/// The names a point may give values to: the --wrt variables and the names
/// the inputs mention (read from the text, not the parsed expression, which
/// may have lost some: x*y/y is x), except those of called functions and
/// the constants e and pi.
std::vector<std::string> input_variables(const std::vector<Input>& inputs, const Options& options) {
  std::vector<std::string> names;
  for (const std::string& w : options.wrt) {
    const auto begin = w.find_first_not_of(" \t"), end = w.find_last_not_of(" \t");
    if (begin != std::string::npos) names.push_back(w.substr(begin, end - begin + 1));
  }
  const auto is_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  const auto is_inner = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (const Input& input : inputs) {
    const std::string& t = input.text;
    for (std::size_t i = 0; i < t.size();) {
      if (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.') {  // a number, with its exponent
        while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.')) ++i;
        if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
          ++i;
          if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
          while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
        }
      } else if (is_start(t[i])) {
        const std::size_t begin = i;
        while (i < t.size() && is_inner(t[i])) ++i;
        std::size_t next = i;
        while (next < t.size() && (t[next] == ' ' || t[next] == '\t')) ++next;
        const std::string name = t.substr(begin, i - begin);
        if ((next == t.size() || t[next] != '(') && name != "e" && name != "pi") names.push_back(name);
      } else {
        ++i;
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

/// Reads the --at point once, then runs the verb on each input; the exit
/// code is the worst of all inputs.
int run_inputs(const Verb& verb, const Options& options) {
  Point point;
  try {
    point = parse_point(options.at);
  } catch (const ParseError& e) {
    report(e, "", std::cerr);
    return kExitUsage;
  }
  const std::vector<Input> inputs = read_inputs(options.expressions, verb.join_arguments, std::cin);
  if (inputs.empty()) {
    std::cerr << "nabla: " << verb.name << ": no " << verb.input_noun
              << " (give one as an argument or on stdin)\n";
    return kExitUsage;
  }
  if (point.given()) {
    try {
      require_variables(point, input_variables(inputs, options));
    } catch (const UsageError& e) {
      // a name the input lacks may be a misspelt input ("sin(" has none):
      // its syntax error, with the caret, says more
      for (const Input& input : inputs) {
        try {
          (void)parse_list(input.text);
        } catch (const ParseError& p) {
          report(p, input.line > 0 ? "line " + std::to_string(input.line) : "", std::cerr);
          return kExitUsage;
        }
      }
      std::cerr << "nabla: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  if (const std::string why = verb.one_input(options); !why.empty() && inputs.size() > 1) {
    std::cerr << "nabla: " << verb.name << ": " << why << ", so it takes one " << verb.input_noun << ", got "
              << inputs.size() << " (run it once for each)\n";
    return kExitUsage;
  }
  int code = kExitOk;
  for (std::size_t k = 0; k < inputs.size(); ++k) {
    const Input& input = inputs[k];
    const Context ctx{options, point, Streams{std::cout, std::cerr, std::cin}, k, inputs.size()};
    const std::string where = input.line > 0 ? "line " + std::to_string(input.line) : "";
    const std::string prefix = "nabla: " + (where.empty() ? "" : where + ": ");
    try {
      code = std::max(code, verb.run(input.text, ctx));
    } catch (const ParseError& e) {
      report(e, where, std::cerr);
      code = kExitUsage;
    } catch (const UsageError& e) {
      std::cerr << prefix << e.what() << "\n";
      code = kExitUsage;
    } catch (const DomainError& e) {
      std::cerr << prefix << e.what() << "\n";
      code = kExitUsage;
    } catch (const WriteError& e) {  // an output file: a failure of the run, not bad input
      std::cerr << prefix << e.what() << "\n";
      code = std::max(code, kExitFailure);
    } catch (const IoError& e) {  // a missing, unreadable or foreign input file
      std::cerr << prefix << e.what() << "\n";
      code = kExitUsage;
    } catch (const DimensionError& e) {  // e.g. a model and a file of different widths
      std::cerr << prefix << e.what() << "\n";
      code = kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << prefix << "error: " << e.what() << "\n";
      code = std::max(code, kExitFailure);
    }
  }
  return std::max(code, flush_output());
}

int run(int argc, char** argv) {
  std::vector<Verb> verbs = all_verbs();
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string_view> names;
  for (const Verb& v : verbs) names.push_back(v.name);

  if (!args.empty() && args[0].rfind("-", 0) != 0 &&
      std::find(names.begin(), names.end(), args[0]) == names.end()) {
    std::string message = "unknown verb '" + args[0] + "'";
    const std::string_view guess = sym::closest_name(args[0], names);
    if (!guess.empty()) message += " \u2014 did you mean '" + std::string(guess) + "'?";
    std::cerr << "nabla: " << message << "\nRun 'nabla --help' for the verbs.\n";
    return kExitUsage;
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (looks_like_expression(args[i])) args[i] = " " + args[i];  // the parser skips the space
  }

  CLI::App app{"nabla: exact derivatives -- symbolic, automatic and numerical", "nabla"};
  app.set_version_flag("--version", "nabla 0.1.0");
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  nabla diff \"x^4 - 4*x^3 + 4*x^2\"\n"
      "  nabla grad \"x^2*y + exp(x*y)\" --at x=1,y=2\n"
      "  nabla check \"sin(x*y)\" --at x=1,y=2\n"
      "Run 'nabla <verb> --help' for a verb's options and examples.");
  Options options;
  std::vector<CLI::App*> subs;
  for (const Verb& v : verbs) {
    CLI::App* sub = app.add_subcommand(v.name, v.summary);
    sub->footer(v.examples);
    add_common_options(*sub, v, options);
    v.add_options(*sub, options);
    subs.push_back(sub);
  }
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "nabla: " << e.what() << "\nRun 'nabla --help' for usage.\n";
    return kExitUsage;
  }
  for (std::string& e : options.expressions) unprotect(e);
  unprotect(options.target);
  std::size_t k = 0;
  while (k < subs.size() && !subs[k]->parsed()) ++k;
  return run_inputs(verbs[k], options);
}

}  // namespace
}  // namespace nabla::cli

int main(int argc, char** argv) {
  // a closed pipe (nabla grad ... | head -c 1) makes writes fail, which
  // flush_output reports with exit code 1, instead of killing the process
  (void)std::signal(SIGPIPE, SIG_IGN);
  return nabla::cli::run(argc, argv);
}
