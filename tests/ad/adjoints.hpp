// The test helper of reverse mode on a tape recorded by hand: the adjoints
// of some inputs after one sweep from an output.
#pragma once

#include <initializer_list>
#include <vector>

#include "nabla/nabla.hpp"

namespace nabla {

/// The adjoints of `inputs` after one reverse sweep from y.
inline std::vector<double> adjoints(Tape& tape, const Var& y, std::initializer_list<Var> inputs) {
  tape.clear_adjoints();
  tape.adjoint(y) = 1.0;
  tape.reverse();
  std::vector<double> g;
  for (const Var& v : inputs) g.push_back(tape.adjoint(v));
  return g;
}

}  // namespace nabla
