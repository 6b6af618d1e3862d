// The compiled part of nabla::Program: the sweeps on double and Dual values
// (forward with local partials, reverse with multiply-adds) in thread-local
// scratch buffers, the drivers built on them, guards, and the listing.
#include "nabla/ad/program.hpp"

#include <algorithm>
#include <ostream>
#include <string>

namespace nabla {

// -------------------------------------------------------------- opcodes ---

bool has_parameter(Opcode op) {
  switch (op) {
#define NABLA_PROGRAM_CASE(fn, Op) \
  case Opcode::Op:                 \
    return core::Op::has_parameter;
    NABLA_PROGRAM_UNARY_OPS(NABLA_PROGRAM_CASE)
#undef NABLA_PROGRAM_CASE
    default:
      return false;
  }
}

const char* opcode_name(Opcode op) {
  switch (op) {
#define NABLA_PROGRAM_CASE(fn, Op) \
  case Opcode::Op:                 \
    return core::Op::name;
    NABLA_PROGRAM_UNARY_OPS(NABLA_PROGRAM_CASE)
    NABLA_PROGRAM_BINARY_OPS(NABLA_PROGRAM_CASE)
#undef NABLA_PROGRAM_CASE
  }
  return "?";
}

const char* comparison_token(Comparison c) {
  switch (c) {
    case Comparison::Less:
      return "<";
    case Comparison::LessEqual:
      return "<=";
    case Comparison::Greater:
      return ">";
    case Comparison::GreaterEqual:
      return ">=";
    case Comparison::Equal:
      return "==";
    case Comparison::NotEqual:
      return "!=";
  }
  return "?";
}

namespace {

/// A thread's scratch buffers of T: `which` 0 holds values, 1 adjoints, 2 partials.
template <class T>
T* scratch(int which, std::size_t n) {
  thread_local std::vector<T> buffers[3];
  std::vector<T>& b = buffers[which];
  if (b.size() < n) b.resize(n);
  return b.data();
}

/// Throws DimensionError unless the vector `name` passed to `who` has one
/// entry per input.
void require_entries(Eigen::Index n, std::size_t inputs, const char* who, const char* name) {
  if (static_cast<std::size_t>(n) == inputs) return;
  throw DimensionError(std::string(who) + ": " + name + " has " + std::to_string(n) +
                       " entries but the program has " + std::to_string(inputs) + " inputs");
}

}  // namespace

// -------------------------------------------------------------- program ---

// The messages are built only on failure: these checks run on every call.
void Program::require_inputs(Eigen::Index n, const char* who) const { require_entries(n, inputs_, who, "x"); }

void Program::require_single_output(const char* who) const {
  if (outputs_.size() == 1) return;
  throw DimensionError(std::string(who) + ": the program has " + std::to_string(outputs_.size()) +
                       " outputs, it needs exactly one (use jacobian or vjp)");
}

namespace {
std::string slot_name(const Program& p, std::uint32_t s) {
  // Appended rather than "x" + std::to_string(s): GCC 12 at -O3 warns
  // (-Wrestrict, a false positive) on the latter.
  std::string name(1, s < p.inputs() ? 'x' : s < p.inputs() + p.constants() ? 'c' : 'v');
  if (s < p.inputs()) return name.append(std::to_string(s));
  if (s < p.inputs() + p.constants()) return name.append(std::to_string(s - p.inputs()));
  return name.append(std::to_string(s - p.inputs() - p.constants()));
}
}  // namespace

void Program::throw_guard(std::size_t k) const {
  const Guard& g = guards_[k];
  throw DomainError("Program: the branch recorded before instruction " + std::to_string(g.position) + " (" +
                    slot_name(*this, g.a) + " " + comparison_token(g.comparison) + " " +
                    slot_name(*this, g.b) + " was " + (g.outcome ? "true" : "false") +
                    ") no longer holds at this x; record again");
}

template <class T>
void Program::linearize(T* v, T* partials) const {
  T* result = v + first_result();
  T* d = partials;
  for (const Instruction& in : instructions_) {
    switch (in.op) {
#define NABLA_PROGRAM_UNARY_CASE(fn, Op)                 \
  case Opcode::Op: {                                     \
    const double p = parameter<core::Op>(in);            \
    const T& x = v[in.a];                                \
    *result = detail::program_unary<core::Op>(x, p);     \
    d[0] = core::unary_partial<core::Op>(x, *result, p); \
    d[1] = T(0.0);                                       \
    break;                                               \
  }
#define NABLA_PROGRAM_BINARY_CASE(fn, Op)                                                           \
  case Opcode::Op: {                                                                                \
    const T& a = v[in.a];                                                                           \
    const T& b = v[in.b];                                                                           \
    *result = detail::program_binary<core::Op>(a, b);                                               \
    d[0] = (in.flags & kConstantA) ? T(0.0) : core::binary_partial_first<core::Op>(a, b, *result);  \
    d[1] = (in.flags & kConstantB) ? T(0.0) : core::binary_partial_second<core::Op>(a, b, *result); \
    break;                                                                                          \
  }
      NABLA_PROGRAM_UNARY_OPS(NABLA_PROGRAM_UNARY_CASE)
      NABLA_PROGRAM_BINARY_OPS(NABLA_PROGRAM_BINARY_CASE)
#undef NABLA_PROGRAM_UNARY_CASE
#undef NABLA_PROGRAM_BINARY_CASE
      default:
        __builtin_unreachable();
    }
    ++result;
    d += 2;
  }
}

void Program::mark_first_reads() {
  // Going backwards, the first reader of a slot met is its last in program order.
  std::vector<char> read(slots() + 1, 0);
  for (std::uint32_t y : outputs_) read[y] = 1;           // seeded: never stored over
  for (std::size_t i = 0; i < inputs_; ++i) read[i] = 1;  // the gradient: cleared, then summed
  const std::size_t first = first_result();
  for (std::size_t i = instructions_.size(); i-- > 0;) {
    Instruction& in = instructions_[i];
    if (!read[first + i]) unread_.push_back(static_cast<std::uint32_t>(first + i));
    if (!read[in.a]) in.flags |= kFirstA;
    read[in.a] = 1;
    if (is_unary(in.op)) {
      in.flags |= kFirstB;  // the sink or a parameter: never read
    } else {
      if (!read[in.b]) in.flags |= kFirstB;
      read[in.b] = 1;
    }
  }
}

template <class T>
void Program::clear_adjoints(T* adj) const {
  std::fill(adj, adj + inputs_, T(0.0));
  for (std::uint32_t y : outputs_) adj[y] = T(0.0);
  for (std::uint32_t r : unread_) adj[r] = T(0.0);
}

template <class T>
void Program::reverse_linearized(const T* partials, T* adj) const {
  const std::size_t first = first_result();
  for (std::size_t i = instructions_.size(); i-- > 0;) {
    const T w = adj[first + i];
    const Instruction& in = instructions_[i];
    if constexpr (std::is_arithmetic_v<T>) {
      if (w == 0) {  // as the tape: a zero adjoint spreads nothing (not even 0 * inf)
        if (in.flags & kFirstA) adj[in.a] = 0;
        if (in.flags & kFirstB) adj[in.b] = 0;
        continue;
      }
    }
    const T da = w * partials[2 * i];
    const T db = w * partials[2 * i + 1];
    if (in.flags & kFirstA)
      adj[in.a] = da;
    else
      adj[in.a] += da;
    if (in.flags & kFirstB)
      adj[in.b] = db;
    else
      adj[in.b] += db;
  }
}

template <class T, class Input>
Program::Sweep<T> Program::linearize_at(const Input& x) const {
  const std::size_t n = slots();
  Sweep<T> sweep{scratch<T>(0, n), scratch<T>(2, 2 * size()), scratch<T>(1, n + 1)};
  load(sweep.v, x);
  linearize(sweep.v, sweep.partials);
  check_guards(sweep.v);
  clear_adjoints(sweep.adj);
  return sweep;
}

double Program::value(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::value");
  if (outputs_.empty()) throw DimensionError("Program::value: the program has no output");
  double* v = scratch<double>(0, slots());
  load(v, x);
  run(v);
  check_guards(v);
  return v[outputs_[0]];
}

Eigen::VectorXd Program::values(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::values");
  double* v = scratch<double>(0, slots());
  load(v, x);
  run(v);
  check_guards(v);
  Eigen::VectorXd y(static_cast<Eigen::Index>(outputs_.size()));
  for (std::size_t j = 0; j < outputs_.size(); ++j) y[static_cast<Eigen::Index>(j)] = v[outputs_[j]];
  return y;
}

bool Program::guards_hold(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::guards_hold");
  if (guards_.empty()) return true;
  double* v = scratch<double>(0, slots());
  load(v, x);
  run(v);
  return std::all_of(guards_.begin(), guards_.end(), [&](const Guard& g) {
    return comparison_holds(g.comparison, v[g.a], v[g.b]) == g.outcome;
  });
}

ValueAndGradient Program::value_and_gradient(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::value_and_gradient");
  require_single_output("Program::value_and_gradient");
  const Sweep<double> lin = linearize_at<double>(x);
  lin.adj[outputs_[0]] = 1.0;
  reverse_linearized(lin.partials, lin.adj);
  return {lin.v[outputs_[0]], Eigen::Map<const Eigen::VectorXd>(lin.adj, static_cast<Eigen::Index>(inputs_))};
}

Eigen::VectorXd Program::gradient(const Eigen::VectorXd& x) const { return value_and_gradient(x).gradient; }

Eigen::VectorXd Program::vjp(const Eigen::VectorXd& x, const Eigen::VectorXd& w) const {
  require_inputs(x.size(), "Program::vjp");
  if (static_cast<std::size_t>(w.size()) != outputs_.size())
    throw DimensionError("Program::vjp: the program has " + std::to_string(outputs_.size()) +
                         " outputs but w has " + std::to_string(w.size()) + " entries");
  const Sweep<double> lin = linearize_at<double>(x);
  for (std::size_t j = 0; j < outputs_.size(); ++j) lin.adj[outputs_[j]] += w[static_cast<Eigen::Index>(j)];
  reverse_linearized(lin.partials, lin.adj);
  return Eigen::Map<const Eigen::VectorXd>(lin.adj, static_cast<Eigen::Index>(inputs_));
}

Eigen::VectorXd Program::jvp(const Eigen::VectorXd& x, const Eigen::VectorXd& u) const {
  require_inputs(x.size(), "Program::jvp");
  require_entries(u.size(), inputs_, "Program::jvp", "the direction v");
  using D = Dual<double, 1>;
  D* v = scratch<D>(0, slots());
  load(v, [&](Eigen::Index i) { return D(x[i], D::Tangent{u[i]}); });
  run(v);
  check_guards(v);
  Eigen::VectorXd ju(static_cast<Eigen::Index>(outputs_.size()));
  for (std::size_t j = 0; j < outputs_.size(); ++j)
    ju[static_cast<Eigen::Index>(j)] = v[outputs_[j]].tangent(0);
  return ju;
}

template <int L>
void Program::jacobian_columns(const Eigen::VectorXd& x, Eigen::Index first, Eigen::MatrixXd& jac) const {
  using D = Dual<double, L>;
  D* v = scratch<D>(0, slots());
  load(v, [&](Eigen::Index i) {
    const Eigen::Index lane = i - first;
    return lane >= 0 && lane < L ? D::variable(x[i], static_cast<std::size_t>(lane)) : D(x[i]);
  });
  run(v);
  check_guards(v);
  for (std::size_t j = 0; j < outputs_.size(); ++j)
    for (Eigen::Index k = 0; k < L && first + k < x.size(); ++k)
      jac(static_cast<Eigen::Index>(j), first + k) = v[outputs_[j]].tangent(static_cast<std::size_t>(k));
}

Eigen::MatrixXd Program::jacobian(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::jacobian");
  const auto n = static_cast<Eigen::Index>(inputs_);
  const auto m = static_cast<Eigen::Index>(outputs_.size());
  Eigen::MatrixXd jac(m, n);
  if (m == 0 || n == 0) return jac;
  if (n <= m) {
    for (Eigen::Index first = 0; first < n; first += 8) {
      const Eigen::Index left = n - first;
      if (left <= 2)
        jacobian_columns<2>(x, first, jac);
      else if (left <= 4)
        jacobian_columns<4>(x, first, jac);
      else
        jacobian_columns<8>(x, first, jac);
    }
    return jac;
  }
  const Sweep<double> lin = linearize_at<double>(x);
  for (Eigen::Index j = 0; j < m; ++j) {
    if (j > 0) clear_adjoints(lin.adj);
    lin.adj[outputs_[static_cast<std::size_t>(j)]] = 1.0;
    reverse_linearized(lin.partials, lin.adj);
    for (Eigen::Index i = 0; i < n; ++i) jac(j, i) = lin.adj[i];
  }
  return jac;
}

template <int L>
void Program::hessian_columns(const Eigen::VectorXd& x, Eigen::Index first, Eigen::MatrixXd& h) const {
  using D = Dual<double, L>;
  const Sweep<D> sweep = linearize_at<D>([&](Eigen::Index i) {
    const Eigen::Index lane = i - first;
    return lane >= 0 && lane < L ? D::variable(x[i], static_cast<std::size_t>(lane)) : D(x[i]);
  });
  sweep.adj[outputs_[0]] = D(1.0);
  reverse_linearized(sweep.partials, sweep.adj);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    for (Eigen::Index k = 0; k < L && first + k < x.size(); ++k)
      h(i, first + k) = sweep.adj[i].tangent(static_cast<std::size_t>(k));
}

Eigen::MatrixXd Program::hessian(const Eigen::VectorXd& x) const {
  require_inputs(x.size(), "Program::hessian");
  require_single_output("Program::hessian");
  const auto n = static_cast<Eigen::Index>(inputs_);
  Eigen::MatrixXd h(n, n);
  for (Eigen::Index first = 0; first < n; first += 8) {
    const Eigen::Index left = n - first;
    if (left <= 1)
      hessian_columns<1>(x, first, h);
    else if (left <= 2)
      hessian_columns<2>(x, first, h);
    else if (left <= 4)
      hessian_columns<4>(x, first, h);
    else
      hessian_columns<8>(x, first, h);
  }
  return detail::symmetric_part(h);  // halves before adding: no overflow near DBL_MAX
}

Eigen::VectorXd Program::hvp(const Eigen::VectorXd& x, const Eigen::VectorXd& u) const {
  require_inputs(x.size(), "Program::hvp");
  require_entries(u.size(), inputs_, "Program::hvp", "the vector v");
  require_single_output("Program::hvp");
  using D = Dual<double, 1>;
  const Sweep<D> sweep = linearize_at<D>([&](Eigen::Index i) { return D(x[i], D::Tangent{u[i]}); });
  sweep.adj[outputs_[0]] = D(1.0);
  reverse_linearized(sweep.partials, sweep.adj);
  Eigen::VectorXd hu(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) hu[i] = sweep.adj[i].tangent(0);
  return hu;
}

std::ostream& operator<<(std::ostream& os, const Program& p) {
  os << "program: " << p.inputs() << " inputs, " << p.constants() << " constants, " << p.size()
     << " instructions, " << p.outputs() << " outputs, " << p.guards_.size() << " guards\n";
  for (std::size_t k = 0; k < p.constants_.size(); ++k) os << "  c" << k << " = " << p.constants_[k] << "\n";
  std::size_t g = 0;
  auto guards_before = [&](std::size_t position) {
    for (; g < p.guards_.size() && p.guards_[g].position <= position; ++g) {
      const Program::Guard& guard = p.guards_[g];
      os << "  guard " << slot_name(p, guard.a) << " " << comparison_token(guard.comparison) << " "
         << slot_name(p, guard.b) << " is " << (guard.outcome ? "true" : "false") << "\n";
    }
  };
  for (std::size_t i = 0; i < p.instructions_.size(); ++i) {
    guards_before(i);
    const Program::Instruction& in = p.instructions_[i];
    os << "  v" << i << " = " << opcode_name(in.op) << "(" << slot_name(p, in.a);
    if (!is_unary(in.op))
      os << ", " << slot_name(p, in.b);
    else if (has_parameter(in.op))
      os << "; " << p.constants_[in.b - p.inputs()];
    os << ")\n";
  }
  guards_before(p.instructions_.size());
  for (std::size_t j = 0; j < p.outputs_.size(); ++j)
    os << "  y" << j << " = " << slot_name(p, p.outputs_[j]) << "\n";
  return os;
}

}  // namespace nabla
