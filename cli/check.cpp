// `nabla check`: the gradient at a point four independent ways -- symbolic
// (sym::gradient, evaluated), forward mode (Dual sweeps of the compiled
// Program, one per variable), reverse mode (one reverse sweep of the
// Program) and numerical (Richardson-extrapolated central differences of the
// Program's value) -- and the Hessian three ways (symbolic, forward-over-
// reverse, central differences), with the worst relative difference.
// Exit 1 when it exceeds --tol. The relative difference of a and b is
// |a - b| / max(1, |a|, |b|) (absolute near zero); two NaNs agree. At a kink
// (kinks.hpp) the derivative does not exist: the note says which choice the
// AD modes made, and only forward and reverse mode must agree there. A
// numeric entry agrees also where its difference from the reference lies
// within the estimate's own error bound (numdiff's Estimate): at x = 1e8 the
// central difference of x^2 y in y is -14 +/- 93, which neither confirms nor
// refutes the exact 0: the note says so, and the worst relative difference
// counts only the entries outside their bounds. Nor does a numeric entry
// without an estimate (acos at 1: no difference quotient converges to
// -inf), with a note. With
// --wrt the derivatives are with respect to those variables only, the other
// symbols held at their --at values.
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "common.hpp"
#include "input.hpp"
#include "kinks.hpp"
#include "nabla/numdiff/multivariate.hpp"
#include "nabla/sym/diff.hpp"
#include "nabla/sym/evaluate.hpp"
#include "numbers.hpp"
#include "output.hpp"
#include "verb_util.hpp"

namespace nabla::cli {
namespace {

double relative_difference(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (std::isnan(a) || std::isnan(b)) return INFINITY;
  if (a == b) return 0.0;
  if (std::isinf(a) || std::isinf(b)) return INFINITY;  // not inf / inf
  return std::abs(a - b) / std::max({1.0, std::abs(a), std::abs(b)});
}

struct Methods {
  std::vector<std::string> names = {"symbolic", "forward", "reverse", "numeric"};
  std::vector<std::vector<double>> values;  ///< values[method][variable]
  std::vector<std::string> hessian_names = {"symbolic", "fwd-over-rev", "numeric"};
  std::vector<std::vector<double>> hessian;   ///< hessian[method][entry (i, j), i <= j, row by row]
  std::vector<double> numeric_error;          ///< the error bound of each numeric gradient entry
  std::vector<double> hessian_numeric_error;  ///< and of each numeric Hessian entry
};

constexpr std::size_t kNumeric = 3;         ///< the numeric column of Methods::values
constexpr std::size_t kHessianNumeric = 2;  ///< and of Methods::hessian

/// The entries (i, j), i <= j, of a symmetric n x n matrix, row by row.
std::vector<double> upper(const Eigen::MatrixXd& h) {
  std::vector<double> out;
  for (Eigen::Index i = 0; i < h.rows(); ++i)
    for (Eigen::Index j = i; j < h.cols(); ++j) out.push_back(h(i, j));
  return out;
}

Json json_numbers(const std::vector<double>& v) {
  Json a = Json::array();
  for (double d : v) a.push_back(json_number(d));
  return a;
}

std::string padded(const std::string& s, std::size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

std::string trimmed(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

/// The gradient of f with respect to vars at x (the values of `all`: the
/// symbols of f and vars; those not in vars are held fixed) by the four
/// methods, and its Hessian by three; an AD failure (a guard, a domain
/// error) is stored in `failure` and leaves its columns at zero. Where f is
/// undefined (`undefined`) so is every derivative, as grad, hessian and diff
/// print them (derivative_values_at): the symbolic ones even where their
/// formulas have values (log(x)' = 1/x at x = -1), and the AD modes' where
/// no NaN reached a lane (d2/dy2 of sqrt(x) y at x = -1, whose y lane
/// never meets sqrt(-1), is 0 in forward-over-reverse).
Methods compute(const sym::Expr& f, const std::vector<std::string>& vars, const std::vector<std::string>& all,
                const Eigen::VectorXd& x, bool undefined, const Context& ctx, std::string& failure) {
  const std::size_t n = vars.size();
  std::vector<Eigen::Index> slot;  // where vars[i] is in all
  for (const std::string& v : vars) slot.push_back(std::find(all.begin(), all.end(), v) - all.begin());
  // x with the entries of vars replaced by v
  const auto embed = [&](const Eigen::VectorXd& v) {
    Eigen::VectorXd full = x;
    for (std::size_t i = 0; i < n; ++i) full[slot[i]] = v[static_cast<Eigen::Index>(i)];
    return full;
  };
  Eigen::VectorXd x_vars(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) x_vars[static_cast<Eigen::Index>(i)] = x[slot[i]];

  Methods m;
  const sym::Bindings at = bindings(ctx.point, all);
  m.values.push_back(sym::evaluate(sym::gradient(f, vars), at));
  const sym::ExprMatrix h = sym::hessian(f, vars);
  Eigen::MatrixXd hs(x_vars.size(), x_vars.size());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      hs(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = sym::evaluate(h[i][j], at);
  m.hessian.push_back(upper(hs));
  m.hessian.resize(3, std::vector<double>(n * (n + 1) / 2, 0.0));
  std::vector<double> forward(n), reverse(n), numeric(n);
  m.numeric_error.assign(n, 0.0);
  m.hessian_numeric_error.assign(n * (n + 1) / 2, 0.0);
  try {
    const Program p = sym::compile(f, all);
    const auto value = [&](const Eigen::VectorXd& v) { return p.value(embed(v)); };
    for (std::size_t i = 0; i < n; ++i) {
      Eigen::VectorXd unit = Eigen::VectorXd::Zero(x.size());
      unit[slot[i]] = 1.0;
      forward[i] = p.jvp(x, unit)[0];
    }
    if (n > 0) {
      const Eigen::VectorXd g = p.gradient(x);
      const numdiff::VectorEstimate d = numdiff::gradient_estimate(value, x_vars);
      for (std::size_t i = 0; i < n; ++i) {
        reverse[i] = g[slot[i]];
        numeric[i] = d.value[static_cast<Eigen::Index>(i)];
        m.numeric_error[i] = d.error[static_cast<Eigen::Index>(i)];
      }
      const Eigen::MatrixXd full = p.hessian(x);
      m.hessian[1] = upper(Eigen::MatrixXd(full(slot, slot)));
      const numdiff::MatrixEstimate hn = numdiff::hessian_estimate(value, x_vars);
      m.hessian[kHessianNumeric] = upper(hn.value);
      m.hessian_numeric_error = upper(hn.error);
    }
  } catch (const Error& e) {
    failure = e.what();
  }
  m.values.push_back(forward);
  m.values.push_back(reverse);
  m.values.push_back(numeric);
  if (undefined) {
    for (auto* columns : {&m.values, &m.hessian})
      for (std::vector<double>& column : *columns) std::fill(column.begin(), column.end(), std::nan(""));
    std::fill(m.numeric_error.begin(), m.numeric_error.end(), std::nan(""));
    std::fill(m.hessian_numeric_error.begin(), m.hessian_numeric_error.end(), std::nan(""));
  }
  return m;
}

std::string short_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

/// The largest relative difference between column `reference` and each of
/// `compared`, and where it is ("numeric vs symbolic, d/dx"). An entry of
/// column `bounded` whose difference lies within its error bound (`bounds`)
/// does not count: it is listed in `within_bound` when it exceeds `tolerance`;
/// nor does one without an estimate (NaN, an infinite bound), listed there
/// too.
struct Worst {
  double value = 0.0;
  std::string where;
  std::vector<std::string> within_bound;
};
Worst worst_difference(const std::vector<std::vector<double>>& columns, const std::vector<std::string>& names,
                       const std::vector<std::string>& labels, std::size_t reference,
                       const std::vector<std::size_t>& compared, std::size_t bounded,
                       const std::vector<double>& bounds, double tolerance) {
  Worst w;
  for (std::size_t k : compared)
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const double a = columns[reference][i], b = columns[k][i];
      const double r = relative_difference(a, b);
      if (k == bounded && std::isnan(b) && std::isinf(bounds[i]) && !std::isnan(a)) {
        // no estimate is no evidence either way (acos'(1): no difference
        // quotient converges to an infinite slope)
        w.within_bound.push_back(names[k] + " " + labels[i] + " has no estimate (" +
                                 (std::isinf(a) ? "no difference quotient converges to an infinite slope"
                                                : "its difference quotients did not converge") +
                                 "); " + names[reference] + " gives " + short_number(a));
      } else if (k == bounded && std::abs(a - b) <= bounds[i]) {
        if (r > tolerance)
          w.within_bound.push_back(names[k] + " " + labels[i] + " differs from " + names[reference] + " by " +
                                   short_number(std::abs(a - b)) + ", within the estimate's error bound " +
                                   short_number(bounds[i]));
      } else if (r > w.value || (std::isnan(r) && !std::isnan(w.value))) {
        w.value = r;
        w.where = names[k] + " vs " + names[reference] + ", " + labels[i];
      }
    }
  return w;
}

std::vector<std::string> gradient_labels(const std::vector<std::string>& vars) {
  std::vector<std::string> labels;
  for (const std::string& v : vars) labels.push_back("d/d" + v);
  return labels;
}
std::vector<std::string> hessian_labels(const std::vector<std::string>& vars) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < vars.size(); ++i)
    for (std::size_t j = i; j < vars.size(); ++j)
      labels.push_back(i == j ? "d2/d" + vars[i] + "2" : "d2/d" + vars[i] + "d" + vars[j]);
  return labels;
}

void print_table(std::ostream& out, const std::vector<std::string>& names,
                 const std::vector<std::vector<double>>& columns, const std::vector<std::string>& labels) {
  std::size_t width = 8;
  for (const std::string& label : labels) width = std::max(width, label.size() + 2);
  std::string header = padded("", width);
  for (const std::string& name : names) header += padded(name, 24);
  out << trimmed(header) << "\n";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::string row = padded(labels[i], width);
    for (const auto& column : columns) row += padded(number(column[i]), 24);
    out << trimmed(row) << "\n";
  }
}

int run_check(const std::string& input, const Context& ctx) {
  const Options& o = ctx.options;
  const sym::Expr f = parse_one(input);
  const std::vector<std::string> vars = variables(o, {f});
  const std::vector<std::string> all = symbol_names({f}, vars);  // --wrt may leave some out
  // (a constant printed "f = 2 at : 2" and tables without a row)
  if (vars.empty())
    throw UsageError("check: '" + input + "' has no variable, so there is no derivative to check");
  if (!ctx.point.given()) throw UsageError("check needs a point: --at " + all.front() + "=...");
  std::string why;
  const double value = values_at({f}, ctx, why).front();
  const Eigen::VectorXd x = vector_at(ctx.point, all);

  std::string failure;
  const Methods m = compute(f, vars, all, x, std::isnan(value), ctx, failure);
  const std::vector<std::string> kinks = kinks_at(f, bindings(ctx.point, all));
  const auto g_labels = gradient_labels(vars), h_labels = hessian_labels(vars);
  // At a kink only the AD modes share a defined answer (the registry's choice).
  const Worst g = kinks.empty() ? worst_difference(m.values, m.names, g_labels, 0, {1, 2, kNumeric}, kNumeric,
                                                   m.numeric_error, o.tolerance)
                                : worst_difference(m.values, m.names, g_labels, 1, {2}, kNumeric,
                                                   m.numeric_error, o.tolerance);
  const Worst h = worst_difference(m.hessian, m.hessian_names, h_labels, 0, {1, kHessianNumeric},
                                   kHessianNumeric, m.hessian_numeric_error, o.tolerance);
  const bool agree = failure.empty() && g.value <= o.tolerance && (!kinks.empty() || h.value <= o.tolerance);

  if (o.format() == Format::Json) {
    Json j = {{"input", input},
              {"at", json_point(ctx.point)},
              {"wrt", vars},
              {"value", json_number(value)},
              {"agree", agree},
              {"tolerance", o.tolerance},
              {"worst_relative_difference", json_number(g.value)},
              {"hessian_worst_relative_difference", json_number(h.value)},
              {"kinks", kinks}};
    for (std::size_t k = 0; k < m.values.size(); ++k) j[m.names[k]] = json_numbers(m.values[k]);
    j["numeric_error"] = json_numbers(m.numeric_error);
    Json hj = Json::object();
    for (std::size_t k = 0; k < m.hessian.size(); ++k) hj[m.hessian_names[k]] = json_numbers(m.hessian[k]);
    hj["numeric_error"] = json_numbers(m.hessian_numeric_error);
    j["hessian_upper"] = hj;
    Json notes = Json::array();
    for (const std::string& note : g.within_bound) notes.push_back(note);
    if (kinks.empty())
      for (const std::string& note : h.within_bound) notes.push_back(note);
    j["numeric_within_error_bound"] = notes;
    if (!failure.empty()) j["error"] = failure;
    if (!why.empty()) j["nan"] = why;
    print_json(j, ctx);
    return agree ? kExitOk : kExitFailure;
  }
  std::ostream& out = ctx.streams.out;
  out << "f = " << input << " at " << describe(ctx.point, all) << ": " << number(value) << "\n";
  print_table(out, m.names, m.values, g_labels);
  print_table(out, m.hessian_names, m.hessian, h_labels);
  if (!failure.empty()) out << "AD failed: " << failure << "\n";
  if (std::isnan(value) && !why.empty()) out << "nan: " << why << ", and so are its derivatives\n";
  for (const std::string& k : kinks) out << "kink: " << k << "\n";
  out << "worst relative difference: gradient " << short_number(g.value)
      << (g.where.empty() ? "" : " (" + g.where + ")") << ", Hessian " << short_number(h.value)
      << (h.where.empty() ? "" : " (" + h.where + ")") << "\n";
  for (const std::string& note : g.within_bound) out << note << "\n";
  if (kinks.empty())  // (at a kink the Hessian is not compared)
    for (const std::string& note : h.within_bound) out << note << "\n";
  if (!kinks.empty())
    out << "at a kink the derivative does not exist: only forward and reverse mode, which both take the "
           "documented choice, are compared\n";
  out << (agree ? "agree" : "DISAGREE") << " (tolerance " << short_number(o.tolerance) << ")\n";
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
      "  nabla check \"abs(x) + relu(y)\" --at x=0,y=0      (a kink: the AD modes' choice)\n"
      "  nabla check \"softplus(x, 2)\" --at x=0.3 --json\n"
      "Compares the gradient (symbolic, forward, reverse, numeric) and the Hessian (symbolic,\n"
      "forward-over-reverse, numeric). Exit 1 when the worst relative difference\n"
      "|a-b|/max(1,|a|,|b|) exceeds --tol (a numeric entry within its own error bound\n"
      "agrees, and one without an estimate is noted);\n"
      "at a kink, when forward and reverse mode differ.";
  v.add_options = [](CLI::App& app, Options& o) {
    app.add_option("--tol", o.tolerance, "Largest relative difference that counts as agreement (1e-6)")
        ->check(positive_real());
  };
  v.run = run_check;
  v.takes_code = false;
  return v;
}

}  // namespace nabla::cli
