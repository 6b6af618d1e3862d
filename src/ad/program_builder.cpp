// The compiled part of nabla::ProgramBuilder: hash-consing of constants,
// instructions and guards (CSE) in an open-addressing table, constant
// folding, and build(): dead-code removal and the renumbering of slots into
// [inputs][constants][one result per instruction]. Also the TraceVar's link
// to the builder recording on the thread.
#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

#include "nabla/ad/program.hpp"

namespace nabla {

namespace {

/// op(a, b; p) on numbers, for constant folding.
double fold(Opcode op, double a, double b, double p) {
  switch (op) {
#define NABLA_PROGRAM_UNARY_CASE(fn, Op) \
  case Opcode::Op:                       \
    return core::Op::value(a, p);
#define NABLA_PROGRAM_BINARY_CASE(fn, Op) \
  case Opcode::Op:                        \
    return core::Op::value(a, b);
    NABLA_PROGRAM_UNARY_OPS(NABLA_PROGRAM_UNARY_CASE)
    NABLA_PROGRAM_BINARY_OPS(NABLA_PROGRAM_BINARY_CASE)
#undef NABLA_PROGRAM_UNARY_CASE
#undef NABLA_PROGRAM_BINARY_CASE
  }
  return core::nan;
}

/// Slot ids stop below the TraceVar's passive marker.
constexpr std::size_t kMaxSlots = std::numeric_limits<std::uint32_t>::max() - 1;

/// splitmix64's finalizer: every input bit reaches every output bit.
std::uint64_t mix(std::uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

std::atomic<std::uint32_t> next_builder_id{1};

}  // namespace

// -------------------------------------------------------------- builder ---

struct ProgramBuilder::Impl {
  enum class Kind : std::uint8_t { Input, Constant, Instruction };
  struct Node {
    Kind kind;
    std::uint32_t index;  // among the nodes of its kind
  };
  struct Step {
    Opcode op;
    std::uint32_t a;
    std::uint32_t b;
    double parameter;
    std::uint32_t id;
  };
  struct PendingGuard {
    Comparison comparison;
    bool outcome;
    std::uint32_t a;
    std::uint32_t b;
    std::size_t before;  // steps recorded before it
  };
  // What hash-consing compares: an instruction (its opcode, a, b or its
  // parameter's bits), a constant (kConstantTag, 0, its bits) or a guard
  // (kGuardTag + comparison and outcome, a, b).
  struct Key {
    std::uint32_t tag;
    std::uint32_t a;
    std::uint64_t b;
    bool operator==(const Key&) const = default;
  };
  static constexpr std::uint32_t kConstantTag = 0x100;
  static constexpr std::uint32_t kGuardTag = 0x200;

  static std::uint64_t hash(const Key& k) { return mix(mix(k.b) ^ (std::uint64_t{k.a} << 12 | k.tag)); }

  /// An open-addressing hash table of ids (linear probing, at most half
  /// full) whose keys are not stored but recomputed by key_of(id); each entry
  /// keeps the low 32 bits of its key's hash (its place, and a check that
  /// spares most calls of key_of). Eight bytes an entry: the table of a large
  /// recording stays in cache.
  class Table {
   public:
    /// The id stored under key; if there is none, stores `id` and returns it.
    template <class KeyOf>
    std::uint32_t find_or_insert(const Key& key, std::uint32_t id, const KeyOf& key_of) {
      if (2 * (used_ + 1) > entries_.size()) grow();
      const auto check = static_cast<std::uint32_t>(hash(key));
      const std::size_t mask = entries_.size() - 1;
      for (std::size_t i = check & mask;; i = (i + 1) & mask) {
        Entry& e = entries_[i];
        if (e.id == kEmpty) {
          e = {id, check};
          ++used_;
          return id;
        }
        if (e.check == check && key_of(e.id) == key) return e.id;
      }
    }

   private:
    static constexpr std::uint32_t kEmpty = ~std::uint32_t{0};
    struct Entry {
      std::uint32_t id = kEmpty;
      std::uint32_t check = 0;
    };
    void grow() {
      if (entries_.size() > (std::size_t{1} << 31)) throw DimensionError("ProgramBuilder: too many entries");
      std::vector<Entry> old(std::max<std::size_t>(64, 2 * entries_.size()));
      old.swap(entries_);
      const std::size_t mask = entries_.size() - 1;
      for (const Entry& e : old) {
        if (e.id == kEmpty) continue;
        std::size_t i = e.check & mask;
        while (entries_[i].id != kEmpty) i = (i + 1) & mask;
        entries_[i] = e;
      }
    }
    std::vector<Entry> entries_;
    std::size_t used_ = 0;
  };

  /// The key of a constant or instruction node.
  Key node_key(std::uint32_t id) const {
    const Node& n = nodes[id];
    if (n.kind == Kind::Constant) return {kConstantTag, 0, std::bit_cast<std::uint64_t>(constants[n.index])};
    const Step& s = steps[n.index];
    return {static_cast<std::uint32_t>(s.op), s.a,
            is_unary(s.op) ? std::bit_cast<std::uint64_t>(s.parameter) : std::uint64_t{s.b}};
  }
  Key guard_key(std::uint32_t k) const {
    const PendingGuard& g = guards[k];
    return {kGuardTag + static_cast<std::uint32_t>(g.comparison) * 2 + (g.outcome ? 1 : 0), g.a, g.b};
  }

  /// Whether an equal node was made before (when deduplicating); then id is
  /// its id. Otherwise key now maps to the next node id, which the caller makes.
  bool seen(const Key& key, std::uint32_t& id) {
    if (!options.deduplicate) return false;
    const auto next = static_cast<std::uint32_t>(nodes.size());
    id = node_table.find_or_insert(key, next, [this](std::uint32_t i) { return node_key(i); });
    return id != next;
  }

  explicit Impl(ProgramOptions o) : options(o) {}

  /// Which nodes an output or a guard depends on (all when keeping dead code).
  std::vector<char> live_nodes() const {
    std::vector<char> live(nodes.size(), options.drop_dead_code ? 0 : 1);
    for (std::uint32_t y : outputs) live[y] = 1;
    for (const auto& g : guards) live[g.a] = live[g.b] = 1;
    for (std::size_t s = steps.size(); s-- > 0;) {
      const Step& step = steps[s];
      if (!live[step.id]) continue;
      live[step.a] = 1;
      if (!is_unary(step.op)) live[step.b] = 1;
    }
    return live;
  }

  std::uint32_t add_node(Kind kind, std::size_t index) {
    if (nodes.size() >= kMaxSlots) throw DimensionError("ProgramBuilder: more than 2^32 - 2 slots");
    nodes.push_back({kind, static_cast<std::uint32_t>(index)});
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }

  void check(Slot s, const char* who) const {
    if (s.id >= nodes.size())
      throw DimensionError(std::string("ProgramBuilder::") + who + ": slot " + std::to_string(s.id) +
                           " was not made by this builder");
  }
  bool is_constant(std::uint32_t id) const { return nodes[id].kind == Kind::Constant; }
  double constant(std::uint32_t id) const { return constants[nodes[id].index]; }

  ProgramOptions options;
  std::vector<Node> nodes;
  std::size_t inputs = 0;
  std::vector<double> constants;
  std::vector<std::uint32_t> constant_ids;
  std::vector<Step> steps;
  std::vector<PendingGuard> guards;
  std::vector<std::uint32_t> outputs;
  Table node_table;
  Table guard_table;
};

ProgramBuilder::ProgramBuilder(ProgramOptions options)
    : impl_(std::make_unique<Impl>(options)), id_(next_builder_id.fetch_add(1)) {}
ProgramBuilder::~ProgramBuilder() = default;
ProgramBuilder::ProgramBuilder(ProgramBuilder&&) noexcept = default;
ProgramBuilder& ProgramBuilder::operator=(ProgramBuilder&&) noexcept = default;

ProgramBuilder::Slot ProgramBuilder::input() {
  const std::uint32_t id = impl_->add_node(Impl::Kind::Input, impl_->inputs);
  ++impl_->inputs;
  return {id};
}

ProgramBuilder::Slot ProgramBuilder::constant(double value) {
  Impl& m = *impl_;
  std::uint32_t id = 0;
  if (m.seen({Impl::kConstantTag, 0, std::bit_cast<std::uint64_t>(value)}, id)) return {id};
  id = m.add_node(Impl::Kind::Constant, m.constants.size());
  m.constants.push_back(value);
  m.constant_ids.push_back(id);
  return {id};
}

ProgramBuilder::Slot ProgramBuilder::unary(Opcode op, Slot x, double parameter) {
  Impl& m = *impl_;
  if (!is_unary(op))
    throw DomainError(std::string("ProgramBuilder::unary: ") + opcode_name(op) + " takes two arguments");
  m.check(x, "unary");
  // (the exponents nabla::pow(x, int) takes: 2e9 was refused as "not an integer")
  constexpr double kSmallest = std::numeric_limits<int>::min(), kLargest = std::numeric_limits<int>::max();
  if (op == Opcode::PowInt &&
      !(core::is_integer(parameter) && parameter >= kSmallest && parameter <= kLargest)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", parameter);
    throw DomainError(
        std::string("ProgramBuilder::unary: the exponent of pow(x, n) must be an integer in the range "
                    "of int, not ") +
        text);
  }
  if (!has_parameter(op)) parameter = 0.0;
  if (m.options.fold_constants && m.is_constant(x.id))
    return constant(fold(op, m.constant(x.id), 0.0, parameter));
  std::uint32_t id = 0;
  if (m.seen({static_cast<std::uint32_t>(op), x.id, std::bit_cast<std::uint64_t>(parameter)}, id))
    return {id};
  id = m.add_node(Impl::Kind::Instruction, m.steps.size());
  m.steps.push_back({op, x.id, 0, parameter, id});
  return {id};
}

ProgramBuilder::Slot ProgramBuilder::binary(Opcode op, Slot a, Slot b) {
  Impl& m = *impl_;
  if (is_unary(op))
    throw DomainError(std::string("ProgramBuilder::binary: ") + opcode_name(op) + " takes one argument");
  m.check(a, "binary");
  m.check(b, "binary");
  if (m.options.fold_constants && m.is_constant(a.id) && m.is_constant(b.id))
    return constant(fold(op, m.constant(a.id), m.constant(b.id), 0.0));
  // a + b and a * b are exactly b + a and b * a in IEEE arithmetic.
  if ((op == Opcode::Add || op == Opcode::Mul) && b.id < a.id) std::swap(a, b);
  std::uint32_t id = 0;
  if (m.seen({static_cast<std::uint32_t>(op), a.id, b.id}, id)) return {id};
  id = m.add_node(Impl::Kind::Instruction, m.steps.size());
  m.steps.push_back({op, a.id, b.id, 0.0, id});
  return {id};
}

void ProgramBuilder::guard(Comparison c, Slot a, Slot b, bool outcome) {
  Impl& m = *impl_;
  m.check(a, "guard");
  m.check(b, "guard");
  if (m.options.fold_constants && m.is_constant(a.id) && m.is_constant(b.id) &&
      comparison_holds(c, m.constant(a.id), m.constant(b.id)) == outcome)
    return;  // holds at every x
  if (m.options.deduplicate) {
    const Impl::Key key{Impl::kGuardTag + static_cast<std::uint32_t>(c) * 2 + (outcome ? 1 : 0), a.id, b.id};
    const auto next = static_cast<std::uint32_t>(m.guards.size());
    if (m.guard_table.find_or_insert(key, next, [&m](std::uint32_t k) { return m.guard_key(k); }) != next)
      return;
  }
  m.guards.push_back({c, outcome, a.id, b.id, m.steps.size()});
}

void ProgramBuilder::output(Slot y) {
  impl_->check(y, "output");
  impl_->outputs.push_back(y.id);
}

bool ProgramBuilder::is_constant(Slot s) const {
  impl_->check(s, "is_constant");
  return impl_->is_constant(s.id);
}

double ProgramBuilder::constant_value(Slot s) const {
  if (!is_constant(s)) throw DomainError("ProgramBuilder::constant_value: the slot is not a constant");
  return impl_->constant(s.id);
}

std::size_t ProgramBuilder::size() const { return impl_->steps.size(); }

Program ProgramBuilder::build() && {
  Impl& m = *impl_;
  const std::size_t nodes = m.nodes.size();
  const std::vector<char> live = m.live_nodes();

  // Renumbering: [inputs][live constants, then parameters][live instructions].
  Program p;
  p.inputs_ = m.inputs;
  std::vector<std::uint32_t> slot(nodes, 0);
  for (std::size_t id = 0; id < nodes; ++id)
    if (m.nodes[id].kind == Impl::Kind::Input) slot[id] = m.nodes[id].index;
  std::unordered_map<std::uint64_t, std::uint32_t> constant_slot;
  auto add_constant = [&](double c) {
    const auto s = static_cast<std::uint32_t>(m.inputs + p.constants_.size());
    p.constants_.push_back(c);
    constant_slot.emplace(std::bit_cast<std::uint64_t>(c), s);
    return s;
  };
  for (std::size_t k = 0; k < m.constants.size(); ++k)
    if (live[m.constant_ids[k]]) slot[m.constant_ids[k]] = add_constant(m.constants[k]);
  std::size_t kept = 0;
  std::vector<std::uint32_t> parameter_slot(m.steps.size(), 0);
  for (std::size_t s = 0; s < m.steps.size(); ++s) {
    const Impl::Step& step = m.steps[s];
    if (!live[step.id]) continue;
    ++kept;
    if (!has_parameter(step.op)) continue;
    const auto found = constant_slot.find(std::bit_cast<std::uint64_t>(step.parameter));
    parameter_slot[s] = found != constant_slot.end() ? found->second : add_constant(step.parameter);
  }
  const std::size_t first = p.first_result();
  const auto sink = static_cast<std::uint32_t>(first + kept);
  std::vector<std::uint32_t> kept_before(m.steps.size() + 1, 0);
  p.instructions_.reserve(kept);
  for (std::size_t s = 0; s < m.steps.size(); ++s) {
    const Impl::Step& step = m.steps[s];
    kept_before[s] = static_cast<std::uint32_t>(p.instructions_.size());
    if (!live[step.id]) continue;
    Program::Instruction in{step.op, 0, slot[step.a], sink};
    if (m.is_constant(step.a)) in.flags |= Program::kConstantA;
    if (!is_unary(step.op)) {
      in.b = slot[step.b];
      if (m.is_constant(step.b)) in.flags |= Program::kConstantB;
    } else if (has_parameter(step.op)) {
      in.b = parameter_slot[s];
      in.flags |= Program::kConstantB;
    }
    slot[step.id] = static_cast<std::uint32_t>(first + p.instructions_.size());
    p.instructions_.push_back(in);
  }
  kept_before[m.steps.size()] = static_cast<std::uint32_t>(p.instructions_.size());
  for (const auto& g : m.guards)
    p.guards_.push_back({g.comparison, g.outcome, slot[g.a], slot[g.b], kept_before[g.before]});
  for (std::uint32_t y : m.outputs) p.outputs_.push_back(slot[y]);
  p.mark_first_reads();

  impl_ = std::make_unique<Impl>(m.options);
  id_ = next_builder_id.fetch_add(1);
  return p;
}

namespace detail {

ProgramBuilder& tracing_builder(const TraceVar& a, const TraceVar& b) {
  ProgramBuilder* builder = active_builder;
  if (builder == nullptr) throw Error("TraceVar: a recorded value used outside of nabla::record");
  if ((a.is_active() && a.recording() != builder->id()) || (b.is_active() && b.recording() != builder->id()))
    throw Error("TraceVar: a value recorded by another nabla::record used in this one");
  return *builder;
}

}  // namespace detail

}  // namespace nabla
