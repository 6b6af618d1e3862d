// `nabla eval`: the value of an expression at the --at point ("nan" with
// the reason on stderr outside a function's domain).
#include <CLI/CLI.hpp>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

int run_eval(const std::string& input, const Context& ctx) {
  const sym::Expr f = parse_one(input);
  std::string why;
  const double value = values_at({f}, ctx, why).front();
  if (ctx.options.format() == Format::Json) {
    Json j = {{"input", input}, {"at", json_point(ctx.point)}, {"value", json_number(value)}};
    if (!why.empty()) j["nan"] = why;
    print_json(j, ctx);
    return kExitOk;
  }
  ctx.streams.out << number(value) << "\n";
  return kExitOk;
}

}  // namespace

Verb eval_verb() {
  Verb v;
  v.name = "eval";
  v.summary = "Evaluate an expression at a point";
  v.examples =
      "Examples:\n"
      "  nabla eval \"x^2 + y\" --at x=3,y=1        10\n"
      "  nabla eval \"sin(x)\" --at x=pi/6          0.49999999999999994\n"
      "  nabla eval \"log(x)\" --at x=-1            nan (and why, on stderr)\n"
      "  nabla eval \"2^10\"                        1024";
  v.add_options = [](CLI::App&, Options&) {};
  v.run = run_eval;
  v.takes_wrt = v.takes_code = false;
  return v;
}

}  // namespace nabla::cli
