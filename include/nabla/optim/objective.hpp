// The function concept of nabla::optim and its type erasure. minimize()
// accepts either
//   (a) a generic callable templated on the scalar, f(const VectorX<T>&) -> T
//       (e.g. [](const auto& x) { return x[0] * x[0] + 2 * x[1] * x[1]; });
//       gradients then come from reverse mode (nabla::value_and_gradient),
//       Hessians from forward-over-reverse (nabla::hessian); or
//   (b) an object with `double value(const Eigen::VectorXd&)` and
//       `Eigen::VectorXd gradient(const Eigen::VectorXd&)`, optionally
//       `nabla::ValueAndGradient value_and_gradient(const Eigen::VectorXd&)`
//       (one pass for both) and `Eigen::MatrixXd hessian(const Eigen::VectorXd&)`
//       (else Newton differences the gradient).
// Either is wrapped once in an Objective, a small virtual interface that the
// compiled solvers call once per evaluation (never per operation).
// A type that fits neither fails to compile with a static_assert naming this
// header (tests/optim/failtest/not_an_objective.cpp is that check).
#pragma once

#include <Eigen/Core>
#include <concepts>
#include <type_traits>
#include <utility>

#include "nabla/ad/drivers.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/core/eigen.hpp"

namespace nabla::optim {

/// What the solvers call: one virtual call per evaluation of f.
class Objective {
 public:
  virtual ~Objective() = default;
  /// f(x).
  virtual double value(const Eigen::VectorXd& x) = 0;
  /// f(x), with its gradient written to g (already sized like x).
  virtual double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) = 0;
  /// Whether hessian() is exact (else the solvers difference gradients).
  virtual bool has_hessian() const { return false; }
  /// The Hessian at x, written to h (already n-by-n). Only called when has_hessian().
  virtual void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h);
};

/// (a) f(const VectorX<T>&) -> T for T = double and T = Var (reverse mode).
/// A function of Eigen::VectorXd only also accepts a vector of Var (Eigen
/// converts it, and fails inside), but then returns a plain number: that is
/// what tells it apart.
template <class F>
concept DifferentiableFunction = requires(F& f, const Eigen::VectorXd& x, const VectorX<Var>& v) {
  { f(x) } -> std::convertible_to<double>;
  { f(v) } -> std::convertible_to<Var>;
  requires !std::is_arithmetic_v<std::remove_cvref_t<decltype(f(v))>>;
};

/// (b) an object with value(x) and gradient(x).
template <class F>
concept ValueGradientObject = requires(F& f, const Eigen::VectorXd& x) {
  { f.value(x) } -> std::convertible_to<double>;
  { f.gradient(x) } -> std::convertible_to<Eigen::VectorXd>;
};

/// Either kind: what minimize() accepts.
template <class F>
concept Minimizable = DifferentiableFunction<F> || ValueGradientObject<F>;

namespace detail {

/// Wraps a generic callable: value on double, gradient by reverse mode,
/// Hessian by forward-over-reverse.
template <class F>
class CallableObjective final : public Objective {
 public:
  explicit CallableObjective(F& f) : f_(f) {}
  double value(const Eigen::VectorXd& x) override { return static_cast<double>(f_(x)); }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) override {
    ValueAndGradient vg = nabla::value_and_gradient(f_, x);
    g = std::move(vg.gradient);
    return vg.value;
  }
  bool has_hessian() const override { return true; }
  void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) override { h = nabla::hessian(f_, x); }

 private:
  F& f_;
};

/// Wraps an object with value/gradient (and maybe value_and_gradient, hessian).
template <class F>
class ObjectObjective final : public Objective {
 public:
  explicit ObjectObjective(F& f) : f_(f) {}
  double value(const Eigen::VectorXd& x) override { return static_cast<double>(f_.value(x)); }
  double value_and_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& g) override {
    if constexpr (requires { f_.value_and_gradient(x); }) {
      auto [value, gradient] = f_.value_and_gradient(x);
      g = std::move(gradient);
      return static_cast<double>(value);
    } else {
      g = f_.gradient(x);
      return static_cast<double>(f_.value(x));
    }
  }
  bool has_hessian() const override {
    return requires { f_.hessian(std::declval<const Eigen::VectorXd&>()); };
  }
  void hessian(const Eigen::VectorXd& x, Eigen::MatrixXd& h) override {
    if constexpr (requires { f_.hessian(x); }) {
      h = f_.hessian(x);
    } else {
      Objective::hessian(x, h);
    }
  }

 private:
  F& f_;
};

/// Stands in for a type that fits neither kind, so the static_assert is the only error.
struct NotAnObjective final : Objective {
  double value(const Eigen::VectorXd&) override { return 0; }
  double value_and_gradient(const Eigen::VectorXd&, Eigen::VectorXd&) override { return 0; }
};

/// The Objective for f; the static_assert is the readable error for a type
/// that is neither kind.
template <class F>
auto make_objective(F& f) {
  static_assert(Minimizable<F>,
                "nabla::optim::minimize: f must be either a generic callable f(const VectorX<T>&) -> T "
                "(callable with Eigen::VectorXd and with nabla::VectorX<nabla::Var>), or an object with "
                "double value(const Eigen::VectorXd&) and Eigen::VectorXd gradient(const Eigen::VectorXd&). "
                "See include/nabla/optim/objective.hpp.");
  if constexpr (ValueGradientObject<F>)
    return ObjectObjective<F>(f);
  else if constexpr (DifferentiableFunction<F>)
    return CallableObjective<F>(f);
  else
    return NotAnObjective{};  // only after the static_assert: keeps the error message alone
}

}  // namespace detail

}  // namespace nabla::optim
