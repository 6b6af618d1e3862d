// A small persistent thread pool for nabla::nn's products (private to src/nn):
// parallel_for splits a range into contiguous chunks, one per thread, the
// calling thread taking the first. The pool is created on the first parallel
// call and sized by nn::threads().
#pragma once

#include <Eigen/Core>
#include <functional>

namespace nabla::nn::detail {

/// Runs body(begin, count) over [0, n) split into at most nn::threads()
/// contiguous chunks when `work` (about the flops involved) is worth it;
/// otherwise body(0, n) on the calling thread.
void parallel_for(Eigen::Index n, double work, const std::function<void(Eigen::Index, Eigen::Index)>& body);

/// The thread count of one training, on the thread that runs it, while it
/// lives: nn::threads() there returns it, other threads still see
/// nn::set_threads' setting, which this leaves alone. (A training used to
/// call set_threads: it undid the caller's own setting, and two trainings at
/// once on two threads took each other's count and could leave either one
/// behind as the process's.)
class ThreadsFor {
 public:
  explicit ThreadsFor(int threads);
  ~ThreadsFor();
  ThreadsFor(const ThreadsFor&) = delete;
  ThreadsFor& operator=(const ThreadsFor&) = delete;

 private:
  int previous_;
};

}  // namespace nabla::nn::detail
