// The parameters of a model in ONE contiguous buffer, with the gradients in
// one matching buffer, so that an optimizer steps them all at once
// (optim::Stepper::step(values(), grads())). A model registers named blocks
// (a layer's weight, its bias) before training; each block is a rows x cols
// row-major view, put on a tape as a parameter leaf by `on`.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "nabla/core/eigen.hpp"
#include "nabla/nn/tape.hpp"

namespace nabla::nn {

template <class T>
class Parameters {
 public:
  /// One named block of the buffer.
  struct Block {
    std::string name;
    Eigen::Index offset = 0, rows = 0, cols = 0;
  };

  /// Appends a zero block and returns its index (resizes both buffers: views
  /// taken earlier are invalidated).
  int add(std::string name, Eigen::Index rows, Eigen::Index cols) {
    require_dimension(rows > 0 && cols > 0, "nn::Parameters::add: a block needs a positive shape");
    const Eigen::Index offset = values_.size();
    blocks_.push_back({std::move(name), offset, rows, cols});
    values_.conservativeResize(offset + rows * cols);
    grads_.conservativeResize(offset + rows * cols);
    values_.tail(rows * cols).setZero();
    grads_.tail(rows * cols).setZero();
    return static_cast<int>(blocks_.size()) - 1;
  }

  /// Every parameter, contiguous.
  VectorX<T>& values() { return values_; }
  const VectorX<T>& values() const { return values_; }
  /// d(loss)/d(parameter), matching values(); backward passes add into it.
  VectorX<T>& grads() { return grads_; }
  const VectorX<T>& grads() const { return grads_; }
  void zero_grad() { grads_.setZero(); }
  Eigen::Index size() const { return values_.size(); }

  const std::vector<Block>& blocks() const { return blocks_; }
  MatrixMap<T> value(int block) { return map(values_, block); }
  ConstMatrixMap<T> value(int block) const {
    const Block& b = blocks_[static_cast<std::size_t>(block)];
    return ConstMatrixMap<T>(values_.data() + b.offset, b.rows, b.cols);
  }
  MatrixMap<T> grad(int block) { return map(grads_, block); }
  /// The block as a parameter leaf of `tape` (gradients go to grads()).
  Tensor<T> on(Tape<T>& tape, int block) {
    const Block& b = blocks_[static_cast<std::size_t>(block)];
    return tape.parameter(values_.data() + b.offset, grads_.data() + b.offset, b.rows, b.cols);
  }

 private:
  MatrixMap<T> map(VectorX<T>& buffer, int block) {
    const Block& b = blocks_[static_cast<std::size_t>(block)];
    return MatrixMap<T>(buffer.data() + b.offset, b.rows, b.cols);
  }

  std::vector<Block> blocks_;
  VectorX<T> values_, grads_;
};

}  // namespace nabla::nn
