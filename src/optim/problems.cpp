// The lists of test problems: the MGH set in the paper's order, the seeds'
// functions, and lookup by name.
#include "nabla/optim/problems.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "nabla/core/errors.hpp"
#include "problems_common.hpp"

namespace nabla::optim::problems {

const std::vector<Problem>& mgh() {
  static const std::vector<Problem> list = [] {
    std::vector<Problem> all;
    for (auto part : {detail::mgh_small(), detail::mgh_data(), detail::mgh_large()})
      for (auto& p : part) all.push_back(std::move(p));
    // The paper's numbering: small (1-5, 7, 13, 14), data (6, 8-12, 15-20), large (21-35).
    auto number = [](const Problem& p) {
      const auto open = p.title.find("MGH ");
      return std::stoi(p.title.substr(open + 4));
    };
    std::stable_sort(all.begin(), all.end(),
                     [&](const Problem& a, const Problem& b) { return number(a) < number(b); });
    return all;
  }();
  return list;
}

const std::vector<Problem>& seeds() {
  using detail::scalar_of;
  using detail::vec;
  static const std::vector<Problem> list = [] {
    std::vector<Problem> p;
    p.push_back(make_problem(
        "bowl", "x^2 + 2y^2 (seed)",
        [](const auto& x) {
          using T = scalar_of<decltype(x)>;
          return T(x[0] * x[0] + 2 * x[1] * x[1]);
        },
        vec({3, 2}), 0, vec({0, 0})));
    p.push_back(make_problem(
        "cost_j", "J(w) = w^2 - 4w + 5 (seed)",
        [](const auto& x) {
          using T = scalar_of<decltype(x)>;
          return T(x[0] * x[0] - 4 * x[0] + 5);
        },
        vec({0}), 1, vec({2})));
    p.push_back(make_problem(
        "shifted_cost", "(x-5)^2 + (y-3)^2 + 2xy (seed; unbounded below along x = -y)",
        [](const auto& x) {
          using T = scalar_of<decltype(x)>;
          const T a = x[0] - 5, b = x[1] - 3;
          return T(a * a + b * b + 2 * x[0] * x[1]);
        },
        vec({1, 1}), -std::numeric_limits<double>::infinity()));
    p.push_back(mgh().front());  // Rosenbrock
    return p;
  }();
  return list;
}

std::vector<Problem> all() {
  std::vector<Problem> list = mgh();
  for (const Problem& p : seeds())
    if (p.name != "rosenbrock") list.push_back(p);
  return list;
}

const Problem& find(std::string_view name) {
  for (const auto* list : {&mgh(), &seeds()})
    for (const Problem& p : *list)
      if (p.name == name) return p;
  std::string message("optim::problems: no problem named '");
  message.append(name);
  message.append("' (known:");
  for (const Problem& p : all()) message.append(" ").append(p.name);
  message.append(")");
  throw DomainError(message);
}

}  // namespace nabla::optim::problems
