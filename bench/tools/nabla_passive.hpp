// The double inside nabla's scalars, for the decisions of the shared problem
// code that need no derivative (the shift of log-sum-exp; problems.hpp).
#pragma once

#include <nabla/nabla.hpp>

#include "../problems.hpp"

namespace nabla_bench {

template <class T>
struct Passive<nabla::BasicVar<T>> {
  static double value(const nabla::BasicVar<T>& x) { return nabla::passive_value(x); }
};
template <class T, int N>
struct Passive<nabla::Dual<T, N>> {
  static double value(const nabla::Dual<T, N>& x) { return nabla::passive_value(x); }
};

}  // namespace nabla_bench
