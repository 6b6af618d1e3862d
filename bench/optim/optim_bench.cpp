// The optimizer benchmark (see README.md). One program, five modes:
//   optim_bench mgh        per MGH problem: final f, evaluations and iterations
//                          of nabla's BFGS and L-BFGS and of liblbfgs, and the
//                          trace "evaluations:f;..." of the accepted iterates
//                          (the start included), as CSV;
//   optim_bench bounded    nabla's L-BFGS-B on MGH problems in boxes that cut
//                          off their minimizers (the cases of
//                          tests/optim/lbfgsb_test.cpp), as CSV with the
//                          start and the bounds, for scipy_bounded.py;
//   optim_bench starts     prints "name x0..." per MGH problem;
//   optim_bench serve      answers "name x1 x2 ..." lines on stdin with
//                          "f g1 g2 ..." (the same problem code for SciPy,
//                          driven by scipy_mgh.py);
//   optim_bench overhead [n] [iterations]
//                          time per L-BFGS iteration outside the evaluations,
//                          nabla against liblbfgs, on the extended Rosenbrock
//                          function with a hand-written gradient.
// All runs use memory m = 10 (SciPy's default) and default tolerances
// otherwise; liblbfgs gets epsilon = 1e-8 like nabla's gradient tolerance
// (its test is relative: |g| < epsilon max(1, |x|)).
#include <lbfgs.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "nabla/optim/minimize.hpp"
#include "nabla/optim/problems.hpp"

namespace {

using nabla::optim::Method;
using nabla::optim::Options;
namespace problems = nabla::optim::problems;
using Clock = std::chrono::steady_clock;

struct Counted {
  const problems::Problem* problem;
  long evaluations = 0;
};

/// The accepted iterates of a run as "evaluations:f;...": evaluations spent
/// when the iterate was accepted, and its f.
struct Trace {
  std::string text;
  void add(long evaluations, double f) {
    char cell[64];
    std::snprintf(cell, sizeof cell, "%s%ld:%.17g", text.empty() ? "" : ";", evaluations, f);
    text += cell;
  }
};

/// A problem that counts its evaluations (for the trace of nabla's runs).
struct CountingProblem {
  const problems::Problem& problem;
  long evaluations = 0;
  double value(const Eigen::VectorXd& x) { return ++evaluations, problem.value(x); }
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) { return ++evaluations, problem.gradient(x); }
  nabla::ValueAndGradient value_and_gradient(const Eigen::VectorXd& x) {
    return ++evaluations, problem.value_and_gradient(x);
  }
};

lbfgsfloatval_t evaluate_problem(void* instance, const lbfgsfloatval_t* x, lbfgsfloatval_t* g, int n,
                                 lbfgsfloatval_t) {
  auto* c = static_cast<Counted*>(instance);
  ++c->evaluations;
  const Eigen::Map<const Eigen::VectorXd> xv(x, n);
  const auto vg = c->problem->value_and_gradient(xv);
  Eigen::Map<Eigen::VectorXd>(g, n) = vg.gradient;
  return vg.value;
}

int run_mgh() {
  std::printf("problem,n,f_star,tool,f,evaluations,iterations,status,trace\n");
  for (const problems::Problem& p : problems::mgh()) {
    for (Method m : {Method::BFGS, Method::LBFGS}) {
      CountingProblem counting{p};
      Trace trace;
      Options o;
      o.method = m;
      o.max_iterations = 15000;
      o.callback = [&](const nabla::optim::Iterate& it) {
        trace.add(counting.evaluations, it.f);
        return true;
      };
      const auto r = nabla::optim::minimize(counting, p.x0, o);
      std::printf("%s,%ld,%.6g,nabla_%s,%.10g,%ld,%ld,%s,%s\n", p.name.c_str(), static_cast<long>(p.size()),
                  p.f_star, std::string(name(m)).c_str(), r.f, r.function_evaluations, r.iterations,
                  std::string(name(r.stop_reason)).c_str(), trace.text.c_str());
    }
    {
      // L-BFGS stopped by SciPy's L-BFGS-B rules instead of nabla's: a
      // relative decrease (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= factr eps
      // = 2.22e-9, or a gradient of norm <= 1e-5 (SciPy's pgtol, on the
      // largest entry; the norm used here is never smaller).
      CountingProblem counting{p};
      Trace trace;
      Options o;
      o.method = Method::LBFGS;
      o.max_iterations = 15000;
      double f_prev = 0;
      o.callback = [&](const nabla::optim::Iterate& it) {
        trace.add(counting.evaluations, it.f);
        const bool stalled =
            it.iteration > 0 &&
            (f_prev - it.f) <= 2.220446049250313e-9 * std::max({std::abs(f_prev), std::abs(it.f), 1.0});
        f_prev = it.f;
        return !(stalled || it.gradient_norm <= 1e-5);
      };
      const auto r = nabla::optim::minimize(counting, p.x0, o);
      std::printf("%s,%ld,%.6g,nabla_lbfgs_scipy_stop,%.10g,%ld,%ld,%s,%s\n", p.name.c_str(),
                  static_cast<long>(p.size()), p.f_star, r.f, r.function_evaluations, r.iterations,
                  std::string(name(r.stop_reason)).c_str(), trace.text.c_str());
    }
    const int n = static_cast<int>(p.size());
    lbfgsfloatval_t* x = lbfgs_malloc(n);
    for (int i = 0; i < n; ++i) x[i] = p.x0[i];
    lbfgs_parameter_t param;
    lbfgs_parameter_init(&param);
    param.m = 10;
    param.epsilon = 1e-8;
    param.max_iterations = 15000;
    struct Box {
      Counted counted;
      int iterations;
      Trace trace;
    } box{{&p}, 0, {}};
    lbfgsfloatval_t f = 0;
    box.trace.add(1, p.value(p.x0));  // liblbfgs' first evaluation is at x0
    const int status = lbfgs(
        n, x, &f,
        [](void* b, const lbfgsfloatval_t* xx, lbfgsfloatval_t* g, int nn, lbfgsfloatval_t step) {
          return evaluate_problem(&static_cast<Box*>(b)->counted, xx, g, nn, step);
        },
        [](void* b, const lbfgsfloatval_t*, const lbfgsfloatval_t*, const lbfgsfloatval_t fx,
           const lbfgsfloatval_t, const lbfgsfloatval_t, const lbfgsfloatval_t, int, int k, int) {
          auto* self = static_cast<Box*>(b);
          self->iterations = k;
          self->trace.add(self->counted.evaluations, fx);
          return 0;
        },
        &box, &param);
    std::printf("%s,%d,%.6g,liblbfgs,%.10g,%ld,%d,%d,%s\n", p.name.c_str(), n, p.f_star, f,
                box.counted.evaluations, box.iterations, status, box.trace.text.c_str());
    lbfgs_free(x);
  }
  return 0;
}

/// The largest entry of the projected gradient P(x - g) - x.
double projected_gradient_max(const Eigen::VectorXd& x, const Eigen::VectorXd& g,
                              const Eigen::VectorXd& lower, const Eigen::VectorXd& upper) {
  return ((x - g).cwiseMax(lower).cwiseMin(upper) - x).lpNorm<Eigen::Infinity>();
}

int run_bounded() {
  struct Case {
    const char* problem;
    double lower, upper;
  };
  const double inf = std::numeric_limits<double>::infinity();
  std::printf("problem,n,lower,upper,f,evaluations,iterations,status,projected_gradient,x0\n");
  for (const Case& c : {Case{"rosenbrock", -2, 0.5}, Case{"extended_rosenbrock", -inf, 0.5},
                        Case{"extended_powell_singular", 0.1, 10}, Case{"wood", -0.5, 0.9},
                        Case{"trigonometric", 0.05, 0.5}, Case{"broyden_tridiagonal", -0.5, -0.1},
                        Case{"penalty1", 0.3, 2}, Case{"chebyquad", 0.1, 0.45}, Case{"watson", -0.2, 0.8}}) {
    const problems::Problem& p = problems::find(c.problem);
    Options o;
    o.method = Method::LBFGS;
    o.max_iterations = 15000;
    o.lower = Eigen::VectorXd::Constant(p.size(), c.lower);
    o.upper = Eigen::VectorXd::Constant(p.size(), c.upper);
    const auto r = nabla::optim::minimize(p, p.x0, o);
    std::string x0;
    for (Eigen::Index i = 0; i < p.size(); ++i) {
      char cell[32];
      std::snprintf(cell, sizeof cell, "%s%.17g", i ? " " : "", p.x0[i]);
      x0 += cell;
    }
    std::printf("%s,%ld,%g,%g,%.10g,%ld,%ld,%s,%.3g,%s\n", c.problem, static_cast<long>(p.size()), c.lower,
                c.upper, r.f, r.function_evaluations, r.iterations, std::string(name(r.stop_reason)).c_str(),
                projected_gradient_max(r.x, p.gradient(r.x), o.lower, o.upper), x0.c_str());
  }
  return 0;
}

int serve() {
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string problem;
    in >> problem;
    const problems::Problem& p = problems::find(problem);
    Eigen::VectorXd x(p.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) in >> x[i];
    const auto vg = p.value_and_gradient(x);
    std::cout.precision(17);
    std::cout << vg.value;
    for (Eigen::Index i = 0; i < x.size(); ++i) std::cout << ' ' << vg.gradient[i];
    std::cout << std::endl;
  }
  return 0;
}

/// Extended Rosenbrock with a hand-written gradient; counts evaluations and the time inside them.
struct Rosenbrock {
  long evaluations = 0;
  double seconds = 0;
  double evaluate(const double* x, double* g, Eigen::Index n) {
    const auto start = Clock::now();
    ++evaluations;
    double f = 0;
    for (Eigen::Index i = 0; i + 1 < n; i += 2) {
      const double t1 = 1 - x[i], t2 = 10 * (x[i + 1] - x[i] * x[i]);
      g[i + 1] = 20 * t2;
      g[i] = -2 * (x[i] * g[i + 1] + t1);
      f += t1 * t1 + t2 * t2;
    }
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    return f;
  }
  double value(const Eigen::VectorXd& x) {
    Eigen::VectorXd g(x.size());
    return evaluate(x.data(), g.data(), x.size());
  }
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) {
    Eigen::VectorXd g(x.size());
    evaluate(x.data(), g.data(), x.size());
    return g;
  }
  nabla::ValueAndGradient value_and_gradient(const Eigen::VectorXd& x) {
    Eigen::VectorXd g(x.size());
    const double f = evaluate(x.data(), g.data(), x.size());
    return {f, std::move(g)};
  }
};

Eigen::VectorXd rosenbrock_start(Eigen::Index n) {
  Eigen::VectorXd x(n);
  for (Eigen::Index i = 0; i < n; ++i) x[i] = i % 2 == 0 ? -1.2 : 1.0;
  return x;
}

int overhead(Eigen::Index n, int iterations) {
  std::printf("tool,n,iterations,evaluations,total_ms,evaluation_ms,overhead_us_per_iteration,f\n");
  for (int repeat = 0; repeat < 5; ++repeat) {
    {
      Rosenbrock f;
      Options o;
      o.method = Method::LBFGS;
      o.max_iterations = iterations;
      o.gradient_tolerance = 0;
      o.f_tolerance = 0;
      const auto start = Clock::now();
      const auto r = nabla::optim::minimize(f, rosenbrock_start(n), o);
      const double total = std::chrono::duration<double>(Clock::now() - start).count();
      std::printf("nabla,%ld,%ld,%ld,%.3f,%.3f,%.2f,%.6g\n", static_cast<long>(n), r.iterations,
                  f.evaluations, total * 1e3, f.seconds * 1e3,
                  (total - f.seconds) / static_cast<double>(r.iterations) * 1e6, r.f);
    }
    {
      Rosenbrock f;
      lbfgsfloatval_t* x = lbfgs_malloc(static_cast<int>(n));
      const Eigen::VectorXd x0 = rosenbrock_start(n);
      std::copy(x0.data(), x0.data() + n, x);
      lbfgs_parameter_t param;
      lbfgs_parameter_init(&param);
      param.m = 10;
      param.epsilon = 0;
      param.max_iterations = iterations;
      struct Box {
        Rosenbrock* f;
        int iterations;
      } box{&f, 0};
      lbfgsfloatval_t fx = 0;
      const auto start = Clock::now();
      lbfgs(
          static_cast<int>(n), x, &fx,
          [](void* b, const lbfgsfloatval_t* xx, lbfgsfloatval_t* g, int nn, lbfgsfloatval_t) {
            return static_cast<Box*>(b)->f->evaluate(xx, g, nn);
          },
          [](void* b, const lbfgsfloatval_t*, const lbfgsfloatval_t*, const lbfgsfloatval_t,
             const lbfgsfloatval_t, const lbfgsfloatval_t, const lbfgsfloatval_t, int, int k, int) {
            static_cast<Box*>(b)->iterations = k;
            return 0;
          },
          &box, &param);
      const double total = std::chrono::duration<double>(Clock::now() - start).count();
      std::printf("liblbfgs,%ld,%d,%ld,%.3f,%.3f,%.2f,%.6g\n", static_cast<long>(n), box.iterations,
                  f.evaluations, total * 1e3, f.seconds * 1e3, (total - f.seconds) / box.iterations * 1e6,
                  fx);
      lbfgs_free(x);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "mgh";
  if (mode == "mgh") return run_mgh();
  if (mode == "serve") return serve();
  if (mode == "bounded") return run_bounded();
  if (mode == "starts") {
    for (const problems::Problem& p : problems::mgh()) {
      std::cout << p.name;
      std::cout.precision(17);
      for (Eigen::Index i = 0; i < p.size(); ++i) std::cout << ' ' << p.x0[i];
      std::cout << '\n';
    }
    return 0;
  }
  if (mode == "overhead")
    return overhead(argc > 2 ? std::stol(argv[2]) : 10000, argc > 3 ? std::stoi(argv[3]) : 200);
  std::cerr << "usage: optim_bench mgh | bounded | starts | serve | overhead [n] [iterations]\n";
  return 2;
}
