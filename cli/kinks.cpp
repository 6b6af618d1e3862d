// kinks_at: walks the expression's DAG once, evaluates the arguments of each
// non-smooth call at the point and keeps the calls that sit on their kink,
// with the registry's documented choice (core::<Op>::kink) as the note.
#include "kinks.hpp"

#include <unordered_set>

#include "nabla/core/primitives.hpp"
#include "nabla/sym/print.hpp"

namespace nabla::cli {
namespace {

/// The registry's note on f's kink, or nullptr for a function that is smooth
/// wherever it is defined (its domain edges give inf in every mode alike).
const char* kink_note(sym::Function f) {
  switch (f) {
    case sym::Function::abs:
      return core::Abs::kink;
    case sym::Function::sign:
      return core::Sign::kink;
    case sym::Function::relu:
      return core::Relu::kink;
    case sym::Function::leaky_relu:
      return core::LeakyRelu::kink;
    case sym::Function::min:
      return core::Min::kink;
    case sym::Function::max:
      return core::Max::kink;
    case sym::Function::atan2:
      return core::Atan2::kink;
    case sym::Function::hypot:
      return core::Hypot::kink;
    default:
      return nullptr;
  }
}

/// Whether the arguments' values are f's non-differentiable point.
bool on_kink(sym::Function f, const std::vector<double>& a) {
  switch (f) {
    case sym::Function::min:
    case sym::Function::max:
      return a[0] == a[1];
    case sym::Function::atan2:
    case sym::Function::hypot:
      return a[0] == 0.0 && a[1] == 0.0;
    default:
      return a[0] == 0.0;
  }
}

void walk(const sym::Expr& e, const sym::Bindings& point, std::unordered_set<const void*>& seen,
          std::vector<std::string>& notes) {
  if (!seen.insert(e.node()).second) return;
  for (const sym::Expr& a : e.args()) walk(a, point, seen, notes);
  if (e.kind() != sym::Kind::Call) return;
  const char* note = kink_note(e.function());
  if (note == nullptr) return;
  std::vector<sym::Expr> args(e.args().begin(), e.args().end());
  if (on_kink(e.function(), sym::evaluate(args, point)))
    notes.push_back(sym::to_string(e) + " at its kink: " + note);
}

}  // namespace

std::vector<std::string> kinks_at(const sym::Expr& f, const sym::Bindings& point) {
  std::unordered_set<const void*> seen;
  std::vector<std::string> notes;
  walk(f, point, seen, notes);
  return notes;
}

}  // namespace nabla::cli
