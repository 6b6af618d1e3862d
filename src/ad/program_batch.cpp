// Program::values_batch: the value sweep over blocks of points. Values live
// in registers of lanes, one lane per point of the block, so every
// instruction is one dispatch followed by a tight loop over the lanes that
// the compiler vectorizes (for the arithmetic; libm calls stay scalar).
// Results share registers once their last reader has run (a linear scan over
// the instructions), so the working set is the program's live values, not
// all of its slots, and stays in cache. A partial last block repeats its
// first point in the unused lanes, so every loop has the same trip count and
// no lane holds garbage.
#include <algorithm>
#include <vector>

#include "nabla/ad/program.hpp"

namespace nabla {
namespace {

/// Points per block: enough to amortize a dispatch, few enough that a
/// program's live slots stay in cache.
constexpr Eigen::Index kLanes = 32;

template <class Op>
void unary_lanes(double* __restrict r, const double* __restrict a, double p) {
  if constexpr (std::is_same_v<Op, core::PowInt>) {
    if (p == 2.0) {  // the common square, without the generic power's loop
      for (Eigen::Index k = 0; k < kLanes; ++k) r[k] = a[k] * a[k];
      return;
    }
  }
  for (Eigen::Index k = 0; k < kLanes; ++k) r[k] = Op::value(a[k], p);
}

template <class Op>
void binary_lanes(double* __restrict r, const double* __restrict a, const double* __restrict b) {
  for (Eigen::Index k = 0; k < kLanes; ++k) r[k] = Op::value(a[k], b[k]);
}

}  // namespace

// A register for every slot, reusing those of dead results. A result never
// shares a register with an argument of its own instruction (the lane loops
// are __restrict), and outputs and guarded slots live to the end.
std::vector<std::uint32_t> Program::batch_registers(std::uint32_t& count) const {
  const std::size_t first = first_result();
  const std::size_t n = instructions_.size();
  constexpr std::size_t kForever = ~std::size_t{0};
  constexpr std::size_t kUnread = kForever - 1;
  std::vector<std::size_t> last_read(first + n, kUnread);
  for (std::size_t i = 0; i < n; ++i) {
    const Instruction& in = instructions_[i];
    last_read[in.a] = i;
    if (!is_unary(in.op)) last_read[in.b] = i;
  }
  for (std::uint32_t y : outputs_) last_read[y] = kForever;
  for (const Guard& g : guards_) last_read[g.a] = last_read[g.b] = kForever;

  std::vector<std::uint32_t> of_slot(first + n);
  count = 0;
  for (std::size_t s = 0; s < first; ++s) of_slot[s] = count++;
  std::vector<std::uint32_t> free;
  for (std::size_t i = 0; i < n; ++i) {
    if (free.empty()) {
      of_slot[first + i] = count++;
    } else {
      of_slot[first + i] = free.back();
      free.pop_back();
    }
    const Instruction& in = instructions_[i];
    if (in.a >= first && last_read[in.a] == i) free.push_back(of_slot[in.a]);
    if (!is_unary(in.op) && in.b != in.a && in.b >= first && last_read[in.b] == i)
      free.push_back(of_slot[in.b]);
    if (last_read[first + i] == kUnread) free.push_back(of_slot[first + i]);  // dead code kept
  }
  return of_slot;
}

Eigen::MatrixXd Program::values_batch(const Eigen::MatrixXd& points) const {
  require_inputs(points.rows(), "Program::values_batch");
  const Eigen::Index count = points.cols();
  Eigen::MatrixXd out(static_cast<Eigen::Index>(outputs_.size()), count);
  if (count == 0) return out;

  std::uint32_t registers = 0;
  const std::vector<std::uint32_t> reg = batch_registers(registers);
  thread_local std::vector<double> scratch;
  scratch.resize(std::size_t{registers} * static_cast<std::size_t>(kLanes));
  double* v = scratch.data();
  auto lanes = [v, &reg](std::size_t slot) {
    return v + std::size_t{reg[slot]} * static_cast<std::size_t>(kLanes);
  };
  for (std::size_t c = 0; c < constants_.size(); ++c) std::fill_n(lanes(inputs_ + c), kLanes, constants_[c]);

  for (Eigen::Index first = 0; first < count; first += kLanes) {
    const Eigen::Index used = std::min(kLanes, count - first);
    for (std::size_t i = 0; i < inputs_; ++i) {
      double* x = lanes(i);
      const auto row = static_cast<Eigen::Index>(i);
      for (Eigen::Index k = 0; k < kLanes; ++k) x[k] = points(row, first + (k < used ? k : 0));
    }
    std::size_t result = first_result();
    for (const Instruction& in : instructions_) {
      double* r = lanes(result++);
      switch (in.op) {
#define NABLA_BATCH_UNARY_CASE(fn, Op)                              \
  case Opcode::Op:                                                  \
    unary_lanes<core::Op>(r, lanes(in.a), parameter<core::Op>(in)); \
    break;
#define NABLA_BATCH_BINARY_CASE(fn, Op)                  \
  case Opcode::Op:                                       \
    binary_lanes<core::Op>(r, lanes(in.a), lanes(in.b)); \
    break;
        NABLA_PROGRAM_UNARY_OPS(NABLA_BATCH_UNARY_CASE)
        NABLA_PROGRAM_BINARY_OPS(NABLA_BATCH_BINARY_CASE)
#undef NABLA_BATCH_UNARY_CASE
#undef NABLA_BATCH_BINARY_CASE
        default:
          __builtin_unreachable();
      }
    }
    for (std::size_t g = 0; g < guards_.size(); ++g) {
      const Guard& guard = guards_[g];
      const double* a = lanes(guard.a);
      const double* b = lanes(guard.b);
      for (Eigen::Index k = 0; k < used; ++k)
        if (comparison_holds(guard.comparison, a[k], b[k]) != guard.outcome) throw_guard(g);
    }
    for (std::size_t j = 0; j < outputs_.size(); ++j) {
      const double* y = lanes(outputs_[j]);
      for (Eigen::Index k = 0; k < used; ++k) out(static_cast<Eigen::Index>(j), first + k) = y[k];
    }
  }
  return out;
}

}  // namespace nabla
