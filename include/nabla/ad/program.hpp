// Record once, replay many: nabla::Program, a flat list of instructions
// (opcode, two argument slots) over an array of values laid out as
// [inputs][constants][one result per instruction], with outputs and guards.
// It re-evaluates a computation at new inputs without re-recording it (as
// CppAD's ADFun) and differentiates it: a forward sweep computes the values
// and each instruction's local partials, a reverse sweep of multiply-adds
// the adjoints (gradients, vector-Jacobian products, reverse Jacobians); the
// same sweeps on Dual numbers give Jacobians by forward mode, and Hessians
// and Hessian-vector products by forward-over-reverse. Opcodes are generated
// from the registry's lists, so a primitive added to core/primitives.hpp is
// supported here unchanged; the sweeps call Op::value and
// core::unary_partial / binary_partial_* only.
//
// A Program is made by tracing a generic callable (nabla::record, in
// ad/trace.hpp) or directly with a ProgramBuilder (as sym::compile does).
// Comparisons seen while tracing become guards: replaying where a guard's
// outcome differs throws DomainError instead of returning a wrong number.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "nabla/ad/drivers.hpp"
#include "nabla/ad/dual.hpp"
#include "nabla/ad/var.hpp"
#include "nabla/core/eigen.hpp"
#include "nabla/core/errors.hpp"
#include "nabla/core/primitives.hpp"

/// Every unary primitive a Program runs: X(function_name, PrimitiveType).
#define NABLA_PROGRAM_UNARY_OPS(X) NABLA_UNARY_FUNCTIONS(X) NABLA_UNARY_WITH_PARAMETER(X) X(neg, Neg)
/// Every binary primitive a Program runs: X(function_name_or_operator, PrimitiveType).
#define NABLA_PROGRAM_BINARY_OPS(X) NABLA_BINARY_FUNCTIONS(X) NABLA_ARITHMETIC_OPERATORS(X)

namespace nabla {

/// The operation of a Program instruction: one per registry primitive, named
/// after its type (Opcode::Sin, Opcode::PowInt for x^n, Opcode::Pow for a^b).
enum class Opcode : std::uint8_t {
#define NABLA_OPCODE_ENTRY(fn, Op) Op,
  NABLA_PROGRAM_UNARY_OPS(NABLA_OPCODE_ENTRY) NABLA_PROGRAM_BINARY_OPS(NABLA_OPCODE_ENTRY)
#undef NABLA_OPCODE_ENTRY
};

#define NABLA_OPCODE_COUNT(fn, Op) +1
/// The number of unary opcodes; they come first, the binary ones after.
inline constexpr int kUnaryOpcodes = 0 NABLA_PROGRAM_UNARY_OPS(NABLA_OPCODE_COUNT);
/// The number of opcodes.
inline constexpr int kOpcodes = kUnaryOpcodes NABLA_PROGRAM_BINARY_OPS(NABLA_OPCODE_COUNT);
#undef NABLA_OPCODE_COUNT

/// The opcode of a registry primitive: OpcodeOf<core::Sin>::value.
template <class Op>
struct OpcodeOf;
#define NABLA_OPCODE_OF(fn, Op)                 \
  template <>                                   \
  struct OpcodeOf<core::Op> {                   \
    static constexpr Opcode value = Opcode::Op; \
  };
NABLA_PROGRAM_UNARY_OPS(NABLA_OPCODE_OF)
NABLA_PROGRAM_BINARY_OPS(NABLA_OPCODE_OF)
#undef NABLA_OPCODE_OF
template <class Op>
inline constexpr Opcode opcode_of = OpcodeOf<Op>::value;

namespace detail {
template <class... Ops>
constexpr int opcodes_of(core::PrimitiveList<Ops...>) {
  return ((static_cast<void>(opcode_of<Ops>), 1) + ... + 0);
}
}  // namespace detail
static_assert(detail::opcodes_of(core::UnaryPrimitives{}) == kUnaryOpcodes,
              "every unary primitive of the registry needs an opcode (NABLA_PROGRAM_UNARY_OPS)");
static_assert(detail::opcodes_of(core::BinaryPrimitives{}) == kOpcodes - kUnaryOpcodes,
              "every binary primitive of the registry needs an opcode (NABLA_PROGRAM_BINARY_OPS)");

/// Whether op takes one argument (and perhaps a parameter) rather than two.
constexpr bool is_unary(Opcode op) { return static_cast<int>(op) < kUnaryOpcodes; }
/// Whether op is a unary primitive with a passive parameter (softplus, leaky_relu, x^n).
bool has_parameter(Opcode op);
/// The registry's name of op ("sin", "pow", "add", ...).
const char* opcode_name(Opcode op);

/// A comparison recorded as a guard: a < b, a <= b, ...
enum class Comparison : std::uint8_t { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual };

/// The comparison's operator ("<", "<=", ...).
const char* comparison_token(Comparison c);

/// Whether a c b, for any scalar with comparison operators (a TraceVar records it).
template <class T>
bool comparison_holds(Comparison c, const T& a, const T& b) {
  switch (c) {
    case Comparison::Less:
      return a < b;
    case Comparison::LessEqual:
      return a <= b;
    case Comparison::Greater:
      return a > b;
    case Comparison::GreaterEqual:
      return a >= b;
    case Comparison::Equal:
      return a == b;
    case Comparison::NotEqual:
      return a != b;
  }
  return false;
}

class TraceVar;
class ProgramBuilder;

namespace detail {
template <class Op>
TraceVar trace_unary(const TraceVar& x, double p);
template <class Op>
TraceVar trace_binary(const TraceVar& a, const TraceVar& b);

/// Op(x; p) on any scalar the Program runs on: the registry's value on
/// numbers, the chain rule on Duals, a statement on a Var's tape, an
/// instruction of the recording on a TraceVar.
template <class Op, class T>
T program_unary(const T& x, double p) {
  if constexpr (std::is_arithmetic_v<T>) {
    return Op::value(x, p);
  } else if constexpr (is_dual<T>::value) {
    return apply_unary<Op>(x, p);
  } else if constexpr (is_var<T>::value) {
    using S = typename T::scalar;
    return T(Unary<Op, Leaf<S>>(as_node(x), p));
  } else {
    return trace_unary<Op>(x, p);
  }
}

/// Op(a, b) on any scalar the Program runs on.
template <class Op, class T>
T program_binary(const T& a, const T& b) {
  if constexpr (std::is_arithmetic_v<T>) {
    return Op::value(a, b);
  } else if constexpr (is_dual<T>::value) {
    return apply_binary<Op>(a, b);
  } else if constexpr (is_var<T>::value) {
    using S = typename T::scalar;
    return T(Binary<Op, Leaf<S>, Leaf<S>>(as_node(a), as_node(b)));
  } else {
    return trace_binary<Op>(a, b);
  }
}
}  // namespace detail

/// A recorded computation f: R^n -> R^m that re-evaluates and differentiates
/// itself at new inputs without re-recording. Immutable once built: every
/// method is const, and several threads may use one Program at once. The
/// double and Dual sweeps work in thread-local scratch buffers that grow to
/// the largest Program a thread has run, so a call allocates nothing but its
/// result. A guard that no longer holds at x throws DomainError.
class Program {
 public:
  /// One step: the result slot is inputs() + constants() + its position.
  /// A unary instruction's b is the constant slot of its parameter, or
  /// slots() (a sink for its zero second partial) when it has none.
  struct Instruction {
    Opcode op;
    std::uint8_t flags;  ///< kConstantA | kConstantB | kFirstA | kFirstB
    std::uint32_t a;     ///< the (first) argument's slot
    std::uint32_t b;     ///< the second argument's slot, or as above
  };
  /// Instruction flags: a (b) is a constant, so no partial is computed for it;
  /// the instruction is the last reader of a (b), so the reverse sweep, which
  /// meets it first, stores a's adjoint rather than adding to it (and the
  /// adjoints need no clearing before a sweep).
  static constexpr std::uint8_t kConstantA = 1, kConstantB = 2, kFirstA = 4, kFirstB = 8;
  /// A comparison seen at record time: slot a `comparison` slot b was `outcome`.
  struct Guard {
    Comparison comparison;
    bool outcome;
    std::uint32_t a;
    std::uint32_t b;
    std::uint32_t position;  ///< instructions recorded before it
  };

  /// An empty program: no input, no output.
  Program() = default;

  /// Number of inputs n.
  std::size_t inputs() const { return inputs_; }
  /// Number of outputs m.
  std::size_t outputs() const { return outputs_.size(); }
  /// Number of instructions.
  std::size_t size() const { return instructions_.size(); }
  /// Number of constant slots.
  std::size_t constants() const { return constants_.size(); }
  /// Number of value slots: inputs, constants and instruction results.
  std::size_t slots() const { return inputs_ + constants_.size() + instructions_.size(); }
  /// Whether the recording depended on comparisons (its replay is checked).
  bool has_guards() const { return !guards_.empty(); }
  /// The guards, in the order they were recorded.
  const std::vector<Guard>& guards() const { return guards_; }
  /// The instructions, in execution order.
  const std::vector<Instruction>& instructions() const { return instructions_; }

  /// The first output at x.
  double value(const Eigen::VectorXd& x) const;
  /// The first output at x.
  double operator()(const Eigen::VectorXd& x) const { return value(x); }
  /// All outputs at x.
  Eigen::VectorXd values(const Eigen::VectorXd& x) const;
  /// The outputs at many points: column j of `points` (inputs() rows) is a
  /// point, column j of the result (outputs() rows) its outputs. Each
  /// instruction runs over a block of points at once, so its dispatch is paid
  /// once per block and its arithmetic vectorizes: per point this approaches
  /// the same formula compiled as C++. Throws DomainError if a guard fails
  /// at any of the points.
  Eigen::MatrixXd values_batch(const Eigen::MatrixXd& points) const;
  /// Whether every guard holds at x, i.e. whether the replay at x follows the
  /// branches of the recording (false: record again at x).
  bool guards_hold(const Eigen::VectorXd& x) const;

  /// The value and the gradient of a single-output program: one forward and
  /// one reverse sweep.
  ValueAndGradient value_and_gradient(const Eigen::VectorXd& x) const;
  /// The gradient of a single-output program.
  Eigen::VectorXd gradient(const Eigen::VectorXd& x) const;
  /// The m-by-n Jacobian: forward sweeps of 8 Dual lanes when n <= m, one
  /// reverse sweep per output otherwise.
  Eigen::MatrixXd jacobian(const Eigen::VectorXd& x) const;
  /// The Hessian of a single-output program by forward-over-reverse (both
  /// sweeps on Dual numbers, up to 8 columns at a time), symmetrized.
  Eigen::MatrixXd hessian(const Eigen::VectorXd& x) const;
  /// H(x) v for a single-output program, by one forward-over-reverse pass.
  Eigen::VectorXd hvp(const Eigen::VectorXd& x, const Eigen::VectorXd& v) const;
  /// J(x) v by one forward sweep on Duals.
  Eigen::VectorXd jvp(const Eigen::VectorXd& x, const Eigen::VectorXd& v) const;
  /// w^T J(x) by one reverse sweep.
  Eigen::VectorXd vjp(const Eigen::VectorXd& x, const Eigen::VectorXd& w) const;

  /// The outputs at x on any scalar: double, Dual (forward mode through the
  /// program), Var (the program becomes statements of the active tape, so it
  /// can sit inside a function given to nabla::gradient) or TraceVar (the
  /// program is inlined into the recording under way, guards included).
  template <class T>
  VectorX<T> evaluate(const VectorX<T>& x) const;

  /// A listing: one line per constant, instruction, guard and output.
  friend std::ostream& operator<<(std::ostream& os, const Program& p);

 private:
  friend class ProgramBuilder;

  std::size_t first_result() const { return inputs_ + constants_.size(); }
  void require_inputs(Eigen::Index n, const char* who) const;
  void require_single_output(const char* who) const;
  [[noreturn]] void throw_guard(std::size_t k) const;
  /// values_batch's register of each slot (results share the registers of
  /// dead ones); `count` receives the number of registers.
  std::vector<std::uint32_t> batch_registers(std::uint32_t& count) const;

  template <class Op>
  double parameter(const Instruction& in) const {
    if constexpr (Op::has_parameter)
      return constants_[in.b - inputs_];
    else
      return 0.0;
  }

  /// Loads x and the constants into v[0, first_result()).
  template <class T, class Input>
  void load(T* v, const Input& x) const {
    for (std::size_t i = 0; i < inputs_; ++i) v[i] = x(static_cast<Eigen::Index>(i));
    for (std::size_t k = 0; k < constants_.size(); ++k) v[inputs_ + k] = T(constants_[k]);
  }

  /// Runs every instruction over v, whose inputs and constants are loaded.
  template <class T>
  void run(T* v) const;

  /// Throws DomainError at the first guard that does not hold over v.
  template <class T>
  void check_guards(const T* v) const {
    for (std::size_t k = 0; k < guards_.size(); ++k) {
      const Guard& g = guards_[k];
      if (comparison_holds(g.comparison, v[g.a], v[g.b]) != g.outcome) throw_guard(k);
    }
  }

  /// run() that also stores each instruction's local partials d result / d a
  /// and d result / d b at partials[2i] and [2i + 1] (0 for a constant
  /// argument, and for a unary instruction's missing second one).
  template <class T>
  void linearize(T* v, T* partials) const;
  /// The reverse sweep over linearize()'s partials, from the last instruction
  /// back to the first: adj[a] += adj[result] * partial, multiply-adds only.
  /// adj has slots() + 1 entries; the last absorbs unary instructions' zero.
  /// The adjoints of outputs are the seeds; adj must be as linearize_at leaves it.
  template <class T>
  void reverse_linearized(const T* partials, T* adj) const;
  /// This thread's scratch after linearize() at the inputs x(i) (guards
  /// checked): values, partials, and slots() + 1 adjoints ready for a sweep
  /// (zero for inputs, outputs and unread results; the others are stored
  /// before they are read).
  template <class T>
  struct Sweep {
    T* v;
    T* partials;
    T* adj;
  };
  template <class T, class Input>
  Sweep<T> linearize_at(const Input& x) const;
  /// Zeroes the adjoints a sweep adds to before storing: inputs, outputs, unread results.
  template <class T>
  void clear_adjoints(T* adj) const;
  /// Sets kFirstA / kFirstB and unread_ (build() calls it).
  void mark_first_reads();

  template <int L>
  void hessian_columns(const Eigen::VectorXd& x, Eigen::Index first, Eigen::MatrixXd& h) const;
  template <int L>
  void jacobian_columns(const Eigen::VectorXd& x, Eigen::Index first, Eigen::MatrixXd& jac) const;

  std::size_t inputs_ = 0;
  std::vector<double> constants_;
  std::vector<Instruction> instructions_;
  std::vector<std::uint32_t> outputs_;
  std::vector<Guard> guards_;
  /// Instruction results that no instruction reads and no output is (kept
  /// when drop_dead_code is off): their adjoints are cleared before a sweep.
  std::vector<std::uint32_t> unread_;
};

/// What ProgramBuilder::build does to the recording.
struct ProgramOptions {
  /// An instruction whose arguments are all constants becomes a constant.
  bool fold_constants = true;
  /// Identical constants, instructions and guards share one slot (CSE).
  bool deduplicate = true;
  /// Instructions that no output or guard depends on are dropped.
  bool drop_dead_code = true;
};

/// Builds a Program instruction by instruction (sym::compile and
/// nabla::record use it):
///   ProgramBuilder b;
///   auto x = b.input();
///   auto y = b.binary<core::Mul>(x, b.unary<core::Sin>(x));
///   b.output(y);
///   Program p = std::move(b).build();
class ProgramBuilder {
 public:
  /// A value of the program under construction.
  struct Slot {
    std::uint32_t id;
  };

  explicit ProgramBuilder(ProgramOptions options = {});
  ~ProgramBuilder();
  ProgramBuilder(ProgramBuilder&&) noexcept;
  ProgramBuilder& operator=(ProgramBuilder&&) noexcept;

  /// A new input: inputs are numbered in the order they are made.
  Slot input();
  /// A constant (equal constants share one slot unless deduplicate is off).
  Slot constant(double value);
  /// op(x; parameter) for a unary opcode; DomainError for a binary one, or a
  /// non-integer exponent of PowInt.
  Slot unary(Opcode op, Slot x, double parameter = 0.0);
  /// op(a, b) for a binary opcode; DomainError for a unary one.
  Slot binary(Opcode op, Slot a, Slot b);
  /// Op(x; parameter) for a unary primitive of the registry.
  template <class Op>
  Slot unary(Slot x, double parameter = Op::default_parameter) {
    return unary(opcode_of<Op>, x, parameter);
  }
  /// Op(a, b) for a binary primitive of the registry.
  template <class Op>
  Slot binary(Slot a, Slot b) {
    return binary(opcode_of<Op>, a, b);
  }
  /// Records that `a c b` was `outcome`: the replay checks it.
  void guard(Comparison c, Slot a, Slot b, bool outcome);
  /// Appends an output.
  void output(Slot y);

  /// Whether s is a constant slot, and its value.
  bool is_constant(Slot s) const;
  double constant_value(Slot s) const;
  /// Instructions so far.
  std::size_t size() const;
  /// Identifies this builder among all builders (TraceVars carry it).
  std::uint32_t id() const { return id_; }

  /// The program: slots renumbered as [inputs][constants][instructions],
  /// optimized as the options say. The builder is left empty.
  Program build() &&;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint32_t id_;
};

// ------------------------------------------------------------ templates ---

template <class T>
void Program::run(T* v) const {
  T* result = v + first_result();
  for (const Instruction& in : instructions_) {
    switch (in.op) {
#define NABLA_PROGRAM_UNARY_CASE(fn, Op)                                         \
  case Opcode::Op:                                                               \
    *result = detail::program_unary<core::Op>(v[in.a], parameter<core::Op>(in)); \
    break;
#define NABLA_PROGRAM_BINARY_CASE(fn, Op)                         \
  case Opcode::Op:                                                \
    *result = detail::program_binary<core::Op>(v[in.a], v[in.b]); \
    break;
      NABLA_PROGRAM_UNARY_OPS(NABLA_PROGRAM_UNARY_CASE)
      NABLA_PROGRAM_BINARY_OPS(NABLA_PROGRAM_BINARY_CASE)
#undef NABLA_PROGRAM_UNARY_CASE
#undef NABLA_PROGRAM_BINARY_CASE
      default:
        __builtin_unreachable();  // every opcode has its case; no range check
    }
    ++result;
  }
}

template <class T>
VectorX<T> Program::evaluate(const VectorX<T>& x) const {
  require_inputs(x.size(), "Program::evaluate");
  std::vector<T> v(slots());
  load(v.data(), [&](Eigen::Index i) { return x[i]; });
  run(v.data());
  check_guards(v.data());
  VectorX<T> y(static_cast<Eigen::Index>(outputs_.size()));
  for (std::size_t j = 0; j < outputs_.size(); ++j) y[static_cast<Eigen::Index>(j)] = v[outputs_[j]];
  return y;
}

}  // namespace nabla

#include "nabla/ad/trace.hpp"
