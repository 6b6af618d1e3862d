// The tensor tape of nabla::nn: reverse mode at the level of whole tensors.
// One tape entry (a Node) per tensor operation, holding its shape, a pointer
// to its value and one to its adjoint, its inputs and a pointer to the op's
// backward rule. Values and adjoints live in two separate bump arenas that
// clear() rewinds without freeing, so a training loop allocates nothing once
// warm. Tensors are dense, row-major and 2-D (a scalar is 1x1, a vector 1xn
// or nx1); parameters are views into a caller's contiguous buffers.
#pragma once

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "nabla/core/errors.hpp"

namespace nabla::nn {

/// A dense row-major matrix: the storage order of every tensor.
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// A view of a tensor's value or adjoint.
template <class T>
using MatrixMap = Eigen::Map<Matrix<T>>;
template <class T>
using ConstMatrixMap = Eigen::Map<const Matrix<T>>;

template <class T>
class Tape;

/// What Tape::backward does with a parameter's adjoint memory: add the
/// gradient into it (the caller zeroes it, and several passes may
/// accumulate), or overwrite it with the gradient (no zeroing needed).
enum class ParameterGradient { accumulate, overwrite };

/// A handle to one node of a Tape: cheap to copy, valid until the tape's
/// next clear().
template <class T>
class Tensor {
 public:
  Tensor() = default;
  Tensor(Tape<T>* tape, int id) : tape_(tape), id_(id) {}
  Tape<T>& tape() const { return *tape_; }
  int id() const { return id_; }
  Eigen::Index rows() const;
  Eigen::Index cols() const;
  Eigen::Index size() const { return rows() * cols(); }
  /// The value (writable only for leaves you own).
  MatrixMap<T> value() const;
  /// The adjoint d(loss)/d(this) after Tape::backward; throws if the node
  /// carries none (a constant, or a result of constants only) or shares its
  /// input's adjoint memory (a reshape, x + s).
  MatrixMap<T> grad() const;
  bool requires_grad() const;
  /// The value of a 1x1 tensor.
  T item() const;

 private:
  Tape<T>* tape_ = nullptr;
  int id_ = -1;
};

/// The tape: nodes in creation order, and the two arenas.
template <class T>
class Tape {
 public:
  struct Node;
  /// An op's reverse rule: adds the node's adjoint, pulled back, into its
  /// inputs' adjoints.
  using Backward = void (*)(Tape&, const Node&);
  /// One tensor operation.
  struct Node {
    Eigen::Index rows = 0, cols = 0;
    T* value = nullptr;
    T* adjoint = nullptr;  ///< null when no input needs a gradient
    Backward backward = nullptr;
    int a = -1, b = -1, c = -1;       ///< inputs (-1: none)
    double p = 0;                     ///< an op's scalar parameter (temperature, scale)
    Eigen::Index i = 0, j = 0;        ///< an op's integer parameters (offsets, axis)
    int extra = -1, extra_count = 0;  ///< a run of further inputs (gather: source offsets) in extra_inputs()
    bool extra_are_inputs = false;    ///< the run holds input nodes (concat), not offsets
    /// The rule writes input a's whole adjoint entry by entry, so it may assign
    /// instead of adding when nothing was written there yet (a_fresh()).
    bool assigns_a = false;
    /// The same for input b (b_fresh()).
    bool assigns_b = false;
    /// The rule reads its own adjoint through adjoint_uniform() and
    /// uniform_adjoint() when every entry of it is one number.
    bool reads_uniform = false;
  };

  Tape() = default;
  Tape(const Tape&) = delete;
  Tape& operator=(const Tape&) = delete;

  /// A constant (no gradient), its value copied onto the tape.
  Tensor<T> constant(const Eigen::Ref<const Matrix<T>>& value);
  /// A constant viewing the caller's memory (rows x cols, row-major), not
  /// copied. A negative shape, here as for every tensor, is a DimensionError.
  Tensor<T> constant_view(const T* data, Eigen::Index rows, Eigen::Index cols);
  /// A leaf that collects a gradient in its own adjoint on the tape.
  Tensor<T> variable(const Eigen::Ref<const Matrix<T>>& value);
  /// A leaf viewing the caller's value and adjoint (a block of a parameter
  /// buffer): backward() adds into `adjoint`, which the caller zeroes, or
  /// with ParameterGradient::overwrite writes the gradient there. A block
  /// registered again in overwrite mode (one leaf per use) shares the first
  /// leaf's adjoint, which gets the sum of both uses' gradients, as
  /// accumulating does; an overwrite leaf whose adjoint memory overlaps
  /// another leaf's other than as the same block in the same mode is a
  /// DomainError (which gradient would survive depends on the sweep's order).
  Tensor<T> parameter(T* value, T* adjoint, Eigen::Index rows, Eigen::Index cols,
                      ParameterGradient mode = ParameterGradient::accumulate);

  /// Seeds d(loss)/d(loss) = 1 on a 1x1 tensor and runs every backward rule
  /// from the last node to the first. An op's adjoint is zeroed only when a
  /// rule is about to write into it (or assigned by a rule that writes it
  /// whole), and a node that nothing wrote into is skipped: its adjoint is 0.
  /// A rule may leave an adjoint uniform (one number for every entry, the
  /// pullback of a sum); its memory is filled only if a rule adds into it,
  /// or its own rule cannot read it uniform, or the gradient is read. Once
  /// per recording: a second call before clear() is a DomainError (to sum
  /// two losses, backward their sum).
  void backward(Tensor<T> loss);
  /// For a rule with assigns_a: whether input a's adjoint holds nothing yet
  /// (its memory is then not zeroed, and the rule must assign every entry,
  /// or call assign_uniform_a).
  bool a_fresh() const { return a_fresh_; }
  /// For a rule with assigns_b: the same for input b.
  bool b_fresh() const { return b_fresh_; }
  /// For a rule with assigns_a, when a_fresh(): sets every entry of input
  /// a's adjoint to `value` without writing its memory.
  void assign_uniform_a(T value);
  /// For a rule with reads_uniform: whether every entry of the node's own
  /// adjoint is uniform_adjoint() (its memory is then not filled).
  bool adjoint_uniform() const { return uniform_; }
  T uniform_adjoint() const { return uniform_value_; }
  /// Makes id's adjoint memory hold its entries: zeroes it if nothing was
  /// written there yet, fills it if it was left uniform (before a rule adds
  /// into it or the gradient is read).
  void settle(int id);
  /// Forgets every node; keeps the arenas' memory for the next pass.
  void clear();
  std::size_t size() const { return nodes_.size(); }

  const Node& node(int id) const { return nodes_[static_cast<std::size_t>(id)]; }
  MatrixMap<T> value(int id) const {
    const Node& n = node(id);
    return MatrixMap<T>(n.value, n.rows, n.cols);
  }
  /// The adjoint memory of a node, or an empty map when it has none: for a
  /// rule's inputs, which backward() makes writable before the rule runs.
  /// Read a gradient with Tensor::grad().
  MatrixMap<T> adjoint(int id) const {
    const Node& n = node(id);
    return MatrixMap<T>(n.adjoint, n.adjoint ? n.rows : 0, n.adjoint ? n.cols : 0);
  }
  bool requires_grad(int id) const { return node(id).adjoint != nullptr; }
  /// The node whose adjoint memory id uses (id itself, unless a reshape, a
  /// shift, or a parameter block registered again in overwrite mode).
  int adjoint_owner(int id) const { return owner(id); }
  /// Whether id is a parameter() leaf.
  bool is_parameter(int id) const;
  const int* extra_inputs(const Node& n) const { return extra_.data() + n.extra; }

  /// For ops: a new node of the given shape whose value is uninitialized
  /// arena memory and whose adjoint exists when `needs_grad` (zeroed when
  /// backward() first writes into it or when the gradient is read).
  Tensor<T> make(Eigen::Index rows, Eigen::Index cols, bool needs_grad, Backward rule);
  /// For ops: a node sharing another node's value and adjoint memory (reshape).
  Tensor<T> alias(int of, Eigen::Index rows, Eigen::Index cols);
  /// For ops whose reverse rule is the identity (x + s): a node with its own
  /// (uninitialized) value memory and of's adjoint memory, and no rule, so
  /// the adjoint its consumers write lands in of's directly.
  Tensor<T> pass_through(int of);
  Node& node_mut(int id) { return nodes_[static_cast<std::size_t>(id)]; }
  /// For ops with many inputs: stores them, returns the start index.
  int push_extra(const std::vector<int>& ids);

 private:
  /// A bump allocator over blocks that are kept across clear().
  class Arena {
   public:
    T* allocate(std::size_t n);
    void rewind() {
      block_ = 0;
      used_ = 0;
    }

   private:
    std::vector<std::vector<T>> blocks_;
    std::vector<std::size_t> capacity_;
    std::size_t block_ = 0, used_ = 0;
  };

  /// What an owner's adjoint memory holds.
  enum class Adjoint : char {
    fresh,    ///< nothing yet (the memory is garbage; the adjoint is 0)
    written,  ///< its entries
    uniform,  ///< garbage; every entry is uniform_entry_[owner]
  };

  /// The node owning a node's adjoint memory (an alias shares its source's).
  int owner(int id) const { return owner_[static_cast<std::size_t>(id)]; }
  Adjoint& state(int id) { return state_[static_cast<std::size_t>(owner(id))]; }
  /// Whether n's input `input` shares adjoint memory with another of its inputs.
  bool shares_adjoint(const Node& n, int input) const;
  /// Whether n's rule may assign input's whole adjoint (`assigns`), and it
  /// holds nothing yet and shares its memory with no other input; if so
  /// marks it written, else makes it writable (settle).
  bool claim_fresh(const Node& n, int input, bool assigns);
  /// Makes the adjoints of n's inputs writable before its rule runs.
  void prepare_inputs(const Node& n);
  void push_node(const Node& n, int owner, Adjoint state);

  std::vector<Node> nodes_;
  std::vector<int> owner_;
  std::vector<Adjoint> state_;    ///< per owner
  std::vector<T> uniform_entry_;  ///< per owner, when its state is uniform
  std::vector<int> extra_;
  /// The parameter leaves so far, to find a block registered twice.
  struct ParameterLeaf {
    int id;
    bool overwrite;
  };
  std::vector<ParameterLeaf> parameters_;
  Arena values_, adjoints_;
  bool a_fresh_ = false, b_fresh_ = false;
  int a_owner_ = -1;  ///< the owner of the running rule's input a
  bool uniform_ = false;
  T uniform_value_ = T(0);
  bool swept_ = false;  // backward() ran since the last clear()
};

template <class T>
Eigen::Index Tensor<T>::rows() const {
  return tape_->node(id_).rows;
}
template <class T>
Eigen::Index Tensor<T>::cols() const {
  return tape_->node(id_).cols;
}
template <class T>
MatrixMap<T> Tensor<T>::value() const {
  return tape_->value(id_);
}
template <class T>
bool Tensor<T>::requires_grad() const {
  return tape_->requires_grad(id_);
}

extern template class Tape<float>;
extern template class Tape<double>;
extern template class Tensor<float>;
extern template class Tensor<double>;

}  // namespace nabla::nn
