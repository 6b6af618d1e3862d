// The thread pool behind nn::set_threads (see parallel.hpp): workers sleep on
// a condition variable between jobs; a job is a body and a chunk count, and
// the caller waits until every chunk has run.
#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "nabla/nn/ops.hpp"

namespace nabla::nn {
namespace detail {
namespace {

/// Below this many flops a product runs on one thread (waking workers costs
/// a few microseconds).
constexpr double min_parallel_work = 2e5;

class Pool {
 public:
  explicit Pool(int workers) {
    for (int w = 0; w < workers; ++w) threads_.emplace_back([this, w] { run(w + 1); });
  }
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  int size() const { return static_cast<int>(threads_.size()) + 1; }

  /// Runs chunk(c) for c in [0, chunks) with chunks <= size(), chunk 0 here.
  void run_chunks(int chunks, const std::function<void(int)>& chunk) {
    {
      std::lock_guard lock(mutex_);
      job_ = &chunk;
      chunks_ = chunks;
      pending_ = chunks - 1;
      ++generation_;
    }
    wake_.notify_all();
    chunk(0);
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  void run(int index) {
    long seen = 0;
    for (;;) {
      const std::function<void(int)>* job = nullptr;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        if (index < chunks_) job = job_;
      }
      if (!job) continue;
      (*job)(index);
      std::lock_guard lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int chunks_ = 0, pending_ = 0;
  long generation_ = 0;
  bool stop_ = false;
};

std::atomic<int> requested_threads{1};
/// Held for a whole parallel job: a second caller meanwhile runs serially.
std::mutex pool_mutex;
std::unique_ptr<Pool> pool;

Pool* pool_of(int threads) {
  if (!pool || pool->size() != threads) {
    pool.reset();
    pool = std::make_unique<Pool>(threads - 1);
  }
  return pool.get();
}

}  // namespace

void parallel_for(Eigen::Index n, double work, const std::function<void(Eigen::Index, Eigen::Index)>& body) {
  const int threads = nn::threads();
  const auto chunks = static_cast<int>(std::min<Eigen::Index>(threads, n));
  std::unique_lock lock(pool_mutex, std::defer_lock);
  if (chunks <= 1 || work < min_parallel_work || !lock.try_lock()) {
    body(0, n);
    return;
  }
  pool_of(threads)->run_chunks(chunks, [&](int c) {
    const Eigen::Index begin = n * c / chunks, end = n * (c + 1) / chunks;
    if (end > begin) body(begin, end - begin);
  });
}

}  // namespace detail

void set_threads(int threads) {
  if (threads < 0) throw DomainError("nn::set_threads: the thread count must not be negative");
  if (threads == 0) threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  detail::requested_threads = threads;
}

int threads() { return detail::requested_threads; }

}  // namespace nabla::nn
