// The names of the methods (with a did-you-mean for a misspelt one) and the
// validation of Options before a run.
#include "nabla/optim/options.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "nabla/core/errors.hpp"

namespace nabla::optim {
namespace {

struct NamedMethod {
  std::string_view name;
  Method method;
};

constexpr std::array<NamedMethod, 10> kMethods{{{"gd", Method::GradientDescent},
                                                {"momentum", Method::Momentum},
                                                {"nesterov", Method::Nesterov},
                                                {"adagrad", Method::AdaGrad},
                                                {"rmsprop", Method::RMSProp},
                                                {"adam", Method::Adam},
                                                {"adamw", Method::AdamW},
                                                {"newton", Method::Newton},
                                                {"bfgs", Method::BFGS},
                                                {"lbfgs", Method::LBFGS}}};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string normalized(std::string_view text) {
  std::string s(text);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  if (s == "gradient_descent" || s == "gradient-descent" || s == "gradientdescent" || s == "sgd") return "gd";
  if (s == "l-bfgs" || s == "l_bfgs") return "lbfgs";
  return s;
}

/// The concatenation of the parts (appends, not operator+ chains: GCC 12
/// reports a false -Wrestrict on those).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view part : parts) s.append(part);
  return s;
}

void require(bool condition, std::string_view what) {
  if (!condition) throw DomainError(join({"optim: ", what}));
}

/// "47.7 GB"
std::string gigabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
  return text;
}

/// Refuses Newton or BFGS on more variables than the machine's memory holds
/// their dense n x n matrices for (Newton: the Hessian, its shifted copy and
/// its factor; BFGS: the inverse Hessian and an update's outer products), so
/// that a model of 77000 weights is a clear error, not std::bad_alloc (or
/// the swap) after the first evaluations.
void require_dense_fits(Method method, Eigen::Index n) {
  if (method != Method::Newton && method != Method::BFGS) return;
  const double copies = method == Method::Newton ? 3 : 2;
  const double need = copies * double(n) * double(n) * double(sizeof(double));
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown: let the allocation decide
  const double memory = double(pages) * double(page_size);
  if (need <= memory) return;
  const std::string size = std::to_string(n);
  throw DomainError(
      join({"optim: ", name(method), " keeps ", method == Method::Newton ? "3" : "2", " dense ", size, " x ",
            size, " matrices (", gigabytes(need), "), more than this machine's ", gigabytes(memory),
            " of memory; lbfgs keeps a few vectors of ", size, " entries instead"}));
}

}  // namespace

std::string_view name(Method method) {
  for (const auto& m : kMethods)
    if (m.method == method) return m.name;
  return "unknown";
}

Method method_from_name(std::string_view text) {
  const std::string key = normalized(text);
  for (const auto& m : kMethods)
    if (m.name == key) return m.method;
  std::string_view closest = kMethods[0].name;
  std::size_t best = edit_distance(key, closest);
  for (const auto& m : kMethods) {
    const std::size_t d = edit_distance(key, m.name);
    if (d < best) best = d, closest = m.name;
  }
  std::string message = join({"unknown optimization method '", text, "'"});
  if (best <= 3) message.append(join({"; did you mean '", closest, "'?"}));
  message.append(" (one of gd, momentum, nesterov, adagrad, rmsprop, adam, adamw, newton, bfgs, lbfgs)");
  throw ParseError(message, std::string(text), 0);
}

bool is_first_order(Method method) {
  return method != Method::Newton && method != Method::BFGS && method != Method::LBFGS;
}

void validate(const Options& o, Eigen::Index n) {
  require(std::isfinite(o.learning_rate) && o.learning_rate > 0, "learning_rate must be positive and finite");
  require(o.momentum >= 0 && o.momentum < 1, "momentum must be in [0, 1)");
  require(o.beta1 >= 0 && o.beta1 < 1, "beta1 must be in [0, 1)");
  require(o.beta2 >= 0 && o.beta2 < 1, "beta2 must be in [0, 1)");
  require(o.rmsprop_decay >= 0 && o.rmsprop_decay < 1, "rmsprop_decay must be in [0, 1)");
  require(o.epsilon >= 0 && std::isfinite(o.epsilon), "epsilon must be >= 0 and finite");
  require(o.weight_decay >= 0 && std::isfinite(o.weight_decay), "weight_decay must be >= 0 and finite");
  require(o.schedule_gamma > 0 && o.schedule_gamma <= 1, "schedule_gamma must be in (0, 1]");
  require(o.schedule_step_size > 0 && o.schedule_period > 0,
          "schedule_step_size and schedule_period must be > 0");
  require(o.min_learning_rate >= 0 && std::isfinite(o.min_learning_rate),
          "min_learning_rate must be >= 0 and finite");
  require(o.clip_value >= 0 && o.clip_norm >= 0, "clip_value and clip_norm must be >= 0 (0 = off)");
  require(o.max_iterations >= 0 && o.max_evaluations >= 0, "max_iterations and max_evaluations must be >= 0");
  require(o.gradient_tolerance >= 0 && o.f_tolerance >= 0 && o.x_tolerance >= 0, "tolerances must be >= 0");
  require(o.time_limit_seconds >= 0, "time_limit_seconds must be >= 0");
  require(o.lbfgs_memory >= 1, "lbfgs_memory must be >= 1");
  require(o.sufficient_decrease > 0 && o.sufficient_decrease < o.curvature && o.curvature < 1,
          "line search constants must satisfy 0 < sufficient_decrease < curvature < 1");
  require(o.max_line_search_evaluations >= 1, "max_line_search_evaluations must be >= 1");
  require(o.line_search_xtol >= 0 && o.line_search_xtol < 1, "line_search_xtol must be in [0, 1)");
  require_dense_fits(o.method, n);
  const bool bounded = o.lower.size() > 0 || o.upper.size() > 0;
  if (!bounded) return;
  if (o.lower.size() != n || o.upper.size() != n)
    throw DimensionError(join({"optim: lower and upper bounds need ", std::to_string(n),
                               " entries each (empty = unbounded), got ", std::to_string(o.lower.size()),
                               " and ", std::to_string(o.upper.size())}));
  for (Eigen::Index i = 0; i < n; ++i) {
    require(!std::isnan(o.lower[i]) && !std::isnan(o.upper[i]) && o.lower[i] <= o.upper[i],
            join({"bound ", std::to_string(i), " has lower > upper or a NaN"}));
    require(o.lower[i] < std::numeric_limits<double>::infinity() &&
                o.upper[i] > -std::numeric_limits<double>::infinity(),
            join({"bound ", std::to_string(i), " leaves no finite value (lower = +inf or upper = -inf)"}));
  }
  require(is_first_order(o.method) || o.method == Method::LBFGS,
          join({"box bounds are supported by L-BFGS (as L-BFGS-B) and the first-order methods, not by ",
                name(o.method)}));
}

}  // namespace nabla::optim
