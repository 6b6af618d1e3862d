// A small persistent thread pool for nabla::nn's products (private to src/nn):
// parallel_for splits a range into contiguous chunks, one per thread, the
// calling thread taking the first. The pool is created on the first parallel
// call and sized by nn::set_threads.
#pragma once

#include <Eigen/Core>
#include <functional>

namespace nabla::nn::detail {

/// Runs body(begin, count) over [0, n) split into at most nn::threads()
/// contiguous chunks when `work` (about the flops involved) is worth it;
/// otherwise body(0, n) on the calling thread.
void parallel_for(Eigen::Index n, double work, const std::function<void(Eigen::Index, Eigen::Index)>& body);

}  // namespace nabla::nn::detail
