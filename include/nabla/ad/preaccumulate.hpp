// Local preaccumulation: a piece of a recording with few inputs and outputs
// but many operations inside (a subroutine, a sub-determinant, a small
// solver) is recorded on a nested tape and reversed there at once; it enters
// the outer tape as one statement per output whose partials are that
// output's row of the piece's Jacobian. The outer tape then holds k pairs per
// output instead of the piece's whole recording, and the nested tape, reused
// from one call to the next, stays small enough to stay in cache.
//
// It pays when the piece does many more operations than it has inputs times
// outputs. The piece must be a function of its inputs alone: a Var captured
// from the outer tape inside f would be an index of the wrong tape.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

#include "nabla/ad/tape.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/core/errors.hpp"

namespace nabla {

namespace detail {

/// The nested copies of a piece's inputs, one buffer per nesting depth
/// (a piece may itself preaccumulate), kept from call to call.
template <class T>
std::vector<BasicVar<T>>& local_inputs(std::size_t depth) {
  static thread_local std::vector<std::unique_ptr<std::vector<BasicVar<T>>>> buffers;
  while (buffers.size() <= depth) buffers.push_back(std::make_unique<std::vector<BasicVar<T>>>());
  return *buffers[depth];
}

/// Outer statements of a piece's outputs: for each active output, one
/// reverse sweep of the nested tape from it, and its nonzero partials with
/// respect to the active inputs pushed on the outer tape.
template <class T>
void push_preaccumulated(BasicTape<T>& outer, BasicTape<T>& inner, std::span<const BasicVar<T>> inputs,
                         std::span<const BasicVar<T>> local, std::span<BasicVar<T>> outputs) {
  for (BasicVar<T>& y : outputs) {
    if (!y.is_active()) continue;
    if (!inner.holds(y)) detail::throw_stale_var();  // its adjoint would lie outside the inner tape's
    inner.clear_adjoints();
    inner.adjoint(y.index()) = T(1);
    inner.reverse();
    auto writer = outer.begin_statement(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (!local[i].is_active()) continue;
      const T& partial = inner.adjoint(local[i].index());
      if constexpr (std::is_arithmetic_v<T>) {
        if (partial == 0) continue;  // (a Dual's zero value may carry a tangent)
      }
      writer.push(partial, inputs[i].index());
      writer.check(inputs[i].index(), inputs[i].epoch());
    }
    y = BasicVar<T>(y.value(), outer.end_statement(writer), outer.epoch());
  }
}

}  // namespace detail

/// Records outputs = f(inputs) on the active tape as one statement per
/// output. f(std::span<const BasicVar<T>> in, std::span<BasicVar<T>> out)
/// sees copies of the inputs on a nested tape and writes every output;
/// passive inputs stay passive inside. Throws DimensionError if outputs is
/// empty or overlaps inputs.
template <class T, class F>
void preaccumulate(std::span<const BasicVar<T>> inputs, std::span<BasicVar<T>> outputs, F&& f) {
  require_dimension(!outputs.empty(), "preaccumulate: no outputs");
  const BasicVar<T>* out_begin = outputs.data();
  const BasicVar<T>* out_end = out_begin + outputs.size();
  const std::less_equal<const BasicVar<T>*> before;  // a total order on unrelated pointers
  require_dimension(before(out_end, inputs.data()) || before(inputs.data() + inputs.size(), out_begin),
                    "preaccumulate: the outputs overlap the inputs");
  BasicTape<T>& outer = BasicTape<T>::active();
  TapeScope<T> scope("nabla::preaccumulate");  // a piece resetting its tape would lose the outer statements
  BasicTape<T>& inner = scope.tape();
  std::vector<BasicVar<T>>& local = detail::local_inputs<T>(scope.depth());
  local.resize(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i)
    local[i] = inputs[i].is_active() ? inner.input(inputs[i].value()) : BasicVar<T>(inputs[i].value());
  const std::span<const BasicVar<T>> in(local.data(), local.size());
  for (BasicVar<T>& y : outputs) y = BasicVar<T>();  // none left holding an outer index
  f(in, outputs);
  detail::push_preaccumulated(outer, inner, inputs, in, outputs);
}

/// The scalar form: f(std::span<const BasicVar<T>> in) returns the output.
template <class T, class F>
BasicVar<T> preaccumulate(std::span<const BasicVar<T>> inputs, F&& f) {
  BasicVar<T> y;
  preaccumulate(inputs, std::span<BasicVar<T>>(&y, 1),
                [&f](std::span<const BasicVar<T>> in, std::span<BasicVar<T>> out) { out[0] = f(in); });
  return y;
}

/// On passive scalars (double, Dual) a piece is just called, so that code
/// generic in its scalar runs unchanged on every path.
template <class S, class F>
requires(!is_var<S>::value) void preaccumulate(std::span<const S> inputs, std::span<S> outputs, F&& f) {
  require_dimension(!outputs.empty(), "preaccumulate: no outputs");
  f(inputs, outputs);
}
template <class S, class F>
requires(!is_var<S>::value) S preaccumulate(std::span<const S> inputs, F&& f) { return f(inputs); }

}  // namespace nabla
