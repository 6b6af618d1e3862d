// The consumer's program: a gradient and a Hessian through the installed
// headers and library; exits non-zero when a value is wrong.
#include <cmath>
#include <cstdio>
#include <nabla/nabla.hpp>

int main() {
  auto f = [](const auto& v) { return v[0] * v[0] * v[1] + exp(v[0] * v[1]); };
  const Eigen::Vector2d at(1.0, 2.0);
  const Eigen::VectorXd g = nabla::gradient(f, at);
  const Eigen::MatrixXd h = nabla::hessian(f, at);
  const double e2 = std::exp(2.0);
  const bool ok = std::abs(g[0] - (4 + 2 * e2)) < 1e-12 && std::abs(g[1] - (1 + e2)) < 1e-12 &&
                  std::abs(h(1, 1) - e2) < 1e-12;
  std::printf("consumer: gradient (%g, %g), H_yy %g: %s\n", g[0], g[1], h(1, 1), ok ? "ok" : "WRONG");
  try {
    throw nabla::ParseError("unexpected ')'", "x + )", 4);
  } catch (const nabla::Error& e) {
    std::printf("consumer: compiled library reached (%s)\n", e.what());
  }
  return ok ? 0 : 1;
}
