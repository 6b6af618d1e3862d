// `nabla check`: the gradient at a point four independent ways -- symbolic
// (sym::gradient, evaluated), forward mode (Dual sweeps of the compiled
// Program, one per variable), reverse mode (one reverse sweep of the
// Program) and numerical (Richardson-extrapolated central differences of the
// Program's value) -- with the worst relative difference between them.
// Exit 1 when it exceeds --tol. The relative difference of a and b is
// |a - b| / max(1, |a|, |b|) (absolute near zero); two NaNs agree.
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "nabla/numdiff/multivariate.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/evaluate.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

double relative_difference(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (std::isnan(a) || std::isnan(b)) return INFINITY;
  if (a == b) return 0.0;
  return std::abs(a - b) / std::max({1.0, std::abs(a), std::abs(b)});
}

struct Methods {
  std::vector<std::string> names = {"symbolic", "forward", "reverse", "numeric"};
  std::vector<std::vector<double>> values;  ///< values[method][variable]
};

std::string padded(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

/// The gradient of f at x by the four methods; an AD failure (a guard, a
/// domain error) is stored in `failure` and leaves its columns at zero.
Methods compute(const sym::Expr& f, const std::vector<std::string>& vars, const Eigen::VectorXd& x,
                const Context& ctx, std::string& failure) {
  const auto n = static_cast<std::size_t>(x.size());
  Methods m;
  m.values.push_back(sym::evaluate(sym::gradient(f, vars), bindings(ctx.point, vars)));
  std::vector<double> forward(n), reverse(n), numeric(n);
  try {
    const Program p = sym::compile(f, vars);
    for (std::size_t i = 0; i < n; ++i) {
      Eigen::VectorXd unit = Eigen::VectorXd::Zero(x.size());
      unit[static_cast<Eigen::Index>(i)] = 1.0;
      forward[i] = p.jvp(x, unit)[0];
    }
    if (n > 0) {
      const Eigen::VectorXd g = p.gradient(x);
      const Eigen::VectorXd d = numdiff::gradient([&](const Eigen::VectorXd& v) { return p.value(v); }, x);
      for (std::size_t i = 0; i < n; ++i) {
        reverse[i] = g[static_cast<Eigen::Index>(i)];
        numeric[i] = d[static_cast<Eigen::Index>(i)];
      }
    }
  } catch (const Error& e) {
    failure = e.what();
  }
  m.values.push_back(forward);
  m.values.push_back(reverse);
  m.values.push_back(numeric);

  return m;
}

int run_check(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f});
  if (!ctx.point.given() && !vars.empty())
    throw UsageError("check needs a point: --at " + vars.front() + "=...");
  std::string why;
  const double value = values_at({f}, ctx, why).front();
  const Eigen::VectorXd x = vector_at(ctx.point, vars);
  const auto n = static_cast<std::size_t>(x.size());

  std::string failure;
  const Methods m = compute(f, vars, x, ctx, failure);
  double worst = 0.0;
  std::string worst_at;
  for (std::size_t k = 1; k < m.values.size(); ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      const double r = relative_difference(m.values[0][i], m.values[k][i]);
      if (r > worst || (std::isnan(r) && !std::isnan(worst))) {
        worst = r;
        worst_at = m.names[k] + " vs symbolic, d/d" + vars[i];
      }
    }
  }
  const bool agree = failure.empty() && worst <= o.tolerance;

  if (o.format() == Format::Json) {
    Json j = {{"input", input},
              {"at", json_point(ctx.point)},
              {"wrt", vars},
              {"value", json_number(value)},
              {"agree", agree},
              {"tolerance", o.tolerance},
              {"worst_relative_difference", json_number(worst)}};
    for (std::size_t k = 0; k < m.values.size(); ++k) {
      Json a = Json::array();
      for (double d : m.values[k]) a.push_back(json_number(d));
      j[m.names[k]] = a;
    }
    if (!failure.empty()) j["error"] = failure;
    if (!why.empty()) j["nan"] = why;
    print_json(j, ctx);
    return agree ? kExitOk : kExitFailure;
  }
  std::ostream& out = ctx.streams.out;
  out << "f = " << input << " at " << describe(ctx.point, vars) << ": " << number(value) << "\n";
  std::size_t width = 8;
  for (const std::string& var : vars) width = std::max(width, var.size() + 4);
  std::string header = padded("", width);
  for (const std::string& name : m.names) header += padded(name, 24);
  out << trimmed(header) << "\n";
  for (std::size_t i = 0; i < n; ++i) {
    std::string row = padded("d/d" + vars[i], width);
    for (const auto& v : m.values) row += padded(number(v[i]), 24);
    out << trimmed(row) << "\n";
  }
  if (!failure.empty()) out << "AD failed: " << failure << "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", worst);
  out << "worst relative difference: " << buf << (worst_at.empty() ? "" : " (" + worst_at + ")") << "\n";
  std::snprintf(buf, sizeof buf, "%g", o.tolerance);
  out << (agree ? "agree" : "DISAGREE") << " (tolerance " << buf << ")\n";
  return agree ? kExitOk : kExitFailure;
}

}  // namespace

Verb check_verb() {
  Verb v;
  v.name = "check";
  v.summary = "Compare symbolic, forward, reverse and numerical derivatives at a point";
  v.examples =
      "Examples:\n"
      "  nabla check \"sin(x*y) + x^2\" --at x=1,y=2\n"
      "  nabla check \"abs(x)\" --at x=0\n"
      "  nabla check \"softplus(x, 2)\" --at x=0.3 --json\n"
      "Exit 1 when the worst relative difference |a-b|/max(1,|a|,|b|) exceeds --tol.";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--tol", o.tolerance, "Largest relative difference that counts as agreement (1e-6)");
  };
  v.run = run_check;
  return v;
}

}  // namespace nabla::cli
