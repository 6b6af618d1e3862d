// The tensor tape's storage and its reverse sweep (see nn/tape.hpp).
#include "nabla/nn/tape.hpp"

#include <algorithm>
#include <string>

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

template <class T>
Tensor<T> Tape<T>::make(Eigen::Index rows, Eigen::Index cols, bool needs_grad, Backward rule) {
  require_dimension(rows >= 0 && cols >= 0, "nn: a tensor shape must not be negative");
  Node n;
  n.rows = rows;
  n.cols = cols;
  const auto count = static_cast<std::size_t>(rows * cols);
  n.value = values_.allocate(count);
  if (needs_grad) {
    n.adjoint = adjoints_.allocate(count);  // zeroed when first written (zero_if_fresh)
    n.backward = rule;
  }
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, id, !needs_grad);
  return Tensor<T>(this, id);
}

template <class T>
void Tape<T>::push_node(const Node& n, int owner, bool written) {
  nodes_.push_back(n);
  owner_.push_back(owner);
  written_.push_back(written ? 1 : 0);
}

template <class T>
void Tape<T>::zero_if_fresh(int id) {
  const auto o = static_cast<std::size_t>(owner(id));
  if (written_[o]) return;
  const Node& n = nodes_[o];
  if (n.adjoint) std::fill_n(n.adjoint, static_cast<std::size_t>(n.rows * n.cols), T(0));
  written_[o] = 1;
}

template <class T>
void Tape<T>::prepare_inputs(const Node& n) {
  a_fresh_ = false;
  if (n.a >= 0) {
    if (n.assigns_a && n.b != n.a && n.c != n.a && !written_[static_cast<std::size_t>(owner(n.a))]) {
      a_fresh_ = true;  // the rule assigns every entry
      written_[static_cast<std::size_t>(owner(n.a))] = 1;
    } else {
      zero_if_fresh(n.a);
    }
  }
  if (n.b >= 0) zero_if_fresh(n.b);
  if (n.c >= 0) zero_if_fresh(n.c);
  if (n.extra_are_inputs)
    for (int k = 0; k < n.extra_count; ++k) zero_if_fresh(extra_[static_cast<std::size_t>(n.extra + k)]);
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
  push_node(n, owner(of), true);  // its own flag is unused: the owner's counts
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
  Node n;
  n.rows = rows;
  n.cols = cols;
  n.value = const_cast<T*>(data);  // never written: constants have no backward rule
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, id, true);
  return Tensor<T>(this, id);
}

template <class T>
Tensor<T> Tape<T>::variable(const Eigen::Ref<const Matrix<T>>& value) {
  Tensor<T> t = make(value.rows(), value.cols(), true, nullptr);
  t.value() = value;
  return t;
}

template <class T>
Tensor<T> Tape<T>::parameter(T* value, T* adjoint, Eigen::Index rows, Eigen::Index cols) {
  Node n;
  n.rows = rows;
  n.cols = cols;
  n.value = value;
  n.adjoint = adjoint;
  const auto id = static_cast<int>(nodes_.size());
  push_node(n, id, true);  // the caller zeroes a parameter's adjoint
  return Tensor<T>(this, id);
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
  zero_if_fresh(loss.id());
  seed.adjoint[0] += T(1);
  for (int id = loss.id(); id >= 0; --id) {
    const Node& n = nodes_[static_cast<std::size_t>(id)];
    if (!n.backward || !written_[static_cast<std::size_t>(owner(id))]) continue;  // nothing flowed here
    prepare_inputs(n);
    n.backward(*this, n);
  }
  // Adjoints nothing reached read as zero.
  for (std::size_t id = 0; id < nodes_.size(); ++id) zero_if_fresh(static_cast<int>(id));
}

template <class T>
void Tape<T>::clear() {
  nodes_.clear();
  owner_.clear();
  written_.clear();
  extra_.clear();
  values_.rewind();
  adjoints_.rewind();
}

template <class T>
MatrixMap<T> Tensor<T>::grad() const {
  if (!tape_->requires_grad(id_))
    throw DomainError("nn::Tensor::grad: this tensor carries no gradient (a constant)");
  tape_->zero_if_fresh(id_);
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
