// The tensor tape's storage and its reverse sweep (see nn/tape.hpp).
#include "nabla/nn/tape.hpp"

#include <algorithm>
#include <functional>
#include <string>

#include "shape.hpp"

namespace nabla::nn {

template <class T>
T* Tape<T>::Arena::allocate(std::size_t n) {
  n = std::max<std::size_t>(n, 1);
  n = (n + 15) & ~std::size_t{15};  // keep allocations apart by whole cache lines
  while (block_ < blocks_.size()) {
    if (used_ + n <= capacity_[block_]) {
      T* p = blocks_[block_].data() + used_;
      used_ += n;
      return p;
    }
    ++block_;
    used_ = 0;
  }
  const std::size_t capacity = std::max<std::size_t>(n, std::size_t{1} << 16);
  blocks_.emplace_back(capacity);
  capacity_.push_back(capacity);
  block_ = blocks_.size() - 1;
  used_ = n;
  return blocks_.back().data();
}

namespace {

/// rows * cols, or DimensionError for a negative shape or one whose count
/// overflows: every node's shape is checked here, views of the caller's
/// memory as well as the tape's own.
std::size_t checked_entries(Eigen::Index rows, Eigen::Index cols) {
  require_dimension(rows >= 0 && cols >= 0,
                    "nn: a tensor shape must not be negative, got " + detail::shape(rows, cols));
  Eigen::Index entries = 0;
  if (__builtin_mul_overflow(rows, cols, &entries))
    throw DimensionError("nn: a tensor of " + detail::shape(rows, cols) + " has more entries than memory");
  return static_cast<std::size_t>(entries);
}

}  // namespace

template <class T>
Tensor<T> Tape<T>::make(Eigen::Index rows, Eigen::Index cols, bool needs_grad, Backward rule) {
  const std::size_t count = checked_entries(rows, cols);
  Node n;
  n.rows = rows;
  n.cols = cols;
  n.value = values_.allocate(count);
  if (needs_grad) {
    n.adjoint = adjoints_.allocate(count);  // zeroed when first written (settle)
    n.backward = rule;
  }
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, id, needs_grad ? Adjoint::fresh : Adjoint::written);
  return Tensor<T>(this, id);
}

template <class T>
void Tape<T>::push_node(const Node& n, int owner, Adjoint state) {
  nodes_.push_back(n);
  owner_.push_back(owner);
  state_.push_back(state);
  uniform_entry_.push_back(T(0));
}

template <class T>
void Tape<T>::settle(int id) {
  Adjoint& s = state(id);
  if (s == Adjoint::written) return;
  const Node& n = nodes_[static_cast<std::size_t>(owner(id))];
  const T fill = s == Adjoint::uniform ? uniform_entry_[static_cast<std::size_t>(owner(id))] : T(0);
  if (n.adjoint) std::fill_n(n.adjoint, static_cast<std::size_t>(n.rows * n.cols), fill);
  s = Adjoint::written;
}

template <class T>
void Tape<T>::assign_uniform_a(T value) {
  require_dimension(a_fresh_, "nn::Tape::assign_uniform_a: input a's adjoint is not fresh");
  state_[static_cast<std::size_t>(a_owner_)] = Adjoint::uniform;
  uniform_entry_[static_cast<std::size_t>(a_owner_)] = value;
}

template <class T>
bool Tape<T>::shares_adjoint(const Node& n, int input) const {
  const int o = owner(input);
  int users = 0;
  const auto count = [&](int i) { users += i >= 0 && owner(i) == o ? 1 : 0; };
  count(n.a);
  count(n.b);
  count(n.c);
  if (n.extra_are_inputs)
    for (int k = 0; k < n.extra_count; ++k)
      count(extra_[static_cast<std::size_t>(n.extra) + static_cast<std::size_t>(k)]);
  return users > 1;
}

template <class T>
bool Tape<T>::claim_fresh(const Node& n, int input, bool assigns) {
  if (assigns && state(input) == Adjoint::fresh && !shares_adjoint(n, input)) {
    state(input) = Adjoint::written;  // the rule assigns every entry
    return true;
  }
  settle(input);
  return false;
}

template <class T>
void Tape<T>::prepare_inputs(const Node& n) {
  a_fresh_ = b_fresh_ = false;
  if (n.a >= 0) {
    a_owner_ = owner(n.a);
    a_fresh_ = claim_fresh(n, n.a, n.assigns_a);
  }
  if (n.b >= 0) b_fresh_ = claim_fresh(n, n.b, n.assigns_b);
  if (n.c >= 0) settle(n.c);
  if (n.extra_are_inputs)
    for (int k = 0; k < n.extra_count; ++k)
      settle(extra_[static_cast<std::size_t>(n.extra) + static_cast<std::size_t>(k)]);
}

template <class T>
Tensor<T> Tape<T>::alias(int of, Eigen::Index rows, Eigen::Index cols) {
  Node n;
  const Node& source = node(of);
  n.rows = rows;
  n.cols = cols;
  n.value = source.value;
  n.adjoint = source.adjoint;
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, owner(of), Adjoint::written);  // its own state is unused: the owner's counts
  return Tensor<T>(this, id);
}

template <class T>
Tensor<T> Tape<T>::pass_through(int of) {
  Node n;
  const Node& source = node(of);
  n.rows = source.rows;
  n.cols = source.cols;
  n.value = values_.allocate(static_cast<std::size_t>(n.rows * n.cols));
  n.adjoint = source.adjoint;
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, owner(of), Adjoint::written);  // as alias(): the owner's state counts
  return Tensor<T>(this, id);
}

template <class T>
Tensor<T> Tape<T>::constant(const Eigen::Ref<const Matrix<T>>& value) {
  Tensor<T> t = make(value.rows(), value.cols(), false, nullptr);
  t.value() = value;
  return t;
}

template <class T>
Tensor<T> Tape<T>::constant_view(const T* data, Eigen::Index rows, Eigen::Index cols) {
  checked_entries(rows, cols);
  Node n;
  n.rows = rows;
  n.cols = cols;
  n.value = const_cast<T*>(data);  // never written: constants have no backward rule
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, id, Adjoint::written);
  return Tensor<T>(this, id);
}

template <class T>
Tensor<T> Tape<T>::variable(const Eigen::Ref<const Matrix<T>>& value) {
  Tensor<T> t = make(value.rows(), value.cols(), true, nullptr);
  t.value() = value;
  return t;
}

template <class T>
Tensor<T> Tape<T>::parameter(T* value, T* adjoint, Eigen::Index rows, Eigen::Index cols,
                             ParameterGradient mode) {
  const std::size_t entries = checked_entries(rows, cols);
  Node n;
  n.rows = rows;
  n.cols = cols;
  n.value = value;
  n.adjoint = adjoint;
  const auto id = static_cast<int>(nodes_.size());
  const bool overwrite = mode == ParameterGradient::overwrite;
  // Each leaf owning its adjoint in the fresh state, two leaves of one block
  // would each assign it and the later rule's gradient alone would survive.
  int shared = -1;
  for (const ParameterLeaf& other : parameters_) {
    const Node& o = node(other.id);
    const std::size_t other_entries = static_cast<std::size_t>(o.rows * o.cols);
    const std::less<const T*> before;  // a total order even across unrelated buffers
    const bool overlaps = adjoint && o.adjoint && entries > 0 && other_entries > 0 &&
                          before(adjoint, o.adjoint + other_entries) && before(o.adjoint, adjoint + entries);
    if (!overlaps || (!overwrite && !other.overwrite)) continue;
    if (!(overwrite && other.overwrite && adjoint == o.adjoint && entries == other_entries))
      throw DomainError(
          "nn::Tape::parameter: this gradient memory overlaps that of parameter tensor " +
          std::to_string(other.id) +
          " other than as the same block with ParameterGradient::overwrite; register a shared block "
          "alike each time, or accumulate");
    shared = owner(other.id);
  }
  parameters_.push_back({id, overwrite});
  if (shared >= 0) {
    push_node(n, shared, Adjoint::written);  // as alias(): the first leaf's state counts
    return Tensor<T>(this, id);
  }
  // To accumulate, the caller zeroes the adjoint; to overwrite, it starts fresh.
  push_node(n, id, overwrite ? Adjoint::fresh : Adjoint::written);
  return Tensor<T>(this, id);
}

template <class T>
bool Tape<T>::is_parameter(int id) const {
  return std::any_of(parameters_.begin(), parameters_.end(),
                     [&](const ParameterLeaf& p) { return p.id == id; });
}

template <class T>
int Tape<T>::push_extra(const std::vector<int>& ids) {
  const int start = static_cast<int>(extra_.size());
  extra_.insert(extra_.end(), ids.begin(), ids.end());
  return start;
}

template <class T>
void Tape<T>::backward(Tensor<T> loss) {
  require_dimension(&loss.tape() == this, "nn::Tape::backward: the loss is on another tape");
  const Node& seed = node(loss.id());
  require_dimension(seed.rows == 1 && seed.cols == 1, "nn::Tape::backward: the loss must be 1x1, got " +
                                                          std::to_string(seed.rows) + "x" +
                                                          std::to_string(seed.cols));
  if (!seed.adjoint) throw DomainError("nn::Tape::backward: the loss depends on no variable or parameter");
  // A pass leaves every op's adjoint written: a second one would add to
  // those and run the first loss's rules again (5 e^x for twice e^x).
  if (swept_)
    throw DomainError("nn::Tape::backward: this recording was already swept; clear() and record again");
  swept_ = true;
  settle(loss.id());
  seed.adjoint[0] += T(1);
  for (int id = loss.id(); id >= 0; --id) {
    const Node& n = nodes_[static_cast<std::size_t>(id)];
    if (!n.backward || state(id) == Adjoint::fresh) continue;  // nothing flowed here
    uniform_ = state(id) == Adjoint::uniform && n.reads_uniform;
    if (uniform_)
      uniform_value_ = uniform_entry_[static_cast<std::size_t>(id)];  // a node with a rule owns its adjoint
    else
      settle(id);
    prepare_inputs(n);
    n.backward(*this, n);
  }
  // The leaves' adjoints (variables, parameters) hold their entries now: 0
  // where nothing reached. An op's is settled when Tensor::grad() reads it.
  for (int id = 0; id < static_cast<int>(nodes_.size()); ++id)
    if (!nodes_[static_cast<std::size_t>(id)].backward && owner(id) == id) settle(id);
}

template <class T>
void Tape<T>::clear() {
  swept_ = false;
  nodes_.clear();
  owner_.clear();
  state_.clear();
  uniform_entry_.clear();
  extra_.clear();
  parameters_.clear();
  values_.rewind();
  adjoints_.rewind();
}

template <class T>
MatrixMap<T> Tensor<T>::grad() const {
  if (!tape_->requires_grad(id_))
    throw DomainError("nn::Tensor::grad: this tensor carries no gradient (a constant)");
  // A parameter block registered twice reads the gradient of the block,
  // as it would accumulating.
  if (tape_->adjoint_owner(id_) != id_ && !tape_->is_parameter(id_))
    throw DomainError("nn::Tensor::grad: this tensor shares the adjoint of tensor " +
                      std::to_string(tape_->adjoint_owner(id_)) +
                      " (a reshape or a shift of it), which holds d(loss)/d(that tensor): read that one's");
  tape_->settle(id_);
  return tape_->adjoint(id_);
}

template <class T>
T Tensor<T>::item() const {
  require_dimension(rows() == 1 && cols() == 1, "nn::Tensor::item: the tensor is not 1x1");
  return value()(0, 0);
}

template class Tape<float>;
template class Tape<double>;
template class Tensor<float>;
template class Tensor<double>;

}  // namespace nabla::nn
