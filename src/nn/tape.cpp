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
    n.adjoint = adjoints_.allocate(count);
    std::fill_n(n.adjoint, count, T(0));
    n.backward = rule;
  }
  nodes_.push_back(n);
  return Tensor<T>(this, static_cast<int>(nodes_.size()) - 1);
}

template <class T>
Tensor<T> Tape<T>::alias(int of, Eigen::Index rows, Eigen::Index cols) {
  Node n;
  const Node& source = node(of);
  n.rows = rows;
  n.cols = cols;
  n.value = source.value;
  n.adjoint = source.adjoint;
  nodes_.push_back(n);
  return Tensor<T>(this, static_cast<int>(nodes_.size()) - 1);
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
  nodes_.push_back(n);
  return Tensor<T>(this, static_cast<int>(nodes_.size()) - 1);
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
  nodes_.push_back(n);
  return Tensor<T>(this, static_cast<int>(nodes_.size()) - 1);
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
  seed.adjoint[0] += T(1);
  for (int id = loss.id(); id >= 0; --id) {
    const Node& n = nodes_[static_cast<std::size_t>(id)];
    if (n.backward) n.backward(*this, n);
  }
}

template <class T>
void Tape<T>::clear() {
  nodes_.clear();
  extra_.clear();
  values_.rewind();
  adjoints_.rewind();
}

template <class T>
MatrixMap<T> Tensor<T>::grad() const {
  if (!tape_->requires_grad(id_))
    throw DomainError("nn::Tensor::grad: this tensor carries no gradient (a constant)");
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
