// compile_native against independent answers: a formula written in C++ and
// the AD drivers on it, the interpreters sym::evaluate and Program on every
// registry function (NaN outside domains, the registry's values at kinks) and
// on random expressions, plus the cache, threads and every error path.
// Skipped only when no C compiler can be run.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <thread>

#include "nabla/nabla.hpp"
#include "sample_function.hpp"

namespace nabla::sym {
namespace {

namespace fs = std::filesystem;

const Expr x = symbol("x");
const Expr y = symbol("y");
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool have_compiler() {
  const char* cc = std::getenv("NABLA_CC");  // NOLINT(concurrency-mt-unsafe)
  const std::string command =
      std::string(cc != nullptr && *cc != '\0' ? cc : "cc") + " --version > /dev/null 2>&1";
  return std::system(command.c_str()) == 0;  // NOLINT(concurrency-mt-unsafe)
}

/// |a - b| / |b|, 0 when both are NaN or the same infinity, inf when only one is NaN.
double relative(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : kInf;
  if (a == b) return 0.0;
  return std::fabs(a - b) / std::fabs(b);
}
/// |a - b| / max(1, |b|), with NaN as relative().
double distance(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return relative(a, b);
  return a == b ? 0.0 : std::fabs(a - b) / std::max(1.0, std::fabs(b));
}

/// A fresh cache directory per test, removed afterwards.
class Native : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_compiler()) GTEST_SKIP() << "no C compiler (cc or $NABLA_CC)";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("nabla-native-test-" + std::to_string(::getpid()) + "-" + std::string(info->name()));
    fs::remove_all(dir_);
    options_.cache_dir = dir_.string();
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  fs::path dir_;
  NativeOptions options_;
};

using testing::f_cpp;
using testing::f_symbolic;

TEST(NativeSource, OneTemporaryPerNodeAndTheGradient) {
  Expr e = x;
  for (int i = 0; i < 6; ++i) e = sin(e) * cos(e) + pow(e, Expr(2));
  const std::string source = native_source(e, {x}, false);
  const auto body = source.substr(source.find("double nabla_value"));
  std::size_t temporaries = 0;
  for (std::size_t at = body.find("const double"); at != std::string::npos;
       at = body.find("const double", at + 1))
    ++temporaries;
  EXPECT_EQ(temporaries, dag_size(e) - 1) << source;  // every node but the symbol, once
  EXPECT_EQ(source.find("nabla_gradient"), std::string::npos);
  EXPECT_NE(native_source(e, {x}).find("void nabla_gradient(const double* x, double* out)"),
            std::string::npos);
  EXPECT_THROW(native_source(x + y, {x}), DomainError);
}

TEST_F(Native, AgreesWithTheFormulaInCppAndTheAdDrivers) {
  const NativeFunction f = compile_native(f_symbolic(), {"x", "y"}, options_);
  EXPECT_EQ(f.inputs(), 2u);
  EXPECT_TRUE(f.has_gradient());
  auto cpp = [](const auto& v) { return f_cpp(v); };
  for (const Eigen::Vector2d& at : {Eigen::Vector2d(0.7, -1.3), Eigen::Vector2d(-2.0, 0.4)}) {
    EXPECT_LE(relative(f(at), f_cpp(at)), 1e-12);
    const Eigen::VectorXd g = f.gradient(Eigen::VectorXd(at));
    const Eigen::VectorXd g_ad = nabla::gradient(cpp, Eigen::VectorXd(at));
    EXPECT_LE((g - g_ad).norm(), 1e-12 * g_ad.norm());
    const Eigen::VectorXd g_fd = numdiff::gradient(cpp, Eigen::VectorXd(at));
    EXPECT_LE((g - g_fd).norm(), 1e-6 * g_ad.norm());
  }
  Eigen::MatrixXd points(2, 3);
  points << 0.1, 0.2, 0.3, -1.0, 1.0, 2.0;
  const Eigen::VectorXd batch = f.values_batch(points);
  for (Eigen::Index j = 0; j < 3; ++j) EXPECT_EQ(batch[j], f(Eigen::VectorXd(points.col(j))));
}

/// Every registry function of x (and y), with non-default parameters too.
std::vector<Expr> registry_expressions() {
  std::vector<Expr> out;
  for (std::string_view name : function_names()) {
    if (name == "pow") continue;
    const Expr one[] = {x};
    const Expr two[] = {x, y};
    try {
      out.push_back(call(name, one));
    } catch (const DomainError&) {
      out.push_back(call(name, two));
    }
  }
  out.push_back(softplus(x, 2.0));
  out.push_back(softplus(x, 0.25));
  out.push_back(leaky_relu(x, 0.2));
  out.push_back(pow(x, y));
  for (int n : {-3, -2, -1, 2, 3, 5, 8}) out.push_back(pow(x, Expr(n)));
  // odd beyond 2^53, where a double's exponent is even (x * x^(n - 1))
  out.push_back(pow(x, Expr(9007199254740993LL)));
  out.push_back(pow(x, rational(1, 2)));
  out.push_back(pow(x, rational(-1, 2)));
  out.push_back(pow(x, rational(1, 3)));
  out.push_back(pow(x, Expr(2.5)));
  out.push_back(pi() * x + e() / y + rational(1, 3));
  return out;
}

TEST_F(Native, EveryRegistryFunctionAsTheInterpreters) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> draw(-3.0, 3.0);
  std::vector<Eigen::Vector2d> points;
  for (int k = 0; k < 20; ++k) points.emplace_back(draw(rng), draw(rng));
  // kinks, ties, domain edges, NaN and infinities
  for (double a : {0.0, -0.0, 1.0, -1.0, kNan, kInf, -kInf})
    for (double b : {0.0, 1.0, -1.0, 2.0, kNan, kInf, -kInf}) points.emplace_back(a, b);
  for (const Expr& e : registry_expressions()) {
    SCOPED_TRACE(to_string(e));
    const NativeFunction f = compile_native(e, {x, y}, options_);
    const Program p = compile(e, {x, y});
    for (const Eigen::Vector2d& at : points) {
      const double v = evaluate(e, {{"x", at[0]}, {"y", at[1]}});
      const double native = f(Eigen::VectorXd(at));
      EXPECT_LE(relative(native, v), 1e-12)
          << "evaluate at " << at.transpose() << ": " << native << " vs " << v;
      EXPECT_LE(relative(native, p(at)), 1e-12) << "Program at " << at.transpose() << ": " << native;
    }
  }
}

TEST_F(Native, GradientsAsTheInterpretersAtRandomPoints) {
  std::mt19937_64 rng(12);
  std::uniform_real_distribution<double> draw(-0.95, 0.95);
  for (const Expr& e : registry_expressions()) {
    SCOPED_TRACE(to_string(e));
    const NativeFunction f = compile_native(e, {x, y}, options_);
    const Program p = compile(e, {x, y});
    const auto g = gradient(e, {x, y});
    for (int k = 0; k < 10; ++k) {
      const Eigen::Vector2d at(draw(rng), 1.05 + draw(rng));  // y > 0 for pow(x, y)'s partials
      const Bindings b{{"x", at[0]}, {"y", at[1]}};
      const Eigen::VectorXd native = f.gradient(Eigen::VectorXd(at));
      const Eigen::VectorXd program = p.gradient(at);
      for (int i = 0; i < 2; ++i) {
        EXPECT_LE(relative(native[i], evaluate(g[static_cast<std::size_t>(i)], b)), 1e-12) << at.transpose();
        // the Program's partials are NaN outside the domain, the symbolic
        // formulas' not always (log'(x) = 1/x): compare where f is defined
        if (!std::isnan(f(at))) {
          EXPECT_LE(distance(native[i], program[i]), 1e-10) << at.transpose();
        }
      }
    }
  }
}

/// Random expressions over + - * /, integer and real powers and every
/// function of the registry, with no care for domains (NaN must agree too).
class RandomTree {
 public:
  explicit RandomTree(std::uint64_t seed) : rng_(seed) {}
  Expr operator()(int depth) {
    if (depth == 0 || pick(5) == 0) return leaf();
    const Expr a = (*this)(depth - 1);
    switch (pick(8)) {
      case 0:
        return a + (*this)(depth - 1);
      case 1:
        return a - (*this)(depth - 1);
      case 2:
        return a * (*this)(depth - 1);
      case 3:
        return a / (*this)(depth - 1);
      case 4:
        return pow(a, Expr(static_cast<int>(pick(7)) - 3));
      default: {
        const auto names = function_names();
        const std::string_view name = names[pick(names.size())];
        const Expr one[] = {a};
        const Expr two[] = {a, (*this)(depth - 1)};
        try {
          return call(name, one);
        } catch (const DomainError&) {
          return call(name, two);
        }
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  Expr leaf() {
    switch (pick(5)) {
      case 0:
      case 1:
        return x;
      case 2:
        return y;
      case 3:
        return rational(static_cast<std::int64_t>(pick(7)) - 3, 3);
      default:
        return Expr(0.25 + 0.5 * static_cast<double>(pick(4)));
    }
  }
  std::mt19937_64 rng_;
};

TEST_F(Native, RandomExpressionsAsTheInterpreters) {
  RandomTree random(20261122);
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> draw(-2.0, 2.0);
  int compared = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const Expr e = random(5);
    const NativeFunction f = compile_native(e, {x, y}, options_);
    const Program p = compile(e, {x, y});
    for (int k = 0; k < 5; ++k) {
      const Eigen::Vector2d at(draw(rng), draw(rng));
      const double v = evaluate(e, {{"x", at[0]}, {"y", at[1]}});
      const double native = f(Eigen::VectorXd(at));
      // measured against max(1, |v|) like the Program's property test:
      // integer powers are repeated squaring here and pow() in evaluate
      const double scale = std::isfinite(v) ? std::max(1.0, std::fabs(v)) : 1.0;
      EXPECT_TRUE(std::isnan(native) == std::isnan(v)) << to_string(e) << " at " << at.transpose();
      if (std::isfinite(v)) {
        ++compared;
        EXPECT_LE(std::fabs(native - v) / scale, 1e-12) << to_string(e) << " at " << at.transpose();
        EXPECT_LE(std::fabs(native - p(at)) / scale, 1e-12) << to_string(e) << " at " << at.transpose();
      } else if (!std::isnan(v)) {
        EXPECT_EQ(native, v) << to_string(e) << " at " << at.transpose();
      }
    }
  }
  EXPECT_GT(compared, 100);
}

TEST_F(Native, LongSumsAndTheirGradientAsTheClosedForm) {
  // chained Rosenbrock, n = 30: a sum of 58 terms, added in partial sums
  const int n = 30;
  std::vector<Expr> xs;
  for (int i = 0; i < n; ++i) xs.push_back(symbol(std::string("x").append(std::to_string(i))));
  std::vector<Expr> terms;
  for (int i = 0; i + 1 < n; ++i)
    terms.push_back(Expr(100) * pow(xs[i + 1] - pow(xs[i], Expr(2)), Expr(2)) +
                    pow(Expr(1) - xs[i], Expr(2)));
  const NativeFunction f = compile_native(add(terms), xs, options_);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> draw(-1.5, 1.5);
  Eigen::VectorXd at(n);
  for (int i = 0; i < n; ++i) at[i] = draw(rng);
  double value = 0.0;
  Eigen::VectorXd grad = Eigen::VectorXd::Zero(n);
  for (int i = 0; i + 1 < n; ++i) {  // written out by hand
    const double a = at[i + 1] - at[i] * at[i];
    const double b = 1.0 - at[i];
    value += 100.0 * a * a + b * b;
    grad[i] += -400.0 * a * at[i] - 2.0 * b;
    grad[i + 1] += 200.0 * a;
  }
  EXPECT_LE(relative(f(at), value), 1e-12);
  EXPECT_LE((f.gradient(at) - grad).norm(), 1e-12 * grad.norm());
}

TEST_F(Native, DeepExpressionsCompile) {
  Expr e = x;
  for (int i = 0; i < 1500; ++i) e = sin(e) + Expr(0.5) * e;  // 3000 nested nodes
  NativeOptions value_only = options_;
  value_only.gradient = false;
  const NativeFunction f = compile_native(e, {x}, value_only);
  double v = 0.3;
  for (int i = 0; i < 1500; ++i) v = std::sin(v) + 0.5 * v;
  EXPECT_LE(relative(f(Eigen::VectorXd::Constant(1, 0.3)), v), 1e-12);
}

TEST_F(Native, TheCacheIsReusedAndSharedByThreads) {
  const Expr e = f_symbolic();
  std::vector<NativeFunction> functions(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < functions.size(); ++t)
    threads.emplace_back([&, t] { functions[t] = compile_native(e, {x, y}, options_); });
  for (std::thread& t : threads) t.join();
  const Eigen::Vector2d at(0.3, 0.8);
  for (const NativeFunction& f : functions) {
    EXPECT_EQ(f.library_path(), functions[0].library_path());
    EXPECT_EQ(f(at), f_cpp(at));
  }
  std::size_t objects = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();  // no leftovers
    objects += entry.path().extension() == ".so";
  }
  EXPECT_EQ(objects, 1u);
  const auto written = fs::last_write_time(functions[0].library_path());
  const NativeFunction again = compile_native(e, {x, y}, options_);
  EXPECT_EQ(fs::last_write_time(again.library_path()), written);  // loaded, not compiled again
  functions.clear();                                              // the copy keeps its object loaded
  EXPECT_EQ(again(at), f_cpp(at));
}

/// to_c's body, compiled as C with a main that prints f at each point given
/// on its command line (hexadecimal floats, exact), against sym::evaluate.
/// The values at `points` of a C function f(x, y) with the given body,
/// compiled warning-free (-Wall -Wextra -Werror) in `dir`.
std::vector<double> run_c(const fs::path& dir, const std::string& body,
                          const std::vector<std::pair<double, double>>& points) {
  fs::create_directories(dir);
  const char* cc = std::getenv("NABLA_CC");  // NOLINT(concurrency-mt-unsafe)
  const std::string compiler = cc != nullptr && *cc != '\0' ? cc : "cc";
  const fs::path source = dir / "f.c", program = dir / "f";
  std::ofstream(source) << "#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
                        << "static double f(double x, double y) {\n"
                        << "  (void)x;\n  (void)y;\n"
                        << body << "}\n"
                        << "int main(int argc, char** argv) {\n"
                        << "  for (int i = 1; i + 1 < argc; i += 2)\n"
                        << "    printf(\"%a\\n\", f(strtod(argv[i], 0), strtod(argv[i + 1], 0)));\n"
                        << "  return 0;\n}\n";
  std::string command = compiler;
  command.append(" -std=c99 -O2 -ffp-contract=off -Wall -Wextra -Werror -o ").append(program.string());
  command.append(" ").append(source.string()).append(" -lm");
  std::vector<double> values;
  EXPECT_EQ(std::system(command.c_str()), 0) << body;  // NOLINT(concurrency-mt-unsafe)
  std::string run = program.string();
  for (const auto& [a, b] : points) {
    char text[64];
    std::snprintf(text, sizeof text, " %a %a", a, b);
    run.append(text);
  }
  run.append(" > ").append((dir / "out.txt").string());
  EXPECT_EQ(std::system(run.c_str()), 0);  // NOLINT(concurrency-mt-unsafe)
  std::ifstream out(dir / "out.txt");
  for (std::string line; std::getline(out, line);) values.push_back(std::strtod(line.c_str(), nullptr));
  EXPECT_EQ(values.size(), points.size()) << body;
  values.resize(points.size(), kNan);
  return values;
}

TEST_F(Native, LargeIntegerPowersAsThePrograms) {
  // nabla_powi squared its way to x^n, about n/2 ulps off (x^360 at 1.005
  // by 70), where PowInt now calls pow
  for (const long long n : {5LL, 360LL, 536870911LL}) {
    const Expr e = pow(x, Expr(n));
    const NativeFunction f = compile_native(e, {x}, options_);
    const Program p = compile(e, {x});
    for (const double at : {1.005, -1.1, 1.000000001}) {
      const Eigen::VectorXd point = Eigen::VectorXd::Constant(1, at);
      EXPECT_EQ(f(point), std::pow(at, static_cast<double>(n))) << n << " at " << at;
      EXPECT_EQ(f(point), p(point)) << n << " at " << at;
    }
  }
}

TEST_F(Native, ToCAgreesWithEvaluate) {
  const Expr log_y = log(y);
  const auto g = gradient(atan2(y, x) + hypot(x, y), {x, y});
  const std::vector<Expr> cases = {pow(x, Expr(9007199254740993LL)),  // odd beyond 2^53, even as a double
                                   pow(x, Expr(-9007199254740993LL)),
                                   min(x, log_y),
                                   max(x, log_y),
                                   min(log_y, x),
                                   max(log_y, x),
                                   logsumexp(x, y),
                                   logsumexp(x, log_y),
                                   logsumexp(log_y, x),
                                   xlogy(x, y),
                                   xdivy(x, y),
                                   diff(pow(x, y), y),
                                   diff(pow(x, y), y, 2),
                                   g[0],
                                   g[1],
                                   pow(x, rational(-1, 2)),  // not 1.0/sqrt(x): -inf at x = -0.0
                                   pow(y, rational(-1, 2)) * x,
                                   x / y / (x + y),               // one division after another
                                   pow(sign(x), Expr(-1)),        // inf at -0.0, not -inf
                                   pow(log(x), rational(1, 2))};  // sqrt: NaN at x = 0, not inf
  const std::vector<std::pair<double, double>> points = {
      {1, -1},   {1, 2},      {-kInf, -kInf}, {kInf, kInf}, {-kInf, 0},       {kInf, -kInf},
      {kNan, 1}, {0.5, 0.25}, {-3, 0},        {0, 0},       {0, 2},           {0, kInf},
      {2, 0},    {0, -1},     {-0.0, 1},      {1, -0.0},    {1e-300, 1e-200}, {1e300, 1e300}};
  for (const Expr& e : cases) {
    const std::vector<double> c = run_c(dir_, to_c(e, {"x", "y"}), points);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto [a, b] = points[i];
      const double v = evaluate(e, {{"x", a}, {"y", b}});
      EXPECT_EQ(relative(c[i], v), 0.0)
          << to_string(e) << " at " << a << ", " << b << ": C " << c[i] << ", evaluate " << v;
    }
  }
}

TEST_F(Native, ToCOfADerivativeIsNaNWhereItsFunctionIs) {
  // Regression: `nabla diff "log1p(x)" --c` returned -1 at x = -2, where
  // the CLI (and AD) give NaN: a derivative is undefined where its function is
  const std::vector<Expr> functions = {log1p(x) + y, sqrt(x) + y, acos(x) * y, atanh(y) + pow(x, Expr(1.5)),
                                       exp(x) + y};
  const std::vector<std::pair<double, double>> points = {{-2, 0}, {-1, 0}, {0.5, 0.25}, {-0.5, 3}, {2, -2}};
  for (const Expr& f : functions)
    for (const Expr& d : gradient(f, {x, y})) {
      SCOPED_TRACE(to_string(f) + ", " + to_string(d));
      const std::string body = to_c(d, {"x", "y"}, f);
      const std::vector<double> c = run_c(dir_, body, points);
      for (std::size_t i = 0; i < points.size(); ++i) {
        const Bindings b{{"x", points[i].first}, {"y", points[i].second}};
        const double expected = std::isnan(evaluate(f, b)) ? kNan : evaluate(d, b);
        EXPECT_EQ(relative(c[i], expected), 0.0)
            << body << " at " << points[i].first << ", " << points[i].second;
      }
    }
  EXPECT_EQ(to_c(exp(x), {"x"}, exp(x)), "return exp(x);\n");  // NaN where it is already
}

TEST_F(Native, ToCNamesEveryMathHMacroApart) {
  // symbols spelled like <math.h>'s macros (M_LN2, FP_NAN, isnan, ...) in
  // GNU C, where they are all defined, and like the compiler's own (unix,
  // __STDC__, _Float64), as parameters and in the body
  fs::create_directories(dir_);
  const std::vector<std::string> names = {
      "M_LN2",   "M_SQRT2",   "M_PI_2",     "FP_NAN",           "FP_ZERO",    "isnan",
      "signbit", "HUGE_VALF", "MAXFLOAT",   "math_errhandling", "MATH_ERRNO", "unix",
      "linux",   "__STDC__",  "__x86_64__", "_Float64",         "__DBL_MAX__"};
  Expr sum(0);
  std::string parameters;
  for (const std::string& name : names) {
    sum = sum + symbol(name);
    parameters.append(parameters.empty() ? "" : ", ").append("double ").append(c_identifier(name));
  }
  const fs::path source = dir_ / "names.c";
  std::ofstream(source) << "#define _GNU_SOURCE\n#include <math.h>\n"
                        << "double f(" << parameters << ") {\n"
                        << to_c(sum, names) << "}\n";
  const char* cc = std::getenv("NABLA_CC");  // NOLINT(concurrency-mt-unsafe)
  std::string command = cc != nullptr && *cc != '\0' ? cc : "cc";
  command.append(" -c -o ").append((dir_ / "names.o").string()).append(" ").append(source.string());
  EXPECT_EQ(std::system(command.c_str()), 0) << to_c(sum, names);  // NOLINT(concurrency-mt-unsafe)
}

TEST_F(Native, ErrorsAreClear) {
  NativeOptions missing = options_;
  missing.compiler = "/nonexistent/nabla-cc";
  try {
    compile_native(x * y, {x, y}, missing);
    FAIL() << "expected CompileError";
  } catch (const CompileError& err) {
    EXPECT_NE(std::string(err.what()).find("/nonexistent/nabla-cc"), std::string::npos) << err.what();
  }
  NativeOptions bad_flag = options_;
  bad_flag.flags = "-O2 -fno-such-flag-nabla";
  try {
    compile_native(x * y, {x, y}, bad_flag);
    FAIL() << "expected CompileError";
  } catch (const CompileError& err) {
    EXPECT_NE(err.diagnostics().find("no-such-flag-nabla"), std::string::npos) << err.diagnostics();
    EXPECT_NE(std::string(err.what()).find("no-such-flag-nabla"), std::string::npos) << err.what();
  }
  fs::create_directories(dir_);
  std::ofstream(dir_ / "a-file") << "not a directory";
  NativeOptions unwritable = options_;
  unwritable.cache_dir = (dir_ / "a-file" / "cache").string();
  EXPECT_THROW(compile_native(x * y, {x, y}, unwritable), IoError);
  EXPECT_THROW(compile_native(x * y, {"x"}, options_), DomainError);

  NativeOptions value_only = options_;
  value_only.gradient = false;
  const NativeFunction f = compile_native(x * y, {x, y}, value_only);
  EXPECT_FALSE(f.has_gradient());
  EXPECT_THROW(f.gradient(Eigen::VectorXd(Eigen::Vector2d(1.0, 2.0))), DomainError);
  EXPECT_THROW(f(Eigen::VectorXd::Zero(3)), DimensionError);
  EXPECT_EQ(f(Eigen::Vector2d(3.0, 4.0)), 12.0);
  EXPECT_THROW(NativeFunction()(Eigen::VectorXd()), DomainError);  // empty
  EXPECT_THROW(NativeFunction().values_batch(Eigen::MatrixXd(0, 2)), DomainError);
}

}  // namespace
}  // namespace nabla::sym
