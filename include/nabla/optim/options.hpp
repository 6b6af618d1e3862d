// The knobs of every optimizer in nabla::optim, in one struct: the method,
// its rates and momentum terms, the learning-rate schedule, gradient
// clipping, the stopping tests, box bounds, the trace and the callback. Also
// the names of the methods as the command line and Python spell them
// ("gd", "adam", "lbfgs", ...).
#pragma once

#include <Eigen/Core>
#include <functional>
#include <string>
#include <string_view>

#include "nabla/optim/result.hpp"

namespace nabla::optim {

/// The optimization methods. The first seven are first-order methods that
/// take one fixed-rule step per gradient (nabla::optim::Stepper); the last
/// three use a line search.
enum class Method {
  GradientDescent,  ///< x -= lr g
  Momentum,         ///< heavy ball (Polyak 1964), PyTorch form: b = mu b + g, x -= lr b
  Nesterov,         ///< Nesterov (1983) in the form of Sutskever et al. (2013) / PyTorch
  AdaGrad,          ///< Duchi, Hazan & Singer (2011)
  RMSProp,          ///< Tieleman & Hinton (2012)
  Adam,             ///< Kingma & Ba (2015)
  AdamW,            ///< Loshchilov & Hutter (2019): Adam with decoupled weight decay
  Newton,           ///< exact Hessian, shifted until positive definite, with a line search
  BFGS,             ///< dense inverse-Hessian BFGS (Nocedal & Wright 2006, ch. 6)
  LBFGS,            ///< limited-memory BFGS (Liu & Nocedal 1989); L-BFGS-B-style with bounds
};

/// Line searches of Newton, BFGS and L-BFGS.
enum class LineSearch {
  Armijo,       ///< backtracking to sufficient decrease (Armijo 1966)
  StrongWolfe,  ///< Moré & Thuente (1994): sufficient decrease and strong curvature
};

/// Learning-rate schedules of the first-order methods, as a function of the
/// number k of steps already taken (the rate of step k, k = 0, 1, ...).
enum class Schedule {
  None,         ///< lr
  Step,         ///< lr * gamma^floor(k / schedule_step_size)
  Exponential,  ///< lr * gamma^k
  Cosine,       ///< min_lr + (lr - min_lr) (1 + cos(pi min(k, period) / period)) / 2
};

/// Everything an optimizer can be told. Defaults suit the quasi-Newton
/// methods; a first-order method usually wants its own learning_rate.
struct Options {
  Method method = Method::LBFGS;

  // First-order methods (Stepper).
  double learning_rate = 0.01;
  double momentum = 0.9;        ///< mu of Momentum and Nesterov
  double beta1 = 0.9;           ///< Adam's first-moment decay
  double beta2 = 0.999;         ///< Adam's second-moment decay
  double rmsprop_decay = 0.99;  ///< RMSProp's decay of the mean square
  /// Added to the root mean square (AdaGrad, RMSProp, Adam). 0 is allowed,
  /// as in PyTorch, for exact comparisons; a component whose gradient has
  /// been exactly 0 at every step is then 0/0 and the run ends NonFinite.
  double epsilon = 1e-8;
  /// L2 added to the (clipped) gradient, so that the run minimizes
  /// f + weight_decay |x|^2 / 2: the stopping tests, the trace and the
  /// Result's f and gradient norm are of that function. Decoupled for AdamW
  /// (x *= 1 - lr wd), which minimizes no such function: its tests see f.
  double weight_decay = 0;
  Schedule schedule = Schedule::None;
  double schedule_gamma = 0.1;    ///< decay factor of Step and Exponential
  long schedule_step_size = 100;  ///< steps per decay of Step
  long schedule_period = 1000;    ///< steps from lr to min_learning_rate of Cosine
  double min_learning_rate = 0;   ///< the floor of Cosine
  double clip_value = 0;          ///< > 0: clamp each gradient entry to [-clip_value, clip_value] first
  double clip_norm = 0;           ///< > 0: then rescale the gradient to norm <= clip_norm

  // Stopping. A tolerance of 0 disables its test; max_evaluations 0 means no limit.
  long max_iterations = 1000;
  long max_evaluations = 0;
  double gradient_tolerance = 1e-8;  ///< on the Euclidean norm of the (projected) gradient
  /// On |f_prev - f| / max(|f_prev|, |f|); for a first-order method it must
  /// hold for 10 steps in a row (its f need not fall at every step).
  double f_tolerance = 1e-14;
  double x_tolerance = 0;         ///< on |step| / (1 + |x|)
  double time_limit_seconds = 0;  ///< 0 = no limit

  // Newton, BFGS, L-BFGS.
  LineSearch line_search = LineSearch::StrongWolfe;
  int lbfgs_memory = 10;              ///< correction pairs kept by L-BFGS (stored as they come)
  double sufficient_decrease = 1e-4;  ///< c1 of Armijo and Wolfe
  double curvature = 0.9;             ///< c2 of strong Wolfe
  int max_line_search_evaluations = 40;
  /// Moré–Thuente also ends, at the best step seen if it satisfies sufficient
  /// decrease, once its bracket [lo, hi] is narrower than this times hi
  /// (MINPACK-2's xtol; L-BFGS-B uses 0.1; 0 = strong Wolfe steps only).
  /// 0.2 saves evaluations on the MGH problems (bench/optim/README.md).
  double line_search_xtol = 0.2;

  /// Box bounds (empty = unbounded; one entry per variable, +-infinity
  /// allowed). L-BFGS then runs L-BFGS-B (Byrd, Lu, Nocedal & Zhu: the
  /// generalized Cauchy point, a subspace step on the free variables, a
  /// search that stays in the box; convergence by the projected gradient);
  /// the first-order methods project each iterate onto the box; Newton and
  /// BFGS refuse bounds (DomainError). x0 is projected first (iteration 0
  /// is in the box). A bound that leaves no finite value (lower = +inf or
  /// upper = -inf) is refused.
  Eigen::VectorXd lower, upper;

  bool keep_trace = false;  ///< fill Result::trace with every iterate
  /// Sees every iterate (iteration 0 included); return false to stop.
  std::function<bool(const Iterate&)> callback;
};

/// The method's name as the CLI and Python spell it: "gd", "momentum",
/// "nesterov", "adagrad", "rmsprop", "adam", "adamw", "newton", "bfgs", "lbfgs".
std::string_view name(Method method);

/// The method of a name (case-insensitive; "gradient_descent",
/// "gradient-descent" and "l-bfgs" are accepted too). Throws ParseError naming
/// the closest method for an unknown name.
Method method_from_name(std::string_view text);

/// True for the methods Stepper implements (GradientDescent ... AdamW).
bool is_first_order(Method method);

/// Throws DomainError or DimensionError for options that cannot be run
/// (negative rates, beta outside [0, 1), bounds of the wrong size or crossed,
/// Newton or BFGS on more variables than memory holds their n x n matrices
/// for, ...).
void validate(const Options& options, Eigen::Index n);

}  // namespace nabla::optim
