// A small persistent thread pool for nabla::nn's products (private to src/nn):
// parallel_for splits a range into contiguous chunks, one per thread, the
// calling thread taking the first. The pool is created on the first parallel
// call and sized by nn::set_threads.
#pragma once

#include <Eigen/Core>
#include <functional>

#include "nabla/nn/ops.hpp"

namespace nabla::nn::detail {

/// Runs body(begin, count) over [0, n) split into at most nn::threads()
/// contiguous chunks when `work` (about the flops involved) is worth it;
/// otherwise body(0, n) on the calling thread.
void parallel_for(Eigen::Index n, double work, const std::function<void(Eigen::Index, Eigen::Index)>& body);

/// nn::set_threads(threads) while it lives, and the setting before it
/// afterwards: a training's TrainOptions::threads is that training's only
/// (nn::train set it and kept it, undoing the caller's own set_threads).
class ThreadsFor {
 public:
  explicit ThreadsFor(int threads) : previous_(nn::threads()) { nn::set_threads(threads); }
  ~ThreadsFor() { nn::set_threads(previous_); }
  ThreadsFor(const ThreadsFor&) = delete;
  ThreadsFor& operator=(const ThreadsFor&) = delete;

 private:
  int previous_;
};

}  // namespace nabla::nn::detail
